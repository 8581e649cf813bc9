package ptrace

import (
	"errors"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gtrace/gtrace/pkg/event"
)

// Errors from the Stop methods that change a task.
var (
	// ErrNotSyscallStop: the task is not stopped at a syscall's entry or
	// exit (a signal, a notice, or a call that will never return).
	ErrNotSyscallStop = errors.New("not stopped at a syscall")
	// ErrNotAtEntry: the change only makes sense before the kernel runs
	// the call.
	ErrNotAtEntry = errors.New("only possible at syscall entry")
)

// tamper is what handlers asked of a task's current syscall.
type tamper struct {
	// skipped: the call was replaced at entry by syscall via: -1, so
	// that the kernel does nothing, or one without side effects
	// (SetReturnVia); ret is then written as its result at exit.
	skipped bool
	via     int64
	ret     int64
	// wasSkipped: the call whose exit the task is stopped at was skipped.
	wasSkipped bool
	// signal is delivered as the task resumes from the current stop, as
	// strace's inject=...:signal= does (si_code SI_KERNEL).
	signal int
	// delay keeps the task stopped this long before it resumes.
	delay time.Duration
	// ended is set when the task died while Inject ran it.
	ended *unix.WaitStatus
}

// TID returns the stopped task's thread id.
func (s *Stop) TID() int { return s.t.tid }

// PID returns the stopped task's process (thread group) id.
func (s *Stop) PID() int { return s.t.tgid }

// atEntry reports whether the task is stopped at a syscall's entry.
func (s *Stop) atEntry() bool { return s.e.ev.Kind == event.KindSyscallEntry }

// atExit reports whether the task is stopped at a syscall's exit. The
// exit reported for a call that never returns (exit_group, a lost call)
// is not one: the task is elsewhere.
func (s *Stop) atExit() bool {
	return s.e.ev.Kind == event.KindSyscallExit && s.t.call.Phase == event.Returned
}

func (s *Stop) fail(op string, err error) error {
	if err == unix.ESRCH {
		err = ErrNoSuchProcess
	}
	return &TraceError{PID: s.t.tid, Op: op, Err: err}
}

// SetArg sets argument i (0 to 5) of the call the task is entering: the
// kernel runs the call with it, and the event's Call is decoded again.
func (s *Stop) SetArg(i int, v uint64) error {
	if !s.atEntry() {
		return s.fail("set argument", ErrNotAtEntry)
	}
	if i < 0 || i >= 6 {
		return s.fail("set argument", errors.New("argument "+strconv.Itoa(i)+" out of range 0-5"))
	}
	c := &s.t.call
	args := c.Raw
	args[i] = v
	nr := int64(c.Nr)
	if s.t.tamper.skipped {
		nr = s.t.tamper.via
	}
	if err := setEntry(s.t.tid, c.Arch, nr, &args); err != nil {
		return s.fail("set argument", err)
	}
	c.InjectedArgs = true
	s.e.cfg.Decoder.Entry(c, s.t.sc, &args, &s.t.mem, s.t.tgid)
	return nil
}

// SetReturn makes the call return ret (the raw value: -errno for a
// failure). At entry the kernel skips the call; at exit the result the
// kernel gave is replaced. Either way the Call is marked Injected.
func (s *Stop) SetReturn(ret int64) error { return s.SetReturnVia(noSyscall, ret) }

// SetReturnVia is SetReturn, the call skipped at entry by running
// syscall nr in its place, as strace's inject=...:syscall=NAME does: one
// without side effects (getpid), for a seccomp filter or audit rule that
// must see a real call. nr -1 runs none. At exit it is SetReturn.
func (s *Stop) SetReturnVia(nr int, ret int64) error {
	c := &s.t.call
	switch {
	case s.atEntry():
		args := c.Raw
		if err := setEntry(s.t.tid, c.Arch, int64(nr), &args); err != nil {
			return s.fail("set return", err)
		}
		s.t.tamper.skipped, s.t.tamper.via, s.t.tamper.ret = true, int64(nr), ret
		return nil
	case s.atExit():
		if err := setResult(s.t.tid, ret); err != nil {
			return s.fail("set return", err)
		}
		c.Injected = true
		s.e.cfg.Decoder.Exit(c, s.t.sc, ret, &s.t.mem, s.t.tgid)
		return nil
	}
	return s.fail("set return", ErrNotSyscallStop)
}

