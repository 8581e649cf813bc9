package decode

import (
	"github.com/gtrace/gtrace/pkg/event"
)

// Address families (AF_*), from <linux/socket.h>.
const (
	afUnix    = 1
	afInet    = 2
	afInet6   = 10
	afNetlink = 16
	afPacket  = 17
)

// AddressFamilies names the AF_* constants.
var AddressFamilies = &Enum{Unknown: "AF_???", Syms: []Sym{
	{0, "AF_UNSPEC"}, {1, "AF_UNIX"}, {2, "AF_INET"}, {3, "AF_AX25"}, {4, "AF_IPX"},
	{5, "AF_APPLETALK"}, {6, "AF_NETROM"}, {7, "AF_BRIDGE"}, {8, "AF_ATMPVC"}, {9, "AF_X25"},
	{10, "AF_INET6"}, {11, "AF_ROSE"}, {12, "AF_DECnet"}, {13, "AF_NETBEUI"}, {14, "AF_SECURITY"},
	{15, "AF_KEY"}, {16, "AF_NETLINK"}, {17, "AF_PACKET"}, {18, "AF_ASH"}, {19, "AF_ECONET"},
	{20, "AF_ATMSVC"}, {21, "AF_RDS"}, {22, "AF_SNA"}, {23, "AF_IRDA"}, {24, "AF_PPPOX"},
	{25, "AF_WANPIPE"}, {26, "AF_LLC"}, {27, "AF_IB"}, {28, "AF_MPLS"}, {29, "AF_CAN"},
	{30, "AF_TIPC"}, {31, "AF_BLUETOOTH"}, {32, "AF_IUCV"}, {33, "AF_RXRPC"}, {34, "AF_ISDN"},
	{35, "AF_PHONET"}, {36, "AF_IEEE802154"}, {37, "AF_CAIF"}, {38, "AF_ALG"}, {39, "AF_NFC"},
	{40, "AF_VSOCK"}, {41, "AF_KCM"}, {42, "AF_QIPCRTR"}, {43, "AF_SMC"}, {44, "AF_XDP"},
	{45, "AF_MCTP"},
}}

// SockTypes names a socket's type, the low four bits of socket's type
// argument.
var SockTypes = &Enum{Syms: []Sym{
	{1, "SOCK_STREAM"}, {2, "SOCK_DGRAM"}, {3, "SOCK_RAW"}, {4, "SOCK_RDM"},
	{5, "SOCK_SEQPACKET"}, {6, "SOCK_DCCP"}, {10, "SOCK_PACKET"},
}}

// SockFlags are the flags socket's type and accept4's flags carry.
var SockFlags = &Flags{Bits: []Sym{{0x80000, "SOCK_CLOEXEC"}, {0x800, "SOCK_NONBLOCK"}}}

const sockTypeMask = 0xf

// sockTypeSyms renders socket's type as strace does: the type, then the
// flags, each part in the -X style (SOCK_STREAM|SOCK_CLOEXEC).
type sockTypeSyms struct{}

func (sockTypeSyms) AppendSym(b []byte, v uint64, style event.XlatStyle) []byte {
	if SockTypes.Name(v&sockTypeMask) == "" {
		return SockFlags.AppendSym(b, v, style)
	}
	b = SockTypes.AppendSym(b, v&sockTypeMask, style)
	if rest := v &^ sockTypeMask; rest != 0 {
		b = append(b, '|')
		b = SockFlags.AppendSym(b, rest, style)
	}
	return b
}

func (sockTypeSyms) Names(v uint64) ([]string, uint64) {
	names, rest := SockFlags.Names(v &^ sockTypeMask)
	if name := SockTypes.Name(v & sockTypeMask); name != "" {
		return append([]string{name}, names...), rest
	}
	return names, rest | v&sockTypeMask
}

