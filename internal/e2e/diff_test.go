// Package e2e tests the gtrace command on real programs through the real
// kernel, against strace where it is installed.
package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/gtrace/gtrace/internal/difftest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	difftest.Cleanup()
	os.Exit(code)
}

// differential is one program traced by strace and gtrace.
type differential struct {
	name string
	argv func(t *testing.T) []string
	// minLines is the least fraction of strace's normalised lines that
	// gtrace must reproduce exactly.
	minLines float64
}

func fixed(argv ...string) func(*testing.T) []string {
	return func(*testing.T) []string { return argv }
}

func tracee(name string) func(*testing.T) []string {
	return func(t *testing.T) []string { return []string{difftest.Tracee(t, name)} }
}

// minCalls is the least fraction of strace's syscall sequence, per
// process, that gtrace must reproduce (the acceptance is 97%).
const minCalls = 0.97

var differentials = []differential{
	{"ls", fixed("ls", "-l", "/usr"), 0.90},
	{"cat", fixed("cat", "/etc/passwd"), 0.98},
	{"cat-missing", fixed("cat", "/nonexistent/file"), 0.98},
	{"sh-pipeline", fixed("sh", "-c", "echo hi | cat | wc -c"), 0.90},
	{"threads", tracee("threads"), 0.95},
	{"forks", tracee("forks"), 0.95},
}

// realPrograms are programs nobody here wrote, each in a fresh directory
// prepared by setup.
var realPrograms = []struct {
	name  string
	setup string // shell commands run in the directory first
	argv  []string
}{
	{"coreutils", "printf 'b\\na\\n' > f", []string{"sh", "-c", "sort f | uniq -c; ls -l; wc -l f; cp f g; rm g; mkdir d; rmdir d"}},
	{"git", "git init -q . && echo x > f && touch -d 2020-01-01 f && git add f", []string{"git", "status", "--short"}},
	{"gcc", "printf 'int main(void){return 0;}\\n' > h.c", []string{"gcc", "-o", "h", "h.c"}},
	{"python", "", []string{"python3", "-S", "-c", "import os; print(sorted(os.listdir('.')))"}},
	{"sqlite", "", []string{"sqlite3", "db", "create table t(x); insert into t values (1),(2); select sum(x) from t;"}},
}

// TestRealPrograms is the acceptance test: on real programs gtrace -f
// reproduces at least 97% of strace's syscall sequence, with the same exit
// status and output.
func TestRealPrograms(t *testing.T) {
	strace := difftest.Strace(t)
	gtrace := difftest.Gtrace(t)
	for _, p := range realPrograms {
		t.Run(p.name, func(t *testing.T) {
			if _, err := exec.LookPath(p.argv[0]); err != nil {
				t.Fatalf("%s is not installed (.ci/run installs it)", p.argv[0])
			}
			argv := resolveShim(t, p.argv)
			traces := map[string]difftest.Run{}
			for _, tool := range []string{strace, gtrace} {
				dir := t.TempDir()
				if p.setup != "" {
					setup := exec.Command("sh", "-c", p.setup)
					setup.Dir = dir
					if out, err := setup.CombinedOutput(); err != nil {
						t.Fatalf("setup: %v\n%s", err, out)
					}
				}
				run := difftest.TraceIn(t, dir, tool, nil, argv...)
				// Each tracer ran in a directory of its own.
				run.Trace = strings.ReplaceAll(run.Trace, dir, "DIR")
				traces[tool] = run
			}
			want, got := traces[strace], traces[gtrace]
			if want.Code != got.Code {
				t.Errorf("exit status: strace %d, gtrace %d", want.Code, got.Code)
			}
			if string(want.Stdout) != string(got.Stdout) {
				t.Errorf("program output differs:\nstrace: %q\ngtrace: %q", want.Stdout, got.Stdout)
			}
			c := difftest.Compare(difftest.Parse(want.Trace), difftest.Parse(got.Trace))
			t.Logf("calls %d/%d = %.1f%% (worst process %s %.1f%%), lines %d/%d = %.1f%%",
				c.Calls.Matched, c.Calls.Total, 100*c.Calls.Ratio(), c.WorstProc, 100*c.Worst,
				c.Lines.Matched, c.Lines.Total, 100*c.Lines.Ratio())
			if c.Calls.Ratio() < minCalls {
				t.Errorf("gtrace reproduces %.1f%% of strace's syscall sequence, want %.0f%%", 100*c.Calls.Ratio(), 100*minCalls)
			}
			if c.Worst < 0.9 {
				t.Errorf("process %s: only %.1f%% of its syscalls", c.WorstProc, 100*c.Worst)
			}
		})
	}
}

// resolveShim replaces a python3 that is a version manager's shell-script
// shim (pyenv) with the interpreter it runs: the shim's dozens of shell
// processes race each other differently from run to run, which says
// nothing about the tracer.
func resolveShim(t *testing.T, argv []string) []string {
	t.Helper()
	if argv[0] != "python3" {
		return argv
	}
	out, err := exec.Command("python3", "-c", "import sys; print(sys.executable)").Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	return append([]string{strings.TrimSpace(string(out))}, argv[1:]...)
}

// TestDifferential runs real programs under strace -f and gtrace -f and
// compares the traces process by process.
func TestDifferential(t *testing.T) {
	strace := difftest.Strace(t)
	gtrace := difftest.Gtrace(t)
	for _, d := range differentials {
		t.Run(d.name, func(t *testing.T) {
			argv := d.argv(t)
			want := difftest.Trace(t, strace, nil, argv...)
			got := difftest.Trace(t, gtrace, nil, argv...)
			if want.Code != got.Code {
				t.Errorf("exit status: strace %d, gtrace %d", want.Code, got.Code)
			}
			if string(want.Stdout) != string(got.Stdout) {
				t.Errorf("program output differs:\nstrace: %q\ngtrace: %q", want.Stdout, got.Stdout)
			}
			pw, pg := difftest.Parse(want.Trace), difftest.Parse(got.Trace)
			c := difftest.Compare(pw, pg)
			t.Logf("calls %d/%d (worst process %s %.3f), lines %d/%d",
				c.Calls.Matched, c.Calls.Total, c.WorstProc, c.Worst, c.Lines.Matched, c.Lines.Total)
			if c.Worst < minCalls {
				t.Errorf("process %s: gtrace reproduces %.1f%% of strace's syscalls, want %.0f%%",
					c.WorstProc, 100*c.Worst, 100*minCalls)
			}
			if r := c.Lines.Ratio(); r < d.minLines {
				t.Errorf("gtrace reproduces %.1f%% of strace's lines exactly, want %.0f%%", 100*r, 100*d.minLines)
			}
			if t.Failed() || testing.Verbose() {
				for name, lines := range pw.Procs {
					missing, extra := difftest.Diff(lines, pg.Procs[name], 8)
					if len(missing)+len(extra) > 0 {
						t.Logf("process %s\n  strace only:\n    %s\n  gtrace only:\n    %s", name,
							strings.Join(missing, "\n    "), strings.Join(extra, "\n    "))
					}
				}
			}
		})
	}
}
