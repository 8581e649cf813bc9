package tracer_test

import (
	"context"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/tracer"
)

// TestAttachTree attaches to a shell whose subshell starts a sleep every
// few milliseconds: with Tree, the subshell (there before the attach)
// and the sleeps (started after it) are traced; without, only the shell,
// which waits (the eBPF engine, which does not interrupt it, may see
// nothing at all). The processes run on after the detach.
func TestAttachTree(t *testing.T) {
	for _, eng := range []tracer.Engine{tracer.EnginePtrace, tracer.EngineEBPF} {
		t.Run(eng.String(), func(t *testing.T) {
			if eng == tracer.EngineEBPF {
				requireEBPF(t)
			}
			for _, tree := range []bool{false, true} {
				cmd := startShellTree(t)
				pids, execs := traceAttached(t, cmd.Process.Pid, tracer.Options{Engine: eng, Tree: tree}, tree)
				if err := cmd.Process.Signal(syscall.Signal(0)); err != nil {
					t.Errorf("tree=%v: the shell did not survive the detach: %v", tree, err)
				}
				t.Logf("tree=%v: %d processes, %d execs of sleep", tree, len(pids), execs)
				switch {
				case tree && (len(pids) < 3 || execs < 2):
					t.Errorf("--tree saw %d processes and %d execs, want the subshell and its sleeps", len(pids), execs)
				case !tree && (len(pids) > 1 || execs != 0 || len(pids) == 1 && !pids[cmd.Process.Pid]):
					t.Errorf("without --tree saw %d processes and %d execs, want the shell alone", len(pids), execs)
				}
			}
		})
	}
}

// startShellTree starts the shell, its subshell and their sleeps in a
// process group of their own, which the test's end kills whole.
func startShellTree(t *testing.T) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("sh", "-c", "(while :; do sleep 0.02; done) & wait")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
	time.Sleep(100 * time.Millisecond) // let the subshell start
	return cmd
}

// traceAttached attaches to pid and returns the processes seen and the
// number of sleeps started. It traces for 300 ms, or when waitExecs, until
// two sleeps were started (10 s at most, for a loaded machine).
func traceAttached(t *testing.T, pid int, opts tracer.Options, waitExecs bool) (map[int]bool, int) {
	t.Helper()
	limit := 300 * time.Millisecond
	if waitExecs {
		limit = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	tr, err := tracer.Attach(ctx, []int{pid}, opts)
	if err != nil {
		t.Fatalf("attach: %v", err)
	}
	pids, execs := map[int]bool{}, 0
	err = tr.Run(tracer.Hooks{OnEvent: func(ev *event.Event) tracer.Action {
		if ev.Kind == event.KindSyscallEntry {
			pids[ev.PID] = true
			if ev.Call.Name == "execve" {
				execs++
			}
			if waitExecs && execs >= 2 {
				cancel()
			}
		}
		return tracer.Continue
	}})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return pids, execs
}
