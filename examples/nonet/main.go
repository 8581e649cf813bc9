// Command nonet runs a command without network access: every connect(2)
// to an IPv4 or IPv6 address fails with EACCES before the kernel sees it,
// while local (Unix domain) sockets work as usual.
//
//	go run ./examples/nonet [COMMAND [ARGS...]]
//
// Without a command it runs itself as a client of a server it listens
// with, which would answer if the connection were allowed.
package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"syscall"

	"github.com/gtrace/gtrace/pkg/tracer"
)

// dialEnv makes this program the demonstration client: it dials the
// address in the variable and says how it went.
const dialEnv = "NONET_DIAL"

func main() {
	if addr := os.Getenv(dialEnv); addr != "" {
		dial(addr, os.Stdout)
		return
	}
	var cmd tracer.Cmd
	if len(os.Args) > 1 {
		cmd = tracer.Command(os.Args[1], os.Args[2:]...)
	} else {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Fprintln(os.Stderr, "nonet:", err)
			os.Exit(1)
		}
		defer ln.Close()
		self, _ := os.Executable()
		cmd = tracer.Command(self)
		cmd.Env = append(os.Environ(), dialEnv+"="+ln.Addr().String())
	}
	if err := run(cmd, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "nonet:", err)
		os.Exit(1)
	}
}

// dial connects to addr and reports the outcome on w.
func dial(addr string, w io.Writer) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		fmt.Fprintln(w, "client:", err)
		return
	}
	conn.Close()
	fmt.Fprintln(w, "client: connected to", addr)
}

// run traces cmd, refusing its network connections, and tells report
// about each.
func run(cmd tracer.Cmd, report io.Writer) error {
	t, err := tracer.Start(context.Background(), cmd, tracer.Options{Follow: true})
	if err != nil {
		return err
	}
	err = t.Run(tracer.Hooks{Syscalls: []tracer.Hook{{
		Names: []string{"connect"},
		Func: func(s *tracer.Syscall) tracer.Action {
			if !s.IsEntry() {
				return tracer.Continue
			}
			addr, ok := inetAddr(s, s.Arg(1), s.Arg(2))
			if !ok {
				return tracer.Continue // not a network address
			}
			if err := s.SetErrno(syscall.EACCES); err != nil {
				return tracer.Continue
			}
			fmt.Fprintf(report, "nonet: denied process %d a connection to %s\n", s.PID, addr)
			return tracer.Continue
		},
	}}})
	if err != nil {
		return err
	}
	_, err = t.Wait()
	return err
}

// inetAddr reads the struct sockaddr at addr (of size n) in the task's
// memory, when it is an IPv4 or IPv6 address.
func inetAddr(s *tracer.Syscall, addr, n uint64) (netip.AddrPort, bool) {
	var sa [28]byte // sizeof(struct sockaddr_in6)
	got, err := s.ReadMemory(addr, sa[:min(n, uint64(len(sa)))])
	if err != nil || got < 8 {
		return netip.AddrPort{}, false
	}
	port := binary.BigEndian.Uint16(sa[2:4])
	switch binary.LittleEndian.Uint16(sa[0:2]) {
	case syscall.AF_INET:
		return netip.AddrPortFrom(netip.AddrFrom4([4]byte(sa[4:8])), port), true
	case syscall.AF_INET6:
		if got < 24 {
			return netip.AddrPort{}, false
		}
		return netip.AddrPortFrom(netip.AddrFrom16([16]byte(sa[8:24])), port), true
	}
	return netip.AddrPort{}, false
}
