package decode

import (
	"github.com/gtrace/gtrace/pkg/categories"
	"github.com/gtrace/gtrace/pkg/event"
)

// i386 compat: the calls a 32-bit program (or a 64-bit one running
// int $0x80) makes differently. Multiplexers (socketcall, ipc) and calls
// that take their arguments from a struct (old mmap, old select) print as
// the call they stand for, as strace prints them; 64-bit values come in
// two registers; uids of the old calls are 16 bits.

// socketcall's subcalls, by number (SYS_SOCKET is 1), and how many
// arguments each takes from the array.
var socketcalls = [...]struct {
	name  string
	nargs int
}{
	1: {"socket", 3}, 2: {"bind", 3}, 3: {"connect", 3}, 4: {"listen", 2}, 5: {"accept", 3},
	6: {"getsockname", 3}, 7: {"getpeername", 3}, 8: {"socketpair", 4}, 9: {"send", 4},
	10: {"recv", 4}, 11: {"sendto", 6}, 12: {"recvfrom", 6}, 13: {"shutdown", 2},
	14: {"setsockopt", 5}, 15: {"getsockopt", 5}, 16: {"sendmsg", 3}, 17: {"recvmsg", 3},
	18: {"accept4", 4}, 19: {"recvmmsg", 5}, 20: {"sendmmsg", 4},
}

// SocketcallCalls names socketcall's call: SYS_SOCKET.
var SocketcallCalls = &Enum{Decimal: true, Syms: []Sym{
	{1, "SYS_SOCKET"}, {2, "SYS_BIND"}, {3, "SYS_CONNECT"}, {4, "SYS_LISTEN"}, {5, "SYS_ACCEPT"},
	{6, "SYS_GETSOCKNAME"}, {7, "SYS_GETPEERNAME"}, {8, "SYS_SOCKETPAIR"}, {9, "SYS_SEND"},
	{10, "SYS_RECV"}, {11, "SYS_SENDTO"}, {12, "SYS_RECVFROM"}, {13, "SYS_SHUTDOWN"},
	{14, "SYS_SETSOCKOPT"}, {15, "SYS_GETSOCKOPT"}, {16, "SYS_SENDMSG"}, {17, "SYS_RECVMSG"},
	{18, "SYS_ACCEPT4"}, {19, "SYS_RECVMMSG"}, {20, "SYS_SENDMMSG"},
}}

// send and recv exist only as socketcall subcalls: no table has them.
var (
	sendRow = &Syscall{Name: "send", Cats: categories.Network, Args: []ArgSpec{
		{"fd", FmtFd, -1}, {"buff", FmtWbuf, 2}, {"len", FmtUlong, -1}, {"flags", FmtMsgFlags, -1},
	}}
	recvRow = &Syscall{Name: "recv", Cats: categories.Network, Args: []ArgSpec{
		{"fd", FmtFd, -1}, {"ubuf", FmtRbuf, -1}, {"size", FmtUlong, -1}, {"flags", FmtMsgFlags, -1},
	}}
)

// subcallRow returns the i386 row a multiplexed call is decoded with.
func subcallRow(name string) *Syscall {
	switch name {
	case "send":
		return sendRow
	case "recv":
		return recvRow
	case "select":
		return tableI386.ByName("_newselect")
	case "mmap":
		// old_mmap's struct holds mmap's six arguments, the offset in
		// bytes: x86_64's mmap row decodes them.
		return tableX86_64.ByName("mmap")
	}
	return tableI386.ByName(name)
}

// becomeSubcall decodes the call as name with args in place of the
// registers.
func (x *ctx) becomeSubcall(name string, args []uint64) {
	sub := subcallRow(name)
	if sub == nil {
		x.entryArgs()
		return
	}
	x.call.Raw = [6]uint64{}
	copy(x.call.Raw[:], args)
	x.call.Name, x.call.Cats = name, sub.Cats
	x.sc = sub
	x.entry()
}

// exitSubcall completes a call that became another at entry.
func exitSubcall(x *ctx) {
	// A call whose arguments could not be read stayed itself: its
	// argument count tells it from the call it would have become.
	if sub := subcallRow(x.call.Name); sub != nil && sub != x.sc && len(x.call.Args) == len(sub.Args) {
		x.sc = sub
		if sub.custom != nil && sub.custom.exit != nil {
			sub.custom.exit(x)
			return
		}
	}
	x.exitArgs()
}

