package tracer_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gtrace/gtrace/internal/testprog"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/format"
	"github.com/gtrace/gtrace/pkg/tracer"
	"github.com/gtrace/gtrace/pkg/tracer/ebpf"
)

// minFidelity is the share of strace's per-process syscall sequence a
// trace must reproduce (the eBPF engine's acceptance figure).
const minFidelity = 0.97

// TestEnginesDifferential traces real programs with each engine and with
// strace -f, and compares each process's sequence of syscalls.
func TestEnginesDifferential(t *testing.T) {
	stracePath, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace is not installed: no oracle to compare with")
	}
	programs := []struct {
		name string
		argv []string
		src  string // a tracee in testdata to compile first
		// signals: the signals each process is shown must be strace's.
		signals bool
	}{
		{name: "ls", argv: []string{"sh", "-c", "exec ls -l / >/dev/null"}},
		{name: "cat", argv: []string{"sh", "-c", "exec cat /etc/hostname /etc/passwd >/dev/null"}},
		{name: "pipeline", argv: []string{"sh", "-c", "ls / | cat | wc -l >/dev/null; echo done >/dev/null"}},
		{name: "threads", src: "threads.c"},
		{name: "forkexec", src: "forkexec.c", argv: []string{"5"}},
		{name: "signals", src: "signals.c", signals: true},
		{name: "int80", src: "int80.c"},
		{name: "threadexec", src: "threadexec.c"},
	}
	for _, eng := range []tracer.Engine{tracer.EnginePtrace, tracer.EngineEBPF} {
		t.Run(eng.String(), func(t *testing.T) {
			if eng == tracer.EngineEBPF {
				requireEBPF(t)
			}
			for _, p := range programs {
				t.Run(p.name, func(t *testing.T) {
					argv := p.argv
					if p.src != "" {
						// Through sh, for the output to go to a file.
						cmd := append([]string{"exec", testprog.Build(t, filepath.Join("testdata", p.src))}, p.argv...)
						argv = []string{"sh", "-c", strings.Join(cmd, " ") + " >" + filepath.Join(t.TempDir(), "out")}
					}
					want := straceTrace(t, stracePath, argv)
					got := libraryTrace(t, eng, argv)
					score, detail := fidelity(parseTrace(want, callLine, callName), parseTrace(got, callLine, callName))
					lines, _ := fidelity(parseTrace(want, callLine, callText), parseTrace(got, callLine, callText))
					t.Logf("%s on %s: %.1f%% of strace's syscall sequence (%s); %.1f%% of its lines, arguments and results included",
						eng, p.name, 100*score, detail, 100*lines)
					if score < minFidelity {
						t.Errorf("fidelity %.1f%% < %.0f%%\nstrace:\n%s\ngtrace:\n%s", 100*score, 100*minFidelity, want, got)
					}
					if w, g := fmt.Sprint(parseTrace(want, signalLine, signalName)), fmt.Sprint(parseTrace(got, signalLine, signalName)); p.signals && w != g {
						t.Errorf("signals shown per process: %s, strace shows %s", g, w)
					}
				})
			}
		})
	}
}

// requireEBPF skips a test of the eBPF engine where it cannot load.
func requireEBPF(t *testing.T) {
	t.Helper()
	if err := ebpf.CheckPrivileges(); err != nil {
		t.Skipf("the eBPF engine cannot run here: %v", err)
	}
}

// straceTrace runs argv under strace -f and returns its trace.
func straceTrace(t *testing.T, strace string, argv []string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "strace.out")
	cmd := exec.Command(strace, append([]string{"-f", "-o", out, "--"}, argv...)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("strace: %v\n%s", err, b)
		}
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// libraryTrace traces argv with engine through the library and returns
// the trace in strace -f -o's format.
func libraryTrace(t *testing.T, eng tracer.Engine, argv []string) string {
	t.Helper()
	tr, err := tracer.Start(context.Background(), tracer.Command(argv[0], argv[1:]...), tracer.Options{Follow: true, Engine: eng})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	if tr.Engine() != eng {
		t.Fatalf("asked for the %s engine, got %s", eng, tr.Engine())
	}
	var buf bytes.Buffer
	fm := format.NewStrace(&buf, format.StraceOptions{Prefix: format.PrefixAlways})
	err = tr.Run(tracer.Hooks{OnEvent: func(ev *event.Event) tracer.Action {
		_ = fm.Write(ev)
		return tracer.Continue
	}})
	_ = fm.End()
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if n := tr.Lost(); n != 0 {
		t.Errorf("%d events lost", n)
	}
	return buf.String()
}

// signalLine matches a signal line of strace -f -o's format: its pid
// and the signal.
var signalLine = regexp.MustCompile(`^(\d+) +--- (SIG[A-Z0-9]+) `)

// signalName is what of a signal line a comparison looks at.
func signalName(m []string) string { return m[2] }

// callLine matches a complete syscall line of strace -f -o's format:
// its pid, the call's name and the rest; split calls (unfinished,
// resumed) do not match.
var callLine = regexp.MustCompile(`^(\d+) +([a-z_0-9]+)(\(.*)$`)

// What of a call line a comparison looks at.
func callName(m []string) string { return m[2] }

// callText is the whole call with what differs from run to run masked:
// addresses, ids and random bytes.
func callText(m []string) string {
	s := m[2] + m[3]
	if strings.HasSuffix(s, "<unfinished ...>") {
		return ""
	}
	s = hexNumber.ReplaceAllString(s, "0x_")
	s = bigNumber.ReplaceAllString(s, "N")
	s = escapedBytes.ReplaceAllString(s, `"\x_"`)
	return strings.Join(strings.Fields(s), " ")
}

var (
	hexNumber    = regexp.MustCompile(`0x[0-9a-f]+`)
	bigNumber    = regexp.MustCompile(`\b[0-9]{3,}\b`)
	escapedBytes = regexp.MustCompile(`"(\\x[0-9a-f]{2})+"`)
)

// parseTrace returns what each process (thread) shows in lines re
// matches, as key makes it of the match, in order, the processes in
// order of appearance.
func parseTrace(trace string, re *regexp.Regexp, key func([]string) string) [][]string {
	index := map[string]int{}
	var seqs [][]string
	for line := range strings.SplitSeq(trace, "\n") {
		m := re.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		i, ok := index[m[1]]
		if !ok {
			i = len(seqs)
			index[m[1]] = i
			seqs = append(seqs, nil)
		}
		seqs[i] = append(seqs[i], key(m))
	}
	return seqs
}

// fidelity pairs each of strace's tasks with the gtrace task most like
// it and returns the share of strace's calls found in order (the longest
// common subsequence of each pair) over all of strace's calls.
func fidelity(want, got [][]string) (float64, string) {
	used := make([]bool, len(got))
	total, matched := 0, 0
	for _, w := range want {
		total += len(w)
		best, bestN := -1, -1
		for j, g := range got {
			if !used[j] {
				if n := lcs(w, g); n > bestN {
					best, bestN = j, n
				}
			}
		}
		if best >= 0 {
			used[best] = true
			matched += bestN
		}
	}
	if total == 0 {
		return 0, "strace saw no calls"
	}
	return float64(matched) / float64(total),
		fmt.Sprintf("%d of %d calls in %d tasks; gtrace saw %d tasks", matched, total, len(want), len(got))
}

// lcs is the length of the longest common subsequence of a and b.
func lcs(a, b []string) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			switch {
			case a[i] == b[j]:
				cur[j+1] = prev[j] + 1
			case prev[j+1] > cur[j]:
				cur[j+1] = prev[j+1]
			default:
				cur[j+1] = cur[j]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
