// Package eventtest builds event streams for tests: recorded-looking
// traces of syscalls, signals and exits, with a clock that ticks a fixed
// step per event, so formatters and the resource tracker are tested
// without a kernel and their output is the same on every run.
package eventtest

import (
	"syscall"
	"time"

	"github.com/gtrace/gtrace/pkg/categories"
	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
)

// Start is the fixed time streams begin at (UTC).
var Start = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// Builder records a stream of events.
type Builder struct {
	now    time.Time
	step   time.Duration
	events []*event.Event
}

// New returns a Builder whose clock starts at Start and advances step per
// event.
func New(step time.Duration) *Builder { return &Builder{now: Start, step: step} }

// Events returns the stream so far.
func (b *Builder) Events() []*event.Event { return b.events }

func (b *Builder) tick() time.Time {
	b.now = b.now.Add(b.step)
	return b.now
}

func (b *Builder) add(ev *event.Event) *event.Event {
	b.events = append(b.events, ev)
	return ev
}

// Attach reports task tid of pid, created by parent (0: started or
// attached by the tracer).
func (b *Builder) Attach(pid, tid, parent int) {
	b.add(&event.Event{Kind: event.KindAttach, Time: b.tick(), PID: pid, TID: tid, Child: parent})
}

// Exit reports a task's exit with code.
func (b *Builder) Exit(pid, tid, code int) {
	b.add(&event.Event{Kind: event.KindExit, Time: b.tick(), PID: pid, TID: tid, Exit: &event.ExitStatus{Code: code}})
}

// Killed reports a task killed by signal sig.
func (b *Builder) Killed(pid, tid, sig int) {
	x := &event.ExitStatus{Signaled: true, Signo: sig, Name: decode.SignalName(sig)}
	b.add(&event.Event{Kind: event.KindExit, Time: b.tick(), PID: pid, TID: tid, Exit: x})
}

// Signal reports signal sig delivered to a task, with info as its
// decoded siginfo.
func (b *Builder) Signal(pid, tid, sig int, info event.Value) {
	s := &event.Signal{Signo: sig, Name: decode.SignalName(sig), Info: info}
	b.add(&event.Event{Kind: event.KindSignal, Time: b.tick(), PID: pid, TID: tid, Signal: s})
}

// Detach reports a task the tracer let go.
func (b *Builder) Detach(pid, tid int) {
	b.add(&event.Event{Kind: event.KindDetach, Time: b.tick(), PID: pid, TID: tid})
}

// Call records a syscall that returned ret, or failed with errno when
// errno is not 0: an entry event, then an exit event with the same Call,
// as the engine reports them. The arguments' registers are their Raw
// values. It returns the Call for tweaks.
func (b *Builder) Call(pid, tid int, name string, ret int64, errno syscall.Errno, args ...event.Arg) *event.Call {
	c := b.Enter(pid, tid, name, args...)
	b.Return(pid, tid, c, ret, errno)
	return c
}

// Enter records a syscall's entry only; Return or NoReturn ends it.
func (b *Builder) Enter(pid, tid int, name string, args ...event.Arg) *event.Call {
	c := &event.Call{Arch: event.ArchX86_64, Name: name, Nr: -1, Args: args, Phase: event.Entered}
	if sc := decode.TableFor(event.ArchX86_64).ByName(name); sc != nil {
		c.Nr, c.Cats = sc.Nr, sc.Cats
	} else {
		c.Cats = categories.System
	}
	for i := range args {
		if i < len(c.Raw) {
			c.Raw[i] = args[i].Raw
		}
	}
	c.Start = b.tick()
	b.add(&event.Event{Kind: event.KindSyscallEntry, Time: c.Start, PID: pid, TID: tid, Call: c})
	return c
}

// Return records the exit of a call Enter recorded.
func (b *Builder) Return(pid, tid int, c *event.Call, ret int64, errno syscall.Errno) {
	c.End = b.tick()
	c.Phase = event.Returned
	c.Ret, c.Errno = ret, errno
	c.RetVal = event.Int(ret)
	if errno != 0 {
		c.Ret = -int64(errno)
		c.RetVal = event.Text("-1 " + decode.ErrnoName(int(errno)))
		c.RetAux = event.Text(decode.ErrnoMessage(int(errno)))
	}
	b.add(&event.Event{Kind: event.KindSyscallExit, Time: c.End, PID: pid, TID: tid, Call: c})
}

// NoReturn records exit or exit_group: "= ?" at once.
func (b *Builder) NoReturn(pid, tid int, name string, code int64) {
	c := b.Enter(pid, tid, name, Int("error_code", code))
	decode.Unfinished(c)
	b.add(&event.Event{Kind: event.KindSyscallExit, Time: c.Start, PID: pid, TID: tid, Call: c})
}

// Argument constructors.

// FD is a descriptor argument.
func FD(name string, fd int) event.Arg {
	return event.Arg{Name: name, Format: "fd", Raw: uint64(int64(fd)), Val: event.FD(int64(fd))}
}

// AtFD is a directory descriptor argument (AT_FDCWD is -100).
func AtFD(name string, fd int) event.Arg {
	return event.Arg{Name: name, Format: "atfd", Raw: uint64(int64(fd)), Val: event.FD(int64(fd))}
}

// Path is a file name argument.
func Path(name, path string) event.Arg {
	return event.Arg{Name: name, Format: "path", Raw: 0x1000, Val: event.Str([]byte(path), false)}
}

// Buf is a buffer argument showing data, cut when trunc.
func Buf(name, data string, trunc bool) event.Arg {
	return event.Arg{Name: name, Format: "buf", Raw: 0x2000, Val: event.Str([]byte(data), trunc)}
}

// Int is a signed integer argument.
func Int(name string, n int64) event.Arg {
	return event.Arg{Name: name, Format: "int", Raw: uint64(n), Val: event.Int(n)}
}

// Hex is a hexadecimal argument.
func Hex(name string, n uint64) event.Arg {
	return event.Arg{Name: name, Format: "hex", Raw: n, Val: event.Hex(n)}
}

// Flags is a flag-set argument named by syms.
func Flags(name string, v uint64, syms event.Symbols) event.Arg {
	return event.Arg{Name: name, Format: "flags", Raw: v, Val: event.Value{Kind: event.VFlags, N: v, Syms: syms}}
}

// Ptr is a pointer argument.
func Ptr(name string, p uint64) event.Arg {
	return event.Arg{Name: name, Format: "ptr", Raw: p, Val: event.Ptr(p)}
}

// Value is an argument with any decoded value and raw register.
func Value(name, format string, raw uint64, v event.Value) event.Arg {
	return event.Arg{Name: name, Format: format, Raw: raw, Val: v}
}
