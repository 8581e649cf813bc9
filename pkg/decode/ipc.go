package decode

import "github.com/gtrace/gtrace/pkg/event"

// System V IPC tables.
var (
	IpcGetFlags = &Flags{Bits: []Sym{{0x200, "IPC_CREAT"}, {0x400, "IPC_EXCL"}, {0x800, "IPC_NOWAIT"}}}
	ShmGetFlags = &Flags{Bits: []Sym{{0x200, "IPC_CREAT"}, {0x400, "IPC_EXCL"}, {0x800, "SHM_HUGETLB"}, {0x1000, "SHM_NORESERVE"}}}
	ShmatFlags  = &Flags{Bits: []Sym{{0x1000, "SHM_RDONLY"}, {0x2000, "SHM_RND"}, {0x4000, "SHM_REMAP"}, {0x8000, "SHM_EXEC"}}}
	SemopFlags  = &Flags{Bits: []Sym{{0x1000, "SEM_UNDO"}, {0x800, "IPC_NOWAIT"}}}
	MsgrcvFlags = &Flags{Bits: []Sym{{0x1000, "MSG_NOERROR"}, {0x2000, "MSG_EXCEPT"}, {0x4000, "MSG_COPY"}, {0x800, "IPC_NOWAIT"}}}
	MsgctlCmds  = &Enum{Unknown: "MSG_???", Syms: []Sym{
		{0, "IPC_RMID"}, {1, "IPC_SET"}, {2, "IPC_STAT"}, {3, "IPC_INFO"}, {0xb, "MSG_STAT"},
		{0xc, "MSG_INFO"}, {0xd, "MSG_STAT_ANY"},
	}}
	SemctlCmds = &Enum{Unknown: "SEM_???", Syms: []Sym{
		{0, "IPC_RMID"}, {1, "IPC_SET"}, {2, "IPC_STAT"}, {3, "IPC_INFO"}, {0xb, "GETPID"}, {0xc, "GETVAL"},
		{0xd, "GETALL"}, {0xe, "GETNCNT"}, {0xf, "GETZCNT"}, {0x10, "SETVAL"}, {0x11, "SETALL"},
		{0x12, "SEM_STAT"}, {0x13, "SEM_INFO"}, {0x14, "SEM_STAT_ANY"},
	}}
	ShmctlCmds = &Enum{Unknown: "SHM_???", Syms: []Sym{
		{0, "IPC_RMID"}, {1, "IPC_SET"}, {2, "IPC_STAT"}, {3, "IPC_INFO"}, {0xb, "SHM_LOCK"},
		{0xc, "SHM_UNLOCK"}, {0xd, "SHM_STAT"}, {0xe, "SHM_INFO"}, {0xf, "SHM_STAT_ANY"},
	}}
)

// ipcCmd renders an IPC control command, with the IPC_64 flag strace
// shows when a caller sets it.
func ipcCmd(cmd uint32, e *Enum) event.Value {
	if cmd&0x100 != 0 {
		return seqVal(styledVal("IPC_64", event.Hex(0x100)), orSep, enumVal(uint64(cmd&^0x100), e))
	}
	return enumVal(uint64(cmd), e)
}

// ipcFlagsMode renders an IPC get call's flags: the named bits, then the
// permissions in octal (IPC_CREAT|0600).
func ipcFlagsMode(v uint64, f *Flags) event.Value {
	if rest := v &^ 0o777; rest != 0 {
		return seqVal(flagsVal(rest, f), orSep, event.Oct(v&0o777))
	}
	return event.Oct(v)
}

// ipcKey renders an IPC key: IPC_PRIVATE, or its value in hex.
func ipcKey(k uint32) event.Value {
	if k == 0 {
		return styledVal("IPC_PRIVATE", event.Int(0))
	}
	return event.Hex(uint64(k))
}