// loadWords reads n 32-bit words at addr, zero-extended.
func (x *ctx) loadWords(addr uint64, n int) ([]uint64, bool) {
	b, ok := x.readFull(addr, 4*n)
	if !ok {
		return nil, false
	}
	out := make([]uint64, n)
	for i := range out {
		out[i] = le(b).u32(4 * i)
	}
	return out, true
}

// decodeSocketcall decodes socketcall(call, args) as the call it stands
// for, with the arguments it points to: socket(AF_INET, ...).
func decodeSocketcall(x *ctx) {
	call := uint32(x.arg(0))
	if call == 0 || int(call) >= len(socketcalls) {
		x.entryArgs()
		return
	}
	sub := socketcalls[call]
	args, ok := x.loadWords(x.word(x.arg(1)), sub.nargs)
	if !ok {
		x.entryArgs()
		return
	}
	x.becomeSubcall(sub.name, args)
}

// ipc's subcalls, by the low 16 bits of call, with the ipc arguments
// (1: first, 2: second, 3: third, 4: ptr, 5: fifth) that make each one's
// arguments in order.
var ipcCalls = map[uint32]struct {
	name string
	args []int
}{
	1: {"semop", []int{1, 4, 2}}, 2: {"semget", []int{1, 2, 3}}, 3: {"semctl", []int{1, 2, 3, 4}},
	4: {"semtimedop", []int{1, 4, 2, 5}}, 11: {"msgsnd", []int{1, 4, 2, 3}},
	12: {"msgrcv", []int{1, 4, 2, 5, 3}}, 13: {"msgget", []int{1, 2}}, 14: {"msgctl", []int{1, 2, 4}},
	21: {"shmat", []int{1, 4, 2}}, 22: {"shmdt", []int{4}}, 23: {"shmget", []int{1, 2, 3}},
	24: {"shmctl", []int{1, 2, 4}},
}

// ipcVersionShift: ipc's call carries a version in its high 16 bits;
// version 0 of msgrcv passes a struct ipc_kludge, which stays undecoded.
const ipcVersionShift = 16

// decodeIPC decodes ipc(call, ...) as the System V call it stands for.
func decodeIPC(x *ctx) {
	call := uint32(x.arg(0))
	sub, ok := ipcCalls[call&0xffff]
	if !ok || (sub.name == "msgrcv" && call>>ipcVersionShift == 0) {
		x.entryArgs()
		return
	}
	args := make([]uint64, len(sub.args))
	for i, a := range sub.args {
		args[i] = x.arg(a)
	}
	x.becomeSubcall(sub.name, args)
}

// structArgs returns a decoder for an i386 call whose one argument points
// to the n arguments of the call name: old mmap holds mmap's six (mmap(NULL,
// 4096, PROT_READ, ...)), old select select's five. strace prints the
// pointer alone when the struct is unreadable.
func structArgs(name string, n int) func(x *ctx) {
	return func(x *ctx) {
		args, ok := x.loadWords(x.word(x.arg(0)), n)
		if !ok {
			x.entryArgs()
			return
		}
		x.becomeSubcall(name, args)
	}
}

