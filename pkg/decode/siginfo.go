package decode

import (
	"github.com/gtrace/gtrace/pkg/event"
)

// siginfo si_code values.
const (
	siUser   = 0
	siKernel = 0x80
	siQueue  = -1
	siTimer  = -2
	siMesgq  = -3
	siTkill  = -6
)

var siCodes = &Enum{Syms: []Sym{
	{0, "SI_USER"}, {0x80, "SI_KERNEL"}, {u32(-1), "SI_QUEUE"}, {u32(-2), "SI_TIMER"},
	{u32(-3), "SI_MESGQ"}, {u32(-4), "SI_ASYNCIO"}, {u32(-5), "SI_SIGIO"}, {u32(-6), "SI_TKILL"},
	{u32(-7), "SI_DETHREAD"}, {u32(-60), "SI_ASYNCNL"},
}}

func u32(v int32) uint64 { return uint64(uint32(v)) }

// Per-signal si_code names, for codes above zero.
var sigCodes = map[int][]Sym{
	17: {{1, "CLD_EXITED"}, {2, "CLD_KILLED"}, {3, "CLD_DUMPED"}, {4, "CLD_TRAPPED"}, {5, "CLD_STOPPED"}, {6, "CLD_CONTINUED"}},
	11: {{1, "SEGV_MAPERR"}, {2, "SEGV_ACCERR"}, {3, "SEGV_BNDERR"}, {4, "SEGV_PKUERR"}, {5, "SEGV_ACCADI"}, {6, "SEGV_ADIDERR"}, {7, "SEGV_ADIPERR"}, {8, "SEGV_MTEAERR"}, {9, "SEGV_MTESERR"}, {10, "SEGV_CPERR"}},
	4:  {{1, "ILL_ILLOPC"}, {2, "ILL_ILLOPN"}, {3, "ILL_ILLADR"}, {4, "ILL_ILLTRP"}, {5, "ILL_PRVOPC"}, {6, "ILL_PRVREG"}, {7, "ILL_COPROC"}, {8, "ILL_BADSTK"}, {9, "ILL_BADIADDR"}},
	8:  {{1, "FPE_INTDIV"}, {2, "FPE_INTOVF"}, {3, "FPE_FLTDIV"}, {4, "FPE_FLTOVF"}, {5, "FPE_FLTUND"}, {6, "FPE_FLTRES"}, {7, "FPE_FLTINV"}, {8, "FPE_FLTSUB"}, {14, "FPE_FLTUNK"}, {15, "FPE_CONDTRAP"}},
	7:  {{1, "BUS_ADRALN"}, {2, "BUS_ADRERR"}, {3, "BUS_OBJERR"}, {4, "BUS_MCEERR_AR"}, {5, "BUS_MCEERR_AO"}},
	5:  {{1, "TRAP_BRKPT"}, {2, "TRAP_TRACE"}, {3, "TRAP_BRANCH"}, {4, "TRAP_HWBKPT"}, {5, "TRAP_UNK"}, {6, "TRAP_PERF"}},
	29: {{1, "POLL_IN"}, {2, "POLL_OUT"}, {3, "POLL_MSG"}, {4, "POLL_ERR"}, {5, "POLL_PRI"}, {6, "POLL_HUP"}},
	31: {{1, "SYS_SECCOMP"}, {2, "SYS_USER_DISPATCH"}},
}

// Siginfo decodes a siginfo_t as strace prints it after a signal:
// {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=42, ...}.
func Siginfo(raw []byte, arch event.Arch) event.Value {
	if len(raw) < 48 {
		return event.Value{Kind: event.VStruct, Trunc: true}
	}
	b := le(raw)
	signo := int(b.s32(0))
	code := int32(b.s32(8))
	ws := arch.WordSize()
	// The union starts after si_signo, si_errno, si_code (and padding on
	// 64-bit).
	u := 16
	if ws == 4 {
		u = 12
	}
	word := func(off int) uint64 { return b.word(off, ws) }
	f := []event.Value{event.Field("si_signo", event.Value{Kind: event.VEnum, N: uint64(signo), Syms: SignalSyms})}
	if errno := b.s32(4); errno != 0 {
		f = append(f, event.Field("si_errno", event.Text(ErrnoName(int(errno)))))
	}
	f = append(f, event.Field("si_code", siCode(signo, code)))
	pidUID := func() {
		f = append(f, event.Field("si_pid", event.Int(b.s32(u))), event.Field("si_uid", event.Uint(b.u32(u+4))))
	}
	sigval := func(off int) {
		f = append(f, event.Field("si_int", event.Int(b.s32(off))), event.Field("si_ptr", event.Hex(word(off))))
	}
	switch {
	case code == siUser || code == siTkill:
		pidUID()
	case code == siQueue || code == siMesgq:
		pidUID()
		sigval(u + 8)
	case code == siTimer:
		f = append(f, event.Field("si_timerid", event.Hex(b.u32(u))), event.Field("si_overrun", event.Int(b.s32(u+4))))
		sigval(u + 8)
	case code == siKernel && signo != 11 && signo != 7:
	case code <= 0:
	default:
		switch signo {
		case 17: // SIGCHLD
			pidUID()
			// Only an exit reports a status; the other codes report
			// the signal that stopped, killed or continued the child.
			status := event.Int(b.s32(u + 8))
			if code != 1 {
				status = enumVal(uint64(uint32(b.s32(u+8))), SignalSyms)
			}
			clock := u + 8 + ws
			if ws == 8 {
				clock = u + 16
			}
			f = append(f, event.Field("si_status", status),
				event.Field("si_utime", clockT(word(clock))),
				event.Field("si_stime", clockT(word(clock+ws))))
		case 11, 7, 4, 8, 5: // SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP
			f = append(f, event.Field("si_addr", event.Ptr(word(u))))
		case 29: // SIGIO
			f = append(f, event.Field("si_band", event.Int(int64(word(u)))), event.Field("si_fd", event.Int(b.s32(u+ws))))
		case 31: // SIGSYS
			f = append(f, event.Field("si_call_addr", event.Ptr(word(u))),
				event.Field("si_syscall", event.Int(b.s32(u+ws))),
				event.Field("si_arch", event.Hex(b.u32(u+ws+4))))
		}
	}
	if code == siKernel && (signo == 11 || signo == 7) {
		f = append(f, event.Field("si_addr", event.Ptr(word(u))))
	}
	return event.Value{Kind: event.VStruct, Elems: f}
}

func siCode(signo int, code int32) event.Value {
	raw := event.Hex(uint64(uint32(code)))
	if code > 0 && code != siKernel {
		if syms, ok := sigCodes[signo]; ok {
			if name := symName(syms, uint64(code)); name != "" {
				return styledVal(name, raw)
			}
		}
		return event.Int(int64(code))
	}
	if name := siCodes.Name(uint64(uint32(code))); name != "" {
		return styledVal(name, raw)
	}
	return event.Int(int64(code))
}
