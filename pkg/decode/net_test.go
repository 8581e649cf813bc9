package decode_test

import (
	"strings"
	"testing"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/format"
)

const badAddr = 0xdead0000

func TestSocketCalls(t *testing.T) {
	runNetCases(t, []netCase{
		{"socket inet", func(*netMem) netCall {
			return netCall{name: "socket", args: [6]uint64{2, 1 | 0x80000, 6}, ret: 3}
		}, "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3"},
		{"socket packet", func(*netMem) netCall {
			return netCall{name: "socket", args: [6]uint64{17, 2, 0x0008}, ret: 3}
		}, "socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP)) = 3"},
		{"socket netlink", func(*netMem) netCall {
			return netCall{name: "socket", args: [6]uint64{16, 3 | 0x800, 0}, ret: 3}
		}, "socket(AF_NETLINK, SOCK_RAW|SOCK_NONBLOCK, NETLINK_ROUTE) = 3"},
		{"socket unknown family", func(*netMem) netCall {
			return netCall{name: "socket", args: [6]uint64{99, 1, 7}, ret: errno(97)}
		}, "socket(0x63 /* AF_??? */, SOCK_STREAM, 7) = -1 EAFNOSUPPORT (Address family not supported by protocol)"},
		{"socket raw style", func(*netMem) netCall {
			return netCall{name: "socket", args: [6]uint64{2, 1 | 0x80000, 6}, ret: 3, style: event.Style{Xlat: event.XlatRaw}}
		}, "socket(0x2, 0x1|0x80000, 0x6) = 3"},
		{"socket verbose style", func(*netMem) netCall {
			return netCall{name: "socket", args: [6]uint64{2, 1 | 0x80000, 6}, ret: 3, style: event.Style{Xlat: event.XlatVerbose}}
		}, "socket(0x2 /* AF_INET */, 0x1 /* SOCK_STREAM */|0x80000 /* SOCK_CLOEXEC */, 0x6 /* IPPROTO_TCP */) = 3"},
		{"socketpair", func(m *netMem) netCall {
			sv := m.put(le(int32(3), int32(4)))
			return netCall{name: "socketpair", args: [6]uint64{1, 1, 0, sv}}
		}, "socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4]) = 0"},
		{"socketpair failed", func(m *netMem) netCall {
			return netCall{name: "socketpair", args: [6]uint64{1, 1, 0, badAddr}, ret: errno(eFAULT)}
		}, "socketpair(AF_UNIX, SOCK_STREAM, 0, 0xdead0000) = -1 EFAULT (Bad address)"},
		{"listen", func(*netMem) netCall {
			return netCall{name: "listen", args: [6]uint64{3, 128}}
		}, "listen(3, 128) = 0"},
		{"shutdown", func(*netMem) netCall {
			return netCall{name: "shutdown", args: [6]uint64{3, 2}}
		}, "shutdown(3, SHUT_RDWR) = 0"},
		{"accept4 length changed", func(m *netMem) netCall {
			sa := m.put(sockaddrIn(40000))
			n := m.put(le(int32(16)))
			return netCall{name: "accept4", args: [6]uint64{3, sa, n, 0x80800}, ret: 5}
		}, `accept4(3, {sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr("127.0.0.1")}, [16], SOCK_CLOEXEC|SOCK_NONBLOCK) = 5`},
		{"accept failed", func(m *netMem) netCall {
			sa := m.put(make([]byte, 16))
			n := m.put(le(int32(16)))
			return netCall{name: "accept", args: [6]uint64{3, sa, n}, ret: errno(eAGAIN)}
		}, "accept(3, 0x10000, [16]) = -1 EAGAIN (Resource temporarily unavailable)"},
		{"accept no address", func(*netMem) netCall {
			return netCall{name: "accept", args: [6]uint64{3, 0, 0}, ret: 4}
		}, "accept(3, NULL, NULL) = 4"},
		{"sendto no address", func(m *netMem) netCall {
			buf := m.put([]byte("hello"))
			return netCall{name: "sendto", args: [6]uint64{4, buf, 5, 0x4000, 0, 0}, ret: 5}
		}, `sendto(4, "hello", 5, MSG_NOSIGNAL, NULL, 0) = 5`},
		{"recvfrom with address", func(m *netMem) netCall {
			buf := m.put([]byte("ping"))
			sa := m.put(sockaddrIn(53))
			n := m.put(le(int32(16)))
			return netCall{name: "recvfrom", args: [6]uint64{3, buf, 64, 0x40, sa, n}, ret: 4}
		}, `recvfrom(3, "ping", 64, MSG_DONTWAIT, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.1")}, [16]) = 4`},
		{"recvfrom failed", func(m *netMem) netCall {
			sa := m.put(sockaddrIn(53))
			n := m.put(le(int32(16)))
			return netCall{name: "recvfrom", args: [6]uint64{3, badAddr, 64, 0, sa, n}, ret: errno(eAGAIN)}
		}, "recvfrom(3, 0xdead0000, 64, 0, 0x10000, [16]) = -1 EAGAIN (Resource temporarily unavailable)"},
	})
}

