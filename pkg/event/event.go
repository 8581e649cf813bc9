// Package event holds the types every part of gtrace shares: an Event is one
// thing that happened to a traced task (a syscall, a signal, an exit), a Call
// is one syscall with its decoded arguments, and a Value is one decoded
// argument that knows how to print itself the way strace prints it.
//
// The package is a leaf: engines produce events, formatters consume them, and
// neither needs to know about the other.
package event

import (
	"syscall"
	"time"

	"github.com/gtrace/gtrace/pkg/categories"
)

// Kind says what an Event reports.
type Kind uint8

const (
	// KindSyscallEntry is a syscall's entry: Call has its entry arguments.
	KindSyscallEntry Kind = iota + 1
	// KindSyscallExit is a syscall's exit: the same Call, now complete.
	KindSyscallExit
	// KindSignal is a signal delivered to the task: Signal is set.
	KindSignal
	// KindExit is the end of a process or thread: Exit is set.
	KindExit
	// KindAttach is a task gtrace started to trace (Child: the parent for
	// a new child, 0 for an attached or spawned task).
	KindAttach
	// KindDetach is a task gtrace stopped tracing while it lives on.
	KindDetach
	// KindNotice is a message about a task, in Text.
	KindNotice
)

var kindNames = [...]string{
	KindSyscallEntry: "syscall_entry",
	KindSyscallExit:  "syscall",
	KindSignal:       "signal",
	KindExit:         "exit",
	KindAttach:       "attach",
	KindDetach:       "detach",
	KindNotice:       "notice",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "unknown"
}

// Event is one thing that happened to a traced task.
type Event struct {
	Kind Kind
	Time time.Time
	PID  int // thread group (process) id
	TID  int // thread id; equal to PID for the main thread

	Call   *Call       // KindSyscallEntry, KindSyscallExit
	Signal *Signal     // KindSignal
	Exit   *ExitStatus // KindExit
	Child  int         // KindAttach: the parent that created this task
	// Nr is, for KindSignal and KindExit, the number of the task's
	// latest syscall (-1 if none): strace's -n prints it on those lines.
	Nr   int
	Text string // KindNotice
	// Former is, for the KindNotice of a leader superseded by another
	// thread's execve ("+++ superseded by execve in pid N +++"), that
	// thread, N: from now on it has the leader's TID, and one task
	// fewer is traced. Text is empty when the notice is not to be
	// printed (strace's -e quiet=superseded).
	Former int
}

// Phase is how far a Call has got.
type Phase uint8

const (
	// Entered: the call has been made and not yet returned.
	Entered Phase = iota
	// Returned: the call returned; Ret and Errno are valid.
	Returned
	// NoReturn: the call does not return by nature (exit, exit_group).
	NoReturn
	// Lost: the task died or was replaced (by another thread's execve)
	// inside the call.
	Lost
	// Detached: the tracer let the task go inside the call, without
	// seeing its result.
	Detached
)

// Call is one syscall. The entry fills the arguments known at entry; the
// exit adds the arguments the kernel wrote back and the return value.
type Call struct {
	Arch  Arch
	Nr    int
	Name  string
	Cats  categories.Set
	Args  []Arg
	Phase Phase
	// Raw holds the six argument registers at entry.
	Raw [6]uint64
	// SP is the stack pointer at entry: rt_sigreturn's argument, the
	// signal frame, is found there.
	SP uint64

	Ret    int64         // raw return value
	Errno  syscall.Errno // non-zero when the call failed
	RetVal Value         // the return value as strace prints it
	RetAux Value         // extra detail strace prints in parentheses
	// Injected is set when gtrace, not the kernel, chose the result.
	Injected bool
	// InjectedArgs is set when gtrace changed the arguments, or the
	// memory they point to, before the kernel saw them.
	InjectedArgs bool
	// Delayed is set when gtrace held the task back at entry or exit.
	Delayed bool
	// Dumps is the data the call read or wrote, in full, when its
	// descriptor is one strace's -e read= or -e write= selects.
	Dumps []Dump

	Start, End time.Time
}

// Duration is the time between entry and exit.
func (c *Call) Duration() time.Duration {
	if c.End.IsZero() {
		return 0
	}
	return c.End.Sub(c.Start)
}

// Failed reports whether the call returned an error.
func (c *Call) Failed() bool { return c.Phase == Returned && c.Errno != 0 }

// DumpKind says what a Dump holds.
type DumpKind uint8

const (
	// DumpData is the data of a call's one buffer.
	DumpData DumpKind = iota
	// DumpBuffer is the data of buffer Index of an iovec array; strace
	// heads it " * N bytes in buffer Index".
	DumpBuffer
	// DumpVector heads the buffers of message Index of an mmsghdr array:
	// " = N buffers in vector Index". It holds no data.
	DumpVector
)

// Dump is a part of the data a call read or wrote, dumped in hex after
// its line (strace's -e read= and -e write=).
type Dump struct {
	Kind DumpKind
	// Index numbers the buffer or the message; N is a buffer's length,
	// or a message's number of buffers.
	Index, N uint64
	Data     []byte
	// Short counts the bytes at the end that were not dumped: unreadable,
	// or past gtrace's bound on one call's dump.
	Short uint64
}

// Arg is one decoded argument.
type Arg struct {
	Name   string // the kernel's name for it ("filename")
	Format string // the format that decoded it ("path")
	Raw    uint64 // the register value
	Out    bool   // decoded at exit: the kernel writes it
	Val    Value
	// Lead, when set on an Out argument, is printed at exit before its
	// value in place of the ", " that would otherwise end the entry's
	// part of the line: strace prints clone's "flags=... <unfinished
	// ...>" then "<... clone resumed>, parent_tid=[42]", and what a call
	// changed in an argument as "{...} => {...}", and an ioctl getter's
	// ", " ("ioctl(0, TCGETS <unfinished ...>"). Nothing is printed for
	// an argument whose value is VNone.
	Lead string
}

// Signal describes a delivered signal (a siginfo_t, decoded).
type Signal struct {
	Signo int
	Name  string // "SIGCHLD"
	Info  Value  // {si_signo=SIGCHLD, si_code=CLD_EXITED, ...}
}

// ExitStatus is how a task ended.
type ExitStatus struct {
	Code     int  // exit code, when !Signaled
	Signaled bool // killed by a signal
	Signo    int
	Name     string // signal name when Signaled
	Core     bool   // the signal dumped core
}