// Skipped reports whether the current call was skipped by SetReturn at
// entry.
func (s *Stop) Skipped() bool {
	if s.atEntry() {
		return s.t.tamper.skipped
	}
	return s.atExit() && s.t.tamper.wasSkipped
}

// WriteMemory writes p at addr in the task's memory, read-only pages
// included (as a debugger writes breakpoints). At a syscall stop the
// Call is decoded again, so the trace shows what the kernel sees.
func (s *Stop) WriteMemory(addr uint64, p []byte) (int, error) {
	n, err := s.t.mem.Write(addr, p)
	if err != nil || n < len(p) {
		// process_vm_writev honours page protections; /proc/PID/mem
		// writes the way ptrace does.
		n, err = writeProcMem(s.t.tid, addr, p)
	}
	if n > 0 {
		s.redecode()
	}
	if err != nil {
		return n, s.fail("write memory", err)
	}
	return n, nil
}

// redecode decodes the current call again after its arguments changed.
func (s *Stop) redecode() {
	c := &s.t.call
	switch {
	case s.atEntry():
		args := c.Raw
		s.e.cfg.Decoder.Entry(c, s.t.sc, &args, &s.t.mem, s.t.tgid)
	case s.atExit():
		s.e.cfg.Decoder.Exit(c, s.t.sc, c.Ret, &s.t.mem, s.t.tgid)
	default:
		return
	}
	c.InjectedArgs = true
}

func writeProcMem(tid int, addr uint64, p []byte) (int, error) {
	f, err := os.OpenFile("/proc/"+strconv.Itoa(tid)+"/mem", os.O_WRONLY, 0)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return f.WriteAt(p, int64(addr))
}

// Signal delivers sig to the task as it resumes from this stop. Given at
// a syscall's entry, the signal arrives once the call has run, as with
// strace's inject=...:signal=.
func (s *Stop) Signal(sig int) { s.t.tamper.signal = sig }

// Delay keeps the task stopped for d before it resumes from this stop;
// other tasks run on meanwhile. The Call is marked Delayed.
func (s *Stop) Delay(d time.Duration) {
	if d <= 0 {
		return
	}
	s.t.tamper.delay = d
	if s.atEntry() || s.atExit() {
		s.t.call.Delayed = true
	}
}

// Inject makes the task run syscall nr (of the current call's arch) with
// args, and returns its raw result (-errno for a failure). The task is
// left as it was: at entry, the original call runs afterwards as if
// nothing happened; at exit, its result is kept.
//
// It works as Tracy does: save the registers, load the injected call,
// run the task to that call's exit, then restore the registers with the
// instruction pointer moved back over the syscall instruction, so that
// the original call is made again. Signals that arrive meanwhile are set
// aside and sent again after (their siginfo is lost).
func (s *Stop) Inject(nr int, args ...uint64) (int64, error) {
	if len(args) > 6 {
		return 0, s.fail("inject", errors.New("more than 6 arguments"))
	}
	var a [6]uint64
	copy(a[:], args)
	entry := s.atEntry()
	if !entry && !s.atExit() {
		return 0, s.fail("inject", ErrNotSyscallStop)
	}
	var info syscallInfo
	if err := getSyscallInfo(s.t.tid, &info); err != nil {
		return 0, s.fail("inject", err)
	}
	var ret int64
	var err error
	var parked []int
	if entry {
		ret, parked, err = s.injectAtEntry(int64(nr), &a, info.Op == syscallInfoSeccomp)
	} else {
		ret, parked, err = s.injectAtExit(int64(nr), &a)
	}
	for _, sig := range parked {
		_ = unix.Tgkill(s.t.tgid, s.t.tid, unix.Signal(sig))
	}
	if err != nil {
		return 0, s.fail("inject", err)
	}
	return ret, nil
}

// injectAtEntry runs the injected call in place of the one the task is
// entering, then rewinds the task into the original call's entry.
func (s *Stop) injectAtEntry(nr int64, args *[6]uint64, seccomp bool) (int64, []int, error) {
	saved, err := s.loadCall(nr, args, false)
	if err != nil {
		return 0, nil, err
	}
	var parked []int
	ret, err := s.finishCall(&parked)
	if err != nil {
		return 0, parked, err
	}
	// Back over the syscall instruction, with the original number where
	// the instruction reads it.
	r := saved
	r.Rip -= syscallInsnLen
	r.Rax = saved.Orig_rax
	if err := setRegs(s.t.tid, &r); err != nil {
		return ret, parked, err
	}
	// A seccomp stop comes after the syscall-entry stop: resume without
	// syscall stops to meet the same kind of stop again.
	req, op := unix.PTRACE_SYSCALL, uint8(syscallInfoEntry)
	if seccomp {
		req, op = unix.PTRACE_CONT, syscallInfoSeccomp
	}
	return ret, parked, s.runTo(req, op, &parked)
}

