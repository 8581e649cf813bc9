package ptrace

import (
	"os"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Waking the engine. Run waits only for the children and tracees of its
// own thread (__WNOTHREAD), so that a program using this package keeps
// its other children to itself, and a Go program cannot make wait4
// return EINTR (the runtime installs its handlers with SA_RESTART). To
// interrupt the wait, a child of the engine's thread ends: a waker,
// started by the engine thread, which exits when a pipe is closed (Wake,
// after RequestStop) or at a given time (a delayed task is due).

// wakers are the engine's waker processes.
type wakers struct {
	mu   sync.Mutex
	pipe *os.File // write end of the stop waker's stdin; nil once closed

	pids    []int     // wakers still running
	timer   int       // the timed waker due first, 0 if none
	timerAt time.Time // when it is due
}

// Wake interrupts a Run blocked in wait4, so that it notices
// RequestStop. It may be called from any goroutine.
func (e *Engine) Wake() {
	e.wake.mu.Lock()
	defer e.wake.mu.Unlock()
	if e.wake.pipe != nil {
		_ = e.wake.pipe.Close()
		e.wake.pipe = nil
	}
}

// armStopWaker starts the waker that Wake releases. It runs on the
// engine's thread.
func (e *Engine) armStopWaker() error {
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	pid, err := startWaker([]uintptr{r.Fd()}, "")
	_ = r.Close()
	if err != nil {
		_ = w.Close()
		return err
	}
	e.wake.mu.Lock()
	e.wake.pipe = w
	e.wake.mu.Unlock()
	e.wake.pids = append(e.wake.pids, pid)
	return nil
}

// armTimer makes sure a waker ends by the time the first delayed task is
// due.
func (e *Engine) armTimer() {
	at, ok := e.nextDue()
	if !ok || (e.wake.timer != 0 && !e.wake.timerAt.After(at)) {
		return
	}
	var now unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &now)
	deadline := now.Nano() + int64(time.Until(at))
	pid, err := startWaker(nil, strconv.FormatInt(deadline, 10))
	if err != nil {
		// No waker: let the delayed tasks go now rather than never.
		e.resumeAll()
		return
	}
	e.wake.pids = append(e.wake.pids, pid)
	e.wake.timer, e.wake.timerAt = pid, at
}

// wakerEnded forgets a waker that exited; it reports whether pid was one.
func (e *Engine) wakerEnded(pid int) bool {
	i := slices.Index(e.wake.pids, pid)
	if i < 0 {
		return false
	}
	e.wake.pids = slices.Delete(e.wake.pids, i, i+1)
	if pid == e.wake.timer {
		e.wake.timer = 0
	}
	return true
}

// stopWakers ends and reaps every waker, when Run returns.
func (e *Engine) stopWakers() {
	e.Wake()
	for _, pid := range e.wake.pids {
		_ = unix.Kill(pid, unix.SIGKILL)
		var ws unix.WaitStatus
		for {
			if _, err := unix.Wait4(pid, &ws, 0, nil); err != unix.EINTR {
				break
			}
		}
	}
	e.wake.pids, e.wake.timer = nil, 0
}

// startWaker starts a waker with files as its descriptors. With until
// (CLOCK_MONOTONIC nanoseconds) it exits then; otherwise when its stdin
// is closed.
func startWaker(files []uintptr, until string) (int, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, err
	}
	argv := []string{wakeArg0}
	if until != "" {
		argv = append(argv, until)
	}
	if files == nil {
		files = []uintptr{}
	}
	return syscall.ForkExec(self, argv, &syscall.ProcAttr{Files: files})
}

// runWaker is the waker process.
func runWaker(args []string) {
	if len(args) == 0 {
		var b [1]byte
		_, _ = os.Stdin.Read(b[:])
		return
	}
	until, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil {
		return
	}
	var now unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &now)
	time.Sleep(time.Duration(until - now.Nano()))
}
