package tracer_test

import (
	"bytes"
	"context"
	"os/exec"
	"regexp"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/tracer"
)

// needCPUs skips a test of CPU placement on a machine with one CPU,
// where every placement is the same.
func needCPUs(t *testing.T) {
	var own unix.CPUSet
	if err := unix.SchedGetaffinity(0, &own); err != nil {
		t.Fatal(err)
	}
	if runtime.NumCPU() < 2 || own.Count() < 2 {
		t.Skip("one CPU: colocation changes nothing")
	}
}

var cpusAllowed = regexp.MustCompile(`(?m)^Cpus_allowed_list:\s*(\S+)$`)

// startedAffinity returns the Cpus_allowed_list of a program started
// with opts.
func startedAffinity(t *testing.T, opts tracer.Options) string {
	t.Helper()
	cmd := tracer.Command("cat", "/proc/self/status")
	var out bytes.Buffer
	cmd.Stdout = &out
	tr, err := tracer.Start(context.Background(), cmd, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Wait(); err != nil {
		t.Fatal(err)
	}
	m := cpusAllowed.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no Cpus_allowed_list in %q", out.String())
	}
	return m[1]
}

func TestColocateStartedProgram(t *testing.T) {
	needCPUs(t)
	if got := startedAffinity(t, tracer.Options{Colocate: true, Follow: true}); !regexp.MustCompile(`^\d+$`).MatchString(got) {
		t.Errorf("colocated program may run on CPUs %s, want one", got)
	}
	if got := startedAffinity(t, tracer.Options{Follow: true}); regexp.MustCompile(`^\d+$`).MatchString(got) {
		t.Errorf("program not colocated may run on CPU %s only", got)
	}
}

// An attached process runs on the tracer's CPU while traced and gets
// its own affinity back when detached.
func TestColocateAttachedGetsAffinityBack(t *testing.T) {
	needCPUs(t)
	sleeper := exec.Command("sleep", "30")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = sleeper.Process.Kill(); _ = sleeper.Wait() }()
	pid := sleeper.Process.Pid
	var before unix.CPUSet
	if err := unix.SchedGetaffinity(pid, &before); err != nil {
		t.Fatal(err)
	}
	tr, err := tracer.Attach(context.Background(), []int{pid}, tracer.Options{Colocate: true})
	if err != nil {
		t.Fatal(err)
	}
	var during unix.CPUSet
	for ev, err := range tr.Events() {
		if err != nil {
			t.Fatal(err)
		}
		if ev.Kind == event.KindAttach {
			if err := unix.SchedGetaffinity(pid, &during); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	var after unix.CPUSet
	if err := unix.SchedGetaffinity(pid, &after); err != nil {
		t.Fatal(err)
	}
	if during.Count() != 1 {
		t.Errorf("attached process runs on %d CPUs while traced, want 1", during.Count())
	}
	if after != before {
		t.Errorf("after detaching, the process's affinity is %v, was %v", after, before)
	}
}

func TestColocateIsForPtrace(t *testing.T) {
	_, err := tracer.Start(context.Background(), tracer.Command("true"), tracer.Options{Colocate: true, Engine: tracer.EngineEBPF})
	if err != tracer.ErrColocateNeedsPtrace {
		t.Errorf("Colocate with the eBPF engine: %v, want ErrColocateNeedsPtrace", err)
	}
}

// allFDs selects every descriptor (a decode.FDSet).
type allFDs struct{}

func (allFDs) Has(int) bool { return true }

func TestDumpsAreForPtrace(t *testing.T) {
	opts := tracer.Options{Engine: tracer.EngineEBPF, Decode: decode.Options{DumpWrites: allFDs{}}}
	if _, err := tracer.Start(context.Background(), tracer.Command("true"), opts); err != tracer.ErrDumpsNeedPtrace {
		t.Errorf("dumps with the eBPF engine: %v, want ErrDumpsNeedPtrace", err)
	}
}