// InetProtocols names the IPPROTO_* constants.
var InetProtocols = &Enum{Unknown: "IPPROTO_???", Syms: []Sym{
	{0, "IPPROTO_IP"}, {1, "IPPROTO_ICMP"}, {2, "IPPROTO_IGMP"}, {4, "IPPROTO_IPIP"},
	{6, "IPPROTO_TCP"}, {8, "IPPROTO_EGP"}, {12, "IPPROTO_PUP"}, {17, "IPPROTO_UDP"},
	{22, "IPPROTO_IDP"}, {29, "IPPROTO_TP"}, {33, "IPPROTO_DCCP"}, {41, "IPPROTO_IPV6"},
	{43, "IPPROTO_ROUTING"}, {44, "IPPROTO_FRAGMENT"}, {46, "IPPROTO_RSVP"}, {47, "IPPROTO_GRE"},
	{50, "IPPROTO_ESP"}, {51, "IPPROTO_AH"}, {58, "IPPROTO_ICMPV6"}, {59, "IPPROTO_NONE"},
	{60, "IPPROTO_DSTOPTS"}, {92, "IPPROTO_MTP"}, {94, "IPPROTO_BEETPH"}, {98, "IPPROTO_ENCAP"},
	{103, "IPPROTO_PIM"}, {108, "IPPROTO_COMP"}, {115, "IPPROTO_L2TP"}, {132, "IPPROTO_SCTP"},
	{135, "IPPROTO_MH"}, {136, "IPPROTO_UDPLITE"}, {137, "IPPROTO_MPLS"}, {143, "IPPROTO_ETHERNET"},
	{255, "IPPROTO_RAW"}, {262, "IPPROTO_MPTCP"},
}}

// NetlinkProtocols names the NETLINK_* protocols.
var NetlinkProtocols = &Enum{Unknown: "NETLINK_???", Syms: []Sym{
	{0, "NETLINK_ROUTE"}, {1, "NETLINK_UNUSED"}, {2, "NETLINK_USERSOCK"}, {3, "NETLINK_FIREWALL"},
	{4, "NETLINK_SOCK_DIAG"}, {5, "NETLINK_NFLOG"}, {6, "NETLINK_XFRM"}, {7, "NETLINK_SELINUX"},
	{8, "NETLINK_ISCSI"}, {9, "NETLINK_AUDIT"}, {10, "NETLINK_FIB_LOOKUP"}, {11, "NETLINK_CONNECTOR"},
	{12, "NETLINK_NETFILTER"}, {13, "NETLINK_IP6_FW"}, {14, "NETLINK_DNRTMSG"},
	{15, "NETLINK_KOBJECT_UEVENT"}, {16, "NETLINK_GENERIC"}, {18, "NETLINK_SCSITRANSPORT"},
	{19, "NETLINK_ECRYPTFS"}, {20, "NETLINK_RDMA"}, {21, "NETLINK_CRYPTO"}, {22, "NETLINK_SMC"},
}}

