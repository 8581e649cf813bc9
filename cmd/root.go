// Package cmd is gtrace's command line: flags are parsed into an Options,
// and run wires the tracer to the formatters. Commands return errors; Main
// alone turns them into exit codes.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/gtrace/gtrace/internal/sigaction"
	"github.com/gtrace/gtrace/pkg/categories"
	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/filter"
	"github.com/gtrace/gtrace/pkg/format"
	"github.com/gtrace/gtrace/pkg/resource/restrace"
	"github.com/gtrace/gtrace/pkg/tracer"
)

// Options is everything the command line says.
type Options struct {
	IO *IOStreams

	Follow        int  // -f; -ff also writes one file per task with -o
	SeparateFiles bool // --ff
	Output        string
	PIDs          []string
	StrSize       int
	Verbose       bool
	Hex           int
	FDPaths       countOrSet[decode.FDDecode]
	Quiet         countOrSet[quietSet]
	Timestamps    int
	Relative      bool
	Durations     bool
	Numbers       bool
	Xlat          string
	Out           outputFlags // --format, --group, --summary, --color (output.go)

	// Selection (see expr.go).
	Exprs      []string      // -e
	Categories []string      // -c
	Paths      []string      // -P
	FDKind     string        // --fd-kind
	Seccomp    bool          // --seccomp
	Engine     EngineOptions // --engine, --tree, --ebpf-buffer (engine.go)

	Command []string
}

// strictCompletion makes cobra's completion command fail, rather than
// print its help, when no shell or an unknown one is named.
func strictCompletion(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	comp, _, err := root.Find([]string{"completion"})
	if err != nil || comp == root {
		return
	}
	comp.Args = func(_ *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usagef("completion: unknown shell %q (want bash, zsh, fish or powershell)", args[0])
		}
		return nil
	}
	comp.RunE = func(*cobra.Command, []string) error {
		return usagef("completion: name a shell: bash, zsh, fish or powershell")
	}
}

// plainFlagError says what is wrong with a flag's value without the Go
// parser's words: pflag's `invalid argument "abc" for "-s" flag:
// strconv.ParseInt: parsing "abc": invalid syntax` ends ": not a number".
func plainFlagError(err error) error {
	msg := err.Error()
	i := strings.Index(msg, ": strconv.Parse")
	if i < 0 {
		return err
	}
	why := "not a number"
	if strings.HasSuffix(msg, "value out of range") {
		why = "out of range"
	}
	return errors.New(msg[:i] + ": " + why)
}

// usageError marks a mistake on the command line: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// exitCode carries the traced program's exit status out of run.
type exitCode int

func (c exitCode) Error() string { return "exit status " + strconv.Itoa(int(c)) }

// caughtSignal ends a run that detached from attached processes on a
// signal: gtrace then ends as that signal would have ended it.
type caughtSignal syscall.Signal

func (s caughtSignal) Error() string { return "detached on " + syscall.Signal(s).String() }

// Main runs gtrace with args and returns the process exit status. A run
// that detached from attached processes on a signal ends by that signal
// instead, as strace's does, so that a shell sees it interrupted.
func Main(args []string) int {
	code, sig := executeSignal(System(), args)
	if sig != 0 {
		dieOf(sig)
	}
	return code
}

// dieOf ends the process by sig's default action: the kernel's, not the
// Go runtime's (which, for SIGQUIT, dumps every goroutine first).
func dieOf(sig syscall.Signal) {
	if sigaction.Set(sig, &sigaction.Action{}) {
		_ = syscall.Kill(os.Getpid(), sig)
		time.Sleep(time.Second)
	}
}

// execute runs gtrace with args on ios and returns the exit status.
func execute(ios *IOStreams, args []string) int {
	code, _ := executeSignal(ios, args)
	return code
}

