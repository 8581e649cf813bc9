package ptrace

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/gtrace/gtrace/internal/sigaction"
	"github.com/gtrace/gtrace/internal/testtracee"
	"github.com/gtrace/gtrace/pkg/event"
)

// While an engine runs, ptrace stops raise no SIGCHLD in the tracer
// (SA_NOCLDSTOP); afterwards the handler is as it was.
func TestChildStopsAreQuietWhileRunning(t *testing.T) {
	prog := testtracee.Build(t, "getpid")
	before, ok := sigaction.Get(unix.SIGCHLD)
	if !ok {
		t.Fatal("rt_sigaction(SIGCHLD) failed")
	}
	if before.Flags&sigaction.NoCldStop != 0 {
		t.Fatal("SA_NOCLDSTOP is set before tracing")
	}
	var during sigaction.Action
	h := handlerFunc(func(ev *event.Event, st *Stop) Action {
		if ev.Kind == event.KindSyscallEntry && during.Handler == 0 {
			during, _ = sigaction.Get(unix.SIGCHLD)
		}
		return Continue
	})
	trace(t, prog, nil, h)
	after, _ := sigaction.Get(unix.SIGCHLD)
	if during.Flags&sigaction.NoCldStop == 0 {
		t.Errorf("SIGCHLD flags while tracing %#x: no SA_NOCLDSTOP", during.Flags)
	}
	if during.Handler != before.Handler {
		t.Errorf("SIGCHLD handler changed while tracing: %#x, was %#x", during.Handler, before.Handler)
	}
	if after != before {
		t.Errorf("SIGCHLD action after tracing %+v, was %+v", after, before)
	}
}
