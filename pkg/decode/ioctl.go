package decode

import (
	"sort"

	"github.com/gtrace/gtrace/pkg/event"
)

// ioctl request numbers: _IOC(dir, type, nr, size).
const (
	iocNRBits    = 8
	iocTypeBits  = 8
	iocSizeBits  = 14
	iocTypeShift = iocNRBits
	iocSizeShift = iocTypeShift + iocTypeBits
	iocDirShift  = iocSizeShift + iocSizeBits
)

func iocType(req uint32) uint32 { return req >> iocTypeShift & 0xff }
func iocNR(req uint32) uint32   { return req & 0xff }
func iocSize(req uint32) uint32 { return req >> iocSizeShift & (1<<iocSizeBits - 1) }
func iocDir(req uint32) uint32  { return req >> iocDirShift }

// IoctlDirs names an ioctl number's direction bits.
var IoctlDirs = &Flags{Zero: "_IOC_NONE", Bits: []Sym{{2, "_IOC_READ"}, {1, "_IOC_WRITE"}}}

// ioctlRequest renders an ioctl request number: its names ("SNDCTL_TMR_START
// or TCSETS" when several share it) or, unnamed, _IOC(_IOC_READ, 0x78, 0x3,
// 0x4).
type ioctlRequest struct{ table []Sym }

// ioctlRequestDef is one named request and its number on each arch.
type ioctlRequestDef struct {
	name   string
	x86_64 uint32
	i386   uint32
}

// ioctlsX86_64 and ioctlsI386 are ioctlRequests sorted by number, then
// name: the order in which strace lists the names a number has.
var ioctlsX86_64, ioctlsI386 = sortedIoctls(func(d ioctlRequestDef) uint32 { return d.x86_64 }),
	sortedIoctls(func(d ioctlRequestDef) uint32 { return d.i386 })

func sortedIoctls(nr func(ioctlRequestDef) uint32) []Sym {
	t := make([]Sym, len(ioctlRequests))
	for i, d := range ioctlRequests {
		t[i] = Sym{uint64(nr(d)), d.name}
	}
	sort.Slice(t, func(i, j int) bool {
		if t[i].Val != t[j].Val {
			return t[i].Val < t[j].Val
		}
		return t[i].Name < t[j].Name
	})
	return t
}

func ioctlTable(arch event.Arch) []Sym {
	if arch == event.ArchI386 {
		return ioctlsI386
	}
	return ioctlsX86_64
}

func (r ioctlRequest) AppendSym(b []byte, v uint64, style event.XlatStyle) []byte {
	req := uint32(v)
	if style != event.XlatAbbrev {
		b = event.AppendHex(b, uint64(req))
	}
	if style == event.XlatRaw {
		return b
	}
	if style == event.XlatVerbose {
		b = append(b, " /* "...)
	}
	names := r.names(req)
	for i, name := range names {
		if i > 0 {
			b = append(b, " or "...)
		}
		b = append(b, name...)
	}
	if len(names) == 0 {
		b = append(b, "_IOC("...)
		b = IoctlDirs.AppendSym(b, uint64(iocDir(req)), event.XlatAbbrev)
		for _, f := range []uint32{iocType(req), iocNR(req), iocSize(req)} {
			b = append(b, ", "...)
			b = event.AppendHex(b, uint64(f))
		}
		b = append(b, ')')
	}
	if style == event.XlatVerbose {
		b = append(b, " */"...)
	}
	return b
}

func (r ioctlRequest) Names(v uint64) ([]string, uint64) {
	if names := r.names(uint32(v)); len(names) > 0 {
		return names, 0
	}
	return nil, v
}

// names returns every name of req, in the table's order.
func (r ioctlRequest) names(req uint32) []string {
	i := sort.Search(len(r.table), func(i int) bool { return r.table[i].Val >= uint64(req) })
	var out []string
	for ; i < len(r.table) && r.table[i].Val == uint64(req); i++ {
		out = append(out, r.table[i].Name)
	}
	return out
}

// ioctlArg says how strace shows an ioctl's argument.
type ioctlArg uint8

const (
	argHex      ioctlArg = iota // the register in hex: the default
	argNone                     // not shown
	argInt                      // the register as an int (TCSBRK)
	argIntPtr                   // an int it points to: [1]
	argTermios                  // struct termios
	argTermios2                 // struct termios2
	argTermio                   // struct termio
	argWinsize                  // struct winsize
	argModem                    // modem bits it points to: [TIOCM_DTR]
	argTCXONC                   // TCXONC's action
	argTCFLSH                   // TCFLSH's queue
	argChar                     // one character it points to (TIOCSTI)
	argAddr                     // the register as an address: NULL or hex
)

var termLayouts = map[ioctlArg]termLayout{argTermios: termiosLayout, argTermios2: termios2Layout, argTermio: termioLayout}

// ioctlSpec is how one request's argument shows, and whether the kernel
// fills it (shown at exit).
type ioctlSpec struct {
	arg ioctlArg
	out bool
}

