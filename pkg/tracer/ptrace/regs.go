package ptrace

import (
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/gtrace/gtrace/pkg/event"
)

// Changing a stopped syscall. The kernel offers two ways:
// PTRACE_SET_SYSCALL_INFO (since Linux 6.16) changes the number, the
// arguments or the return value of the call a task is stopped in, for any
// arch, and is preferred; PTRACE_GETREGS / PTRACE_SETREGS rewrite the
// whole x86_64 register file and are the fallback on older kernels, and
// the only way to move the instruction pointer (which Inject needs).

// ptraceSetSyscallInfo is PTRACE_SET_SYSCALL_INFO.
const ptraceSetSyscallInfo = 0x4212

// setInfoUnsupported records that PTRACE_SET_SYSCALL_INFO does not
// work here: it is tried until the kernel answers EIO (unknown request).
var setInfoUnsupported atomic.Bool

func setSyscallInfo(tid int, info *syscallInfo) error {
	return ptrace(ptraceSetSyscallInfo, tid, unsafe.Sizeof(*info), uintptr(unsafe.Pointer(info)))
}

// noSyscall is the syscall number that makes the kernel skip the call:
// the task returns whatever the tracer puts in the return register.
const noSyscall = -1

// setEntry replaces the number and arguments of the call tid is entering
// (at a syscall-entry or seccomp stop).
func setEntry(tid int, arch event.Arch, nr int64, args *[6]uint64) error {
	var info syscallInfo
	if !setInfoUnsupported.Load() {
		if err := getSyscallInfo(tid, &info); err != nil {
			return err
		}
		info.NrOrRval = uint64(nr)
		info.Args = *args
	}
	return change(tid, &info, func(r *regs) { setCall(r, arch, nr, args) })
}

// setResult replaces the return value of the call tid is leaving (at a
// syscall-exit stop). ret is the raw value: -errno for a failure.
func setResult(tid int, ret int64) error {
	info := syscallInfo{Op: syscallInfoExit, NrOrRval: uint64(ret)}
	if ret < 0 && ret >= -maxErrno {
		info.Args[0] = 1 // is_error
	}
	return change(tid, &info, func(r *regs) { r.Rax = uint64(ret) })
}

// change sets info with PTRACE_SET_SYSCALL_INFO, or where the kernel
// lacks it, edits the registers with edit.
func change(tid int, info *syscallInfo, edit func(r *regs)) error {
	if !setInfoUnsupported.Load() {
		err := setSyscallInfo(tid, info)
		if err != unix.EIO {
			return err
		}
		setInfoUnsupported.Store(true)
	}
	var r regs
	if err := getRegs(tid, &r); err != nil {
		return err
	}
	edit(&r)
	return setRegs(tid, &r)
}

// maxErrno is the largest errno the kernel returns as -errno.
const maxErrno = 4095

// regs is struct user_regs_struct of x86_64. A 64-bit tracer sees a
// compat (i386) task through the same struct: the 32-bit registers are
// zero-extended into their 64-bit namesakes.
type regs = unix.PtraceRegs

func getRegs(tid int, r *regs) error {
	return ptrace(unix.PTRACE_GETREGS, tid, 0, uintptr(unsafe.Pointer(r)))
}

func setRegs(tid int, r *regs) error {
	return ptrace(unix.PTRACE_SETREGS, tid, 0, uintptr(unsafe.Pointer(r)))
}

// syscallInsnLen is the length of the instruction that made the call:
// `syscall` (0f 05) and `int $0x80` (cd 80) are both two bytes, and the
// vDSO's sysenter path returns just after an `int $0x80`, which is how
// the kernel itself restarts calls.
const syscallInsnLen = 2

// setCall loads a syscall into the registers as it is at entry: the
// number in orig_rax, the arguments in arch's argument registers.
func setCall(r *regs, arch event.Arch, nr int64, args *[6]uint64) {
	r.Orig_rax = uint64(nr)
	if nr == noSyscall {
		return
	}
	if arch == event.ArchI386 {
		r.Rbx, r.Rcx, r.Rdx, r.Rsi, r.Rdi, r.Rbp = args[0], args[1], args[2], args[3], args[4], args[5]
		return
	}
	r.Rdi, r.Rsi, r.Rdx, r.R10, r.R8, r.R9 = args[0], args[1], args[2], args[3], args[4], args[5]
}

// result reads the return value register as arch's long.
func result(r *regs, arch event.Arch) int64 {
	if arch == event.ArchI386 {
		return int64(int32(r.Rax))
	}
	return int64(r.Rax)
}
