// Package tracer is gtrace as a library: start or attach to programs,
// and receive every syscall, signal and exit they make as typed events,
// through an iterator or through callbacks that may inspect and change
// the stopped program.
//
//	t, err := tracer.Start(ctx, tracer.Command("ls", "-l"), tracer.Options{Follow: true})
//	if err != nil { ... }
//	for ev, err := range t.Events() { ... }
//	status, err := t.Wait()
//
// The gtrace command is a client of this package.
package tracer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"os/exec"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/tracer/ptrace"
)

// Options configure a Tracer.
type Options struct {
	// Follow traces the threads and processes the program creates.
	Follow bool
	// Decode are the decoding options (string sizes, -v, -y).
	Decode decode.Options
	// FDs resolves descriptors to paths for -y; nil uses /proc.
	FDs decode.FDResolver
	// Trace selects the syscalls reported; nil reports all.
	Trace func(arch event.Arch, nr int) bool
	// Engine chooses ptrace or eBPF (see Engine); the zero value is
	// EngineAuto.
	Engine Engine
	// Tree, with Attach, traces the processes' descendants as well, and
	// what any of them creates (it implies Follow).
	Tree bool
	// BufferSize is the eBPF engine's ring buffer in bytes; 0 means
	// ebpf.DefaultBufferSize.
	BufferSize int
}

// Cmd is a program to start.
type Cmd struct {
	Name string   // program name or path, looked up in $PATH
	Args []string // arguments after the name
	Env  []string // environment; nil inherits
	Dir  string   // working directory; "" inherits
}

// Command returns the Cmd that runs name with args.
func Command(name string, args ...string) Cmd { return Cmd{Name: name, Args: args} }

// Action tells the tracer what to do after a hook.
type Action = ptrace.Action

// Actions a hook may return.
const (
	Continue  = ptrace.Continue
	DetachOne = ptrace.DetachTask
	DetachAll = ptrace.DetachAll
)

// Hooks are called on the tracer's thread, in event order. While a hook
// runs, the task that caused the event is stopped.
type Hooks struct {
	// OnEvent sees every event. The Event is only valid during the call.
	OnEvent func(ev *event.Event) Action
	// OnIdle runs when the tracer is about to wait for its tracees: the
	// time to flush buffered output.
	OnIdle func()
}

// ExitStatus is how the started program ended.
type ExitStatus struct {
	Code   int  // exit code, or 128+signal when killed
	Signal int  // the killing signal, 0 when it exited
	Core   bool // it dumped core
}

// Tracer is one tracing session.
type Tracer struct {
	eng     engine
	hooks   Hooks
	begin   chan struct{}
	done    chan struct{}
	status  ExitStatus
	err     error
	spawned bool

	stopOnce sync.Once
}

// Start starts cmd under the tracer. Tracing begins when Run or Events is
// called; until then the program waits before its first instruction.
// Cancelling ctx detaches from every task.
func Start(ctx context.Context, cmd Cmd, opts Options) (*Tracer, error) {
	path, err := exec.LookPath(cmd.Name)
	if err != nil {
		return nil, lookPathError(cmd.Name, err)
	}
	argv := append([]string{cmd.Name}, cmd.Args...)
	t, err := newTracer(opts)
	if err != nil {
		return nil, err
	}
	t.spawned = true
	err = t.start(ctx, func() error { return t.eng.spawn(path, argv, cmd) })
	return t, err
}

// Attach traces the running processes pids and all their threads (with
// Options.Tree, their descendants too).
func Attach(ctx context.Context, pids []int, opts Options) (*Tracer, error) {
	t, err := newTracer(opts)
	if err != nil {
		return nil, err
	}
	err = t.start(ctx, func() error {
		if opts.Tree {
			return attachTree(t.eng, pids)
		}
		for _, pid := range pids {
			if err := t.eng.attach(pid); err != nil {
				return err
			}
		}
		return nil
	})
	return t, err
}

// ErrNotFound is returned by Start when the program does not exist.
var ErrNotFound = errors.New("no such file or directory")

