package tracer

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/tracer/ebpf"
	"github.com/gtrace/gtrace/pkg/tracer/ptrace"
)

// Engine chooses how programs are traced.
type Engine uint8

const (
	// EngineAuto picks the eBPF engine where it is available and nothing
	// asked needs ptrace, once its traces match the ptrace engine's on
	// the differential tests (ebpfMatchesPtrace); until then, ptrace.
	EngineAuto Engine = iota
	// EnginePtrace stops the program at each syscall (PTRACE_SYSCALL):
	// every feature, at ptrace's cost.
	EnginePtrace
	// EngineEBPF observes from the kernel through BPF programs: a few
	// times native cost, but it cannot change what the program does. It
	// needs root or CAP_BPF and CAP_PERFMON.
	EngineEBPF
)

var engineNames = [...]string{EngineAuto: "auto", EnginePtrace: "ptrace", EngineEBPF: "ebpf"}

func (e Engine) String() string {
	if int(e) < len(engineNames) {
		return engineNames[e]
	}
	return "unknown"
}

// ParseEngine reads an engine name: auto, ptrace or ebpf.
func ParseEngine(s string) (Engine, error) {
	for e, name := range engineNames {
		if s == name {
			return Engine(e), nil
		}
	}
	return EngineAuto, fmt.Errorf("unknown engine %q (want auto, ptrace or ebpf)", s)
}

// ebpfMatchesPtrace records whether the eBPF engine's traces equal the
// ptrace engine's on the differential tests. They do not yet (see the
// README's engine notes), so EngineAuto means ptrace.
const ebpfMatchesPtrace = false

// ErrObservesOnly is returned when what is asked needs to change the
// traced program and the eBPF engine was chosen.
var ErrObservesOnly = errors.New("the eBPF engine only observes: tampering and injection need --engine=ptrace")

// CheckEngine reports whether engine e can do what is asked: tampering
// (changing arguments, results or signals, injecting calls or faults)
// needs ptrace. A command line calls it to turn the combination into a
// usage error before anything starts.
func CheckEngine(e Engine, tampering bool) error {
	if e == EngineEBPF && tampering {
		return ErrObservesOnly
	}
	return nil
}

// engine is what a Tracer needs of an engine.
type engine interface {
	spawn(path string, argv []string, cmd Cmd) error
	attach(pid int) error
	run() (unix.WaitStatus, error)
	// stop asks run to detach from every task and return; any goroutine.
	stop()
	// abort frees what the engine holds when setup failed and run will
	// not be called.
	abort()
	lost() uint64
	kind() Engine
}

// newEngine makes the engine opts ask for; autoEBPF says whether
// EngineAuto tries eBPF first (ebpfMatchesPtrace). An eBPF engine that
// cannot load is passed over silently for EngineAuto; asked for by name,
// its error is returned.
func newEngine(t *Tracer, opts Options, autoEBPF bool) (engine, error) {
	fds := opts.FDs
	if fds == nil {
		fds = ProcFDs{}
	}
	dec := decode.NewDecoder(opts.Decode, fds)
	follow := opts.Follow || opts.Tree
	useEBPF := opts.Engine == EngineEBPF || (opts.Engine == EngineAuto && autoEBPF)
	if useEBPF {
		e, err := ebpf.New(ebpf.Config{
			Follow:     follow,
			Decoder:    dec,
			Trace:      opts.Trace,
			Handler:    (*ebpfHandler)(t),
			BufferSize: opts.BufferSize,
		})
		if err == nil {
			return ebpfEngine{e}, nil
		}
		if opts.Engine == EngineEBPF {
			return nil, err
		}
	}
	return ptraceEngine{ptrace.New(ptrace.Config{
		Follow:  follow,
		Decoder: dec,
		Trace:   opts.Trace,
		Handler: (*handler)(t),
	})}, nil
}

type ptraceEngine struct{ *ptrace.Engine }

func (p ptraceEngine) spawn(path string, argv []string, cmd Cmd) error {
	_, err := p.Spawn(ptrace.Command{Path: path, Argv: argv, Env: cmd.Env, Dir: cmd.Dir})
	return err
}

func (p ptraceEngine) attach(pid int) error          { return p.Attach(pid) }
func (p ptraceEngine) run() (unix.WaitStatus, error) { return p.Run() }
func (p ptraceEngine) lost() uint64                  { return 0 }
func (p ptraceEngine) kind() Engine                  { return EnginePtrace }
func (p ptraceEngine) abort()                        {}

func (p ptraceEngine) stop() {
	p.RequestStop()
	_ = ptrace.Wake()
}

type ebpfEngine struct{ *ebpf.Engine }

func (b ebpfEngine) spawn(path string, argv []string, cmd Cmd) error {
	_, err := b.Spawn(ebpf.Command{Path: path, Argv: argv, Env: cmd.Env, Dir: cmd.Dir})
	return err
}

func (b ebpfEngine) attach(pid int) error          { return b.Attach(pid) }
func (b ebpfEngine) run() (unix.WaitStatus, error) { return b.Run() }
func (b ebpfEngine) stop()                         { b.RequestStop() }
func (b ebpfEngine) lost() uint64                  { return b.Lost() }
func (b ebpfEngine) kind() Engine                  { return EngineEBPF }
func (b ebpfEngine) abort()                        { b.Close() }

// ebpfHandler adapts a Tracer to the eBPF engine's Handler.
type ebpfHandler Tracer

func (h *ebpfHandler) Handle(ev *event.Event) Action {
	if h.hooks.OnEvent == nil {
		return Continue
	}
	return h.hooks.OnEvent(ev)
}

func (h *ebpfHandler) Idle() { (*handler)(h).Idle() }
