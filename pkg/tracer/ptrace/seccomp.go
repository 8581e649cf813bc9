package ptrace

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"runtime"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/filter"
)

// The seccomp fast path: when gtrace starts a program and only some
// syscalls are selected, the spawn stub installs a seccomp filter that
// returns SECCOMP_RET_TRACE for the selected ones (a PTRACE_EVENT_SECCOMP
// stop) and SECCOMP_RET_ALLOW for the rest, which then cost the program
// nothing. The engine resumes such tasks with PTRACE_CONT, and with
// PTRACE_SYSCALL only from a seccomp stop to the call's exit stop. Every
// task of the program inherits the filter, so new threads and children are
// resumed the same way from their first stop (strace waits for a new
// task's first seccomp stop and loses time on threaded programs).
//
// A filter outlives the tracer: a task detached with it in place would see
// its selected syscalls fail with ENOSYS. So filtered tasks are never
// detached; "detaching" them mutes them instead, and the engine serves
// their seccomp stops silently until they exit.

func init() { installFilter = installSeccomp }

// maxFilterLen is the kernel's limit on a BPF program (BPF_MAXINSNS).
const maxFilterLen = 4096

// SeccompFilter returns the spec of a seccomp filter that stops on the
// syscalls of sel, of both x86 ABIs (a 64-bit program that uses int $0x80
// does not escape it), for Command.Filter.
func SeccompFilter(sel *filter.Syscalls) (string, error) {
	prog := []bpf.Instruction{bpf.LoadAbsolute{Off: 4, Size: 4}} // seccomp_data.arch
	for _, a := range []struct {
		audit uint32
		arch  event.Arch
	}{{unix.AUDIT_ARCH_X86_64, event.ArchX86_64}, {unix.AUDIT_ARCH_I386, event.ArchI386}} {
		block := append([]bpf.Instruction{bpf.LoadAbsolute{Off: 0, Size: 4}}, // seccomp_data.nr
			rangeTree(ranges(sel, a.arch))...)
		prog = append(prog,
			bpf.JumpIf{Cond: bpf.JumpEqual, Val: a.audit, SkipTrue: 1},
			bpf.Jump{Skip: uint32(len(block))},
		)
		prog = append(prog, block...)
	}
	prog = append(prog, bpf.RetConstant{Val: unix.SECCOMP_RET_ALLOW})
	if len(prog) > maxFilterLen {
		return "", fmt.Errorf("seccomp filter of %d instructions is too long", len(prog))
	}
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return "", err
	}
	buf := make([]byte, 0, 8*len(raw))
	for _, ins := range raw {
		buf = binary.LittleEndian.AppendUint16(buf, ins.Op)
		buf = append(buf, ins.Jt, ins.Jf)
		buf = binary.LittleEndian.AppendUint32(buf, ins.K)
	}
	return base64.RawURLEncoding.EncodeToString(buf), nil
}

// span is an inclusive range of syscall numbers.
type span struct{ lo, hi uint32 }

// ranges returns the numbers of arch in sel as ascending, disjoint spans.
func ranges(sel *filter.Syscalls, arch event.Arch) []span {
	var out []span
	add := func(lo, hi uint32) {
		if n := len(out); n > 0 && out[n-1].hi+1 == lo {
			out[n-1].hi = hi
			return
		}
		out = append(out, span{lo, hi})
	}
	for _, nr := range sel.Numbers(arch) {
		add(uint32(nr), uint32(nr))
	}
	if sel.Beyond(arch) {
		add(uint32(sel.Limit(arch)), math.MaxUint32)
	}
	return out
}

