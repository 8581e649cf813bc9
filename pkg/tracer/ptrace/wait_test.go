package ptrace

import (
	"testing"

	"github.com/gtrace/gtrace/internal/testtracee"
	"github.com/gtrace/gtrace/pkg/event"
)

// While an engine runs, ptrace stops raise no SIGCHLD in the tracer
// (SA_NOCLDSTOP); afterwards the handler is as it was.
func TestChildStopsAreQuietWhileRunning(t *testing.T) {
	prog := testtracee.Build(t, "getpid")
	before, ok := sigchldAction()
	if !ok {
		t.Fatal("rt_sigaction(SIGCHLD) failed")
	}
	if before.flags&saNoCldStop != 0 {
		t.Fatal("SA_NOCLDSTOP is set before tracing")
	}
	var during kernelSigaction
	h := handlerFunc(func(ev *event.Event, st *Stop) Action {
		if ev.Kind == event.KindSyscallEntry && during.handler == 0 {
			during, _ = sigchldAction()
		}
		return Continue
	})
	trace(t, prog, nil, h)
	after, _ := sigchldAction()
	if during.flags&saNoCldStop == 0 {
		t.Errorf("SIGCHLD flags while tracing %#x: no SA_NOCLDSTOP", during.flags)
	}
	if during.handler != before.handler {
		t.Errorf("SIGCHLD handler changed while tracing: %#x, was %#x", during.handler, before.handler)
	}
	if after != before {
		t.Errorf("SIGCHLD action after tracing %+v, was %+v", after, before)
	}
}
