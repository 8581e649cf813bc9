// Command openfiles runs a command and lists every file it and its
// children open, with the descriptor they got or why they did not.
//
//	go run ./examples/openfiles [COMMAND [ARGS...]]
//
// Without a command it runs "cat /etc/passwd".
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/gtrace/gtrace/pkg/tracer"
)

func main() {
	cmd := tracer.Command("cat", "/etc/passwd")
	if len(os.Args) > 1 {
		cmd = tracer.Command(os.Args[1], os.Args[2:]...)
	}
	cmd.Stdout = io.Discard
	if err := run(cmd, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "openfiles:", err)
		os.Exit(1)
	}
}

// pathArg is the argument that names the file, per syscall.
var pathArg = map[string]int{"open": 0, "creat": 0, "openat": 1, "openat2": 1}

// run traces cmd and reports each open on report.
func run(cmd tracer.Cmd, report io.Writer) error {
	t, err := tracer.Start(context.Background(), cmd, tracer.Options{Follow: true})
	if err != nil {
		return err
	}
	err = t.Run(tracer.Hooks{Syscalls: []tracer.Hook{{
		Names: []string{"open", "creat", "openat", "openat2"},
		Func: func(s *tracer.Syscall) tracer.Action {
			if s.IsEntry() {
				return tracer.Continue
			}
			path, err := s.ReadString(s.Arg(pathArg[s.Name]), 0)
			if err != nil {
				path = fmt.Sprintf("%#x (unreadable)", s.Arg(pathArg[s.Name]))
			}
			if e := s.Errno(); e != 0 {
				fmt.Fprintf(report, "%d %s: %v\n", s.PID, path, e)
			} else {
				fmt.Fprintf(report, "%d %s: fd %d\n", s.PID, path, s.Return())
			}
			return tracer.Continue
		},
	}}})
	if err != nil {
		return err
	}
	_, err = t.Wait()
	return err
}
