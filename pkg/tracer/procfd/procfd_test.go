package procfd

import (
	"encoding/binary"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/gtrace/gtrace/pkg/decode"
)

// inode returns the inode of the socket fd refers to.
func inode(t *testing.T, fd int) uint64 {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		t.Fatal(err)
	}
	return st.Ino
}

func TestDescribeSockets(t *testing.T) {
	r := New()
	pid := os.Getpid()

	sv, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(sv[0])
	defer unix.Close(sv[1])
	a, b := inode(t, sv[0]), inode(t, sv[1])
	want := fmt.Sprintf("UNIX-STREAM:[%d->%d]", a, b)
	link := fmt.Sprintf("socket:[%d]", a)
	if got := r.DescribeFD(pid, sv[0]); got != (decode.FDInfo{Path: want, Endpoints: true, Link: link}) {
		t.Errorf("socketpair: %+v, want %s", got, want)
	}

	dg, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(dg[0])
	defer unix.Close(dg[1])
	want = fmt.Sprintf("UNIX:[%d->%d]", inode(t, dg[0]), inode(t, dg[1]))
	if got := r.DescribeFD(pid, dg[0]).Path; got != want {
		t.Errorf("datagram socketpair: %s, want %s", got, want)
	}

	// A TCP connection over loopback, both ends.
	l, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(l)
	unbound := fmt.Sprintf("TCP:[%d]", inode(t, l))
	if got := r.DescribeFD(pid, l).Path; got != unbound {
		t.Errorf("unbound TCP socket: %s, want %s", got, unbound)
	}
	if err := unix.Bind(l, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(l, 1); err != nil {
		t.Fatal(err)
	}
	sa, _ := unix.Getsockname(l)
	port := sa.(*unix.SockaddrInet4).Port
	want = "TCP:[127.0.0.1:" + strconv.Itoa(port) + "]"
	if got := r.DescribeFD(pid, l).Path; got != want {
		t.Errorf("listening TCP socket: %s, want %s", got, want)
	}
	c, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(c)
	if err := unix.Connect(c, sa); err != nil {
		t.Fatal(err)
	}
	csa, _ := unix.Getsockname(c)
	want = fmt.Sprintf("TCP:[127.0.0.1:%d->127.0.0.1:%d]", csa.(*unix.SockaddrInet4).Port, port)
	if got := r.DescribeFD(pid, c).Path; got != want {
		t.Errorf("connected TCP socket: %s, want %s", got, want)
	}

	// UDP over IPv6: the address in brackets; once found, the endpoints
	// are cached as strace caches them, even after connect.
	u, err := unix.Socket(unix.AF_INET6, unix.SOCK_DGRAM, 0)
	if err != nil {
		t.Skipf("no IPv6: %v", err)
	}
	defer unix.Close(u)
	if err := unix.Bind(u, &unix.SockaddrInet6{Addr: [16]byte{15: 1}}); err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	usa, _ := unix.Getsockname(u)
	want = "UDPv6:[[::1]:" + strconv.Itoa(usa.(*unix.SockaddrInet6).Port) + "]"
	if got := r.DescribeFD(pid, u).Path; got != want {
		t.Errorf("bound UDPv6 socket: %s, want %s", got, want)
	}
	if err := unix.Connect(u, usa); err != nil {
		t.Fatal(err)
	}
	if got := r.DescribeFD(pid, u).Path; got != want {
		t.Errorf("connected UDPv6 socket: %s, want the cached %s", got, want)
	}
	if got := New().DescribeFD(pid, u).Path; got == want {
		t.Errorf("a fresh resolver should see the peer, got %s", got)
	}
}

func TestDescribeNetlinkAndPaths(t *testing.T) {
	r := New()
	pid := os.Getpid()
	nl, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW, unix.NETLINK_ROUTE)
	if err != nil {
		t.Skipf("no netlink: %v", err)
	}
	defer unix.Close(nl)
	if got, want := r.DescribeFD(pid, nl).Path, fmt.Sprintf("NETLINK:[%d]", inode(t, nl)); got != want {
		t.Errorf("unbound netlink socket: %s, want %s", got, want)
	}
	if err := unix.Bind(nl, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		t.Fatal(err)
	}
	sa, _ := unix.Getsockname(nl)
	want := fmt.Sprintf("NETLINK:[ROUTE:%d]", sa.(*unix.SockaddrNetlink).Pid)
	if got := r.DescribeFD(pid, nl).Path; got != want {
		t.Errorf("bound netlink socket: %s, want %s", got, want)
	}

	f, err := os.Open("/dev/null")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := r.DescribeFD(pid, int(f.Fd())); got != (decode.FDInfo{Path: "/dev/null", Device: "char 1:3"}) {
		t.Errorf("/dev/null: %+v", got)
	}
	if got := r.FDPath(pid, int(f.Fd())); got != "/dev/null" {
		t.Errorf("FDPath: %q", got)
	}
	p, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	defer w.Close()
	if got := r.DescribeFD(pid, int(p.Fd())); !regexp.MustCompile(`^pipe:\[\d+\]$`).MatchString(got.Path) || got.Device != "" || got.Endpoints {
		t.Errorf("pipe: %+v", got)
	}
	pidfd, err := unix.PidfdOpen(pid, 0)
	if err == nil {
		defer unix.Close(pidfd)
		want := decode.FDInfo{Path: "pid:" + strconv.Itoa(pid), Endpoints: true, Link: "anon_inode:[pidfd]"}
		if got := r.DescribeFD(pid, pidfd); got != want {
			t.Errorf("pidfd: %+v, want %+v", got, want)
		}
	}
	if got := r.DescribeFD(pid, 1<<20); got != (decode.FDInfo{}) {
		t.Errorf("closed descriptor: %+v", got)
	}
}