func TestSockaddrs(t *testing.T) {
	connect := func(sa []byte, n int) func(*netMem) netCall {
		return func(m *netMem) netCall {
			return netCall{name: "connect", args: [6]uint64{3, m.put(sa), uint64(n)}}
		}
	}
	in6 := func(addr []byte, scope uint32) []byte {
		return le(uint16(10), []byte{0, 80}, []byte{0, 0, 0, 7}, addr, scope)
	}
	loop6 := append(make([]byte, 15), 1)
	linkLocal := append([]byte{0xfe, 0x80}, append(make([]byte, 13), 1)...)
	v4compat := append(make([]byte, 12), 1, 2, 3, 4)
	decode.InterfaceName = func(idx uint32) string {
		if idx == 1 {
			return "lo"
		}
		return ""
	}
	runNetCases(t, []netCase{
		{"inet", connect(sockaddrIn(8080), 16),
			`connect(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}, 16) = 0`},
		{"inet6", connect(in6(loop6, 0), 28),
			`connect(3, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(7), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0`},
		{"inet6 link-local scope", connect(in6(linkLocal, 1), 28),
			`connect(3, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(7), inet_pton(AF_INET6, "fe80::1", &sin6_addr), sin6_scope_id=if_nametoindex("lo")}, 28) = 0`},
		{"inet6 without scope", connect(in6(v4compat, 0), 24),
			`connect(3, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(7), inet_pton(AF_INET6, "::1.2.3.4", &sin6_addr)}, 24) = 0`},
		{"unix path", connect(append(le(uint16(1)), "/tmp/s\x00"...), 9),
			`connect(3, {sa_family=AF_UNIX, sun_path="/tmp/s"}, 9) = 0`},
		{"unix abstract", connect(append(le(uint16(1)), "\x00ab\x00c"...), 7),
			`connect(3, {sa_family=AF_UNIX, sun_path=@"ab\0c"}, 7) = 0`},
		{"unix unnamed", connect(le(uint16(1)), 2),
			`connect(3, {sa_family=AF_UNIX}, 2) = 0`},
		{"netlink", connect(le(uint16(16), uint16(0), uint32(1234), uint32(1)), 12),
			`connect(3, {sa_family=AF_NETLINK, nl_pid=1234, nl_groups=0x000001}, 12) = 0`},
		{"netlink pad", connect(le(uint16(16), uint16(5), uint32(0), uint32(0)), 12),
			`connect(3, {sa_family=AF_NETLINK, nl_pad=0x5, nl_pid=0, nl_groups=00000000}, 12) = 0`},
		{"packet", connect(le(uint16(17), []byte{0x86, 0xdd}, int32(1), uint16(1), uint8(0), uint8(2), []byte{1, 2, 0, 0, 0, 0, 0, 0}), 20),
			`connect(3, {sa_family=AF_PACKET, sll_protocol=htons(ETH_P_IPV6), sll_ifindex=if_nametoindex("lo"), sll_hatype=ARPHRD_ETHER, sll_pkttype=PACKET_HOST, sll_halen=2, sll_addr=[0x1, 0x2]}, 20) = 0`},
		{"unknown family", connect(le(uint16(99), "abc"), 5),
			`connect(3, {sa_family=0x63 /* AF_??? */, sa_data="abc"}, 5) = 0`},
		{"inet too short", connect(sockaddrIn(80)[:8], 8),
			`connect(3, {sa_family=AF_INET, sa_data="\0P\177\0\0\1"}, 8) = 0`},
		{"length below a family", func(m *netMem) netCall {
			return netCall{name: "connect", args: [6]uint64{3, m.put(sockaddrIn(80)), 1}}
		}, "connect(3, 0x10000, 1) = 0"},
		{"unreadable", func(*netMem) netCall {
			return netCall{name: "bind", args: [6]uint64{3, badAddr, 16}, ret: errno(eFAULT)}
		}, "bind(3, 0xdead0000, 16) = -1 EFAULT (Bad address)"},
		{"null", func(*netMem) netCall {
			return netCall{name: "bind", args: [6]uint64{3, 0, 16}, ret: errno(eFAULT)}
		}, "bind(3, NULL, 16) = -1 EFAULT (Bad address)"},
		{"inet raw style", func(m *netMem) netCall {
			return netCall{name: "bind", args: [6]uint64{3, m.put(sockaddrIn(80)), 16}, style: event.Style{Xlat: event.XlatRaw}}
		}, `bind(3, {sa_family=0x2, sin_port="\x00\x50", sin_addr="\x7f\x00\x00\x01"}, 16) = 0`},
		{"inet6 verbose style", func(m *netMem) netCall {
			return netCall{name: "bind", args: [6]uint64{3, m.put(in6(loop6, 0)), 28}, style: event.Style{Xlat: event.XlatVerbose}}
		}, `bind(3, {sa_family=0xa /* AF_INET6 */, sin6_port="\x00\x50" /* htons(80) */, sin6_flowinfo="\x00\x00\x00\x07" /* htonl(7) */, sin6_addr="\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01" /* inet_pton(AF_INET6, "::1") */, sin6_scope_id=0}, 28) = 0`},
		{"getsockname length changed", func(m *netMem) netCall {
			sa := m.put(le(uint16(1), make([]byte, 108)))
			n := m.put(le(int32(2)))
			return netCall{name: "getsockname", args: [6]uint64{3, sa, n}}
		}, "getsockname(3, {sa_family=AF_UNIX}, [2]) = 0"},
	})
}

