package filter

import (
	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
)

// Options say which traced events a Filter lets through. The zero value
// lets everything through.
type Options struct {
	// Status keeps only the calls whose outcome is in the set (-e
	// status=, -z, -Z). A call's line is then printed whole at its exit,
	// never split by other tasks' lines, as strace does.
	Status *StatusSet
	// Signals keeps only the signals in the set (-e signal=).
	Signals *SignalSet
	// Paths keeps only the calls that name one of these paths or act on a
	// descriptor open on one (-P); see Paths for how they are resolved.
	Paths *Paths
	// FDs keeps only the calls acting on these descriptor numbers (-e
	// trace-fds=). With Paths, a call matching either is kept.
	FDs *FDSet
	// FDKinds keeps the generic I/O calls (GenericIO) only when their
	// descriptor is of one of these kinds (--fd-kind).
	FDKinds *FDKinds
}

// Filter passes the events of a trace on, or not, as its Options say. It
// is used on the tracer's thread, in event order, while the task that
// reported an event is stopped (descriptors are looked up in /proc then).
type Filter struct {
	opts   Options
	tasks  map[int]*taskState
	fds    fdTables
	procFD func(pid, fd int) string
	entry  event.Event
}

// taskState is what a Filter remembers of one task between a call's entry
// and its exit.
type taskState struct {
	pid     int  // its process
	show    bool // the current call passed the entry checks
	pending bool // its entry is held until the exit decides (Status)
	// matched: the call's descriptor or path argument was one of -P's,
	// so a descriptor it returns is one too.
	matched bool
}

// New returns a Filter for opts, or nil when opts filter nothing.
func New(opts Options) *Filter {
	if opts == (Options{}) {
		return nil
	}
	return &Filter{opts: opts, tasks: map[int]*taskState{}, fds: fdTables{}, procFD: readProcFD}
}

// Event passes ev to emit if it belongs in the trace; it may instead hold
// it and pass it on with a later event.
func (f *Filter) Event(ev *event.Event, emit func(*event.Event)) {
	switch ev.Kind {
	case event.KindSyscallEntry:
		f.callEntry(ev, emit)
	case event.KindSyscallExit:
		f.callExit(ev, emit)
	case event.KindSignal:
		if f.opts.Signals.Has(ev.Signal.Signo) {
			emit(ev)
		}
	case event.KindAttach:
		f.task(ev.TID).pid = ev.PID
		if parent := f.tasks[ev.Child]; ev.Child != 0 && parent != nil {
			f.fds.fork(parent.pid, ev.PID)
		}
		emit(ev)
	case event.KindNotice:
		if t := f.tasks[ev.Former]; ev.Former != 0 && t != nil {
			// The thread's execve goes on under its leader's id.
			f.tasks[ev.TID] = t
			delete(f.tasks, ev.Former)
		}
		emit(ev)
	case event.KindExit, event.KindDetach:
		delete(f.tasks, ev.TID)
		if ev.TID == ev.PID {
			f.fds.drop(ev.PID)
		}
		emit(ev)
	default:
		emit(ev)
	}
}

func (f *Filter) task(tid int) *taskState {
	t := f.tasks[tid]
	if t == nil {
		t = &taskState{}
		f.tasks[tid] = t
	}
	return t
}

func (f *Filter) callEntry(ev *event.Event, emit func(*event.Event)) {
	t := f.task(ev.TID)
	c := ev.Call
	sc := decode.TableFor(c.Arch).Lookup(c.Nr)
	t.show, t.matched = true, false
	if sc == nil {
		// A syscall gtrace does not know has no descriptor or path to
		// check.
		t.show = f.opts.Paths == nil && f.opts.FDs == nil
	} else {
		if f.opts.Paths != nil || f.opts.FDs != nil {
			t.matched = f.touches(ev, sc)
			t.show = t.matched
		}
		if t.show && f.opts.FDKinds != nil && genericIO.Has(c.Arch, c.Nr) {
			t.show = f.opts.FDKinds.Has(KindOf(f.procFD(ev.TID, int(int32(c.Raw[0])))))
		}
	}
	t.pending = t.show && f.opts.Status != nil
	if t.show && !t.pending {
		emit(ev)
	}
}

func (f *Filter) callExit(ev *event.Event, emit func(*event.Event)) {
	t := f.task(ev.TID)
	if t.matched {
		f.track(ev)
	}
	if !t.show {
		return
	}
	t.show = false
	if !t.pending {
		emit(ev)
		return
	}
	t.pending = false
	if !f.opts.Status.Has(statusOf(ev.Call)) {
		return
	}
	// The held entry and the exit together: one whole line.
	f.entry = *ev
	f.entry.Kind = event.KindSyscallEntry
	f.entry.Time = ev.Call.Start
	emit(&f.entry)
	emit(ev)
}

// statusOf is a finished call's outcome.
func statusOf(c *event.Call) Status {
	switch {
	case c.Phase == event.NoReturn || c.Phase == event.Lost:
		return Unfinished
	case c.Phase == event.Detached:
		return Detached
	case c.Errno != 0:
		return Failed
	}
	return Successful
}
