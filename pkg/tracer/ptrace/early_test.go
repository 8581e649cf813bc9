package ptrace

import (
	"os"
	"os/exec"
	"testing"

	"github.com/gtrace/gtrace/pkg/event"
)

// TestDetachedEarlyTaskStaysGone: a task adopted at its own first stop,
// before its creator's clone event, then detached (gtrace was stopping)
// must not be brought back by that event when it comes: the engine
// would wait for a task it no longer traces, without end. TestAttachTree
// hung this way on a loaded machine, one run in twenty.
func TestDetachedEarlyTaskStaysGone(t *testing.T) {
	e := New(Config{Handler: handlerFunc(func(*event.Event, *Stop) Action { return Continue })})
	// The pid of a child that has been reaped: detaching it fails
	// harmlessly, as for a task that has just gone.
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	child, parent := gone.Process.Pid, os.Getpid()
	e.addTask(parent, parent)
	c := e.adopt(child, parent, child)
	c.early = true
	e.release(c, 0)
	e.created(child, parent, child)
	if e.tasks[child] != nil {
		t.Errorf("the creator's late clone event brought back a detached task")
	}
	// The next task of that pid is a new one, adopted as usual.
	e.created(child, parent, child)
	if e.tasks[child] == nil {
		t.Errorf("a new task with the pid was not adopted")
	}
}