// TestInoutLength checks [110 => 2]: the length before the call is the
// one at entry, the memory holds the one after.
func TestInoutLength(t *testing.T) {
	m := newNetMem()
	sa := m.put(le(uint16(1), make([]byte, 108)))
	n := m.put(le(int32(110)))
	row := decode.TableFor(event.ArchX86_64).ByName("getpeername")
	d := decode.NewDecoder(decode.Options{}, nil)
	c := &event.Call{Arch: event.ArchX86_64}
	args := [6]uint64{3, sa, n}
	d.Entry(c, row, &args, &m.m, 1)
	copy(m.m.Data[n-netMemBase:], le(int32(2))) // what the kernel writes
	d.Exit(c, row, 0, &m.m, 1)
	st := event.Style{}
	if got := string(c.Args[2].Val.AppendStrace(nil, &st)); got != "[110 => 2]" {
		t.Errorf("length %s, want [110 => 2]", got)
	}
	if got := string(c.Args[1].Val.AppendStrace(nil, &st)); got != "{sa_family=AF_UNIX}" {
		t.Errorf("address %s, want {sa_family=AF_UNIX}", got)
	}
}

// msghdr64 is an x86_64 struct msghdr.
func msghdr64(name uint64, namelen int32, iov, iovlen, control, controllen uint64, flags uint32) []byte {
	return le(name, namelen, uint32(0), iov, iovlen, control, controllen, flags, uint32(0))
}

