package format

import (
	"bytes"
	"testing"
	"time"

	"github.com/gtrace/gtrace/pkg/event"
)

// script builds event sequences for formatter tests.
type script struct {
	evs []event.Event
	t0  time.Time
}

func (s *script) at(ms int) time.Time { return s.t0.Add(time.Duration(ms) * time.Millisecond) }

func (s *script) attach(tid, parent int) {
	s.evs = append(s.evs, event.Event{Kind: event.KindAttach, PID: tid, TID: tid, Child: parent})
}

// call adds a call's entry and, unless exit is false, its exit.
func (s *script) entry(tid int, c *event.Call) {
	s.evs = append(s.evs, event.Event{Kind: event.KindSyscallEntry, TID: tid, PID: tid, Call: c, Time: s.at(len(s.evs))})
}

func (s *script) exit(tid int, c *event.Call) {
	s.evs = append(s.evs, event.Event{Kind: event.KindSyscallExit, TID: tid, PID: tid, Call: c, Time: s.at(len(s.evs))})
}

func call(name string, ret int64, args ...event.Arg) *event.Call {
	nr := map[string]int{"read": 0, "close": 3, "nanosleep": 35, "exit": 60, "rt_sigprocmask": 14, "openat": 257}[name]
	return &event.Call{Name: name, Nr: nr, Args: args, Ret: ret, RetVal: event.Int(ret), Phase: event.Returned}
}

func in(v event.Value) event.Arg  { return event.Arg{Val: v} }
func out(v event.Value) event.Arg { return event.Arg{Val: v, Out: true} }

func run(t *testing.T, opts StraceOptions, evs []event.Event) []byte {
	t.Helper()
	var buf bytes.Buffer
	f := NewStrace(&buf, opts)
	for i := range evs {
		if err := f.Write(&evs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.End(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// interleaved is two threads whose calls overlap, a signal, a failed
// call, an exit, and a call cut short by the task's death.
func interleaved() []event.Event {
	s := &script{t0: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	s.attach(100, 0)
	closeCall := call("close", 0, in(event.FD(3)))
	s.entry(100, closeCall)
	closeCall.Start, closeCall.End = s.at(1), s.at(1).Add(12*time.Microsecond)
	s.exit(100, closeCall)
	s.attach(101, 100)
	read := call("read", 5, in(event.FD(0)), out(event.Str([]byte("hello"), false)), in(event.Uint(10)))
	s.entry(101, read)
	mask := call("rt_sigprocmask", 0, in(event.Text("SIG_SETMASK")), in(event.Text("[]")), out(event.Ptr(0)), in(event.Uint(8)))
	s.entry(100, mask)
	s.exit(101, read)
	s.exit(100, mask)
	open := call("openat", -2, in(event.FD(-100)), in(event.Str([]byte("/nonexistent"), false)), in(event.Text("O_RDONLY")), in(event.Value{}))
	open.Errno = 2
	open.RetVal, open.RetAux = event.Text("-1 ENOENT"), event.Text("No such file or directory")
	s.entry(101, open)
	s.exit(101, open)
	s.evs = append(s.evs, event.Event{Kind: event.KindSignal, TID: 100, PID: 100, Time: s.at(len(s.evs)), Nr: 14,
		Signal: &event.Signal{Name: "SIGCHLD", Info: event.Value{Kind: event.VStruct, Elems: []event.Value{event.Field("si_signo", event.Text("SIGCHLD"))}}}})
	exit := call("exit", 0, in(event.Int(0)))
	exit.Phase, exit.RetVal = event.NoReturn, event.Text("?")
	s.entry(101, exit)
	s.exit(101, exit)
	s.evs = append(s.evs, event.Event{Kind: event.KindExit, TID: 101, PID: 100, Time: s.at(len(s.evs)), Exit: &event.ExitStatus{}, Nr: 60})
	sleep := call("nanosleep", 0, in(event.Text("{tv_sec=5, tv_nsec=0}")), out(event.Ptr(0)))
	s.entry(100, sleep)
	sleep.Phase, sleep.RetVal = event.Lost, event.Text("?")
	s.exit(100, sleep)
	s.evs = append(s.evs, event.Event{Kind: event.KindExit, TID: 100, PID: 100, Time: s.at(len(s.evs)), Exit: &event.ExitStatus{Signaled: true, Name: "SIGKILL"}, Nr: -1})
	return s.evs
}

func TestStraceGolden(t *testing.T) {
	tests := []struct {
		name string
		opts StraceOptions
	}{
		{"strace_interleaved.golden", StraceOptions{}},
		{"strace_interleaved_file.golden", StraceOptions{Prefix: PrefixAlways}},
		{"strace_interleaved_times.golden", StraceOptions{Time: TimeOptions{Relative: true, Durations: true}}},
		{"strace_interleaved_quiet.golden", StraceOptions{HideExits: true, Numbers: true}},
		{"strace_interleaved_numbers.golden", StraceOptions{Numbers: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { golden(t, tt.name, run(t, tt.opts, interleaved())) })
	}
}

// TestAtLineEnd checks that a message waits for a half-written line.
func TestAtLineEnd(t *testing.T) {
	var buf bytes.Buffer
	f := NewStrace(&buf, StraceOptions{})
	c := call("read", 1, in(event.FD(0)), out(event.Str([]byte("x"), false)), in(event.Uint(1)))
	_ = f.Write(&event.Event{Kind: event.KindAttach, TID: 1})
	_ = f.Write(&event.Event{Kind: event.KindSyscallEntry, TID: 1, Call: c})
	f.AtLineEnd(func() { buf.WriteString("MESSAGE\n") })
	if bytes.Contains(buf.Bytes(), []byte("MESSAGE")) {
		t.Fatal("message written in the middle of a line")
	}
	_ = f.Write(&event.Event{Kind: event.KindSyscallExit, TID: 1, Call: c})
	want := "read(0, \"x\", 1)                         = 1\nMESSAGE\n"
	if got := buf.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
