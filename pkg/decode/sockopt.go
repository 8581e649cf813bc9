package decode

import "github.com/gtrace/gtrace/pkg/event"

// SocketLevels names setsockopt's and getsockopt's levels (SOL_*) and
// control message levels.
var SocketLevels = &Enum{Unknown: "SOL_???", Syms: []Sym{
	{0, "SOL_IP"}, {1, "SOL_SOCKET"}, {6, "SOL_TCP"}, {17, "SOL_UDP"}, {41, "SOL_IPV6"},
	{58, "SOL_ICMPV6"}, {132, "SOL_SCTP"}, {136, "SOL_UDPLITE"}, {255, "SOL_RAW"},
	{256, "SOL_IPX"}, {257, "SOL_AX25"}, {258, "SOL_ATALK"}, {259, "SOL_NETROM"},
	{260, "SOL_ROSE"}, {261, "SOL_DECNET"}, {262, "SOL_X25"}, {263, "SOL_PACKET"},
	{264, "SOL_ATM"}, {265, "SOL_AAL"}, {266, "SOL_IRDA"}, {267, "SOL_NETBEUI"},
	{268, "SOL_LLC"}, {269, "SOL_DCCP"}, {270, "SOL_NETLINK"}, {271, "SOL_TIPC"},
	{272, "SOL_RXRPC"}, {273, "SOL_PPPOL2TP"}, {274, "SOL_BLUETOOTH"}, {275, "SOL_PNPIPE"},
	{276, "SOL_RDS"}, {277, "SOL_IUCV"}, {278, "SOL_CAIF"}, {279, "SOL_ALG"}, {280, "SOL_NFC"},
	{281, "SOL_KCM"}, {282, "SOL_TLS"}, {283, "SOL_XDP"}, {284, "SOL_MPTCP"}, {285, "SOL_MCTP"},
	{286, "SOL_SMC"}, {287, "SOL_VSOCK"},
}}

// Socket option levels strace decodes values of.
const (
	solTCP     = 6
	solUDP     = 17
	solIPv6    = 41
	solPacket  = 263
	solNetlink = 270
)

// SO_* options that differ between getsockopt and setsockopt.
const (
	soLinger     = 13
	soPeercred   = 17
	soError      = 4
	soAttachFilt = 26
)

