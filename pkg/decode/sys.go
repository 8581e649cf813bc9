package decode

import "github.com/gtrace/gtrace/pkg/event"

// Tables of the system-wide calls.
var (
	GetrandomFlags = &Flags{Bits: []Sym{{1, "GRND_NONBLOCK"}, {2, "GRND_RANDOM"}, {4, "GRND_INSECURE"}}}
	MountFlags     = &Flags{Bits: []Sym{
		{1, "MS_RDONLY"}, {2, "MS_NOSUID"}, {4, "MS_NODEV"}, {8, "MS_NOEXEC"}, {0x10, "MS_SYNCHRONOUS"},
		{0x20, "MS_REMOUNT"}, {0x40, "MS_MANDLOCK"}, {0x80, "MS_DIRSYNC"}, {0x100, "MS_NOSYMFOLLOW"},
		{0x400, "MS_NOATIME"}, {0x800, "MS_NODIRATIME"}, {0x1000, "MS_BIND"}, {0x2000, "MS_MOVE"},
		{0x4000, "MS_REC"}, {0x8000, "MS_SILENT"}, {0x10000, "MS_POSIXACL"}, {0x20000, "MS_UNBINDABLE"},
		{0x40000, "MS_PRIVATE"}, {0x80000, "MS_SLAVE"}, {0x100000, "MS_SHARED"}, {0x200000, "MS_RELATIME"},
		{0x400000, "MS_KERNMOUNT"}, {0x800000, "MS_I_VERSION"}, {0x1000000, "MS_STRICTATIME"},
		{0x2000000, "MS_LAZYTIME"}, {0x4000000, "MS_SUBMOUNT"}, {0x8000000, "MS_NOREMOTELOCK"},
		{0x10000000, "MS_NOSEC"}, {0x20000000, "MS_BORN"}, {0x40000000, "MS_ACTIVE"},
		{0x80000000, "MS_NOUSER"},
	}}
	UmountFlags   = &Flags{Bits: []Sym{{1, "MNT_FORCE"}, {2, "MNT_DETACH"}, {4, "MNT_EXPIRE"}, {8, "UMOUNT_NOFOLLOW"}}}
	SwapFlags     = &Flags{Bits: []Sym{{0x8000, "SWAP_FLAG_PREFER"}, {0x10000, "SWAP_FLAG_DISCARD"}, {0x20000, "SWAP_FLAG_DISCARD_ONCE"}, {0x40000, "SWAP_FLAG_DISCARD_PAGES"}}}
	RebootMagic1  = &Enum{Unknown: "LINUX_REBOOT_MAGIC_???", Syms: []Sym{{0xfee1dead, "LINUX_REBOOT_MAGIC1"}}}
	RebootMagic2  = &Enum{Unknown: "LINUX_REBOOT_MAGIC_???", Syms: []Sym{{0x28121969, "LINUX_REBOOT_MAGIC2"}, {0x5121996, "LINUX_REBOOT_MAGIC2A"}, {0x16041998, "LINUX_REBOOT_MAGIC2B"}, {0x20112000, "LINUX_REBOOT_MAGIC2C"}}}
	RebootCmds    = &Enum{Unknown: "LINUX_REBOOT_CMD_???", Syms: []Sym{{0x1234567, "LINUX_REBOOT_CMD_RESTART"}, {0xcdef0123, "LINUX_REBOOT_CMD_HALT"}, {0x89abcdef, "LINUX_REBOOT_CMD_CAD_ON"}, {0, "LINUX_REBOOT_CMD_CAD_OFF"}, {0x4321fedc, "LINUX_REBOOT_CMD_POWER_OFF"}, {0xa1b2c3d4, "LINUX_REBOOT_CMD_RESTART2"}, {0xd000fce2, "LINUX_REBOOT_CMD_SW_SUSPEND"}, {0x45584543, "LINUX_REBOOT_CMD_KEXEC"}}}
	SyslogActions = &Enum{Unknown: "SYSLOG_ACTION_???", Syms: []Sym{
		{0, "SYSLOG_ACTION_CLOSE"}, {1, "SYSLOG_ACTION_OPEN"}, {2, "SYSLOG_ACTION_READ"},
		{3, "SYSLOG_ACTION_READ_ALL"}, {4, "SYSLOG_ACTION_READ_CLEAR"}, {5, "SYSLOG_ACTION_CLEAR"},
		{6, "SYSLOG_ACTION_CONSOLE_OFF"}, {7, "SYSLOG_ACTION_CONSOLE_ON"},
		{8, "SYSLOG_ACTION_CONSOLE_LEVEL"}, {9, "SYSLOG_ACTION_SIZE_UNREAD"},
		{0xa, "SYSLOG_ACTION_SIZE_BUFFER"},
	}}
	SeccompOps     = &Enum{Unknown: "SECCOMP_???", Syms: []Sym{{0, "SECCOMP_SET_MODE_STRICT"}, {1, "SECCOMP_SET_MODE_FILTER"}, {2, "SECCOMP_GET_ACTION_AVAIL"}, {3, "SECCOMP_GET_NOTIF_SIZES"}}}
	SeccompActions = &Enum{Unknown: "SECCOMP_RET_???", Syms: []Sym{
		{0x80000000, "SECCOMP_RET_KILL_PROCESS"}, {0, "SECCOMP_RET_KILL_THREAD"},
		{0x30000, "SECCOMP_RET_TRAP"}, {0x50000, "SECCOMP_RET_ERRNO"},
		{0x7fc00000, "SECCOMP_RET_USER_NOTIF"}, {0x7ff00000, "SECCOMP_RET_TRACE"},
		{0x7ffc0000, "SECCOMP_RET_LOG"}, {0x7fff0000, "SECCOMP_RET_ALLOW"},
	}}
	LandlockCreateFlags = &Flags{Bits: []Sym{{1, "LANDLOCK_CREATE_RULESET_VERSION"}}}
	LandlockRuleTypes   = &Enum{Unknown: "LANDLOCK_RULE_???", Syms: []Sym{{1, "LANDLOCK_RULE_PATH_BENEATH"}}}
	LandlockAccessFS    = &Flags{Bits: []Sym{
		{1, "LANDLOCK_ACCESS_FS_EXECUTE"}, {2, "LANDLOCK_ACCESS_FS_WRITE_FILE"},
		{4, "LANDLOCK_ACCESS_FS_READ_FILE"}, {8, "LANDLOCK_ACCESS_FS_READ_DIR"},
		{0x10, "LANDLOCK_ACCESS_FS_REMOVE_DIR"}, {0x20, "LANDLOCK_ACCESS_FS_REMOVE_FILE"},
		{0x40, "LANDLOCK_ACCESS_FS_MAKE_CHAR"}, {0x80, "LANDLOCK_ACCESS_FS_MAKE_DIR"},
		{0x100, "LANDLOCK_ACCESS_FS_MAKE_REG"}, {0x200, "LANDLOCK_ACCESS_FS_MAKE_SOCK"},
		{0x400, "LANDLOCK_ACCESS_FS_MAKE_FIFO"}, {0x800, "LANDLOCK_ACCESS_FS_MAKE_BLOCK"},
		{0x1000, "LANDLOCK_ACCESS_FS_MAKE_SYM"}, {0x2000, "LANDLOCK_ACCESS_FS_REFER"},
	}}
	ModuleInitFlags = &Flags{Bits: []Sym{{1, "MODULE_INIT_IGNORE_MODVERSIONS"}, {2, "MODULE_INIT_IGNORE_VERMAGIC"}, {4, "MODULE_INIT_COMPRESSED_FILE"}}}
	KexecFileFlags  = &Flags{Bits: []Sym{{1, "KEXEC_FILE_UNLOAD"}, {2, "KEXEC_FILE_ON_CRASH"}, {4, "KEXEC_FILE_NO_INITRAMFS"}}}
	PerfFlags       = &Flags{Bits: []Sym{{1, "PERF_FLAG_FD_NO_GROUP"}, {2, "PERF_FLAG_FD_OUTPUT"}, {4, "PERF_FLAG_PID_CGROUP"}, {8, "PERF_FLAG_FD_CLOEXEC"}}}
	BpfCmds         = &Enum{Unknown: "BPF_???", Syms: []Sym{
		{0, "BPF_MAP_CREATE"}, {1, "BPF_MAP_LOOKUP_ELEM"}, {2, "BPF_MAP_UPDATE_ELEM"},
		{3, "BPF_MAP_DELETE_ELEM"}, {4, "BPF_MAP_GET_NEXT_KEY"}, {5, "BPF_PROG_LOAD"}, {6, "BPF_OBJ_PIN"},
		{7, "BPF_OBJ_GET"}, {8, "BPF_PROG_ATTACH"}, {9, "BPF_PROG_DETACH"}, {0xa, "BPF_PROG_TEST_RUN"},
		{0xb, "BPF_PROG_GET_NEXT_ID"}, {0xc, "BPF_MAP_GET_NEXT_ID"}, {0xd, "BPF_PROG_GET_FD_BY_ID"},
		{0xe, "BPF_MAP_GET_FD_BY_ID"}, {0xf, "BPF_OBJ_GET_INFO_BY_FD"}, {0x10, "BPF_PROG_QUERY"},
		{0x11, "BPF_RAW_TRACEPOINT_OPEN"}, {0x12, "BPF_BTF_LOAD"}, {0x13, "BPF_BTF_GET_FD_BY_ID"},
		{0x14, "BPF_TASK_FD_QUERY"}, {0x15, "BPF_MAP_LOOKUP_AND_DELETE_ELEM"}, {0x16, "BPF_MAP_FREEZE"},
		{0x17, "BPF_BTF_GET_NEXT_ID"}, {0x18, "BPF_MAP_LOOKUP_BATCH"},
		{0x19, "BPF_MAP_LOOKUP_AND_DELETE_BATCH"}, {0x1a, "BPF_MAP_UPDATE_BATCH"},
		{0x1b, "BPF_MAP_DELETE_BATCH"}, {0x1c, "BPF_LINK_CREATE"}, {0x1d, "BPF_LINK_UPDATE"},
		{0x1e, "BPF_LINK_GET_FD_BY_ID"}, {0x1f, "BPF_LINK_GET_NEXT_ID"}, {0x20, "BPF_ENABLE_STATS"},
		{0x21, "BPF_ITER_CREATE"}, {0x22, "BPF_LINK_DETACH"}, {0x23, "BPF_PROG_BIND_MAP"},
	}}
	PersonalityTypes = &Enum{Unknown: "PER_???", Syms: []Sym{{0, "PER_LINUX"}, {6, "PER_BSD"}, {8, "PER_LINUX32"}, {0xc, "PER_RISCOS"}, {0xf, "PER_OSF4"}, {0x10, "PER_HPUX"}}}
	PersonalityFlags = &Flags{Bits: []Sym{
		{0x20000, "UNAME26"}, {0x40000, "ADDR_NO_RANDOMIZE"}, {0x80000, "FDPIC_FUNCPTRS"},
		{0x100000, "MMAP_PAGE_ZERO"}, {0x200000, "ADDR_COMPAT_LAYOUT"}, {0x400000, "READ_IMPLIES_EXEC"},
		{0x800000, "ADDR_LIMIT_32BIT"}, {0x1000000, "SHORT_INODE"}, {0x2000000, "WHOLE_SECONDS"},
		{0x4000000, "STICKY_TIMEOUTS"}, {0x8000000, "ADDR_LIMIT_3GB"},
	}}
)