func TestParseDiag(t *testing.T) {
	attr := func(typ uint16, payload []byte) []byte {
		b := binary.LittleEndian.AppendUint16(nil, uint16(4+len(payload)))
		b = binary.LittleEndian.AppendUint16(b, typ)
		b = append(b, payload...)
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
		return b
	}
	unixMsg := func(ino uint32, attrs ...[]byte) []byte {
		b := []byte{unix.AF_UNIX, unix.SOCK_STREAM, 1, 0}
		b = binary.LittleEndian.AppendUint32(b, ino)
		b = append(b, make([]byte, 8)...)
		for _, a := range attrs {
			b = append(b, a...)
		}
		return b
	}
	peer := binary.LittleEndian.AppendUint32(nil, 8)
	for _, tc := range []struct {
		name string
		msg  []byte
		want string
		rc   int
	}{
		{"peer and path", unixMsg(7, attr(unixDiagPeer, peer), attr(unixDiagName, []byte("/run/s\x00"))), "UNIX:[7->8,\"/run/s\"]", 1},
		{"abstract", unixMsg(7, attr(unixDiagName, []byte("\x00ab\"c"))), "UNIX:[7,@\"ab\\\"c\"]", 1},
		{"neither", unixMsg(7), "", -1},
		{"another inode", unixMsg(9, attr(unixDiagPeer, peer)), "", 0},
		{"short", []byte{1, 2}, "", -1},
	} {
		got, rc := parseUnix("UNIX", 7, tc.msg)
		if got != tc.want || rc != tc.rc {
			t.Errorf("%s: %q %d, want %q %d", tc.name, got, rc, tc.want, tc.rc)
		}
	}

	inet := make([]byte, inetDiagMsgLen)
	inet[0] = unix.AF_INET6
	binary.BigEndian.PutUint16(inet[4:], 80)
	inet[8+15] = 1
	binary.LittleEndian.PutUint32(inet[68:], 5)
	if got, rc := parseInet("TCPv6", 5, inet); got != "TCPv6:[[::1]:80]" || rc != 1 {
		t.Errorf("inet6 listener: %q %d", got, rc)
	}
	binary.BigEndian.PutUint16(inet[6:], 9)
	inet[24+15] = 2
	if got, _ := parseInet("TCPv6", 5, inet); got != "TCPv6:[[::1]:80->[::2]:9]" {
		t.Errorf("inet6 connection: %q", got)
	}
	if _, rc := parseInet("TCP", 5, inet[:10]); rc != -1 {
		t.Errorf("short inet message: rc %d", rc)
	}

	nl := make([]byte, netlinkDiagLen)
	nl[0], nl[2] = unix.AF_NETLINK, 200
	binary.LittleEndian.PutUint32(nl[16:], 3)
	if got, _ := parseNetlink("NETLINK", 3, nl); got != "NETLINK:[200]" {
		t.Errorf("unknown netlink protocol: %q", got)
	}
}
