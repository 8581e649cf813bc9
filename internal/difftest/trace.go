package difftest

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Run is the outcome of tracing a program.
type Run struct {
	Trace          string // the trace file's text
	Stdout, Stderr []byte // the tool's (and so the program's) streams
	Code           int    // exit status; 128+N when killed by signal N
}

// Trace runs tool (strace or gtrace) with flags, "-f -o FILE", then
// argv; the trace is read from FILE.
func Trace(t testing.TB, tool string, flags []string, argv ...string) Run {
	t.Helper()
	return TraceIn(t, "", tool, flags, argv...)
}

// TraceIn is Trace with the program started in directory dir.
func TraceIn(t testing.TB, dir, tool string, flags []string, argv ...string) Run {
	t.Helper()
	return TraceWithin(t, DefaultLimit, dir, tool, flags, argv...)
}

// DefaultLimit is how long Trace and TraceIn let a run take.
const DefaultLimit = 2 * time.Minute

// TraceWithin is TraceIn for a run that must end within limit: a tool
// still running then is killed and the test fails with the end of the
// trace so far, rather than hanging.
func TraceWithin(t testing.TB, limit time.Duration, dir, tool string, flags []string, argv ...string) Run {
	t.Helper()
	out := filepath.Join(t.TempDir(), "trace")
	args := append(append([]string{}, flags...), "-f", "-o", out, "--")
	args = append(args, argv...)
	cmd := exec.Command(tool, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// Descendants left running with the output pipes make Wait fail
	// (ErrWaitDelay) instead of waiting for them.
	cmd.WaitDelay = min(10*time.Second, limit/4)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(limit):
		_ = cmd.Process.Kill()
		<-done
		b, _ := os.ReadFile(out)
		t.Fatalf("%s %v did not end within %v; trace so far:\n%s", filepath.Base(tool), argv, limit, Tail(b, 40))
	}
	r := Run{Stdout: stdout.Bytes(), Stderr: stderr.Bytes()}
	r.Code = ExitCode(t, err)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("%s wrote no trace: %v\nstderr: %s", tool, err, stderr.Bytes())
	}
	r.Trace = string(b)
	return r
}

// Tail returns the last n lines of b.
func Tail(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// ExitCode turns the error of exec.Cmd.Run into an exit status as a
// shell reports it: 128+N when signal N killed the process.
func ExitCode(t testing.TB, err error) int {
	t.Helper()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ee.ExitCode()
	}
	t.Fatalf("run: %v", err)
	return -1
}

// Parsed is a trace split by process, with pids renamed by their place
// in the process tree ("p" for the first, "p.1" for its first child, ...)
// and each line normalised.
type Parsed struct {
	Procs map[string][]string
}

var (
	linePrefix = regexp.MustCompile(`^(\d+)\s+(.*)$`)
	resumed    = regexp.MustCompile(`^<\.\.\. ([a-z0-9_]+) resumed>(.*)$`)
	spawnCall  = regexp.MustCompile(`^(clone|clone3|fork|vfork)\(.*\)\s+= (\d+)$`)
)

// Parse reads a trace written with -f -o FILE: every line starts with the
// task's pid. Unfinished calls are joined with their resumption, so each
// call is one line, in the order its task made it.
func Parse(text string) *Parsed {
	type rawLine struct {
		pid  int
		text string
	}
	var lines []rawLine
	pending := map[int]string{}
	var order []int
	seen := map[int]bool{}
	for _, l := range strings.Split(text, "\n") {
		m := linePrefix.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		pid, _ := strconv.Atoi(m[1])
		body := m[2]
		if !seen[pid] {
			seen[pid] = true
			order = append(order, pid)
		}
		if head, ok := strings.CutSuffix(body, " <unfinished ...>"); ok {
			pending[pid] = head
			continue
		}
		if r := resumed.FindStringSubmatch(body); r != nil {
			if head, ok := pending[pid]; ok {
				body = head + r[2]
				delete(pending, pid)
			}
		}
		lines = append(lines, rawLine{pid, body})
	}
	for pid, head := range pending {
		lines = append(lines, rawLine{pid, head + " <unfinished ...>"})
	}
	// Name pids by the tree: the first pid is "p"; a child is named after
	// its parent and the order in which the parent created it.
	names := map[int]string{}
	children := map[int]int{}
	if len(order) > 0 {
		names[order[0]] = "p"
	}
	// A parent's fork can be resumed (and so placed) after its child's
	// own forks: passes repeat until every named task's children are.
	for named := true; named; {
		named = false
		for _, l := range lines {
			if m := spawnCall.FindStringSubmatch(l.text); m != nil {
				child, _ := strconv.Atoi(m[2])
				if parent, ok := names[l.pid]; ok && names[child] == "" {
					children[l.pid]++
					names[child] = parent + "." + strconv.Itoa(children[l.pid])
					named = true
				}
			}
		}
	}
	for _, pid := range order {
		if names[pid] == "" {
			names[pid] = "?" + strconv.Itoa(pid)
		}
	}
	p := &Parsed{Procs: map[string][]string{}}
	for _, l := range lines {
		name := names[l.pid]
		p.Procs[name] = append(p.Procs[name], Normalize(l.text, names))
	}
	return p
}

