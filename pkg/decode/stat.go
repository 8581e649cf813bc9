package decode

import "github.com/gtrace/gtrace/pkg/event"

// StatxMasks are statx's mask bits, in strace's order (the groups first).
var StatxMasks = &Flags{Bits: []Sym{
	{0xfff, "STATX_ALL"}, {0x7ff, "STATX_BASIC_STATS"}, {1, "STATX_TYPE"}, {2, "STATX_MODE"},
	{4, "STATX_NLINK"}, {8, "STATX_UID"}, {0x10, "STATX_GID"}, {0x20, "STATX_ATIME"},
	{0x40, "STATX_MTIME"}, {0x80, "STATX_CTIME"}, {0x100, "STATX_INO"}, {0x200, "STATX_SIZE"},
	{0x400, "STATX_BLOCKS"}, {0x800, "STATX_BTIME"}, {0x1000, "STATX_MNT_ID"},
	{0x2000, "STATX_DIOALIGN"},
}}

// StatxAttrs are struct statx's stx_attributes.
var StatxAttrs = &Flags{Bits: []Sym{
	{4, "STATX_ATTR_COMPRESSED"}, {0x10, "STATX_ATTR_IMMUTABLE"}, {0x20, "STATX_ATTR_APPEND"},
	{0x40, "STATX_ATTR_NODUMP"}, {0x800, "STATX_ATTR_ENCRYPTED"}, {0x1000, "STATX_ATTR_AUTOMOUNT"},
	{0x2000, "STATX_ATTR_MOUNT_ROOT"}, {0x100000, "STATX_ATTR_VERITY"}, {0x200000, "STATX_ATTR_DAX"},
}}

// StatxSyncTypes are statx's sync types, the field of its flags under
// AT_STATX_SYNC_TYPE.
var StatxSyncTypes = &Flags{Bits: []Sym{
	{0x2000, "AT_STATX_FORCE_SYNC"}, {0x4000, "AT_STATX_DONT_SYNC"}, {0x6000, "AT_STATX_SYNC_TYPE"},
}, Zero: "AT_STATX_SYNC_AS_STAT"}

// statxFlags renders statx's flags: the sync type, then AT_* flags
// (AT_STATX_DONT_SYNC|AT_EMPTY_PATH). Like strace, -X raw shows nothing
// for a zero sync type alone.
type statxFlags struct{}

// AppendSym implements event.Symbols.
func (statxFlags) AppendSym(b []byte, v uint64, style event.XlatStyle) []byte {
	sync, rest := v&0x6000, v&^0x6000
	if style != event.XlatRaw || sync != 0 {
		b = StatxSyncTypes.AppendSym(b, sync, style)
	}
	if rest != 0 {
		b = append(b, '|')
		b = AtFlags.AppendSym(b, rest, style)
	}
	return b
}

// Names implements event.Symbols.
func (statxFlags) Names(v uint64) ([]string, uint64) {
	names, _ := StatxSyncTypes.Names(v & 0x6000)
	at, rest := AtFlags.Names(v &^ 0x6000)
	return append(names, at...), rest
}

// StatfsFlags are struct statfs's f_flags.
var StatfsFlags = &Flags{Bits: []Sym{
	{0x20, "ST_VALID"}, {1, "ST_RDONLY"}, {2, "ST_NOSUID"}, {4, "ST_NODEV"}, {8, "ST_NOEXEC"},
	{0x10, "ST_SYNCHRONOUS"}, {0x40, "ST_MANDLOCK"}, {0x400, "ST_NOATIME"}, {0x800, "ST_NODIRATIME"},
	{0x1000, "ST_RELATIME"}, {0x2000, "ST_NOSYMFOLLOW"},
}}

// Stat formats.
var (
	// FmtStatOut is a struct stat the kernel fills.
	FmtStatOut    = outFmt("stat", (*ctx).stat)
	FmtStatxFlags = flagsFmt(statxFlags{})
	FmtStatxMask  = flagsFmt(StatxMasks)
	FmtStatxOut   = outFmt("statx", (*ctx).statx)
	FmtStatfsOut  = outFmt("statfs", (*ctx).statfs)
)

// stat decodes struct stat (the x86_64 layout); -v prints every field.
func (x *ctx) stat(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, statSize)
	if !ok {
		return v
	}
	return x.statValue(b)
}

