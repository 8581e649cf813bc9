package decode

import "github.com/gtrace/gtrace/pkg/event"

// customs holds the decoders of syscalls whose printed arguments do not
// follow their registers one to one.
var customs = map[string]*custom{
	"clone":             {entry: decodeClone, exit: cloneExit},
	"clone3":            {entry: decodeClone3, exit: clone3Exit},
	"futex":             {entry: decodeFutex},
	"futex_time64":      {entry: decodeFutex},
	"sendfile":          {entry: decodeSendfile, exit: sendfileExit},
	"rt_sigreturn":      {entry: decodeRtSigreturn},
	"restart_syscall":   {entry: decodeRestartSyscall},
	"ptrace":            {entry: decodePtrace, exit: ptraceExit},
	"name_to_handle_at": {entry: decodeNameToHandleAt, exit: nameToHandleAtExit},
}

// decodeSendfile prints sendfile's offset as strace does: [0] at entry
// and, when the call moved it, " => [7]" at exit.
func decodeSendfile(x *ctx) {
	x.push("out_fd", 0, x.fd(int64(int32(x.arg(0)))))
	x.push("in_fd", 1, x.fd(int64(int32(x.arg(1)))))
	off := x.int64Ptr(x.word(x.arg(2)))
	x.push("offset", 2, off)
	if off.Kind == event.VArray {
		x.pushOut("offset", 2, " => ")
	}
	x.push("count", 3, event.Uint(x.word(x.arg(3))))
}

func sendfileExit(x *ctx) {
	for i := range x.call.Args {
		if a := &x.call.Args[i]; a.Out && !x.failed() && x.ret() != 0 {
			a.Val = x.int64Ptr(x.word(a.Raw))
		}
	}
}

// decodeRtSigreturn shows the signal mask the return restores (x86_64
// frames only).
func decodeRtSigreturn(x *ctx) {
	if x.call.Arch == event.ArchX86_64 {
		x.push("mask", 0, x.sigreturnMask())
	}
}

// decodeRestartSyscall names the call the kernel restarts: the task's
// previous one.
func decodeRestartSyscall(x *ctx) {
	name := x.prev
	if name == "" {
		name = "system call"
	}
	x.push("", 0, event.Text("<... resuming interrupted "+name+" ...>"))
}
