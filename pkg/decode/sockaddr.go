package decode

import (
	"bytes"
	"net"
	"net/netip"
	"strconv"

	"github.com/gtrace/gtrace/pkg/event"
)

// sockaddrMax is sizeof(struct sockaddr_storage): strace reads no more of
// an address than that.
const sockaddrMax = 128

// Minimum lengths below which strace prints a family's address as raw
// sa_data: sizeof its sockaddr (offsetof sin6_scope_id for AF_INET6).
var sockaddrMinLen = map[uint64]int{afUnix: 3, afInet: 16, afInet6: 24, afNetlink: 12, afPacket: 20}

// ARPHardware names the ARPHRD_* hardware types of <linux/if_arp.h>.
var ARPHardware = &Enum{Unknown: "ARPHRD_???", Syms: []Sym{
	{0, "ARPHRD_NETROM"}, {1, "ARPHRD_ETHER"}, {2, "ARPHRD_EETHER"}, {3, "ARPHRD_AX25"},
	{4, "ARPHRD_PRONET"}, {5, "ARPHRD_CHAOS"}, {6, "ARPHRD_IEEE802"}, {7, "ARPHRD_ARCNET"},
	{8, "ARPHRD_APPLETLK"}, {15, "ARPHRD_DLCI"}, {19, "ARPHRD_ATM"}, {23, "ARPHRD_METRICOM"},
	{24, "ARPHRD_IEEE1394"}, {27, "ARPHRD_EUI64"}, {32, "ARPHRD_INFINIBAND"}, {256, "ARPHRD_SLIP"},
	{257, "ARPHRD_CSLIP"}, {258, "ARPHRD_SLIP6"}, {259, "ARPHRD_CSLIP6"}, {260, "ARPHRD_RSRVD"},
	{264, "ARPHRD_ADAPT"}, {270, "ARPHRD_ROSE"}, {271, "ARPHRD_X25"}, {272, "ARPHRD_HWX25"},
	{280, "ARPHRD_CAN"}, {290, "ARPHRD_MCTP"}, {512, "ARPHRD_PPP"}, {513, "ARPHRD_CISCO"},
	{516, "ARPHRD_LAPB"}, {517, "ARPHRD_DDCMP"}, {518, "ARPHRD_RAWHDLC"}, {519, "ARPHRD_RAWIP"},
	{768, "ARPHRD_TUNNEL"}, {769, "ARPHRD_TUNNEL6"}, {770, "ARPHRD_FRAD"}, {771, "ARPHRD_SKIP"},
	{772, "ARPHRD_LOOPBACK"}, {773, "ARPHRD_LOCALTLK"}, {774, "ARPHRD_FDDI"}, {775, "ARPHRD_BIF"},
	{776, "ARPHRD_SIT"}, {777, "ARPHRD_IPDDP"}, {778, "ARPHRD_IPGRE"}, {779, "ARPHRD_PIMREG"},
	{780, "ARPHRD_HIPPI"}, {781, "ARPHRD_ASH"}, {782, "ARPHRD_ECONET"}, {783, "ARPHRD_IRDA"},
	{784, "ARPHRD_FCPP"}, {785, "ARPHRD_FCAL"}, {786, "ARPHRD_FCPL"}, {787, "ARPHRD_FCFABRIC"},
	{800, "ARPHRD_IEEE802_TR"}, {801, "ARPHRD_IEEE80211"}, {802, "ARPHRD_IEEE80211_PRISM"},
	{803, "ARPHRD_IEEE80211_RADIOTAP"}, {804, "ARPHRD_IEEE802154"},
	{805, "ARPHRD_IEEE802154_MONITOR"}, {820, "ARPHRD_PHONET"}, {821, "ARPHRD_PHONET_PIPE"},
	{822, "ARPHRD_CAIF"}, {823, "ARPHRD_IP6GRE"}, {824, "ARPHRD_NETLINK"}, {825, "ARPHRD_6LOWPAN"},
	{826, "ARPHRD_VSOCKMON"}, {65535, "ARPHRD_VOID"}, {65534, "ARPHRD_NONE"},
}}