func TestMessages(t *testing.T) {
	runNetCases(t, []netCase{
		{"sendmsg rights and credentials", func(m *netMem) netCall {
			a, b := m.put([]byte("ab")), m.put([]byte("cde"))
			iov := m.put(le(a, uint64(2), b, uint64(3)))
			ctl := m.put(le(
				uint64(24), int32(1), int32(1), int32(5), int32(6),
				uint64(28), int32(1), int32(2), int32(42), uint32(0), uint32(0xffffffff), uint32(0)))
			msg := m.put(msghdr64(0, 0, iov, 2, ctl, 56, 0))
			return netCall{name: "sendmsg", args: [6]uint64{3, msg, 0}, ret: 5}
		}, `sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="ab", iov_len=2}, {iov_base="cde", iov_len=3}], msg_iovlen=2, msg_control=[{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5, 6]}, {cmsg_len=28, cmsg_level=SOL_SOCKET, cmsg_type=SCM_CREDENTIALS, cmsg_data={pid=42, uid=0, gid=-1}}], msg_controllen=56, msg_flags=0}, 0) = 5`},
		{"sendmsg unknown level and truncated control", func(m *netMem) netCall {
			ctl := m.put(le(uint64(20), int32(99), int32(7), int32(1), uint32(0), uint64(16)))
			msg := m.put(msghdr64(0, 0, 0, 0, ctl, 30, 0))
			return netCall{name: "sendmsg", args: [6]uint64{3, msg, 0}, ret: errno(eINVAL)}
		}, "sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=NULL, msg_iovlen=0, msg_control=[{cmsg_len=20, cmsg_level=0x63 /* SOL_??? */, cmsg_type=0x7}, ... /* 0x10018 */], msg_controllen=30, msg_flags=0}, 0) = -1 EINVAL (Invalid argument)"},
		{"sendmsg unreadable", func(*netMem) netCall {
			return netCall{name: "sendmsg", args: [6]uint64{3, badAddr, 0}, ret: errno(eFAULT)}
		}, "sendmsg(3, 0xdead0000, 0) = -1 EFAULT (Bad address)"},
		{"recvmsg data bounded by return", func(m *netMem) netCall {
			a, b := m.put([]byte("a")), m.put([]byte("bcdeXXXXXX"))
			iov := m.put(le(a, uint64(1), b, uint64(10)))
			name := m.put(sockaddrIn(9))
			msg := m.put(msghdr64(name, 16, iov, 2, 0, 0, 0x20))
			return netCall{name: "recvmsg", args: [6]uint64{3, msg, 0x40000000}, ret: 5}
		}, `recvmsg(3, {msg_name={sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, msg_namelen=16, msg_iov=[{iov_base="a", iov_len=1}, {iov_base="bcde", iov_len=10}], msg_iovlen=2, msg_controllen=0, msg_flags=MSG_TRUNC}, MSG_CMSG_CLOEXEC) = 5`},
		{"recvmsg failed", func(m *netMem) netCall {
			msg := m.put(msghdr64(0, 128, 0, 0, 0, 0, 0))
			return netCall{name: "recvmsg", args: [6]uint64{3, msg, 0}, ret: errno(eAGAIN)}
		}, "recvmsg(3, {msg_namelen=128}, 0) = -1 EAGAIN (Resource temporarily unavailable)"},
		{"sendmmsg", func(m *netMem) netCall {
			a := m.put([]byte("xy"))
			iov := m.put(le(a, uint64(2)))
			h := msghdr64(0, 0, iov, 1, 0, 0, 0)
			vec := m.put(le(h, uint32(2), uint32(0), h, uint32(0), uint32(0)))
			return netCall{name: "sendmmsg", args: [6]uint64{3, vec, 2, 0}, ret: 1}
		}, `sendmmsg(3, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="xy", iov_len=2}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=2}, {msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="xy", iov_len=2}], msg_iovlen=1, msg_controllen=0, msg_flags=0}}], 2, 0) = 1`},
		{"recvmmsg", func(m *netMem) netCall {
			a := m.put([]byte("xyz"))
			iov := m.put(le(a, uint64(8)))
			vec := m.put(append(msghdr64(0, 0, iov, 1, 0, 0, 0), le(uint32(2), uint32(0))...))
			return netCall{name: "recvmmsg", args: [6]uint64{3, vec, 4, 0x40, 0}, ret: 1}
		}, `recvmmsg(3, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="xy", iov_len=8}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=2}], 4, MSG_DONTWAIT, NULL) = 1`},
		{"recvmmsg timeout", func(m *netMem) netCall {
			ts := m.put(le(int64(1), int64(0)))
			return netCall{name: "recvmmsg", args: [6]uint64{3, m.put(make([]byte, 64)), 1, 0, ts}, ret: 0}
		}, "recvmmsg(3, [], 1, 0, {tv_sec=1, tv_nsec=0}) = 0 (Timeout)"},
	})
}

