package tamper

import (
	"reflect"
	"syscall"
	"testing"
	"time"

	"github.com/gtrace/gtrace/pkg/event"
)

// anySet accepts every set but "bad".
func anySet(set string) (func(event.Arch, int) bool, error) {
	if set == "bad" {
		return nil, errBadSet
	}
	return func(event.Arch, int) bool { return true }, nil
}

var errBadSet = syscall.EINVAL

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		spec  string
		fault bool
		want  Rule // Calls is not compared
	}{
		{"open:error=ENOENT", false, Rule{Errno: syscall.ENOENT, When: Every}},
		{"open:error=enoent", false, Rule{Errno: syscall.ENOENT, When: Every}},
		{"open:error=13", false, Rule{Errno: syscall.EACCES, When: Every}},
		{"open:retval=42", false, Rule{Retval: 42, HasRetval: true, When: Every}},
		{"open:retval=0x10", false, Rule{Retval: 16, HasRetval: true, When: Every}},
		{"open:retval=010", false, Rule{Retval: 8, HasRetval: true, When: Every}},
		{"open:retval=-1", false, Rule{Retval: -1, HasRetval: true, When: Every}},
		{"open:signal=SIGUSR1", false, Rule{Signal: syscall.SIGUSR1, When: Every}},
		{"open:signal=usr1", false, Rule{Signal: syscall.SIGUSR1, When: Every}},
		{"open:signal=9", false, Rule{Signal: syscall.SIGKILL, When: Every}},
		{"open:delay_enter=10", false, Rule{DelayEnter: 10 * time.Microsecond, When: Every}},
		{"open:delay_exit=1.5ms", false, Rule{DelayExit: 1500 * time.Microsecond, When: Every}},
		{"open:delay_exit=2s", false, Rule{DelayExit: 2 * time.Second, When: Every}},
		{"open:poke_enter=@arg2=4a4b,@arg7=00", false, Rule{PokeEnter: []Poke{{2, []byte("JK")}, {7, []byte{0}}}, When: Every}},
		{"open:poke_exit=@arg1=ff", false, Rule{PokeExit: []Poke{{1, []byte{0xff}}}, When: Every}},
		{"open:error=EIO:when=3", false, Rule{Errno: syscall.EIO, When: When{First: 3}}},
		{"open:error=EIO:when=3+", false, Rule{Errno: syscall.EIO, When: When{First: 3, Step: 1}}},
		{"open:error=EIO:when=3+2", false, Rule{Errno: syscall.EIO, When: When{First: 3, Step: 2}}},
		{"open:error=EIO:when=2..5", false, Rule{Errno: syscall.EIO, When: When{First: 2, Last: 5, Step: 1}}},
		{"open:error=EIO:when=2..5+", false, Rule{Errno: syscall.EIO, When: When{First: 2, Last: 5, Step: 1}}},
		{"open:error=EIO:when=2..9+3", false, Rule{Errno: syscall.EIO, When: When{First: 2, Last: 9, Step: 3}}},
		{"open:error=EIO:when=+1", false, Rule{Errno: syscall.EIO, When: When{First: 1}}},
		{"open:error=EIO:when=1:when=4", false, Rule{Errno: syscall.EIO, When: When{First: 4}}},
		{"open", true, Rule{Errno: syscall.ENOSYS, When: Every}},
		{"open:when=2", true, Rule{Errno: syscall.ENOSYS, When: When{First: 2}}},
		{"open:error=EPERM", true, Rule{Errno: syscall.EPERM, When: Every}},
		{"open:syscall=getpid:retval=3", false, Rule{Retval: 3, HasRetval: true, Via: "getpid", When: Every}},
		{"open:syscall=gettid", true, Rule{Errno: syscall.ENOSYS, Via: "gettid", When: Every}},
	} {
		got, err := Parse(tc.spec, tc.fault, anySet)
		if err != nil {
			t.Errorf("Parse(%q, fault=%v): %v", tc.spec, tc.fault, err)
			continue
		}
		got.Calls = nil
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Parse(%q, fault=%v) = %+v, want %+v", tc.spec, tc.fault, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		spec  string
		fault bool
	}{
		{"open", false}, {"open:", false}, {":error=EIO", false}, {"", false},
		{"open:foo=1", false}, {"open:error", false},
		{"open:error=EFOO", false}, {"open:error=0", false}, {"open:error=4096", false},
		{"open:error=EIO:retval=1", false}, {"open:retval=1:retval=2", false},
		{"open:error=EIO:error=EPERM", false}, {"open:retval=x", false}, {"open:retval=", false},
		{"open:signal=0", false}, {"open:signal=65", false}, {"open:signal=FOO", false},
		{"open:signal=1:signal=2", false},
		{"open:delay_enter=abc", false}, {"open:delay_enter=-1", false}, {"open:delay_exit=1h", false},
		{"open:poke_enter=@arg8=00", false}, {"open:poke_enter=@arg1=0", false},
		{"open:poke_enter=@arg0=00", false}, {"open:poke_enter=arg1=00", false},
		{"open:poke_enter=@arg1=zz", false}, {"open:poke_enter=", false},
		{"open:error=EIO:when=0", false}, {"open:error=EIO:when=3..2", false},
		{"open:error=EIO:when=2..65535", false}, {"open:error=EIO:when=1..", false},
		{"open:error=EIO:when=1+0", false}, {"open:error=EIO:when=1.2", false},
		{"open:error=EIO:when=65536", false}, {"open:error=EIO:when=x", false},
		{"open:retval=1", true}, {"open:signal=SIGINT", true}, {"open:delay_enter=1", true},
	} {
		if _, err := Parse(tc.spec, tc.fault, anySet); err == nil {
			t.Errorf("Parse(%q, fault=%v) accepted it", tc.spec, tc.fault)
		}
	}
	if _, err := Parse("bad:error=EIO", false, anySet); err != errBadSet {
		t.Errorf("a bad set gave %v, want the set parser's error", err)
	}
	_, err := Parse("open:foo", false, anySet)
	if want := "invalid inject argument 'open:foo'"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	_, err = Parse("open:retval=1", true, anySet)
	if want := "invalid fault argument 'open:retval=1'"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

