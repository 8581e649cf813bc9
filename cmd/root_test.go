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

// defaults returns Options as the flags leave them when none is given.
func defaults(ios *IOStreams) *Options {
	_, opts := newRoot(ios)
	return opts
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
		set  func(*Options)
		want string
	}{
		{"nothing", func(o *Options) {}, "must have COMMAND"},
		{"both", func(o *Options) { o.PIDs, o.Command = []string{"1"}, []string{"true"} }, "not both"},
		{"bad-s", func(o *Options) { o.StrSize, o.Command = -1, []string{"true"} }, "-s:"},
		{"bad-X", func(o *Options) { o.Xlat, o.Command = "odd", []string{"true"} }, `-X: unknown style "odd"`},
		{"ff-no-o", func(o *Options) { o.Follow, o.Command = 2, []string{"true"} }, "-ff needs -o FILE"},
		{"group-ff", func(o *Options) {
			o.Out.Group, o.Follow, o.Output, o.Command = "socket", 2, "trace", []string{"true"}
		}, "--group reports on resources, which tasks share"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _ := testIO()
			opts := defaults(ios)
			tt.set(opts)
			err := run(context.Background(), opts)
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
	opts := defaults(ios)
	opts.Command = []string{"sh", "-c", "exit 3"}
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
