package e2e

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gtrace/gtrace/internal/difftest"
)

// TestSeparateFiles: -ff -o FILE writes FILE.PID for every task.
func TestSeparateFiles(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	prog := difftest.Tracee(t, "forks")
	for _, flags := range [][]string{{"-ff"}, {"--ff"}} {
		t.Run(flags[0], func(t *testing.T) {
			dir := t.TempDir()
			base := filepath.Join(dir, "trace")
			cmd := exec.Command(gtrace, append(flags, "-o", base, prog)...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			files, _ := filepath.Glob(base + ".*")
			// forks starts 5 processes besides itself.
			if len(files) != 6 {
				t.Fatalf("got %d trace files, want 6: %v", len(files), files)
			}
			for _, f := range files {
				b, _ := os.ReadFile(f)
				lines := strings.Split(strings.TrimSpace(string(b)), "\n")
				if !strings.HasPrefix(lines[len(lines)-1], "+++ exited with ") {
					t.Errorf("%s does not end with the task's exit:\n%s", f, b)
				}
				if bytes.Contains(b, []byte("[pid ")) {
					t.Errorf("%s has pid prefixes:\n%s", f, b)
				}
			}
		})
	}
	cmd := exec.Command(gtrace, "-ff", "true")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if code := difftest.ExitCode(t, cmd.Run()); code != 2 || !strings.Contains(stderr.String(), "-ff needs -o FILE") {
		t.Errorf("-ff without -o: exit %d, stderr %q", code, stderr.String())
	}
}

// TestOutputDestinations: stderr by default, -o - is stdout, -o FILE.
func TestOutputDestinations(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	run := func(args ...string) (stdout, stderr string) {
		cmd := exec.Command(gtrace, args...)
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, e.String())
		}
		return o.String(), e.String()
	}
	const line = `execve("/usr/bin/true", ["true"]`
	if o, e := run("true"); !strings.Contains(e, line) || o != "" {
		t.Errorf("default: stdout %q, stderr %q", o, e)
	}
	if o, e := run("-o", "-", "true"); !strings.Contains(o, line) || e != "" {
		t.Errorf("-o -: stdout %q, stderr %q", o, e)
	}
	file := filepath.Join(t.TempDir(), "out")
	if o, e := run("-o", file, "true"); o != "" || e != "" {
		t.Errorf("-o FILE: stdout %q, stderr %q", o, e)
	}
	if b, _ := os.ReadFile(file); !strings.Contains(string(b), line) {
		t.Errorf("-o FILE wrote %q", b)
	}
	cmd := exec.Command(gtrace, "-o", "/nonexistent/dir/out", "true")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if code := difftest.ExitCode(t, cmd.Run()); code != 1 || !regexp.MustCompile(`^gtrace: cannot open output: .*no such file or directory\n$`).MatchString(stderr.String()) {
		t.Errorf("bad -o: exit %d, stderr %q", code, stderr.String())
	}
}

// TestQuiet: -q hides attach messages, -qq the exit lines too.
func TestQuiet(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	prog := difftest.Tracee(t, "forks")
	for _, tt := range []struct {
		flag              string
		attached, exitted bool
	}{{"", true, true}, {"-q", false, true}, {"-qq", false, false}} {
		args := []string{"-f", prog}
		if tt.flag != "" {
			args = append([]string{tt.flag}, args...)
		}
		cmd := exec.Command(gtrace, args...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v", tt.flag, err)
		}
		if got := bytes.Contains(out, []byte("gtrace: Process ")); got != tt.attached {
			t.Errorf("%q: attach messages shown = %v, want %v", tt.flag, got, tt.attached)
		}
		if got := bytes.Contains(out, []byte("+++ exited with")); got != tt.exitted {
			t.Errorf("%q: exit lines shown = %v, want %v", tt.flag, got, tt.exitted)
		}
	}
}

// TestPipeIsTimely: a line reaches a pipe while the traced program is
// still running, as with `gtrace ... 2>&1 | grep open`.
func TestPipeIsTimely(t *testing.T) {
	lineReachesPipe(t, "while the program waited for input", "-f", "sh", "-c", "cat /etc/hostname >/dev/null; read x")
}

// TestPipeIsTimelyWhileBusy: a program that never lets gtrace idle (five
// threads stopping it without end, none of their calls printed) still
// gets its lines out as they happen, not when a buffer fills.
func TestPipeIsTimelyWhileBusy(t *testing.T) {
	busy := difftest.Tracee(t, "busy")
	lineReachesPipe(t, "while the program kept gtrace busy", "--seccomp=false", "-e", "trace=openat", "-f", busy)
}

