package tracer_test

import (
	"bytes"
	"context"
	"strconv"
	"testing"

	"github.com/gtrace/gtrace/internal/testtracee"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/tracer"
)

// BenchmarkHooks measures what a hook costs per traced syscall: a
// program makes b.N getpid calls (and as many writes), traced with no
// hook, a hook that looks, one that changes the result, and one that
// injects a call.
func BenchmarkHooks(b *testing.B) {
	prog := testtracee.Build(b, "getpid")
	getpid, _ := tracer.SyscallNumber(event.ArchX86_64, "getpid")
	for _, bc := range []struct {
		name string
		f    func(s *tracer.Syscall) tracer.Action
	}{
		{"none", nil},
		{"look", func(s *tracer.Syscall) tracer.Action { _ = s.Arg(0); return tracer.Continue }},
		{"set-return", func(s *tracer.Syscall) tracer.Action {
			if !s.IsEntry() {
				_ = s.SetReturn(1)
			}
			return tracer.Continue
		}},
		{"inject", func(s *tracer.Syscall) tracer.Action {
			if s.IsEntry() {
				_, _ = s.Inject(getpid)
			}
			return tracer.Continue
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			cmd := tracer.Command(prog, strconv.Itoa(b.N))
			cmd.Stdout = &bytes.Buffer{}
			t, err := tracer.Start(context.Background(), cmd, tracer.Options{})
			if err != nil {
				b.Fatal(err)
			}
			var hooks tracer.Hooks
			if bc.f != nil {
				hooks.Syscalls = []tracer.Hook{{Names: []string{"getpid"}, Func: bc.f}}
			}
			b.ResetTimer()
			if err := t.Run(hooks); err != nil {
				b.Fatal(err)
			}
		})
	}
}
