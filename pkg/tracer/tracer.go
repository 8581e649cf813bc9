package tracer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os/exec"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/filter"
	"github.com/gtrace/gtrace/pkg/tracer/ptrace"
)

// APIVersion is the version of this package's API, in semantic
// versioning: the major number changes only when a program written
// against the API would no longer build or behave the same.
const APIVersion = "1.0.0"

// Options configure a Tracer.
type Options struct {
	// Follow traces the threads and processes the program creates.
	Follow bool
	// Decode are the decoding options (string sizes, -v, -y).
	Decode decode.Options
	// FDs resolves descriptors to paths for -y (and, if it is a
	// decode.FDDescriber, to socket endpoints for -yy); nil uses /proc and
	// sock_diag.
	FDs decode.FDResolver
	// Trace selects the syscalls reported as events (by Events and to
	// Hooks.OnEvent); nil reports all. Syscall hooks see the calls they
	// select whether or not these are reported.
	Trace *filter.Syscalls
	// Hooked names the syscalls that the hooks given to Run select and
	// Trace does not report. Only the seccomp fast path needs it: the
	// filter it installs when the program starts stops the program for
	// Trace's and Hooked's calls and no other, and Run refuses hooks
	// that select a call outside both. A hook provider says what it
	// selects (restrace.Syscalls). Nil: none.
	Hooked *filter.Syscalls
	// NoSeccomp turns the seccomp fast path off. By default, a program
	// Start runs with Follow and only some syscalls selected gets a
	// seccomp filter, and its other syscalls do not stop it at all.
	NoSeccomp bool
	// Engine chooses ptrace or eBPF (see Engine); the zero value is
	// EngineAuto.
	Engine Engine
	// Tree, with Attach, traces the processes' descendants as well, and
	// what any of them creates (it implies Follow).
	Tree bool
	// BufferSize is the eBPF engine's ring buffer in bytes; 0 means
	// ebpf.DefaultBufferSize.
	BufferSize int
	// Colocate runs the ptrace engine's thread and the traced tasks on
	// one CPU, the one the engine runs on when tracing starts: each stop
	// then costs a switch on that CPU instead of a wake-up sent to
	// another, several times faster on machines whose idle CPUs sleep.
	// It changes the tasks' CPU affinity: a started program keeps it
	// (its threads share one CPU), attached processes get theirs back
	// when detached. With EngineAuto it chooses ptrace; EngineEBPF,
	// which never stops a task, rejects it (ErrColocateNeedsPtrace).
	Colocate bool
	// PollIdle keeps the machine's idle CPUs polling, rather than
	// halting, while the ptrace engine is busy with stops: each stop's
	// wake-up is then quick (3 to 5 times faster tracing where stops
	// dominate, on a VM). The program is not touched; the idle CPUs burn
	// power meanwhile. It needs write access to /dev/cpu_dma_latency
	// (root's) and is skipped without it; the eBPF engine ignores it.
	PollIdle bool
}

// Cmd is a program to start.
type Cmd struct {
	Name string   // program name or path, looked up in $PATH
	Args []string // arguments after the name
	Env  []string // environment; nil inherits
	Dir  string   // working directory; "" inherits

	// Stdin, Stdout and Stderr are the program's standard streams. Unlike
	// os/exec, nil gives the program the caller's own stream. Anything
	// but an *os.File is connected through a pipe; Wait then returns
	// once the program's output is copied.
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// Command returns the Cmd that runs name with args.
func Command(name string, args ...string) Cmd { return Cmd{Name: name, Args: args} }

// ExitStatus is how the started program ended.
type ExitStatus struct {
	Code   int  // exit code, or 128+signal when killed
	Signal int  // the killing signal, 0 when it exited
	Core   bool // it dumped core
}

// Tracer is one tracing session: the programs it started or attached to
// and everything they create (with Options.Follow). Tracing begins with
// Run, Events or Wait; one of them must be called, once.
type Tracer struct {
	eng     engine
	opts    Options
	stdio   *stdio
	spawned bool
	// filtered is the set of syscalls a seccomp filter stops the
	// program for, or the eBPF engine captures (Options.Trace and
	// Options.Hooked), nil when every call is.
	filtered *filter.Syscalls

	// begin hands the hooks to the engine's goroutine, which sets disp
	// before the engine runs and reads it only while it runs.
	begin   chan *dispatcher
	disp    *dispatcher
	started atomic.Bool
	// traced is closed when tracing ended (every task exited or was
	// detached); done when the started program ended too.
	traced chan struct{}
	done   chan struct{}
	status ExitStatus
	err    error

	detachOnce sync.Once
}

// Start starts cmd under the tracer. Tracing begins when Run, Events or
// Wait is called; until then the program waits before its first
// instruction. Cancelling ctx detaches from every task; if the program
// has not started by then, it never does.
func Start(ctx context.Context, cmd Cmd, opts Options) (*Tracer, error) {
	path, err := exec.LookPath(cmd.Name)
	if err != nil {
		return nil, lookPathError(cmd.Name, err)
	}
	argv := append([]string{cmd.Name}, cmd.Args...)
	var spec string
	stops := opts.stops()
	if !opts.NoSeccomp && (opts.Follow || opts.Tree) && !stops.IsAll() {
		// A selection too large for a filter is traced without one. The
		// filter needs Follow, as strace's --seccomp-bpf needs -f: the
		// threads and children the program makes inherit it, and one
		// left untraced would see its selected calls fail with ENOSYS.
		spec, _ = ptrace.SeccompFilter(stops)
	}
	t, err := newTracer(opts)
	if err != nil {
		return nil, err
	}
	t.spawned = true
	if spec != "" {
		t.filtered = stops
	}
	t.stdio, err = newStdio(&cmd)
	if err != nil {
		return nil, fmt.Errorf("cannot run %s: %w", cmd.Name, err)
	}
	err = t.start(ctx, func() error {
		err := t.eng.spawn(spawnCmd{path: path, argv: argv, env: cmd.Env, dir: cmd.Dir, filter: spec, files: t.stdio.fds()})
		t.stdio.started()
		return err
	})
	return t, err
}

// stops returns the syscalls the program must stop for: those reported
// and those hooked; nil for all.
func (o *Options) stops() *filter.Syscalls {
	if o.Trace == nil || o.Hooked == nil {
		return o.Trace
	}
	return filter.NoSyscalls().Union(o.Trace).Union(o.Hooked)
}

// Attach traces the running processes pids and all their threads (with
// Options.Tree, their descendants too). Detaching (Detach, Hooks
// returning Stop, ctx cancelled) leaves them running as before.
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
	t := &Tracer{
		opts:   opts,
		begin:  make(chan *dispatcher, 1),
		traced: make(chan struct{}),
		done:   make(chan struct{}),
	}
	eng, err := newEngine(t, opts, ebpfMatchesPtrace)
	if err != nil {
		return nil, err
	}
	t.eng = eng
	return t, nil
}