func TestSocketOptions(t *testing.T) {
	runNetCases(t, []netCase{
		{"setsockopt int", func(m *netMem) netCall {
			return netCall{name: "setsockopt", args: [6]uint64{3, 1, 2, m.put(le(int32(1))), 4}}
		}, "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0"},
		{"setsockopt linger", func(m *netMem) netCall {
			return netCall{name: "setsockopt", args: [6]uint64{3, 1, 13, m.put(le(int32(1), int32(5))), 8}}
		}, "setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=5}, 8) = 0"},
		{"setsockopt timeval as bytes", func(m *netMem) netCall {
			return netCall{name: "setsockopt", args: [6]uint64{3, 1, 20, m.put(le(int64(5), int64(0))), 16}}
		}, `setsockopt(3, SOL_SOCKET, SO_RCVTIMEO_OLD, "\5\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) = 0`},
		{"setsockopt tcp", func(m *netMem) netCall {
			return netCall{name: "setsockopt", args: [6]uint64{3, 6, 1, m.put(le(int32(1))), 4}}
		}, "setsockopt(3, SOL_TCP, TCP_NODELAY, [1], 4) = 0"},
		{"setsockopt multicast", func(m *netMem) netCall {
			return netCall{name: "setsockopt", args: [6]uint64{3, 0, 35, m.put([]byte{224, 0, 0, 1, 0, 0, 0, 0}), 8}}
		}, `setsockopt(3, SOL_IP, IP_ADD_MEMBERSHIP, {imr_multiaddr=inet_addr("224.0.0.1"), imr_interface=inet_addr("0.0.0.0")}, 8) = 0`},
		{"setsockopt unknown level", func(m *netMem) netCall {
			return netCall{name: "setsockopt", args: [6]uint64{3, 999, 7, m.put(le(int32(1))), 4}, ret: errno(92)}
		}, "setsockopt(3, 0x3e7 /* SOL_??? */, 7, [1], 4) = -1 ENOPROTOOPT (Protocol not available)"},
		{"getsockopt error", func(m *netMem) netCall {
			v, n := m.put(le(int32(eCONNREFUSE))), m.put(le(int32(4)))
			return netCall{name: "getsockopt", args: [6]uint64{3, 1, 4, v, n}}
		}, "getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0"},
		{"getsockopt peercred", func(m *netMem) netCall {
			v, n := m.put(le(int32(7), uint32(0), uint32(0))), m.put(le(int32(12)))
			return netCall{name: "getsockopt", args: [6]uint64{3, 1, 17, v, n}}
		}, "getsockopt(3, SOL_SOCKET, SO_PEERCRED, {pid=7, uid=0, gid=0}, [12]) = 0"},
		{"getsockopt failed", func(m *netMem) netCall {
			v, n := m.put(le(int32(0))), m.put(le(int32(4)))
			return netCall{name: "getsockopt", args: [6]uint64{3, 41, 26, v, n}, ret: errno(eBADF)}
		}, "getsockopt(3, SOL_IPV6, IPV6_V6ONLY, 0x10000, [4]) = -1 EBADF (Bad file descriptor)"},
	})
}

func TestPolling(t *testing.T) {
	runNetCases(t, []netCase{
		{"poll ready", func(m *netMem) netCall {
			fds := m.put(le(int32(3), uint16(1), uint16(1), int32(-1), uint16(4), uint16(0), int32(4), uint16(4), uint16(4)))
			return netCall{name: "poll", args: [6]uint64{fds, 3, 100}, ret: 2}
		}, "poll([{fd=3, events=POLLIN}, {fd=-1}, {fd=4, events=POLLOUT}], 3, 100) = 2 ([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}])"},
		{"poll timeout", func(m *netMem) netCall {
			fds := m.put(le(int32(3), uint16(3), uint16(0)))
			return netCall{name: "poll", args: [6]uint64{fds, 1, 0}, ret: 0}
		}, "poll([{fd=3, events=POLLIN|POLLPRI}], 1, 0) = 0 (Timeout)"},
		{"ppoll left", func(m *netMem) netCall {
			fds := m.put(le(int32(3), uint16(1), uint16(1)))
			ts := m.put(le(int64(0), int64(500)))
			set := m.put(le(uint64(1 << 9)))
			return netCall{name: "ppoll", args: [6]uint64{fds, 1, ts, set, 8}, ret: 1}
		}, "ppoll([{fd=3, events=POLLIN}], 1, {tv_sec=0, tv_nsec=500}, [USR1], 8) = 1 ([{fd=3, revents=POLLIN}], left {tv_sec=0, tv_nsec=500})"},
		{"poll unreadable", func(*netMem) netCall {
			return netCall{name: "poll", args: [6]uint64{badAddr, 1, 0}, ret: errno(eFAULT)}
		}, "poll(0xdead0000, 1, 0) = -1 EFAULT (Bad address)"},
		{"select", func(m *netMem) netCall {
			in, out := m.put(le(uint64(1<<3|1<<5))), m.put(le(uint64(1<<4)))
			tv := m.put(le(int64(0), int64(1000)))
			return netCall{name: "select", args: [6]uint64{6, in, out, 0, tv}, ret: 3}
		}, "select(6, [3 5], [4], NULL, {tv_sec=0, tv_usec=1000}) = 3 (in [3 5], out [4], left {tv_sec=0, tv_usec=1000})"},
		{"select timeout", func(m *netMem) netCall {
			in := m.put(le(uint64(1 << 3)))
			return netCall{name: "select", args: [6]uint64{4, in, 0, 0, 0}, ret: 0}
		}, "select(4, [3], NULL, NULL, NULL) = 0 (Timeout)"},
		{"pselect6 sigmask", func(m *netMem) netCall {
			in := m.put(le(uint64(1 << 3)))
			set := m.put(le(uint64(1 << 9)))
			sig := m.put(le(set, uint64(8)))
			return netCall{name: "pselect6", args: [6]uint64{4, in, 0, 0, 0, sig}, ret: 1}
		}, "pselect6(4, [3], NULL, NULL, NULL, {sigmask=[USR1], sigsetsize=8}) = 1 (in [3])"},
		{"epoll_create1", func(*netMem) netCall {
			return netCall{name: "epoll_create1", args: [6]uint64{0x80000}, ret: 5}
		}, "epoll_create1(EPOLL_CLOEXEC) = 5"},
		{"epoll_ctl", func(m *netMem) netCall {
			ev := m.put(le(uint32(0x80000001), uint64(0x1234567890)))
			return netCall{name: "epoll_ctl", args: [6]uint64{5, 1, 3, ev}}
		}, "epoll_ctl(5, EPOLL_CTL_ADD, 3, {events=EPOLLIN|EPOLLET, data={u32=878082192, u64=78187493520}}) = 0"},
		{"epoll_ctl del", func(*netMem) netCall {
			return netCall{name: "epoll_ctl", args: [6]uint64{5, 2, 3, 0}}
		}, "epoll_ctl(5, EPOLL_CTL_DEL, 3, NULL) = 0"},
		{"epoll_wait", func(m *netMem) netCall {
			evs := m.put(le(uint32(4), uint64(4), uint32(1), uint64(9)))
			return netCall{name: "epoll_wait", args: [6]uint64{5, evs, 8, 100}, ret: 2}
		}, "epoll_wait(5, [{events=EPOLLOUT, data={u32=4, u64=4}}, {events=EPOLLIN, data={u32=9, u64=9}}], 8, 100) = 2"},
		{"epoll_pwait2", func(m *netMem) netCall {
			ts := m.put(le(int64(0), int64(0)))
			return netCall{name: "epoll_pwait2", args: [6]uint64{5, m.put(nil), 8, ts, 0, 8}}
		}, "epoll_pwait2(5, [], 8, {tv_sec=0, tv_nsec=0}, NULL, 8) = 0"},
	})
}

