package decode

import (
	"github.com/gtrace/gtrace/pkg/event"
)

const (
	oCreat   = 0o100
	oTmpfile = 0o20000000 // __O_TMPFILE
)

// OpenFlags are open(2)'s flags; the access mode is a field, not bits.
var OpenFlags = &Flags{
	FieldMask: 3,
	Field:     []Sym{{0, "O_RDONLY"}, {1, "O_WRONLY"}, {2, "O_RDWR"}, {3, "O_ACCMODE"}},
	Bits: []Sym{
		{0x40, "O_CREAT"}, {0x80, "O_EXCL"}, {0x100, "O_NOCTTY"}, {0x200, "O_TRUNC"}, {0x400, "O_APPEND"},
		{0x800, "O_NONBLOCK"}, {0x101000, "O_SYNC"}, {0x100000, "__O_SYNC"}, {0x1000, "O_DSYNC"},
		{0x4000, "O_DIRECT"}, {0x8000, "O_LARGEFILE"}, {0x20000, "O_NOFOLLOW"}, {0x40000, "O_NOATIME"},
		{0x80000, "O_CLOEXEC"}, {0x200000, "O_PATH"}, {0x410000, "O_TMPFILE"}, {0x400000, "__O_TMPFILE"},
		{0x10000, "O_DIRECTORY"}, {0x2000, "FASYNC"},
	},
}

