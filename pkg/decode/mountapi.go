package decode

import "github.com/gtrace/gtrace/pkg/event"

// Tables of the new mount API.
var (
	OpenTreeFlags  = &Flags{Bits: append([]Sym{{1, "OPEN_TREE_CLONE"}, {0x80000, "OPEN_TREE_CLOEXEC"}}, AtFlags.Bits...)}
	MoveMountFlags = &Flags{Bits: []Sym{
		{1, "MOVE_MOUNT_F_SYMLINKS"}, {2, "MOVE_MOUNT_F_AUTOMOUNTS"}, {4, "MOVE_MOUNT_F_EMPTY_PATH"},
		{0x10, "MOVE_MOUNT_T_SYMLINKS"}, {0x20, "MOVE_MOUNT_T_AUTOMOUNTS"},
		{0x40, "MOVE_MOUNT_T_EMPTY_PATH"}, {0x100, "MOVE_MOUNT_SET_GROUP"},
	}}
	FsopenFlags  = &Flags{Bits: []Sym{{1, "FSOPEN_CLOEXEC"}}}
	FsmountFlags = &Flags{Bits: []Sym{{1, "FSMOUNT_CLOEXEC"}}}
	FspickFlags  = &Flags{Bits: []Sym{{1, "FSPICK_CLOEXEC"}, {2, "FSPICK_SYMLINK_NOFOLLOW"}, {4, "FSPICK_NO_AUTOMOUNT"}, {8, "FSPICK_EMPTY_PATH"}}}
	FsconfigCmds = &Enum{Unknown: "FSCONFIG_???", Syms: []Sym{
		{0, "FSCONFIG_SET_FLAG"}, {1, "FSCONFIG_SET_STRING"}, {2, "FSCONFIG_SET_BINARY"},
		{3, "FSCONFIG_SET_PATH"}, {4, "FSCONFIG_SET_PATH_EMPTY"}, {5, "FSCONFIG_SET_FD"},
		{6, "FSCONFIG_CMD_CREATE"}, {7, "FSCONFIG_CMD_RECONFIGURE"},
	}}
	MountAttrs = &Flags{Bits: []Sym{
		{1, "MOUNT_ATTR_RDONLY"}, {2, "MOUNT_ATTR_NOSUID"}, {4, "MOUNT_ATTR_NODEV"},
		{8, "MOUNT_ATTR_NOEXEC"}, {0x10, "MOUNT_ATTR_NOATIME"}, {0x20, "MOUNT_ATTR_STRICTATIME"},
		{0x80, "MOUNT_ATTR_NODIRATIME"}, {0x100000, "MOUNT_ATTR_IDMAP"}, {0x200000, "MOUNT_ATTR_NOSYMFOLLOW"},
	}}
	MountPropagation = &Flags{Bits: []Sym{{0x20000, "MS_UNBINDABLE"}, {0x40000, "MS_PRIVATE"}, {0x80000, "MS_SLAVE"}, {0x100000, "MS_SHARED"}}}
)

// fsconfig commands.
const (
	fsconfigSetFlag   = 0
	fsconfigSetString = 1
	fsconfigSetBinary = 2
	fsconfigSetPath   = 3
	fsconfigSetPathE  = 4
	fsconfigSetFd     = 5
)

// Mount API formats.
var (
	FmtOpenTreeFlags  = flagsFmt(OpenTreeFlags)
	FmtMoveMountFlags = flagsFmt(MoveMountFlags)
	FmtFsopenFlags    = flagsFmt(FsopenFlags)
	FmtFsmountFlags   = flagsFmt(FsmountFlags)
	FmtFspickFlags    = flagsFmt(FspickFlags)
	FmtFsconfigCmd    = enumFmt(FsconfigCmds)
	FmtMountAttrs     = flagsFmt(MountAttrs)
	// FmtFsconfigKey is fsconfig's key: absent for the commands (Aux:
	// the command).
	FmtFsconfigKey = &Format{Name: "str", Decode: func(x *ctx, i int) event.Value {
		if x.auxOf(i) > fsconfigSetFd {
			return event.Ptr(x.word(x.arg(i)))
		}
		return x.cstring(x.word(x.arg(i)), x.d.Opts.StrSize)
	}}
	// FmtFsconfigValue is fsconfig's value, by command (Aux: the
	// command; the length or directory is argument 4).
	FmtFsconfigValue = &Format{Name: "fsconfig_value", Decode: func(x *ctx, i int) event.Value {
		addr := x.word(x.arg(i))
		switch x.auxOf(i) {
		case fsconfigSetString:
			return x.cstring(addr, x.d.Opts.StrSize)
		case fsconfigSetBinary:
			return x.buffer(addr, uint64(uint32(x.arg(4))))
		case fsconfigSetPath, fsconfigSetPathE:
			return x.cstring(addr, pathMax)
		}
		return event.Ptr(addr)
	}}
	// FmtFsconfigAux is fsconfig's aux: a directory or descriptor for
	// some commands, a length or nothing useful for the others.
	FmtFsconfigAux = &Format{Name: "int", Decode: func(x *ctx, i int) event.Value {
		switch x.arg(1) {
		case fsconfigSetPath, fsconfigSetPathE, fsconfigSetFd:
			return x.fd(int64(int32(x.arg(i))))
		}
		return event.Int(int64(int32(x.arg(i))))
	}}
	// FmtMountAttr is mount_setattr's struct mount_attr; Aux is its
	// size.
	FmtMountAttr = inFmt("mount_attr", func(x *ctx, addr uint64) event.Value {
		if x.word(x.auxArg()) < 32 {
			return event.Ptr(addr)
		}
		b, v, ok := x.fetch(addr, 32)
		if !ok {
			return v
		}
		return strct(
			event.Field("attr_set", flagsVal(b.u64(0), MountAttrs)),
			event.Field("attr_clr", flagsVal(b.u64(8), MountAttrs)),
			event.Field("propagation", flagsVal(b.u64(16), MountPropagation)),
			event.Field("userns_fd", event.Uint(b.u64(24))))
	})
)
