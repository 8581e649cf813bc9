package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"unicode/utf8"

	"github.com/gtrace/gtrace/internal/difftest"
)

// TestUntrustedBytesAreEscaped: escape sequences, bells, NULs, invalid
// UTF-8 and a 16 MiB buffer in the traced program's memory reach no
// format raw, and the huge buffer does not make a huge line.
func TestUntrustedBytesAreEscaped(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	prog := difftest.Tracee(t, "untrusted")
	// The 16 MiB write shows as its size; a group report counts the
	// bytes written to /dev/null in all (16 MiB and 26).
	for _, tc := range []struct {
		format []string
		size   string
	}{
		{[]string{"--format=strace"}, "16777216"},
		{[]string{"--format=strace", "-x"}, "16777216"},
		{[]string{"--format=strace", "-v", "-s", "4096"}, "16777216"},
		{[]string{"--format=human"}, "16777216"},
		{[]string{"--format=json"}, "16777216"},
		{[]string{"--group=all"}, "16777242"},
		{[]string{"--group=all", "--format=json"}, "16777242"},
	} {
		format := tc.format
		out := filepath.Join(t.TempDir(), "trace")
		args := append(append([]string{"--color=never", "-o", out}, format...), prog)
		if b, err := exec.Command(gtrace, args...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", format, err, b)
		}
		trace, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(trace, []byte(tc.size)) {
			t.Errorf("%v: the 16 MiB write is not in the trace:\n%s", format, trace)
		}
		if len(trace) > 256<<10 {
			t.Errorf("%v: %d bytes of trace for a handful of calls", format, len(trace))
		}
		for i, line := range bytes.Split(trace, []byte("\n")) {
			if len(line) > 16<<10 {
				t.Errorf("%v: line %d is %d bytes long", format, i+1, len(line))
			}
			if !utf8.Valid(line) {
				t.Errorf("%v: line %d is not valid UTF-8: %q", format, i+1, line)
				continue
			}
			for _, r := range string(line) {
				if r < ' ' || (r >= 0x7f && r < 0xa0) {
					t.Errorf("%v: line %d has the control character %U: %q", format, i+1, r, line)
					break
				}
			}
		}
	}
}

// TestMemoryBounded: gtrace's memory does not grow with the number of
// tasks or of events. 1000 threads alive at once, and a program making
// 300 000 calls, are traced in under 64 MiB, and ten times the calls
// cost no more memory than a tenth of them (bench/memory.sh takes this
// to 10 million events).
func TestMemoryBounded(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	threads := difftest.Tracee(t, "manythreads")
	counts := difftest.Tracee(t, "counts")
	const limit = 64 << 10 // KiB
	maxRSS := func(args ...string) int64 {
		t.Helper()
		cmd := exec.Command(gtrace, append([]string{"-f", "-o", "/dev/null"}, args...)...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, b)
		}
		// The peak of gtrace and of the children it waited for (the
		// program it started, far below the limit).
		return cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
	}
	if kib := maxRSS(threads, "1000"); kib > limit {
		t.Errorf("tracing 1000 threads took %d KiB, want under %d", kib, limit)
	}
	// counts N: 4 threads and 2 processes make N getppid calls each.
	small := maxRSS(counts, strconv.Itoa(5000))
	large := maxRSS(counts, strconv.Itoa(50000))
	t.Logf("peak RSS: %d KiB for 60 000 events, %d KiB for 600 000", small, large)
	if large > limit {
		t.Errorf("600 000 events took %d KiB, want under %d", large, limit)
	}
	if large > small+8<<10 {
		t.Errorf("memory grows with events: %d KiB for 60 000, %d KiB for 600 000", small, large)
	}
}
