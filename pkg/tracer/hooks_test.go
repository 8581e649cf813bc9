package tracer_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gtrace/gtrace/internal/testtracee"
	"github.com/gtrace/gtrace/pkg/categories"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/filter"
	"github.com/gtrace/gtrace/pkg/tracer"
)

// run starts cmd under hooks and returns what it printed on stdout and
// how it ended.
func run(t *testing.T, cmd tracer.Cmd, opts tracer.Options, hooks tracer.Hooks) (string, tracer.ExitStatus) {
	t.Helper()
	var out bytes.Buffer
	cmd.Stdout = &out
	tr, err := tracer.Start(context.Background(), cmd, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(hooks); err != nil {
		t.Fatal(err)
	}
	status, err := tr.Wait()
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), status
}

// on returns hooks with one syscall hook on the named calls.
func on(f func(s *tracer.Syscall) tracer.Action, names ...string) tracer.Hooks {
	return tracer.Hooks{Syscalls: []tracer.Hook{{Names: names, Func: f}}}
}

// must fails the test on err, from inside a hook.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Error(err)
	}
}

func TestSetArgIsSeenByTheKernel(t *testing.T) {
	prog := testtracee.Build(t, "catfile")
	real := filepath.Join(t.TempDir(), "real")
	if err := os.WriteFile(real, []byte("the real file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The program opens argv[1]; the hook points openat's path at
	// argv[2], which follows argv[1] in memory.
	decoy := "/nonexistent/decoy"
	var printed string
	out, status := run(t, tracer.Command(prog, decoy, real), tracer.Options{}, tracer.Hooks{
		Syscalls: []tracer.Hook{{Names: []string{"openat"}, Func: func(s *tracer.Syscall) tracer.Action {
			if !s.IsEntry() {
				return tracer.Continue
			}
			path, err := s.ReadString(s.Arg(1), 0)
			must(t, err)
			if path == decoy {
				must(t, s.SetArg(1, s.Arg(1)+uint64(len(decoy))+1))
				printed = string(s.Args()[1].Val.Bytes)
			}
			return tracer.Continue
		}}},
	})
	if out != "read: the real file\n" || status.Code != 0 {
		t.Errorf("program printed %q, exit %d; want the real file read", out, status.Code)
	}
	if printed != real {
		t.Errorf("decoded path after SetArg = %q, want %q", printed, real)
	}
}

func TestSetArgChangesWriteDescriptor(t *testing.T) {
	prog := testtracee.Build(t, "writes")
	var stderr bytes.Buffer
	cmd := tracer.Command(prog)
	cmd.Stderr = &stderr
	out, _ := run(t, cmd, tracer.Options{}, on(func(s *tracer.Syscall) tracer.Action {
		if s.IsEntry() && s.Arg(0) == 1 {
			must(t, s.SetArg(0, 2))
		}
		return tracer.Continue
	}, "write"))
	if out != "" || stderr.String() != "hello\nrodata\n" {
		t.Errorf("stdout %q, stderr %q; want everything on stderr", out, stderr.String())
	}
}

func TestWriteMemoryAtEntry(t *testing.T) {
	prog := testtracee.Build(t, "writes")
	var injected []bool
	out, status := run(t, tracer.Command(prog), tracer.Options{}, on(func(s *tracer.Syscall) tracer.Action {
		if !s.IsEntry() {
			return tracer.Continue
		}
		buf := make([]byte, s.Arg(2))
		n, err := s.ReadMemory(s.Arg(1), buf)
		must(t, err)
		// The second buffer is a string literal, in read-only memory.
		_, err = s.WriteMemory(s.Arg(1), bytes.ToUpper(buf[:n]))
		must(t, err)
		injected = append(injected, s.Call.InjectedArgs)
		return tracer.Continue
	}, "write"))
	if out != "HELLO\nRODATA\n" || status.Code != 0 {
		t.Errorf("program printed %q (exit %d), want the buffers changed", out, status.Code)
	}
	if !slices.Equal(injected, []bool{true, true}) {
		t.Errorf("InjectedArgs = %v, want set on both writes", injected)
	}
}

func TestWriteMemoryAtExit(t *testing.T) {
	prog := testtracee.Build(t, "catfile")
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, []byte("secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := run(t, tracer.Command(prog, file), tracer.Options{}, on(func(s *tracer.Syscall) tracer.Action {
		if !s.IsEntry() && s.Return() == 7 {
			_, err := s.WriteMemory(s.Arg(1), []byte("public\n"))
			must(t, err)
		}
		return tracer.Continue
	}, "read"))
	if out != "read: public\n" {
		t.Errorf("program printed %q, want what the hook wrote into its buffer", out)
	}
}

