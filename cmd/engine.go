package cmd

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/gtrace/gtrace/pkg/tracer"
	"github.com/gtrace/gtrace/pkg/tracer/ebpf"
)

// EngineOptions choose the tracing engine and its settings.
type EngineOptions struct {
	Engine   string // --engine: auto, ptrace or ebpf
	Tree     bool   // --tree: with -p, the descendants too
	Buffer   string // --ebpf-buffer: the ring buffer's size
	Colocate bool   // --colocate: gtrace and the program on one CPU
	PollIdle bool   // --poll-idle: idle CPUs poll while gtrace is busy
}

func (o *EngineOptions) addFlags(f *pflag.FlagSet) {
	f.StringVar(&o.Engine, "engine", "auto", "how to trace: `ptrace`, ebpf (observes only, near native speed; needs root or CAP_BPF+CAP_PERFMON) or auto")
	f.BoolVar(&o.Tree, "tree", false, "with -p, also trace every descendant of the processes, and what they start")
	f.BoolVar(&o.PollIdle, "poll-idle", true, "while the program keeps gtrace busy, have idle CPUs poll rather than sleep (a CPU latency request, root only): stops are answered several times faster; the program is untouched")
	f.BoolVar(&o.Colocate, "colocate", false, "run gtrace's tracing thread and the traced program on one CPU: several times faster, but it changes the program's CPU affinity (a started program keeps it)")
	f.StringVar(&o.Buffer, "ebpf-buffer", "32M", "size of the eBPF engine's ring buffer (`SIZE` in bytes, K, M or G); events that do not fit are counted as lost")
}

// apply checks the engine flags and sets them in topts. tampering says
// whether the command line asks to change the traced program (-e
// inject=, -e fault=), which the eBPF engine cannot do.
func (o *EngineOptions) apply(topts *tracer.Options, attaching, tampering bool) error {
	e, err := tracer.ParseEngine(o.Engine)
	if err != nil {
		return usagef("--engine: %v", err)
	}
	if err := tracer.CheckEngine(e, tampering); err != nil {
		return usageError{err}
	}
	if o.Colocate && e == tracer.EngineEBPF {
		return usageError{tracer.ErrColocateNeedsPtrace}
	}
	if o.Tree && !attaching {
		return usagef("--tree needs -p PID: it traces the processes' descendants")
	}
	size, err := parseSize(o.Buffer)
	if err != nil {
		return usagef("--ebpf-buffer: %v", err)
	}
	topts.Engine, topts.Tree, topts.BufferSize, topts.Colocate, topts.PollIdle = e, o.Tree, size, o.Colocate, o.PollIdle
	return nil
}

// parseSize reads a size in bytes with an optional K, M or G suffix.
// maxBufferSize is the largest eBPF ring buffer: sizes are rounded up to
// a power of two, and the kernel takes them below 4 GiB.
const maxBufferSize = 2 << 30

func parseSize(in string) (int, error) {
	s, mult := in, 1
	switch {
	case strings.HasSuffix(s, "K"), strings.HasSuffix(s, "k"):
		mult = 1 << 10
	case strings.HasSuffix(s, "M"), strings.HasSuffix(s, "m"):
		mult = 1 << 20
	case strings.HasSuffix(s, "G"), strings.HasSuffix(s, "g"):
		mult = 1 << 30
	}
	if mult != 1 {
		s = s[:len(s)-1]
	}
	// The ring buffer's size is a power of two below 4 GiB (its
	// max_entries is 32 bits), so 2G at most.
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > maxBufferSize/mult {
		return 0, fmt.Errorf("invalid size %q (want a positive number of bytes, with K, M or G, up to 2G)", in)
	}
	return n * mult, nil
}

// reportLost ends the run with how many events the eBPF engine lost, if
// any: the trace said where, this says how many in all.
func reportLost(ios *IOStreams, t *tracer.Tracer) {
	if n := t.Lost(); n > 0 {
		fmt.Fprintf(ios.ErrOut, "gtrace: %s: the eBPF ring buffer was full (a larger --ebpf-buffer helps)\n", ebpf.LostEvents(uint64(n)))
	}
}