// utsNameLen is the longest host or domain name (__NEW_UTS_LEN).
const utsNameLen = 64

// System formats.
var (
	FmtGetrandomFlags = flagsFmt(GetrandomFlags)
	FmtMountFlags     = longFlagsFmt(MountFlags)
	FmtUmountFlags    = flagsFmt(UmountFlags)
	FmtSwapFlags      = flagsFmt(SwapFlags)
	FmtRebootMagic1   = enumFmt(RebootMagic1)
	FmtRebootMagic2   = enumFmt(RebootMagic2)
	FmtRebootCmd      = enumFmt(RebootCmds)
	// FmtRebootArg is LINUX_REBOOT_CMD_RESTART2's command string (Aux:
	// the command); other commands take no argument.
	FmtRebootArg = &Format{Name: "str", Decode: func(x *ctx, i int) event.Value {
		if uint32(x.auxOf(i)) != 0xa1b2c3d4 {
			return event.Value{}
		}
		return x.cstring(x.word(x.arg(i)), x.d.Opts.StrSize)
	}}
	// FmtSyslogType is syslog's action, a number with its name in a
	// comment.
	FmtSyslogType = &Format{Name: "enum", Decode: func(x *ctx, i int) event.Value {
		v := event.Int(int64(int32(x.arg(i))))
		v.Comment = SyslogActions.Name(uint64(uint32(x.arg(i))))
		if v.Comment == "" {
			v.Comment = "SYSLOG_ACTION_???"
		}
		return v
	}}
	// FmtSyslogBuf is syslog's buffer: read by the reading actions,
	// absent for the others (Aux: the action).
	FmtSyslogBuf = &Format{Name: "buf",
		Late: func(x *ctx, i int) bool { return syslogReads(x.auxOf(i)) },
		Decode: func(x *ctx, i int) event.Value {
			if !syslogReads(x.auxOf(i)) {
				return event.Value{}
			}
			return x.out(x.word(x.arg(i)), (*ctx).retBuffer)
		}}
	// FmtSyslogLen is syslog's length, shown with the buffer only.
	FmtSyslogLen = &Format{Name: "int", Decode: func(x *ctx, i int) event.Value {
		switch uint32(x.arg(0)) {
		case 2, 3, 4, 8: // READ, READ_ALL, READ_CLEAR, CONSOLE_LEVEL
			return event.Int(int64(int32(x.arg(i))))
		}
		return event.Value{}
	}}
	FmtSeccompOp = enumFmt(SeccompOps)
	// FmtSeccompArgs is seccomp's third argument, by operation.
	FmtSeccompArgs = &Format{Name: "seccomp_args",
		Late: func(x *ctx, i int) bool { return uint32(x.arg(0)) == 3 },
		Decode: func(x *ctx, i int) event.Value {
			addr := x.word(x.arg(i))
			if uint32(x.arg(0)) == 2 { // SECCOMP_GET_ACTION_AVAIL
				return x.boxed32(addr, func(v uint32) event.Value { return enumVal(uint64(v), SeccompActions) })
			}
			return event.Ptr(addr)
		}}
	FmtLandlockCreateFlags = flagsFmt(LandlockCreateFlags)
	FmtLandlockRuleType    = enumFmt(LandlockRuleTypes)
	// FmtLandlockRuleAttr is landlock_add_rule's rule (Aux: its type).
	FmtLandlockRuleAttr = &Format{Name: "landlock_rule", Decode: func(x *ctx, i int) event.Value {
		addr := x.word(x.arg(i))
		if x.auxOf(i) != 1 {
			return event.Ptr(addr)
		}
		b, v, ok := x.fetch(addr, 12)
		if !ok {
			return v
		}
		return strct(event.Field("allowed_access", flagsVal(b.u64(0), LandlockAccessFS)),
			event.Field("parent_fd", x.fd(b.s32(8))))
	}}
	FmtModuleInitFlags = flagsFmt(ModuleInitFlags)
	FmtKexecFileFlags  = longFlagsFmt(KexecFileFlags)
	FmtPerfFlags       = longFlagsFmt(PerfFlags)
	FmtBpfCmd          = enumFmt(BpfCmds)
	FmtHostname        = inFmt("str", func(x *ctx, addr uint64) event.Value {
		if n := x.word(x.auxArg()); n <= utsNameLen {
			return x.buffer(addr, n)
		}
		return event.Ptr(addr)
	})
	// FmtPersonality is a personality value: PER_LINUX|ADDR_NO_RANDOMIZE;
	// 0xffffffff is the query.
	FmtPersonality = &Format{Name: "personality", Decode: func(x *ctx, i int) event.Value {
		p := uint32(x.arg(i))
		if p == 0xffffffff {
			return event.Hex(uint64(p))
		}
		return personality(p)
	}}
	FmtRetPersonality = &Format{Name: "personality", Ret: func(x *ctx) (event.Value, event.Value) {
		return event.Hex(uint64(x.ret())), personality(uint32(x.ret()))
	}}
	FmtIouringParams = &Format{Name: "io_uring_params", Out: true, Decode: func(x *ctx, i int) event.Value {
		return x.iouringParams(x.word(x.arg(i)))
	}}
	FmtIouringEnterFlags = flagsFmt(IouringEnterFlags)
	FmtIouringRegisterOp = enumFmt(IouringRegisterOps)
	// FmtAioContextOut is the context io_setup stores: [0x7f...].
	FmtAioContextOut = outFmt("aio_context", (*ctx).kptrPtr)
	// FmtModuleFlags are delete_module's flags (O_NONBLOCK, O_TRUNC).
	FmtModuleFlags = flagsFmt(&Flags{Bits: []Sym{{0x800, "O_NONBLOCK"}, {0x200, "O_TRUNC"}}})
)