func TestIoctls(t *testing.T) {
	termios := le(uint32(0o2400), uint32(5), uint32(0o277), uint32(0o105073), uint8(0), []byte{3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0xf, 0x17, 0x16, 0, 0, 0})
	const wantFlags = "c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE"
	runNetCases(t, []netCase{
		{"TCGETS", func(m *netMem) netCall {
			return netCall{name: "ioctl", args: [6]uint64{0, 0x5401, m.put(termios)}}
		}, "ioctl(0, TCGETS, {" + wantFlags + ", ...}) = 0"},
		{"TCGETS verbose", func(m *netMem) netCall {
			return netCall{name: "ioctl", args: [6]uint64{0, 0x5401, m.put(termios)}, opts: decode.Options{Verbose: true}}
		}, "ioctl(0, TCGETS, {" + wantFlags + ", c_line=N_TTY, c_cc=[[VINTR]=0x3, [VQUIT]=0x1c, [VERASE]=0x7f, [VKILL]=0x15, [VEOF]=0x4, [VTIME]=0, [VMIN]=0x1, [VSWTC]=0, [VSTART]=0x11, [VSTOP]=0x13, [VSUSP]=0x1a, [VEOL]=0, [VREPRINT]=0x12, [VDISCARD]=0xf, [VWERASE]=0x17, [VLNEXT]=0x16, [VEOL2]=0, [17]=0, [18]=0]}) = 0"},
		{"TCSETS raw mode", func(m *netMem) netCall {
			raw := le(uint32(0), uint32(0), uint32(0o4000|0o60|0o15), uint32(0), make([]byte, 20))
			return netCall{name: "ioctl", args: [6]uint64{0, 0x5402, m.put(raw)}}
		}, "ioctl(0, SNDCTL_TMR_START or TCSETS, {c_iflag=, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|, c_cflag=B9600|CS8|CLOCAL, c_lflag=, ...}) = 0"},
		{"TCGETS failed", func(*netMem) netCall {
			return netCall{name: "ioctl", args: [6]uint64{5, 0x5401, badAddr}, ret: errno(eNOTTY)}
		}, "ioctl(5, TCGETS, 0xdead0000) = -1 ENOTTY (Inappropriate ioctl for device)"},
		{"TIOCGWINSZ", func(m *netMem) netCall {
			return netCall{name: "ioctl", args: [6]uint64{1, 0x5413, m.put(le(uint16(24), uint16(80), uint16(0), uint16(0)))}}
		}, "ioctl(1, TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0"},
		{"FIONREAD", func(m *netMem) netCall {
			return netCall{name: "ioctl", args: [6]uint64{3, 0x541b, m.put(le(int32(3)))}}
		}, "ioctl(3, FIONREAD, [3]) = 0"},
		{"FIOCLEX", func(*netMem) netCall {
			return netCall{name: "ioctl", args: [6]uint64{3, 0x5451, 0}}
		}, "ioctl(3, FIOCLEX) = 0"},
		{"TCFLSH", func(*netMem) netCall {
			return netCall{name: "ioctl", args: [6]uint64{3, 0x540b, 2}}
		}, "ioctl(3, TCFLSH, TCIOFLUSH) = 0"},
		{"TCXONC unknown", func(*netMem) netCall {
			return netCall{name: "ioctl", args: [6]uint64{3, 0x540a, 77}, ret: errno(eINVAL)}
		}, "ioctl(3, TCXONC, 0x4d /* TC??? */) = -1 EINVAL (Invalid argument)"},
		{"TIOCMBIS", func(m *netMem) netCall {
			return netCall{name: "ioctl", args: [6]uint64{3, 0x5416, m.put(le(uint32(6)))}}
		}, "ioctl(3, TIOCMBIS, [TIOCM_DTR|TIOCM_RTS]) = 0"},
		{"unknown request", func(*netMem) netCall {
			return netCall{name: "ioctl", args: [6]uint64{3, 0x80047803, 0x7fff0000}, ret: errno(eNOTTY)}
		}, "ioctl(3, _IOC(_IOC_READ, 0x78, 0x3, 0x4), 0x7fff0000) = -1 ENOTTY (Inappropriate ioctl for device)"},
		{"unknown request verbose shows bytes", func(m *netMem) netCall {
			return netCall{name: "ioctl", args: [6]uint64{3, 0xc0047803, m.put(le(uint32(1)))}, opts: decode.Options{Verbose: true}}
		}, `ioctl(3, _IOC(_IOC_READ|_IOC_WRITE, 0x78, 0x3, 0x4), "\x01\x00\x00\x00" => "\x01\x00\x00\x00") = 0`},
		{"SIOCGIFINDEX", func(m *netMem) netCall {
			r := m.put(le("lo\x00", make([]byte, 13), int32(1), make([]byte, 20)))
			return netCall{name: "ioctl", args: [6]uint64{3, 0x8933, r}}
		}, `ioctl(3, SIOCGIFINDEX, {ifr_name="lo", ifr_ifindex=1}) = 0`},
		{"SIOCGIFINDEX failed", func(m *netMem) netCall {
			r := m.put(le("nosuch0\x00", make([]byte, 32)))
			return netCall{name: "ioctl", args: [6]uint64{3, 0x8933, r}, ret: errno(19)}
		}, `ioctl(3, SIOCGIFINDEX, {ifr_name="nosuch0"}) = -1 ENODEV (No such device)`},
		{"SIOCGIFNAME", func(m *netMem) netCall {
			r := m.put(le("eth0\x00", make([]byte, 11), int32(2), make([]byte, 20)))
			return netCall{name: "ioctl", args: [6]uint64{3, 0x8910, r}}
		}, `ioctl(3, SIOCGIFNAME, {ifr_ifindex=2, ifr_name="eth0"}) = 0`},
		{"SIOCSIFFLAGS", func(m *netMem) netCall {
			r := m.put(le("lo\x00", make([]byte, 13), uint16(0x49), make([]byte, 22)))
			return netCall{name: "ioctl", args: [6]uint64{3, 0x8914, r}}
		}, `ioctl(3, SIOCSIFFLAGS, {ifr_name="lo", ifr_flags=IFF_UP|IFF_LOOPBACK|IFF_RUNNING}) = 0`},
		{"SIOCGIFHWADDR", func(m *netMem) netCall {
			r := m.put(le("eth0\x00", make([]byte, 11), uint16(1), []byte{2, 0xfc, 0, 0, 0, 1}, make([]byte, 16)))
			return netCall{name: "ioctl", args: [6]uint64{3, 0x8927, r}}
		}, `ioctl(3, SIOCGIFHWADDR, {ifr_name="eth0", ifr_hwaddr={sa_family=ARPHRD_ETHER, sa_data=02:fc:00:00:00:01}}) = 0`},
		{"SIOCGSTAMP as an address", func(*netMem) netCall {
			return netCall{name: "ioctl", args: [6]uint64{3, 0x8906, 0}, ret: errno(2)}
		}, "ioctl(3, SIOCGSTAMP_OLD, NULL) = -1 ENOENT (No such file or directory)"},
		{"request raw style", func(m *netMem) netCall {
			return netCall{name: "ioctl", args: [6]uint64{3, 0x541b, m.put(le(int32(3)))}, style: event.Style{Xlat: event.XlatRaw}}
		}, "ioctl(3, 0x541b, [3]) = 0"},
		{"request verbose style", func(m *netMem) netCall {
			return netCall{name: "ioctl", args: [6]uint64{3, 0x541b, m.put(le(int32(3)))}, style: event.Style{Xlat: event.XlatVerbose}}
		}, "ioctl(3, 0x541b /* FIONREAD */, [3]) = 0"},
	})
}

