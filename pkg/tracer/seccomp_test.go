package tracer

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gtrace/gtrace/internal/testprog"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/filter"
)

func buildSpin(t *testing.T) string { return testprog.Build(t, filepath.Join("testdata", "spin.c")) }

// traceSpin traces spin with only getpid selected and returns the getpid
// calls seen (as "arch") and the number of stops.
func traceSpin(t *testing.T, bin string, n int, noSeccomp bool) ([]string, uint64) {
	t.Helper()
	sel, err := filter.ParseTrace("getpid")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := Start(context.Background(), Command(bin, strconv.Itoa(n)), Options{Follow: true, Trace: sel, NoSeccomp: noSeccomp})
	if err != nil {
		t.Fatal(err)
	}
	var calls []string
	err = tr.Run(Hooks{OnEvent: func(ev *event.Event) Action {
		if ev.Kind == event.KindSyscallExit {
			if ev.Call.Name != "getpid" {
				t.Errorf("%s was reported; only getpid is selected", ev.Call.Name)
			}
			calls = append(calls, ev.Call.Arch.String())
		}
		return Continue
	}})
	if err != nil {
		t.Fatal(err)
	}
	status, err := tr.Wait()
	if err != nil || status.Code != 0 {
		t.Fatalf("spin: status %+v, %v", status, err)
	}
	return calls, tr.Stats().Stops
}

// With the seccomp filter, the calls that are not selected do not stop
// the tracee at all, in either thread; without it, each stops it twice.
func TestSeccompNonSelectedCallsDoNotStop(t *testing.T) {
	bin := buildSpin(t)
	const n = 5000
	want := []string{"x86_64", "x86_64", "i386"} // two threads, then int $0x80
	calls, stops := traceSpin(t, bin, n, false)
	if len(calls) != len(want) || calls[2] != "i386" {
		t.Errorf("with seccomp: getpid calls %v, want %v", calls, want)
	}
	if stops > 100 {
		t.Errorf("with seccomp: %d stops for %d unselected calls; want only the selected calls and task events to stop", stops, 2*n)
	}
	calls, stops = traceSpin(t, bin, n, true)
	if len(calls) != len(want) || calls[2] != "i386" {
		t.Errorf("without seccomp: getpid calls %v, want %v", calls, want)
	}
	if stops < 4*n {
		t.Errorf("without seccomp: only %d stops for %d calls; is the filter on?", stops, 2*n)
	}
}

// Detaching does not leave a filtered program with a filter and no
// tracer, whose selected calls would fail with ENOSYS: it is muted, and
// runs on unharmed.
func TestSeccompDetachDoesNotHarm(t *testing.T) {
	bin := buildSpin(t)
	sel, err := filter.ParseTrace("getpid")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := Start(context.Background(), Command(bin, "200000"), Options{Follow: true, Trace: sel})
	if err != nil {
		t.Fatal(err)
	}
	calls, detached := 0, 0
	err = tr.Run(Hooks{OnEvent: func(ev *event.Event) Action {
		switch ev.Kind {
		case event.KindSyscallEntry:
			calls++
			tr.Detach()
		case event.KindDetach:
			detached++
		}
		return Continue
	}})
	if err != nil {
		t.Fatal(err)
	}
	status, err := tr.Wait()
	if err != nil || status.Code != 0 {
		t.Errorf("after detach: spin ended with %+v, %v; want 0", status, err)
	}
	// The other thread's call may have stopped it before the detach.
	if calls < 1 || calls > 2 || detached == 0 {
		t.Errorf("%d calls reported, %d tasks detached; want a call per thread at most, then every task detached", calls, detached)
	}
}

// Without Follow there is no filter: the threads and children the program
// makes, untraced, would inherit it and see their selected calls fail
// with ENOSYS. Here a child's and a thread's getpid must succeed.
func TestSeccompNeedsFollow(t *testing.T) {
	bin := testprog.Build(t, filepath.Join("testdata", "unfollowed.c"))
	sel, err := filter.ParseTrace("getpid")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := Start(context.Background(), Command(bin), Options{Trace: sel})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	err = tr.Run(Hooks{OnEvent: func(ev *event.Event) Action {
		if ev.Kind == event.KindSyscallExit && ev.Call.Name == "getpid" {
			calls++
		}
		return Continue
	}})
	if err != nil {
		t.Fatal(err)
	}
	status, err := tr.Wait()
	if err != nil || status.Code != 0 {
		t.Fatalf("unfollowed: status %+v, %v (exit 1: the child's getpid failed, 2: the thread's)", status, err)
	}
	if calls != 1 {
		t.Errorf("saw %d getpid calls, want the program's own 1", calls)
	}
}
