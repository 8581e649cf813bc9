package decode

import (
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/gtrace/gtrace/pkg/event"
)

// struct msghdr and its relatives are arrays of longs and ints; their
// offsets scale with the word size (x86_64: 8, i386: 4).
//
//	struct user_msghdr { void *name; int namelen; struct iovec *iov;
//	    size_t iovlen; void *control; size_t controllen; unsigned flags; }
func msghdrSize(ws int) int  { return 7 * ws }
func mmsghdrSize(ws int) int { return 8 * ws }
func iovecSize(ws int) int   { return 2 * ws }

// cmsghdrSize is sizeof(struct cmsghdr): a size_t length, two ints.
func cmsghdrSize(ws int) int { return ws + 8 }

// unlimited is a data size that does not bound what iovecs show.
const unlimited = ^uint64(0)

// portion is how much of a buffer of length bytes the data bytes left of
// a call cover (the iovecs of a read fill in order); it is taken from
// *data, unless unlimited.
func portion(data *uint64, length uint64) uint64 {
	n := min(length, *data)
	if *data != unlimited {
		*data -= n
	}
	return n
}

// wordAt reads the long at word index i of a struct.
func (b le) wordAt(i, ws int) uint64 { return b.word(i*ws, ws) }

// Message formats.
var (
	// FmtMsghdr is the struct msghdr sendmsg reads.
	FmtMsghdr = &Format{Name: "msghdr", Decode: func(x *ctx, i int) event.Value {
		return x.msghdr(x.word(x.arg(i)), nil, unlimited)
	}}
	// FmtMsghdrOut is the struct msghdr recvmsg fills. Its msg_namelen at
	// entry is kept: strace shows msg_namelen=128 => 16.
	FmtMsghdrOut = &Format{Name: "msghdr", Out: true, Save: func(x *ctx, i int) event.Value {
		raw, ok := x.readFull(x.word(x.arg(i)), msghdrSize(x.ws()))
		if !ok || x.arg(i) == 0 {
			return event.Value{}
		}
		return event.Int(le(raw).s32(x.ws()))
	}, Decode: func(x *ctx, i int) event.Value {
		addr := x.word(x.arg(i))
		namelen := x.call.Args[i].Val
		switch {
		case namelen.Kind != event.VInt:
			return event.Ptr(addr)
		case x.failed():
			return event.Value{Kind: event.VStruct, Elems: []event.Value{event.Field("msg_namelen", namelen)}}
		}
		user := namelen.Int64()
		return x.msghdr(addr, &user, uint64(x.ret()))
	}}
	// FmtMmsghdrOut is sendmmsg's and recvmmsg's array of struct mmsghdr,
	// decoded at exit. For recvmmsg the msg_namelen of each at entry is
	// kept, and the array shows the messages received.
	FmtMmsghdrOut = &Format{Name: "mmsghdr", Out: true, Save: saveMmsgNamelens, Decode: func(x *ctx, i int) event.Value {
		addr := x.word(x.arg(i))
		vlen := uint64(uint32(x.arg(int(x.sc.Args[i].Aux))))
		if x.call.Args[i].Val.Kind == event.VArray { // recvmmsg
			if x.failed() {
				return event.Ptr(addr)
			}
			n := uint64(x.ret())
			return x.mmsgvec(addr, n, n, x.call.Args[i].Val.Elems, true)
		}
		sent := uint64(0)
		if !x.failed() {
			sent = uint64(x.ret())
		}
		return x.mmsgvec(addr, vlen, sent, nil, false)
	}}
)

func (x *ctx) ws() int { return x.call.Arch.WordSize() }

// msghdr decodes the struct msghdr at addr. user is msg_namelen before
// the call (recvmsg), nil when the call only reads it; data bounds the
// bytes the iovecs show.
func (x *ctx) msghdr(addr uint64, user *int64, data uint64) event.Value {
	if addr == 0 {
		return event.Ptr(0)
	}
	raw, ok := x.readFull(addr, msghdrSize(x.ws()))
	if !ok {
		return event.Fault(addr)
	}
	return x.msghdrValue(le(raw), user, data)
}

