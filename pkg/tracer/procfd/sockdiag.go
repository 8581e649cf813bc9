package procfd

import (
	"encoding/binary"
	"net/netip"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/gtrace/gtrace/pkg/event"
)

// protocol is a socket protocol as sockfs names it, and how sock_diag
// finds its sockets.
type protocol struct {
	name   string
	kind   diagKind
	family uint8
	proto  uint8
}

type diagKind uint8

const (
	diagInet diagKind = iota
	diagUnix
	diagNetlink
)

// protocols are those strace resolves; their names are the kernel's
// (struct proto's name).
var protocols = []protocol{
	{"UNIX", diagUnix, unix.AF_UNIX, 0},
	{"UNIX-STREAM", diagUnix, unix.AF_UNIX, 0},
	{"TCP", diagInet, unix.AF_INET, unix.IPPROTO_TCP},
	{"UDP", diagInet, unix.AF_INET, unix.IPPROTO_UDP},
	{"UDPLITE", diagInet, unix.AF_INET, unix.IPPROTO_UDPLITE},
	{"DCCP", diagInet, unix.AF_INET, unix.IPPROTO_DCCP},
	{"SCTP", diagInet, unix.AF_INET, unix.IPPROTO_SCTP},
	{"L2TP/IP", diagInet, unix.AF_INET, unix.IPPROTO_L2TP},
	{"PING", diagInet, unix.AF_INET, unix.IPPROTO_ICMP},
	{"RAW", diagInet, unix.AF_INET, unix.IPPROTO_RAW},
	{"TCPv6", diagInet, unix.AF_INET6, unix.IPPROTO_TCP},
	{"UDPv6", diagInet, unix.AF_INET6, unix.IPPROTO_UDP},
	{"UDPLITEv6", diagInet, unix.AF_INET6, unix.IPPROTO_UDPLITE},
	{"DCCPv6", diagInet, unix.AF_INET6, unix.IPPROTO_DCCP},
	{"SCTPv6", diagInet, unix.AF_INET6, unix.IPPROTO_SCTP},
	{"L2TP/IPv6", diagInet, unix.AF_INET6, unix.IPPROTO_L2TP},
	{"PINGv6", diagInet, unix.AF_INET6, unix.IPPROTO_ICMP},
	{"RAWv6", diagInet, unix.AF_INET6, unix.IPPROTO_RAW},
	{"NETLINK", diagNetlink, unix.AF_NETLINK, 0},
}

// Netlink and sock_diag constants (linux/netlink.h, linux/sock_diag.h,
// linux/unix_diag.h, linux/netlink_diag.h).
const (
	nlmsgHdrLen      = 16
	sockDiagByFamily = 20
	udiagShowName    = 1
	udiagShowPeer    = 4
	unixDiagName     = 0
	unixDiagPeer     = 2
	ndiagProtoAll    = 255
	unixPathMax      = 108
	inetDiagMsgLen   = 72
	unixDiagMsgLen   = 16
	netlinkDiagLen   = 28
)

// sockDiag asks the kernel for the endpoints of the socket with inode,
// formatted as strace formats them. found is false when the kernel has
// no such socket in its tables (not yet bound) or sock_diag fails.
func sockDiag(p protocol, inode uint32) (string, bool) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_SOCK_DIAG)
	if err != nil {
		return "", false
	}
	defer unix.Close(fd)
	var req []byte
	var parse func(msg []byte) (string, int)
	flags := uint16(unix.NLM_F_REQUEST | unix.NLM_F_DUMP)
	switch p.kind {
	case diagInet:
		// struct inet_diag_req_v2: family, protocol, ext, pad, states,
		// and a zero inet_diag_sockid: a dump of every socket.
		req = make([]byte, 56)
		req[0], req[1] = p.family, p.proto
		binary.LittleEndian.PutUint32(req[4:], ^uint32(0))
		parse = func(m []byte) (string, int) { return parseInet(p.name, inode, m) }
	case diagUnix:
		// struct unix_diag_req: asks for one inode.
		req = make([]byte, 24)
		req[0] = unix.AF_UNIX
		binary.LittleEndian.PutUint32(req[4:], ^uint32(0))
		binary.LittleEndian.PutUint32(req[8:], inode)
		binary.LittleEndian.PutUint32(req[12:], udiagShowName|udiagShowPeer)
		binary.LittleEndian.PutUint64(req[16:], ^uint64(0))
		flags = unix.NLM_F_REQUEST
		parse = func(m []byte) (string, int) { return parseUnix(p.name, inode, m) }
	case diagNetlink:
		// struct netlink_diag_req: every protocol.
		req = make([]byte, 20)
		req[0], req[1] = unix.AF_NETLINK, ndiagProtoAll
		parse = func(m []byte) (string, int) { return parseNetlink(p.name, inode, m) }
	}
	msg := make([]byte, nlmsgHdrLen+len(req))
	binary.LittleEndian.PutUint32(msg[0:], uint32(len(msg)))
	binary.LittleEndian.PutUint16(msg[4:], sockDiagByFamily)
	binary.LittleEndian.PutUint16(msg[6:], flags)
	copy(msg[nlmsgHdrLen:], req)
	if err := unix.Sendto(fd, msg, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return "", false
	}
	return receive(fd, parse)
}

