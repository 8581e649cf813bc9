package decode

import (
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
	{4, "SA_SIGINFO"}, {2, "SA_NOCLDWAIT"}, {1, "SA_NOCLDSTOP"},
	{0x400, "SA_UNSUPPORTED"}, {0x800, "SA_EXPOSE_TAGBITS"},
}}

// Signal formats.
var (
	FmtSigno = &Format{Name: "signal", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VEnum, N: uint64(uint32(x.arg(i))), Syms: SignalSyms}
	}}
	FmtSigprocmaskHow = &Format{Name: "enum", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VEnum, N: uint64(uint32(x.arg(i))), Syms: SigprocmaskHow}
	}}
	// FmtSigset is a sigset_t the call reads; Aux is its size argument.
	FmtSigset = &Format{Name: "sigset", Decode: func(x *ctx, i int) event.Value {
		return x.sigset(x.word(x.arg(i)), x.word(x.arg(int(x.sc.Args[i].Aux))))
	}}
	// FmtSigsetOut is a sigset_t the call fills.
	FmtSigsetOut = &Format{Name: "sigset", Out: true, Decode: func(x *ctx, i int) event.Value {
		addr := x.word(x.arg(i))
		if x.failed() {
			return event.Ptr(addr)
		}
		return x.sigset(addr, x.word(x.arg(int(x.sc.Args[i].Aux))))
	}}
	// FmtSigaction is a struct sigaction the call reads.
	FmtSigaction = &Format{Name: "sigaction", Decode: func(x *ctx, i int) event.Value {
		return x.sigaction(x.word(x.arg(i)))
	}}
	// FmtSigactionOut is the old struct sigaction the call fills.
	FmtSigactionOut = &Format{Name: "sigaction", Out: true, Decode: func(x *ctx, i int) event.Value {
		addr := x.word(x.arg(i))
		if x.failed() {
			return event.Ptr(addr)
		}
		return x.sigaction(addr)
	}}
)

// sigset decodes the signal set of size bytes at addr.
func (x *ctx) sigset(addr, size uint64) event.Value {
	if addr == 0 {
		return event.Ptr(0)
	}
	if size == 0 || size > 128 {
		return event.Hex(addr)
	}
	raw, ok := x.readFull(addr, int(size))
	if !ok {
		return event.Fault(addr)
	}
	return event.Text(string(appendSigset(nil, raw)))
}

// appendSigset renders a signal mask as strace does: [INT TERM], or ~[...]
// listing the signals not in the set when more than half are.
func appendSigset(b []byte, mask []byte) []byte {
	nsig := len(mask) * 8
	set := 0
	for _, c := range mask {
		for ; c != 0; c &= c - 1 {
			set++
		}
	}
	invert := set > nsig/2
	if invert {
		b = append(b, '~')
	}
	b = append(b, '[')
	first := true
	for sig := 1; sig <= nsig; sig++ {
		bit := mask[(sig-1)/8]>>((sig-1)%8)&1 == 1
		if bit == invert {
			continue
		}
		if !first {
			b = append(b, ' ')
		}
		first = false
		name := SignalName(sig)
		if len(name) > 3 && name[:3] == "SIG" {
			name = name[3:]
		}
		b = append(b, name...)
	}
	return append(b, ']')
}

// sigaction decodes the kernel's struct sigaction: handler, flags,
// restorer, mask (each a long, the mask 8 bytes).
func (x *ctx) sigaction(addr uint64) event.Value {
	if addr == 0 {
		return event.Ptr(0)
	}
	ws := x.call.Arch.WordSize()
	raw, ok := x.readFull(addr, 3*ws+8)
	if !ok {
		return event.Fault(addr)
	}
	b := le(raw)
	return sigactionValue(b.word(0, ws), b.word(1, ws), b.word(2, ws), raw[3*ws:3*ws+8])
}

// sigactionValue renders a struct sigaction's fields as strace does:
// the restorer only when SA_RESTORER says there is one.
func sigactionValue(handler, flags, restorer uint64, mask []byte) event.Value {
	h := event.Hex(handler)
	switch handler {
	case 0:
		h = event.Text("SIG_DFL")
	case 1:
		h = event.Text("SIG_IGN")
	}
	v := event.Value{Kind: event.VStruct, Elems: []event.Value{
		event.Field("sa_handler", h),
		event.Field("sa_mask", event.Text(string(appendSigset(nil, mask)))),
		event.Field("sa_flags", event.Value{Kind: event.VFlags, N: flags, Syms: SaFlags}),
	}}
	if flags&0x04000000 != 0 {
		v.Elems = append(v.Elems, event.Field("sa_restorer", event.Hex(restorer)))
	}
	return v
}