// sockOptions are the SOL_SOCKET options (x86's numbers) both calls share.
var sockOptions = []Sym{
	{1, "SO_DEBUG"}, {2, "SO_REUSEADDR"}, {3, "SO_TYPE"}, {4, "SO_ERROR"}, {5, "SO_DONTROUTE"},
	{6, "SO_BROADCAST"}, {7, "SO_SNDBUF"}, {8, "SO_RCVBUF"}, {9, "SO_KEEPALIVE"},
	{10, "SO_OOBINLINE"}, {11, "SO_NO_CHECK"}, {12, "SO_PRIORITY"}, {13, "SO_LINGER"},
	{14, "SO_BSDCOMPAT"}, {15, "SO_REUSEPORT"}, {16, "SO_PASSCRED"}, {17, "SO_PEERCRED"},
	{18, "SO_RCVLOWAT"}, {19, "SO_SNDLOWAT"}, {20, "SO_RCVTIMEO_OLD"}, {21, "SO_SNDTIMEO_OLD"},
	{22, "SO_SECURITY_AUTHENTICATION"}, {23, "SO_SECURITY_ENCRYPTION_TRANSPORT"},
	{24, "SO_SECURITY_ENCRYPTION_NETWORK"}, {25, "SO_BINDTODEVICE"}, {28, "SO_PEERNAME"},
	{29, "SO_TIMESTAMP_OLD"}, {30, "SO_ACCEPTCONN"}, {31, "SO_PEERSEC"}, {32, "SO_SNDBUFFORCE"},
	{33, "SO_RCVBUFFORCE"}, {34, "SO_PASSSEC"}, {35, "SO_TIMESTAMPNS_OLD"}, {36, "SO_MARK"},
	{37, "SO_TIMESTAMPING_OLD"}, {38, "SO_PROTOCOL"}, {39, "SO_DOMAIN"}, {40, "SO_RXQ_OVFL"},
	{41, "SO_WIFI_STATUS"}, {42, "SO_PEEK_OFF"}, {43, "SO_NOFCS"}, {44, "SO_LOCK_FILTER"},
	{45, "SO_SELECT_ERR_QUEUE"}, {46, "SO_BUSY_POLL"}, {47, "SO_MAX_PACING_RATE"},
	{48, "SO_BPF_EXTENSIONS"}, {49, "SO_INCOMING_CPU"}, {50, "SO_ATTACH_BPF"},
	{51, "SO_ATTACH_REUSEPORT_CBPF"}, {52, "SO_ATTACH_REUSEPORT_EBPF"}, {53, "SO_CNX_ADVICE"},
	{54, "SCM_TIMESTAMPING_OPT_STATS"}, {55, "SO_MEMINFO"}, {56, "SO_INCOMING_NAPI_ID"},
	{57, "SO_COOKIE"}, {58, "SCM_TIMESTAMPING_PKTINFO"}, {59, "SO_PEERGROUPS"},
	{60, "SO_ZEROCOPY"}, {61, "SO_TXTIME"}, {62, "SO_BINDTOIFINDEX"}, {63, "SO_TIMESTAMP_NEW"},
	{64, "SO_TIMESTAMPNS_NEW"}, {65, "SO_TIMESTAMPING_NEW"}, {66, "SO_RCVTIMEO_NEW"},
	{67, "SO_SNDTIMEO_NEW"}, {68, "SO_DETACH_REUSEPORT_BPF"}, {69, "SO_PREFER_BUSY_POLL"},
	{70, "SO_BUSY_POLL_BUDGET"}, {71, "SO_NETNS_COOKIE"}, {72, "SO_BUF_LOCK"},
	{73, "SO_RESERVE_MEM"}, {74, "SO_TXREHASH"}, {75, "SO_RCVMARK"}, {76, "SO_PASSPIDFD"},
	{77, "SO_PEERPIDFD"},
}

var (
	// GetSockOptions are the SOL_SOCKET options of getsockopt.
	GetSockOptions = &Enum{Unknown: "SO_???", Syms: append([]Sym{{26, "SO_GET_FILTER"}}, sockOptions...)}
	// SetSockOptions are the SOL_SOCKET options of setsockopt.
	SetSockOptions = &Enum{Unknown: "SO_???", Syms: append([]Sym{{26, "SO_ATTACH_FILTER"}, {27, "SO_DETACH_FILTER"}}, sockOptions...)}
)

// ipMulticastOptions are the MCAST_* options SOL_IP and SOL_IPV6 share.
var ipMulticastOptions = []Sym{
	{42, "MCAST_JOIN_GROUP"}, {43, "MCAST_BLOCK_SOURCE"}, {44, "MCAST_UNBLOCK_SOURCE"},
	{45, "MCAST_LEAVE_GROUP"}, {46, "MCAST_JOIN_SOURCE_GROUP"}, {47, "MCAST_LEAVE_SOURCE_GROUP"},
	{48, "MCAST_MSFILTER"},
}