func syslogReads(action uint64) bool {
	a := uint32(action)
	return a == 2 || a == 3 || a == 4
}

// personality renders a personality: its type, then its flags.
func personality(p uint32) event.Value {
	t := enumVal(uint64(p&0xff), PersonalityTypes)
	if f := p &^ 0xff; f != 0 {
		return seqVal(t, orSep, flagsVal(uint64(f), PersonalityFlags))
	}
	return t
}

// Tables of io_uring.
var (
	IouringSetupFlags = &Flags{Bits: []Sym{
		{1, "IORING_SETUP_IOPOLL"}, {2, "IORING_SETUP_SQPOLL"}, {4, "IORING_SETUP_SQ_AFF"},
		{8, "IORING_SETUP_CQSIZE"}, {0x10, "IORING_SETUP_CLAMP"}, {0x20, "IORING_SETUP_ATTACH_WQ"},
		{0x40, "IORING_SETUP_R_DISABLED"}, {0x80, "IORING_SETUP_SUBMIT_ALL"},
		{0x100, "IORING_SETUP_COOP_TASKRUN"}, {0x200, "IORING_SETUP_TASKRUN_FLAG"},
		{0x400, "IORING_SETUP_SQE128"}, {0x800, "IORING_SETUP_CQE32"},
	}}
	IouringFeatures = &Flags{Bits: []Sym{
		{1, "IORING_FEAT_SINGLE_MMAP"}, {2, "IORING_FEAT_NODROP"}, {4, "IORING_FEAT_SUBMIT_STABLE"},
		{8, "IORING_FEAT_RW_CUR_POS"}, {0x10, "IORING_FEAT_CUR_PERSONALITY"},
		{0x20, "IORING_FEAT_FAST_POLL"}, {0x40, "IORING_FEAT_POLL_32BITS"},
		{0x80, "IORING_FEAT_SQPOLL_NONFIXED"}, {0x100, "IORING_FEAT_EXT_ARG"},
		{0x200, "IORING_FEAT_NATIVE_WORKERS"}, {0x400, "IORING_FEAT_RSRC_TAGS"},
		{0x800, "IORING_FEAT_CQE_SKIP"}, {0x1000, "IORING_FEAT_LINKED_FILE"},
	}}
	IouringEnterFlags = &Flags{Bits: []Sym{
		{1, "IORING_ENTER_GETEVENTS"}, {2, "IORING_ENTER_SQ_WAKEUP"}, {4, "IORING_ENTER_SQ_WAIT"},
		{8, "IORING_ENTER_EXT_ARG"}, {0x10, "IORING_ENTER_REGISTERED_RING"},
	}}
	IouringRegisterOps = &Enum{Unknown: "IORING_REGISTER_???", Syms: []Sym{
		{0, "IORING_REGISTER_BUFFERS"}, {1, "IORING_UNREGISTER_BUFFERS"}, {2, "IORING_REGISTER_FILES"},
		{3, "IORING_UNREGISTER_FILES"}, {4, "IORING_REGISTER_EVENTFD"}, {5, "IORING_UNREGISTER_EVENTFD"},
		{6, "IORING_REGISTER_FILES_UPDATE"}, {7, "IORING_REGISTER_EVENTFD_ASYNC"},
		{8, "IORING_REGISTER_PROBE"}, {9, "IORING_REGISTER_PERSONALITY"},
		{0xa, "IORING_UNREGISTER_PERSONALITY"}, {0xb, "IORING_REGISTER_RESTRICTIONS"},
		{0xc, "IORING_REGISTER_ENABLE_RINGS"}, {0xd, "IORING_REGISTER_FILES2"},
		{0xe, "IORING_REGISTER_FILES_UPDATE2"}, {0xf, "IORING_REGISTER_BUFFERS2"},
		{0x10, "IORING_REGISTER_BUFFERS_UPDATE"}, {0x11, "IORING_REGISTER_IOWQ_AFF"},
		{0x12, "IORING_UNREGISTER_IOWQ_AFF"}, {0x13, "IORING_REGISTER_IOWQ_MAX_WORKERS"},
		{0x14, "IORING_REGISTER_RING_FDS"}, {0x15, "IORING_UNREGISTER_RING_FDS"},
		{0x16, "IORING_REGISTER_PBUF_RING"}, {0x17, "IORING_UNREGISTER_PBUF_RING"},
	}}
)

