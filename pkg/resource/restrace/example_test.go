package restrace_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/filter"
	"github.com/gtrace/gtrace/pkg/resource"
	"github.com/gtrace/gtrace/pkg/resource/restrace"
	"github.com/gtrace/gtrace/pkg/tracer"
)

// serverEnv makes the test binary the client of Example_sockets: it
// connects to the address the variable holds.
const serverEnv = "RESTRACE_EXAMPLE_SERVER"

func TestMain(m *testing.M) {
	if addr := os.Getenv(serverEnv); addr != "" {
		if err := ping(addr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// ping sends "ping" to addr and reads the answer.
func ping(addr string) error {
	c, err := net.Dial("tcp4", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.Write([]byte("ping")); err != nil {
		return err
	}
	_, err = io.ReadFull(c, make([]byte, 5))
	return err
}

// Follow one file through a shell's redirection: the shell opens it,
// moves it to descriptor 1 with dup2, writes through that, and closes it
// by restoring its standard output. Only the chosen file gets callbacks,
// and no syscall is reported: with the seccomp fast path the program
// stops only for the calls the tracker needs.
func Example() {
	res := resource.New(resource.Options{Hooks: resource.Hooks{
		OnFilter: func(r *resource.Resource, op *resource.Op) bool { return r.Path == "/dev/null" },
		File: resource.FileHooks{
			OnOpen:  func(op *resource.Op) { fmt.Printf("open %s as fd %d\n", op.Res.Path, op.FD) },
			OnWrite: func(op *resource.Op) { fmt.Printf("write %d bytes through fd %d\n", op.Bytes, op.FD) },
			OnClose: func(op *resource.Op) { fmt.Printf("close %s\n", op.Res.Path) },
		},
	}})
	t, err := tracer.Start(context.Background(), tracer.Command("sh", "-c", "echo hello >/dev/null"),
		tracer.Options{Follow: true, Trace: filter.NoSyscalls(), Hooked: restrace.Syscalls()})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := t.Run(restrace.New(res).Hooks()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// open /dev/null as fd 3
	// write 6 bytes through fd 1
	// close /dev/null
}

// Trace the connections a program makes, Shaman style: every socket is
// chosen when it is created, and reported when it closes, with its
// endpoints (from /proc, through the resolver) and the bytes it moved.
func Example_sockets() {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		_, _ = io.ReadFull(c, make([]byte, 4))
		_, _ = c.Write([]byte("pong!"))
	}()

	res := resource.New(resource.Options{
		Resolver: resource.ProcResolver{},
		Hooks: resource.Hooks{
			OnFilter: func(r *resource.Resource, op *resource.Op) bool { return r.Kind == resource.Socket },
			Socket: resource.SocketHooks{
				OnConnect: func(op *resource.Op) {
					fmt.Println("connect to the server:", op.Res.Remote == ln.Addr().String())
				},
				OnClose: func(op *resource.Op) {
					fmt.Printf("%s socket: sent %d bytes, received %d\n", op.Res.Proto, op.Res.Stats.BytesWritten, op.Res.Stats.BytesRead)
				},
			},
		},
	})
	// The test binary is the client (see TestMain).
	self, _ := os.Executable()
	cmd := tracer.Command(self)
	cmd.Env = append(os.Environ(), serverEnv+"="+ln.Addr().String())
	t, err := tracer.Start(context.Background(), cmd, tracer.Options{Follow: true, Trace: filter.NoSyscalls(), Hooked: restrace.Syscalls()})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := t.Run(restrace.New(res).Hooks()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// connect to the server: true
	// TCP socket: sent 4 bytes, received 5
}

// Use the tracker from a hook of one's own: make every write to
// /dev/null fail with ENOSPC. The feed's hook comes last, so the tracker
// sees the result the program sees; the program's other events still
// reach OnEvent, which passes them on to the feed.
func ExampleFeed_Hook() {
	res := resource.New(resource.Options{Hooks: resource.Hooks{
		OnFilter: func(r *resource.Resource, op *resource.Op) bool { return r.Path == "/dev/null" },
		File: resource.FileHooks{OnWrite: func(op *resource.Op) {
			fmt.Printf("write to %s: %v\n", op.Res.Path, op.Errno)
		}},
	}})
	feed := restrace.New(res)
	full := tracer.Hook{
		Names: []string{"write"},
		Func: func(s *tracer.Syscall) tracer.Action {
			if r := res.Lookup(s.TID, int(s.Arg(0))); s.IsEntry() && r != nil && r.Path == "/dev/null" {
				_ = s.SetErrno(syscall.ENOSPC)
			}
			return tracer.Continue
		},
	}
	exits := 0
	cmd := tracer.Command("sh", "-c", "echo hello >/dev/null")
	cmd.Stderr = io.Discard // the shell's complaint
	t, err := tracer.Start(context.Background(), cmd, tracer.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = t.Run(tracer.Hooks{
		Syscalls: []tracer.Hook{full, feed.Hook()},
		OnEvent: func(ev *event.Event) tracer.Action {
			feed.Event(ev)
			if ev.Kind == event.KindExit {
				exits++
			}
			return tracer.Continue
		},
	})
	st, _ := t.Wait()
	fmt.Println(exits, "exit, status", st.Code, err)
	// Output:
	// write to /dev/null: no space left on device
	// 1 exit, status 1 <nil>
}
