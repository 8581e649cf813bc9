// Package examples_test runs each example as a user would, with go run
// and no arguments, and checks what it prints.
package examples_test

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
)

func TestGoRun(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not in $PATH")
	}
	for _, tc := range []struct {
		name string
		want []string // each in its standard output or standard error
	}{
		{"openfiles", []string{" /etc/passwd: fd 3\n"}},
		{"nonet", []string{"connect: permission denied", "nonet: denied process "}},
		{"sockbytes", []string{": sent 4 bytes, received 5 bytes\n", ": sent 5 bytes, received 4 bytes\n"}},
		{"failwrites", []string{"line 1\nline 2\nline 4\nline 5\n"}},
		{"filestory", []string{"/notes\n  opened by pid ", "  wrote 13 bytes through fd ", "  mmap through fd "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := exec.Command(goBin, "run", "./"+tc.name)
			var stdout, stderr strings.Builder
			c.Stdout, c.Stderr = &stdout, &stderr
			err := c.Run()
			var ee *exec.ExitError
			if err != nil && !(tc.name == "failwrites" && errors.As(err, &ee)) {
				t.Fatalf("go run ./examples/%s: %v\n%s", tc.name, err, stderr.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout.String(), w) && !strings.Contains(stderr.String(), w) {
					t.Errorf("go run ./examples/%s printed\n%s\n%s\nwithout %q", tc.name, stdout.String(), stderr.String(), w)
				}
			}
		})
	}
}
