// Package difftest runs programs under strace and under gtrace and
// compares the traces: the differential tests that keep gtrace's output
// faithful. It builds the gtrace binary and the C tracees under
// testdata/tracees once per test process.
package difftest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var (
	buildMu  sync.Mutex
	built    = map[string]string{}
	buildDir string
)

// Cleanup removes what the package built. Call it from TestMain after
// m.Run.
func Cleanup() {
	buildMu.Lock()
	defer buildMu.Unlock()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
		buildDir = ""
		built = map[string]string{}
	}
}

// Root returns the module's root directory.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
}

// once builds key with build at most once per test process.
func once(t testing.TB, key string, build func(out string) error) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if p, ok := built[key]; ok {
		return p
	}
	if buildDir == "" {
		d, err := os.MkdirTemp("", "gtrace-difftest-")
		if err != nil {
			t.Fatal(err)
		}
		buildDir = d
	}
	out := filepath.Join(buildDir, key)
	if err := build(out); err != nil {
		t.Fatalf("build %s: %v", key, err)
	}
	built[key] = out
	return out
}

// Gtrace returns the path of a gtrace binary built from this module.
func Gtrace(t testing.TB) string {
	t.Helper()
	root := Root(t)
	return once(t, "gtrace", func(out string) error {
		cmd := exec.Command("go", "build", "-o", out, ".")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if b, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%v\n%s", err, b)
		}
		return nil
	})
}

// Tracee compiles testdata/tracees/NAME.c with gcc and returns the
// binary's path. It skips the test when gcc is absent.
func Tracee(t testing.TB, name string, flags ...string) string {
	t.Helper()
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc is not installed: cannot build the test tracees")
	}
	src := filepath.Join(Root(t), "testdata", "tracees", name+".c")
	return once(t, "tracee-"+name, func(out string) error {
		args := append([]string{"-O1", "-pthread", "-o", out, src}, flags...)
		if b, err := exec.Command("gcc", args...).CombinedOutput(); err != nil {
			return fmt.Errorf("%v\n%s", err, b)
		}
		return nil
	})
}

// Strace returns strace's path, skipping the test when it is absent.
func Strace(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace is not installed: no differential oracle")
	}
	return p
}
