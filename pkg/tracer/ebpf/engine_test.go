package ebpf

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/gtrace/gtrace/internal/privtest"
	"github.com/gtrace/gtrace/internal/testprog"
	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
	"golang.org/x/sys/unix"
)

func TestMain(m *testing.M) {
	privtest.Main(m, map[string]func() int{
		// The unprivileged side of TestPrivileges.
		"new-engine": func() int {
			_, err := New(Config{Handler: &recorder{}})
			switch {
			case errors.Is(err, ErrPrivilege):
				fmt.Fprintln(os.Stderr, err)
				return 3
			case err != nil:
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			return 0
		},
	})
}

// recorder is a Handler that keeps what it is told to.
type recorder struct {
	onCall func(c *event.Call)
	notes  []string
	exits  []event.ExitStatus
	kinds  map[event.Kind]int
}

func (r *recorder) Handle(ev *event.Event) Action {
	if r.kinds == nil {
		r.kinds = map[event.Kind]int{}
	}
	r.kinds[ev.Kind]++
	switch ev.Kind {
	case event.KindSyscallExit:
		if r.onCall != nil {
			r.onCall(ev.Call)
		}
	case event.KindNotice:
		r.notes = append(r.notes, ev.Text)
	case event.KindExit:
		r.exits = append(r.exits, *ev.Exit)
	}
	return Continue
}

func (r *recorder) Idle() {}

// requirePrivileges skips a test that loads the BPF program where it
// cannot.
func requirePrivileges(t *testing.T) {
	t.Helper()
	if err := CheckPrivileges(); err != nil {
		t.Skipf("cannot load BPF programs here: %v", err)
	}
}

// trace runs argv under a new engine configured by cfg and returns it
// after Run.
func trace(t *testing.T, cfg Config, argv ...string) *Engine {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Spawn(Command{Path: argv[0], Argv: argv}); err != nil {
		e.Close()
		t.Fatal(err)
	}
	if _, err := e.Run(); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestLostEvents floods a tiny ring buffer: events are lost, the loss is
// counted and said in the trace, and every record that did arrive is
// whole: each write shows exactly the bytes the program wrote.
func TestLostEvents(t *testing.T) {
	requirePrivileges(t)
	storm := testprog.Build(t, filepath.Join("..", "testdata", "storm.c"))
	const calls = 200000
	last, writes, bad := -1, 0, 0
	rec := &recorder{onCall: func(c *event.Call) {
		if c.Name != "write" {
			return
		}
		writes++
		var n int
		b := c.Args[1].Val.Bytes
		// A call whose exit record was lost ends without a result.
		returned := c.Phase == event.Returned && c.Ret == 15 || c.Phase == event.Lost
		if _, err := fmt.Sscanf(string(b), "storm %08d\n", &n); err != nil || len(b) != 15 || n <= last || !returned {
			bad++
			if bad < 5 {
				t.Errorf("write %d after %d: %q = %d", writes, last, b, c.Ret)
			}
			return
		}
		last = n
	}}
	e := trace(t, Config{Handler: rec, BufferSize: 4096}, storm, fmt.Sprint(calls))
	lost := e.Lost()
	t.Logf("%d writes of %d reported, %d events lost, notices: %d", writes, calls, lost, len(rec.notes))
	if lost == 0 {
		t.Error("a 4 KiB ring buffer lost nothing under a storm of writes")
	}
	if len(rec.notes) == 0 || !strings.Contains(rec.notes[0], " lost: the ring buffer was full") {
		t.Errorf("the trace does not say events were lost: notices %q", rec.notes)
	}
	if writes == 0 || writes >= calls {
		t.Errorf("%d writes reported of %d with %d events lost", writes, calls, lost)
	}
	if e.Malformed() != 0 {
		t.Errorf("%d malformed records", e.Malformed())
	}
	if len(rec.exits) != 1 || rec.exits[0] != (event.ExitStatus{}) {
		t.Errorf("exits %+v, want one exit with 0", rec.exits)
	}
}

// TestDefaultBufferKeepsUp checks that the default ring buffer holds a
// fast program's every call: the dd of the benchmark, 50 000 one-byte
// reads.
func TestDefaultBufferKeepsUp(t *testing.T) {
	requirePrivileges(t)
	dd, err := exec.LookPath("dd")
	if err != nil {
		t.Skip("dd is not installed")
	}
	reads := 0
	rec := &recorder{onCall: func(c *event.Call) {
		if c.Name == "read" && c.Raw[0] == 0 && c.Ret == 1 {
			reads++
		}
	}}
	e := trace(t, Config{Handler: rec}, dd, "if=/dev/zero", "of=/dev/null", "bs=1", "count=50000", "status=none")
	if reads != 50000 || e.Lost() != 0 {
		t.Errorf("%d of 50000 reads reported, %d events lost", reads, e.Lost())
	}
}

// TestPrivileges loads the engine without the capabilities it needs.
func TestPrivileges(t *testing.T) {
	for _, tc := range []struct {
		name string
		drop []string
		want string
	}{
		{"nobody", privtest.Nobody, "missing CAP_BPF and CAP_PERFMON"},
		{"no-perfmon", privtest.NoPerfmon, "missing CAP_PERFMON"},
		{"no-bpf", privtest.NoBPF, "missing CAP_BPF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := privtest.Run(t, tc.drop, "new-engine")
			if code != 3 || !strings.HasSuffix(strings.TrimSpace(stderr), tc.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want exit 3 (ErrPrivilege) and one line ending %q", code, stderr, tc.want)
			}
		})
	}
}

func TestBufferSize(t *testing.T) {
	page := os.Getpagesize()
	for _, tc := range []struct{ in, want int }{
		{0, DefaultBufferSize},
		{1, page},
		{page, page},
		{page + 1, 2 * page},
		{3 << 20, 4 << 20},
	} {
		if got := bufferSize(tc.in); got != tc.want {
			t.Errorf("bufferSize(%d) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// TestSelection: with a selection, the kernel side reports only the
// calls selected.
func TestSelection(t *testing.T) {
	requirePrivileges(t)
	write := decode.TableFor(event.ArchX86_64).ByName("write").Nr
	names := map[string]int{}
	rec := &recorder{onCall: func(c *event.Call) { names[c.Name]++ }}
	sel := func(arch event.Arch, nr int) bool { return arch == event.ArchX86_64 && nr == write }
	e := trace(t, Config{Handler: rec, Trace: sel}, "/bin/sh", "-c", "echo a >/dev/null; echo b >/dev/null")
	if len(names) != 1 || names["write"] != 2 {
		t.Errorf("calls reported %v, want the two writes alone", names)
	}
	if rec.kinds[event.KindSyscallEntry] != 2 || e.Lost() != 0 {
		t.Errorf("%d entries, %d events lost; want 2 and none", rec.kinds[event.KindSyscallEntry], e.Lost())
	}
}

// The reader thread's raised priority is given back before Run returns
// the thread to the Go runtime.
func TestReaderPriorityRestored(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	tid := unix.Gettid()
	niceOf := func() int {
		prio, err := unix.Getpriority(unix.PRIO_PROCESS, tid)
		if err != nil {
			t.Fatal(err)
		}
		return 20 - prio
	}
	if err := unix.Setpriority(unix.PRIO_PROCESS, tid, 3); err != nil {
		t.Skipf("cannot set this thread's nice value: %v", err)
	}
	restore := raisePriority()
	if got := niceOf(); got != readerNice {
		t.Errorf("while reading, nice = %d, want %d", got, readerNice)
	}
	restore()
	if got := niceOf(); got != 3 {
		t.Errorf("after Run, nice = %d, want 3 as before", got)
	}
}

func TestLostEventsWording(t *testing.T) {
	for n, want := range map[uint64]string{0: "0 events lost", 1: "1 event lost", 12: "12 events lost"} {
		if got := LostEvents(n); got != want {
			t.Errorf("LostEvents(%d) = %q, want %q", n, got, want)
		}
	}
}

// The socket addresses a program passes in (bind, connect, sendto) are
// captured and decoded as ptrace decodes them, not left as addresses.
func TestSockaddrsCaptured(t *testing.T) {
	requirePrivileges(t)
	prog := testprog.Build(t, filepath.Join("..", "testdata", "sockaddrs.c"))
	got := map[string]string{}
	rec := &recorder{onCall: func(c *event.Call) {
		if _, seen := got[c.Name]; seen {
			return
		}
		var b []byte
		for i := range c.Args {
			b = c.Args[i].Val.AppendStrace(append(b, ", "...), &event.Style{})
		}
		got[c.Name] = string(b)
	}}
	trace(t, Config{Handler: rec}, prog)
	// Passed in: the first of each call.
	for name, port := range map[string]string{"bind": "0", "connect": "1", "sendto": "9"} {
		want := "{sa_family=AF_INET, sin_port=htons(" + port + "), sin_addr=inet_addr(\"127.0.0.1\")}"
		if !strings.Contains(got[name], want) {
			t.Errorf("%s's arguments %q, want %s among them", name, got[name], want)
		}
	}
	// Filled by the kernel, with the length it had and the one it set
	// (the ports are the kernel's choice).
	filled := regexp.MustCompile(`\{sa_family=AF_INET, sin_port=htons\([1-9]\d*\), sin_addr=inet_addr\("127\.0\.0\.1"\)\}, \[128 => 16\]`)
	for _, name := range []string{"getsockname", "recvfrom"} {
		if !filled.MatchString(got[name]) {
			t.Errorf("%s's arguments %q, want the address it was given, [128 => 16]", name, got[name])
		}
	}
}
