package tamper

import (
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/tracer"
)

// Tamperer applies Rules to traced programs as strace does: for each
// syscall the last rule that selects it applies; invocations are counted
// per thread and per syscall, from 1, for the calls that are traced.
type Tamperer struct {
	rules  []Rule
	traced func(arch event.Arch, nr int) bool
	// threads holds each thread's counts and what waits for its exit.
	threads map[int]*thread
}

type thread struct {
	counts map[call]int
	// exit is the rule tampering with the call the thread is in, whose
	// exit part (delay_exit, poke_exit) is still to come.
	exit *Rule
}

type call struct {
	arch event.Arch
	nr   int
}

// New returns a Tamperer for rules, in command-line order. traced
// selects the calls the trace shows (strace tampers with no other); nil
// means all.
func New(rules []Rule, traced func(arch event.Arch, nr int) bool) *Tamperer {
	return &Tamperer{rules: rules, traced: traced, threads: map[int]*thread{}}
}

// rule returns the rule that applies to syscall nr of arch, or nil.
func (t *Tamperer) rule(arch event.Arch, nr int) *Rule {
	if t.traced != nil && !t.traced(arch, nr) {
		return nil
	}
	for i := len(t.rules) - 1; i >= 0; i-- {
		if t.rules[i].Calls(arch, nr) {
			return &t.rules[i]
		}
	}
	return nil
}

// Hook returns the hook that applies the rules.
func (t *Tamperer) Hook() tracer.Hook {
	return tracer.Hook{
		Match: func(arch event.Arch, nr int) bool { return t.rule(arch, nr) != nil },
		Func:  t.apply,
	}
}

// Forget drops what is known of thread tid, which ended: a new thread
// that gets its id counts from 1 again.
func (t *Tamperer) Forget(tid int) { delete(t.threads, tid) }

func (t *Tamperer) apply(s *tracer.Syscall) tracer.Action {
	th := t.threads[s.TID]
	if th == nil {
		th = &thread{counts: map[call]int{}}
		t.threads[s.TID] = th
	}
	if !s.IsEntry() {
		if r := th.exit; r != nil {
			th.exit = nil
			poke(s, r.PokeExit)
			s.Delay(r.DelayExit)
		}
		return tracer.Continue
	}
	th.exit = nil
	r := t.rule(s.Arch, s.Nr)
	k := call{s.Arch, s.Nr}
	th.counts[k]++
	if !r.When.Has(th.counts[k]) {
		return tracer.Continue
	}
	if r.Signal != 0 {
		s.Signal(r.Signal)
	}
	switch {
	case r.Errno != 0:
		_ = s.SetReturnVia(r.via(s.Arch), -int64(r.Errno))
	case r.HasRetval:
		_ = s.SetReturnVia(r.via(s.Arch), r.Retval)
	}
	s.Delay(r.DelayEnter)
	poke(s, r.PokeEnter)
	if r.DelayExit != 0 || len(r.PokeExit) > 0 {
		th.exit = r
	}
	return tracer.Continue
}

// poke writes each poke's data where its argument points. An argument
// beyond the six registers, or memory that cannot be written, is left
// alone, as strace does.
func poke(s *tracer.Syscall, pokes []Poke) {
	for _, p := range pokes {
		if p.Arg <= 6 {
			_, _ = s.WriteMemory(s.Arg(p.Arg-1), p.Data)
		}
	}
}
