// Command sockbytes runs a command and counts the bytes it sends and
// receives on each socket, whichever call moved them (read, write, send,
// recv and their message forms).
//
//	go run ./examples/sockbytes [COMMAND [ARGS...]]
//
// Without a command it runs itself as a TCP client and server that trade
// "ping" for "pong!".
//
// A descriptor is known to be a socket by its /proc/PID/fd link
// ("socket:[INODE]"); the inode names the socket across processes and
// duplicated descriptors.
package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"slices"
	"strings"

	"github.com/gtrace/gtrace/pkg/tracer"
	"github.com/gtrace/gtrace/pkg/tracer/procfd"
)

// pingPongEnv makes this program the demonstration client and server.
const pingPongEnv = "SOCKBYTES_PINGPONG"

func main() {
	if os.Getenv(pingPongEnv) != "" {
		if err := pingPong(); err != nil {
			fmt.Fprintln(os.Stderr, "sockbytes:", err)
			os.Exit(1)
		}
		return
	}
	var cmd tracer.Cmd
	if len(os.Args) > 1 {
		cmd = tracer.Command(os.Args[1], os.Args[2:]...)
	} else {
		self, _ := os.Executable()
		cmd = tracer.Command(self)
		cmd.Env = append(os.Environ(), pingPongEnv+"=1")
	}
	counts, err := run(cmd)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sockbytes:", err)
		os.Exit(1)
	}
	counts.print(os.Stdout)
}

// pingPong sends "ping" over TCP on the loopback and answers "pong!".
func pingPong() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	served := make(chan error, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			served <- err
			return
		}
		defer conn.Close()
		buf := make([]byte, 4)
		if _, err := io.ReadFull(conn, buf); err != nil {
			served <- err
			return
		}
		_, err = conn.Write([]byte("pong!"))
		served <- err
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("ping")); err != nil {
		return err
	}
	if _, err := io.ReadFull(conn, make([]byte, 5)); err != nil {
		return err
	}
	return <-served
}

// traffic is what went through one socket.
type traffic struct{ sent, received int64 }

// sockets maps a socket ("socket:[INODE]") to its traffic.
type sockets map[string]*traffic

// sends and receives are the calls that move bytes through a descriptor
// given as their first argument.
var (
	sends    = []string{"write", "writev", "sendto", "sendmsg"}
	receives = []string{"read", "readv", "recvfrom", "recvmsg"}
)

// run traces cmd and counts its socket traffic.
func run(cmd tracer.Cmd) (sockets, error) {
	t, err := tracer.Start(context.Background(), cmd, tracer.Options{Follow: true})
	if err != nil {
		return nil, err
	}
	counts := sockets{}
	err = t.Run(tracer.Hooks{Syscalls: []tracer.Hook{{
		Names: append(slices.Clone(sends), receives...),
		Func: func(s *tracer.Syscall) tracer.Action {
			if s.IsEntry() || s.Return() <= 0 {
				return tracer.Continue
			}
			link := procfd.New().FDPath(s.PID, int(s.Arg(0)))
			if !strings.HasPrefix(link, "socket:") {
				return tracer.Continue
			}
			c := counts[link]
			if c == nil {
				c = &traffic{}
				counts[link] = c
			}
			if slices.Contains(sends, s.Name) {
				c.sent += s.Return()
			} else {
				c.received += s.Return()
			}
			return tracer.Continue
		},
	}}})
	if err != nil {
		return nil, err
	}
	_, err = t.Wait()
	return counts, err
}

func (c sockets) print(w io.Writer) {
	for _, name := range slices.Sorted(maps.Keys(c)) {
		fmt.Fprintf(w, "%s: sent %d bytes, received %d bytes\n", name, c[name].sent, c[name].received)
	}
}
