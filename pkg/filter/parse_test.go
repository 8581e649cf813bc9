package filter

import (
	"strings"
	"testing"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
)

// has says whether the named syscall of arch is in s.
func has(t *testing.T, s *Syscalls, arch event.Arch, name string) bool {
	t.Helper()
	sc := decode.TableFor(arch).ByName(name)
	if sc == nil {
		t.Fatalf("%s has no %s", arch, name)
	}
	return s.Has(arch, sc.Nr)
}

const (
	x64 = event.ArchX86_64
	x32 = event.ArchI386
)

func TestParseTrace(t *testing.T) {
	type member struct {
		arch event.Arch
		name string
		in   bool
	}
	tests := []struct {
		expr   string
		count  int // syscalls of both tables in the set, -1: don't check
		checks []member
	}{
		{"openat,close", 4, []member{{x64, "openat", true}, {x32, "close", true}, {x64, "read", false}}},
		{"oldstat", 1, []member{{x32, "oldstat", true}}},
		{"%network", -1, []member{{x64, "socket", true}, {x64, "sendfile", true}, {x64, "read", false}, {x32, "socketcall", false}}},
		{"%net", -1, []member{{x64, "connect", true}}},
		{"network", -1, []member{{x64, "connect", true}}},
		{"%file", -1, []member{{x64, "openat", true}, {x64, "read", false}, {x64, "execve", true}}},
		{"%%stat", -1, []member{{x64, "stat", true}, {x64, "fstat", true}, {x64, "newfstatat", true}, {x64, "statfs", false}}},
		{"%pure", -1, []member{{x64, "getpid", true}, {x64, "getppid", true}, {x64, "getuid", true}, {x64, "kill", false}}},
		{"!%file", -1, []member{{x64, "openat", false}, {x64, "read", true}}},
		{"!!getpid", 2, []member{{x64, "getpid", true}}},
		{"/^get(p|u)id$", 4, []member{{x64, "getpid", true}, {x32, "getuid", true}, {x64, "getppid", false}}},
		{"?nosuchcall,getpid", 2, nil},
		{"?nosuchcall", 0, nil},
		{"getpid@64", 1, []member{{x64, "getpid", true}, {x32, "getpid", false}}},
		{"getpid@32", 1, []member{{x32, "getpid", true}, {x64, "getpid", false}}},
		{"39", -1, []member{{x64, "getpid", true}, {x32, "umask", false}}},
		{"none", 0, nil},
		{"!none", -1, []member{{x64, "read", true}}},
		{"all", -1, []member{{x64, "read", true}, {x32, "ipc", true}}},
		{"!all", 0, nil},
		{"getpid,all", -1, []member{{x64, "read", true}}},
		{",getpid,", 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			s, err := ParseTrace(tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			if tt.count >= 0 && s.Count() != tt.count {
				t.Errorf("%d syscalls, want %d", s.Count(), tt.count)
			}
			for _, m := range tt.checks {
				if got := has(t, s, m.arch, m.name); got != m.in {
					t.Errorf("%s %s in set: %v, want %v", m.arch, m.name, got, m.in)
				}
			}
		})
	}
}

func TestParseTraceBeyondTheTables(t *testing.T) {
	for expr, want := range map[string]bool{"all": true, "!open": true, "%network": false, "none": false} {
		s, err := ParseTrace(expr)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Has(x64, 100000); got != want {
			t.Errorf("%s: unknown syscall 100000 in set: %v, want %v", expr, got, want)
		}
	}
	if !AllSyscalls().IsAll() || ForCategories(1).IsAll() {
		t.Error("IsAll is wrong")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		parse func(string) error
		expr  string
		want  string
	}{
		{traceErr, "opne", `invalid system call 'opne'`},
		{traceErr, "getpid,opne", `invalid system call 'opne'`},
		{traceErr, "%foo", `invalid system call '%foo'`},
		{traceErr, "%NET", `invalid system call '%NET'`},
		{traceErr, "", `invalid system call ''`},
		{traceErr, "!", `invalid system call ''`},
		{traceErr, "/zzz", `invalid system call '/zzz'`},
		{traceErr, "/[", `bad regular expression "["`},
		{traceErr, "getpid@x", `unknown ABI "x"`},
		{traceErr, "100000", `invalid system call '100000'`},
		{signalErr, "SIGFOO", `unknown signal "SIGFOO"`},
		{signalErr, "256", `unknown signal "256"`},
		{signalErr, "", `unknown signal ""`},
		{statusErr, "fine", `unknown status "fine"`},
		{fdsErr, "x", `unknown descriptor "x"`},
		{fdsErr, "-1", `unknown descriptor "-1"`},
		{catErr, "netwrk", `unknown category "netwrk"`},
		{catErr, "", `no category given`},
		{kindErr, "sock", `unknown descriptor kind "sock"`},
	}
	for _, tt := range tests {
		err := tt.parse(tt.expr)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want %q", tt.expr, err, tt.want)
		}
	}
}

