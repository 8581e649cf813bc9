package main

import (
	"bytes"
	"testing"

	"github.com/gtrace/gtrace/internal/testtracee"
	"github.com/gtrace/gtrace/pkg/tracer"
)

func TestEveryThirdWriteFails(t *testing.T) {
	cmd := tracer.Command(testtracee.Build(t, "writelines"))
	var out bytes.Buffer
	cmd.Stdout = &out
	status, err := run(cmd)
	if err != nil {
		t.Fatal(err)
	}
	// The program sets bit i of its exit status when write i+1 failed.
	if out.String() != "1\n2\n4\n5\n" || status.Code != 1<<2|1<<5 {
		t.Errorf("program printed %q and exited %d; want writes 3 and 6 failed (36)", out.String(), status.Code)
	}
}

func TestDefaultCommand(t *testing.T) {
	cmd := tracer.Command("sh", "-c", "for i in 1 2 3 4; do echo line $i; done")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &bytes.Buffer{}
	if _, err := run(cmd); err != nil {
		t.Fatal(err)
	}
	if out.String() != "line 1\nline 2\nline 4\n" {
		t.Errorf("shell printed %q, want line 3 lost", out.String())
	}
}
