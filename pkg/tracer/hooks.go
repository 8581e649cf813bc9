package tracer

import (
	"fmt"
	"slices"

	"github.com/gtrace/gtrace/pkg/categories"
	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/filter"
	"github.com/gtrace/gtrace/pkg/tracer/ptrace"
)

// Action tells the tracer what to do after a hook.
type Action uint8

// Actions a hook may return; when several hooks see one event, the last
// in this list wins.
const (
	// Continue lets the task run on, traced.
	Continue Action = iota
	// Detach stops tracing the process that caused the event (all its
	// threads); it runs on untraced. For a KindAttach event of a new
	// child, the child runs untraced from its start.
	Detach
	// Stop ends the trace: every task is detached and Run returns.
	Stop
)

// Hooks are the callbacks of Run. They are called on the tracer's
// goroutine, in event order, one at a time; while a hook runs, the task
// that caused the event is stopped.
type Hooks struct {
	// Syscalls are called at the entry and the exit of the syscalls they
	// select, in order, before OnEvent sees the event. Every thread and
	// process traced is seen, children included (Options.Follow).
	Syscalls []Hook
	// OnEvent sees every event reported (Options.Trace): syscall entries
	// and exits, signals, exits, attaches, detaches. The Event is only
	// valid during the call.
	OnEvent func(ev *event.Event) Action
	// OnIdle runs when the tracer is about to wait for its tracees: the
	// time to flush buffered output.
	OnIdle func()
}

// A Hook is called at the entry and the exit of the syscalls it selects.
// A syscall is selected when its name is in Names, or it is in one of
// Cats, or Match reports true; a Hook that sets none of the three selects
// every syscall.
type Hook struct {
	Names []string       // syscall names as in the kernel's tables: "openat"
	Cats  categories.Set // categories: categories.Network, ...
	Match func(arch event.Arch, nr int) bool

	// Func is called with the stopped call; s.IsEntry tells entry from
	// exit. The *Syscall is only valid during the call.
	Func func(s *Syscall) Action
}

// selects reports whether h selects syscall sc (nil: unknown to the
// tables) of arch.
func (h *Hook) selects(arch event.Arch, nr int, sc *decode.Syscall) bool {
	if len(h.Names) == 0 && h.Cats == 0 && h.Match == nil {
		return true
	}
	if h.Match != nil && h.Match(arch, nr) {
		return true
	}
	return sc != nil && (sc.Cats.Intersects(h.Cats) || slices.Contains(h.Names, sc.Name))
}

// check reports names no syscall table knows.
func (h *Hook) check() error {
	for _, name := range h.Names {
		if decode.TableFor(event.ArchX86_64).ByName(name) == nil && decode.TableFor(event.ArchI386).ByName(name) == nil {
			return fmt.Errorf("%w %q", ErrUnknownSyscall, name)
		}
	}
	return nil
}

// arches are the syscall ABIs a task may use.
var arches = [...]event.Arch{event.ArchX86_64, event.ArchI386}

// dispatcher routes the engine's events to hooks.
type dispatcher struct {
	hooks Hooks
	trace func(arch event.Arch, nr int) bool
	// calls holds, per arch and syscall number, whether the call is
	// reported and which syscall hooks select it.
	calls [len(arches)][]route
	sc    Syscall
}

type route struct {
	traced bool
	hooks  []*Hook
}

// newDispatcher routes to hooks the calls they select, and reports
// trace's. filtered is the set a seccomp filter stops the program for,
// nil when there is no filter.
func newDispatcher(hooks Hooks, trace, filtered *filter.Syscalls) (*dispatcher, error) {
	d := &dispatcher{hooks: hooks}
	if trace != nil {
		d.trace = trace.Has
	}
	for i := range hooks.Syscalls {
		h := &hooks.Syscalls[i]
		if h.Func == nil {
			return nil, fmt.Errorf("tracer: hook %d has no Func", i)
		}
		if err := h.check(); err != nil {
			return nil, fmt.Errorf("tracer: hook %d: %w", i, err)
		}
	}
	for i, arch := range arches {
		tbl := decode.TableFor(arch)
		d.calls[i] = make([]route, tbl.Max())
		for nr := range d.calls[i] {
			r := d.routeOf(arch, nr, tbl.Lookup(nr))
			if filtered != nil && !filtered.Has(arch, nr) && len(r.hooks) > 0 {
				// The seccomp filter, installed before the hooks were
				// known, never stops the program on this call.
				return nil, fmt.Errorf("tracer: a hook selects %s, which neither Options.Trace nor Options.Hooked does: the seccomp fast path or the eBPF engine never stops or reports it (add it to Options.Hooked, or set Options.NoSeccomp)", tbl.Lookup(nr).Name)
			}
			d.calls[i][nr] = r
		}
	}
	return d, nil
}

