package cmd

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/gtrace/gtrace/internal/privtest"
	"github.com/gtrace/gtrace/pkg/tracer"
	"github.com/gtrace/gtrace/pkg/tracer/ebpf"
)

func TestEngineUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		eng  EngineOptions
		pids []string
		want string
	}{
		{"unknown engine", EngineOptions{Engine: "dtrace", Buffer: "16M"}, nil, `unknown engine "dtrace"`},
		{"tree without -p", EngineOptions{Engine: "auto", Tree: true, Buffer: "16M"}, nil, "--tree needs -p"},
		{"bad buffer", EngineOptions{Engine: "ebpf", Buffer: "lots"}, nil, "--ebpf-buffer"},
		{"zero buffer", EngineOptions{Engine: "ebpf", Buffer: "0"}, nil, "--ebpf-buffer"},
		{"huge buffer", EngineOptions{Engine: "ebpf", Buffer: "5G"}, nil, "--ebpf-buffer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ios, _, _ := testIO()
			opts := defaults(ios)
			opts.Engine, opts.PIDs, opts.Command = tc.eng, tc.pids, []string{"true"}
			err := run(context.Background(), opts)
			var usage usageError
			if !errors.As(err, &usage) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("run: %v, want a usage error about %q", err, tc.want)
			}
		})
	}
}

func TestEngineTamperingIsUsageError(t *testing.T) {
	o := EngineOptions{Engine: "ebpf", Buffer: "16M"}
	if err := o.apply(new(tracer.Options), false, true); err == nil || !errors.As(err, new(usageError)) {
		t.Errorf("--engine=ebpf with tampering: %v, want a usage error", err)
	}
	for _, eng := range []string{"ptrace", "auto"} {
		o.Engine = eng
		if err := o.apply(new(tracer.Options), false, true); err != nil {
			t.Errorf("--engine=%s with tampering: %v", eng, err)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int{"4096": 4096, "64K": 64 << 10, "16M": 16 << 20, "1g": 1 << 30, "2G": 2 << 30} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	// Above 2G the ring buffer, a power of two, would be 4 GiB, which
	// the kernel's 32-bit size cannot hold.
	for _, in := range []string{"3G", "4G", "5G", "2049M", "-1K"} {
		if got, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) = %d; want an error", in, got)
		} else if !strings.Contains(err.Error(), strconv.Quote(in)) {
			t.Errorf("parseSize(%q): %v; want the error to quote the input", in, err)
		}
	}
}

// TestEngineWithoutPrivileges runs gtrace as nobody: asked for, the
// eBPF engine fails with one line saying what is missing; auto traces
// with ptrace, saying nothing about eBPF.
func TestEngineWithoutPrivileges(t *testing.T) {
	_, stderr, code := privtest.Run(t, privtest.Nobody, "main", "--engine=ebpf", "true")
	want := "gtrace: the eBPF engine needs root or CAP_BPF and CAP_PERFMON; missing CAP_BPF and CAP_PERFMON\n"
	if code != 1 || stderr != want {
		t.Errorf("--engine=ebpf as nobody: exit %d, stderr %q; want exit 1 and %q", code, stderr, want)
	}
	_, stderr, code = privtest.Run(t, privtest.Nobody, "main", "--engine=auto", "true")
	if code != 0 || !strings.Contains(stderr, "execve(") || strings.Contains(stderr, "eBPF") {
		t.Errorf("--engine=auto as nobody: exit %d, stderr %q; want a ptrace trace and no word of eBPF", code, stderr)
	}
}

// TestLostEventsReported: with a tiny ring buffer under a storm of
// calls, the trace says where events were lost and gtrace ends saying
// how many.
func TestLostEventsReported(t *testing.T) {
	if err := ebpf.CheckPrivileges(); err != nil {
		t.Skipf("the eBPF engine cannot run here: %v", err)
	}
	ios, _, errOut := testIO()
	opts := defaults(ios)
	opts.Engine = EngineOptions{Engine: "ebpf", Buffer: "4K"}
	opts.Command = []string{"dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=100000", "status=none"}
	if err := run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	trace := errOut.String()
	last := trace[strings.LastIndex(strings.TrimSuffix(trace, "\n"), "\n")+1:]
	if !strings.Contains(trace, " lost: the ring buffer was full ]") ||
		!strings.HasPrefix(last, "gtrace: ") || !strings.Contains(last, " lost: the eBPF ring buffer was full") {
		t.Errorf("no report of lost events; the trace ends:\n%s", trace[max(0, len(trace)-400):])
	}
}