// Compat formats.
var (
	// FmtSocketcallCall is socketcall's call, shown when its arguments
	// cannot be read.
	FmtSocketcallCall = &Format{Name: "enum", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VEnum, N: uint64(uint32(x.arg(i))), Syms: SocketcallCalls}
	}}
	// FmtOff64Lo is the low half of a 64-bit value whose high half is the
	// Aux register: strace prints the two as one signed number.
	FmtOff64Lo = &Format{Name: "long", Decode: func(x *ctx, i int) event.Value {
		return event.Int(int64(uint64(uint32(x.arg(i))) | uint64(uint32(x.arg(int(x.sc.Args[i].Aux))))<<32))
	}}
	// FmtOff64Hi is the high half of a 64-bit value whose low half is
	// the Aux register.
	FmtOff64Hi = &Format{Name: "long", Decode: func(x *ctx, i int) event.Value {
		return event.Int(int64(uint64(uint32(x.arg(i)))<<32 | uint64(uint32(x.arg(int(x.sc.Args[i].Aux))))))
	}}
	// FmtHidden is a register another argument has printed (the second
	// half of a 64-bit value).
	FmtHidden = &Format{Name: "none", Decode: func(*ctx, int) event.Value { return event.Value{} }}
	// FmtMmap2Pgoff is mmap2's offset, in pages: strace prints it in
	// bytes.
	FmtMmap2Pgoff = &Format{Name: "hex", Decode: func(x *ctx, i int) event.Value {
		return event.Hex(x.word(x.arg(i)) * pageSize)
	}}
	// FmtLoffOut is the loff_t _llseek stores its result in: [1234].
	FmtLoffOut = &Format{Name: "loff", Out: true, Decode: func(x *ctx, i int) event.Value {
		return x.indirectOut(i, 8, func(b le) event.Value { return event.Int(b.s64(0)) })
	}}
	FmtSeekWhence = &Format{Name: "enum", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VEnum, N: uint64(uint32(x.arg(i))), Syms: SeekWhence}
	}}
	// FmtUid16 is an old 16-bit uid or gid: (old_uid_t)-1 prints as -1.
	FmtUid16 = &Format{Name: "id", Decode: func(x *ctx, i int) event.Value {
		return uid16(x.arg(i))
	}}
	// FmtUid16Out is an old_uid_t the call stores (getresuid16): [0].
	FmtUid16Out = &Format{Name: "id", Out: true, Decode: func(x *ctx, i int) event.Value {
		return x.indirectOut(i, 2, func(b le) event.Value { return uid16(b.u16(0)) })
	}}
	// FmtGid16Array is setgroups16's list; Aux is its length.
	FmtGid16Array = &Format{Name: "gids", Decode: func(x *ctx, i int) event.Value {
		n := uint64(uint32(x.arg(int(x.sc.Args[i].Aux))))
		return x.array(x.word(x.arg(i)), n, 2, func(b le) event.Value { return uid16(b.u16(0)) })
	}}
	// FmtGid16ArrayOut is getgroups16's list: as many as it returns.
	FmtGid16ArrayOut = &Format{Name: "gids", Out: true, Decode: func(x *ctx, i int) event.Value {
		addr := x.word(x.arg(i))
		if x.failed() || uint32(x.arg(int(x.sc.Args[i].Aux))) == 0 {
			return event.Ptr(addr)
		}
		return x.array(addr, uint64(x.ret()), 2, func(b le) event.Value { return uid16(b.u16(0)) })
	}}
	// FmtStat64Out is i386's struct stat64.
	FmtStat64Out = &Format{Name: "stat", Out: true, Decode: func(x *ctx, i int) event.Value {
		return x.compatStat(x.word(x.arg(i)), 96, stat64Fields)
	}}
	// FmtCompatStatOut is i386's struct stat (stat, lstat, fstat).
	FmtCompatStatOut = &Format{Name: "stat", Out: true, Decode: func(x *ctx, i int) event.Value {
		return x.compatStat(x.word(x.arg(i)), 64, compatStatFields)
	}}
)

// indirectOut renders the value of size bytes that argument i points to
// and the call stores: [value], or the pointer when the call failed.
func (x *ctx) indirectOut(i, size int, render func(le) event.Value) event.Value {
	addr := x.word(x.arg(i))
	if x.failed() || addr == 0 {
		return event.Ptr(addr)
	}
	b, ok := x.readFull(addr, size)
	if !ok {
		return event.Ptr(addr)
	}
	return event.Value{Kind: event.VArray, Elems: []event.Value{render(le(b))}}
}

// Old signal formats of i386: sigaction, sigprocmask, sigpending and
// sigsuspend take a 32-bit mask (old_sigset_t).
var (
	// FmtOldSigaction is the struct old_sigaction sigaction reads:
	// handler, mask, flags, restorer.
	FmtOldSigaction = &Format{Name: "sigaction", Decode: func(x *ctx, i int) event.Value {
		return x.oldSigaction(x.word(x.arg(i)))
	}}
	// FmtOldSigactionOut is the old_sigaction sigaction fills.
	FmtOldSigactionOut = &Format{Name: "sigaction", Out: true, Decode: func(x *ctx, i int) event.Value {
		if x.failed() {
			return event.Ptr(x.word(x.arg(i)))
		}
		return x.oldSigaction(x.word(x.arg(i)))
	}}
	// FmtOldSigset is an old_sigset_t the call reads.
	FmtOldSigset = &Format{Name: "sigset", Decode: func(x *ctx, i int) event.Value {
		return x.sigset(x.word(x.arg(i)), 4)
	}}
	// FmtOldSigsetOut is an old_sigset_t the call fills.
	FmtOldSigsetOut = &Format{Name: "sigset", Out: true, Decode: func(x *ctx, i int) event.Value {
		if x.failed() {
			return event.Ptr(x.word(x.arg(i)))
		}
		return x.sigset(x.word(x.arg(i)), 4)
	}}
	// FmtOldSigmask is sigsuspend's mask, passed by value.
	FmtOldSigmask = &Format{Name: "sigset", Decode: func(x *ctx, i int) event.Value {
		v := x.arg(i)
		return sigsetVal([]byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)})
	}}
)