func (x *ctx) msghdrValue(b le, user *int64, data uint64) event.Value {
	ws := x.ws()
	name, iov, control := b.wordAt(0, ws), b.wordAt(2, ws), b.wordAt(4, ws)
	namelen := b.s32(ws)
	iovlen, controllen := b.wordAt(3, ws), b.wordAt(5, ws)
	flags := b.u32(6 * ws)

	shown := namelen
	if user != nil && namelen > *user {
		shown = *user
	}
	nl := event.Int(namelen)
	if user != nil && *user != namelen {
		nl = event.Text(itoa(int(*user)) + " => " + itoa(int(namelen)))
	}
	v := event.Value{Kind: event.VStruct, Elems: []event.Value{
		event.Field("msg_name", x.sockaddr(name, shown)),
		event.Field("msg_namelen", nl),
		event.Field("msg_iov", x.iovecs(iov, iovlen, data)),
		event.Field("msg_iovlen", event.Uint(iovlen)),
	}}
	if controllen != 0 {
		v.Elems = append(v.Elems, event.Field("msg_control", x.cmsgs(control, controllen)))
	}
	v.Elems = append(v.Elems,
		event.Field("msg_controllen", event.Uint(controllen)),
		event.Field("msg_flags", event.Value{Kind: event.VFlags, N: flags, Syms: MsgFlags}))
	return v
}

// saveMmsgNamelens keeps, for recvmmsg, the msg_namelen of each message
// before the call. sendmmsg keeps nothing.
func saveMmsgNamelens(x *ctx, i int) event.Value {
	if x.sc.Name != "recvmmsg" && x.sc.Name != "recvmmsg_time64" {
		return event.Value{}
	}
	ws := x.ws()
	vlen := min(uint64(uint32(x.arg(int(x.sc.Args[i].Aux)))), iovMax)
	v := event.Value{Kind: event.VArray}
	raw := x.read(x.word(x.arg(i)), int(vlen)*mmsghdrSize(ws))
	for off := 0; off+mmsghdrSize(ws) <= len(raw); off += mmsghdrSize(ws) {
		v.Elems = append(v.Elems, event.Int(le(raw[off:]).s32(ws)))
	}
	return v
}

// iovMax is the kernel's UIO_MAXIOV: strace shows no more messages.
const iovMax = 1024

// mmsgvec decodes n struct mmsghdr at addr; the first withLen show
// msg_len. namelens are the msg_namelen values before the call
// (recvmmsg); useLen bounds each message's buffers by its msg_len.
func (x *ctx) mmsgvec(addr, n, withLen uint64, namelens []event.Value, useLen bool) event.Value {
	ws := x.ws()
	idx := 0
	count := uint64(iovMax)
	if namelens != nil {
		count = min(count, uint64(len(namelens)))
	}
	return x.array(addr, n, mmsghdrSize(ws), func(b le) event.Value {
		if count == 0 {
			return event.Text("...")
		}
		count--
		var user *int64
		if idx < len(namelens) {
			u := namelens[idx].Int64()
			user = &u
		}
		idx++
		msgLen := b.u32(7 * ws)
		data := unlimited
		if useLen {
			data = msgLen
		}
		v := event.Value{Kind: event.VStruct, Elems: []event.Value{
			event.Field("msg_hdr", x.msghdrValue(b, user, data)),
		}}
		if withLen > 0 {
			withLen--
			v.Elems = append(v.Elems, event.Field("msg_len", event.Uint(msgLen)))
		}
		return v
	})
}

// SCMTypes names SOL_SOCKET control messages.
var SCMTypes = &Enum{Unknown: "SCM_???", Syms: []Sym{
	{1, "SCM_RIGHTS"}, {2, "SCM_CREDENTIALS"}, {3, "SCM_SECURITY"}, {4, "SCM_PIDFD"},
	{29, "SO_TIMESTAMP_OLD"}, {35, "SO_TIMESTAMPNS_OLD"}, {37, "SO_TIMESTAMPING_OLD"},
	{40, "SO_RXQ_OVFL"}, {41, "SO_WIFI_STATUS"}, {54, "SCM_TIMESTAMPING_OPT_STATS"},
	{58, "SCM_TIMESTAMPING_PKTINFO"}, {61, "SO_TXTIME"}, {63, "SO_TIMESTAMP_NEW"},
	{64, "SO_TIMESTAMPNS_NEW"}, {65, "SO_TIMESTAMPING_NEW"},
}}