// start runs the engine on a goroutine locked to its thread: setup (spawn
// or attach) first, then, once Run, Events or Wait begins, the trace.
// When setup fails, the goroutine ends with its thread locked, so the
// thread exits and the kernel lets go of any task it had seized.
func (t *Tracer) start(ctx context.Context, setup func() error) error {
	ready := make(chan error, 1)
	go func() {
		defer close(t.done)
		if err := setup(); err != nil {
			t.eng.abort()
			ready <- err
			t.err = err
			close(t.traced)
			return
		}
		ready <- nil
		t.disp = <-t.begin
		err := t.eng.run()
		t.err = err
		close(t.traced)
		if t.spawned {
			t.status = exitStatus(t.eng.waitSpawned())
		}
		if t.stdio != nil {
			t.stdio.wait()
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
			case <-t.traced:
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

// run starts tracing with hooks, once.
func (t *Tracer) run(hooks Hooks) error {
	if !t.started.CompareAndSwap(false, true) {
		return ErrStarted
	}
	d, err := newDispatcher(hooks, t.opts.Trace, t.filtered)
	if err != nil {
		// Trace nothing: let every task go (a program that has not
		// started yet does not start).
		t.Detach()
		d, _ = newDispatcher(Hooks{}, nil, nil)
	}
	t.begin <- d
	return err
}

// Run traces until every task has ended or been detached, calling hooks
// on the tracer's goroutine. It returns when tracing ends; the started
// program may run on after a detach (Wait waits for it).
func (t *Tracer) Run(hooks Hooks) error {
	if err := t.run(hooks); err != nil {
		return err
	}
	<-t.traced
	return t.err
}

// Events traces, yielding each event reported (see Options.Trace). The
// Event is only valid until the next iteration. Breaking out of the loop
// detaches from every task. A failure of the trace itself is yielded
// last, with a nil Event.
func (t *Tracer) Events() iter.Seq2[*event.Event, error] {
	return func(yield func(*event.Event, error) bool) {
		// The engine's goroutine hands each event over and waits for the
		// answer: the task stays stopped while the loop body runs.
		evs := make(chan *event.Event)
		acks := make(chan bool)
		err := t.run(Hooks{OnEvent: func(ev *event.Event) Action {
			evs <- ev
			if <-acks {
				return Continue
			}
			return Stop
		}})
		if err != nil {
			yield(nil, err)
			return
		}
		normal := false
		defer func() {
			if !normal {
				// The loop body panicked or called runtime.Goexit: keep
				// answering so the engine can detach and finish.
				t.Detach()
				go drain(evs, acks, t.traced)
			}
		}()
		more := true
		for {
			select {
			case ev := <-evs:
				more = more && yield(ev, nil)
				acks <- more
			case <-t.traced:
				if t.err != nil && more {
					yield(nil, t.err)
				}
				normal = true
				return
			}
		}
	}
}

// drain answers "stop" to every event until tracing ends.
func drain(evs <-chan *event.Event, acks chan<- bool, traced <-chan struct{}) {
	for {
		select {
		case <-evs:
			acks <- false
		case <-traced:
			return
		}
	}
}

// Detach stops tracing: every task is detached and runs on as if it had
// never been traced. It may be called from any goroutine, at any time.
func (t *Tracer) Detach() {
	t.detachOnce.Do(func() {
		t.eng.stop()
	})
}

// Stats are figures about a trace so far.
type Stats struct {
	// Stops counts the times a traced task stopped for the tracer: the
	// cost of tracing, which the seccomp fast path keeps to the selected
	// syscalls.
	Stops uint64
}

// Stats returns the trace's figures so far. It may be called from any
// goroutine.
func (t *Tracer) Stats() Stats { return Stats{Stops: t.eng.stops()} }

// Engine is the engine that traces: EnginePtrace or EngineEBPF.
func (t *Tracer) Engine() Engine { return t.eng.kind() }

// Lost is the number of events the eBPF engine could not report because
// its ring buffer was full (always 0 with ptrace). The trace itself says
// where they went missing.
func (t *Tracer) Lost() uint64 { return t.eng.lost() }

// Wait waits for the trace to end and for the started program to exit,
// and returns its exit status (zero for Attach). If neither Run nor
// Events was called, Wait traces with no hooks.
func (t *Tracer) Wait() (ExitStatus, error) {
	if err := t.run(Hooks{}); err != nil && !errors.Is(err, ErrStarted) {
		return ExitStatus{}, err
	}
	<-t.done
	return t.status, t.err
}