func TestSetReturnAtEntrySkipsTheCall(t *testing.T) {
	prog := testtracee.Build(t, "unlink")
	for _, tc := range []struct {
		name string
		set  func(s *tracer.Syscall) error
		want string
	}{
		{"errno", func(s *tracer.Syscall) error { return s.SetErrno(syscall.EPERM) }, "unlink: Operation not permitted\n"},
		{"success", func(s *tracer.Syscall) error { return s.SetReturn(0) }, "unlink: ok\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "keep")
			if err := os.WriteFile(file, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			var exit event.Call
			skipped := false
			hooks := on(func(s *tracer.Syscall) tracer.Action {
				if s.IsEntry() {
					must(t, tc.set(s))
				} else {
					skipped = s.Skipped()
				}
				return tracer.Continue
			}, "unlink")
			hooks.OnEvent = func(ev *event.Event) tracer.Action {
				if ev.Kind == event.KindSyscallExit && ev.Call.Name == "unlink" {
					exit = *ev.Call
				}
				return tracer.Continue
			}
			out, _ := run(t, tracer.Command(prog, file), tracer.Options{}, hooks)
			if out != tc.want {
				t.Errorf("program printed %q, want %q", out, tc.want)
			}
			if _, err := os.Stat(file); err != nil {
				t.Errorf("the kernel ran the skipped unlink: %v", err)
			}
			if !exit.Injected || !skipped {
				t.Errorf("at exit: Injected %v, Skipped %v; want both", exit.Injected, skipped)
			}
		})
	}
}

func TestSetReturnAtExit(t *testing.T) {
	prog := testtracee.Build(t, "getpid")
	var ret event.Value
	hooks := on(func(s *tracer.Syscall) tracer.Action {
		if !s.IsEntry() {
			must(t, s.SetReturn(42))
			ret = s.Call.RetVal
		}
		return tracer.Continue
	}, "getpid")
	out, _ := run(t, tracer.Command(prog), tracer.Options{}, hooks)
	if out != "42\n" {
		t.Errorf("program printed %q, want 42", out)
	}
	if ret.Kind != event.VInt || int64(ret.N) != 42 {
		t.Errorf("decoded result after SetReturn = %+v, want 42", ret)
	}
}

func TestInjectAtEntry(t *testing.T) {
	prog := testtracee.Build(t, "writes")
	getpid, _ := tracer.SyscallNumber(event.ArchX86_64, "getpid")
	write, _ := tracer.SyscallNumber(event.ArchX86_64, "write")
	var pids, writes []int64
	var wantPID int
	out, status := run(t, tracer.Command(prog), tracer.Options{}, on(func(s *tracer.Syscall) tracer.Action {
		if !s.IsEntry() {
			return tracer.Continue
		}
		wantPID = s.PID
		pid, err := s.Inject(getpid)
		must(t, err)
		n, err := s.Inject(write, s.Arg(0), s.Arg(1), s.Arg(2))
		must(t, err)
		pids, writes = append(pids, pid), append(writes, n)
		return tracer.Continue
	}, "write"))
	// Each write runs twice: injected, then the program's own, which
	// still returns its length (else the program exits 3).
	if out != "hello\nhello\nrodata\nrodata\n" || status.Code != 0 {
		t.Errorf("program printed %q (exit %d)", out, status.Code)
	}
	if !slices.Equal(pids, []int64{int64(wantPID), int64(wantPID)}) {
		t.Errorf("injected getpid returned %v, want the tracee's pid %d", pids, wantPID)
	}
	if !slices.Equal(writes, []int64{6, 7}) {
		t.Errorf("injected writes returned %v, want [6 7]", writes)
	}
}

