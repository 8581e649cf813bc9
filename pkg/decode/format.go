package decode

import (
	"strconv"
	"strings"

	"github.com/gtrace/gtrace/pkg/event"
)

// Format decodes one kind of argument (gVisor strace's FormatSpecifier):
// the table row names a Format per argument, and the Format reads the
// register and, where it points at memory, the tracee's memory.
type Format struct {
	// Name is what JSON output calls the argument's type.
	Name string
	// Out marks an argument the kernel writes: decoded at exit.
	Out bool
	// Late, when set, decides per call whether the argument is decoded
	// at exit: arch_prctl's address is written by ARCH_GET_FS only.
	Late func(x *ctx, i int) bool
	// Lead is the separator strace prints at exit before an argument
	// decoded then, instead of a ", " at entry (see event.Arg.Lead).
	Lead string
	// Decode returns argument i of the call being decoded. A Value of
	// kind VNone is left out of the printed argument list (strace omits
	// open's mode when no file is created, for example).
	Decode func(x *ctx, i int) event.Value
	// Save, for an Out argument, runs at entry and keeps in the
	// argument's Val what the exit needs from before the call: the value
	// of an in/out length, say, which strace prints as [128 => 16].
	Save func(x *ctx, i int) event.Value
	// Ret renders a successful return value when the Format is a row's
	// Ret; nil means a signed decimal.
	Ret func(x *ctx) (val, aux event.Value)
	// Capture is the memory Decode reads, for engines that copy it at
	// the stop (see Capture); the zero value means none.
	Capture Capture
	// SaveCapture is the memory Save reads at entry, for an Out
	// argument whose value before the call matters (an in/out length).
	SaveCapture Capture
}

func formatOf(f *Format) *Format {
	if f == nil {
		return FmtHex
	}
	return f
}

func formatName(f *Format) string { return formatOf(f).Name }

// Scalar formats.
var (
	FmtHex   = &Format{Name: "hex", Decode: func(x *ctx, i int) event.Value { return event.Hex(x.word(x.arg(i))) }}
	FmtInt   = &Format{Name: "int", Decode: func(x *ctx, i int) event.Value { return event.Int(int64(int32(x.arg(i)))) }}
	FmtUint  = &Format{Name: "uint", Decode: func(x *ctx, i int) event.Value { return event.Uint(uint64(uint32(x.arg(i)))) }}
	FmtLong  = &Format{Name: "long", Decode: func(x *ctx, i int) event.Value { return event.Int(x.slong(x.arg(i))) }}
	FmtUlong = &Format{Name: "ulong", Decode: func(x *ctx, i int) event.Value { return event.Uint(x.word(x.arg(i))) }}
	FmtOct   = &Format{Name: "oct", Decode: func(x *ctx, i int) event.Value { return event.Oct(uint64(uint32(x.arg(i)))) }}
	FmtPtr   = &Format{Name: "ptr", Decode: func(x *ctx, i int) event.Value { return event.Ptr(x.word(x.arg(i))) }}
	// FmtU64 is a 64-bit value split over one register (x86_64).
	FmtU64 = &Format{Name: "u64", Decode: func(x *ctx, i int) event.Value { return event.Uint(x.arg(i)) }}
	// FmtUid is a uid or gid: unsigned, but -1 ("unchanged") prints as -1.
	FmtUid = &Format{Name: "id", Decode: func(x *ctx, i int) event.Value { return uidVal(uint32(x.arg(i))) }}
)

// flagsFmt is the Format of an int argument holding flags of f.
func flagsFmt(f event.Symbols) *Format {
	return &Format{Name: "flags", Decode: func(x *ctx, i int) event.Value {
		return flagsVal(uint64(uint32(x.arg(i))), f)
	}}
}

// longFlagsFmt is the Format of a long argument holding flags of f.
func longFlagsFmt(f event.Symbols) *Format {
	return &Format{Name: "flags", Decode: func(x *ctx, i int) event.Value {
		return flagsVal(x.word(x.arg(i)), f)
	}}
}

// enumFmt is the Format of an int argument naming one constant of e.
func enumFmt(e event.Symbols) *Format {
	return &Format{Name: "enum", Decode: func(x *ctx, i int) event.Value {
		return enumVal(uint64(uint32(x.arg(i))), e)
	}}
}

func flagsVal(v uint64, s event.Symbols) event.Value {
	return event.Value{Kind: event.VFlags, N: v, Syms: s}
}

func enumVal(v uint64, s event.Symbols) event.Value {
	return event.Value{Kind: event.VEnum, N: v, Syms: s}
}

// A structReader decodes what a pointer argument points at. It is given
// NULL and unreadable addresses too, and prints them as strace does
// (ctx.fetch does that for it).
type structReader func(x *ctx, addr uint64) event.Value

// inFmt is the Format of a pointer to something the call reads: decoded
// at entry.
func inFmt(name string, r structReader) *Format {
	return &Format{Name: name, Capture: structWindow, Decode: func(x *ctx, i int) event.Value {
		x.cur = i
		return r(x, x.word(x.arg(i)))
	}}
}