// routeOf computes the route of one syscall.
func (d *dispatcher) routeOf(arch event.Arch, nr int, sc *decode.Syscall) route {
	r := route{traced: d.trace == nil || d.trace(arch, nr)}
	for i := range d.hooks.Syscalls {
		if h := &d.hooks.Syscalls[i]; h.selects(arch, nr, sc) {
			r.hooks = append(r.hooks, h)
		}
	}
	return r
}

// route returns the route of syscall nr of arch; numbers beyond the
// tables are computed each time (they are rare).
func (d *dispatcher) route(arch event.Arch, nr int) route {
	for i, a := range arches {
		if a == arch && nr >= 0 && nr < len(d.calls[i]) {
			return d.calls[i][nr]
		}
	}
	return d.routeOf(arch, nr, nil)
}

// wants reports whether the engine should stop for syscall nr of arch.
func (d *dispatcher) wants(arch event.Arch, nr int) bool {
	r := d.route(arch, nr)
	return r.traced || len(r.hooks) > 0
}

// engineHandler adapts a Tracer to the engine's Handler.
type engineHandler Tracer

func (h *engineHandler) Handle(ev *event.Event, st *ptrace.Stop) ptrace.Action {
	d := h.disp
	act := Continue
	reported := true
	if c := ev.Call; c != nil {
		r := d.route(c.Arch, c.Nr)
		reported = r.traced
		// With the eBPF engine st is nil: hooks observe, and what would
		// change the call fails with ErrObservesOnly.
		if len(r.hooks) > 0 && callStopped(ev) {
			act = d.callHooks(r.hooks, ev, st)
		}
	}
	if reported && d.hooks.OnEvent != nil && act != Stop {
		act = max(act, d.hooks.OnEvent(ev))
	}
	return engineAction(act, ev)
}

// callStopped reports whether ev leaves its task stopped at the call's
// entry or exit, where hooks may change it. The exit reported for a call
// that never returns (exit_group) or was cut short (the task died) is
// not such a stop.
func callStopped(ev *event.Event) bool {
	if ev.Kind == event.KindSyscallEntry {
		return true
	}
	return ev.Kind == event.KindSyscallExit && ev.Call.Phase == event.Returned
}

// callHooks runs the syscall hooks of one stop and returns the strongest
// action asked.
func (d *dispatcher) callHooks(hooks []*Hook, ev *event.Event, st *ptrace.Stop) Action {
	s := &d.sc
	c := ev.Call
	*s = Syscall{
		Name: c.Name, Nr: c.Nr, Arch: c.Arch, PID: ev.PID, TID: ev.TID,
		Call: c, ev: ev, entry: ev.Kind == event.KindSyscallEntry, st: st,
	}
	act := Continue
	for _, h := range hooks {
		act = max(act, h.Func(s), s.action)
		if act == Stop {
			break
		}
	}
	s.st, s.ev = nil, nil
	return act
}

// engineAction translates a hook's answer for the engine.
func engineAction(act Action, ev *event.Event) ptrace.Action {
	switch act {
	case Detach:
		if ev.Kind == event.KindAttach {
			return ptrace.DetachTask
		}
		return ptrace.DetachProcess
	case Stop:
		return ptrace.DetachAll
	}
	return ptrace.Continue
}

func (h *engineHandler) Idle() {
	if f := h.disp.hooks.OnIdle; f != nil {
		f()
	}
}
