// Package tracer is gtrace as a library: start programs or attach to
// running ones, follow every thread and process they create, and see each
// syscall, signal and exit they make as a typed [event.Event] — or stop
// them at chosen syscalls and change what happens.
//
// # Watching
//
// [Start] and [Attach] return a [Tracer]; nothing runs until the trace
// begins. [Tracer.Events] is the simplest way to watch:
//
//	t, err := tracer.Start(ctx, tracer.Command("ls", "-l"), tracer.Options{Follow: true})
//	if err != nil {
//		return err
//	}
//	for ev, err := range t.Events() {
//		if err != nil {
//			return err
//		}
//		if ev.Kind == event.KindSyscallExit {
//			fmt.Println(ev.PID, ev.Call.Name, ev.Call.Ret)
//		}
//	}
//	status, err := t.Wait()
//
// Events are decoded as strace decodes them (pkg/decode): each
// [event.Call] has its arguments as values that print themselves in
// strace's syntax, its raw registers, and its result. [Options.Trace]
// chooses which syscalls are reported.
//
// # Changing
//
// [Tracer.Run] takes [Hooks] instead. A [Hook] selects syscalls by name,
// category or predicate, and is called at their entry and at their exit,
// in every thread and process traced, with the task stopped. Through the
// [Syscall] it gets, a hook reads the call and the task's memory and
// changes them: [Syscall.SetArg] changes what the kernel sees,
// [Syscall.SetReturn] and [Syscall.SetErrno] at entry skip the call and
// choose its result (at exit they replace it), [Syscall.WriteMemory]
// rewrites buffers and strings, and [Syscall.Inject] runs another syscall
// in the task and returns its result, as Tracy does. The trace shows what
// changed as strace shows its tampering: "= -1 EACCES (Permission denied)
// (INJECTED)".
//
//	deny := tracer.Hook{
//		Names: []string{"connect"},
//		Func: func(s *tracer.Syscall) tracer.Action {
//			if s.IsEntry() {
//				s.SetErrno(syscall.EACCES)
//			}
//			return tracer.Continue
//		},
//	}
//	err = t.Run(tracer.Hooks{Syscalls: []tracer.Hook{deny}})
//
// Packages can provide hooks: tamper applies strace's -e inject= rules,
// and restrace (under pkg/resource) follows every file and socket with
// Shaman's resource callbacks. A hook provider that keeps state reads
// each stop as an event with [Syscall.Event]. When the program runs under
// the seccomp fast path (Start with a selection in [Options.Trace]), it
// stops only for the calls that Options.Trace and [Options.Hooked] name:
// hooks that select other calls must be declared there, or Run refuses
// them.
//
// A hook's [Action] lets the task run on ([Continue]), lets its process
// go untraced ([Detach]), or ends the trace ([Stop]). Hooks see children
// as they appear (with [Options.Follow]); returning Detach from
// [Hooks.OnEvent] for a child's [event.KindAttach] lets that child run
// untraced from its start.
//
// # Ending
//
// A trace ends when every task has exited or been let go: by
// [Tracer.Detach] (from any goroutine), by cancelling the context given
// to Start or Attach, by a hook returning Stop, or by breaking out of
// Events. Detached tasks run on exactly as if never traced; a started
// program that has not yet begun (still in gtrace's spawn stub) is killed
// instead. [Tracer.Wait] waits for the started program to exit.
//
// # Errors
//
// Failures are values: a [*TraceError] says which task, doing what, and
// wraps one of the sentinels ([ErrNoSuchProcess], [ErrPermission] with a
// hint about ptrace_scope, [ErrTraced], ...) for [errors.Is].
//
// # How it works
//
// Tracing runs on one goroutine locked to its OS thread, which owns every
// ptrace and wait4 call (subpackage ptrace). A program is started through
// a re-exec of the running binary as a small stub, recognised by argv[0]
// in an init function of package ptrace: any binary importing this
// package can start traced programs. The engine waits only for its own
// thread's children and tracees, so the rest of a program keeps its
// children, and several Tracers may run at once.
//
// # Stability
//
// The API follows semantic versioning; [APIVersion] names its version.
// The gtrace command is itself a client of this package, through this
// API alone.
package tracer