// EthernetProtocols names the ETH_P_* protocols of <linux/if_ether.h>.
var EthernetProtocols = &Enum{Unknown: "ETH_P_???", Syms: []Sym{
	{0x60, "ETH_P_LOOP"}, {0x200, "ETH_P_PUP"}, {0x201, "ETH_P_PUPAT"}, {0x22f0, "ETH_P_TSN"},
	{0x22eb, "ETH_P_ERSPAN2"}, {0x800, "ETH_P_IP"}, {0x805, "ETH_P_X25"}, {0x806, "ETH_P_ARP"},
	{0x8ff, "ETH_P_BPQ"}, {0xa00, "ETH_P_IEEEPUP"}, {0xa01, "ETH_P_IEEEPUPAT"},
	{0x4305, "ETH_P_BATMAN"}, {0x6000, "ETH_P_DEC"}, {0x6001, "ETH_P_DNA_DL"},
	{0x6002, "ETH_P_DNA_RC"}, {0x6003, "ETH_P_DNA_RT"}, {0x6004, "ETH_P_LAT"}, {0x6005, "ETH_P_DIAG"},
	{0x6006, "ETH_P_CUST"}, {0x6007, "ETH_P_SCA"}, {0x6558, "ETH_P_TEB"}, {0x8035, "ETH_P_RARP"},
	{0x809b, "ETH_P_ATALK"}, {0x80f3, "ETH_P_AARP"}, {0x8100, "ETH_P_8021Q"},
	{0x88be, "ETH_P_ERSPAN"}, {0x8137, "ETH_P_IPX"}, {0x86dd, "ETH_P_IPV6"}, {0x8808, "ETH_P_PAUSE"},
	{0x8809, "ETH_P_SLOW"}, {0x883e, "ETH_P_WCCP"}, {0x8847, "ETH_P_MPLS_UC"},
	{0x8848, "ETH_P_MPLS_MC"}, {0x884c, "ETH_P_ATMMPOA"}, {0x8863, "ETH_P_PPP_DISC"},
	{0x8864, "ETH_P_PPP_SES"}, {0x886c, "ETH_P_LINK_CTL"}, {0x8884, "ETH_P_ATMFATE"},
	{0x888e, "ETH_P_PAE"}, {0x8892, "ETH_P_PROFINET"}, {0x8899, "ETH_P_REALTEK"},
	{0x88a2, "ETH_P_AOE"}, {0x88a4, "ETH_P_ETHERCAT"}, {0x88a8, "ETH_P_8021AD"},
	{0x88b5, "ETH_P_802_EX1"}, {0x88c7, "ETH_P_PREAUTH"}, {0x88ca, "ETH_P_TIPC"},
	{0x88cc, "ETH_P_LLDP"}, {0x88e3, "ETH_P_MRP"}, {0x88e5, "ETH_P_MACSEC"}, {0x88e7, "ETH_P_8021AH"},
	{0x88f5, "ETH_P_MVRP"}, {0x88f7, "ETH_P_1588"}, {0x88f8, "ETH_P_NCSI"}, {0x88fb, "ETH_P_PRP"},
	{0x8902, "ETH_P_CFM"}, {0x8906, "ETH_P_FCOE"}, {0x8915, "ETH_P_IBOE"}, {0x890d, "ETH_P_TDLS"},
	{0x8914, "ETH_P_FIP"}, {0x8917, "ETH_P_80221"}, {0x892f, "ETH_P_HSR"}, {0x894f, "ETH_P_NSH"},
	{0x9000, "ETH_P_LOOPBACK"}, {0x9100, "ETH_P_QINQ1"}, {0x9200, "ETH_P_QINQ2"},
	{0x9300, "ETH_P_QINQ3"}, {0xdada, "ETH_P_EDSA"}, {0xdadb, "ETH_P_DSA_8021Q"},
	{0xe001, "ETH_P_DSA_A5PSW"}, {0xed3e, "ETH_P_IFE"}, {0xfbfb, "ETH_P_AF_IUCV"},
	{0x1, "ETH_P_802_3"}, {0x2, "ETH_P_AX25"}, {0x3, "ETH_P_ALL"}, {0x4, "ETH_P_802_2"},
	{0x5, "ETH_P_SNAP"}, {0x6, "ETH_P_DDCMP"}, {0x7, "ETH_P_WAN_PPP"}, {0x8, "ETH_P_PPP_MP"},
	{0x9, "ETH_P_LOCALTALK"}, {0xc, "ETH_P_CAN"}, {0xd, "ETH_P_CANFD"}, {0xe, "ETH_P_CANXL"},
	{0x10, "ETH_P_PPPTALK"}, {0x11, "ETH_P_TR_802_2"}, {0x15, "ETH_P_MOBITEX"},
	{0x16, "ETH_P_CONTROL"}, {0x17, "ETH_P_IRDA"}, {0x18, "ETH_P_ECONET"}, {0x19, "ETH_P_HDLC"},
	{0x1a, "ETH_P_ARCNET"}, {0x1b, "ETH_P_DSA"}, {0x1c, "ETH_P_TRAILER"}, {0xf5, "ETH_P_PHONET"},
	{0xf6, "ETH_P_IEEE802154"}, {0xf7, "ETH_P_CAIF"}, {0xf8, "ETH_P_XDSA"}, {0xf9, "ETH_P_MAP"},
	{0xfa, "ETH_P_MCTP"},
}}

