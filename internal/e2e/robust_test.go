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

// startSleeper starts the sleeper tracee and returns its pid and counter
// file; it is killed when the test ends.
func startSleeper(t *testing.T) (int, string) {
	t.Helper()
	counter := filepath.Join(t.TempDir(), "counter")
	c := exec.Command(difftest.Tracee(t, "sleeper"), counter)
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Process.Kill() })
	t.Cleanup(func() { _ = c.Process.Kill(); _ = c.Wait() })
	waitThreads(t, c.Process.Pid, 4)
	return c.Process.Pid, counter
}

// waitFor polls cond for up to 10 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// assertRunningUntraced checks every thread of pid is untraced, not
// stopped, and that the process makes progress.
func assertRunningUntraced(t *testing.T, pid int, counter string) {
	t.Helper()
	tasks, _ := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
	for _, task := range tasks {
		tid, _ := strconv.Atoi(task.Name())
		status := readStatus(t, pid, tid)
		if !strings.Contains(status, "TracerPid:\t0\n") || regexp.MustCompile(`State:\s+[tT]`).MatchString(status) {
			t.Errorf("thread %d is traced or stopped:\n%s", tid, status)
		}
	}
	before := readCounter(t, counter)
	waitFor(t, "progress", func() bool { return readCounter(t, counter) > before })
}

// TestKilledWhileAttached: gtrace killed with SIGKILL leaves an attached
// process running, untraced.
func TestKilledWhileAttached(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	pid, counter := startSleeper(t)
	out := filepath.Join(t.TempDir(), "trace")
	tr := exec.Command(gtrace, "-p", strconv.Itoa(pid), "-o", out)
	if err := tr.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tr.Process.Kill() })
	waitFor(t, "the trace to start", func() bool {
		b, _ := os.ReadFile(out)
		return bytes.Contains(b, []byte("clock_nanosleep"))
	})
	_ = tr.Process.Kill()
	_ = tr.Wait()
	assertRunningUntraced(t, pid, counter)
}

// TestKilledWhileSpawned: gtrace killed with SIGKILL takes the program it
// started with it (PTRACE_O_EXITKILL), so nothing is left stopped.
func TestKilledWhileSpawned(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	counter := filepath.Join(t.TempDir(), "counter")
	tr := exec.Command(gtrace, "-f", "-o", "/dev/null", difftest.Tracee(t, "sleeper"), counter)
	if err := tr.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tr.Process.Kill() })
	var prog int
	waitFor(t, "the program to start", func() bool {
		if kids := children(t, tr.Process.Pid); len(kids) == 1 {
			prog = kids[0]
		}
		_, err := os.Stat(counter)
		return prog != 0 && err == nil
	})
	_ = tr.Process.Kill()
	_ = tr.Wait()
	waitFor(t, "the program to die", func() bool {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(prog) + "/status")
		return err != nil || regexp.MustCompile(`State:\s+[ZX]`).Match(b)
	})
}

// TestClosedPipe: `gtrace -o - ... | head -1` detaches as soon as the
// pipe closes, and the program runs on as it would untraced.
func TestClosedPipe(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	marker := filepath.Join(t.TempDir(), "done")
	cmd := exec.Command(gtrace, "-f", "-o", "-", "sh", "-c",
		"i=0; while [ $i -lt 200 ]; do i=$((i+1)); : > /dev/null; done; sleep 0.2; touch "+marker)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = w
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	w.Close()
	buf := make([]byte, 64)
	if _, err := r.Read(buf); err != nil {
		t.Fatal(err)
	}
	r.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if code := difftest.ExitCode(t, err); code != 0 {
			t.Errorf("exit %d; stderr:\n%s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("gtrace did not end after its output closed; stderr:\n%s", stderr.String())
	}
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("the program did not run to its end: %v", err)
	}
	if strings.Contains(stderr.String(), "panic") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

// TestTraceeKilledMidSyscall: a tracee killed with SIGKILL inside a
// blocking call is reported as strace reports it.
func TestTraceeKilledMidSyscall(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	out := filepath.Join(t.TempDir(), "trace")
	cmd := exec.Command(gtrace, "-o", out, "sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	var prog int
	waitFor(t, "sleep to block", func() bool {
		if kids := children(t, cmd.Process.Pid); len(kids) == 1 {
			prog = kids[0]
		}
		b, _ := os.ReadFile(out)
		return prog != 0 && bytes.Contains(b, []byte("clock_nanosleep"))
	})
	_ = syscall.Kill(prog, syscall.SIGKILL)
	if code := difftest.ExitCode(t, cmd.Wait()); code != 128+9 {
		t.Errorf("exit status %d, want %d", code, 128+9)
	}
	b, _ := os.ReadFile(out)
	if !regexp.MustCompile(`clock_nanosleep\(.* <unfinished \.\.\.>\) = \?\n\+\+\+ killed by SIGKILL \+\+\+\n$`).Match(b) {
		t.Errorf("trace does not end as strace's would:\n%s", b)
	}
}

// TestDetachInsideCall: detached while its process sleeps in a call, a
// task's line ends " <detached ...>", as strace ends it, rather than with
// the restart errno the interruption made (which the program never sees).
func TestDetachInsideCall(t *testing.T) {
	tracers := []string{difftest.Gtrace(t)}
	if strace, err := exec.LookPath("strace"); err == nil {
		tracers = append(tracers, strace)
	}
	for _, tracer := range tracers {
		sleeper := exec.Command("sleep", "30")
		if err := sleeper.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = sleeper.Process.Kill(); _ = sleeper.Wait() })
		waitFor(t, "sleep to sleep", func() bool {
			return strings.Contains(readStatus(t, sleeper.Process.Pid, sleeper.Process.Pid), "State:\tS")
		})
		out := filepath.Join(t.TempDir(), "trace")
		tr := exec.Command(tracer, "-o", out, "-p", strconv.Itoa(sleeper.Process.Pid))
		if err := tr.Start(); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the attach", func() bool {
			b, _ := os.ReadFile(out)
			return len(b) > 0
		})
		_ = tr.Process.Signal(syscall.SIGINT)
		_ = tr.Wait()
		b, _ := os.ReadFile(out)
		trace := string(b)
		if !strings.HasPrefix(trace, "restart_syscall(<... resuming interrupted ") || !strings.HasSuffix(trace, "...> <detached ...>\n") {
			t.Errorf("%s: trace %q, want restart_syscall(...) ending \" <detached ...>\"", filepath.Base(tracer), trace)
		}
		if status := readStatus(t, sleeper.Process.Pid, sleeper.Process.Pid); !strings.Contains(status, "TracerPid:\t0\n") {
			t.Errorf("%s: sleep is still traced after the detach", filepath.Base(tracer))
		}
	}
}
