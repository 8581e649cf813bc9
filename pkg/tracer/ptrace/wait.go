package ptrace

import (
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gtrace/gtrace/internal/sigaction"
)

// How the engine waits for its tracees' stops. A ptrace round trip is
// mostly the tracer and the tracee waking each other, and on a machine
// whose idle CPUs sleep (a VM's halted vCPUs above all) each wake-up is
// tens of microseconds. Three things keep the engine awake and the wake-ups
// few:
//
//   - After a stop, the engine polls for the next one for a short while
//     (spinFor), yielding its CPU between polls, before it blocks in
//     wait4. A task that stops again within that time (most syscalls
//     take a few microseconds) finds the engine awake. The yield lets a
//     tracee sharing the engine's CPU (--colocate) run at once.
//   - The kernel sends the tracer a SIGCHLD at every ptrace stop, and the
//     Go runtime catches it on whichever thread is free, waking a
//     sleeping thread for nothing each time. While an engine runs, the
//     SIGCHLD handler has SA_NOCLDSTOP, under which the kernel sends no
//     SIGCHLD for stops (wait4 is woken all the same); children's exits
//     still raise it.
//   - Output is flushed when the engine is about to block, and at least
//     every flushEvery while the tracees keep it busy.
const (
	spinFor    = 50 * time.Microsecond
	flushEvery = 50 * time.Millisecond
)

// poll returns the next wait4 report if one comes within spinFor, pid 0
// if none did.
func poll() (int, unix.WaitStatus, error) {
	pid, ws, err := wait4(unix.WNOHANG)
	if err != nil || pid != 0 {
		return pid, ws, err
	}
	for deadline := time.Now().Add(spinFor); time.Now().Before(deadline); {
		_, _, _ = unix.RawSyscall(unix.SYS_SCHED_YIELD, 0, 0, 0)
		pid, ws, err = wait4(unix.WNOHANG)
		if err != nil || pid != 0 {
			return pid, ws, err
		}
	}
	return 0, 0, nil
}

// childStops counts the engines running, which keep SIGCHLD quiet for
// stops; the flag is restored when the last one ends.
var childStops struct {
	mu      sync.Mutex
	engines int
	added   bool // SA_NOCLDSTOP was gtrace's doing
}

// quietChildStops sets SA_NOCLDSTOP on the SIGCHLD handler, keeping the
// handler (the Go runtime's) as it is. The returned function undoes it.
func quietChildStops() (restore func()) {
	childStops.mu.Lock()
	defer childStops.mu.Unlock()
	childStops.engines++
	if childStops.engines == 1 {
		if sa, ok := sigaction.Get(unix.SIGCHLD); ok && sa.Flags&sigaction.NoCldStop == 0 {
			sa.Flags |= sigaction.NoCldStop
			childStops.added = sigaction.Set(unix.SIGCHLD, &sa)
		}
	}
	return func() {
		childStops.mu.Lock()
		defer childStops.mu.Unlock()
		childStops.engines--
		if childStops.engines > 0 || !childStops.added {
			return
		}
		if sa, ok := sigaction.Get(unix.SIGCHLD); ok {
			sa.Flags &^= sigaction.NoCldStop
			sigaction.Set(unix.SIGCHLD, &sa)
		}
		childStops.added = false
	}
}