// IPCmsgTypes names SOL_IP control messages.
var IPCmsgTypes = &Enum{Unknown: "IP_???", Syms: []Sym{
	{1, "IP_TOS"}, {2, "IP_TTL"}, {3, "IP_HDRINCL"}, {4, "IP_OPTIONS"}, {6, "IP_RECVOPTS"},
	{7, "IP_RETOPTS"}, {8, "IP_PKTINFO"}, {11, "IP_RECVERR"}, {20, "IP_ORIGDSTADDR"},
	{23, "IP_CHECKSUM"}, {25, "IP_RECVFRAGSIZE"},
}}

const (
	solIP     = 0
	solSocket = 1
)

// optmemMax is the kernel's net.core.optmem_max, which bounds the control
// data strace reads, rounded up to 8.
var optmemMax = sync.OnceValue(func() uint64 {
	b, err := os.ReadFile("/proc/sys/net/core/optmem_max")
	n, perr := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 32)
	if err != nil || perr != nil || n == 0 {
		return 8 * (2*iovMax + 512)
	}
	return (n + 7) &^ 7
})

// cmsgs decodes control messages: [{cmsg_len=24, cmsg_level=SOL_SOCKET,
// cmsg_type=SCM_RIGHTS, cmsg_data=[3, 4]}].
func (x *ctx) cmsgs(addr, size uint64) event.Value {
	ws := x.ws()
	hdr := cmsghdrSize(ws)
	n := min(size, optmemMax())
	if n < uint64(hdr) {
		return event.Ptr(addr)
	}
	raw, ok := x.readFull(addr, int(n))
	if !ok {
		return event.Ptr(addr)
	}
	return x.cmsgsValue(addr, le(raw), size)
}

func (x *ctx) cmsgsValue(addr uint64, buf le, size uint64) event.Value {
	ws := x.ws()
	hdr := uint64(cmsghdrSize(ws))
	v := event.Value{Kind: event.VArray}
	rest := uint64(len(buf))
	for off := uint64(0); rest >= hdr; {
		b := buf[off:]
		clen := b.wordAt(0, ws)
		level, typ := b.s32(ws), b.s32(ws+4)
		n := min(clen, rest)
		var data le
		if n > hdr {
			data = b[hdr:n]
		}
		m := event.Value{Kind: event.VStruct, Elems: []event.Value{
			event.Field("cmsg_len", event.Uint(clen)),
			event.Field("cmsg_level", event.Value{Kind: event.VEnum, N: uint64(uint32(level)), Syms: SocketLevels}),
		}}
		m.Elems = append(m.Elems, x.cmsgTypeData(level, typ, data)...)
		v.Elems = append(v.Elems, m)
		if n < hdr {
			rest -= hdr
			break
		}
		// n, not clen: a cmsg_len near 2^64 would round up past zero
		// and step nowhere.
		step := (n + uint64(ws) - 1) &^ uint64(ws-1)
		if step >= rest {
			rest = 0
			break
		}
		off += step
		rest -= step
	}
	switch {
	case rest != 0:
		more := event.Text("...")
		more.Comment = string(event.AppendHex(nil, addr+uint64(len(buf))-rest))
		v.Elems = append(v.Elems, more)
	case uint64(len(buf)) < size:
		v.Trunc = true
	}
	return v
}