// PacketTypes names sockaddr_ll's sll_pkttype.
var PacketTypes = &Enum{Unknown: "PACKET_???", Syms: []Sym{
	{0, "PACKET_HOST"}, {1, "PACKET_BROADCAST"}, {2, "PACKET_MULTICAST"}, {3, "PACKET_OTHERHOST"},
	{4, "PACKET_OUTGOING"}, {5, "PACKET_LOOPBACK"}, {6, "PACKET_USER"}, {7, "PACKET_KERNEL"},
}}

// InterfaceName names a network interface by index, as if_indextoname(3)
// does; "" when there is none. A variable so that tests need not depend on
// the host's interfaces.
var InterfaceName = func(index uint32) string {
	if index == 0 {
		return ""
	}
	ifi, err := net.InterfaceByIndex(int(index))
	if err != nil {
		return ""
	}
	return ifi.Name
}

// sockaddr decodes the socket address of n bytes at addr.
func (x *ctx) sockaddr(addr uint64, n int64) event.Value {
	if n < 2 {
		return event.Ptr(addr)
	}
	n = min(n, sockaddrMax)
	raw, ok := x.readFull(addr, int(n))
	if !ok {
		return event.Ptr(addr)
	}
	return Sockaddr(raw)
}

// Sockaddr renders a socket address as strace does:
// {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}.
func Sockaddr(raw []byte) event.Value {
	if len(raw) < 2 {
		return event.Value{Kind: event.VStruct}
	}
	// strace decodes from a zeroed buffer one byte longer than the
	// largest address, so a path always ends.
	b := le(make([]byte, sockaddrMax+1))
	n := copy(b, raw)
	family := b.u16(0)
	v := event.Value{Kind: event.VStruct, Elems: []event.Value{
		event.Field("sa_family", event.Value{Kind: event.VEnum, N: family, Syms: AddressFamilies}),
	}}
	if n == 2 {
		return v
	}
	if min, known := sockaddrMinLen[family]; !known || n < min {
		v.Elems = append(v.Elems, event.Field("sa_data", event.Str(bytes.Clone(b[2:n]), false)))
		return v
	}
	switch family {
	case afUnix:
		v.Elems = append(v.Elems, sockaddrUnix(b, n))
	case afInet:
		v.Elems = append(v.Elems,
			event.Field("sin_port", netNumber("htons", b.be16(2))),
			event.Field("sin_addr", inetAddr(b[4:8])))
	case afInet6:
		v.Elems = append(v.Elems, sockaddrInet6(b, n)...)
	case afNetlink:
		if pad := b.u16(2); pad != 0 {
			v.Elems = append(v.Elems, event.Field("nl_pad", event.Hex(pad)))
		}
		v.Elems = append(v.Elems,
			event.Field("nl_pid", event.Int(b.s32(4))),
			event.Field("nl_groups", event.Text(hex0(b.u32(8), 8))))
	case afPacket:
		v.Elems = append(v.Elems, sockaddrPacket(b, n)...)
	}
	return v
}

// sockaddrUnix renders sun_path: a path up to its NUL, or an abstract name
// (leading NUL) as @"name" with every byte of it.
func sockaddrUnix(b le, n int) event.Value {
	pathLen := min(n, 110) - 2
	path := b[2 : 2+pathLen]
	if path[0] != 0 {
		if i := bytes.IndexByte(path, 0); i >= 0 {
			path = path[:i]
		}
		return event.Field("sun_path", event.Str(bytes.Clone(path), false))
	}
	v := event.Str(bytes.Clone(path[1:]), false)
	v.Text = "@"
	return event.Field("sun_path", v)
}

func sockaddrInet6(b le, n int) []event.Value {
	var a [16]byte
	copy(a[:], b[8:24])
	f := []event.Value{
		event.Field("sin6_port", netNumber("htons", b.be16(2))),
		event.Field("sin6_flowinfo", netNumber("htonl", b.be32(4))),
		{Kind: event.VEnum, Syms: &inet6Addr{addr: a, field: "sin6_addr"}},
	}
	if n <= 24 {
		return f
	}
	scope := uint32(b.u32(24))
	// fe80::/10 and ff02::/16-like (multicast link-local) addresses have a
	// scope that is an interface.
	if (a[0] == 0xfe && a[1]&0xc0 == 0x80) || (a[0] == 0xff && a[1]&0xf == 2) {
		return append(f, event.Field("sin6_scope_id", ifindex(scope)))
	}
	return append(f, event.Field("sin6_scope_id", event.Uint(uint64(scope))))
}

