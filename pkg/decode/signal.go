package decode

import (
	"math/bits"
	"strconv"
	"strings"

	"github.com/gtrace/gtrace/pkg/event"
)

// SignalSyms names signal numbers as strace does (SIGINT, SIGRT_1).
var SignalSyms event.Symbols = signalSyms{}

type signalSyms struct{}

func (signalSyms) AppendSym(b []byte, v uint64, style event.XlatStyle) []byte {
	name := SignalName(int(v))
	if v == 0 || v > sigRTMax {
		return appendInt(b, int64(int32(v)))
	}
	switch style {
	case event.XlatRaw:
		return appendInt(b, int64(v))
	case event.XlatVerbose:
		b = appendInt(b, int64(v))
		return append(append(append(b, " /* "...), name...), " */"...)
	}
	return append(b, name...)
}

func (signalSyms) Names(v uint64) ([]string, uint64) {
	if v == 0 || v > sigRTMax {
		return nil, v
	}
	return []string{SignalName(int(v))}, 0
}

func appendInt(b []byte, v int64) []byte { return append(b, itoa(int(v))...) }

// SigprocmaskHow names rt_sigprocmask's how.
var SigprocmaskHow = &Enum{Unknown: "SIG_???", Syms: []Sym{{0, "SIG_BLOCK"}, {1, "SIG_UNBLOCK"}, {2, "SIG_SETMASK"}}}

// SaFlags are struct sigaction's sa_flags, in strace's order.
var SaFlags = &Flags{Bits: []Sym{
	{0x04000000, "SA_RESTORER"}, {0x08000000, "SA_ONSTACK"}, {0x10000000, "SA_RESTART"},
	{0x20000000, "SA_INTERRUPT"}, {0x40000000, "SA_NODEFER"}, {0x80000000, "SA_RESETHAND"},
	{4, "SA_SIGINFO"}, {1, "SA_NOCLDSTOP"}, {2, "SA_NOCLDWAIT"},
}}

// SigaltstackFlags are stack_t's ss_flags.
var SigaltstackFlags = &Flags{Bits: []Sym{{1, "SS_ONSTACK"}, {2, "SS_DISABLE"}, {0x80000000, "SS_AUTODISARM"}}}

// SignalfdFlags are signalfd4's flags.
var SignalfdFlags = &Flags{Bits: []Sym{{0x80000, "SFD_CLOEXEC"}, {0x800, "SFD_NONBLOCK"}}}

// Signal formats.
var (
	FmtSigno          = enumFmt(SignalSyms)
	FmtSigprocmaskHow = enumFmt(SigprocmaskHow)
	FmtSignalfdFlags  = flagsFmt(SignalfdFlags)
	// FmtSigset and FmtSigsetOut are a sigset_t the call reads or fills;
	// Aux is its size argument.
	FmtSigset    = inFmt("sigset", func(x *ctx, addr uint64) event.Value { return x.sigset(addr, x.word(x.auxArg())) })
	FmtSigsetOut = outFmt("sigset", func(x *ctx, addr uint64) event.Value { return x.sigset(addr, x.word(x.auxArg())) })
	// FmtSigaction and FmtSigactionOut are a struct sigaction the call
	// reads or fills (the old action).
	FmtSigaction    = inFmt("sigaction", (*ctx).sigaction)
	FmtSigactionOut = outFmt("sigaction", (*ctx).sigaction)
	FmtStack        = inFmt("stack_t", (*ctx).stack)
	FmtStackOut     = outFmt("stack_t", (*ctx).stack)
	// FmtSiginfo and FmtSiginfoOut are a siginfo_t the call reads or
	// fills.
	FmtSiginfo    = inFmt("siginfo", (*ctx).siginfo)
	FmtSiginfoOut = outFmt("siginfo", (*ctx).siginfo)
	// FmtRetSigno is a signal number returned (rt_sigtimedwait): 12
	// (SIGUSR2).
	FmtRetSigno = &Format{Name: "signal", Ret: func(x *ctx) (event.Value, event.Value) {
		if r := x.ret(); r > 0 && r <= sigRTMax {
			return event.Int(r), event.Text(SignalName(int(r)))
		}
		return event.Int(x.ret()), event.Value{}
	}}
)

// nsigBytes is the size of the kernel's sigset_t on x86.
const nsigBytes = 8

