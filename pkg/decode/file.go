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
		{0o100, "O_CREAT"}, {0o200, "O_EXCL"}, {0o400, "O_NOCTTY"}, {0o1000, "O_TRUNC"},
		{0o2000, "O_APPEND"}, {0o4000, "O_NONBLOCK"}, {0o4010000, "O_SYNC"}, {0o10000, "O_DSYNC"},
		{0o20000, "O_ASYNC"}, {0o40000, "O_DIRECT"}, {0o100000, "O_LARGEFILE"},
		{0o20200000, "O_TMPFILE"}, {0o200000, "O_DIRECTORY"}, {0o400000, "O_NOFOLLOW"},
		{0o1000000, "O_NOATIME"}, {0o2000000, "O_CLOEXEC"}, {0o10000000, "O_PATH"},
	},
}

// AtFlags are the *at() calls' AT_* flags.
var AtFlags = &Flags{Bits: []Sym{
	{0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_REMOVEDIR"}, {0x400, "AT_SYMLINK_FOLLOW"},
	{0x800, "AT_NO_AUTOMOUNT"}, {0x1000, "AT_EMPTY_PATH"}, {0x2000, "AT_STATX_FORCE_SYNC"},
	{0x4000, "AT_STATX_DONT_SYNC"}, {0x8000, "AT_RECURSIVE"},
}}

// AccessModes are access(2)'s mode bits.
var AccessModes = &Flags{Zero: "F_OK", Bits: []Sym{{4, "R_OK"}, {2, "W_OK"}, {1, "X_OK"}}}

// fileTypes names st_mode's S_IFMT field.
var fileTypes = []Sym{
	{0o140000, "S_IFSOCK"}, {0o120000, "S_IFLNK"}, {0o100000, "S_IFREG"}, {0o60000, "S_IFBLK"},
	{0o40000, "S_IFDIR"}, {0o20000, "S_IFCHR"}, {0o10000, "S_IFIFO"},
}

// File formats.
var (
	FmtOpenFlags = &Format{Name: "flags", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VFlags, N: uint64(uint32(x.arg(i))), Syms: OpenFlags}
	}}
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
	FmtAtFlags = &Format{Name: "flags", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VFlags, N: uint64(uint32(x.arg(i))), Syms: AtFlags}
	}}
	FmtAccessMode = &Format{Name: "flags", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VFlags, N: uint64(uint32(x.arg(i))), Syms: AccessModes}
	}}
	// FmtStatOut is a struct stat the kernel fills.
	FmtStatOut = &Format{Name: "stat", Out: true, Decode: func(x *ctx, i int) event.Value {
		return x.stat(x.word(x.arg(i)))
	}}
)

// symbolicMode renders a mode as strace's print_symbolic_mode_t does:
// file type, set-id bits, then the permissions in octal.
func symbolicMode(m uint64) event.Value {
	b := make([]byte, 0, 32)
	if name := symName(fileTypes, m&0o170000); name != "" {
		b = append(b, name...)
		b = append(b, '|')
	} else if t := m & 0o170000; t != 0 {
		b = event.AppendHex(b, t)
		b = append(b, '|')
	}
	for _, s := range []Sym{{0o4000, "S_ISUID"}, {0o2000, "S_ISGID"}, {0o1000, "S_ISVTX"}} {
		if m&s.Val != 0 {
			b = append(b, s.Name...)
			b = append(b, '|')
		}
	}
	b = event.AppendOctal(b, m&0o777)
	return event.Text(string(b))
}

// makedev renders a device number as strace does: makedev(0x88, 0).
func makedev(dev uint64) event.Value {
	major := (dev>>8)&0xfff | (dev>>32)&^0xfff
	minor := dev&0xff | (dev>>12)&^0xff
	return event.Value{Kind: event.VCall, Text: "makedev", Elems: []event.Value{event.Hex(major), event.Hex(minor)}}
}

// stat decodes struct stat at addr (the x86_64 layout).
func (x *ctx) stat(addr uint64) event.Value {
	if x.failed() || addr == 0 {
		return event.Ptr(addr)
	}
	raw, ok := x.readFull(addr, 144)
	if !ok {
		return event.Fault(addr)
	}
	return x.statValue(le(raw))
}

// statValue renders a struct stat in the x86_64 layout (compat.go turns
// i386's into it).
func (x *ctx) statValue(b le) event.Value {
	mode := b.u32(24)
	v := event.Value{Kind: event.VStruct}
	if x.d.Opts.Verbose {
		v.Elems = []event.Value{
			event.Field("st_dev", makedev(b.u64(0))),
			event.Field("st_ino", event.Uint(b.u64(8))),
			event.Field("st_mode", symbolicMode(mode)),
			event.Field("st_nlink", event.Uint(b.u64(16))),
			event.Field("st_uid", event.Uint(b.u32(28))),
			event.Field("st_gid", event.Uint(b.u32(32))),
			event.Field("st_blksize", event.Int(b.s64(56))),
			event.Field("st_blocks", event.Int(b.s64(64))),
		}
		if t := mode & 0o170000; t == 0o20000 || t == 0o60000 {
			v.Elems = append(v.Elems, event.Field("st_rdev", makedev(b.u64(40))))
		} else {
			v.Elems = append(v.Elems, event.Field("st_size", event.Int(b.s64(48))))
		}
		for _, t := range []struct {
			name string
			off  int
		}{{"st_atime", 72}, {"st_mtime", 88}, {"st_ctime", 104}} {
			v.Elems = append(v.Elems,
				event.Field(t.name, timestamp(b.s64(t.off), b.s64(t.off+8))),
				event.Field(t.name+"_nsec", event.Int(b.s64(t.off+8))))
		}
		return v
	}
	v.Elems = append(v.Elems, event.Field("st_mode", symbolicMode(mode)))
	if t := mode & 0o170000; t == 0o20000 || t == 0o60000 {
		v.Elems = append(v.Elems, event.Field("st_rdev", makedev(b.u64(40))))
	} else {
		v.Elems = append(v.Elems, event.Field("st_size", event.Int(b.s64(48))))
	}
	v.Trunc = true
	return v
}
