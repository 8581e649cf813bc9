package tracer_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"

	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/tracer"
)

// Start a program, trace it without hooks, and get its exit status.
func ExampleStart() {
	cmd := tracer.Command("sh", "-c", "echo hello; exit 3")
	cmd.Stdout = os.Stdout
	t, err := tracer.Start(context.Background(), cmd, tracer.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	status, err := t.Wait()
	fmt.Println("exit status", status.Code, err)
	// Output:
	// hello
	// exit status 3 <nil>
}

// Watch a program's writes as they return.
func ExampleTracer_Events() {
	cmd := tracer.Command("echo", "hi")
	cmd.Stdout = os.Stdout
	t, err := tracer.Start(context.Background(), cmd, tracer.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for ev, err := range t.Events() {
		if err != nil {
			fmt.Println(err)
			return
		}
		if ev.Kind == event.KindSyscallExit && ev.Call.Name == "write" {
			buf := ev.Call.Args[1].Val.AppendStrace(nil, &event.Style{})
			fmt.Printf("wrote %s: %d bytes\n", buf, ev.Call.Ret)
		}
	}
	// Output:
	// hi
	// wrote "hi\n": 3 bytes
}

// Make getpid lie: the shell's $$ comes from it.
func ExampleTracer_Run() {
	cmd := tracer.Command("sh", "-c", "echo $$")
	cmd.Stdout = os.Stdout
	t, err := tracer.Start(context.Background(), cmd, tracer.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = t.Run(tracer.Hooks{Syscalls: []tracer.Hook{{
		Names: []string{"getpid"},
		Func: func(s *tracer.Syscall) tracer.Action {
			if !s.IsEntry() {
				s.SetReturn(42)
			}
			return tracer.Continue
		},
	}}})
	fmt.Println(err)
	// Output:
	// 42
	// <nil>
}

// Refuse to open one file: the kernel never sees the call.
func ExampleSyscall_SetErrno() {
	cmd := tracer.Command("cat", "/etc/passwd")
	cmd.Stderr = os.Stdout
	t, err := tracer.Start(context.Background(), cmd, tracer.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	t.Run(tracer.Hooks{Syscalls: []tracer.Hook{{
		Names: []string{"open", "openat"},
		Func: func(s *tracer.Syscall) tracer.Action {
			if s.IsEntry() {
				path, _ := s.ReadString(s.Arg(1), 0)
				if path == "/etc/passwd" {
					s.SetErrno(syscall.EACCES)
				}
			}
			return tracer.Continue
		},
	}}})
	status, _ := t.Wait()
	fmt.Println("exit status", status.Code)
	// Output:
	// cat: /etc/passwd: Permission denied
	// exit status 1
}

// Run a syscall of our own in the program, just before one of its own.
func ExampleSyscall_Inject() {
	t, err := tracer.Start(context.Background(), tracer.Command("true"), tracer.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	t.Run(tracer.Hooks{Syscalls: []tracer.Hook{{
		Names: []string{"exit_group"},
		Func: func(s *tracer.Syscall) tracer.Action {
			getpid, _ := tracer.SyscallNumber(s.Arch, "getpid")
			pid, err := s.Inject(getpid)
			fmt.Println("the program's pid:", pid == int64(s.PID), err)
			return tracer.Continue
		},
	}}})
	// Output:
	// the program's pid: true <nil>
}

// Attach to a running process, then let it go.
func ExampleAttach() {
	sleep := exec.Command("sleep", "10")
	if err := sleep.Start(); err != nil {
		fmt.Println(err)
		return
	}
	defer sleep.Wait()
	defer sleep.Process.Kill()
	t, err := tracer.Attach(context.Background(), []int{sleep.Process.Pid}, tracer.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = t.Run(tracer.Hooks{OnEvent: func(ev *event.Event) tracer.Action {
		if ev.Kind == event.KindAttach {
			fmt.Println("attached")
			return tracer.Stop
		}
		return tracer.Continue
	}})
	fmt.Println("detached:", err)
	// Output:
	// attached
	// detached: <nil>
}

// Let a program go on untraced, from another goroutine, once it waits
// for input.
func ExampleTracer_Detach() {
	cmd := tracer.Command("sh", "-c", "read line; echo $line")
	cmd.Stdout = os.Stdout
	r, w, _ := os.Pipe()
	cmd.Stdin = r
	t, err := tracer.Start(context.Background(), cmd, tracer.Options{})
	r.Close()
	if err != nil {
		fmt.Println(err)
		return
	}
	reading := make(chan struct{})
	var once sync.Once
	go func() {
		<-reading
		t.Detach()
		fmt.Fprintln(w, "untraced")
		w.Close()
	}()
	t.Run(tracer.Hooks{Syscalls: []tracer.Hook{{
		Names: []string{"read"},
		Func: func(s *tracer.Syscall) tracer.Action {
			if s.IsEntry() && s.Arg(0) == 0 {
				once.Do(func() { close(reading) })
			}
			return tracer.Continue
		},
	}}})
	status, _ := t.Wait()
	fmt.Println("exit status", status.Code)
	// Output:
	// untraced
	// exit status 0
}
