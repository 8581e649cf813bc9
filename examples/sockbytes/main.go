// Command sockbytes runs a command and counts the bytes it sends and
// receives on each socket, whichever call moved them (read, write, send,
// recv and their vector and message forms).
//
//	go run ./examples/sockbytes [COMMAND [ARGS...]]
//
// Without a command it runs itself as a TCP client and server that trade
// "ping" for "pong!".
//
// A resource tracker (pkg/resource, fed by pkg/resource/restrace) follows
// each socket from its creation to its close, through dup, fork and
// threads, and names it by its endpoints; no syscall is reported, so with
// the seccomp fast path the program stops only for the calls on
// descriptors.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"slices"

	"github.com/gtrace/gtrace/pkg/filter"
	"github.com/gtrace/gtrace/pkg/resource"
	"github.com/gtrace/gtrace/pkg/resource/restrace"
	"github.com/gtrace/gtrace/pkg/tracer"
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
	socks, err := run(cmd)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sockbytes:", err)
		os.Exit(1)
	}
	printSockets(os.Stdout, socks)
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

// run traces cmd and returns the sockets that moved bytes, in the order
// they were created.
func run(cmd tracer.Cmd) ([]*resource.Resource, error) {
	var socks []*resource.Resource
	keep := func(r *resource.Resource) {
		if r.Stats.BytesRead+r.Stats.BytesWritten > 0 {
			socks = append(socks, r)
		}
	}
	res := resource.New(resource.Options{
		Resolver: resource.ProcResolver{},
		Hooks: resource.Hooks{
			OnFilter: func(r *resource.Resource, _ *resource.Op) bool { return r.Kind == resource.Socket },
			Socket:   resource.SocketHooks{OnClose: func(op *resource.Op) { keep(op.Res) }},
		},
	})
	t, err := tracer.Start(context.Background(), cmd, tracer.Options{
		Follow: true,
		Trace:  filter.NoSyscalls(),
		Hooked: restrace.Syscalls(),
	})
	if err != nil {
		return nil, err
	}
	if err := t.Run(restrace.New(res).Hooks()); err != nil {
		return nil, err
	}
	// Sockets of processes that outlived the trace never closed.
	for _, r := range res.Open() {
		if r.Traced {
			keep(r)
		}
	}
	slices.SortFunc(socks, func(a, b *resource.Resource) int { return a.ID - b.ID })
	_, err = t.Wait()
	return socks, err
}

func printSockets(w io.Writer, socks []*resource.Resource) {
	for _, r := range socks {
		fmt.Fprintf(w, "%s: sent %d bytes, received %d bytes\n", r, r.Stats.BytesWritten, r.Stats.BytesRead)
	}
}
