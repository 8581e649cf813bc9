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

// decodeOldMmap decodes i386's old mmap, whose one argument points to
// mmap's six: mmap(NULL, 4096, PROT_READ, ...). strace prints the pointer
// alone when the struct is unreadable.
func decodeOldMmap(x *ctx) {
	args, ok := x.loadWords(x.word(x.arg(0)), 6)
	if !ok {
		x.entryArgs()
		return
	}
	x.becomeSubcall("mmap", args)
}

// decodeOldSelect decodes i386's old select, whose one argument points to
// select's five.
func decodeOldSelect(x *ctx) {
	args, ok := x.loadWords(x.word(x.arg(0)), 5)
	if !ok {
		x.entryArgs()
		return
	}
	x.becomeSubcall("select", args)
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
		addr := x.word(x.arg(i))
		if x.failed() || addr == 0 {
			return event.Ptr(addr)
		}
		b, ok := x.readFull(addr, 8)
		if !ok {
			return event.Ptr(addr)
		}
		return event.Value{Kind: event.VArray, Elems: []event.Value{event.Int(le(b).s64(0))}}
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
		addr := x.word(x.arg(i))
		if x.failed() || addr == 0 {
			return event.Ptr(addr)
		}
		b, ok := x.readFull(addr, 2)
		if !ok {
			return event.Ptr(addr)
		}
		return event.Value{Kind: event.VArray, Elems: []event.Value{uid16(le(b).u16(0))}}
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
		return x.compatStat(x.word(x.arg(i)), 96, stat64ToNative)
	}}
	// FmtCompatStatOut is i386's struct stat (stat, lstat, fstat).
	FmtCompatStatOut = &Format{Name: "stat", Out: true, Decode: func(x *ctx, i int) event.Value {
		return x.compatStat(x.word(x.arg(i)), 64, compatStatToNative)
	}}
)

// SeekWhence names lseek's whence.
var SeekWhence = &Enum{Unknown: "SEEK_???", Syms: []Sym{
	{0, "SEEK_SET"}, {1, "SEEK_CUR"}, {2, "SEEK_END"}, {3, "SEEK_DATA"}, {4, "SEEK_HOLE"},
}}

func uid16(v uint64) event.Value {
	if uint16(v) == 0xffff {
		return event.Int(-1)
	}
	return event.Uint(uint64(uint16(v)))
}

// compatStat reads an i386 stat struct of size bytes and renders it as
// the x86_64 one, which convert fills from it.
func (x *ctx) compatStat(addr uint64, size int, convert func(src le) le) event.Value {
	if x.failed() || addr == 0 {
		return event.Ptr(addr)
	}
	raw, ok := x.readFull(addr, size)
	if !ok {
		return event.Fault(addr)
	}
	return x.statValue(convert(le(raw)))
}

// statLayout is where x86_64's struct stat keeps each field.
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
	stAtime   = 72
	statSize  = 144
)

// nativeStat builds an x86_64 struct stat from field values.
type nativeStat le

func (n nativeStat) put64(off int, v uint64) {
	for i := range 8 {
		n[off+i] = byte(v >> (8 * i))
	}
}

func (n nativeStat) put32(off int, v uint64) {
	for i := range 4 {
		n[off+i] = byte(v >> (8 * i))
	}
}

// stat64ToNative converts i386's packed struct stat64.
func stat64ToNative(s le) le {
	n := nativeStat(make(le, statSize))
	n.put64(stDev, s.u64(0))
	n.put64(stIno, s.u64(88))
	n.put32(stMode, s.u32(16))
	n.put64(stNlink, s.u32(20))
	n.put32(stUID, s.u32(24))
	n.put32(stGID, s.u32(28))
	n.put64(stRdev, s.u64(32))
	n.put64(stSize, s.u64(44))
	n.put64(stBlksize, s.u32(52))
	n.put64(stBlocks, s.u64(56))
	for i := range 6 { // atime, its nsec, mtime, ..., ctime's nsec
		n.put64(stAtime+8*i, uint64(int64(s.s32(64+4*i))))
	}
	return le(n)
}

// compatStatToNative converts i386's struct stat: longs, 16-bit mode,
// nlink and ids.
func compatStatToNative(s le) le {
	n := nativeStat(make(le, statSize))
	n.put64(stDev, s.u32(0))
	n.put64(stIno, s.u32(4))
	n.put32(stMode, s.u16(8))
	n.put64(stNlink, s.u16(10))
	n.put32(stUID, s.u16(12))
	n.put32(stGID, s.u16(14))
	n.put64(stRdev, s.u32(16))
	n.put64(stSize, s.u32(20))
	n.put64(stBlksize, s.u32(24))
	n.put64(stBlocks, s.u32(28))
	for i := range 6 {
		n.put64(stAtime+8*i, uint64(int64(s.s32(32+4*i))))
	}
	return le(n)
}