// IPOptions are the SOL_IP options.
var IPOptions = &Enum{Unknown: "IP_???", Syms: append([]Sym{
	{1, "IP_TOS"}, {2, "IP_TTL"}, {3, "IP_HDRINCL"}, {4, "IP_OPTIONS"}, {5, "IP_ROUTER_ALERT"},
	{6, "IP_RECVOPTS"}, {7, "IP_RETOPTS"}, {8, "IP_PKTINFO"}, {9, "IP_PKTOPTIONS"},
	{10, "IP_MTU_DISCOVER"}, {11, "IP_RECVERR"}, {12, "IP_RECVTTL"}, {13, "IP_RECVTOS"},
	{14, "IP_MTU"}, {15, "IP_FREEBIND"}, {16, "IP_IPSEC_POLICY"}, {17, "IP_XFRM_POLICY"},
	{18, "IP_PASSSEC"}, {19, "IP_TRANSPARENT"}, {20, "IP_ORIGDSTADDR"}, {21, "IP_MINTTL"},
	{22, "IP_NODEFRAG"}, {23, "IP_CHECKSUM"}, {24, "IP_BIND_ADDRESS_NO_PORT"},
	{25, "IP_RECVFRAGSIZE"}, {26, "IP_RECVERR_RFC4884"}, {32, "IP_MULTICAST_IF"},
	{33, "IP_MULTICAST_TTL"}, {34, "IP_MULTICAST_LOOP"}, {35, "IP_ADD_MEMBERSHIP"},
	{36, "IP_DROP_MEMBERSHIP"}, {37, "IP_UNBLOCK_SOURCE"}, {38, "IP_BLOCK_SOURCE"},
	{39, "IP_ADD_SOURCE_MEMBERSHIP"}, {40, "IP_DROP_SOURCE_MEMBERSHIP"}, {41, "IP_MSFILTER"},
	{49, "IP_MULTICAST_ALL"}, {50, "IP_UNICAST_IF"}, {51, "IP_LOCAL_PORT_RANGE"},
	{52, "IP_PROTOCOL"},
}, ipMulticastOptions...)}

// IPv6Options are the SOL_IPV6 options.
var IPv6Options = &Enum{Unknown: "IPV6_???", Syms: append([]Sym{
	{1, "IPV6_ADDRFORM"}, {2, "IPV6_2292PKTINFO"}, {3, "IPV6_2292HOPOPTS"},
	{4, "IPV6_2292DSTOPTS"}, {5, "IPV6_2292RTHDR"}, {6, "IPV6_2292PKTOPTIONS"},
	{7, "IPV6_CHECKSUM"}, {8, "IPV6_2292HOPLIMIT"}, {9, "IPV6_NEXTHOP"}, {10, "IPV6_AUTHHDR"},
	{11, "IPV6_FLOWINFO"}, {16, "IPV6_UNICAST_HOPS"}, {17, "IPV6_MULTICAST_IF"},
	{18, "IPV6_MULTICAST_HOPS"}, {19, "IPV6_MULTICAST_LOOP"}, {20, "IPV6_ADD_MEMBERSHIP"},
	{21, "IPV6_DROP_MEMBERSHIP"}, {22, "IPV6_ROUTER_ALERT"}, {23, "IPV6_MTU_DISCOVER"},
	{24, "IPV6_MTU"}, {25, "IPV6_RECVERR"}, {26, "IPV6_V6ONLY"}, {27, "IPV6_JOIN_ANYCAST"},
	{28, "IPV6_LEAVE_ANYCAST"}, {29, "IPV6_MULTICAST_ALL"}, {30, "IPV6_ROUTER_ALERT_ISOLATE"},
	{31, "IPV6_RECVERR_RFC4884"}, {32, "IPV6_FLOWLABEL_MGR"}, {33, "IPV6_FLOWINFO_SEND"},
	{34, "IPV6_IPSEC_POLICY"}, {35, "IPV6_XFRM_POLICY"}, {36, "IPV6_HDRINCL"},
	{49, "IPV6_RECVPKTINFO"}, {50, "IPV6_PKTINFO"}, {51, "IPV6_RECVHOPLIMIT"},
	{52, "IPV6_HOPLIMIT"}, {53, "IPV6_RECVHOPOPTS"}, {54, "IPV6_HOPOPTS"},
	{55, "IPV6_RTHDRDSTOPTS"}, {56, "IPV6_RECVRTHDR"}, {57, "IPV6_RTHDR"},
	{58, "IPV6_RECVDSTOPTS"}, {59, "IPV6_DSTOPTS"}, {60, "IPV6_RECVPATHMTU"},
	{61, "IPV6_PATHMTU"}, {62, "IPV6_DONTFRAG"}, {66, "IPV6_RECVTCLASS"}, {67, "IPV6_TCLASS"},
	{70, "IPV6_AUTOFLOWLABEL"}, {72, "IPV6_ADDR_PREFERENCES"}, {73, "IPV6_MINHOPCOUNT"},
	{74, "IPV6_ORIGDSTADDR"}, {75, "IPV6_TRANSPARENT"}, {76, "IPV6_UNICAST_IF"},
	{77, "IPV6_RECVFRAGSIZE"}, {78, "IPV6_FREEBIND"},
}, ipMulticastOptions...)}