// receive reads sock_diag answers until parse finds the socket (> 0) or
// fails (< 0), or the answers end.
func receive(fd int, parse func([]byte) (string, int)) (string, bool) {
	buf := make([]byte, 8192)
	recvFlags := 0
	for {
		n, _, err := unix.Recvfrom(fd, buf, recvFlags)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n < nlmsgHdrLen {
			return "", false
		}
		for b := buf[:n]; len(b) >= nlmsgHdrLen; {
			size := int(binary.LittleEndian.Uint32(b))
			if size < nlmsgHdrLen || size > len(b) {
				return "", false
			}
			if binary.LittleEndian.Uint16(b[4:]) != sockDiagByFamily {
				return "", false
			}
			text, rc := parse(b[nlmsgHdrLen:size])
			switch {
			case rc > 0:
				return text, true
			case rc < 0:
				return "", false
			}
			b = b[min(len(b), (size+3)&^3):]
		}
		recvFlags = unix.MSG_DONTWAIT
	}
}

// parseInet reads a struct inet_diag_msg: PROTO:[src:port->dst:port], or
// PROTO:[src:port] when there is no peer. IPv6 addresses are in brackets.
func parseInet(name string, inode uint32, m []byte) (string, int) {
	if len(m) < inetDiagMsgLen {
		return "", -1
	}
	if binary.LittleEndian.Uint32(m[68:]) != inode {
		return "", 0
	}
	family := m[0]
	size := 4
	switch family {
	case unix.AF_INET:
	case unix.AF_INET6:
		size = 16
	default:
		return "", -1
	}
	sport := binary.BigEndian.Uint16(m[4:])
	dport := binary.BigEndian.Uint16(m[6:])
	src, dst := m[8:8+size], m[24:24+size]
	b := append([]byte(name), ":["...)
	b = appendEndpoint(b, src, sport)
	if dport != 0 || !allZero(dst) {
		b = append(b, "->"...)
		b = appendEndpoint(b, dst, dport)
	}
	return string(append(b, ']')), 1
}

func appendEndpoint(b, addr []byte, port uint16) []byte {
	if len(addr) == 16 {
		b = append(b, '[')
		b = netip.AddrFrom16([16]byte(addr)).AppendTo(b)
		b = append(b, ']')
	} else {
		b = netip.AddrFrom4([4]byte(addr)).AppendTo(b)
	}
	b = append(b, ':')
	return strconv.AppendUint(b, uint64(port), 10)
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// parseUnix reads a struct unix_diag_msg and its attributes:
// PROTO:[inode->peer,"path"], with @"name" for an abstract name. A socket
// with neither peer nor name is not found: strace then prints
// PROTO:[inode].
func parseUnix(name string, inode uint32, m []byte) (string, int) {
	if len(m) < unixDiagMsgLen {
		return "", -1
	}
	if binary.LittleEndian.Uint32(m[4:]) != inode {
		return "", 0
	}
	if m[0] != unix.AF_UNIX {
		return "", -1
	}
	var peer uint32
	var path []byte
	for a := m[unixDiagMsgLen:]; len(a) >= 4; {
		alen := int(binary.LittleEndian.Uint16(a))
		if alen < 4 || alen > len(a) {
			break
		}
		payload := a[4:alen]
		switch binary.LittleEndian.Uint16(a[2:]) {
		case unixDiagName:
			if path == nil {
				path = payload[:min(len(payload), unixPathMax)]
			}
		case unixDiagPeer:
			if len(payload) >= 4 {
				peer = binary.LittleEndian.Uint32(payload)
			}
		}
		a = a[min(len(a), (alen+3)&^3):]
	}
	if peer == 0 && len(path) == 0 {
		return "", -1
	}
	b := append([]byte(name), ":["...)
	b = strconv.AppendUint(b, uint64(inode), 10)
	if peer != 0 {
		b = append(b, "->"...)
		b = strconv.AppendUint(b, uint64(peer), 10)
	}
	if len(path) > 0 {
		b = append(b, ',')
		if path[0] == 0 {
			b = append(b, '@')
			path = path[1:]
		}
		b = event.AppendQuoted(b, cString(path), 0, false)
	}
	return string(append(b, ']')), 1
}

// cString cuts b at its first NUL.
func cString(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i]
		}
	}
	return b
}

// netlinkNames are the NETLINK_* protocols strace names in -yy output,
// without their prefix.
var netlinkNames = map[uint8]string{
	0: "ROUTE", 1: "UNUSED", 2: "USERSOCK", 3: "FIREWALL", 4: "SOCK_DIAG", 5: "NFLOG", 6: "XFRM",
	7: "SELINUX", 8: "ISCSI", 9: "AUDIT", 10: "FIB_LOOKUP", 11: "CONNECTOR", 12: "NETFILTER",
	13: "IP6_FW", 14: "DNRTMSG", 15: "KOBJECT_UEVENT", 16: "GENERIC", 18: "SCSITRANSPORT",
	19: "ECRYPTFS", 20: "RDMA", 21: "CRYPTO", 22: "SMC",
}

// parseNetlink reads a struct netlink_diag_msg: PROTO:[ROUTE:portid].
func parseNetlink(name string, inode uint32, m []byte) (string, int) {
	if len(m) < netlinkDiagLen {
		return "", -1
	}
	if binary.LittleEndian.Uint32(m[16:]) != inode {
		return "", 0
	}
	if m[0] != unix.AF_NETLINK {
		return "", -1
	}
	b := append([]byte(name), ":["...)
	if proto, ok := netlinkNames[m[2]]; ok {
		b = append(b, proto...)
		b = append(b, ':')
		b = strconv.AppendUint(b, uint64(binary.LittleEndian.Uint32(m[4:])), 10)
	} else {
		b = strconv.AppendUint(b, uint64(m[2]), 10)
	}
	return string(append(b, ']')), 1
}
