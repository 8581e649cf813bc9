package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gtrace/gtrace/internal/testtracee"
	"github.com/gtrace/gtrace/pkg/tracer"
)

func TestListsOpens(t *testing.T) {
	file := filepath.Join(t.TempDir(), "data")
	if err := os.WriteFile(file, []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	prog := testtracee.Build(t, "catfile")
	var report bytes.Buffer
	// A shell starts the program: its child's opens are listed too.
	cmd := tracer.Command("sh", "-c", fmt.Sprintf("%s %s; %s /nonexistent", prog, file, prog))
	cmd.Stdout = &bytes.Buffer{}
	if err := run(cmd, &report); err != nil {
		t.Fatal(err)
	}
	var found, missing string
	for line := range strings.SplitSeq(report.String(), "\n") {
		if strings.Contains(line, " "+file+": ") {
			found = line
		}
		if strings.Contains(line, " /nonexistent: ") {
			missing = line
		}
	}
	if !strings.HasSuffix(found, file+": fd 3") || !strings.HasSuffix(missing, "/nonexistent: no such file or directory") {
		t.Errorf("report lacks the program's opens:\n%s", report.String())
	}
}
