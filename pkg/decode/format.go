package decode

import (
	"strconv"

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
	// Decode returns argument i of the call being decoded. A Value of
	// kind VNone is left out of the printed argument list (strace omits
	// open's mode when no file is created, for example).
	Decode func(x *ctx, i int) event.Value
	// Ret renders a successful return value when the Format is a row's
	// Ret; nil means a signed decimal.
	Ret func(x *ctx) (val, aux event.Value)
	// Capture is the memory Decode reads, for engines that copy it at
	// the stop (see Capture); the zero value means none.
	Capture Capture
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
	FmtUid = &Format{Name: "id", Decode: func(x *ctx, i int) event.Value {
		if v := uint32(x.arg(i)); v != ^uint32(0) {
			return event.Uint(uint64(v))
		}
		return event.Int(-1)
	}}
)

// Descriptor formats.
var (
	FmtFd = &Format{Name: "fd", Decode: func(x *ctx, i int) event.Value {
		return x.fd(int64(int32(x.arg(i))))
	}}
	// FmtAtfd is a directory descriptor that may be AT_FDCWD.
	FmtAtfd = &Format{Name: "atfd", Decode: func(x *ctx, i int) event.Value {
		return x.fd(int64(int32(x.arg(i))))
	}}
)

// fd returns a descriptor value, with its path when -y asks for it.
func (x *ctx) fd(fd int64) event.Value {
	v := event.FD(fd)
	if fd >= 0 && x.d.Opts.FDPaths > 0 && x.d.FDs != nil {
		v.Text = x.d.FDs.FDPath(x.pid, int(fd))
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
