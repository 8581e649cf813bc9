package ptrace

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"

	"github.com/gtrace/gtrace/pkg/tracer/internal/procfs"
	"golang.org/x/sys/unix"
)

// Errors from Spawn and Attach, to be checked with errors.Is.
var (
	ErrNoSuchProcess = errors.New("no such process")
	ErrPermission    = errors.New("operation not permitted")
	ErrSelf          = errors.New("gtrace cannot trace itself")
	ErrZombie        = errors.New("process is a zombie")
	ErrKernelThread  = errors.New("process is a kernel thread")
	ErrTraced        = errors.New("process is already being traced")
)

// TraceError is a failure to trace one process.
type TraceError struct {
	PID  int
	Op   string // "attach", "spawn"
	Err  error
	Hint string // what to do about it, if anything
}

func (e *TraceError) Error() string {
	msg := e.Op + " " + strconv.Itoa(e.PID) + ": " + e.Err.Error()
	if e.Hint != "" {
		msg += " (" + e.Hint + ")"
	}
	return msg
}

func (e *TraceError) Unwrap() error { return e.Err }

// Command is a program to spawn.
type Command struct {
	Path string   // resolved path of the executable
	Argv []string // its argv, argv[0] included
	Env  []string // its environment; nil means gtrace's own
	Dir  string   // working directory; "" for gtrace's own
	// Filter is the seccomp filter spec the stub installs, "" for none.
	Filter string
	// Files are the program's descriptors 0, 1, 2 (and on); nil gives
	// it gtrace's own 0, 1 and 2.
	Files []uintptr
}

