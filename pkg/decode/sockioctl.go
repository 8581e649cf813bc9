package decode

import (
	"bytes"

	"github.com/gtrace/gtrace/pkg/event"
)

// Socket ioctls (type 0x89) that strace decodes: struct ifreq requests,
// int requests, and those whose argument it shows as an address.

// ifreq is struct ifreq: a 16-byte interface name, then a union.
const (
	ifNameSize = 16
	ifreqUnion = ifNameSize
)

// ifreqField says what a request reads or writes in struct ifreq's
// union.
type ifreqField uint8

const (
	ifrIndex ifreqField = iota
	ifrFlags
	ifrMetric
	ifrMTU
	ifrQlen
	ifrAddr
	ifrDstaddr
	ifrBroadaddr
	ifrNetmask
	ifrHwaddr
	ifrSlave
	ifrNewname
	ifrName // SIOCGIFNAME: ifr_ifindex in, ifr_name out
)

// ifreqSpec is how an ifreq request shows: its field, and whether the
// kernel fills it (a getter, whose name shows at entry and field at exit).
type ifreqSpec struct {
	field ifreqField
	get   bool
}

var ifreqIoctls = map[uint32]ifreqSpec{
	0x8910: {ifrName, true}, 0x8913: {ifrFlags, true}, 0x8914: {ifrFlags, false},
	0x8915: {ifrAddr, true}, 0x8916: {ifrAddr, false}, 0x8917: {ifrDstaddr, true},
	0x8918: {ifrDstaddr, false}, 0x8919: {ifrBroadaddr, true}, 0x891a: {ifrBroadaddr, false},
	0x891b: {ifrNetmask, true}, 0x891c: {ifrNetmask, false}, 0x891d: {ifrMetric, true},
	0x891e: {ifrMetric, false}, 0x8921: {ifrMTU, true}, 0x8922: {ifrMTU, false},
	0x8923: {ifrNewname, false}, 0x8924: {ifrHwaddr, false}, 0x8927: {ifrHwaddr, true},
	0x8929: {ifrSlave, true}, 0x8930: {ifrSlave, false}, 0x8931: {ifrHwaddr, false},
	0x8932: {ifrHwaddr, false}, 0x8933: {ifrIndex, true}, 0x8937: {ifrHwaddr, false},
	0x8942: {ifrQlen, true}, 0x8943: {ifrQlen, false},
}

// sockIoctls are the other socket requests strace decodes.
var sockIoctls = map[uint32]ioctlSpec{
	// FIOGETOWN, SIOCATMARK, SIOCGIFENCAP, SIOCGPGRP, SIOCOUTQNSD
	0x8903: {argIntPtr, true}, 0x8905: {argIntPtr, true}, 0x8925: {argIntPtr, true},
	0x8904: {argIntPtr, true}, 0x894b: {argIntPtr, true},
	// FIOSETOWN, SIOCSIFENCAP, SIOCSPGRP
	0x8901: {argIntPtr, false}, 0x8926: {argIntPtr, false}, 0x8902: {argIntPtr, false},
	// Requests strace shows the argument of as an address.
	0x890b: {argAddr, false}, 0x890c: {argAddr, false}, 0x890d: {argAddr, false},
	0x8906: {argAddr, false}, 0x8907: {argAddr, false}, 0x80108906: {argAddr, false},
	0x80108907: {argAddr, false}, 0x8911: {argAddr, false}, 0x891f: {argAddr, false},
	0x8920: {argAddr, false}, 0x8934: {argAddr, false}, 0x8935: {argAddr, false},
	0x8936: {argAddr, false}, 0x8938: {argAddr, false}, 0x8940: {argAddr, false},
	0x8941: {argAddr, false}, 0x8946: {argAddr, false}, 0x8947: {argAddr, false},
	0x8948: {argAddr, false}, 0x8949: {argAddr, false}, 0x894a: {argAddr, false},
	0x894c: {argAddr, false}, 0x8953: {argAddr, false}, 0x8954: {argAddr, false},
	0x8955: {argAddr, false}, 0x8960: {argAddr, false}, 0x8961: {argAddr, false},
	0x8962: {argAddr, false}, 0x8980: {argAddr, false}, 0x8981: {argAddr, false},
	0x8982: {argAddr, false}, 0x8983: {argAddr, false}, 0x8990: {argAddr, false},
	0x8991: {argAddr, false}, 0x8992: {argAddr, false}, 0x8993: {argAddr, false},
	0x8994: {argAddr, false}, 0x8995: {argAddr, false}, 0x89b0: {argAddr, false},
	0x89b1: {argAddr, false},
}

