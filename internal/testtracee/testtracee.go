// Package testtracee builds the small C programs that tests trace. Each
// program prints what a test expects to see, so that a change a tracer
// makes to it shows in its output.
package testtracee

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Build compiles testdata/NAME.c into a temporary directory of t and
// returns the program's path. The test is skipped when gcc is absent.
func Build(t testing.TB, name string) string {
	t.Helper()
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found: cannot build test tracee", name)
	}
	_, file, _, _ := runtime.Caller(0)
	src := filepath.Join(filepath.Dir(file), "testdata", name+".c")
	bin := filepath.Join(t.TempDir(), name)
	out, err := exec.Command(gcc, "-O1", "-pthread", "-o", bin, src).CombinedOutput()
	if err != nil {
		t.Fatalf("gcc %s: %v\n%s", src, err, out)
	}
	return bin
}