// IPC formats.
var (
	FmtIpcKey      = &Format{Name: "key", Decode: func(x *ctx, i int) event.Value { return ipcKey(uint32(x.arg(i))) }}
	FmtIpcGetFlags = &Format{Name: "flags", Decode: func(x *ctx, i int) event.Value { return ipcFlagsMode(uint64(uint32(x.arg(i))), IpcGetFlags) }}
	FmtShmgetFlags = &Format{Name: "flags", Decode: func(x *ctx, i int) event.Value { return ipcFlagsMode(uint64(uint32(x.arg(i))), ShmGetFlags) }}
	FmtShmatFlags  = flagsFmt(ShmatFlags)
	FmtMsgrcvFlags = flagsFmt(MsgrcvFlags)
	FmtShmctlCmd   = &Format{Name: "enum", Decode: func(x *ctx, i int) event.Value { return ipcCmd(uint32(x.arg(i)), ShmctlCmds) }}
	FmtSemctlCmd   = &Format{Name: "enum", Decode: func(x *ctx, i int) event.Value { return ipcCmd(uint32(x.arg(i)), SemctlCmds) }}
	FmtMsgctlCmd   = &Format{Name: "enum", Decode: func(x *ctx, i int) event.Value { return ipcCmd(uint32(x.arg(i)), MsgctlCmds) }}
	// FmtSembufs is semop's array of struct sembuf; Aux is its length.
	FmtSembufs = inFmt("sembuf", func(x *ctx, addr uint64) event.Value {
		return x.array(addr, uint64(uint32(x.auxArg())), 6, func(b le) event.Value {
			return strct(
				event.Field("sem_num", event.Uint(b.u16(0))),
				event.Field("sem_op", event.Int(int64(int16(b.u16(2))))),
				event.Field("sem_flg", flagsVal(b.u16(4), SemopFlags)))
		})
	})
	// FmtMsgbuf is the message msgsnd sends; Aux is its size.
	FmtMsgbuf = inFmt("msgbuf", func(x *ctx, addr uint64) event.Value { return x.msgbuf(addr, x.word(x.auxArg())) })
	// FmtMsgbufOut is the message msgrcv fills; Aux is its size.
	FmtMsgbufOut = outFmt("msgbuf", func(x *ctx, addr uint64) event.Value { return x.msgbuf(addr, x.word(x.auxArg())) })
	// FmtShmidDs is shmctl's buffer: the struct shmid_ds IPC_STAT fills,
	// IPC_SET reads (Aux: the command).
	FmtShmidDs = &Format{Name: "shmid_ds",
		Late: func(x *ctx, i int) bool { return ipcStats(x.auxOf(i), 0xd, 0xf) },
		Decode: func(x *ctx, i int) event.Value {
			addr := x.word(x.arg(i))
			switch c := uint32(x.auxOf(i)) &^ 0x100; {
			case ipcStats(uint64(c), 0xd, 0xf):
				return x.out(addr, (*ctx).shmidDs)
			case c == 1:
				return x.shmidDs(addr)
			}
			return event.Ptr(addr)
		}}
)

// ipcStats reports whether cmd fills a *id_ds: IPC_STAT or the given
// STAT and STAT_ANY commands.
func ipcStats(cmd uint64, stat, statAny uint32) bool {
	c := uint32(cmd) &^ 0x100
	return c == 2 || c == stat || c == statAny
}

// msgbuf decodes struct msgbuf {long mtype; char mtext[size]}.
func (x *ctx) msgbuf(addr, size uint64) event.Value {
	b, v, ok := x.fetch(addr, 8)
	if !ok {
		return v
	}
	return strct(event.Field("mtype", event.Int(b.s64(0))), event.Field("mtext", x.buffer(addr+8, size)))
}

// ipcPerm decodes struct ipc64_perm.
func ipcPerm(b le) event.Value {
	return strct(
		event.Field("uid", event.Uint(b.u32(4))), event.Field("gid", event.Uint(b.u32(8))),
		event.Field("mode", event.Oct(b.u32(20)&0o777)), event.Field("key", event.Uint(b.u32(0))),
		event.Field("cuid", event.Uint(b.u32(12))), event.Field("cgid", event.Uint(b.u32(16))))
}

// shmidDs decodes struct shmid64_ds (x86_64).
func (x *ctx) shmidDs(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 112)
	if !ok {
		return v
	}
	return strct(
		event.Field("shm_perm", ipcPerm(b)),
		event.Field("shm_segsz", event.Uint(b.u64(48))),
		event.Field("shm_cpid", event.Int(b.s32(80))), event.Field("shm_lpid", event.Int(b.s32(84))),
		event.Field("shm_nattch", event.Uint(b.u64(88))),
		event.Field("shm_atime", event.Int(b.s64(56))), event.Field("shm_dtime", event.Int(b.s64(64))),
		event.Field("shm_ctime", event.Int(b.s64(72))))
}

// POSIX message queue formats.
var (
	// FmtMqMode and FmtMqAttr are mq_open's mode and attributes, shown
	// when it creates a queue (Aux: the flags).
	FmtMqMode = &Format{Name: "mode", Decode: func(x *ctx, i int) event.Value {
		if x.auxOf(i)&oCreat == 0 {
			return event.Value{}
		}
		return event.Oct(uint64(uint32(x.arg(i))))
	}}
	FmtMqAttr = &Format{Name: "mq_attr", Decode: func(x *ctx, i int) event.Value {
		if x.auxOf(i)&oCreat == 0 {
			return event.Value{}
		}
		return x.mqAttr(x.word(x.arg(i)))
	}}
	FmtMqAttrIn  = inFmt("mq_attr", (*ctx).mqAttr)
	FmtMqAttrOut = outFmt("mq_attr", (*ctx).mqAttr)
)

// mqAttr decodes struct mq_attr.
func (x *ctx) mqAttr(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 32)
	if !ok {
		return v
	}
	return strct(
		event.Field("mq_flags", flagsVal(b.u64(0), FdFlagBits)),
		event.Field("mq_maxmsg", event.Int(b.s64(8))), event.Field("mq_msgsize", event.Int(b.s64(16))),
		event.Field("mq_curmsgs", event.Int(b.s64(24))))
}
