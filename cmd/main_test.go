package cmd

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gtrace/gtrace/internal/privtest"
)

// TestMain serves three purposes: started by privtest.Run with fewer
// privileges, or with runMainEnv set, the test binary is gtrace (tests
// re-execute it to run Main in a child); otherwise it builds the real
// gtrace binary once for the end-to-end tests, in gtraceBin.
func TestMain(m *testing.M) {
	privtest.PlayRole(map[string]func() int{
		// gtrace itself, run with fewer privileges.
		"main": func() int { return Main(os.Args[1:]) },
	})
	if os.Getenv(runMainEnv) == "1" {
		os.Exit(Main(os.Args[1:]))
	}
	dir, err := os.MkdirTemp("", "gtrace-cmd-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	gtraceBin = filepath.Join(dir, "gtrace")
	build := exec.Command("go", "build", "-o", gtraceBin, "..")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building gtrace: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