// TestVia: syscall= runs its syscall, on each arch by its own number, in
// place of a skipped call; none is -1.
func TestVia(t *testing.T) {
	r := Rule{Via: "getpid"}
	if got := r.via(event.ArchX86_64); got != 39 {
		t.Errorf("x86_64 getpid = %d, want 39", got)
	}
	if got := r.via(event.ArchI386); got != 20 {
		t.Errorf("i386 getpid = %d, want 20", got)
	}
	if got := (&Rule{}).via(event.ArchX86_64); got != -1 {
		t.Errorf("no syscall= gives %d, want -1", got)
	}
}

func TestWhen(t *testing.T) {
	for _, tc := range []struct {
		w    When
		want []int // invocations 1..10 tampered with
	}{
		{Every, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{When{First: 3}, []int{3}},
		{When{First: 3, Step: 1}, []int{3, 4, 5, 6, 7, 8, 9, 10}},
		{When{First: 3, Step: 3}, []int{3, 6, 9}},
		{When{First: 2, Last: 4, Step: 1}, []int{2, 3, 4}},
		{When{First: 1, Last: 7, Step: 3}, []int{1, 4, 7}},
	} {
		var got []int
		for n := 1; n <= 10; n++ {
			if tc.w.Has(n) {
				got = append(got, n)
			}
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%+v: %v, want %v", tc.w, got, tc.want)
		}
	}
}

func TestWarnings(t *testing.T) {
	r, err := Parse("open:retval=-1", false, anySet)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Inadvertent injection of error 1 is possible for retval=18446744073709551615"}
	if got := r.Warnings(); !reflect.DeepEqual(got, want) {
		t.Errorf("warnings %q, want %q", got, want)
	}
}