func traceErr(s string) error  { _, err := ParseTrace(s); return err }
func signalErr(s string) error { _, err := ParseSignals(s); return err }
func statusErr(s string) error { _, err := ParseStatus(s); return err }
func fdsErr(s string) error    { _, err := ParseFDs(s); return err }
func catErr(s string) error    { _, err := ParseCategories([]string{s}); return err }
func kindErr(s string) error   { _, err := ParseFDKinds(s); return err }

func TestParseCategories(t *testing.T) {
	tests := []struct {
		lists   []string
		in, out []string // x86_64 syscalls
	}{
		{[]string{"network"}, []string{"socket", "sendfile", "connect"}, []string{"read", "openat"}},
		{[]string{"net"}, []string{"socket"}, []string{"read"}},
		{[]string{"file,sync"}, []string{"openat", "futex"}, []string{"socket"}},
		{[]string{"file", "network"}, []string{"openat", "socket"}, []string{"getpid"}},
		{[]string{"!file"}, []string{"read", "socket"}, []string{"openat", "stat"}},
		{[]string{"desc,!file"}, []string{"read"}, []string{"openat", "socket"}},
		{[]string{"creds"}, []string{"getuid"}, []string{"getpid"}},
	}
	for _, tt := range tests {
		s, err := ParseCategories(tt.lists)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range tt.in {
			if !has(t, s, x64, name) {
				t.Errorf("-c %v: %s not selected", tt.lists, name)
			}
		}
		for _, name := range tt.out {
			if has(t, s, x64, name) {
				t.Errorf("-c %v: %s selected", tt.lists, name)
			}
		}
	}
}

func TestParseSets(t *testing.T) {
	sig, err := ParseSignals("usr1,SIGTERM,sigrtmin,9")
	if err != nil {
		t.Fatal(err)
	}
	for n, want := range map[int]bool{10: true, 15: true, 32: true, 9: true, 12: false} {
		if sig.Has(n) != want {
			t.Errorf("signal %d: %v", n, !want)
		}
	}
	notSig, _ := ParseSignals("!usr1")
	allSig, _ := ParseSignals("all")
	if notSig.Has(10) || !notSig.Has(12) || !allSig.Has(64) {
		t.Error("signal set negation or all is wrong")
	}
	st, err := ParseStatus("Successful,unfinished")
	if err != nil {
		t.Fatal(err)
	}
	if !st.Has(Successful) || !st.Has(Unfinished) || st.Has(Failed) {
		t.Error("status set is wrong")
	}
	fds, err := ParseFDs("!0,1")
	if err != nil {
		t.Fatal(err)
	}
	if fds.Has(0) || fds.Has(1) || !fds.Has(2) {
		t.Error("descriptor set is wrong")
	}
}

func TestKindOf(t *testing.T) {
	for target, want := range map[string]FDKind{
		"socket:[1234]": KindSocket, "pipe:[5]": KindPipe, "/etc/passwd": KindFile,
		"/dev/null": KindDevice, "anon_inode:[eventfd]": KindEventfd, "anon_inode:[eventpoll]": KindEpoll,
		"anon_inode:inotify": KindInotify, "anon_inode:[pidfd]": KindPidfd, "anon_inode:bpf-map": KindAnon,
		"net:[4026531840]": KindOther, "": KindNone,
	} {
		if got := KindOf(target); got != want {
			t.Errorf("KindOf(%q) = %v, want %v", target, got, want)
		}
	}
}