// cmsgTypeData renders cmsg_type and, for the types strace knows,
// cmsg_data.
func (x *ctx) cmsgTypeData(level, typ int64, data le) []event.Value {
	utyp := uint64(uint32(typ))
	var typeVal, dataVal event.Value
	switch level {
	case solSocket:
		typeVal = event.Value{Kind: event.VEnum, N: utyp, Syms: SCMTypes}
		dataVal = x.scmData(utyp, data)
	case solIP:
		typeVal = event.Value{Kind: event.VEnum, N: utyp, Syms: IPCmsgTypes}
		dataVal = x.ipCmsgData(utyp, data)
	default:
		typeVal = event.Hex(utyp)
	}
	f := []event.Value{event.Field("cmsg_type", typeVal)}
	if dataVal.Kind != event.VNone {
		f = append(f, event.Field("cmsg_data", dataVal))
	}
	return f
}

func (x *ctx) scmData(typ uint64, data le) event.Value {
	switch {
	case typ == 1 && len(data) >= 4: // SCM_RIGHTS
		fds := event.Value{Kind: event.VArray}
		for off := 0; off+4 <= len(data); off += 4 {
			fds.Elems = append(fds.Elems, x.fd(data.s32(off)))
		}
		return fds
	case typ == 2 && len(data) >= 12: // SCM_CREDENTIALS
		return ucred(data)
	case typ == 3 && len(data) >= 1: // SCM_SECURITY
		return event.Str([]byte(data), false)
	case (typ == 29 || typ == 63) && len(data) >= 1: // SO_TIMESTAMP_OLD, _NEW
		return timeData(data, typ == 29 && x.ws() == 4, "tv_usec")
	case (typ == 35 || typ == 64) && len(data) >= 1: // SO_TIMESTAMPNS_OLD, _NEW
		return timeData(data, typ == 35 && x.ws() == 4, "tv_nsec")
	}
	return event.Value{}
}

// ucred renders a struct ucred {pid, uid, gid}.
func ucred(b le) event.Value {
	return event.Value{Kind: event.VStruct, Elems: []event.Value{
		event.Field("pid", event.Int(b.s32(0))),
		event.Field("uid", uid32(b.u32(4))),
		event.Field("gid", uid32(b.u32(8))),
	}}
}

// uid32 renders a uid or gid: -1 for "none", else unsigned.
func uid32(v uint64) event.Value {
	if uint32(v) == ^uint32(0) {
		return event.Int(-1)
	}
	return event.Uint(v)
}

// timeData renders a timeval or timespec carried in a control message;
// short32 is the 32-bit layout of the old ones.
func timeData(b le, short32 bool, sub string) event.Value {
	size, sec, frac := 16, func() int64 { return b.s64(0) }, func() int64 { return b.s64(8) }
	if short32 {
		size, sec, frac = 8, func() int64 { return b.s32(0) }, func() int64 { return b.s32(4) }
	}
	if len(b) < size {
		return event.Str([]byte(b), false)
	}
	return event.Value{Kind: event.VStruct, Elems: []event.Value{
		event.Field("tv_sec", event.Int(sec())),
		event.Field(sub, event.Int(frac())),
	}}
}

func (x *ctx) ipCmsgData(typ uint64, data le) event.Value {
	switch {
	case typ == 8 && len(data) >= 12: // IP_PKTINFO
		return event.Value{Kind: event.VStruct, Elems: []event.Value{
			event.Field("ipi_ifindex", ifindex(uint32(data.u32(0)))),
			event.Field("ipi_spec_dst", inetAddr(data[4:8])),
			event.Field("ipi_addr", inetAddr(data[8:12])),
		}}
	case (typ == 2 || typ == 23) && len(data) >= 4: // IP_TTL, IP_CHECKSUM
		a := event.Value{Kind: event.VArray}
		for off := 0; off+4 <= len(data); off += 4 {
			a.Elems = append(a.Elems, event.Uint(data.u32(off)))
		}
		return a
	case (typ == 1 || typ == 6 || typ == 7) && len(data) >= 1: // IP_TOS, IP_RECVOPTS, IP_RETOPTS
		a := event.Value{Kind: event.VArray}
		for _, c := range data {
			a.Elems = append(a.Elems, event.Hex(uint64(c)))
		}
		return a
	case typ == 20 && len(data) >= 16: // IP_ORIGDSTADDR
		return Sockaddr(data[:min(len(data), sockaddrMax)])
	}
	return event.Value{}
}