// lookPathError explains why a program cannot be started.
func lookPathError(name string, err error) error {
	switch {
	case errors.Is(err, exec.ErrNotFound):
		return fmt.Errorf("cannot run %s: command not found in $PATH: %w", name, ErrNotFound)
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("cannot run %s: %w", name, ErrNotFound)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("cannot run %s: permission denied", name)
	}
	var ee *exec.Error
	if errors.As(err, &ee) {
		err = ee.Err
	}
	return fmt.Errorf("cannot run %s: %w", name, err)
}

func newTracer(opts Options) (*Tracer, error) {
	t := &Tracer{begin: make(chan struct{}), done: make(chan struct{})}
	eng, err := newEngine(t, opts, ebpfMatchesPtrace)
	if err != nil {
		return nil, err
	}
	t.eng = eng
	return t, nil
}

// start runs the engine on a goroutine locked to its thread: setup (spawn
// or attach) first, then, once Run or Events begins, the trace loop.
func (t *Tracer) start(ctx context.Context, setup func() error) error {
	ready := make(chan error, 1)
	go func() {
		defer close(t.done)
		if err := setup(); err != nil {
			t.eng.abort()
			ready <- err
			t.err = err
			return
		}
		ready <- nil
		<-t.begin
		ws, err := t.eng.run()
		t.err = err
		if t.spawned {
			t.status = exitStatus(ws)
		}
	}()
	if err := <-ready; err != nil {
		<-t.done
		return err
	}
	if ctx.Done() != nil {
		go func() {
			select {
			case <-ctx.Done():
				t.Detach()
			case <-t.done:
			}
		}()
	}
	return nil
}

func exitStatus(ws unix.WaitStatus) ExitStatus {
	switch {
	case ws.Signaled():
		return ExitStatus{Code: 128 + int(ws.Signal()), Signal: int(ws.Signal()), Core: ws.CoreDump()}
	case ws.Exited():
		return ExitStatus{Code: ws.ExitStatus()}
	}
	return ExitStatus{}
}

// Run traces until every task has ended or been detached, calling hooks.
func (t *Tracer) Run(hooks Hooks) error {
	t.hooks = hooks
	close(t.begin)
	<-t.done
	return t.err
}

// Events traces, yielding each event. The Event is only valid until the
// next iteration. Breaking out of the loop detaches from every task.
func (t *Tracer) Events() iter.Seq2[*event.Event, error] {
	return func(yield func(*event.Event, error) bool) {
		evs := make(chan *event.Event)
		ack := make(chan bool)
		t.hooks.OnEvent = func(ev *event.Event) Action {
			evs <- ev
			if !<-ack {
				return DetachAll
			}
			return Continue
		}
		close(t.begin)
		stopped := false
		for {
			select {
			case ev := <-evs:
				more := !stopped && yield(ev, nil)
				if !more && !stopped {
					stopped = true
				}
				ack <- more
			case <-t.done:
				if t.err != nil && !stopped {
					yield(nil, t.err)
				}
				return
			}
		}
	}
}

// Detach stops tracing: every task is detached and runs on as if it had
// never been traced. It may be called from any goroutine.
func (t *Tracer) Detach() {
	t.stopOnce.Do(t.eng.stop)
}

// Engine is the engine that traces: EnginePtrace or EngineEBPF.
func (t *Tracer) Engine() Engine { return t.eng.kind() }

// Lost is the number of events the eBPF engine could not report because
// its ring buffer was full (always 0 with ptrace). The trace itself says
// where they went missing.
func (t *Tracer) Lost() uint64 { return t.eng.lost() }

// Wait waits for the trace to end and returns the started program's exit
// status (zero for Attach).
func (t *Tracer) Wait() (ExitStatus, error) {
	<-t.done
	return t.status, t.err
}

// handler adapts a Tracer to the engine's Handler.
type handler Tracer

func (h *handler) Handle(ev *event.Event, _ *ptrace.Stop) ptrace.Action {
	if h.hooks.OnEvent == nil {
		return Continue
	}
	return h.hooks.OnEvent(ev)
}

func (h *handler) Idle() {
	if h.hooks.OnIdle != nil {
		h.hooks.OnIdle()
	}
}

// ProcFDs resolves descriptors through /proc/PID/fd.
type ProcFDs struct{}

// FDPath implements decode.FDResolver.
func (ProcFDs) FDPath(pid, fd int) string {
	p, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%d", pid, fd))
	if err != nil {
		return ""
	}
	return p
}
