package decode

import "github.com/gtrace/gtrace/pkg/event"

// Flags of the calls that make descriptors.
var (
	// FdFlagBits are pipe2's and dup3's flags: open's, without an access
	// mode.
	FdFlagBits       = &Flags{Bits: OpenFlags.Bits}
	EventfdFlags     = &Flags{Bits: []Sym{{1, "EFD_SEMAPHORE"}, {0x80000, "EFD_CLOEXEC"}, {0x800, "EFD_NONBLOCK"}}}
	TimerfdFlags     = &Flags{Bits: []Sym{{1, "TFD_TIMER_ABSTIME"}, {2, "TFD_TIMER_CANCEL_ON_SET"}, {0x80000, "TFD_CLOEXEC"}, {0x800, "TFD_NONBLOCK"}}}
	MemfdFlags       = &Flags{Bits: []Sym{{1, "MFD_CLOEXEC"}, {2, "MFD_ALLOW_SEALING"}, {4, "MFD_HUGETLB"}}}
	InotifyInitFlags = &Flags{Bits: []Sym{{0x800, "IN_NONBLOCK"}, {0x80000, "IN_CLOEXEC"}}}
	InotifyMask      = &Flags{Bits: []Sym{
		{1, "IN_ACCESS"}, {2, "IN_MODIFY"}, {4, "IN_ATTRIB"}, {8, "IN_CLOSE_WRITE"},
		{0x10, "IN_CLOSE_NOWRITE"}, {0x20, "IN_OPEN"}, {0x40, "IN_MOVED_FROM"}, {0x80, "IN_MOVED_TO"},
		{0x100, "IN_CREATE"}, {0x200, "IN_DELETE"}, {0x400, "IN_DELETE_SELF"}, {0x800, "IN_MOVE_SELF"},
		{0x2000, "IN_UNMOUNT"}, {0x4000, "IN_Q_OVERFLOW"}, {0x8000, "IN_IGNORED"}, {0x1000000, "IN_ONLYDIR"},
		{0x2000000, "IN_DONT_FOLLOW"}, {0x4000000, "IN_EXCL_UNLINK"}, {0x10000000, "IN_MASK_CREATE"},
		{0x20000000, "IN_MASK_ADD"}, {0x40000000, "IN_ISDIR"}, {0x80000000, "IN_ONESHOT"},
	}}
	CloseRangeFlags   = &Flags{Bits: []Sym{{2, "CLOSE_RANGE_UNSHARE"}, {4, "CLOSE_RANGE_CLOEXEC"}}}
	UserfaultfdFlags  = &Flags{Bits: []Sym{{1, "UFFD_USER_MODE_ONLY"}, {0x800, "O_NONBLOCK"}, {0x80000, "O_CLOEXEC"}}}
	PidfdOpenFlags    = &Flags{Bits: []Sym{{0x800, "PIDFD_NONBLOCK"}}}
	MemfdSecretFlags  = &Flags{Bits: []Sym{{0x80000, "O_CLOEXEC"}}}
	FanotifyClasses   = &Enum{Unknown: "FAN_CLASS_???", Syms: []Sym{{0, "FAN_CLASS_NOTIF"}, {4, "FAN_CLASS_CONTENT"}, {8, "FAN_CLASS_PRE_CONTENT"}}}
	FanotifyInitFlags = &Flags{
		Bits: []Sym{
			{1, "FAN_CLOEXEC"}, {2, "FAN_NONBLOCK"}, {0x10, "FAN_UNLIMITED_QUEUE"},
			{0x20, "FAN_UNLIMITED_MARKS"}, {0x40, "FAN_ENABLE_AUDIT"}, {0x80, "FAN_REPORT_PIDFD"},
			{0x100, "FAN_REPORT_TID"}, {0x200, "FAN_REPORT_FID"}, {0x400, "FAN_REPORT_DIR_FID"},
			{0x800, "FAN_REPORT_NAME"}, {0x1000, "FAN_REPORT_TARGET_FID"},
		},
	}
	FanotifyMarkFlags = &Flags{Bits: []Sym{
		{1, "FAN_MARK_ADD"}, {2, "FAN_MARK_REMOVE"}, {4, "FAN_MARK_DONT_FOLLOW"}, {8, "FAN_MARK_ONLYDIR"},
		{0x10, "FAN_MARK_MOUNT"}, {0x20, "FAN_MARK_IGNORED_MASK"}, {0x40, "FAN_MARK_IGNORED_SURV_MODIFY"},
		{0x80, "FAN_MARK_FLUSH"}, {0x100, "FAN_MARK_FILESYSTEM"}, {0x200, "FAN_MARK_EVICTABLE"},
		{0x400, "FAN_MARK_IGNORE"},
	}}
	FanotifyEvents = &Flags{Bits: []Sym{
		{1, "FAN_ACCESS"}, {2, "FAN_MODIFY"}, {4, "FAN_ATTRIB"}, {8, "FAN_CLOSE_WRITE"},
		{0x10, "FAN_CLOSE_NOWRITE"}, {0x20, "FAN_OPEN"}, {0x40, "FAN_MOVED_FROM"}, {0x80, "FAN_MOVED_TO"},
		{0x100, "FAN_CREATE"}, {0x200, "FAN_DELETE"}, {0x400, "FAN_DELETE_SELF"}, {0x800, "FAN_MOVE_SELF"},
		{0x1000, "FAN_OPEN_EXEC"}, {0x4000, "FAN_Q_OVERFLOW"}, {0x8000, "FAN_FS_ERROR"},
		{0x10000, "FAN_OPEN_PERM"}, {0x20000, "FAN_ACCESS_PERM"}, {0x40000, "FAN_OPEN_EXEC_PERM"},
		{0x80000, "FAN_DIR_MODIFY"}, {0x40000000, "FAN_ONDIR"}, {0x8000000, "FAN_EVENT_ON_CHILD"},
		{0x10000000, "FAN_RENAME"},
	}}
)