// termIoctls are the terminal requests strace decodes (term.c); the 'T'
// ones are the same numbers on i386 and x86_64.
var termIoctls = map[uint32]ioctlSpec{
	0x5401: {argTermios, true}, 0x5402: {argTermios, false}, 0x5403: {argTermios, false},
	0x5404: {argTermios, false}, 0x5456: {argTermios, true}, 0x5457: {argTermios, false},
	0x802c542a: {argTermios2, true}, 0x402c542b: {argTermios2, false},
	0x402c542c: {argTermios2, false}, 0x402c542d: {argTermios2, false},
	0x5405: {argTermio, true}, 0x5406: {argTermio, false}, 0x5407: {argTermio, false},
	0x5408: {argTermio, false},
	0x5413: {argWinsize, true}, 0x5414: {argWinsize, false},
	0x540a: {argTCXONC, false}, 0x540b: {argTCFLSH, false},
	0x5409: {argInt, false}, 0x5425: {argInt, false}, 0x540e: {argInt, false},
	0x5415: {argModem, true}, 0x5416: {argModem, false}, 0x5417: {argModem, false},
	0x5418: {argModem, false},
	// TIOCGPGRP, TIOCGSID, TIOCGETD, TIOCGSOFTCAR, TIOCGPTN, FIONREAD,
	// TIOCOUTQ, TIOCGEXCL, TIOCGDEV
	0x540f: {argIntPtr, true}, 0x5429: {argIntPtr, true}, 0x5424: {argIntPtr, true},
	0x5419: {argIntPtr, true}, 0x80045430: {argIntPtr, true}, 0x541b: {argIntPtr, true},
	0x5411: {argIntPtr, true}, 0x80045440: {argIntPtr, true}, 0x80045432: {argIntPtr, true},
	// TIOCSPGRP, TIOCSETD, FIONBIO, FIOASYNC, TIOCPKT, TIOCSSOFTCAR,
	// TIOCSPTLCK
	0x5410: {argIntPtr, false}, 0x5423: {argIntPtr, false}, 0x5421: {argIntPtr, false},
	0x5452: {argIntPtr, false}, 0x5420: {argIntPtr, false}, 0x541a: {argIntPtr, false},
	0x40045431: {argIntPtr, false},
	0x5412:     {argChar, false},
	// TIOCSBRK, TIOCCBRK, TIOCCONS, TIOCNOTTY, TIOCEXCL, TIOCNXCL,
	// FIOCLEX, FIONCLEX, TIOCVHANGUP, TIOCSSERIAL
	0x5427: {argNone, false}, 0x5428: {argNone, false}, 0x541d: {argNone, false},
	0x5422: {argNone, false}, 0x540c: {argNone, false}, 0x540d: {argNone, false},
	0x5451: {argNone, false}, 0x5450: {argNone, false}, 0x5437: {argNone, false},
	0x541f: {argNone, false},
}

// fileIoctls are the file requests strace decodes (file_ioctl.c) whose
// argument is not a struct: FICLONE's is the source descriptor, printed
// as an int.
var fileIoctls = map[uint32]ioctlSpec{
	0x40049409: {argInt, false},
}

// ioctlSpecOf returns how a request's argument shows, if strace decodes
// it.
func ioctlSpecOf(req uint32) (ioctlSpec, bool) {
	if spec, ok := termIoctls[req]; ok {
		return spec, true
	}
	if spec, ok := fileIoctls[req]; ok {
		return spec, true
	}
	spec, ok := sockIoctls[req]
	return spec, ok
}

// decodedTypes are the request types strace has a decoder for; with -v,
// the argument of a request of any other type shows as the bytes its
// number says it points to.
var decodedTypes = map[uint32]bool{
	0x03: true, 0x12: true, 0x15: true, '!': true, '"': true, '$': true, '=': true, '>': true,
	'E': true, 'I': true, 'K': true, 'L': true, 'M': true, 'O': true, 'R': true, 'T': true,
	'V': true, 'W': true, 'X': true, 'f': true, 'i': true, 'o': true, 'p': true, 0x89: true,
	0x8a: true, 0x94: true, 0xa4: true, 0xaa: true, 0xab: true, 0xae: true, 0xb4: true,
	0xb7: true, 0xfd: true,
}

// ModemBits are the TIOCM_* bits.
var ModemBits = &Flags{Bits: []Sym{
	{0x1, "TIOCM_LE"}, {0x2, "TIOCM_DTR"}, {0x4, "TIOCM_RTS"}, {0x8, "TIOCM_ST"}, {0x10, "TIOCM_SR"},
	{0x20, "TIOCM_CTS"}, {0x40, "TIOCM_CAR"}, {0x80, "TIOCM_RNG"}, {0x100, "TIOCM_DSR"},
	{0x2000, "TIOCM_OUT1"}, {0x4000, "TIOCM_OUT2"}, {0x8000, "TIOCM_LOOP"},
}}