// executeSignal is execute, with the signal gtrace detached on, if any.
func executeSignal(ios *IOStreams, args []string) (int, syscall.Signal) {
	root := newRootCmd(ios)
	root.SetArgs(args)
	err := root.Execute()
	var code exitCode
	var usage usageError
	var sig caughtSignal
	switch {
	case err == nil:
		return 0, 0
	case errors.As(err, &sig):
		return 128 + int(sig), syscall.Signal(sig)
	case errors.As(err, &code):
		return int(code), 0
	case errors.As(err, &usage):
		fmt.Fprintf(ios.ErrOut, "gtrace: %v\n", err)
		fmt.Fprintln(ios.ErrOut, "Try 'gtrace --help' for more information.")
		return 2, 0
	}
	fmt.Fprintf(ios.ErrOut, "gtrace: %v\n", err)
	return 1, 0
}

func newRootCmd(ios *IOStreams) *cobra.Command {
	c, _ := newRoot(ios)
	return c
}

// newRoot returns the root command and the Options its flags fill, set to
// the flags' defaults until it runs.
func newRoot(ios *IOStreams) (*cobra.Command, *Options) {
	opts := &Options{IO: ios}
	c := &cobra.Command{
		Use:   "gtrace [flags] [--] COMMAND [ARGS...] | gtrace [flags] -p PID[,PID...]",
		Short: "Trace the syscalls and signals of a program",
		Long: `gtrace traces the system calls and signals of a program it starts, or of
running processes it attaches to, and prints them as strace does.`,
		Args:          cobra.ArbitraryArgs, // the traced command, not subcommands
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Command = args
			return run(c.Context(), opts)
		},
	}
	c.Flags().SetInterspersed(false)
	c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{plainFlagError(err)} })
	f := c.Flags()
	f.CountVarP(&opts.Follow, "follow-forks", "f", "trace child processes and threads as they are created (-ff: one output file per task with -o)")
	f.BoolVar(&opts.SeparateFiles, "ff", false, "with -o FILE, write each task's trace to FILE.PID")
	f.StringVarP(&opts.Output, "output", "o", "", "write the trace to `FILE` (- for standard output, '|cmd' or '!cmd' to pipe it to a command) instead of standard error")
	f.StringArrayVarP(&opts.PIDs, "attach", "p", nil, "attach to the running process `PID` and all its threads (repeatable, comma lists)")
	f.IntVarP(&opts.StrSize, "string-limit", "s", decode.DefaultStrSize, "print at most `N` bytes of each string")
	f.BoolVarP(&opts.Verbose, "no-abbrev", "v", false, "print structures, argument vectors and environments in full")
	f.CountVarP(&opts.Hex, "hex", "x", "print non-ASCII strings in hex (-xx: all strings)")
	opts.FDPaths.parse = parseDecodeFDs
	f.VarPF(&opts.FDPaths, "decode-fds", "y", "print the paths of file descriptors (-yy: socket endpoints, devices and pidfds too; --decode-fds=SET: path, socket, dev, pidfd)").NoOptDefVal = "+1"
	opts.Quiet.parse = parseQuiet
	f.VarPF(&opts.Quiet, "quiet", "q", "suppress attach/detach messages (-qq: exit status lines too, -qqq: all; --quiet=SET: attach, exit, path-resolution, personality, superseded)").NoOptDefVal = "+1"
	f.CountVarP(&opts.Timestamps, "timestamps", "t", "prefix lines with the time of day (-tt: with microseconds, -ttt: epoch seconds)")
	f.BoolVarP(&opts.Relative, "relative-timestamps", "r", false, "prefix lines with the time since the previous line")
	f.BoolVarP(&opts.Durations, "syscall-times", "T", false, "show the time spent in each syscall")
	f.BoolVarP(&opts.Numbers, "syscall-number", "n", false, "print each syscall's number")
	f.StringVarP(&opts.Xlat, "const-print-style", "X", "abbrev", "how to print named constants: `raw`, abbrev or verbose")
	f.StringArrayVarP(&opts.Exprs, "expr", "e", nil, "strace's qualifying `EXPR`: trace=, signal=, status=, trace-fds=, inject=, fault=, raw=, abbrev=, read=, write= (repeatable)")
	f.StringArrayVarP(&opts.Categories, "category", "c", nil, "trace only the syscalls of these categories: `LIST` of "+strings.Join(categories.Names(), ", ")+"; !name excludes (repeatable)")
	f.StringArrayVarP(&opts.Paths, "trace-path", "P", nil, "trace only the syscalls that touch `PATH` (repeatable)")
	exprFlag(f, &opts.Exprs, "successful-only", "z", "status=successful", "print only the syscalls that succeeded (-e status=successful)")
	exprFlag(f, &opts.Exprs, "failed-only", "Z", "status=failed", "print only the syscalls that failed (-e status=failed)")
	f.StringVar(&opts.FDKind, "fd-kind", "", "show generic I/O calls (read, write, close, ...) only on descriptors of these `KINDS`: socket, pipe, file, device, eventfd, epoll, timerfd, signalfd, inotify, pidfd, anon, other")
	f.BoolVar(&opts.Seccomp, "seccomp", true, "when tracing some syscalls of a program gtrace starts with -f, stop it only on those (seccomp-bpf)")
	opts.Engine.addFlags(f)
	addOutputFlags(f, &opts.Out)
	c.AddCommand(newGenerateCmd())
	strictCompletion(c)
	registerCompletions(c)
	return c, opts
}

