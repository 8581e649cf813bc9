package ptrace

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// Raw ptrace requests. They never block, so they use RawSyscall and skip
// the scheduler's bookkeeping: a tracer makes millions of them.

func ptrace(req, pid int, addr, data uintptr) error {
	_, _, e := unix.RawSyscall6(unix.SYS_PTRACE, uintptr(req), uintptr(pid), addr, data, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// Options set on every tracee (PTRACE_SETOPTIONS values).
const (
	optSysGood   = unix.PTRACE_O_TRACESYSGOOD
	optFork      = unix.PTRACE_O_TRACEFORK
	optVfork     = unix.PTRACE_O_TRACEVFORK
	optClone     = unix.PTRACE_O_TRACECLONE
	optExec      = unix.PTRACE_O_TRACEEXEC
	optExit      = unix.PTRACE_O_TRACEEXIT
	optSeccomp   = unix.PTRACE_O_TRACESECCOMP
	optExitKill  = unix.PTRACE_O_EXITKILL
	eventStop    = unix.PTRACE_EVENT_STOP
	eventSeccomp = unix.PTRACE_EVENT_SECCOMP
)

// seize attaches to tid without stopping it (PTRACE_SEIZE, since 3.4).
func seize(tid int, opts uintptr) error { return ptrace(unix.PTRACE_SEIZE, tid, 0, opts) }

// interrupt stops a seized tracee (PTRACE_INTERRUPT).
func interrupt(tid int) error { return ptrace(unix.PTRACE_INTERRUPT, tid, 0, 0) }

// listen lets a tracee in group-stop wait for SIGCONT while still
// reporting events (PTRACE_LISTEN).
func listen(tid int) error { return ptrace(unix.PTRACE_LISTEN, tid, 0, 0) }

// resumeSyscall resumes until the next syscall entry or exit.
func resumeSyscall(tid, sig int) error { return ptrace(unix.PTRACE_SYSCALL, tid, 0, uintptr(sig)) }

// resumeCont resumes until the next signal or event (seccomp stops
// included).
func resumeCont(tid, sig int) error { return ptrace(unix.PTRACE_CONT, tid, 0, uintptr(sig)) }

// detach lets the tracee go, delivering sig.
func detach(tid, sig int) error { return ptrace(unix.PTRACE_DETACH, tid, 0, uintptr(sig)) }

// eventMsg reads PTRACE_GETEVENTMSG: the new pid after a fork event, the
// former tid after exec, the exit status after an exit event.
func eventMsg(tid int) (uint64, error) {
	var msg uint64
	err := ptrace(unix.PTRACE_GETEVENTMSG, tid, 0, uintptr(unsafe.Pointer(&msg)))
	return msg, err
}

// siginfoSize is sizeof(siginfo_t).
const siginfoSize = 128

// getSiginfo reads the siginfo of the signal a tracee stopped for.
func getSiginfo(tid int, buf *[siginfoSize]byte) error {
	return ptrace(unix.PTRACE_GETSIGINFO, tid, 0, uintptr(unsafe.Pointer(buf)))
}

// PTRACE_GET_SYSCALL_INFO (since Linux 5.3) and its result.
const (
	ptraceGetSyscallInfo = 0x420e

	syscallInfoNone    = 0
	syscallInfoEntry   = 1
	syscallInfoExit    = 2
	syscallInfoSeccomp = 3

	auditArchX86_64 = 0xc000003e
	auditArchI386   = 0x40000003
)

// syscallInfo is struct ptrace_syscall_info. The union holds the entry
// (nr, args), the exit (rval, is_error) or the seccomp stop (nr, args,
// ret_data), in that order of fields.
type syscallInfo struct {
	Op       uint8
	_        [3]uint8
	Arch     uint32
	IP       uint64
	SP       uint64
	NrOrRval uint64    // entry, seccomp: nr; exit: rval
	Args     [6]uint64 // entry, seccomp; exit: Args[0]&0xff is is_error
	RetData  uint32
	_        uint32
}

func getSyscallInfo(tid int, info *syscallInfo) error {
	return ptrace(ptraceGetSyscallInfo, tid, unsafe.Sizeof(*info), uintptr(unsafe.Pointer(info)))
}

// wait4 waits for any task traced by this thread, or any child of it, to
// change state. Children of the program's other threads are not ours
// (__WNOTHREAD): a program using the engine keeps them to itself.
func wait4(flags int) (int, unix.WaitStatus, error) {
	var ws unix.WaitStatus
	for {
		pid, err := unix.Wait4(-1, &ws, flags|unix.WALL|unix.WNOTHREAD, nil)
		if err == unix.EINTR {
			continue
		}
		return pid, ws, err
	}
}