func TestInjectAtExitKeepsTheResult(t *testing.T) {
	prog := testtracee.Build(t, "writes")
	write, _ := tracer.SyscallNumber(event.ArchX86_64, "write")
	out, status := run(t, tracer.Command(prog), tracer.Options{}, on(func(s *tracer.Syscall) tracer.Action {
		if !s.IsEntry() && s.Arg(2) == 6 {
			n, err := s.Inject(write, 1, s.Arg(1), 3)
			must(t, err)
			if n != 3 {
				t.Errorf("injected write returned %d, want 3", n)
			}
		}
		return tracer.Continue
	}, "write"))
	// The program checks that its write still returned 6.
	if out != "hello\nhelrodata\n" || status.Code != 0 {
		t.Errorf("program printed %q (exit %d)", out, status.Code)
	}
}

func TestI386Calls(t *testing.T) {
	prog := testtracee.Build(t, "int80")
	getpid, _ := tracer.SyscallNumber(event.ArchI386, "getpid")
	var arch event.Arch
	var injected int64
	var pid int
	out, _ := run(t, tracer.Command(prog), tracer.Options{}, tracer.Hooks{
		Syscalls: []tracer.Hook{{
			Match: func(a event.Arch, nr int) bool { return a == event.ArchI386 && nr == getpid },
			Func: func(s *tracer.Syscall) tracer.Action {
				arch, pid = s.Arch, s.PID
				if s.IsEntry() {
					var err error
					injected, err = s.Inject(getpid)
					must(t, err)
				} else {
					must(t, s.SetReturn(42))
				}
				return tracer.Continue
			},
		}},
	})
	if arch != event.ArchI386 {
		t.Fatalf("hook saw arch %v, want i386", arch)
	}
	if injected != int64(pid) {
		t.Errorf("injected i386 getpid returned %d, want %d", injected, pid)
	}
	if out != "42\n" {
		t.Errorf("program printed %q, want 42", out)
	}
}

// tracerPid reads TracerPid from /proc/PID/status.
func tracerPid(t *testing.T, pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "TracerPid:"); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatal("no TracerPid in /proc/PID/status")
	return ""
}

// startWaiting starts the waitinput tracee with a pipe for its stdin.
func startWaiting(t *testing.T, opts tracer.Options) (*tracer.Tracer, *os.File, *bytes.Buffer) {
	t.Helper()
	prog := testtracee.Build(t, "waitinput")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	out := &bytes.Buffer{}
	cmd := tracer.Command(prog)
	cmd.Stdin, cmd.Stdout = r, out
	tr, err := tracer.Start(context.Background(), cmd, opts)
	r.Close()
	if err != nil {
		t.Fatal(err)
	}
	return tr, w, out
}

// finish lets a waitinput tracee end and checks it did so normally.
func finish(t *testing.T, tr *tracer.Tracer, stdin *os.File, out *bytes.Buffer) {
	t.Helper()
	if _, err := stdin.WriteString("go\n"); err != nil {
		t.Fatal(err)
	}
	status, err := tr.Wait()
	if err != nil || status.Code != 0 || out.String() != "waiting\nfinished\n" {
		t.Errorf("after detach: exit %+v, err %v, output %q", status, err, out.String())
	}
}

