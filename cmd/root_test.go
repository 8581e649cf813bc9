package cmd

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
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

// Usage mistakes end with exit status 2 and a first line that says what
// is wrong in gtrace's words (then strace's "Try ... --help" line).
func TestUsageErrorLines(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-s", "abc", "true"}, `gtrace: invalid argument "abc" for "-s, --string-limit" flag: not a number`},
		{[]string{"-s", "99999999999999999999", "true"}, `gtrace: invalid argument "99999999999999999999" for "-s, --string-limit" flag: out of range`},
		{[]string{"completion"}, "gtrace: completion: name a shell: bash, zsh, fish or powershell"},
		{[]string{"completion", "foo"}, `gtrace: completion: unknown shell "foo" (want bash, zsh, fish or powershell)`},
		{[]string{"--engine=ebpf", "--ebpf-buffer", "3G", "true"}, `gtrace: --ebpf-buffer: invalid size "3G" (want a positive number of bytes, with K, M or G, up to 2G)`},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		cmd := exec.Command(gtraceBin, tt.args...)
		cmd.Stderr = &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 {
			t.Errorf("gtrace %v: %v, want exit status 2", tt.args, err)
		}
		lines := strings.Split(stderr.String(), "\n")
		if lines[0] != tt.want || !strings.HasPrefix(lines[1], "Try 'gtrace --help'") {
			t.Errorf("gtrace %v printed\n%s\nwant first line\n%s", tt.args, stderr.String(), tt.want)
		}
	}
}