// iouringParams decodes struct io_uring_params: what the caller set and,
// as strace prints at exit, what the kernel filled in.
func (x *ctx) iouringParams(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 120)
	if !ok {
		return v
	}
	u := func(name string, off int) event.Value { return event.Field(name, event.Uint(b.u32(off))) }
	v = strct(event.Field("flags", flagsVal(b.u32(8), IouringSetupFlags)), u("sq_thread_cpu", 12), u("sq_thread_idle", 16))
	if b.u32(8)&0x20 != 0 {
		v.Elems = append(v.Elems, event.Field("wq_fd", x.fd(b.s32(24))))
	}
	if b.u32(28)|b.u32(32)|b.u32(36) != 0 {
		v.Elems = append(v.Elems, event.Field("resv", event.Value{Kind: event.VArray, Elems: []event.Value{
			event.Hex(b.u32(28)), event.Hex(b.u32(32)), event.Hex(b.u32(36))}}))
	}
	sq := strct(u("head", 40), u("tail", 44), u("ring_mask", 48), u("ring_entries", 52), u("flags", 56), u("dropped", 60), u("array", 64))
	cq := strct(u("head", 80), u("tail", 84), u("ring_mask", 88), u("ring_entries", 92), u("overflow", 96), u("cqes", 100), u("flags", 104))
	v.Elems = append(v.Elems, u("sq_entries", 0), u("cq_entries", 4),
		event.Field("features", flagsVal(b.u32(20), IouringFeatures)),
		event.Field("sq_off", sq), event.Field("cq_off", cq))
	return v
}
