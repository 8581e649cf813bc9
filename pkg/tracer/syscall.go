package tracer

import (
	"bytes"
	"errors"
	"syscall"
	"time"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/tracer/ptrace"
)

// Syscall is a syscall a hook sees, with its task stopped at the call's
// entry or exit. Through it a hook reads the call and its task's memory,
// and changes them: the kernel sees the changes, and the trace shows
// them (strace's "(INJECTED)" notes).
//
// A Syscall is only valid during the hook call; its methods return an
// error wrapping ErrNoSuchProcess if the task died meanwhile.
type Syscall struct {
	Name string     // "openat"
	Nr   int        // the number in Arch's table
	Arch event.Arch // the ABI of the call: i386 for int $0x80
	PID  int        // process (thread group) id
	TID  int        // thread id
	// Call is the call as decoded so far: the arguments at entry; the
	// result and the arguments the kernel filled at exit. Changes made
	// through the Syscall are decoded into it again.
	Call *event.Call

	ev     *event.Event
	entry  bool
	st     *ptrace.Stop
	action Action
}

// Event returns the stop as an event (KindSyscallEntry or
// KindSyscallExit, with its time, process and Call), as Hooks.OnEvent
// gets it when the call is reported: hook providers that keep state from
// events (restrace) take it from here. It is only valid during the hook
// call.
func (s *Syscall) Event() *event.Event { return s.ev }

// IsEntry reports whether the call is entering the kernel (true) or
// leaving it (false).
func (s *Syscall) IsEntry() bool { return s.entry }

// Arg returns the raw value of argument register i (0 to 5), as the
// call was made (or as SetArg set it).
func (s *Syscall) Arg(i int) uint64 {
	if i < 0 || i >= len(s.Call.Raw) {
		return 0
	}
	return s.Call.Raw[i]
}

// Args returns the decoded arguments, as strace prints them. Calls with
// a custom layout (clone) label them; Arg gives the registers.
func (s *Syscall) Args() []event.Arg { return s.Call.Args }

// Return returns the call's raw result at exit: a value, or -errno.
func (s *Syscall) Return() int64 { return s.Call.Ret }

// Errno returns the error the call failed with at exit, or 0.
func (s *Syscall) Errno() syscall.Errno { return s.Call.Errno }

// SetArg sets argument i (0 to 5) of a call at entry: the kernel runs the
// call with v.
func (s *Syscall) SetArg(i int, v uint64) error {
	if s.st == nil {
		return ErrObservesOnly
	}
	return s.st.SetArg(i, v)
}

// SetReturn makes the call return v. At entry the kernel skips the call
// altogether; at exit, v replaces its result.
func (s *Syscall) SetReturn(v int64) error {
	if s.st == nil {
		return ErrObservesOnly
	}
	return s.st.SetReturn(v)
}

// SetReturnVia is SetReturn, the call skipped at entry by running
// syscall nr in its place (strace's inject=...:syscall=NAME): one without
// side effects, such as getpid, which a seccomp filter or an audit rule
// then sees. At exit it is SetReturn.
func (s *Syscall) SetReturnVia(nr int, v int64) error {
	if s.st == nil {
		return ErrObservesOnly
	}
	return s.st.SetReturnVia(nr, v)
}

// SetErrno makes the call fail with e, as SetReturn does.
func (s *Syscall) SetErrno(e syscall.Errno) error { return s.SetReturn(-int64(e)) }

// Skipped reports whether the call was skipped at entry by SetReturn or
// SetErrno: at exit, its result is the one chosen then.
func (s *Syscall) Skipped() bool { return s.st != nil && s.st.Skipped() }

// ReadMemory reads len(p) bytes of the task's memory at addr. It returns
// fewer, with a nil error, when the range ends in unmapped memory.
func (s *Syscall) ReadMemory(addr uint64, p []byte) (int, error) {
	if s.st == nil {
		return 0, ErrObservesOnly
	}
	n, err := s.st.Memory().Read(addr, p)
	if err != nil {
		return n, &TraceError{PID: s.TID, Op: "read memory", Err: err}
	}
	return n, nil
}

// WriteMemory writes p at addr in the task's memory, read-only pages
// included. At entry the kernel sees the new bytes (a path, a buffer to
// write); at exit the program does (a buffer the kernel filled).
func (s *Syscall) WriteMemory(addr uint64, p []byte) (int, error) {
	if s.st == nil {
		return 0, ErrObservesOnly
	}
	return s.st.WriteMemory(addr, p)
}

// defaultStringMax bounds ReadString when no limit is given: PATH_MAX.
const defaultStringMax = 4096

// ReadString reads the NUL-terminated string at addr, of at most max
// bytes (4096 when max <= 0).
func (s *Syscall) ReadString(addr uint64, max int) (string, error) {
	if max <= 0 {
		max = defaultStringMax
	}
	if s.st == nil {
		return "", ErrObservesOnly
	}
	const chunk = 256
	var buf []byte
	mem := s.st.Memory()
	for len(buf) < max {
		// Aligned pieces never cross a page boundary: a string that
		// ends just before an unmapped page is read whole.
		want := min(chunk-int(addr%chunk), max-len(buf))
		p := make([]byte, want)
		n, err := mem.Read(addr, p)
		if i := bytes.IndexByte(p[:n], 0); i >= 0 {
			return string(append(buf, p[:i]...)), nil
		}
		buf = append(buf, p[:n]...)
		if err != nil || n < want {
			if err == nil {
				err = errors.New("string runs into unreadable memory")
			}
			return string(buf), &TraceError{PID: s.TID, Op: "read string", Err: err}
		}
		addr += uint64(n)
	}
	return string(buf), nil
}

// Inject makes the task run syscall nr (a number of s.Arch; see
// SyscallNumber) with args, at this stop, and returns its raw result: a
// value, or -errno. The task is left as it was: at entry, the original
// call runs afterwards; at exit, its result stands. The injected call is
// not reported as an event.
func (s *Syscall) Inject(nr int, args ...uint64) (int64, error) {
	if s.st == nil {
		return 0, ErrObservesOnly
	}
	return s.st.Inject(nr, args...)
}

// Signal sends sig to the thread as it resumes from this stop; at entry
// it arrives once the call has run (strace's inject=...:signal=). The
// eBPF engine, which does not stop the thread, ignores it.
func (s *Syscall) Signal(sig syscall.Signal) {
	if s.st != nil {
		s.st.Signal(int(sig))
	}
}

// Delay holds the thread stopped for d before it resumes from this stop,
// while other tasks run on (strace's delay_enter and delay_exit). The
// eBPF engine, which does not stop the thread, ignores it.
func (s *Syscall) Delay(d time.Duration) {
	if s.st != nil {
		s.st.Delay(d)
	}
}

// Detach stops tracing this process (all its threads) once the hook
// returns, as returning Detach does.
func (s *Syscall) Detach() { s.action = max(s.action, Detach) }

// SyscallNumber returns the number of the named syscall in arch's table.
func SyscallNumber(arch event.Arch, name string) (int, bool) {
	tbl := decode.TableFor(arch)
	if tbl == nil {
		return 0, false
	}
	sc := tbl.ByName(name)
	if sc == nil {
		return 0, false
	}
	return sc.Nr, true
}