// Spawn starts cmd stopped under the engine. It must be called on the
// goroutine that will call Run; it locks that goroutine to its thread.
func (e *Engine) Spawn(cmd Command) (int, error) {
	runtime.LockOSThread()
	// Pinned first, the engine thread passes its one CPU on to the stub
	// it forks, and so to the program (Config.Colocate).
	if err := e.colo.pinEngine(); err != nil {
		return 0, err
	}
	self, err := os.Executable()
	if err != nil {
		return 0, fmt.Errorf("spawn: find own executable: %w", err)
	}
	env := cmd.Env
	if env == nil {
		env = os.Environ()
	}
	files := cmd.Files
	if files == nil {
		files = []uintptr{0, 1, 2}
	}
	pid, err := syscall.ForkExec(self, stubArgv(cmd.Filter, cmd.Path, cmd.Argv), &syscall.ProcAttr{
		Dir:   cmd.Dir,
		Env:   append([]string{stubGodebug}, env...),
		Files: files,
	})
	if err != nil {
		return 0, fmt.Errorf("spawn %s: %w", cmd.Path, err)
	}
	// The stub stops itself with SIGSTOP; wait for that before seizing.
	var ws unix.WaitStatus
	for {
		_, err = unix.Wait4(pid, &ws, unix.WSTOPPED, nil)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil || !ws.Stopped() {
		return 0, fmt.Errorf("spawn %s: stub did not start (status %#x): %v", cmd.Path, int(ws), err)
	}
	e.seccomp = cmd.Filter != ""
	if err := seize(pid, e.options()|optExitKill); err != nil {
		_ = unix.Kill(pid, unix.SIGKILL)
		return 0, &TraceError{PID: pid, Op: "spawn", Err: classify(pid, err), Hint: hint(err)}
	}
	t := e.addTask(pid, pid)
	t.startup = true
	e.spawned = pid
	if err := unix.Kill(pid, unix.SIGCONT); err != nil {
		return 0, fmt.Errorf("spawn %s: %w", cmd.Path, err)
	}
	return pid, nil
}

// Attach seizes every thread of process pid and interrupts them, so that
// tracing starts at their next stop. Like Spawn, it locks the calling
// goroutine to its thread.
func (e *Engine) Attach(pid int) error {
	runtime.LockOSThread()
	if pid == os.Getpid() {
		return &TraceError{PID: pid, Op: "attach", Err: ErrSelf}
	}
	if e.tasks[pid] != nil {
		// Named twice, or a thread of a process attached already: it
		// is traced, as strace traces it once.
		return nil
	}
	if err := checkAttachable(pid); err != nil {
		return err
	}
	if err := e.colo.pinEngine(); err != nil {
		return err
	}
	// pid may name any thread of its process: all of them are traced.
	tgid := tgidOf(pid)
	// Threads may appear while we attach: list until no new one shows up.
	for round := 0; ; round++ {
		tids, err := procfs.Threads(pid)
		if err != nil {
			return &TraceError{PID: pid, Op: "attach", Err: classify(pid, err)}
		}
		added := 0
		for _, tid := range tids {
			if e.tasks[tid] != nil {
				continue
			}
			if err := seize(tid, e.options()); err != nil {
				if tid != pid && err == unix.ESRCH {
					continue // the thread exited meanwhile
				}
				e.undoAttach(tgid)
				return &TraceError{PID: pid, Op: "attach", Err: classify(tid, err), Hint: hint(err)}
			}
			e.colo.pinAttached(tid, tgid)
			t := e.addTask(tid, tgid)
			t.attached = true
			t.attachStop = true
			added++
			if err := interrupt(tid); err != nil && err != unix.ESRCH {
				e.undoAttach(tgid)
				return &TraceError{PID: pid, Op: "attach", Err: err}
			}
		}
		if added == 0 || round > 100 {
			return nil
		}
	}
}

// undoAttach detaches the threads of pid already seized.
func (e *Engine) undoAttach(pid int) {
	for tid, t := range e.tasks {
		if t.tgid == pid {
			e.colo.restore(tid, pid)
			_ = detach(tid, 0)
			delete(e.tasks, tid)
		}
	}
}

// checkAttachable explains why pid cannot be traced, before trying.
func checkAttachable(pid int) error {
	if err := CheckLiving(pid); err != nil {
		return err
	}
	if tracer := tracerPid(pid); tracer != 0 {
		return &TraceError{PID: pid, Op: "attach", Err: ErrTraced, Hint: "traced by process " + strconv.Itoa(tracer)}
	}
	return nil
}

// CheckLiving explains why pid cannot be traced by any engine: it does
// not exist, is a zombie, or is a kernel thread.
func CheckLiving(pid int) error {
	ok, zombie, kernel := procfs.State(pid)
	switch {
	case !ok:
		return &TraceError{PID: pid, Op: "attach", Err: ErrNoSuchProcess}
	case zombie:
		return &TraceError{PID: pid, Op: "attach", Err: ErrZombie}
	case kernel:
		return &TraceError{PID: pid, Op: "attach", Err: ErrKernelThread}
	}
	return nil
}

// tracerPid reads TracerPid from /proc/pid/status.
func tracerPid(pid int) int { return procfs.StatusField(pid, "TracerPid:") }

// tgidOf reads the thread group id of a task from /proc.
func tgidOf(tid int) int {
	if n := procfs.StatusField(tid, "Tgid:"); n != 0 {
		return n
	}
	return tid
}

// creatorOf names the task that created tid, for a task met before its
// creator's clone event: a thread's process, or a process's parent.
func creatorOf(tid int) int {
	if tgid := tgidOf(tid); tgid != tid {
		return tgid
	}
	return procfs.StatusField(tid, "PPid:")
}

// blockedIn returns the syscall a stopped task was in, from
// /proc/TID/syscall, or -1.
func blockedIn(tid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(tid) + "/syscall")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return -1
	}
	nr, err := strconv.Atoi(f[0])
	if err != nil {
		return -1
	}
	return nr
}

// classify maps a ptrace errno to the package's sentinel errors.
func classify(pid int, err error) error {
	switch err {
	case unix.ESRCH:
		return ErrNoSuchProcess
	case unix.EPERM:
		if tracerPid(pid) != 0 {
			return ErrTraced
		}
		return ErrPermission
	}
	return err
}

// hint explains a permission failure.
func hint(err error) string {
	if err != unix.EPERM {
		return ""
	}
	scope, _ := os.ReadFile("/proc/sys/kernel/yama/ptrace_scope")
	s := strings.TrimSpace(string(scope))
	switch {
	case s == "1" || s == "2":
		return "kernel.yama.ptrace_scope is " + s + "; run as root, give gtrace CAP_SYS_PTRACE, or set it to 0"
	case s == "3":
		return "kernel.yama.ptrace_scope is 3: ptrace is disabled until reboot"
	case os.Geteuid() != 0:
		return "tracing another user's process needs root or CAP_SYS_PTRACE"
	}
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }
