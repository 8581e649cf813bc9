package decode

import "github.com/gtrace/gtrace/pkg/event"

// PtraceRequests name ptrace's requests.
var PtraceRequests = &Enum{Unknown: "PTRACE_???", Syms: []Sym{
	{0, "PTRACE_TRACEME"}, {1, "PTRACE_PEEKTEXT"}, {2, "PTRACE_PEEKDATA"}, {3, "PTRACE_PEEKUSER"},
	{4, "PTRACE_POKETEXT"}, {5, "PTRACE_POKEDATA"}, {6, "PTRACE_POKEUSER"}, {7, "PTRACE_CONT"},
	{8, "PTRACE_KILL"}, {9, "PTRACE_SINGLESTEP"}, {0x10, "PTRACE_ATTACH"}, {0x11, "PTRACE_DETACH"},
	{0x18, "PTRACE_SYSCALL"}, {0x4200, "PTRACE_SETOPTIONS"}, {0x4201, "PTRACE_GETEVENTMSG"},
	{0x4202, "PTRACE_GETSIGINFO"}, {0x4203, "PTRACE_SETSIGINFO"}, {0x4204, "PTRACE_GETREGSET"},
	{0x4205, "PTRACE_SETREGSET"}, {0x4206, "PTRACE_SEIZE"}, {0x4207, "PTRACE_INTERRUPT"},
	{0x4208, "PTRACE_LISTEN"}, {0x4209, "PTRACE_PEEKSIGINFO"}, {0x420a, "PTRACE_GETSIGMASK"},
	{0x420b, "PTRACE_SETSIGMASK"}, {0x420c, "PTRACE_SECCOMP_GET_FILTER"},
	{0x420d, "PTRACE_SECCOMP_GET_METADATA"}, {0x420e, "PTRACE_GET_SYSCALL_INFO"},
	{0x420f, "PTRACE_GET_RSEQ_CONFIGURATION"}, {0xc, "PTRACE_GETREGS"}, {0xd, "PTRACE_SETREGS"},
	{0xe, "PTRACE_GETFPREGS"}, {0xf, "PTRACE_SETFPREGS"}, {0x12, "PTRACE_GETFPXREGS"},
	{0x13, "PTRACE_SETFPXREGS"}, {0x15, "PTRACE_OLDSETOPTIONS"}, {0x19, "PTRACE_GET_THREAD_AREA"},
	{0x1a, "PTRACE_SET_THREAD_AREA"}, {0x1f, "PTRACE_SYSEMU"}, {0x20, "PTRACE_SYSEMU_SINGLESTEP"},
	{0x21, "PTRACE_SINGLEBLOCK"}, {0x1e, "PTRACE_ARCH_PRCTL"},
}}

// PtraceOptions are PTRACE_SETOPTIONS' and PTRACE_SEIZE's options.
var PtraceOptions = &Flags{Bits: []Sym{
	{1, "PTRACE_O_TRACESYSGOOD"}, {2, "PTRACE_O_TRACEFORK"}, {4, "PTRACE_O_TRACEVFORK"},
	{8, "PTRACE_O_TRACECLONE"}, {0x10, "PTRACE_O_TRACEEXEC"}, {0x20, "PTRACE_O_TRACEVFORKDONE"},
	{0x40, "PTRACE_O_TRACEEXIT"}, {0x80, "PTRACE_O_TRACESECCOMP"}, {0x100000, "PTRACE_O_EXITKILL"},
	{0x200000, "PTRACE_O_SUSPEND_SECCOMP"},
}}

// NoteTypes name PTRACE_GETREGSET's register sets (the x86 ones).
var NoteTypes = &Enum{Unknown: "NT_???", Syms: []Sym{
	{1, "NT_PRSTATUS"}, {2, "NT_FPREGSET"}, {3, "NT_PRPSINFO"}, {4, "NT_PRXREG"}, {5, "NT_PLATFORM"},
	{6, "NT_AUXV"}, {0x200, "NT_386_TLS"}, {0x201, "NT_386_IOPERM"}, {0x202, "NT_X86_XSTATE"},
}}

// ptrace requests decoded specially.
const (
	ptTraceme      = 0
	ptPeektext     = 1
	ptPeekdata     = 2
	ptPeekuser     = 3
	ptCont         = 7
	ptKill         = 8
	ptSinglestep   = 9
	ptAttach       = 0x10
	ptDetach       = 0x11
	ptSyscall      = 0x18
	ptSetoptions   = 0x4200
	ptGeteventmsg  = 0x4201
	ptGetsiginfo   = 0x4202
	ptSetsiginfo   = 0x4203
	ptGetregset    = 0x4204
	ptSetregset    = 0x4205
	ptSeize        = 0x4206
	ptInterrupt    = 0x4207
	ptListen       = 0x4208
	ptGetsigmask   = 0x420a
	ptSetsigmask   = 0x420b
	ptSysemu       = 0x1f
	ptSysemuStep   = 0x20
	ptSingleblock  = 0x21
	ptOldSetoption = 0x15
)

// decodePtrace prints ptrace's arguments as the request uses them; what
// the request fetches from the tracee (PTRACE_PEEKDATA's word, say) is
// shown at exit.
func decodePtrace(x *ctx) {
	req := x.word(x.arg(0))
	addr, data := x.word(x.arg(2)), x.word(x.arg(3))
	x.push("request", 0, enumVal(req, PtraceRequests))
	if req == ptTraceme {
		return
	}
	x.push("pid", 1, event.Int(int64(int32(x.arg(1)))))
	switch req {
	case ptAttach, ptInterrupt, ptKill, ptListen:
		return
	case ptGetregset, ptSetregset:
		x.push("addr", 2, enumVal(addr, NoteTypes))
	case ptGetsigmask, ptSetsigmask:
		x.push("addr", 2, event.Uint(addr))
	default:
		x.push("addr", 2, event.Ptr(addr))
	}
	switch req {
	case ptCont, ptDetach, ptSyscall, ptSinglestep, ptSingleblock, ptSysemu, ptSysemuStep:
		x.push("data", 3, enumVal(data, SignalSyms))
	case ptSeize, ptSetoptions, ptOldSetoption:
		x.push("data", 3, flagsVal(data, PtraceOptions))
	case ptSetsiginfo:
		x.push("data", 3, x.siginfo(data))
	case ptSetsigmask:
		x.push("data", 3, x.sigset(data, addr))
	case ptSetregset:
		x.push("data", 3, x.iovecAddrs(data))
	case ptPeektext, ptPeekdata, ptPeekuser, ptGeteventmsg, ptGetregset, ptGetsiginfo, ptGetsigmask:
		x.pushOut("data", 3, "")
	default:
		x.push("data", 3, event.Ptr(data))
	}
}

// ptraceExit shows what the request fetched.
func ptraceExit(x *ctx) {
	n := len(x.call.Args)
	if n == 0 || !x.call.Args[n-1].Out {
		return
	}
	addr, data := x.word(x.arg(2)), x.word(x.arg(3))
	var r structReader
	switch x.word(x.arg(0)) {
	case ptPeektext, ptPeekdata, ptPeekuser:
		r = (*ctx).kptrPtr
	case ptGeteventmsg:
		r = (*ctx).ulongPtr
	case ptGetregset:
		r = (*ctx).iovecAddrs
	case ptGetsiginfo:
		r = (*ctx).siginfo
	case ptGetsigmask:
		r = func(x *ctx, data uint64) event.Value { return x.sigset(data, addr) }
	}
	x.call.Args[n-1].Val = x.out(data, r)
}

// iovecAddrs decodes one struct iovec showing its buffer's address only.
func (x *ctx) iovecAddrs(addr uint64) event.Value {
	return x.iovecWith(addr, 1, func(base, _ uint64) event.Value { return event.Ptr(base) })
}