// TCPOptions are the SOL_TCP options.
var TCPOptions = &Enum{Unknown: "TCP_???", Syms: []Sym{
	{1, "TCP_NODELAY"}, {2, "TCP_MAXSEG"}, {3, "TCP_CORK"}, {4, "TCP_KEEPIDLE"},
	{5, "TCP_KEEPINTVL"}, {6, "TCP_KEEPCNT"}, {7, "TCP_SYNCNT"}, {8, "TCP_LINGER2"},
	{9, "TCP_DEFER_ACCEPT"}, {10, "TCP_WINDOW_CLAMP"}, {11, "TCP_INFO"}, {12, "TCP_QUICKACK"},
	{13, "TCP_CONGESTION"}, {14, "TCP_MD5SIG"}, {15, "TCP_COOKIE_TRANSACTIONS"},
	{16, "TCP_THIN_LINEAR_TIMEOUTS"}, {17, "TCP_THIN_DUPACK"}, {18, "TCP_USER_TIMEOUT"},
	{19, "TCP_REPAIR"}, {20, "TCP_REPAIR_QUEUE"}, {21, "TCP_QUEUE_SEQ"},
	{22, "TCP_REPAIR_OPTIONS"}, {23, "TCP_FASTOPEN"}, {24, "TCP_TIMESTAMP"},
	{25, "TCP_NOTSENT_LOWAT"}, {26, "TCP_CC_INFO"}, {27, "TCP_SAVE_SYN"}, {28, "TCP_SAVED_SYN"},
	{29, "TCP_REPAIR_WINDOW"}, {30, "TCP_FASTOPEN_CONNECT"}, {31, "TCP_ULP"},
	{32, "TCP_MD5SIG_EXT"}, {33, "TCP_FASTOPEN_KEY"}, {34, "TCP_FASTOPEN_NO_COOKIE"},
	{35, "TCP_ZEROCOPY_RECEIVE"}, {36, "TCP_INQ"}, {37, "TCP_TX_DELAY"},
}}

// UDPOptions are the SOL_UDP options.
var UDPOptions = &Enum{Unknown: "UDP_???", Syms: []Sym{
	{1, "UDP_CORK"}, {100, "UDP_ENCAP"}, {101, "UDP_NO_CHECK6_TX"}, {102, "UDP_NO_CHECK6_RX"},
	{103, "UDP_SEGMENT"}, {104, "UDP_GRO"},
}}

// NetlinkOptions are the SOL_NETLINK options.
var NetlinkOptions = &Enum{Unknown: "NETLINK_???", Syms: []Sym{
	{1, "NETLINK_ADD_MEMBERSHIP"}, {2, "NETLINK_DROP_MEMBERSHIP"}, {3, "NETLINK_PKTINFO"},
	{4, "NETLINK_BROADCAST_ERROR"}, {5, "NETLINK_NO_ENOBUFS"}, {6, "NETLINK_RX_RING"},
	{7, "NETLINK_TX_RING"}, {8, "NETLINK_LISTEN_ALL_NSID"}, {9, "NETLINK_LIST_MEMBERSHIPS"},
	{10, "NETLINK_CAP_ACK"}, {11, "NETLINK_EXT_ACK"}, {12, "NETLINK_GET_STRICT_CHK"},
}}