// lineReachesPipe runs gtrace with args, its trace to a pipe, and fails
// unless the openat of /etc/hostname comes through while the program
// still runs.
func lineReachesPipe(t *testing.T, while string, args ...string) {
	gtrace := difftest.Gtrace(t)
	cmd := exec.Command(gtrace, args...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	defer func() { _ = stdin.Close(); _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	found := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), `openat(AT_FDCWD, "/etc/hostname"`) {
				found <- true
				_, _ = io.Copy(io.Discard, stderr)
				return
			}
		}
		found <- false
	}()
	select {
	case ok := <-found:
		if !ok {
			t.Fatal("the openat line never came")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the openat line did not reach the pipe " + while)
	}
}

// TestSignalsDetachSpawned: SIGTERM or SIGHUP to gtrace detaches; the
// program it started is left to finish, and gtrace exits with its status.
func TestSignalsDetachSpawned(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			marker := filepath.Join(t.TempDir(), "started")
			cmd := exec.Command(gtrace, "-o", "/dev/null", "sh", "-c",
				"trap '' INT; touch "+marker+"; sleep 0.3; echo finished; exit 3")
			var stdout bytes.Buffer
			cmd.Stdout = &stdout
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = cmd.Process.Kill() })
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
				if _, err := os.Stat(marker); err == nil {
					break
				}
				if time.Now().After(deadline) {
					_ = cmd.Process.Kill()
					t.Fatal("program never started")
				}
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			code := difftest.ExitCode(t, cmd.Wait())
			if code != 3 || stdout.String() != "finished\n" {
				t.Errorf("exit %d (want 3), output %q (want %q)", code, stdout.String(), "finished\n")
			}
		})
	}
}

// TestAttachSeveral: -p takes repeated flags and comma lists; a process
// named twice is traced once, as strace does.
func TestAttachSeveral(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	var pids []string
	for range 3 {
		c := exec.Command("sleep", "30")
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Process.Kill() })
		defer func() { _ = c.Process.Kill(); _ = c.Wait() }()
		pids = append(pids, strconv.Itoa(c.Process.Pid))
	}
	cmd := exec.Command(gtrace, "-p", pids[0]+","+pids[1]+","+pids[0], "-p", pids[2], "-p", pids[1])
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	for deadline := time.Now().Add(10 * time.Second); strings.Count(stderr.String(), "attached") < 3; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("not all attached:\n%s", stderr.String())
		}
	}
	_ = cmd.Process.Signal(syscall.SIGINT)
	if code := difftest.ExitCode(t, cmd.Wait()); code != 130 {
		t.Errorf("exit %d after SIGINT, want 130:\n%s", code, stderr.String())
	}
	for _, pid := range pids {
		if strings.Count(stderr.String(), "Process "+pid+" attached") != 1 || strings.Count(stderr.String(), "Process "+pid+" detached") != 1 {
			t.Errorf("want one attach and one detach message for %s:\n%s", pid, stderr.String())
		}
	}
}

// TestSignalEndsAttachedTrace: SIGINT, SIGTERM, SIGHUP or SIGQUIT makes
// gtrace -p detach, then die of that signal, as strace does (a shell
// then sees the trace interrupted); SIGQUIT dumps no goroutines. The
// process runs on untraced.
func TestSignalEndsAttachedTrace(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT} {
		target := exec.Command("sleep", "30")
		if err := target.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = target.Process.Kill(); _ = target.Wait() }()
		pid := target.Process.Pid
		tr := exec.Command(gtrace, "-p", strconv.Itoa(pid), "-o", os.DevNull)
		var stderr lockedBuffer
		tr.Stderr = &stderr
		if err := tr.Start(); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Second); !strings.Contains(stderr.String(), "attached"); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				_ = tr.Process.Kill()
				t.Fatalf("%v: not attached after 10s:\n%s", sig, stderr.String())
			}
		}
		_ = tr.Process.Signal(sig)
		err := tr.Wait()
		ws, _ := tr.ProcessState.Sys().(syscall.WaitStatus)
		if !ws.Signaled() || ws.Signal() != sig {
			t.Errorf("%v: gtrace ended with %v, want killed by %v", sig, err, sig)
		}
		if strings.Contains(stderr.String(), "goroutine") || !strings.Contains(stderr.String(), "detached") {
			t.Errorf("%v: gtrace printed\n%s", sig, stderr.String())
		}
		if status := readStatus(t, pid, pid); !strings.Contains(status, "TracerPid:\t0\n") {
			t.Errorf("%v: sleep still traced:\n%s", sig, status)
		}
	}
}

// lockedBuffer is a bytes.Buffer a test may read while a command writes
// to it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