// InterfaceFlags are the IFF_* flags of ifr_flags.
var InterfaceFlags = &Flags{Bits: []Sym{
	{0x1, "IFF_UP"}, {0x2, "IFF_BROADCAST"}, {0x4, "IFF_DEBUG"}, {0x8, "IFF_LOOPBACK"},
	{0x10, "IFF_POINTOPOINT"}, {0x20, "IFF_NOTRAILERS"}, {0x40, "IFF_RUNNING"},
	{0x80, "IFF_NOARP"}, {0x100, "IFF_PROMISC"}, {0x200, "IFF_ALLMULTI"}, {0x400, "IFF_MASTER"},
	{0x800, "IFF_SLAVE"}, {0x1000, "IFF_MULTICAST"}, {0x2000, "IFF_PORTSEL"},
	{0x4000, "IFF_AUTOMEDIA"}, {0x8000, "IFF_DYNAMIC"},
}}

// ifreqSize is sizeof(struct ifreq): its union holds a struct ifmap of
// longs.
func ifreqSize(ws int) int { return ifNameSize + 2*ws + 8 }

// ifreq decodes the struct ifreq at addr for an ifreq request: at entry
// (exit false) the name (the index for SIOCGIFNAME) and, for a request
// that sets, its field; at exit a getter's field added to before, what
// the entry showed.
func (x *ctx) ifreq(addr uint64, spec ifreqSpec, exit bool, before event.Value) event.Value {
	raw, ok := x.readFull(addr, ifreqSize(x.ws()))
	if exit {
		if !ok || x.failed() {
			return before
		}
		before.Elems = append(before.Elems, ifreqFieldValue(le(raw), spec.field))
		return before
	}
	if !ok {
		return event.Ptr(addr)
	}
	b := le(raw)
	v := event.Value{Kind: event.VStruct}
	if spec.field == ifrName {
		v.Elems = append(v.Elems, event.Field("ifr_ifindex", event.Int(b.s32(ifreqUnion))))
	} else {
		v.Elems = append(v.Elems, event.Field("ifr_name", cField(b[:ifNameSize])))
	}
	if !spec.get {
		v.Elems = append(v.Elems, ifreqFieldValue(b, spec.field))
	}
	return v
}

// cField renders a fixed-size char array holding a C string.
func cField(b []byte) event.Value {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return event.Str(bytes.Clone(b[:i]), false)
	}
	return event.Str(bytes.Clone(b), true)
}

func ifreqFieldValue(b le, f ifreqField) event.Value {
	u := b[ifreqUnion:]
	switch f {
	case ifrIndex:
		return event.Field("ifr_ifindex", event.Int(u.s32(0)))
	case ifrFlags:
		return event.Field("ifr_flags", event.Value{Kind: event.VFlags, N: u.u16(0), Syms: InterfaceFlags})
	case ifrMetric:
		return event.Field("ifr_metric", event.Int(u.s32(0)))
	case ifrMTU:
		return event.Field("ifr_mtu", event.Int(u.s32(0)))
	case ifrQlen:
		return event.Field("ifr_qlen", event.Int(u.s32(0)))
	case ifrAddr, ifrDstaddr, ifrBroadaddr, ifrNetmask:
		name := [...]string{ifrAddr: "ifr_addr", ifrDstaddr: "ifr_dstaddr", ifrBroadaddr: "ifr_broadaddr", ifrNetmask: "ifr_netmask"}[f]
		return event.Field(name, Sockaddr(u[:16]))
	case ifrHwaddr:
		return event.Field("ifr_hwaddr", hwaddr(u[:16]))
	case ifrSlave:
		return event.Field("ifr_slave", cField(u[:ifNameSize]))
	case ifrNewname:
		return event.Field("ifr_newname", cField(u[:ifNameSize]))
	}
	return event.Field("ifr_name", cField(b[:ifNameSize]))
}

// hwaddr renders ifr_hwaddr, a struct sockaddr whose family is an
// ARPHRD_* type: {sa_family=ARPHRD_ETHER, sa_data=02:fc:00:00:00:01}.
func hwaddr(b le) event.Value {
	typ := b.u16(0)
	data := b[2:16]
	switch typ {
	case 1, 2, 6, 772: // ETHER, EETHER, IEEE802, LOOPBACK: a MAC
		data = data[:6]
	}
	mac := make([]byte, 0, 3*len(data))
	for i, c := range data {
		if i > 0 {
			mac = append(mac, ':')
		}
		mac = append(mac, hexDigit(c>>4), hexDigit(c&15))
	}
	return event.Value{Kind: event.VStruct, Elems: []event.Value{
		event.Field("sa_family", event.Value{Kind: event.VEnum, N: typ, Syms: ARPHardware}),
		event.Field("sa_data", event.Text(string(mac))),
	}}
}

func hexDigit(c byte) byte { return "0123456789abcdef"[c] }
