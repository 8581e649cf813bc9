package cmd

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gtrace/gtrace/internal/difftest"
	"github.com/gtrace/gtrace/internal/testtracee"
)

// The test binary is gtrace itself when asked: tests run it as a
// command, as a user would, to compare it with strace.
const runMainEnv = "GTRACE_TEST_RUN_MAIN"

// result is what a tracer run left: the trace, what the program printed
// and the exit code.
type result struct {
	trace, stdout, stderr string
	code                  int
}

// runTool runs a tracer with args in dir. The trace goes to a file of
// its own (-o), so that it cannot interleave with the program's output.
func runTool(t *testing.T, dir, tool string, args []string) result {
	t.Helper()
	traceFile := filepath.Join(t.TempDir(), "trace")
	var stdout, stderr bytes.Buffer
	c := exec.Command(tool, append([]string{"-o", traceFile}, args...)...)
	c.Dir = dir
	c.Stdout, c.Stderr = &stdout, &stderr
	if filepath.Base(tool) != "strace" {
		c.Env = append(os.Environ(), runMainEnv+"=1")
	}
	err := c.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("%s: %v", tool, err)
	}
	trace, _ := os.ReadFile(traceFile)
	return result{trace: string(trace), stdout: stdout.String(), stderr: stderr.String(), code: c.ProcessState.ExitCode()}
}

// normalise removes what differs between two runs of a program:
// addresses, pids (any number of 3 digits or more: the tests' programs
// print no other), and the tracer's name in its own messages.
func normalise(s string) string {
	s = regexp.MustCompile(`0x[0-9a-f]{6,}`).ReplaceAllString(s, "0xADDR")
	s = regexp.MustCompile(`\[pid +\d+\]`).ReplaceAllString(s, "[pid PID]")
	s = regexp.MustCompile(`(?m)^\d+ +`).ReplaceAllString(s, "PID ")
	s = regexp.MustCompile(`\b[1-9]\d{2,}\b`).ReplaceAllString(s, "N")
	s = regexp.MustCompile(`(?m)^(\S*/)?(strace|gtrace): `).ReplaceAllString(s, "TRACER: ")
	return s
}

// tracers returns strace, or skips the test, and gtrace (this binary).
func tracers(t *testing.T) (strace, gtrace string) {
	t.Helper()
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace not installed: no oracle to compare with")
	}
	gtrace, err = os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return strace, gtrace
}