var (
	tcxoncActions = &Enum{Unknown: "TC???", Syms: []Sym{{0, "TCOOFF"}, {1, "TCOON"}, {2, "TCIOFF"}, {3, "TCION"}}}
	tcflshQueues  = &Enum{Unknown: "TC???", Syms: []Sym{{0, "TCIFLUSH"}, {1, "TCOFLUSH"}, {2, "TCIOFLUSH"}}}
)

// decodeIoctl prints ioctl(fd, request, arg) as strace does: the request
// by name, the argument decoded for the requests strace knows (at exit
// when the kernel fills it), else in hex.
func decodeIoctl(x *ctx) {
	req := uint32(x.arg(1))
	x.call.Args = append(x.call.Args,
		event.Arg{Name: "fd", Format: "fd", Raw: x.arg(0), Val: x.fd(int64(int32(x.arg(0))))},
		event.Arg{Name: "request", Format: "ioctl_request", Raw: x.arg(1),
			Val: event.Value{Kind: event.VEnum, N: uint64(req), Syms: ioctlRequest{ioctlTable(x.call.Arch)}}})
	a := event.Arg{Name: "arg", Format: "ioctl_arg", Raw: x.arg(2)}
	if ifs, ok := ifreqIoctls[req]; ok {
		// A getter shows the interface's name at entry and what the
		// kernel filled in at exit; the entry's part is kept in Val.
		a.Out = ifs.get
		a.Val = x.ifreq(x.word(x.arg(2)), ifs, false, event.Value{})
		x.call.Args = append(x.call.Args, a)
		return
	}
	spec, known := ioctlSpecOf(req)
	switch {
	case known && spec.arg == argNone:
		return
	case known && spec.out:
		// strace prints the comma before a getter's argument with it.
		a.Out, a.Lead = true, ", "
	case !known && x.rawIoctlArg(req):
		a.Out = iocDir(req) != 1 // _IOC_WRITE alone is shown at entry
		if !a.Out || iocDir(req) != 2 {
			a.Val = x.ioctlBytes(req)
		}
	default:
		a.Val = x.ioctlArg(spec.arg)
	}
	x.call.Args = append(x.call.Args, a)
}

// ioctlExit fills the argument of a request the kernel answers in it.
func ioctlExit(x *ctx) {
	if len(x.call.Args) < 3 || !x.call.Args[2].Out {
		return
	}
	req := uint32(x.arg(1))
	a := &x.call.Args[2]
	if ifs, ok := ifreqIoctls[req]; ok {
		if a.Val.Kind == event.VStruct {
			a.Val = x.ifreq(x.word(x.arg(2)), ifs, true, a.Val)
		}
		return
	}
	if spec, known := ioctlSpecOf(req); known {
		if x.failed() {
			a.Val = event.Ptr(x.word(x.arg(2)))
			return
		}
		a.Val = x.ioctlArg(spec.arg)
		return
	}
	after := x.ioctlBytes(req)
	if x.failed() {
		after = event.Ptr(x.word(x.arg(2)))
	}
	if a.Val.Kind == event.VNone {
		a.Val = after
		return
	}
	// Read and written: strace shows both, "before => after".
	before := a.Val
	a.Val = event.Text(x.render(before) + " => " + x.render(after))
}

// rawIoctlArg reports whether -v shows a request's argument as the bytes
// its number gives the size of: requests of a type strace has no decoder
// for.
func (x *ctx) rawIoctlArg(req uint32) bool {
	return x.verbose() && !decodedTypes[iocType(req)] && iocSize(req) != 0 && x.arg(2) != 0
}

// ioctlBytes is an undecoded argument's bytes, in hex.
func (x *ctx) ioctlBytes(req uint32) event.Value {
	v := x.buffer(x.word(x.arg(2)), uint64(iocSize(req)))
	if v.Kind == event.VStr {
		v.Quote |= event.QuoteForceHex
	}
	return v
}

func (x *ctx) ioctlArg(kind ioctlArg) event.Value {
	addr := x.word(x.arg(2))
	switch kind {
	case argInt:
		return event.Int(int64(int32(x.arg(2))))
	case argIntPtr:
		return x.intIndirect(addr)
	case argTermios, argTermios2, argTermio:
		if addr == 0 {
			return event.Ptr(0)
		}
		return x.termios(addr, termLayouts[kind])
	case argWinsize:
		if addr == 0 {
			return event.Ptr(0)
		}
		return x.winsize(addr)
	case argModem:
		if addr == 0 {
			return event.Ptr(0)
		}
		b, ok := x.readFull(addr, 4)
		if !ok {
			return event.Ptr(addr)
		}
		return event.Value{Kind: event.VArray, Elems: []event.Value{{Kind: event.VFlags, N: le(b).u32(0), Syms: ModemBits}}}
	case argTCXONC:
		return event.Value{Kind: event.VEnum, N: addr, Syms: tcxoncActions}
	case argTCFLSH:
		return event.Value{Kind: event.VEnum, N: addr, Syms: tcflshQueues}
	case argChar:
		return x.buffer(addr, 1)
	case argAddr:
		return event.Ptr(addr)
	}
	return event.Hex(addr)
}
