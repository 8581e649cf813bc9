package tracer

import (
	"errors"

	"github.com/gtrace/gtrace/pkg/tracer/ptrace"
)

// TraceError is a failure to trace or change one task: which, doing
// what, why, and (Hint) what to do about it. Its Err is one of the
// sentinels below when one applies.
type TraceError = ptrace.TraceError

// Errors to check with errors.Is.
var (
	// ErrNotFound: Start could not find the program.
	ErrNotFound = errors.New("no such file or directory")
	// ErrNoSuchProcess: the process does not exist, or died.
	ErrNoSuchProcess = ptrace.ErrNoSuchProcess
	// ErrPermission: the kernel refused to let us trace the process
	// (the TraceError's Hint says why: ptrace_scope, another user).
	ErrPermission = ptrace.ErrPermission
	// ErrSelf: a program cannot trace itself.
	ErrSelf = ptrace.ErrSelf
	// ErrZombie: the process has exited and waits to be reaped.
	ErrZombie = ptrace.ErrZombie
	// ErrKernelThread: kernel threads cannot be traced.
	ErrKernelThread = ptrace.ErrKernelThread
	// ErrTraced: another tracer (strace, gdb) traces the process.
	ErrTraced = ptrace.ErrTraced

	// ErrNotSyscallStop: a Syscall method that changes the call was used
	// where the task is not stopped at it.
	ErrNotSyscallStop = ptrace.ErrNotSyscallStop
	// ErrNotAtEntry: the change is only possible at the call's entry.
	ErrNotAtEntry = ptrace.ErrNotAtEntry

	// ErrStarted: Run, Events or Wait was called after tracing began.
	ErrStarted = errors.New("tracer: already started")
	// ErrUnknownSyscall: a Hook names a syscall no table has.
	ErrUnknownSyscall = errors.New("unknown syscall")
)