// injectAtExit makes the task, which has just left a call, make the
// injected call and come back to where it was with the original result.
func (s *Stop) injectAtExit(nr int64, args *[6]uint64) (int64, []int, error) {
	saved, err := s.loadCall(nr, args, true)
	if err != nil {
		return 0, nil, err
	}
	var parked []int
	if err := s.runTo(unix.PTRACE_SYSCALL, syscallInfoEntry, &parked); err != nil {
		return 0, parked, err
	}
	ret, err := s.finishCall(&parked)
	if err != nil {
		return 0, parked, err
	}
	return ret, parked, setRegs(s.t.tid, &saved)
}

// loadCall saves the task's registers and loads the injected call into
// them. At an exit stop (rewind), the task is also sent back over its
// syscall instruction, with the number where the instruction reads it.
func (s *Stop) loadCall(nr int64, args *[6]uint64, rewind bool) (regs, error) {
	var saved regs
	if err := getRegs(s.t.tid, &saved); err != nil {
		return saved, err
	}
	r := saved
	setCall(&r, s.t.call.Arch, nr, args)
	if rewind {
		r.Rax = uint64(nr)
		r.Rip -= syscallInsnLen
	}
	return saved, setRegs(s.t.tid, &r)
}

// finishCall runs the task to the injected call's exit and returns its
// result.
func (s *Stop) finishCall(parked *[]int) (int64, error) {
	if err := s.runTo(unix.PTRACE_SYSCALL, syscallInfoExit, parked); err != nil {
		return 0, err
	}
	var r regs
	if err := getRegs(s.t.tid, &r); err != nil {
		return 0, err
	}
	return result(&r, s.t.call.Arch), nil
}

// runTo resumes the task with req until it reaches a syscall stop of
// kind op. Signals that stop it on the way are suppressed and added to
// parked; other ptrace events let it go on. Other tasks' reports stay
// queued for the engine.
func (s *Stop) runTo(req int, op uint8, parked *[]int) error {
	tid := s.t.tid
	for {
		if err := ptrace(req, tid, 0, 0); err != nil {
			return err
		}
		var ws unix.WaitStatus
		_, err := unix.Wait4(tid, &ws, unix.WALL, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		if ws.Exited() || ws.Signaled() {
			s.t.tamper.ended = &ws
			return ErrNoSuchProcess
		}
		if !ws.Stopped() {
			continue
		}
		stop, ev := ws.StopSignal(), int(ws)>>16
		switch {
		case stop == unix.SIGTRAP|0x80 || ev == eventSeccomp:
			var info syscallInfo
			if err := getSyscallInfo(tid, &info); err != nil {
				return err
			}
			if info.Op == op {
				return nil
			}
		case ev == 0:
			*parked = append(*parked, int(stop))
		}
	}
}

// result returns the return value of the call t stopped at the exit of:
// the kernel's, or the one SetReturn chose at entry, which is written
// into the task now.
func (e *Engine) result(t *task) int64 {
	ret := int64(e.info.NrOrRval)
	t.tamper.wasSkipped = t.tamper.skipped
	if !t.tamper.skipped {
		return ret
	}
	t.tamper.skipped = false
	if setResult(t.tid, t.tamper.ret) != nil {
		return ret
	}
	t.call.Injected = true
	return t.tamper.ret
}

// resumeCall resumes t after a syscall stop as its handlers asked: with
// a signal, or later.
func (e *Engine) resumeCall(t *task) {
	sig := t.tamper.signal
	if sig != 0 && t.inCall && t.atSeccomp {
		// The kernel ignores a signal given when resuming from a seccomp
		// stop; the exit stop delivers it, before the task returns to
		// user space all the same.
		sig = 0
	} else {
		t.tamper.signal = 0
	}
	if d := t.tamper.delay; d > 0 {
		t.tamper.delay = 0
		e.delay(t, d, sig)
		return
	}
	e.resume(t, sig)
}