func TestDetachMidRunLeavesTheProcessRunning(t *testing.T) {
	for _, how := range []string{"action", "method"} {
		t.Run(how, func(t *testing.T) {
			tr, stdin, out := startWaiting(t, tracer.Options{})
			calls, pid := 0, 0
			err := tr.Run(on(func(s *tracer.Syscall) tracer.Action {
				calls++
				pid = s.PID
				if calls < 2 {
					return tracer.Continue
				}
				if how == "method" {
					s.Detach()
					return tracer.Continue
				}
				return tracer.Detach
			}, "getppid"))
			if err != nil {
				t.Fatal(err)
			}
			// Run returned: the only process was let go at its first
			// getppid's exit, and nothing traced it since.
			if calls != 2 {
				t.Errorf("hook called %d times, want 2 (entry and exit, then detached)", calls)
			}
			if tp := tracerPid(t, pid); tp != "0" {
				t.Errorf("TracerPid after detach = %s, want 0", tp)
			}
			finish(t, tr, stdin, out)
		})
	}
}

func TestEventsBreakDetaches(t *testing.T) {
	tr, stdin, out := startWaiting(t, tracer.Options{})
	pid := 0
	for ev, err := range tr.Events() {
		if err != nil {
			t.Fatal(err)
		}
		if ev.Kind == event.KindSyscallExit && ev.Call.Name == "getppid" {
			pid = ev.PID
			break
		}
	}
	if pid == 0 {
		t.Fatal("no getppid event")
	}
	if tp := tracerPid(t, pid); tp != "0" {
		t.Errorf("TracerPid after break = %s, want 0", tp)
	}
	finish(t, tr, stdin, out)
}

func TestContextCancelDetaches(t *testing.T) {
	prog := testtracee.Build(t, "waitinput")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	defer r.Close()
	cmd := tracer.Command(prog, "0")
	cmd.Stdin = r
	var outBuf bytes.Buffer
	cmd.Stdout = &outBuf
	// Start the program untraced-looking: trace it, cancel once it
	// waits for input.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr, err := tracer.Start(ctx, cmd, tracer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	pid := 0
	err = tr.Run(tracer.Hooks{OnEvent: func(ev *event.Event) tracer.Action {
		if ev.Kind == event.KindSyscallEntry && ev.Call.Name == "read" && ev.Call.Raw[0] == 0 {
			pid = ev.PID
			cancel()
		}
		return tracer.Continue
	}})
	if err != nil {
		t.Fatal(err)
	}
	if pid == 0 {
		t.Fatal("the program never read its input")
	}
	if tp := tracerPid(t, pid); tp != "0" {
		t.Errorf("TracerPid after cancel = %s, want 0", tp)
	}
	finish(t, tr, w, &outBuf)
}

