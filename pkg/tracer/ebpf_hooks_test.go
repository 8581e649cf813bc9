package tracer_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/filter"
	"github.com/gtrace/gtrace/pkg/tracer"
)

// With the eBPF engine, syscall hooks observe the calls they select,
// Hooked ones included, and what would change a call fails with
// tracer.ErrObservesOnly: the program runs as it would untraced.
func TestEBPFHooksObserve(t *testing.T) {
	requireEBPF(t)
	trace, err := filter.ParseTrace("none")
	if err != nil {
		t.Fatal(err)
	}
	hooked, err := filter.ParseTrace("openat")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := tracer.Start(context.Background(), tracer.Command("cat", "/etc/hostname"),
		tracer.Options{Engine: tracer.EngineEBPF, Trace: trace, Hooked: hooked})
	if err != nil {
		t.Fatal(err)
	}
	var opened []string
	var tamperErrs []error
	reported := 0
	err = tr.Run(tracer.Hooks{
		Syscalls: []tracer.Hook{{Names: []string{"openat"}, Func: func(s *tracer.Syscall) tracer.Action {
			if !s.IsEntry() && s.Errno() == 0 {
				opened = append(opened, string(s.Call.Args[1].Val.Bytes))
				_, rerr := s.ReadMemory(s.Call.Raw[1], make([]byte, 1))
				tamperErrs = append(tamperErrs, s.SetReturn(-2), s.SetArg(0, 0), rerr)
			}
			return tracer.Continue
		}}},
		OnEvent: func(ev *event.Event) tracer.Action {
			if ev.Call != nil {
				reported++
			}
			return tracer.Continue
		},
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if st, err := tr.Wait(); err != nil || st.Code != 0 {
		t.Errorf("cat exited %+v, %v; want 0: hooks must not change the program", st, err)
	}
	if !slices.ContainsFunc(opened, func(p string) bool { return strings.Contains(p, "/etc/hostname") }) {
		t.Errorf("the hook saw openat of %q, want /etc/hostname among them", opened)
	}
	for _, err := range tamperErrs {
		if !errors.Is(err, tracer.ErrObservesOnly) {
			t.Errorf("tampering under eBPF: %v, want tracer.ErrObservesOnly", err)
		}
	}
	if reported != 0 {
		t.Errorf("OnEvent got %d calls; trace=none reports none", reported)
	}
}
