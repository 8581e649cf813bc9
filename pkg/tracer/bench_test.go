package tracer_test

import (
	"bytes"
	"context"
	"os"
	"runtime"
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

// TestNoAllocationPerEvent holds the ptrace engine's fast path to no
// allocation per event: tracing ten times the calls costs (almost) no
// more allocations, whatever a run's fixed cost.
func TestNoAllocationPerEvent(t *testing.T) {
	prog := testtracee.Build(t, "getpid")
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	mallocs := func(calls int) uint64 {
		cmd := tracer.Command(prog, strconv.Itoa(calls))
		cmd.Stdout = devnull
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		tr, err := tracer.Start(context.Background(), cmd, tracer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		events := 0
		if err := tr.Run(tracer.Hooks{OnEvent: func(*event.Event) tracer.Action { events++; return tracer.Continue }}); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		if events < calls {
			t.Fatalf("%d events for %d calls", events, calls)
		}
		return after.Mallocs - before.Mallocs
	}
	const few, many = 1000, 11000
	small, large := mallocs(few), mallocs(many)
	perCall := float64(int64(large)-int64(small)) / (many - few)
	t.Logf("%d allocations for %d calls, %d for %d: %.3f per call", small, few, large, many, perCall)
	if perCall > 0.05 {
		t.Errorf("%.3f allocations per traced call, want none", perCall)
	}
}
