package ptrace

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/gtrace/gtrace/internal/testtracee"
	"github.com/gtrace/gtrace/pkg/event"
)

// stubForkEnv asks the spawn stub (this test binary, re-executed) to
// create a task of its own before it execs the program, as its Go
// runtime may do (a thread) on a busy machine.
const stubForkEnv = "GTRACE_TEST_STUB_FORK"

// Package variables are set before any init function runs, so before
// the stub's init (stub.go) looks at argv[0].
var _ = func() bool {
	stubPrelude = func() {
		if os.Getenv(stubForkEnv) == "" {
			return
		}
		// A raw fork from the traced main thread: the child runs no Go
		// code, only exit_group, and the stub reaps it.
		pid, _, errno := unix.RawSyscall(unix.SYS_FORK, 0, 0, 0)
		if errno != 0 {
			os.Exit(125)
		}
		if pid == 0 {
			unix.RawSyscall(unix.SYS_EXIT_GROUP, 0, 0, 0)
		}
		var ws unix.WaitStatus
		_, _ = unix.Wait4(int(pid), &ws, 0, nil)
	}
	return true
}()

// The spawn stub's own tasks are gtrace's, not the program's: with -f
// they must not show up as tasks that attach and exit.
func TestStubTasksAreNotReported(t *testing.T) {
	prog := testtracee.Build(t, "getpid")
	t.Setenv(stubForkEnv, "1")
	tids := map[int]bool{}
	var exits int
	h := handlerFunc(func(ev *event.Event, st *Stop) Action {
		tids[ev.TID] = true
		if ev.Kind == event.KindExit {
			exits++
		}
		return Continue
	})
	out, ws := traceFollowing(t, prog, nil, h)
	if !ws.Exited() || ws.ExitStatus() != 0 {
		t.Fatalf("program ended with %#x, printed %q", int(ws), out)
	}
	if len(tids) != 1 || exits != 1 {
		t.Errorf("events came from %d tasks with %d exits, want the program's one: %v", len(tids), exits, tids)
	}
}