// run is the whole trace: validate, start or attach, format, exit status.
func run(ctx context.Context, opts *Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	pids, err := parsePIDs(opts.PIDs)
	if err != nil {
		return err
	}
	switch {
	case len(pids) == 0 && len(opts.Command) == 0:
		return usagef("must have COMMAND to run or -p PID to attach to")
	case len(pids) > 0 && len(opts.Command) > 0:
		return usagef("give either a COMMAND or -p PID, not both")
	case opts.StrSize < 0:
		return usagef("-s: string limit must be a positive number")
	}
	if err := opts.Out.check(); err != nil {
		return err
	}
	style := event.Style{Hex: opts.Hex}
	switch opts.Xlat {
	case "abbrev":
	case "raw":
		style.Xlat = event.XlatRaw
	case "verbose":
		style.Xlat = event.XlatVerbose
	default:
		return usagef("-X: unknown style %q (want raw, abbrev or verbose)", opts.Xlat)
	}
	sel, err := parseSelection(opts, opts.IO.ErrOut)
	if err != nil {
		return err
	}
	quiet := quietness(opts, sel, len(pids) > 0)
	if quiet&quietPathResolution == 0 {
		for _, r := range sel.resolved {
			fmt.Fprintf(opts.IO.ErrOut, "gtrace: Requested path %q resolved into %q\n", r[0], r[1])
		}
	}
	separate := opts.SeparateFiles || opts.Follow > 1
	if separate && (opts.Output == "" || opts.Output == "-") {
		return usagef("-ff needs -o FILE: each task's trace goes to FILE.PID")
	}
	if command, ok := pipedOutput(opts.Output); ok {
		switch {
		case separate:
			return usagef("-ff writes a file per task: it cannot pipe the trace to a command")
		case strings.TrimSpace(command) == "":
			return usagef("-o %s: no command to pipe the trace to", opts.Output)
		}
	}
	if separate && opts.Out.Group != "" && !opts.Out.SummaryOnly {
		// A resource outlives the task that opened it (fork, threads).
		return usagef("--group reports on resources, which tasks share: it does not split per task with -ff")
	}

	var topts tracer.Options
	if err := opts.Engine.apply(&topts, len(pids) > 0, len(sel.inject) > 0); err != nil {
		return err
	}
	if topts.Engine == tracer.EngineEBPF && (sel.dumpReads != nil || sel.dumpWrites != nil) {
		return usageError{tracer.ErrDumpsNeedPtrace}
	}
	out, closeOut, err := openOutput(opts)
	if err != nil {
		return err
	}
	defer closeOut()
	sopts := format.StraceOptions{
		Style:   style,
		Numbers: opts.Numbers,
		// -qq hides the exit status lines.
		HideExits: quiet&quietExit != 0,
		Time:      format.TimeOptions{Stamps: opts.Timestamps, Relative: opts.Relative, Durations: opts.Durations},
	}
	if sel.filter.Signals != nil {
		sopts.ShowKilledBy = sel.filter.Signals.Has
	}
	switch {
	case opts.Output != "" && opts.Follow > 0:
		sopts.Prefix = format.PrefixAlways
	case opts.Output != "":
		sopts.Prefix = format.PrefixPlainAuto
	}
	fm, res := newFormatter(opts, out, sopts, separate)

	topts.Follow = opts.Follow > 0 || separate
	strSize := opts.StrSize
	if strSize == 0 {
		strSize = -1 // strace's -s 0: no bytes at all
	}
	topts.Decode = decode.Options{StrSize: strSize, Verbose: opts.Verbose, FDDecode: fdDecoding(opts, sel), Xlat: style.Xlat,
		NamesOnly: printsNoArguments(opts, sel)}
	sel.decodeOptions(&topts.Decode)
	topts.Trace = sel.syscalls()
	topts.NoSeccomp = !opts.Seccomp
	// --group's reports need every call on their resources, whatever -e
	// trace= and -c report: a feed's hooks stop the program for them.
	var feed *restrace.Feed
	if res != nil {
		feed = restrace.New(res)
		topts.Hooked = restrace.Syscalls()
	}
	var t *tracer.Tracer
	if len(pids) > 0 {
		t, err = tracer.Attach(ctx, pids, topts)
	} else {
		t, err = tracer.Start(ctx, tracer.Command(opts.Command[0], opts.Command[1:]...), topts)
	}
	if err != nil {
		return err
	}

	sigs := make(chan os.Signal, 1)
	// SIGQUIT too: the Go runtime's own would dump its goroutines and
	// exit without detaching.
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer signal.Stop(sigs)
	// caught is the signal that made gtrace detach, 0 if none did.
	var caught atomic.Int32
	go func() {
		if sig, ok := <-sigs; ok {
			caught.Store(int32(sig.(syscall.Signal)))
			t.Detach()
		}
	}()
	// A closed output pipe must not kill gtrace (and with it, through
	// PTRACE_O_EXITKILL, the program): writes fail with EPIPE instead and
	// gtrace detaches. A handler, unlike SIG_IGN, is not inherited by the
	// program.
	pipes := make(chan os.Signal, 1)
	signal.Notify(pipes, syscall.SIGPIPE)
	defer signal.Stop(pipes)

	var outErr error
	outFailed := func(err error) bool {
		if err == nil || outErr != nil {
			return false
		}
		outErr = err
		return true
	}

	msgs := &messages{io: opts.IO, fm: fm, quiet: quiet, attached: len(pids) > 0, shared: opts.Output == ""}
	if !opts.Out.textMessages() {
		msgs.quiet |= quietAttach | quietPersonality
	}
	if la, ok := fm.(lineAware); ok && opts.Output == "" {
		msgs.atLineEnd = la.AtLineEnd
	}
	show := func(ev *event.Event) {
		if msgs.filter(ev) {
			outFailed(fm.Write(ev))
		}
	}
	flt := filter.New(sel.filter)
	tam := tamperer(sel)
	err = t.Run(tracer.Hooks{
		Syscalls: syscallHooks(tam, feed),
		OnEvent: func(ev *event.Event) tracer.Action {
			if tam != nil && ev.Kind == event.KindExit {
				tam.Forget(ev.TID)
			}
			if feed != nil {
				feed.Event(ev)
			}
			failed := outErr != nil
			if flt != nil {
				flt.Event(ev, show)
			} else {
				show(ev)
			}
			if !failed && outErr != nil {
				return tracer.Stop
			}
			return tracer.Continue
		},
		OnIdle: func() {
			if outFailed(fm.Flush()) {
				t.Detach()
			}
		},
	})
	if endErr := fm.End(); outErr == nil {
		outErr = endErr
	}
	reportLost(opts.IO, t)
	if err != nil {
		return err
	}
	if outErr != nil && !errors.Is(outErr, syscall.EPIPE) {
		return fmt.Errorf("write trace: %w", outErr)
	}
	status, _ := t.Wait()
	switch {
	case len(pids) == 0 && status.Code != 0:
		return exitCode(status.Code)
	case len(pids) > 0 && caught.Load() != 0:
		// strace detaches, then dies of the signal it caught.
		return caughtSignal(caught.Load())
	}
	return nil
}