func sockaddrPacket(b le, n int) []event.Value {
	f := []event.Value{
		event.Field("sll_protocol", event.Value{Kind: event.VEnum, N: b.be16(2), Syms: ethProtoNet{}}),
		event.Field("sll_ifindex", ifindex(uint32(b.u32(4)))),
		event.Field("sll_hatype", event.Value{Kind: event.VEnum, N: b.u16(8), Syms: ARPHardware}),
		event.Field("sll_pkttype", event.Value{Kind: event.VEnum, N: b.u8(10), Syms: PacketTypes}),
		event.Field("sll_halen", event.Uint(b.u8(11))),
	}
	halen := int(b.u8(11))
	if halen == 0 {
		return f
	}
	addr := event.Value{Kind: event.VArray}
	inBounds := n - 12
	for i := range halen {
		if i >= inBounds || 12+i >= len(b) {
			addr.Trunc = true
			break
		}
		addr.Elems = append(addr.Elems, event.Text(hex0(uint64(b[12+i]), 2)))
	}
	return append(f, event.Field("sll_addr", addr))
}

func (b le) be16(off int) uint64 { return uint64(b[off])<<8 | uint64(b[off+1]) }
func (b le) be32(off int) uint64 { return b.be16(off)<<16 | b.be16(off+2) }

// hex0 renders v as C's %#0*x with width digits: 00000000, 0x000001.
func hex0(v uint64, width int) string {
	if v == 0 {
		return string(bytes.Repeat([]byte{'0'}, width))
	}
	d := strconv.FormatUint(v, 16)
	for len(d)+2 < width {
		d = "0" + d
	}
	return "0x" + d
}

// netNumber is a number kept in network byte order, printed as strace
// prints one: htons(80); its bytes "\x00\x50" with -X raw; both with
// -X verbose.
func netNumber(fn string, v uint64) event.Value {
	return event.Value{Kind: event.VEnum, N: v, Syms: netOrder(fn)}
}

type netOrder string

func (fn netOrder) AppendSym(b []byte, v uint64, style event.XlatStyle) []byte {
	size := 2
	if fn == "htonl" {
		size = 4
	}
	return appendNetStyled(b, bigEndian(v, size), &event.Style{Xlat: style}, func(b []byte) []byte {
		b = append(b, fn...)
		b = append(b, '(')
		b = strconv.AppendUint(b, v, 10)
		return append(b, ')')
	})
}

func (fn netOrder) Names(v uint64) ([]string, uint64) { return nil, v }

// appendNetStyled appends a network value in an -X style: its raw bytes,
// its decoding (abbrev), or both.
func appendNetStyled(b, raw []byte, st *event.Style, decoded func([]byte) []byte) []byte {
	if st.Xlat == event.XlatAbbrev {
		return decoded(b)
	}
	b = event.AppendQuoted(b, raw, 0, true)
	if st.Xlat == event.XlatRaw {
		return b
	}
	b = append(b, " /* "...)
	b = decoded(b)
	return append(b, " */"...)
}

func bigEndian(v uint64, size int) []byte {
	out := make([]byte, size)
	for i := size - 1; i >= 0; i-- {
		out[i] = byte(v)
		v >>= 8
	}
	return out
}

// inetAddr is an IPv4 address: inet_addr("127.0.0.1").
func inetAddr(a []byte) event.Value {
	return event.Value{Kind: event.VEnum, N: uint64(a[0])<<24 | uint64(a[1])<<16 | uint64(a[2])<<8 | uint64(a[3]), Syms: inetAddrSyms{}}
}

type inetAddrSyms struct{}

func (s inetAddrSyms) AppendSym(b []byte, v uint64, style event.XlatStyle) []byte {
	return s.AppendStyled(b, v, &event.Style{Xlat: style})
}

// AppendStyled implements event.StyledSymbols: -xx quotes the address
// in hex.
func (inetAddrSyms) AppendStyled(b []byte, v uint64, st *event.Style) []byte {
	raw := bigEndian(v, 4)
	return appendNetStyled(b, raw, st, func(b []byte) []byte {
		b = append(b, "inet_addr("...)
		b = event.AppendQuoted(b, netip.AddrFrom4([4]byte(raw)).AppendTo(nil), st.Hex, false)
		return append(b, ')')
	})
}

