package cmd

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func testIO() (*IOStreams, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, &out, &errOut
}

func TestParsePIDs(t *testing.T) {
	pids, err := parsePIDs([]string{"1,2", "3", "4 5"})
	if err != nil || len(pids) != 5 || pids[0] != 1 || pids[4] != 5 {
		t.Errorf("parsePIDs = %v, %v", pids, err)
	}
	for _, bad := range []string{"x", "-3", "0", "1,,y"} {
		if _, err := parsePIDs([]string{bad}); err == nil {
			t.Errorf("parsePIDs(%q) accepted", bad)
		} else if !errors.As(err, new(usageError)) {
			t.Errorf("parsePIDs(%q): %v is not a usage error", bad, err)
		}
	}
}

func TestRunUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"nothing", Options{}, "must have COMMAND"},
		{"both", Options{PIDs: []string{"1"}, Command: []string{"true"}}, "not both"},
		{"bad-s", Options{StrSize: -1, Command: []string{"true"}}, "-s:"},
		{"bad-X", Options{Xlat: "odd", Command: []string{"true"}}, `-X: unknown style "odd"`},
		{"ff-no-o", Options{Follow: 2, Xlat: "abbrev", Command: []string{"true"}}, "-ff needs -o FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _ := testIO()
			tt.opts.IO = ios
			if tt.opts.Xlat == "" {
				tt.opts.Xlat = "abbrev"
			}
			err := run(context.Background(), &tt.opts)
			if !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run: %v, want a usage error containing %q", err, tt.want)
			}
		})
	}
}

// TestRunTracesInProcess runs a whole trace through run with fake
// streams: the test binary itself serves as the spawn stub.
func TestRunTracesInProcess(t *testing.T) {
	ios, _, errOut := testIO()
	opts := &Options{IO: ios, Xlat: "abbrev", StrSize: 32, Command: []string{"sh", "-c", "exit 3"}}
	err := run(context.Background(), opts)
	var code exitCode
	if !errors.As(err, &code) || code != 3 {
		t.Fatalf("run: %v, want exit status 3", err)
	}
	for _, want := range []string{`execve("/usr/bin/sh", ["sh", "-c", "exit 3"]`, "exit_group(3)", "+++ exited with 3 +++\n"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("trace lacks %q:\n%s", want, errOut.String())
		}
	}
}

func TestMainExitCodes(t *testing.T) {
	if code := Main([]string{"--definitely-not-a-flag"}); code != 2 {
		t.Errorf("unknown flag: exit %d, want 2", code)
	}
	if code := Main([]string{"-p", "0"}); code != 2 {
		t.Errorf("-p 0: exit %d, want 2", code)
	}
}