// rangeTree returns code that, with the syscall number loaded, returns
// TRACE when it is in one of spans and ALLOW otherwise: a binary search,
// so a call costs a few comparisons whatever the selection.
func rangeTree(spans []span) []bpf.Instruction {
	if len(spans) == 0 {
		return []bpf.Instruction{bpf.RetConstant{Val: unix.SECCOMP_RET_ALLOW}}
	}
	mid := len(spans) / 2
	s := spans[mid]
	left, right := rangeTree(spans[:mid]), rangeTree(spans[mid+1:])
	code := []bpf.Instruction{
		bpf.JumpIf{Cond: bpf.JumpGreaterOrEqual, Val: s.lo, SkipTrue: 1},
		bpf.Jump{Skip: uint32(2 + len(right))}, // below the span: to left
		bpf.JumpIf{Cond: bpf.JumpGreaterThan, Val: s.hi, SkipTrue: 1},
		bpf.RetConstant{Val: unix.SECCOMP_RET_TRACE},
	}
	code = append(code, right...)
	return append(code, left...)
}

// installSeccomp installs the filter of spec on the calling thread, the
// stub's main thread, which then execs the program.
func installSeccomp(spec string) error {
	buf, err := base64.RawURLEncoding.DecodeString(spec)
	if err != nil || len(buf) == 0 || len(buf)%8 != 0 {
		return errors.New("bad filter spec")
	}
	prog := make([]unix.SockFilter, len(buf)/8)
	for i := range prog {
		b := buf[8*i:]
		prog[i] = unix.SockFilter{Code: binary.LittleEndian.Uint16(b), Jt: b[2], Jf: b[3], K: binary.LittleEndian.Uint32(b[4:])}
	}
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	runtime.LockOSThread()
	err = seccompSetFilter(&fprog)
	if err == unix.EACCES {
		// Without CAP_SYS_ADMIN the kernel wants no_new_privs first. It is
		// only set when needed: it changes what setuid programs do.
		if err = unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err == nil {
			err = seccompSetFilter(&fprog)
		}
	}
	return err
}

// seccompSetFilter is seccomp(SECCOMP_SET_MODE_FILTER, 0, prog).
func seccompSetFilter(prog *unix.SockFprog) error {
	_, _, e := unix.RawSyscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, 0, uintptr(unsafe.Pointer(prog)))
	runtime.KeepAlive(prog)
	if e != 0 {
		return e
	}
	return nil
}

// resumeTask resumes t to its next stop, delivering sig: a filtered task
// runs freely to its next seccomp stop, unless it is inside a selected
// call, whose exit stop must be seen.
func (e *Engine) resumeTask(t *task, sig int) error {
	if t.filtered && !t.inCall {
		return resumeCont(t.tid, sig)
	}
	return resumeSyscall(t.tid, sig)
}

// mute stops reporting a filtered task instead of detaching it, and lets
// it run on.
func (e *Engine) mute(t *task, sig int) {
	t.muted, t.detaching = true, false
	e.emitTask(event.KindDetach, t)
	_ = resumeCont(t.tid, sig)
}

// serveMuted handles a stop of a muted task: it runs on as if untraced.
func (e *Engine) serveMuted(t *task, ws unix.WaitStatus) {
	if ws.Exited() || ws.Signaled() {
		e.forget(t)
		if t.tid == e.spawned {
			e.status, e.statusSet = ws, true
		}
		return
	}
	sig, ev := ws.StopSignal(), int(ws)>>16
	switch {
	case sig == unix.SIGTRAP|0x80 || ev == eventSeccomp:
		_ = resumeCont(t.tid, 0)
	case ev == eventStop:
		if sig == unix.SIGSTOP || sig == unix.SIGTSTP || sig == unix.SIGTTIN || sig == unix.SIGTTOU {
			_ = listen(t.tid)
			return
		}
		_ = resumeCont(t.tid, 0)
	case ev != 0 && sig == unix.SIGTRAP:
		if ev == unix.PTRACE_EVENT_FORK || ev == unix.PTRACE_EVENT_VFORK || ev == unix.PTRACE_EVENT_CLONE {
			if msg, err := eventMsg(t.tid); err == nil && e.tasks[int(msg)] == nil {
				e.addTask(int(msg), tgidOf(int(msg))).muted = true
			}
		}
		_ = resumeCont(t.tid, 0)
	default:
		_ = resumeCont(t.tid, int(sig))
	}
}

// Stops is the number of times a tracee stopped for the engine so far:
// what tracing cost the program, in context switches. It may be called
// from any goroutine.
func (e *Engine) Stops() uint64 { return e.stops.Load() }