// sigset decodes the signal set of size bytes at addr; a size the kernel
// would refuse shows the address only, as in strace.
func (x *ctx) sigset(addr, size uint64) event.Value {
	if size < uint64(x.call.Arch.WordSize()) || size > nsigBytes {
		return event.Ptr(addr)
	}
	b, v, ok := x.fetch(addr, int(size))
	if !ok {
		return v
	}
	return sigsetVal(b)
}

// sigaction decodes the kernel's struct sigaction: handler, flags,
// restorer, mask (each a long, the mask 8 bytes).
func (x *ctx) sigaction(addr uint64) event.Value {
	ws := x.call.Arch.WordSize()
	b, v, ok := x.fetch(addr, 3*ws+nsigBytes)
	if !ok {
		return v
	}
	word := func(i int) uint64 { return b.word(i*ws, ws) }
	handler := event.Hex(word(0))
	switch word(0) {
	case 0:
		handler = styledVal("SIG_DFL", event.Hex(0))
	case 1:
		handler = styledVal("SIG_IGN", event.Hex(1))
	}
	flags := word(1)
	v = strct(
		event.Field("sa_handler", handler),
		event.Field("sa_mask", sigsetVal(b[3*ws:3*ws+nsigBytes])),
		event.Field("sa_flags", flagsVal(flags, SaFlags)))
	if flags&0x04000000 != 0 {
		v.Elems = append(v.Elems, event.Field("sa_restorer", event.Ptr(word(2))))
	}
	return v
}

// stack decodes a stack_t {ss_sp, ss_flags, ss_size}.
func (x *ctx) stack(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 24)
	if !ok {
		return v
	}
	return strct(
		event.Field("ss_sp", event.Ptr(b.u64(0))),
		event.Field("ss_flags", flagsVal(b.u32(8), SigaltstackFlags)),
		event.Field("ss_size", event.Uint(b.u64(16))))
}

// siginfo decodes a siginfo_t; strace prints {} for one without a
// signal number.
func (x *ctx) siginfo(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 128)
	if !ok {
		return v
	}
	if b.u32(0) == 0 {
		return strct()
	}
	return Siginfo(b, x.call.Arch)
}

// sigreturnMask is rt_sigreturn's argument as strace shows it: the mask
// the signal frame restores, {mask=[USR2]}. At entry the stack pointer
// points at the frame's struct ucontext, whose uc_sigmask follows
// uc_flags, uc_link, uc_stack and the 256-byte uc_mcontext.
func (x *ctx) sigreturnMask() event.Value {
	const ucSigmask = 8 + 8 + 24 + 256
	b, v, ok := x.fetch(x.call.SP+ucSigmask, nsigBytes)
	if !ok {
		return v
	}
	return strct(event.Field("mask", sigsetVal(b)))
}

// sigsetSyms renders a signal mask of nsig signals as strace does:
// [INT TERM], or ~[...] listing the signals not in the set when more
// than half are; -X raw shows numbers, -X verbose both.
type sigsetSyms struct{ nsig int }

// sigsetVal is the signal mask in mask (at most 8 bytes).
func sigsetVal(mask []byte) event.Value {
	var m uint64
	for i, c := range mask {
		m |= uint64(c) << (8 * i)
	}
	return event.Value{Kind: event.VFlags, N: m, Syms: sigsetSyms{8 * len(mask)}}
}

// AppendSym implements event.Symbols.
func (s sigsetSyms) AppendSym(b []byte, mask uint64, style event.XlatStyle) []byte {
	invert := bits.OnesCount64(mask) > s.nsig/2
	if invert {
		b = append(b, '~')
	}
	b = append(b, '[')
	first := true
	for sig := 1; sig <= s.nsig; sig++ {
		if (mask>>(sig-1)&1 == 1) == invert {
			continue
		}
		if !first {
			b = append(b, ' ')
		}
		first = false
		name := strings.TrimPrefix(SignalName(sig), "SIG")
		switch style {
		case event.XlatRaw:
			b = strconv.AppendInt(b, int64(sig), 10)
		case event.XlatVerbose:
			b = strconv.AppendInt(b, int64(sig), 10)
			b = append(append(append(b, " /* "...), name...), " */"...)
		default:
			b = append(b, name...)
		}
	}
	return append(b, ']')
}

// Names implements event.Symbols.
func (s sigsetSyms) Names(mask uint64) ([]string, uint64) {
	var names []string
	for sig := 1; sig <= s.nsig; sig++ {
		if mask>>(sig-1)&1 == 1 {
			names = append(names, SignalName(sig))
		}
	}
	return names, 0
}