func TestAttachAndDetach(t *testing.T) {
	prog := testtracee.Build(t, "waitinput")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	proc, err := os.StartProcess(prog, []string{prog, "0"}, &os.ProcAttr{Files: []*os.File{r, pw, os.Stderr}})
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	pw.Close()
	line := make([]byte, 8)
	if _, err := pr.Read(line); err != nil { // "waiting\n"
		t.Fatal(err)
	}
	tr, err := tracer.Attach(context.Background(), []int{proc.Pid}, tracer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tp := tracerPid(t, proc.Pid); tp == "0" {
		t.Error("TracerPid is 0 while attached")
	}
	// The program is blocked in read (maybe past the point where an
	// exit stop is reported): a written line wakes it, and the hook sees
	// the write that follows and lets the program go.
	seen := false
	go func() { _, _ = w.WriteString("go\n") }()
	err = tr.Run(on(func(s *tracer.Syscall) tracer.Action {
		if !s.IsEntry() {
			seen = true
			return tracer.Detach
		}
		return tracer.Continue
	}, "write"))
	if err != nil || !seen {
		t.Fatalf("Run: %v, write exit seen: %v", err, seen)
	}
	rest := make([]byte, 64)
	n, _ := pr.Read(rest)
	state, err := proc.Wait()
	if err != nil || !state.Success() || string(rest[:n]) != "finished\n" {
		t.Errorf("attached program: %v %v, printed %q", state, err, rest[:n])
	}
}

func TestHooksAcrossFork(t *testing.T) {
	prog := testtracee.Build(t, "fork")
	pids := map[int]bool{}
	out, status := run(t, tracer.Command(prog), tracer.Options{Follow: true}, on(func(s *tracer.Syscall) tracer.Action {
		if !s.IsEntry() {
			pids[s.PID] = true
			must(t, s.SetReturn(int64(1000+len(pids))))
		}
		return tracer.Continue
	}, "getpid"))
	if len(pids) != 2 {
		t.Errorf("hook saw getpid in %d processes, want parent and child", len(pids))
	}
	if out != "child 1001\nparent 1002\n" || status.Code != 0 {
		t.Errorf("program printed %q (exit %d)", out, status.Code)
	}
}

func TestDetachChildAtFork(t *testing.T) {
	prog := testtracee.Build(t, "fork")
	var seen []int
	hooks := on(func(s *tracer.Syscall) tracer.Action {
		if !s.IsEntry() {
			seen = append(seen, s.PID)
			must(t, s.SetReturn(7))
		}
		return tracer.Continue
	}, "getpid")
	children := 0
	hooks.OnEvent = func(ev *event.Event) tracer.Action {
		if ev.Kind == event.KindAttach && ev.Child != 0 {
			children++
			return tracer.Detach
		}
		return tracer.Continue
	}
	out, status := run(t, tracer.Command(prog), tracer.Options{Follow: true}, hooks)
	if children != 1 || len(seen) != 1 {
		t.Errorf("saw %d children and getpid in %v; want the child let go", children, seen)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || lines[0] == "child 7" || lines[1] != "parent 7" || status.Code != 0 {
		t.Errorf("program printed %q (exit %d): want the child's real pid, the parent's 7", out, status.Code)
	}
}

func TestHooksSeeThreads(t *testing.T) {
	prog := testtracee.Build(t, "thread")
	type ids struct{ pid, tid int }
	var seen []ids
	out, _ := run(t, tracer.Command(prog), tracer.Options{Follow: true}, on(func(s *tracer.Syscall) tracer.Action {
		if !s.IsEntry() {
			seen = append(seen, ids{s.PID, s.TID})
		}
		return tracer.Continue
	}, "gettid"))
	if len(seen) != 2 || seen[0].pid != seen[1].pid || seen[0].tid == seen[0].pid || seen[1].tid != seen[1].pid {
		t.Errorf("hook saw %+v; want the thread, then the main thread, of one process", seen)
	}
	want := "thread " + strconv.Itoa(seen[0].tid) + "\nmain " + strconv.Itoa(seen[1].tid) + "\n"
	if out != want {
		t.Errorf("program printed %q, want %q", out, want)
	}
}

func TestHookSelection(t *testing.T) {
	prog := testtracee.Build(t, "catfile")
	for _, tc := range []struct {
		name string
		hook tracer.Hook
		want []string
	}{
		{"names", tracer.Hook{Names: []string{"read", "openat"}}, []string{"openat", "read"}},
		{"category", tracer.Hook{Cats: categories.Network}, nil},
		{"match", tracer.Hook{Match: func(a event.Arch, nr int) bool {
			n, _ := tracer.SyscallNumber(a, "exit_group")
			return nr == n
		}}, []string{"exit_group"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			tc.hook.Func = func(s *tracer.Syscall) tracer.Action {
				if s.IsEntry() && (len(got) == 0 || got[len(got)-1] != s.Name) {
					got = append(got, s.Name)
				}
				return tracer.Continue
			}
			run(t, tracer.Command(prog, "/dev/null"), tracer.Options{}, tracer.Hooks{Syscalls: []tracer.Hook{tc.hook}})
			// The loader's calls come first: compare the program's own,
			// at the end.
			if len(got) > len(tc.want) {
				got = got[len(got)-len(tc.want):]
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("hook saw %v, want %v", got, tc.want)
			}
		})
	}
}

func TestUnknownSyscallInHook(t *testing.T) {
	prog := testtracee.Build(t, "getpid")
	var out bytes.Buffer
	cmd := tracer.Command(prog)
	cmd.Stdout = &out
	tr, err := tracer.Start(context.Background(), cmd, tracer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = tr.Run(on(func(*tracer.Syscall) tracer.Action { return tracer.Continue }, "no_such_call"))
	if !errors.Is(err, tracer.ErrUnknownSyscall) {
		t.Errorf("Run = %v, want ErrUnknownSyscall", err)
	}
	status, _ := tr.Wait()
	if out.Len() != 0 || status.Signal != int(syscall.SIGKILL) {
		t.Errorf("the program ran (printed %q, status %+v); it should never start", out.String(), status)
	}
}

func TestRunTwice(t *testing.T) {
	prog := testtracee.Build(t, "getpid")
	cmd := tracer.Command(prog)
	cmd.Stdout = &bytes.Buffer{}
	tr, err := tracer.Start(context.Background(), cmd, tracer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(tracer.Hooks{}); err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(tracer.Hooks{}); !errors.Is(err, tracer.ErrStarted) {
		t.Errorf("second Run = %v, want ErrStarted", err)
	}
	for _, err := range tr.Events() {
		if !errors.Is(err, tracer.ErrStarted) {
			t.Errorf("Events after Run yielded %v, want ErrStarted", err)
		}
	}
}

func TestAttachErrors(t *testing.T) {
	_, err := tracer.Attach(context.Background(), []int{1 << 30}, tracer.Options{})
	var te *tracer.TraceError
	if !errors.Is(err, tracer.ErrNoSuchProcess) || !errors.As(err, &te) || te.PID != 1<<30 {
		t.Errorf("Attach(no such pid) = %v, want a *TraceError wrapping ErrNoSuchProcess", err)
	}
	_, err = tracer.Attach(context.Background(), []int{os.Getpid()}, tracer.Options{})
	if !errors.Is(err, tracer.ErrSelf) {
		t.Errorf("Attach(self) = %v, want ErrSelf", err)
	}
}

func TestChangesOutsideTheirStop(t *testing.T) {
	prog := testtracee.Build(t, "getpid")
	var atExit error
	run(t, tracer.Command(prog), tracer.Options{}, on(func(s *tracer.Syscall) tracer.Action {
		if !s.IsEntry() {
			atExit = s.SetArg(0, 1)
		}
		return tracer.Continue
	}, "getpid"))
	if !errors.Is(atExit, tracer.ErrNotAtEntry) {
		t.Errorf("SetArg at exit = %v, want ErrNotAtEntry", atExit)
	}
}

func TestSignalAndDelay(t *testing.T) {
	prog := testtracee.Build(t, "getpid")
	const delay = 50 * time.Millisecond
	var sig *event.Signal
	var delayed bool
	var took time.Duration
	hooks := on(func(s *tracer.Syscall) tracer.Action {
		if s.IsEntry() {
			s.Signal(syscall.SIGUSR1)
			s.Delay(delay)
		} else {
			delayed = s.Call.Delayed
			took = s.Call.Duration()
		}
		return tracer.Continue
	}, "getpid")
	hooks.OnEvent = func(ev *event.Event) tracer.Action {
		if ev.Kind == event.KindSignal {
			cp := *ev.Signal
			sig = &cp
		}
		return tracer.Continue
	}
	out, status := run(t, tracer.Command(prog), tracer.Options{}, hooks)
	if sig == nil || sig.Signo != int(syscall.SIGUSR1) {
		t.Fatalf("signal event %+v, want SIGUSR1", sig)
	}
	if !strings.Contains(string(sig.Info.AppendStrace(nil, &event.Style{})), "si_code=SI_KERNEL") {
		t.Errorf("siginfo %s, want si_code=SI_KERNEL as strace's inject", sig.Info.AppendStrace(nil, &event.Style{}))
	}
	if status.Signal != int(syscall.SIGUSR1) || out != "" {
		t.Errorf("status %+v, output %q: want killed by SIGUSR1 after getpid", status, out)
	}
	if !delayed || took < delay {
		t.Errorf("Delayed = %v, call took %v; want marked and at least %v", delayed, took, delay)
	}
}

func TestTracersKeepToTheirOwnChildren(t *testing.T) {
	// Two tracers at once, while the program using them starts and waits
	// for children of its own: nobody's children are taken by another.
	prog := testtracee.Build(t, "getpid")
	trueProg, err := exec.LookPath("true")
	if err != nil {
		t.Skip("no true(1)")
	}
	var wg sync.WaitGroup
	outs := make([]string, 2)
	errs := make([]error, 2)
	for i := range outs {
		wg.Go(func() {
			var out bytes.Buffer
			cmd := tracer.Command(prog, "20")
			cmd.Stdout = &out
			tr, err := tracer.Start(context.Background(), cmd, tracer.Options{})
			if err != nil {
				errs[i] = err
				return
			}
			err = tr.Run(on(func(s *tracer.Syscall) tracer.Action {
				if !s.IsEntry() {
					_ = s.SetReturn(int64(i))
				}
				return tracer.Continue
			}, "getpid"))
			if _, werr := tr.Wait(); err == nil {
				err = werr
			}
			outs[i], errs[i] = out.String(), err
		})
	}
	for range 10 {
		if err := exec.Command(trueProg).Run(); err != nil {
			t.Errorf("running a child of our own while tracing: %v", err)
		}
	}
	wg.Wait()
	for i, out := range outs {
		want := strings.Repeat(strconv.Itoa(i)+"\n", 20)
		if errs[i] != nil || out != want {
			t.Errorf("tracer %d: %v, program printed %q", i, errs[i], out)
		}
	}
}

// Under the seccomp fast path, hooks get the calls Options.Hooked names
// although Trace does not report them; each stop's Event is the one
// OnEvent would get.
func TestHookedCallsStopUnderSeccomp(t *testing.T) {
	prog := testtracee.Build(t, "catfile")
	trace, err := filter.ParseTrace("openat")
	if err != nil {
		t.Fatal(err)
	}
	hooked, err := filter.ParseTrace("read")
	if err != nil {
		t.Fatal(err)
	}
	var hookedCalls, reported []string
	hook := tracer.Hook{Names: []string{"read"}, Func: func(s *tracer.Syscall) tracer.Action {
		ev := s.Event()
		kind := event.KindSyscallExit
		if s.IsEntry() {
			kind = event.KindSyscallEntry
		}
		if ev.Kind != kind || ev.Call != s.Call || ev.PID != s.PID || ev.TID != s.TID || ev.Time.IsZero() {
			t.Errorf("Event() = %+v at the %v of %s in %d", ev, kind, s.Name, s.TID)
		}
		hookedCalls = append(hookedCalls, s.Name)
		return tracer.Continue
	}}
	out, _ := run(t, tracer.Command(prog, "/etc/hostname"), tracer.Options{Follow: true, Trace: trace, Hooked: hooked}, tracer.Hooks{
		Syscalls: []tracer.Hook{hook},
		OnEvent: func(ev *event.Event) tracer.Action {
			if ev.Call != nil {
				reported = append(reported, ev.Call.Name)
			}
			return tracer.Continue
		},
	})
	if len(hookedCalls) < 2 || slices.ContainsFunc(reported, func(n string) bool { return n != "openat" }) || len(reported) == 0 {
		t.Errorf("hooked %v, reported %v; want reads hooked and only openat reported", hookedCalls, reported)
	}
	if out == "" {
		t.Error("the program printed nothing")
	}
}

// A syscall hook that returns Stop ends the trace there: the hook is not
// called again, and the program (children included) runs on untraced to
// its normal end.
func TestHookStopDetachesAll(t *testing.T) {
	calls := 0
	hooks := on(func(s *tracer.Syscall) tracer.Action {
		calls++
		return tracer.Stop
	}, "getppid")
	cmd := tracer.Command("sh", "-c", "for i in 1 2 3; do cat /dev/null; done; echo ran on")
	out, status := run(t, cmd, tracer.Options{Follow: true}, hooks)
	// sh calls getppid at start: the trace ends at its entry.
	if calls != 1 {
		t.Errorf("the hook was called %d times, want once", calls)
	}
	if out != "ran on\n" || status.Code != 0 {
		t.Errorf("the program printed %q and exited %+v; want it to run on to its end", out, status)
	}
}
