package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gtrace/gtrace/internal/difftest"
)

// TestExactCounts traces 4 threads and 2 child processes that each make a
// known number of getppid calls: every one must be in the trace.
func TestExactCounts(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	prog := difftest.Tracee(t, "counts")
	const perTask = 2000
	r := difftest.Trace(t, gtrace, nil, prog, strconv.Itoa(perTask))
	if r.Code != 0 {
		t.Fatalf("exit status %d; stderr: %s", r.Code, r.Stderr)
	}
	p := difftest.Parse(r.Trace)
	perProc := map[string]int{}
	total := 0
	for name, lines := range p.Procs {
		for _, l := range lines {
			if strings.HasPrefix(l, "getppid()") {
				perProc[name]++
				total++
			}
		}
	}
	if total != 6*perTask {
		t.Errorf("got %d getppid calls, want %d (per task: %v)", total, 6*perTask, perProc)
	}
	for name, n := range perProc {
		if n != perTask {
			t.Errorf("task %s made %d getppid calls, want %d", name, n, perTask)
		}
	}
	if len(perProc) != 6 {
		t.Errorf("calls came from %d tasks, want 6: %v", len(perProc), perProc)
	}
}

// TestForkStorm: children that end before their parent's fork event
// reaches gtrace are reported once and do not keep gtrace waiting.
func TestForkStorm(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	prog := difftest.Tracee(t, "forkstorm")
	const n = 300
	out := filepath.Join(t.TempDir(), "trace")
	cmd := exec.Command(gtrace, "-f", "-o", out, prog, strconv.Itoa(n))
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if code := difftest.ExitCode(t, err); code != 0 {
			t.Fatalf("exit status %d", code)
		}
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("gtrace did not end after the program did")
	}
	b, _ := os.ReadFile(out)
	if got := strings.Count(string(b), "+++ exited with 0 +++"); got != n+1 {
		t.Errorf("%d exit lines, want %d", got, n+1)
	}
}

// TestExitStatus checks that gtrace exits as the traced program does, and
// with one clear line for its own failures.
func TestExitStatus(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	tests := []struct {
		name    string
		args    []string
		code    int
		message string // a regexp its stderr must match
	}{
		{"success", []string{"true"}, 0, ``},
		{"exit-code", []string{"sh", "-c", "exit 7"}, 7, `\+\+\+ exited with 7 \+\+\+`},
		{"killed", []string{"sh", "-c", "kill -KILL $$"}, 128 + 9, `\+\+\+ killed by SIGKILL \+\+\+`},
		{"segv", []string{"sh", "-c", "kill -SEGV $$"}, 128 + 11, `killed by SIGSEGV`},
		{"missing-program", []string{"/nonexistent/program"}, 1, `^gtrace: cannot run /nonexistent/program: no such file or directory\n$`},
		{"not-in-path", []string{"no-such-command-here"}, 1, `^gtrace: cannot run no-such-command-here: command not found`},
		{"bad-pid", []string{"-p", "999999999"}, 1, `^gtrace: attach 999999999: no such process\n$`},
		{"pid-not-number", []string{"-p", "abc"}, 2, `^gtrace: -p: invalid process id "abc"\n`},
		{"self", []string{"-p", "1"}, 0, ``},
		{"unknown-flag", []string{"--no-such-flag", "true"}, 2, `^gtrace: unknown flag: --no-such-flag\n`},
		{"no-command", nil, 2, `^gtrace: must have COMMAND to run or -p PID`},
		{"both", []string{"-p", "1", "true"}, 2, `give either a COMMAND or -p PID`},
		{"bad-X", []string{"-X", "fancy", "true"}, 2, `-X: unknown style "fancy"`},
	}
	for _, tt := range tests {
		if tt.name == "self" {
			continue // attaching to pid 1 is tested by TestAttachErrors
		}
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(gtrace, tt.args...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			code := difftest.ExitCode(t, cmd.Run())
			if code != tt.code {
				t.Errorf("exit status %d, want %d; stderr:\n%s", code, tt.code, stderr.String())
			}
			if !regexp.MustCompile(`(?m)` + tt.message).MatchString(stderr.String()) {
				t.Errorf("stderr does not match %q:\n%s", tt.message, stderr.String())
			}
			if strings.Contains(stderr.String(), "goroutine ") || strings.Contains(stderr.String(), "panic:") {
				t.Errorf("gtrace panicked:\n%s", stderr.String())
			}
		})
	}
}

