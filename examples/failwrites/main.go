// Command failwrites runs a command and makes every third write(2) of each
// of its processes fail with EIO, as strace's
// -e inject=write:error=EIO:when=3+3 does: a way to see how a program
// copes with a failing disk or a closed pipe.
//
//	go run ./examples/failwrites [COMMAND [ARGS...]]
//
// Without a command it runs a shell loop printing six lines.
package main

import (
	"context"
	"fmt"
	"os"
	"syscall"

	"github.com/gtrace/gtrace/pkg/tracer"
)

func main() {
	cmd := tracer.Command("sh", "-c", "for i in 1 2 3 4 5 6; do echo line $i; done")
	if len(os.Args) > 1 {
		cmd = tracer.Command(os.Args[1], os.Args[2:]...)
	}
	status, err := run(cmd)
	if err != nil {
		fmt.Fprintln(os.Stderr, "failwrites:", err)
		os.Exit(1)
	}
	os.Exit(status.Code)
}

// run traces cmd, failing every third write of each process.
func run(cmd tracer.Cmd) (tracer.ExitStatus, error) {
	t, err := tracer.Start(context.Background(), cmd, tracer.Options{Follow: true})
	if err != nil {
		return tracer.ExitStatus{}, err
	}
	writes := map[int]int{} // per process
	err = t.Run(tracer.Hooks{Syscalls: []tracer.Hook{{
		Names: []string{"write"},
		Func: func(s *tracer.Syscall) tracer.Action {
			if !s.IsEntry() {
				return tracer.Continue
			}
			writes[s.PID]++
			if writes[s.PID]%3 == 0 {
				// The kernel skips the call; the program sees -1 EIO.
				if err := s.SetErrno(syscall.EIO); err != nil {
					fmt.Fprintln(os.Stderr, "failwrites:", err)
				}
			}
			return tracer.Continue
		},
	}}})
	if err != nil {
		return tracer.ExitStatus{}, err
	}
	return t.Wait()
}