// MsgFlags are the MSG_* flags of send and receive calls.
var MsgFlags = &Flags{Bits: []Sym{
	{0x1, "MSG_OOB"}, {0x2, "MSG_PEEK"}, {0x4, "MSG_DONTROUTE"}, {0x8, "MSG_CTRUNC"},
	{0x10, "MSG_PROBE"}, {0x20, "MSG_TRUNC"}, {0x40, "MSG_DONTWAIT"}, {0x80, "MSG_EOR"},
	{0x100, "MSG_WAITALL"}, {0x200, "MSG_FIN"}, {0x400, "MSG_SYN"}, {0x800, "MSG_CONFIRM"},
	{0x1000, "MSG_RST"}, {0x2000, "MSG_ERRQUEUE"}, {0x4000, "MSG_NOSIGNAL"}, {0x8000, "MSG_MORE"},
	{0x10000, "MSG_WAITFORONE"}, {0x40000, "MSG_BATCH"}, {0x80000, "MSG_NO_SHARED_FRAGS"},
	{0x100000, "MSG_SENDPAGE_DECRYPTED"}, {0x2000000, "MSG_SOCK_DEVMEM"},
	{0x4000000, "MSG_ZEROCOPY"}, {0x8000000, "MSG_SPLICE_PAGES"}, {0x20000000, "MSG_FASTOPEN"},
	{0x40000000, "MSG_CMSG_CLOEXEC"}, {0x80000000, "MSG_CMSG_COMPAT"},
}}

// ShutdownHow names shutdown's how.
var ShutdownHow = &Enum{Unknown: "SHUT_???", Syms: []Sym{{0, "SHUT_RD"}, {1, "SHUT_WR"}, {2, "SHUT_RDWR"}}}

// Network formats.
var (
	FmtAddressFamily = &Format{Name: "enum", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VEnum, N: uint64(uint32(x.arg(i))), Syms: AddressFamilies}
	}}
	FmtSockType = &Format{Name: "flags", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VFlags, N: uint64(uint32(x.arg(i))), Syms: sockTypeSyms{}}
	}}
	// FmtSockProtocol is socket's protocol, named by the family (Aux).
	FmtSockProtocol = &Format{Name: "enum", Decode: func(x *ctx, i int) event.Value {
		return sockProtocol(uint32(x.arg(int(x.sc.Args[i].Aux))), uint32(x.arg(i)))
	}}
	FmtSockFlags = &Format{Name: "flags", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VFlags, N: uint64(uint32(x.arg(i))), Syms: SockFlags}
	}}
	FmtMsgFlags = &Format{Name: "flags", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VFlags, N: uint64(uint32(x.arg(i))), Syms: MsgFlags}
	}}
	FmtShutdownHow = &Format{Name: "enum", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VEnum, N: uint64(uint32(x.arg(i))), Syms: ShutdownHow}
	}}
	// FmtFdPairOut is the int[2] socketpair fills with two descriptors.
	FmtFdPairOut = &Format{Name: "fds", Out: true, Decode: func(x *ctx, i int) event.Value {
		addr := x.word(x.arg(i))
		if x.failed() {
			return event.Ptr(addr)
		}
		return x.array(addr, 2, 4, func(b le) event.Value { return x.fd(b.s32(0)) })
	}}
	// FmtSockaddr is a socket address the call reads; Aux is its length.
	FmtSockaddr = &Format{Name: "sockaddr", Decode: func(x *ctx, i int) event.Value {
		return x.sockaddr(x.word(x.arg(i)), int64(int32(x.arg(int(x.sc.Args[i].Aux)))))
	}}
	// FmtSockaddrOut is a socket address the call fills; Aux is its
	// in/out length (FmtSocklenInout), whose value at entry bounds it.
	FmtSockaddrOut = &Format{Name: "sockaddr", Out: true, Decode: func(x *ctx, i int) event.Value {
		addr := x.word(x.arg(i))
		ulen, rlen, ok := x.inoutLens(int(x.sc.Args[i].Aux))
		if !ok {
			return event.Ptr(addr)
		}
		return x.sockaddr(addr, min(ulen, rlen))
	}}
	// FmtSocklenInout is an in/out length (socklen_t *): strace prints
	// [16] when the call left it alone and [128 => 16] when it changed.
	// Aux is the buffer it measures; with no buffer it is only a pointer.
	FmtSocklenInout = &Format{Name: "socklen", Out: true, Save: saveInoutLen, Decode: func(x *ctx, i int) event.Value {
		addr := x.word(x.arg(i))
		ulen := x.call.Args[i].Val
		if ulen.Kind != event.VInt {
			return event.Ptr(addr)
		}
		rlen, ok := x.readInt(addr)
		if x.failed() || !ok {
			return event.Value{Kind: event.VArray, Elems: []event.Value{ulen}}
		}
		return inoutLen(ulen.Int64(), rlen)
	}}
)