func TestInjectMatchesStrace(t *testing.T) {
	strace, self := tracers(t)
	dir := t.TempDir()
	keep := filepath.Join(dir, "keep")
	progs := map[string]string{}
	for _, name := range []string{"getpid", "writes", "unlink", "fork", "pureguard"} {
		progs[name] = testtracee.Build(t, name)
	}
	for _, tc := range []struct {
		name string
		args []string
		// signalled: strace kills itself with the program's signal,
		// gtrace exits 128+N: exit codes are not compared.
		signalled bool
	}{
		{"acceptance", []string{"-e", "trace=openat", "-e", "inject=openat:error=ENOENT:when=3+", "--", "cat", "/etc/hostname"}, false},
		{"retval", []string{"-e", "trace=getpid", "-e", "inject=getpid:retval=42", progs["getpid"], "3"}, false},
		{"when range", []string{"-e", "trace=getpid", "-e", "inject=getpid:retval=7:when=2..6+2", progs["getpid"], "8"}, false},
		{"fault default", []string{"-e", "trace=write", "-e", "fault=write:when=2", progs["writes"]}, false},
		{"last rule wins", []string{"-e", "trace=getpid", "-e", "inject=getpid:retval=1", "-e", "inject=getpid:error=EPERM", progs["getpid"]}, false},
		{"skip unlink", []string{"-e", "trace=unlink", "-e", "inject=unlink:retval=0", progs["unlink"], keep}, false},
		{"poke enter", []string{"-e", "trace=write", "-e", "inject=write:poke_enter=@arg2=4a4b", progs["writes"]}, false},
		{"poke exit", []string{"-e", "trace=write", "-e", "inject=write:poke_exit=@arg2=4a:retval=6:when=1", progs["writes"]}, false},
		{"delays", []string{"-e", "trace=write", "-e", "inject=write:delay_enter=100:delay_exit=1ms", progs["writes"]}, false},
		{"untraced is untouched", []string{"-e", "trace=write", "-e", "inject=getpid:retval=42", progs["getpid"]}, false},
		{"per thread counts", []string{"-f", "-e", "trace=getpid", "-e", "inject=getpid:retval=42:when=1", progs["fork"]}, false},
		{"signal", []string{"-e", "trace=getpid", "-e", "inject=getpid:signal=SIGUSR1", progs["getpid"]}, true},
		// The program's own seccomp filter kills it at gettid: it sees
		// gettid run in chdir's place, and -1 run in none.
		{"skip via nothing", []string{"-e", "trace=chdir", "-e", "inject=chdir:retval=7", progs["pureguard"]}, false},
		{"skip via gettid", []string{"-e", "trace=chdir", "-e", "inject=chdir:syscall=gettid:retval=7", progs["pureguard"]}, true},
		{"fault via gettid", []string{"-e", "trace=chdir", "-e", "fault=chdir:syscall=gettid", progs["pureguard"]}, true},
		{"syscall= without a skip", []string{"-e", "trace=chdir", "-e", "inject=chdir:syscall=gettid:delay_exit=1", progs["pureguard"]}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(keep, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			want := runTool(t, dir, strace, tc.args)
			if err := os.WriteFile(keep, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			got := runTool(t, dir, self, tc.args)
			if slices.Contains(tc.args, "-f") {
				// Processes' lines interleave differently from run to
				// run: compare each process's own.
				if g, w := difftest.Parse(got.trace).Sequences(), difftest.Parse(want.trace).Sequences(); !slices.Equal(g, w) {
					t.Errorf("traces differ from strace's, process by process\ngtrace: %q\nstrace: %q", g, w)
				}
			} else if normalise(got.trace) != normalise(want.trace) {
				t.Errorf("trace differs from strace's\ngtrace:\n%s\nstrace:\n%s", got.trace, want.trace)
			}
			if normalise(got.stdout) != normalise(want.stdout) || normalise(got.stderr) != normalise(want.stderr) {
				t.Errorf("program printed %q %q under gtrace, %q %q under strace", got.stdout, got.stderr, want.stdout, want.stderr)
			}
			if !tc.signalled && got.code != want.code {
				t.Errorf("exit code %d, strace's %d", got.code, want.code)
			}
		})
	}
}

func TestInjectAcceptance(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("cat"); err != nil {
		t.Skip("no cat")
	}
	r := runTool(t, t.TempDir(), self, []string{"-e", "trace=openat", "-e", "inject=openat:error=ENOENT:when=3+", "--", "cat", "/etc/hostname"})
	if r.stderr != "cat: /etc/hostname: No such file or directory\n" || r.code != 1 {
		t.Errorf("cat did not fail as injected (exit %d): %q", r.code, r.stderr)
	}
	if !strings.Contains(r.trace, `openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = -1 ENOENT (No such file or directory) (INJECTED)`) {
		t.Errorf("the trace does not show the injected openat:\n%s", r.trace)
	}
	prog := testtracee.Build(t, "getpid")
	r = runTool(t, t.TempDir(), self, []string{"-e", "inject=getpid:retval=42", prog})
	if r.stdout != "42\n" {
		t.Errorf("program printed %q, want 42", r.stdout)
	}
}

func TestInjectErrorsMatchStrace(t *testing.T) {
	strace, self := tracers(t)
	dir := t.TempDir()
	for _, expr := range []string{
		"inject=write", "inject=write:", "inject=write:foo=1", "inject=write:error=EFOO",
		"inject=write:retval=1:error=EIO", "inject=write:error=EIO:when=3..2",
		"inject=write:error=EIO:when=1..", "inject=nosuch:error=EIO", "fault=write:retval=1",
		"inject=write:signal=FOO", "inject=write:poke_enter=@arg8=00", "inject=write:delay_exit=x",
		"inject=%nosuch:error=EIO", "inject=write:syscall=getpid", "inject=write:syscall=chdir:error=EIO",
		"inject=write:syscall=getpid@32:error=EIO", "inject=write:syscall=getpid:syscall=gettid:retval=1",
	} {
		want := runTool(t, dir, strace, []string{"-e", expr, "true"})
		got := runTool(t, dir, self, []string{"-e", expr, "true"})
		wantLine, _, _ := strings.Cut(normalise(want.stderr), "\n")
		gotLine, _, _ := strings.Cut(normalise(got.stderr), "\n")
		if gotLine != wantLine || got.code != 2 {
			t.Errorf("-e %s: gtrace said %q (exit %d), strace %q", expr, gotLine, got.code, wantLine)
		}
	}
}