// statValue renders a struct stat in the x86_64 layout (compat.go turns
// i386's into it).
func (x *ctx) statValue(b le) event.Value {
	var v event.Value
	mode := b.u32(24)
	sizeOrDev := event.Field("st_size", event.Int(b.s64(48)))
	if t := mode & 0o170000; t == 0o20000 || t == 0o60000 {
		sizeOrDev = event.Field("st_rdev", makedev(b.u64(40)))
	}
	if !x.verbose() {
		v = strct(event.Field("st_mode", symbolicMode(mode)), sizeOrDev)
		v.Trunc = true
		return v
	}
	v = strct(
		event.Field("st_dev", makedev(b.u64(0))),
		event.Field("st_ino", event.Uint(b.u64(8))),
		event.Field("st_mode", symbolicMode(mode)),
		event.Field("st_nlink", event.Uint(b.u64(16))),
		event.Field("st_uid", event.Uint(b.u32(28))),
		event.Field("st_gid", event.Uint(b.u32(32))),
		event.Field("st_blksize", event.Int(b.s64(56))),
		event.Field("st_blocks", event.Int(b.s64(64))),
		sizeOrDev)
	for _, t := range []struct {
		name string
		off  int
	}{{"st_atime", 72}, {"st_mtime", 88}, {"st_ctime", 104}} {
		sec, nsec := b.s64(t.off), b.s64(t.off+8)
		v.Elems = append(v.Elems,
			event.Field(t.name, dated(event.Int(sec), sec, nsec, 9)),
			event.Field(t.name+"_nsec", event.Int(nsec)))
	}
	return v
}

// statx decodes struct statx; -v prints every field the mask says is
// there.
func (x *ctx) statx(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 256)
	if !ok {
		return v
	}
	mask := b.u32(0)
	verbose := x.verbose()
	v = strct(event.Field("stx_mask", flagsVal(mask, StatxMasks)))
	add := func(name string, val event.Value) { v.Elems = append(v.Elems, event.Field(name, val)) }
	if verbose {
		add("stx_blksize", event.Uint(b.u32(4)))
	}
	add("stx_attributes", flagsVal(b.u64(8), StatxAttrs))
	if verbose {
		add("stx_nlink", event.Uint(b.u32(16)))
		add("stx_uid", event.Uint(b.u32(20)))
		add("stx_gid", event.Uint(b.u32(24)))
	}
	add("stx_mode", symbolicMode(b.u16(28)))
	if verbose {
		add("stx_ino", event.Uint(b.u64(32)))
	}
	add("stx_size", event.Uint(b.u64(40)))
	if !verbose {
		v.Trunc = true
		return v
	}
	add("stx_blocks", event.Uint(b.u64(48)))
	add("stx_attributes_mask", flagsVal(b.u64(56), StatxAttrs))
	for _, t := range []struct {
		name string
		bit  uint64
		off  int
	}{{"stx_atime", 0x20, 64}, {"stx_btime", 0x800, 80}, {"stx_ctime", 0x80, 96}, {"stx_mtime", 0x40, 112}} {
		if mask&t.bit != 0 {
			sec, nsec := b.s64(t.off), int64(b.u32(t.off+8))
			add(t.name, dated(timespecVal(sec, nsec), sec, nsec, 9))
		}
	}
	add("stx_rdev_major", event.Uint(b.u32(128)))
	add("stx_rdev_minor", event.Uint(b.u32(132)))
	add("stx_dev_major", event.Uint(b.u32(136)))
	add("stx_dev_minor", event.Uint(b.u32(140)))
	if mask&0x1000 != 0 {
		add("stx_mnt_id", event.Hex(b.u64(144)))
	}
	if mask&0x2000 != 0 {
		add("stx_dio_mem_align", event.Uint(b.u32(152)))
		add("stx_dio_offset_align", event.Uint(b.u32(156)))
	}
	return v
}

// statfs decodes struct statfs (the x86_64 layout).
func (x *ctx) statfs(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 120)
	if !ok {
		return v
	}
	u := func(name string, off int) event.Value { return event.Field(name, event.Uint(b.u64(off))) }
	return strct(
		event.Field("f_type", enumVal(b.u64(0), FsMagics)),
		u("f_bsize", 8), u("f_blocks", 16), u("f_bfree", 24), u("f_bavail", 32), u("f_files", 40), u("f_ffree", 48),
		event.Field("f_fsid", strct(event.Field("val", event.Value{Kind: event.VArray, Elems: []event.Value{
			event.Hex(b.u32(56)), event.Hex(b.u32(60))}}))),
		u("f_namelen", 64), u("f_frsize", 72),
		event.Field("f_flags", flagsVal(b.u64(80), StatfsFlags)))
}