// printsNoArguments reports whether nothing of the run looks at a call's
// arguments: only strace -c's table is printed, and no filter or report
// reads them. Calls then need no decoding (decode.Options.NamesOnly).
func printsNoArguments(opts *Options, sel *selection) bool {
	f := sel.filter
	return opts.Out.SummaryOnly && opts.Out.Group == "" && f.Paths == nil && f.FDs == nil && f.FDKinds == nil
}

// messages prints gtrace's own messages (attached, detached) to stderr,
// as strace does, and applies -q/-qq to the trace.
type messages struct {
	io       *IOStreams
	fm       format.Formatter
	quiet    quietSet
	attached bool
	// atLineEnd defers a message while the trace, on the same stream,
	// has a half-written line.
	atLineEnd func(func())
	// shared: the trace goes to standard error too, so what it has
	// buffered is written before a message, in the order it happened.
	shared bool
}

// lineAware is a formatter that can hold messages until a line ends.
type lineAware interface{ AtLineEnd(func()) }

// filter prints the message an event calls for and reports whether the
// event belongs in the trace.
func (m *messages) filter(ev *event.Event) bool {
	switch ev.Kind {
	case event.KindAttach:
		if m.quiet&quietAttach == 0 && (ev.Child != 0 || m.attached) {
			m.say("Process %d attached", ev.TID)
		}
	case event.KindDetach:
		if m.quiet&quietAttach == 0 {
			m.say("Process %d detached", ev.TID)
		}
	case event.KindNotice:
		switch {
		case m.quiet&quietPersonality != 0 && strings.HasPrefix(ev.Text, "[ Process PID="):
			return false
		case m.quiet&quietSuperseded != 0 && ev.Former != 0:
			// Formatters still learn that the thread took the
			// leader's id.
			ev.Text = ""
		}
	}
	return true
}

