package tamper_test

import (
	"context"
	"fmt"
	"os"

	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/tamper"
	"github.com/gtrace/gtrace/pkg/tracer"
)

// names is a SetParser for a single syscall name.
func names(set string) (func(event.Arch, int) bool, error) {
	return func(arch event.Arch, nr int) bool {
		n, ok := tracer.SyscallNumber(arch, set)
		return ok && n == nr
	}, nil
}

// Read an expression as strace's -e inject= does.
func ExampleParse() {
	r, err := tamper.Parse("chdir:error=ENOENT:when=3+", false, names)
	fmt.Println(r.Errno, r.When, err)
	_, err = tamper.Parse("chdir:retval=1", true, names)
	fmt.Println(err)
	// Output:
	// no such file or directory {3 0 1} <nil>
	// invalid fault argument 'chdir:retval=1'
}

// Apply rules to a program, as gtrace -e inject=getpid:retval=42 does.
func ExampleTamperer() {
	r, _ := tamper.Parse("getpid:retval=42", false, names)
	cmd := tracer.Command("sh", "-c", "echo $$")
	cmd.Stdout = os.Stdout
	t, err := tracer.Start(context.Background(), cmd, tracer.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	tam := tamper.New([]tamper.Rule{r}, nil)
	fmt.Println(t.Run(tracer.Hooks{Syscalls: []tracer.Hook{tam.Hook()}}))
	// Output:
	// 42
	// <nil>
}