// AtFlags are the *at() calls' AT_* flags.
var AtFlags = &Flags{Bits: []Sym{
	{0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_REMOVEDIR"}, {0x400, "AT_SYMLINK_FOLLOW"},
	{0x800, "AT_NO_AUTOMOUNT"}, {0x1000, "AT_EMPTY_PATH"}, {0x8000, "AT_RECURSIVE"},
}}

// FaccessatFlags are faccessat2's flags: 0x200 is AT_EACCESS there.
var FaccessatFlags = &Flags{Bits: []Sym{
	{0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_EACCESS"}, {0x1000, "AT_EMPTY_PATH"},
}}

// AccessModes are access(2)'s mode bits.
var AccessModes = &Flags{Zero: "F_OK", Bits: []Sym{{4, "R_OK"}, {2, "W_OK"}, {1, "X_OK"}}}

// RenameFlags are renameat2's flags.
var RenameFlags = &Flags{Bits: []Sym{{1, "RENAME_NOREPLACE"}, {2, "RENAME_EXCHANGE"}, {4, "RENAME_WHITEOUT"}}}

// XattrFlags are setxattr's flags.
var XattrFlags = &Flags{Bits: []Sym{{1, "XATTR_CREATE"}, {2, "XATTR_REPLACE"}}}

// ResolveFlags are struct open_how's resolve flags.
var ResolveFlags = &Flags{Bits: []Sym{
	{1, "RESOLVE_NO_XDEV"}, {2, "RESOLVE_NO_MAGICLINKS"}, {4, "RESOLVE_NO_SYMLINKS"},
	{8, "RESOLVE_BENEATH"}, {0x10, "RESOLVE_IN_ROOT"}, {0x20, "RESOLVE_CACHED"},
}}

// fileTypes names st_mode's S_IFMT field.
var fileTypes = []Sym{
	{0o140000, "S_IFSOCK"}, {0o120000, "S_IFLNK"}, {0o100000, "S_IFREG"}, {0o60000, "S_IFBLK"},
	{0o40000, "S_IFDIR"}, {0o20000, "S_IFCHR"}, {0o10000, "S_IFIFO"},
}

// File formats.
var (
	FmtOpenFlags = flagsFmt(OpenFlags)
	// FmtOpenMode is open's mode: shown only when the flags (Aux) create
	// a file.
	FmtOpenMode = &Format{Name: "mode", Decode: func(x *ctx, i int) event.Value {
		if x.arg(int(x.sc.Args[i].Aux))&(oCreat|oTmpfile) == 0 {
			return event.Value{}
		}
		return event.Oct(uint64(uint32(x.arg(i))))
	}}
	// FmtMode is a file permission mode in octal.
	FmtMode = &Format{Name: "mode", Decode: func(x *ctx, i int) event.Value {
		return event.Oct(uint64(uint32(x.arg(i))))
	}}
	// FmtModeType is a mode with a file type (mknod): S_IFCHR|0600.
	FmtModeType = &Format{Name: "mode", Decode: func(x *ctx, i int) event.Value {
		return symbolicMode(uint64(uint32(x.arg(i))))
	}}
	// FmtMknodDev is mknod's device: shown for devices only (Aux: the
	// mode).
	FmtMknodDev = &Format{Name: "dev", Decode: func(x *ctx, i int) event.Value {
		if t := x.auxOf(i) & 0o170000; t != 0o20000 && t != 0o60000 {
			return event.Value{}
		}
		return makedev(x.word(x.arg(i)))
	}}
	// FmtDev is a device number: makedev(0x1, 0x3).
	FmtDev            = &Format{Name: "dev", Decode: func(x *ctx, i int) event.Value { return makedev(x.word(x.arg(i))) }}
	FmtAtFlags        = flagsFmt(AtFlags)
	FmtFaccessatFlags = flagsFmt(FaccessatFlags)
	FmtAccessMode     = flagsFmt(AccessModes)
	FmtRenameFlags    = flagsFmt(RenameFlags)
	FmtXattrFlags     = flagsFmt(XattrFlags)
	// FmtOpenHow is openat2's struct open_how; Aux is its size.
	FmtOpenHow = inFmt("open_how", (*ctx).openHow)
	// FmtUtimensat is utimensat's pair of struct timespec.
	FmtUtimensat = inFmt("timespec", func(x *ctx, addr uint64) event.Value { return x.timePair(addr, utimeTimespec) })
	// FmtUtimes is utimes' pair of struct timeval.
	FmtUtimes = inFmt("timeval", func(x *ctx, addr uint64) event.Value { return x.timePair(addr, utimeTimeval) })
	// FmtUtimbuf is utime's struct utimbuf.
	FmtUtimbuf = inFmt("utimbuf", (*ctx).utimbuf)
	// FmtXattrValue is the value setxattr writes; Aux is its size.
	FmtXattrValue = inFmt("buf", func(x *ctx, addr uint64) event.Value { return x.buffer(addr, x.word(x.auxArg())) })
	// FmtXattrOut is the value getxattr or listxattr fills: its length is
	// the return value.
	FmtXattrOut = outFmt("buf", func(x *ctx, addr uint64) event.Value {
		if addr == 0 {
			return event.Ptr(0)
		}
		return x.buffer(addr, uint64(x.ret()))
	})
)

// auxOf is the raw value of the argument argument i depends on.
func (x *ctx) auxOf(i int) uint64 { return x.arg(int(x.sc.Args[i].Aux)) }

// symbolicMode renders a mode as strace's print_symbolic_mode_t does:
// file type, set-id bits, then the permissions in octal; a mode of an
// unknown type in octal.
func symbolicMode(m uint64) event.Value {
	b := make([]byte, 0, 32)
	if name := symName(fileTypes, m&0o170000); name != "" {
		b = append(b, name...)
		b = append(b, '|')
	} else if m&0o170000 != 0 {
		return event.Oct(m)
	}
	for _, s := range []Sym{{0o4000, "S_ISUID"}, {0o2000, "S_ISGID"}, {0o1000, "S_ISVTX"}} {
		if m&s.Val != 0 {
			b = append(b, s.Name...)
			b = append(b, '|')
		}
	}
	b = event.AppendOctal(b, m&^0o177000)
	return styledVal(string(b), event.Oct(m))
}

// makedev renders a device number as strace does: makedev(0x88, 0).
func makedev(dev uint64) event.Value {
	major := (dev>>8)&0xfff | (dev>>32)&^0xfff
	minor := dev&0xff | (dev>>12)&^0xff
	return styledVal("makedev("+hex(major)+", "+hex(minor)+")", event.Hex(dev))
}

// openHow decodes struct open_how {u64 flags, mode, resolve}.
func (x *ctx) openHow(addr uint64) event.Value {
	if x.word(x.auxArg()) < 24 {
		return event.Ptr(addr)
	}
	b, v, ok := x.fetch(addr, 24)
	if !ok {
		return v
	}
	flags, mode := b.u64(0), b.u64(8)
	v = strct(event.Field("flags", flagsVal(flags, OpenFlags)))
	if flags&(oCreat|oTmpfile) != 0 || mode != 0 {
		v.Elems = append(v.Elems, event.Field("mode", event.Oct(mode)))
	}
	v.Elems = append(v.Elems, event.Field("resolve", flagsVal(b.u64(16), ResolveFlags)))
	return v
}

// The special nanosecond values of utimensat.
const (
	utimeNow  = 1<<30 - 1
	utimeOmit = 1<<30 - 2
)

// utimeKind says which struct a pair of times is made of.
type utimeKind uint8

const (
	utimeTimespec utimeKind = iota
	utimeTimeval
)

// timePair decodes the two times of utimensat or utimes, each with its
// date in a comment.
func (x *ctx) timePair(addr uint64, kind utimeKind) event.Value {
	b, v, ok := x.fetch(addr, 32)
	if !ok {
		return v
	}
	v = event.Value{Kind: event.VArray}
	for i := range 2 {
		sec, frac := b.s64(16*i), b.s64(16*i+8)
		switch {
		case kind == utimeTimespec && frac == utimeNow:
			v.Elems = append(v.Elems, styledVal("UTIME_NOW", timespecVal(sec, frac)))
		case kind == utimeTimespec && frac == utimeOmit:
			v.Elems = append(v.Elems, styledVal("UTIME_OMIT", timespecVal(sec, frac)))
		case kind == utimeTimespec:
			v.Elems = append(v.Elems, dated(timespecVal(sec, frac), sec, frac, 9))
		default:
			v.Elems = append(v.Elems, dated(timevalVal(sec, frac), sec, frac, 6))
		}
	}
	return v
}

// utimbuf decodes struct utimbuf {actime, modtime}.
func (x *ctx) utimbuf(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 16)
	if !ok {
		return v
	}
	return strct(
		event.Field("actime", dated(event.Int(b.s64(0)), b.s64(0), 0, 0)),
		event.Field("modtime", dated(event.Int(b.s64(8)), b.s64(8), 0, 0)))
}
