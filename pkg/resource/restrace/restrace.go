// Package restrace traces resources live: it feeds a resource.Tracker
// from a tracer.Tracer, so that a program's files and sockets are
// followed through their lifecycle — created, used, released — with
// Shaman's callbacks (resource.Hooks: OnFilter; file OnOpen, OnRead,
// OnWrite, OnSeek, OnStat, OnIoctl, OnMmap, OnClose; socket OnOpen,
// OnListen, OnBind, OnConnect, OnAccept, OnSend, OnRecv, OnClose), while
// the task that made each call is still stopped at its exit.
//
// A Feed is a hook provider, as tamper.Tamperer is: its hook selects
// every call that creates, duplicates, uses or releases a descriptor
// (open, socket, accept, pipe, dup, fcntl, close, close_range, read,
// write, send, recv, lseek, fstat, ioctl, mmap, connect, bind, listen,
// execve for close-on-exec, clone for shared tables, and every other
// call with a descriptor argument), whatever Options.Trace reports; the
// process and thread lifecycle (attach, exit, detach) comes from the
// events Run reports anyway.
//
//	res := resource.New(resource.Options{
//		Resolver: resource.ProcResolver{},
//		Hooks: resource.Hooks{
//			OnFilter: func(r *resource.Resource, op *resource.Op) bool { return r.Kind == resource.Socket },
//			Socket:   resource.SocketHooks{OnSend: func(op *resource.Op) { fmt.Println(op.Res, op.Bytes) }},
//		},
//	})
//	t, err := tracer.Start(ctx, cmd, tracer.Options{
//		Follow: true,
//		Trace:  filter.NoSyscalls(),  // report no syscall: only the hooks stop the program
//		Hooked: restrace.Syscalls(),  // ... for the calls they need, with the seccomp fast path
//	})
//	err = t.Run(restrace.New(res).Hooks())
//
// # Choosing resources
//
// Hooks.OnFilter is asked once per resource, when it is created (op.Kind
// is OpOpen, or OpAccept for a connection a listening socket accepted,
// with op.Listener set) or, for a descriptor the program had before it
// was traced, when it is first used. Only the resources it chooses get
// callbacks; statistics (Resource.Stats) are kept for all.
//
// # The end of a resource
//
// A resource's tracing ends at its close: OnClose is called once its
// last descriptor, in every process that shares it, is gone — by close,
// close_range, dup2 or dup3 over it, its close-on-exec flag at execve
// (op.Call is the execve), or the exit of the last process holding it
// (op.Call is nil). A process that is detached rather than exiting keeps
// its descriptors: their resources get no OnClose, and the Tracker's
// Open method lists them once Run returns.
//
// # Where it sits
//
// Package resource consumes events and knows nothing of the engine that
// produced them (the gtrace command's human and JSON formatters feed
// their trackers the reported events, to name descriptors); this package
// is the one place that ties a Tracker to a live tracer. The command's
// --group reports come from a Tracker a Feed keeps, so they are whole
// whatever -e trace= and -c select.
package restrace

import (
	"slices"
	"sync"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/filter"
	"github.com/gtrace/gtrace/pkg/resource"
	"github.com/gtrace/gtrace/pkg/tracer"
)

// Feed keeps a resource.Tracker up to date from a live trace.
type Feed struct {
	res *resource.Tracker
}

// New returns a Feed for res. res must be fed by the Feed alone: its
// hooks see each call once.
func New(res *resource.Tracker) *Feed { return &Feed{res: res} }

// Hooks returns the hooks for tracer.Tracer.Run: Hook, and an OnEvent
// that passes Event the events reported. A program with hooks of its own
// adds Hook to them and calls Event from its OnEvent.
func (f *Feed) Hooks() tracer.Hooks {
	return tracer.Hooks{
		Syscalls: []tracer.Hook{f.Hook()},
		OnEvent: func(ev *event.Event) tracer.Action {
			f.Event(ev)
			return tracer.Continue
		},
	}
}

// Hook returns the syscall hook that feeds the tracker every call in
// Syscalls, at its entry and its exit. Placed after hooks that change
// calls (tamper), it sees what the program saw.
func (f *Feed) Hook() tracer.Hook {
	sel := selection()
	return tracer.Hook{Match: sel.Has, Func: f.call}
}

func (f *Feed) call(s *tracer.Syscall) tracer.Action {
	f.res.Handle(s.Event())
	return tracer.Continue
}

// Event passes the tracker the task lifecycle events (attach, exit,
// detach) among those reported; syscall events are left to Hook, which
// sees them whether or not they are reported. Call it with every event
// Run reports.
func (f *Feed) Event(ev *event.Event) {
	if ev.Call == nil {
		f.res.Handle(ev)
	}
}

// Syscalls returns the calls Hook selects, for tracer.Options.Hooked:
// those resource.Follows names and every call with a descriptor
// argument, on both ABIs. The set is the caller's to change.
func Syscalls() *filter.Syscalls { return filter.NoSyscalls().Union(selection()) }

// selection computes Syscalls' set once.
var selection = sync.OnceValue(func() *filter.Syscalls {
	s := filter.NoSyscalls()
	for _, arch := range filter.Arches {
		for _, sc := range decode.TableFor(arch).All() {
			if resource.Follows(sc.Name) || slices.ContainsFunc(sc.Args, takesFD) {
				s.Add(arch, sc.Nr)
			}
		}
	}
	return s
})

// takesFD reports whether an argument is a descriptor the tracker
// attributes the call to.
func takesFD(a decode.ArgSpec) bool { return a.Fmt == decode.FmtFd }