// PacketOptions are the SOL_PACKET options.
var PacketOptions = &Enum{Unknown: "PACKET_???", Syms: []Sym{
	{1, "PACKET_ADD_MEMBERSHIP"}, {2, "PACKET_DROP_MEMBERSHIP"}, {3, "PACKET_RECV_OUTPUT"},
	{5, "PACKET_RX_RING"}, {6, "PACKET_STATISTICS"}, {7, "PACKET_COPY_THRESH"},
	{8, "PACKET_AUXDATA"}, {9, "PACKET_ORIGDEV"}, {10, "PACKET_VERSION"}, {11, "PACKET_HDRLEN"},
	{12, "PACKET_RESERVE"}, {13, "PACKET_TX_RING"}, {14, "PACKET_LOSS"}, {15, "PACKET_VNET_HDR"},
	{16, "PACKET_TX_TIMESTAMP"}, {17, "PACKET_TIMESTAMP"}, {18, "PACKET_FANOUT"},
	{19, "PACKET_TX_HAS_OFF"}, {20, "PACKET_QDISC_BYPASS"}, {21, "PACKET_ROLLOVER_STATS"},
	{22, "PACKET_FANOUT_DATA"}, {23, "PACKET_IGNORE_OUTGOING"}, {24, "PACKET_VNET_HDR_SZ"},
}}

// sockoptNames returns the option names of level, or nil when strace
// prints the option as a number.
func sockoptNames(level uint32, get bool) *Enum {
	switch level {
	case solSocket:
		if get {
			return GetSockOptions
		}
		return SetSockOptions
	case solIP:
		return IPOptions
	case solIPv6:
		return IPv6Options
	case solTCP:
		return TCPOptions
	case solUDP:
		return UDPOptions
	case solNetlink:
		return NetlinkOptions
	case solPacket:
		return PacketOptions
	}
	return nil
}

func sockoptName(level, name uint32, get bool) event.Value {
	if names := sockoptNames(level, get); names != nil {
		return event.Value{Kind: event.VEnum, N: uint64(name), Syms: names}
	}
	return event.Uint(uint64(name))
}

// Socket option formats. Their Aux is the level argument; the value
// formats' Aux is the length; the option name is the argument after the
// level.
var (
	FmtSockoptLevel = &Format{Name: "enum", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VEnum, N: uint64(uint32(x.arg(i))), Syms: SocketLevels}
	}}
	FmtSetsockoptName = &Format{Name: "enum", Decode: func(x *ctx, i int) event.Value {
		return sockoptName(uint32(x.arg(int(x.sc.Args[i].Aux))), uint32(x.arg(i)), false)
	}}
	FmtGetsockoptName = &Format{Name: "enum", Decode: func(x *ctx, i int) event.Value {
		return sockoptName(uint32(x.arg(int(x.sc.Args[i].Aux))), uint32(x.arg(i)), true)
	}}
	// FmtSetsockoptVal is setsockopt's optval; Aux is optlen, and the
	// level and name are the two arguments before it.
	FmtSetsockoptVal = &Format{Name: "sockopt", Decode: func(x *ctx, i int) event.Value {
		return x.setsockoptVal(uint32(x.arg(i-2)), uint32(x.arg(i-1)), x.word(x.arg(i)), int64(int32(x.arg(int(x.sc.Args[i].Aux)))))
	}}
	// FmtGetsockoptValOut is getsockopt's optval; Aux is optlen, an
	// in/out length.
	FmtGetsockoptValOut = &Format{Name: "sockopt", Out: true, Decode: func(x *ctx, i int) event.Value {
		addr := x.word(x.arg(i))
		ulen, rlen, ok := x.inoutLens(int(x.sc.Args[i].Aux))
		if !ok {
			return event.Ptr(addr)
		}
		return x.getsockoptVal(uint32(x.arg(i-2)), uint32(x.arg(i-1)), addr, ulen, rlen)
	}}
)

