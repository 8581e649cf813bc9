package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gtrace/gtrace/pkg/tracer"
)

// TestMain lets the test binary be the demonstration.
func TestMain(m *testing.M) {
	if os.Getenv(demoEnv) != "" {
		if err := demo(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// story runs cmd and returns the stories told of files matching match.
func story(t *testing.T, cmd tracer.Cmd, match string) string {
	t.Helper()
	var out strings.Builder
	if err := run(cmd, regexp.MustCompile(match), &out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// The demonstration's file, from its creation to its close through a
// duplicate descriptor.
func TestDemoStory(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := tracer.Command(self)
	cmd.Env = append(os.Environ(), demoEnv+"=1")
	got := story(t, cmd, `/notes$`)
	m := regexp.MustCompile(`^/.*/notes\n  opened by pid \d+ with openat as fd (\d+)\n`).FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("no story of notes, or more than one:\n%s", got)
	}
	fd := m[1]
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")[2:]
	// The last descriptor is the duplicate: it differs from the first.
	dup := strings.TrimPrefix(lines[len(lines)-1], "  closed with fd ")
	want := []string{
		"  wrote 13 bytes through fd " + fd,
		"  seek through fd " + fd,
		"  read 13 bytes through fd " + fd,
		"  read 0 bytes through fd " + fd,
		"  stat through fd " + fd,
		"  mmap through fd " + fd,
		"  wrote 4 bytes through fd " + dup,
		"  closed with fd " + dup,
	}
	if _, err := strconv.Atoi(dup); err != nil || dup == fd || strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("story:\n%s\nwant after the opening:\n%s", got, strings.Join(want, "\n"))
	}
}

// A file a shell opens and its child reads: the child's reads are in the
// story, and the file is released when the shell, its last holder,
// exits.
func TestStoryAcrossFork(t *testing.T) {
	file := filepath.Join(t.TempDir(), "data")
	if err := os.WriteFile(file, []byte("twelve bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := story(t, tracer.Command("sh", "-c", "exec 3<"+file+"; cat <&3 >/dev/null"), regexp.QuoteMeta(file))
	m := regexp.MustCompile(`^` + regexp.QuoteMeta(file) + `\n  opened by pid (\d+) with openat as fd 3\n(?:  .*\n)*` +
		`  read 12 bytes through fd 0 \(pid (\d+)\)\n(?:  .*\n)*` +
		`  released when pid (\d+) exited, with fd 3\n$`).FindStringSubmatch(got)
	if m == nil || m[1] == m[2] || m[3] != m[1] {
		t.Errorf("story:\n%s\nwant the shell's open, its child's read, the shell's exit", got)
	}
}
