// Package privtest runs a test binary again with fewer privileges, for
// tests of what gtrace says when it lacks them: the test calls Run, and
// the binary's TestMain, Main, plays the unprivileged side.
package privtest

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// envRole names, in the child's environment, what the child is to do.
const envRole = "GTRACE_PRIVTEST_ROLE"

// Drops are setpriv options for the privileges a test takes away.
var (
	// Nobody runs as user nobody with no capabilities at all.
	Nobody = []string{"--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all"}
	// NoPerfmon keeps root but takes CAP_PERFMON (and CAP_SYS_ADMIN,
	// which implies it) out of the bounding set.
	NoPerfmon = []string{"--bounding-set=-perfmon,-sys_admin"}
	// NoBPF keeps root but takes CAP_BPF and CAP_SYS_ADMIN.
	NoBPF = []string{"--bounding-set=-bpf,-sys_admin"}
)

// Main is a test binary's TestMain: started by Run as a child in one of
// roles, it does that and exits with what it returns; otherwise it runs
// the tests.
func Main(m *testing.M, roles map[string]func() int) {
	PlayRole(roles)
	os.Exit(m.Run())
}

// PlayRole, called first in a TestMain, does the role the test binary was
// started in by Run, and exits; it returns when there is none.
func PlayRole(roles map[string]func() int) {
	if do := roles[os.Getenv(envRole)]; do != nil {
		os.Exit(do())
	}
}

// Run runs the current test binary under setpriv with drop, with role
// set for its TestMain, and returns its output and exit status. It skips
// the test where setpriv is missing or the test does not run as root.
func Run(t *testing.T, drop []string, role string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("setpriv (util-linux) is not installed: cannot drop privileges")
	}
	if os.Geteuid() != 0 {
		t.Skip("dropping privileges needs a test run as root")
	}
	bin := copyExecutable(t)
	cmd := exec.Command(setpriv, append(append(drop, bin), args...)...)
	cmd.Env = append(os.Environ(), envRole+"="+role)
	cmd.Dir = filepath.Dir(bin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("setpriv: %v", err)
	}
	return out.String(), errOut.String(), code
}

// copyExecutable copies the test binary where any user may run it (the
// go tool builds it in a directory only its owner can enter).
func copyExecutable(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "privtest")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	bin := filepath.Join(dir, filepath.Base(os.Args[0]))
	dst, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return bin
}
