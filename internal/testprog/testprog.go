// Package testprog builds the C programs tests trace.
package testprog

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Build compiles the C source src into the test's temporary directory
// and returns the program's path. It skips the test where gcc is
// missing. Programs are built -no-pie, so that their static data has
// addresses the i386 ABI can pass.
func Build(t *testing.T, src string) string {
	t.Helper()
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc is not installed: cannot build the test program")
	}
	out := filepath.Join(t.TempDir(), strings.TrimSuffix(filepath.Base(src), ".c"))
	if b, err := exec.Command(gcc, "-O1", "-no-pie", "-pthread", "-o", out, src).CombinedOutput(); err != nil {
		t.Fatalf("gcc %s: %v\n%s", src, err, b)
	}
	return out
}
