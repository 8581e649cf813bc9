package resource

import (
	"strconv"
	"strings"

	"github.com/gtrace/gtrace/pkg/event"
)

// Socket families and types gtrace names.
var (
	families = map[uint64]string{
		1: "AF_UNIX", 2: "AF_INET", 10: "AF_INET6", 16: "AF_NETLINK", 17: "AF_PACKET",
		4: "AF_IPX", 5: "AF_APPLETALK", 9: "AF_X25", 15: "AF_KEY", 31: "AF_BLUETOOTH",
		38: "AF_ALG", 40: "AF_VSOCK", 44: "AF_XDP",
	}
	sockTypes = map[uint64]string{
		1: "SOCK_STREAM", 2: "SOCK_DGRAM", 3: "SOCK_RAW", 4: "SOCK_RDM",
		5: "SOCK_SEQPACKET", 6: "SOCK_DCCP", 10: "SOCK_PACKET",
	}
)

// describeSocket names r from socket(2)'s domain and type.
func describeSocket(r *Resource, domain, typ uint64) {
	r.Family, r.Type, r.Proto = DescribeSocket(domain, typ)
}

// DescribeSocket names a socket from socket(2)'s domain and type
// registers: its family ("AF_INET"), type ("SOCK_STREAM") and the
// protocol people call it by ("TCP", "UDP", "UNIX").
func DescribeSocket(domain, typ uint64) (family, stype, proto string) {
	domain, typ = uint64(uint32(domain)), typ&0xf // type's high bits are flags
	family = families[domain]
	if family == "" {
		family = "AF_" + strconv.FormatUint(domain, 10)
	}
	stype = sockTypes[typ]
	if stype == "" {
		stype = "SOCK_" + strconv.FormatUint(typ, 10)
	}
	switch domain {
	case 2, 10:
		v6 := ""
		if domain == 10 {
			v6 = "v6"
		}
		switch typ {
		case 1:
			proto = "TCP" + v6
		case 2:
			proto = "UDP" + v6
		default:
			proto = "IP" + v6
		}
	case 1:
		proto = "UNIX"
	case 16:
		proto = "NETLINK"
	default:
		proto = family
	}
	return family, stype, proto
}

// Address renders a decoded socket address the way people write it:
// "127.0.0.1:8080", "[::1]:8080", a unix socket's path. It reads the
// fields strace prints (sin_port=htons(8080), sin_addr=inet_addr("..."),
// sun_path="..."); for any other value it returns the value as strace
// prints it, and "" for a value that is not an address at all (a pointer
// the decoder could not read, or none).
func Address(v *event.Value) string {
	switch v.Kind {
	case event.VStruct:
	case event.VNone, event.VPtr, event.VFault, event.VHex:
		return ""
	default:
		return string(v.AppendStrace(nil, &event.Style{}))
	}
	if p := field(v, "sun_path"); p != nil {
		return scalarText(p)
	}
	for _, f := range [][2]string{{"sin_addr", "sin_port"}, {"sin6_addr", "sin6_port"}} {
		host, port := field(v, f[0]), field(v, f[1])
		if host == nil || port == nil {
			continue
		}
		h := scalarText(host)
		if f[0] == "sin6_addr" {
			h = "[" + h + "]"
		}
		return h + ":" + scalarText(port)
	}
	return string(v.AppendStrace(nil, &event.Style{}))
}

// scalarText is the plain text of a decoded scalar: a string's bytes, a
// number's digits, or the meaningful argument of a call rendering, which
// the decoder gives as text (htons(8080) → 8080, inet_addr("1.2.3.4") →
// 1.2.3.4, inet_pton(AF_INET6, "::1", &sin6_addr) → ::1).
func scalarText(v *event.Value) string {
	switch v.Kind {
	case event.VStr:
		return string(v.Bytes)
	case event.VInt:
		return strconv.FormatInt(int64(v.N), 10)
	case event.VUint:
		return strconv.FormatUint(v.N, 10)
	}
	return callArgument(string(v.AppendStrace(nil, &event.Style{})))
}

// callArgument takes "f(args)" apart: the first quoted argument, or all
// of args when none is quoted. Other text is returned as it is.
func callArgument(s string) string {
	open := strings.IndexByte(s, '(')
	if open <= 0 || !strings.HasSuffix(s, ")") {
		return s
	}
	args := s[open+1 : len(s)-1]
	if _, rest, ok := strings.Cut(args, `"`); ok {
		if q, _, ok := strings.Cut(rest, `"`); ok {
			return q
		}
	}
	return args
}