// TestIoctlGetterUnfinished checks where the comma before a getter's
// argument goes when another task's line cuts the call: strace prints
// "ioctl(0, TCGETS <unfinished ...>" and "<... ioctl resumed>, 0x...)".
func TestIoctlGetterUnfinished(t *testing.T) {
	row := decode.TableFor(event.ArchX86_64).ByName("ioctl")
	d := decode.NewDecoder(decode.Options{}, nil)
	mem := &decode.SliceMemory{}
	getter := &event.Call{Arch: event.ArchX86_64}
	args := [6]uint64{0, 0x5401, 0x7fff0000}
	d.Entry(getter, row, &args, mem, 1)
	other := &event.Call{Arch: event.ArchX86_64}
	pid := decode.TableFor(event.ArchX86_64).ByName("getpid")
	d.Entry(other, pid, &[6]uint64{}, mem, 2)
	d.Exit(other, pid, 2, mem, 2)
	d.Exit(getter, row, errno(eNOTTY), mem, 1)

	var out strings.Builder
	f := format.NewStrace(&out, format.StraceOptions{Prefix: format.PrefixNever})
	for _, ev := range []event.Event{
		{Kind: event.KindSyscallEntry, PID: 1, TID: 1, Call: getter},
		{Kind: event.KindSyscallEntry, PID: 2, TID: 2, Call: other},
		{Kind: event.KindSyscallExit, PID: 2, TID: 2, Call: other},
		{Kind: event.KindSyscallExit, PID: 1, TID: 1, Call: getter},
	} {
		_ = f.Write(&ev)
	}
	_ = f.End()
	want := "ioctl(0, TCGETS <unfinished ...>\ngetpid() = 2\n<... ioctl resumed>, 0x7fff0000) = -1 ENOTTY (Inappropriate ioctl for device)\n"
	if got := resultPadding.ReplaceAllString(out.String(), ") = "); got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
}