// Descriptor-making formats.
var (
	FmtFdFlags          = flagsFmt(FdFlagBits)
	FmtEventfdFlags     = flagsFmt(EventfdFlags)
	FmtTimerfdFlags     = flagsFmt(TimerfdFlags)
	FmtMemfdFlags       = flagsFmt(MemfdFlags)
	FmtInotifyInitFlags = flagsFmt(InotifyInitFlags)
	FmtInotifyMask      = flagsFmt(InotifyMask)
	FmtCloseRangeFlags  = flagsFmt(CloseRangeFlags)
	FmtUserfaultfdFlags = flagsFmt(UserfaultfdFlags)
	FmtPidfdOpenFlags   = flagsFmt(PidfdOpenFlags)
	FmtMemfdSecretFlags = flagsFmt(MemfdSecretFlags)
	// FmtFanotifyInit is fanotify_init's flags: a notification class,
	// then flags.
	FmtFanotifyInit = &Format{Name: "flags", Decode: func(x *ctx, i int) event.Value {
		v := uint64(uint32(x.arg(i)))
		class := enumVal(v&0xc, FanotifyClasses)
		if rest := v &^ 0xc; rest != 0 {
			return seqVal(class, orSep, flagsVal(rest, FanotifyInitFlags))
		}
		return class
	}}
	FmtFanotifyMark   = flagsFmt(FanotifyMarkFlags)
	FmtFanotifyEvents = &Format{Name: "flags", Decode: func(x *ctx, i int) event.Value { return flagsVal(x.arg(i), FanotifyEvents) }}
	// FmtPipeOut is the pair of descriptors pipe fills: [3, 4].
	FmtPipeOut = outFmt("fds", func(x *ctx, addr uint64) event.Value {
		b, v, ok := x.fetch(addr, 8)
		if !ok {
			return v
		}
		return x.fixedArray(x.fd(b.s32(0)), x.fd(b.s32(4)))
	})
)