// outFmt is the Format of a pointer to something the call fills: decoded
// at exit, and only when the call succeeded; strace prints the address a
// failed call left alone.
func outFmt(name string, r structReader) *Format {
	return &Format{Name: name, Out: true, Capture: structWindow, Decode: func(x *ctx, i int) event.Value {
		x.cur = i
		return x.out(x.word(x.arg(i)), r)
	}}
}

// out decodes what a call wrote at addr, or prints the address when the
// call failed and wrote nothing.
func (x *ctx) out(addr uint64, r structReader) event.Value {
	if x.failed() {
		return event.Ptr(addr)
	}
	return r(x, addr)
}

// auxArg is the raw value of the argument the current one depends on
// (its ArgSpec's Aux: a buffer's length, say).
func (x *ctx) auxArg() uint64 {
	if a := x.sc.Args[x.cur].Aux; a >= 0 {
		return x.arg(int(a))
	}
	return 0
}

// opArg is how a call that multiplexes operations (prctl, keyctl) shows
// one of its arguments for one operation; out marks one the call fills,
// shown at exit.
type opArg struct {
	show func(x *ctx, v uint64) event.Value
	out  bool
}

// opArgsFmt is the Format of the arguments after such a call's operation
// (argument i is the i-th of args); args says which the operation the
// call makes has.
func opArgsFmt(name string, args func(x *ctx) []opArg) *Format {
	return &Format{Name: name,
		Late: func(x *ctx, i int) bool {
			a := args(x)
			return i-1 < len(a) && a[i-1].out
		},
		Decode: func(x *ctx, i int) event.Value {
			a := args(x)
			if i-1 >= len(a) {
				return event.Value{}
			}
			return a[i-1].show(x, x.arg(i))
		}}
}

// strct builds a {name=value, ...} struct of fields made by event.Field.
func strct(fields ...event.Value) event.Value {
	return event.Value{Kind: event.VStruct, Elems: fields}
}

// boxed is a value printed in brackets, as strace prints what an int
// pointer points at: [42].
func boxed(v event.Value) event.Value {
	return event.Value{Kind: event.VArray, Elems: []event.Value{v}}
}

// Descriptor formats.
var (
	FmtFd = &Format{Name: "fd", Decode: func(x *ctx, i int) event.Value {
		return x.fd(int64(int32(x.arg(i))))
	}}
	// FmtAtfd is a directory descriptor that may be AT_FDCWD (with -y,
	// the working directory's path).
	FmtAtfd = &Format{Name: "atfd", Decode: func(x *ctx, i int) event.Value {
		return x.fd(int64(int32(x.arg(i))))
	}}
)

// fd returns a descriptor value, with its path when -y asks for it and
// socket endpoints or device numbers when -yy does.
func (x *ctx) fd(fd int64) event.Value { return x.fdIn(x.pid, fd) }

// fdIn returns a descriptor of process pid (kcmp's, say).
func (x *ctx) fdIn(pid int, fd int64) event.Value {
	v := event.FD(fd)
	show := x.d.Opts.FDDecode
	if (fd < 0 && fd != AtFDCWD) || show == 0 || x.d.FDs == nil || pid <= 0 {
		return v
	}
	dd, ok := x.d.FDs.(FDDescriber)
	if !ok || show == FDDecodePath {
		v.Text = x.d.FDs.FDPath(pid, int(fd))
		return v
	}
	info := dd.DescribeFD(pid, int(fd))
	kind := FDDecodePath
	switch {
	case info.Endpoints && strings.HasPrefix(info.Path, "pid:"):
		kind = FDDecodePidfd
	case info.Endpoints:
		kind = FDDecodeSocket
	case info.Device != "":
		kind = FDDecodeDev
	}
	switch {
	case kind != FDDecodePath && show&kind != 0:
		v.Text = info.Path
		if info.Endpoints {
			v.Quote = event.QuoteRaw
		} else {
			v.Elems = []event.Value{event.Text(info.Device)}
		}
	case show&FDDecodePath != 0 && info.Link != "":
		v.Text = info.Link
	case show&FDDecodePath != 0:
		v.Text = info.Path
	}
	return v
}

// Return-value formats.
var (
	// FmtRetHex prints addresses (mmap, brk).
	FmtRetHex = &Format{Name: "hex", Ret: func(x *ctx) (event.Value, event.Value) {
		return event.Hex(x.word(uint64(x.ret()))), event.Value{}
	}}
	// FmtRetFd prints a new descriptor (with -y, its path).
	FmtRetFd = &Format{Name: "fd", Ret: func(x *ctx) (event.Value, event.Value) {
		return x.fd(x.ret()), event.Value{}
	}}
	FmtRetOct = &Format{Name: "oct", Ret: func(x *ctx) (event.Value, event.Value) {
		return event.Oct(uint64(x.ret())), event.Value{}
	}}
	FmtRetUint = &Format{Name: "uint", Ret: func(x *ctx) (event.Value, event.Value) {
		return event.Uint(x.word(uint64(x.ret()))), event.Value{}
	}}
	// FmtRetNone is for calls that do not return on success (exit).
	FmtRetNone = &Format{Name: "none", Ret: func(x *ctx) (event.Value, event.Value) {
		return event.Text("?"), event.Value{}
	}}
)

func itoa(n int) string { return strconv.Itoa(n) }