func (m *messages) say(format string, args ...any) {
	msg := fmt.Sprintf("gtrace: "+format+"\n", args...)
	if m.atLineEnd != nil {
		m.atLineEnd(func() { _, _ = io.WriteString(m.io.ErrOut, msg) })
		return
	}
	if m.shared {
		_ = m.fm.Flush()
	}
	_, _ = io.WriteString(m.io.ErrOut, msg)
}

// openOutput opens -o's destination.
func openOutput(opts *Options) (io.Writer, func(), error) {
	switch opts.Output {
	case "":
		return opts.IO.ErrOut, func() {}, nil
	case "-":
		return opts.IO.Out, func() {}, nil
	}
	if opts.SeparateFiles || opts.Follow > 1 {
		return nil, func() {}, nil
	}
	if command, ok := pipedOutput(opts.Output); ok {
		return startOutputCommand(opts.IO, command)
	}
	f, err := os.Create(opts.Output)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot open output: %w", err)
	}
	return f, func() { _ = f.Close() }, nil
}

// parsePIDs reads -p values: repeatable, each a comma or space separated
// list.
func parsePIDs(values []string) ([]int, error) {
	var pids []int
	for _, v := range values {
		for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
			pid, err := strconv.Atoi(s)
			if err != nil || pid <= 0 {
				return nil, usagef("-p: invalid process id %q", s)
			}
			pids = append(pids, pid)
		}
	}
	return pids, nil
}