func (x *ctx) setsockoptVal(level, name uint32, addr uint64, n int64) event.Value {
	if addr != 0 {
		switch {
		case level == solSocket && name == soLinger:
			if n < 8 {
				return event.Ptr(addr)
			}
			return x.linger(addr, 8)
		case level == solIP && (name == 35 || name == 36): // IP_ADD/DROP_MEMBERSHIP
			if n < 8 {
				return event.Ptr(addr)
			}
			b, ok := x.readFull(addr, 8)
			if !ok {
				return event.Fault(addr)
			}
			return event.Value{Kind: event.VStruct, Elems: []event.Value{
				event.Field("imr_multiaddr", inetAddr(b[0:4])),
				event.Field("imr_interface", inetAddr(b[4:8])),
			}}
		case level == solNetlink:
			if n < 4 {
				return event.Ptr(addr)
			}
			return x.intIndirect(addr)
		}
	}
	if n == 4 {
		return x.intIndirect(addr)
	}
	return x.sockoptBuffer(addr, n)
}

func (x *ctx) getsockoptVal(level, name uint32, addr uint64, ulen, rlen int64) event.Value {
	if ulen <= 0 || rlen <= 0 {
		return event.Ptr(addr)
	}
	if addr != 0 {
		switch {
		case level == solSocket && name == soLinger:
			return x.linger(addr, min(rlen, 8))
		case level == solSocket && name == soPeercred:
			b, ok := x.readFull(addr, int(min(rlen, 12)))
			if !ok {
				return event.Fault(addr)
			}
			full := make(le, 12)
			copy(full, b)
			v := ucred(full)
			v.Elems = v.Elems[:len(b)/4]
			return v
		case level == solSocket && name == soError:
			b, ok := x.readFull(addr, int(min(rlen, 4)))
			if !ok {
				return event.Fault(addr)
			}
			full := make(le, 4)
			copy(full, b)
			e := int(full.u32(0))
			if n := ErrnoName(e); n != "" {
				return event.Value{Kind: event.VArray, Elems: []event.Value{event.Text(n)}}
			}
			return event.Value{Kind: event.VArray, Elems: []event.Value{event.Uint(uint64(e))}}
		case level == solNetlink && name == 9: // NETLINK_LIST_MEMBERSHIPS
			return x.array(addr, uint64(min(ulen, rlen)/4), 4, func(b le) event.Value { return event.Uint(b.u32(0)) })
		case level == solNetlink:
			return x.intIndirect(addr)
		}
	}
	if rlen == 4 {
		return x.intIndirect(addr)
	}
	return x.sockoptBuffer(addr, rlen)
}

// linger renders a struct linger, or as much of it as n bytes hold.
func (x *ctx) linger(addr uint64, n int64) event.Value {
	b, ok := x.readFull(addr, int(n))
	if !ok {
		return event.Fault(addr)
	}
	v := event.Value{Kind: event.VStruct}
	if len(b) >= 4 {
		v.Elems = append(v.Elems, event.Field("l_onoff", event.Int(le(b).s32(0))))
	}
	if len(b) >= 8 {
		v.Elems = append(v.Elems, event.Field("l_linger", event.Int(le(b).s32(4))))
	}
	return v
}

// intIndirect renders the int at addr as strace's printnum_int does: [1].
func (x *ctx) intIndirect(addr uint64) event.Value {
	if addr == 0 {
		return event.Ptr(0)
	}
	n, ok := x.readInt(addr)
	if !ok {
		return event.Fault(addr)
	}
	return event.Value{Kind: event.VArray, Elems: []event.Value{event.Int(n)}}
}

// sockoptBuffer is an option value strace does not decode: its bytes.
func (x *ctx) sockoptBuffer(addr uint64, n int64) event.Value {
	if n < 0 {
		return event.Ptr(addr)
	}
	return x.buffer(addr, uint64(n))
}