// BenchmarkNetDecode decodes and prints network calls from memory, as
// the tracer does for each stop: a connect, a sendmsg with control data,
// a poll and a TCGETS.
func BenchmarkNetDecode(b *testing.B) {
	m := newNetMem()
	sa := m.put(sockaddrIn(8080))
	a := m.put([]byte("hello"))
	iov := m.put(le(a, uint64(5)))
	ctl := m.put(le(uint64(20), int32(1), int32(1), int32(5), uint32(0)))
	msg := m.put(msghdr64(0, 0, iov, 1, ctl, 24, 0))
	fds := m.put(le(int32(3), uint16(1), uint16(1)))
	tio := m.put(make([]byte, 36))
	calls := []struct {
		name string
		args [6]uint64
		ret  int64
	}{
		{"connect", [6]uint64{3, sa, 16}, 0},
		{"sendmsg", [6]uint64{3, msg, 0}, 5},
		{"poll", [6]uint64{fds, 1, 100}, 1},
		{"ioctl", [6]uint64{0, 0x5401, tio}, 0},
	}
	tbl := decode.TableFor(event.ArchX86_64)
	d := decode.NewDecoder(decode.Options{}, nil)
	f := format.NewStrace(discard{}, format.StraceOptions{Prefix: format.PrefixNever})
	c := &event.Call{Arch: event.ArchX86_64}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := &calls[i%len(calls)]
		row := tbl.ByName(k.name)
		d.Entry(c, row, &k.args, &m.m, 1)
		_ = f.Write(&event.Event{Kind: event.KindSyscallEntry, PID: 1, TID: 1, Call: c})
		d.Exit(c, row, k.ret, &m.m, 1)
		_ = f.Write(&event.Event{Kind: event.KindSyscallExit, PID: 1, TID: 1, Call: c})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