// saveInoutLen keeps an in/out length's value at entry, when both it and
// the buffer it measures (Aux) are given and readable; otherwise strace
// prints both as pointers.
func saveInoutLen(x *ctx, i int) event.Value {
	addr := x.word(x.arg(i))
	if aux := x.sc.Args[i].Aux; aux >= 0 && x.arg(int(aux)) == 0 {
		return event.Value{}
	}
	if n, ok := x.readInt(addr); ok {
		return event.Int(n)
	}
	return event.Value{}
}

// inoutLens reads, at exit, the in/out length argument lenArg: its
// value at entry (kept by saveInoutLen) and now. ok is false when the call
// failed or either is unknown: the buffer it measures then shows as a
// pointer.
func (x *ctx) inoutLens(lenArg int) (before, after int64, ok bool) {
	saved := x.call.Args[lenArg].Val
	if saved.Kind != event.VInt || x.failed() {
		return 0, 0, false
	}
	after, ok = x.readInt(x.word(x.arg(lenArg)))
	return saved.Int64(), after, ok
}

// inoutLen renders a length the call may change: [16], or [128 => 16].
func inoutLen(before, after int64) event.Value {
	if before == after {
		return event.Value{Kind: event.VArray, Elems: []event.Value{event.Int(after)}}
	}
	b := []byte(itoa(int(before)))
	b = append(b, " => "...)
	b = append(b, itoa(int(after))...)
	return event.Value{Kind: event.VArray, Elems: []event.Value{event.Text(string(b))}}
}

// readInt reads a C int at addr.
func (x *ctx) readInt(addr uint64) (int64, bool) {
	b, ok := x.readFull(addr, 4)
	if !ok {
		return 0, false
	}
	return le(b).s32(0), true
}

// sockProtocol renders socket's protocol as the family names it.
func sockProtocol(family, proto uint32) event.Value {
	switch family {
	case afInet, afInet6:
		return event.Value{Kind: event.VEnum, N: uint64(proto), Syms: InetProtocols}
	case afNetlink:
		return event.Value{Kind: event.VEnum, N: uint64(proto), Syms: NetlinkProtocols}
	case afPacket:
		return event.Value{Kind: event.VEnum, N: uint64(ntohs(uint16(proto))), Syms: htonsEthProto{}}
	}
	return event.Uint(uint64(proto))
}

func ntohs(v uint16) uint16 { return v<<8 | v>>8 }

// htonsEthProto is socket's protocol for AF_PACKET, an ETH_P_* protocol
// in network byte order: htons(ETH_P_IP).
type htonsEthProto struct{}

func (htonsEthProto) AppendSym(b []byte, v uint64, style event.XlatStyle) []byte {
	b = append(b, "htons("...)
	b = EthernetProtocols.AppendSym(b, v, style)
	return append(b, ')')
}

func (htonsEthProto) Names(v uint64) ([]string, uint64) { return EthernetProtocols.Names(v) }