var (
	hexAddr   = regexp.MustCompile(`0x[0-9a-f]{5,}`)
	alignment = regexp.MustCompile(`\)\s+= `)
	varying   = []*regexp.Regexp{
		regexp.MustCompile(`(tv_n?sec|si_[us]time|st_[amc]time(_nsec)?)=\d+`),
		regexp.MustCompile(`/\* \d{4}-\d\d-\d\dT[^*]*\*/`),
		regexp.MustCompile(`/\* \d+ vars? \*/`),
	}
	getrandom = regexp.MustCompile(`^getrandom\("[^"]*"`)
	// getppid of the traced program returns the tracer's own pid.
	getppid = regexp.MustCompile(`^getppid\(\) = \d+$`)
	number  = regexp.MustCompile(`\b\d{2,}\b`)
)

// Normalise masks what legitimately differs between two runs of the same
// program: addresses, times, random bytes, and pids (renamed by names).
func Normalize(line string, names map[int]string) string {
	line = alignment.ReplaceAllString(line, ") = ")
	line = hexAddr.ReplaceAllString(line, "0xADDR")
	for _, re := range varying {
		line = re.ReplaceAllStringFunc(line, func(s string) string {
			if i := strings.IndexByte(s, '='); i >= 0 {
				return s[:i+1] + "N"
			}
			return "/* ... */"
		})
	}
	line = getrandom.ReplaceAllString(line, `getrandom("RANDOM"`)
	line = number.ReplaceAllStringFunc(line, func(s string) string {
		if n, err := strconv.Atoi(s); err == nil {
			if name, ok := names[n]; ok {
				return name
			}
		}
		return s
	})
	return getppid.ReplaceAllString(line, "getppid() = PPID")
}

// Sequences returns each process's lines, joined, in sorted order: the
// traces as a multiset of per-process stories, for traces that do not
// show how their processes were created (-e trace=getpid) and so cannot
// name them by the tree.
func (p *Parsed) Sequences() []string {
	out := make([]string, 0, len(p.Procs))
	for _, lines := range p.Procs {
		out = append(out, strings.Join(lines, "\n"))
	}
	sort.Strings(out)
	return out
}

// Names returns the syscall sequence of normalised lines: each call's
// name, and the exit line; signals are left out (when one arrives depends
// on timing, not on the tracer).
func Names(lines []string) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		switch j := strings.IndexByte(l, '('); {
		case strings.HasPrefix(l, "---"):
		case strings.HasPrefix(l, "+++"):
			out = append(out, l)
		case j > 0:
			out = append(out, l[:j])
		default:
			out = append(out, l)
		}
	}
	return out
}

// Score compares two sequences: the length of their longest common
// subsequence against the length of want.
type Score struct{ Matched, Total int }

// Ratio is Matched/Total, 1 for two empty sequences.
func (s Score) Ratio() float64 {
	if s.Total == 0 {
		return 1
	}
	return float64(s.Matched) / float64(s.Total)
}

func (s *Score) add(o Score) { s.Matched += o.Matched; s.Total += o.Total }

// LCS scores got against want.
func LCS(want, got []string) Score {
	prev := make([]int, len(got)+1)
	cur := make([]int, len(got)+1)
	for i := 1; i <= len(want); i++ {
		for j := 1; j <= len(got); j++ {
			switch {
			case want[i-1] == got[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return Score{Matched: prev[len(got)], Total: len(want)}
}

// Comparison scores a gtrace trace against strace's, process by process.
type Comparison struct {
	Lines Score // whole normalised lines
	Calls Score // syscall names only
	// Worst is the lowest per-process name ratio and its process.
	Worst     float64
	WorstProc string
}

// Compare scores got against want.
func Compare(want, got *Parsed) Comparison {
	c := Comparison{Worst: 1}
	procs := make([]string, 0, len(want.Procs))
	for name := range want.Procs {
		procs = append(procs, name)
	}
	sort.Strings(procs)
	for _, name := range procs {
		w, g := want.Procs[name], got.Procs[name]
		c.Lines.add(LCS(w, g))
		calls := LCS(Names(w), Names(g))
		c.Calls.add(calls)
		if r := calls.Ratio(); r < c.Worst {
			c.Worst, c.WorstProc = r, name
		}
	}
	return c
}

// Diff lists, for one process, the lines of want missing from got and
// the lines of got not in want (at most max of each), for test logs.
func Diff(want, got []string, max int) (missing, extra []string) {
	inGot := map[string]int{}
	for _, l := range got {
		inGot[l]++
	}
	inWant := map[string]int{}
	for _, l := range want {
		inWant[l]++
	}
	for _, l := range want {
		if inGot[l] > 0 {
			inGot[l]--
		} else if len(missing) < max {
			missing = append(missing, l)
		}
	}
	for _, l := range got {
		if inWant[l] > 0 {
			inWant[l]--
		} else if len(extra) < max {
			extra = append(extra, l)
		}
	}
	return missing, extra
}