func (x *ctx) oldSigaction(addr uint64) event.Value {
	if addr == 0 {
		return event.Ptr(0)
	}
	raw, ok := x.readFull(addr, 16)
	if !ok {
		return event.Fault(addr)
	}
	b := le(raw)
	return sigactionValue(b.u32(0), b.u32(8), b.u32(12), raw[4:8])
}

func uid16(v uint64) event.Value {
	if uint16(v) == 0xffff {
		return event.Int(-1)
	}
	return event.Uint(uint64(uint16(v)))
}

// compatStat reads an i386 stat struct of size bytes and renders it as
// the x86_64 one, into which fields copies it.
func (x *ctx) compatStat(addr uint64, size int, fields []statField) event.Value {
	if x.failed() || addr == 0 {
		return event.Ptr(addr)
	}
	raw, ok := x.readFull(addr, size)
	if !ok {
		return event.Fault(addr)
	}
	native := make([]byte, statSize)
	for _, f := range fields {
		v := le(raw).field(f.src, f.srcSize, f.signed)
		for i := range f.dstSize {
			native[f.dst+i] = byte(v >> (8 * i))
		}
	}
	return x.statValue(native)
}

// statField is where a field of an i386 stat struct goes in x86_64's
// struct stat, the layout statValue renders.
type statField struct {
	dst, dstSize int
	src, srcSize int
	signed       bool // widened with its sign (the times)
}

// field reads an integer of size bytes at off.
func (b le) field(off, size int, signed bool) uint64 {
	switch {
	case size == 8:
		return b.u64(off)
	case size == 4 && signed:
		return uint64(b.s32(off))
	case size == 4:
		return b.u32(off)
	}
	return b.u16(off)
}

// Offsets in x86_64's struct stat.
const (
	stDev     = 0
	stIno     = 8
	stNlink   = 16
	stMode    = 24
	stUID     = 28
	stGID     = 32
	stRdev    = 40
	stSize    = 48
	stBlksize = 56
	stBlocks  = 64
	stAtime   = 72 // then its nsec, mtime, mtime's nsec, ctime, ctime's nsec
	statSize  = 144
)

// statTimes maps six 32-bit time fields from src on: atime, its nsec, mtime,
// ..., ctime's nsec.
func statTimes(src int) []statField {
	f := make([]statField, 6)
	for i := range f {
		f[i] = statField{dst: stAtime + 8*i, dstSize: 8, src: src + 4*i, srcSize: 4, signed: true}
	}
	return f
}

var (
	// stat64Fields lay out i386's packed struct stat64.
	stat64Fields = append([]statField{
		{stDev, 8, 0, 8, false}, {stIno, 8, 88, 8, false}, {stMode, 4, 16, 4, false},
		{stNlink, 8, 20, 4, false}, {stUID, 4, 24, 4, false}, {stGID, 4, 28, 4, false},
		{stRdev, 8, 32, 8, false}, {stSize, 8, 44, 8, false}, {stBlksize, 8, 52, 4, false},
		{stBlocks, 8, 56, 8, false},
	}, statTimes(64)...)
	// compatStatFields lay out i386's struct stat: longs, and 16-bit
	// mode, nlink and ids.
	compatStatFields = append([]statField{
		{stDev, 8, 0, 4, false}, {stIno, 8, 4, 4, false}, {stMode, 4, 8, 2, false},
		{stNlink, 8, 10, 2, false}, {stUID, 4, 12, 2, false}, {stGID, 4, 14, 2, false},
		{stRdev, 8, 16, 4, false}, {stSize, 8, 20, 4, false}, {stBlksize, 8, 24, 4, false},
		{stBlocks, 8, 28, 4, false},
	}, statTimes(32)...)
)
