package ebpf

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"

	"github.com/gtrace/gtrace/pkg/tracer/internal/procfs"
	"github.com/gtrace/gtrace/pkg/tracer/ptrace"
)

// Command is a program to spawn.
type Command struct {
	Path string   // resolved path of the executable
	Argv []string // its argv, argv[0] included
	Env  []string // its environment; nil means gtrace's own
	Dir  string   // working directory; "" for gtrace's own
	// Files are the program's descriptors 0, 1 and 2; nil means gtrace's.
	Files []uintptr
}

// Spawn starts cmd traced. The thread that forks is marked in the
// kernel's set of traced tasks as a spawner: not traced itself, its
// child is traced from its first instruction, hidden until its execve.
// So the program's own execve is the first call reported, as with ptrace,
// without stopping anything.
func (e *Engine) Spawn(cmd Command) (int, error) {
	env := cmd.Env
	if env == nil {
		env = os.Environ()
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	self := unix.Gettid()
	if err := e.trace(self, os.Getpid(), taskSpawner); err != nil {
		return 0, fmt.Errorf("spawn %s: %w", cmd.Path, err)
	}
	files := cmd.Files
	if files == nil {
		files = []uintptr{0, 1, 2}
	}
	pid, err := syscall.ForkExec(cmd.Path, cmd.Argv, &syscall.ProcAttr{
		Dir:   cmd.Dir,
		Env:   env,
		Files: files,
	})
	_ = e.objs.Tasks.Delete(uint32(self))
	if err != nil {
		return 0, fmt.Errorf("spawn %s: %w", cmd.Path, err)
	}
	e.addTask(pid, pid)
	e.spawned = pid
	return pid, nil
}

// trace puts task tid of process tgid into the kernel's traced set.
func (e *Engine) trace(tid, tgid int, flags uint32) error {
	v := gtraceTaskVal{Tgid: uint32(tgid), Flags: flags}
	if err := e.objs.Tasks.Update(uint32(tid), v, ebpf.UpdateNoExist); err != nil && !errors.Is(err, ebpf.ErrKeyExist) {
		return fmt.Errorf("trace task %d: %w", tid, err)
	}
	return nil
}

// Attach traces every thread of the running process pid from now on,
// without stopping it: with -f, the tasks it creates as well.
func (e *Engine) Attach(pid int) error {
	if pid == os.Getpid() {
		return &ptrace.TraceError{PID: pid, Op: "attach", Err: ptrace.ErrSelf}
	}
	if err := ptrace.CheckLiving(pid); err != nil {
		return err
	}
	// Threads may appear while we add them: list until no new one does
	// (with -f the kernel side follows those its tasks create).
	for round := 0; ; round++ {
		tids, err := procfs.Threads(pid)
		if err != nil {
			return &ptrace.TraceError{PID: pid, Op: "attach", Err: ptrace.ErrNoSuchProcess}
		}
		added := 0
		for _, tid := range tids {
			if e.tasks[tid] != nil {
				continue
			}
			if err := e.trace(tid, pid, 0); err != nil {
				return &ptrace.TraceError{PID: pid, Op: "attach", Err: err}
			}
			e.addTask(tid, pid)
			added++
		}
		if added == 0 || round > 100 {
			return nil
		}
	}
}

// reapVanished ends the tasks that no longer run although their exit
// record never came (it was lost): a task that is gone, or a zombie,
// is reported with the exit code /proc still shows, if any.
func (e *Engine) reapVanished() {
	e.reaped = time.Now()
	for _, t := range e.tasks {
		path := "/proc/" + strconv.Itoa(t.tgid) + "/task/" + strconv.Itoa(t.tid) + "/stat"
		fields, ok := procfs.StatFields(path)
		if ok && len(fields) > 0 && fields[0] != "Z" && fields[0] != "X" {
			continue
		}
		code := int32(0)
		if len(fields) > 49 { // exit_code, field 52, since Linux 3.5
			n, _ := strconv.Atoi(fields[49])
			code = int32(n)
		}
		_ = e.objs.Tasks.Delete(uint32(t.tid))
		e.ended(t, code, time.Now())
	}
}