func (inetAddrSyms) Names(v uint64) ([]string, uint64) { return nil, v }

// inet6Addr is an IPv6 address field. strace names the field only when
// it prints the raw bytes: inet_pton(AF_INET6, "::1", &sin6_addr) by
// default, sin6_addr="\x00..." with -X raw.
type inet6Addr struct {
	addr  [16]byte
	field string
}

func (a *inet6Addr) AppendSym(b []byte, v uint64, style event.XlatStyle) []byte {
	return a.AppendStyled(b, v, &event.Style{Xlat: style})
}

// AppendStyled implements event.StyledSymbols.
func (a *inet6Addr) AppendStyled(b []byte, _ uint64, st *event.Style) []byte {
	style := st.Xlat
	if style != event.XlatAbbrev {
		b = append(b, a.field...)
		b = append(b, '=')
		b = event.AppendQuoted(b, a.addr[:], 0, true)
	}
	if style == event.XlatRaw {
		return b
	}
	if style == event.XlatVerbose {
		b = append(b, " /* "...)
	}
	b = append(b, "inet_pton(AF_INET6, "...)
	b = event.AppendQuoted(b, appendInet6(nil, a.addr), st.Hex, false)
	if style == event.XlatAbbrev {
		b = append(b, ", &"...)
		b = append(b, a.field...)
	}
	b = append(b, ')')
	if style == event.XlatVerbose {
		b = append(b, " */"...)
	}
	return b
}

func (a *inet6Addr) Names(v uint64) ([]string, uint64) { return nil, v }

// appendInet6 formats an IPv6 address as glibc's inet_ntop does, which
// differs from Go's netip only for IPv4-compatible addresses (::1.2.3.4).
func appendInet6(b []byte, a [16]byte) []byte {
	if bytes.Equal(a[:12], make([]byte, 12)) && (a[12] != 0 || a[13] != 0) {
		b = append(b, "::"...)
		return netip.AddrFrom4([4]byte(a[12:])).AppendTo(b)
	}
	return netip.AddrFrom16(a).AppendTo(b)
}

// ifindex renders an interface index as strace does when the interface
// exists: if_nametoindex("lo").
func ifindex(idx uint32) event.Value {
	name := InterfaceName(idx)
	if name == "" {
		return event.Uint(uint64(idx))
	}
	return event.Value{Kind: event.VEnum, N: uint64(idx), Syms: ifindexSyms(name)}
}

type ifindexSyms string

func (name ifindexSyms) AppendSym(b []byte, v uint64, style event.XlatStyle) []byte {
	return name.AppendStyled(b, v, &event.Style{Xlat: style})
}

// AppendStyled implements event.StyledSymbols.
func (name ifindexSyms) AppendStyled(b []byte, v uint64, st *event.Style) []byte {
	style := st.Xlat
	if style != event.XlatAbbrev {
		b = strconv.AppendUint(b, v, 10)
	}
	if style == event.XlatRaw {
		return b
	}
	if style == event.XlatVerbose {
		b = append(b, " /* "...)
	}
	b = append(b, "if_nametoindex("...)
	b = event.AppendQuoted(b, []byte(name), st.Hex, false)
	b = append(b, ')')
	if style == event.XlatVerbose {
		b = append(b, " */"...)
	}
	return b
}

func (name ifindexSyms) Names(v uint64) ([]string, uint64) { return nil, v }

// ethProtoNet is sll_protocol: an ETH_P_* protocol in network byte order,
// htons(ETH_P_IP).
type ethProtoNet struct{}

func (ethProtoNet) AppendSym(b []byte, v uint64, style event.XlatStyle) []byte {
	return appendNetStyled(b, bigEndian(v, 2), &event.Style{Xlat: style}, func(b []byte) []byte {
		b = append(b, "htons("...)
		b = EthernetProtocols.AppendSym(b, v, event.XlatAbbrev)
		return append(b, ')')
	})
}

func (ethProtoNet) Names(v uint64) ([]string, uint64) { return EthernetProtocols.Names(v) }