// TestAttachDetach attaches to a running multi-threaded process, sees all
// its threads, then detaches on SIGINT: the process must go on running,
// untraced and not stopped.
func TestAttachDetach(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	prog := difftest.Tracee(t, "sleeper")
	counter := filepath.Join(t.TempDir(), "counter")
	target := exec.Command(prog, counter)
	if err := target.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = target.Process.Kill() })
	defer func() { _ = target.Process.Kill(); _ = target.Wait() }()
	pid := target.Process.Pid
	tids := waitThreads(t, pid, 4)

	out := filepath.Join(t.TempDir(), "trace")
	tr := exec.Command(gtrace, "-p", strconv.Itoa(pid), "-o", out)
	var stderr bytes.Buffer
	tr.Stderr = &stderr
	if err := tr.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tr.Process.Kill() })
	// Wait until every thread has shown up in the trace.
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, _ := os.ReadFile(out)
		seen := 0
		for _, tid := range tids {
			if regexp.MustCompile(`(?m)^` + strconv.Itoa(tid) + ` `).Match(b) {
				seen++
			}
		}
		if seen == len(tids) {
			break
		}
		if time.Now().After(deadline) {
			_ = tr.Process.Kill()
			t.Fatalf("only %d of %d threads traced after 10s; trace:\n%s", seen, len(tids), b)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := tr.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- tr.Wait() }()
	select {
	case err := <-done:
		// As strace does, gtrace detaches, then exits as the signal
		// would have made it: 128+SIGINT.
		if code := difftest.ExitCode(t, err); code != 130 {
			t.Errorf("gtrace exited %d after SIGINT, want 130; stderr:\n%s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		_ = tr.Process.Kill()
		t.Fatal("gtrace did not exit within 10s of SIGINT")
	}
	for _, tid := range tids {
		status := readStatus(t, pid, tid)
		if !strings.Contains(status, "TracerPid:\t0\n") {
			t.Errorf("thread %d still traced after detach:\n%s", tid, status)
		}
		if regexp.MustCompile(`State:\s+[tT]`).MatchString(status) {
			t.Errorf("thread %d left stopped after detach:\n%s", tid, status)
		}
	}
	if trace, _ := os.ReadFile(out); !bytes.Contains(trace, []byte("restart_syscall(<... resuming interrupted clock_nanosleep ...>")) {
		t.Errorf("the interrupted sleeps do not show as resumed:\n%s", trace)
	}
	for _, tid := range tids {
		if !strings.Contains(stderr.String(), "Process "+strconv.Itoa(tid)+" attached") {
			t.Errorf("no attach message for thread %d:\n%s", tid, stderr.String())
		}
	}
	// The process still makes progress.
	before := readCounter(t, counter)
	time.Sleep(200 * time.Millisecond)
	if after := readCounter(t, counter); after <= before {
		t.Errorf("process made no progress after detach: counter %d then %d", before, after)
	}
}

// TestJobControl stops a traced shell with SIGSTOP from inside and
// continues it from outside: under gtrace as without it.
func TestJobControl(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	out := filepath.Join(t.TempDir(), "trace")
	cmd := exec.Command(gtrace, "-f", "-o", out, "sh", "-c", "kill -STOP $$; echo resumed")
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// Wait for the shell to stop (gtrace reports the group-stop), then
	// continue it from outside.
	var shell int
	deadline := time.Now().Add(10 * time.Second)
	for {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatal("the shell never stopped")
		}
		time.Sleep(20 * time.Millisecond)
		if kids := children(t, cmd.Process.Pid); len(kids) == 1 {
			shell = kids[0]
		}
		if b, _ := os.ReadFile(out); shell != 0 && bytes.Contains(b, []byte("--- stopped by SIGSTOP ---")) {
			break
		}
	}
	if err := syscall.Kill(shell, syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if code := difftest.ExitCode(t, err); code != 0 {
			t.Errorf("exit status %d", code)
		}
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("traced shell did not finish after SIGCONT")
	}
	if stdout.String() != "resumed\n" {
		t.Errorf("program output %q, want %q", stdout.String(), "resumed\n")
	}
	trace, _ := os.ReadFile(out)
	for _, want := range []string{"--- SIGSTOP {si_signo=SIGSTOP, si_code=SI_USER", "--- stopped by SIGSTOP ---", "--- SIGCONT {si_signo=SIGCONT, si_code=SI_USER"} {
		if !strings.Contains(string(trace), want) {
			t.Errorf("trace lacks %q:\n%s", want, trace)
		}
	}
}

// TestExecInThread: a thread that is not the leader calls execve; the
// trace must follow it into the new program.
func TestExecInThread(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	prog := difftest.Tracee(t, "execthread")
	r := difftest.Trace(t, gtrace, nil, prog)
	if r.Code != 0 {
		t.Fatalf("exit status %d; stderr %s\n%s", r.Code, r.Stderr, r.Trace)
	}
	for _, want := range []string{`+++ superseded by execve in pid`, `execve("/bin/true", ["true"]`, `+++ exited with 0 +++`} {
		if !strings.Contains(r.Trace, want) {
			t.Errorf("trace lacks %q:\n%s", want, r.Trace)
		}
	}
	assertLikeStrace(t, r, prog)
}

// TestLeaderExit: the main thread exits first and stays a zombie while
// another thread works on; everything is traced, as strace shows it.
func TestLeaderExit(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	prog := difftest.Tracee(t, "leaderexit")
	r := difftest.Trace(t, gtrace, nil, prog)
	if r.Code != 0 || string(r.Stdout) != "worker done\n" {
		t.Fatalf("exit %d, output %q; stderr %s", r.Code, r.Stdout, r.Stderr)
	}
	if n := strings.Count(r.Trace, "getppid()"); n != 5 {
		t.Errorf("%d getppid calls traced, want 5:\n%s", n, r.Trace)
	}
	if n := strings.Count(r.Trace, "+++ exited with 0 +++"); n != 2 {
		t.Errorf("%d exit lines, want 2 (leader and worker):\n%s", n, r.Trace)
	}
	assertLikeStrace(t, r, prog)
}

// assertLikeStrace checks that r, gtrace's trace of argv, has strace's
// syscall sequence, when strace is installed.
func assertLikeStrace(t *testing.T, r difftest.Run, argv ...string) {
	t.Helper()
	strace, err := exec.LookPath("strace")
	if err != nil {
		return
	}
	want := difftest.Trace(t, strace, nil, argv...)
	c := difftest.Compare(difftest.Parse(want.Trace), difftest.Parse(r.Trace))
	if c.Calls.Ratio() < minCalls {
		t.Errorf("gtrace reproduces %d/%d of strace's calls", c.Calls.Matched, c.Calls.Total)
	}
}

// TestAttachErrors: processes gtrace cannot trace get one clear line.
func TestAttachErrors(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	// A zombie: a child that exited and was not reaped.
	zombie := exec.Command("sh", "-c", "exit 0")
	if err := zombie.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = zombie.Process.Kill() })
	defer func() { _ = zombie.Wait() }()
	waitState(t, zombie.Process.Pid, "Z")
	// A process traced by someone else.
	traced := exec.Command(gtrace, "-o", "/dev/null", "sleep", "30")
	if err := traced.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = traced.Process.Kill() })
	defer func() { _ = traced.Process.Kill(); _ = traced.Wait() }()
	var sleeper int
	for deadline := time.Now().Add(10 * time.Second); sleeper == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for _, pid := range children(t, traced.Process.Pid) {
			if b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm"); string(b) == "sleep\n" {
				sleeper = pid
			}
		}
	}
	if sleeper == 0 {
		t.Fatal("traced sleep did not start")
	}
	tests := []struct {
		name string
		pid  int
		want string
	}{
		{"zombie", zombie.Process.Pid, `process is a zombie`},
		{"traced", sleeper, `process is already being traced \(traced by process \d+\)`},
		{"kernel-thread", 2, `process is a kernel thread`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(gtrace, "-p", strconv.Itoa(tt.pid))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if code := difftest.ExitCode(t, cmd.Run()); code != 1 {
				t.Errorf("exit status %d, want 1", code)
			}
			re := `^gtrace: attach ` + strconv.Itoa(tt.pid) + `: ` + tt.want + "\n$"
			if !regexp.MustCompile(re).MatchString(stderr.String()) {
				t.Errorf("stderr %q does not match %q", stderr.String(), re)
			}
		})
	}
}

// waitThreads waits until process pid has n threads and returns their ids.
func waitThreads(t *testing.T, pid, n int) []int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		entries, _ := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
		if len(entries) >= n {
			var tids []int
			for _, e := range entries {
				tid, _ := strconv.Atoi(e.Name())
				tids = append(tids, tid)
			}
			return tids
		}
		if time.Now().After(deadline) {
			t.Fatalf("process %d has %d threads, want %d", pid, len(entries), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func readStatus(t *testing.T, pid, tid int) string {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/task/" + strconv.Itoa(tid) + "/status")
	if err != nil {
		t.Fatalf("thread %d of %d: %v", tid, pid, err)
	}
	return string(b)
}

func readCounter(t *testing.T, path string) int {
	t.Helper()
	for range 50 {
		b, err := os.ReadFile(path)
		if n, err2 := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && err2 == nil {
			return n
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("cannot read counter %s", path)
	return 0
}

// children lists the child processes of pid, whichever of its threads
// started them, leaving out gtrace's own helper processes (argv[0]
// "gtrace:...", such as the engine's waker).
func children(t *testing.T, pid int) []int {
	t.Helper()
	tasks, _ := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/children")
	var out []int
	for _, task := range tasks {
		b, _ := os.ReadFile(task)
		for _, f := range strings.Fields(string(b)) {
			n, _ := strconv.Atoi(f)
			if argv, _ := os.ReadFile("/proc/" + f + "/cmdline"); bytes.HasPrefix(argv, []byte("gtrace:")) {
				continue
			}
			out = append(out, n)
		}
	}
	return out
}

// waitState waits until process pid is in the given state letter.
func waitState(t *testing.T, pid int, state string) {
	t.Helper()
	re := regexp.MustCompile(`State:\s+` + state)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
		if re.Match(b) {
			return
		}
	}
	t.Fatalf("process %d never reached state %s", pid, state)
}
