// Package ptrace is gtrace's ptrace engine: it spawns or attaches to
// programs, follows every thread and process they create, and reports
// each syscall, signal and exit as an event.Event to a Handler, decoded
// by pkg/decode.
//
// All ptrace and wait4 calls happen on the OS thread that runs Run (and
// the Spawn or Attach before it): ptrace requests are only valid from the
// thread that attached. Run locks the calling goroutine to its thread;
// callers start the engine on a goroutine of its own.
package ptrace

import (
	"errors"
	"slices"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
)

// Action is what a Handler asks the engine to do after an event.
type Action uint8

const (
	// Continue lets the task run on.
	Continue Action = iota
	// DetachTask stops tracing the task that reported the event.
	DetachTask
	// DetachAll stops tracing every task.
	DetachAll
	// DetachProcess stops tracing every thread of the process that
	// reported the event.
	DetachProcess
)

// Handler receives the engine's events, on the engine's thread. The task
// that reported a syscall event stays stopped until Handle returns, so the
// handler may read and change it through the Stop. The Event and its Call
// are reused: a handler must copy what it keeps.
type Handler interface {
	Handle(ev *event.Event, st *Stop) Action
	// Idle is called before the engine blocks to wait for its tracees:
	// the moment to flush buffered output.
	Idle()
}

// Config configures an Engine.
type Config struct {
	// Follow traces the threads and processes tracees create (-f).
	Follow bool
	// Decoder decodes syscalls; nil means strace's defaults.
	Decoder *decode.Decoder
	// Trace says whether the engine stops for syscall nr of arch (to
	// report it or to run hooks on it); nil stops for all.
	Trace func(arch event.Arch, nr int) bool
	// Handler receives the events.
	Handler Handler
	// Colocate runs the engine's thread and the tracees on one CPU
	// (see colocate.go): faster, but it changes the tracees' affinity.
	Colocate bool
	// PollIdle keeps idle CPUs polling rather than halting while the
	// engine is busy (see pollidle.go): faster wake-ups, the tracees
	// untouched, at the cost of the idle CPUs' power meanwhile.
	PollIdle bool
}

// Engine is one tracing session.
type Engine struct {
	cfg   Config
	tasks map[int]*task
	// unannounced holds tasks that were adopted at their own first stop
	// and have ended before their creator's clone event came.
	unannounced map[int]struct{}
	// idle is the PM QoS request that keeps idle CPUs polling.
	idle pollIdle

	// spawned is the pid of the program Spawn started, 0 if none.
	spawned int
	// status is the spawned program's wait status once it ended.
	status    unix.WaitStatus
	statusSet bool

	stopRequested atomic.Bool
	detaching     bool

	// seccomp: the spawned program runs under a seccomp filter (see
	// seccomp.go).
	seccomp bool
	colo    colocation
	stops   atomic.Uint64
	wake    wakers
	later   []delayed // tasks held stopped by Stop.Delay

	ev   event.Event
	stop Stop
	info syscallInfo
	sig  [siginfoSize]byte
	exit event.ExitStatus
	sigv event.Signal
}

// task is one traced thread.
type task struct {
	tid, tgid int
	// startup: the spawn stub, before the program's execve.
	startup bool
	// inCall: between a syscall's entry and exit stops.
	inCall bool
	// shown: the current call was decoded and reported.
	shown bool
	sc    *decode.Syscall
	call  event.Call
	mem   taskMemory
	arch  event.Arch
	// detaching: interrupted to be detached at its next stop.
	detaching bool
	// attached: attached to with Attach rather than spawned or followed.
	attached bool
	// interrupted is the syscall an attached task was blocked in when
	// it was interrupted (-1 if none): its restart_syscall prints it.
	interrupted int
	// attachStop: the task's next PTRACE_EVENT_STOP is its first.
	attachStop bool
	// early: adopted at its own first stop, before its creator's clone
	// event was seen.
	early bool
	// lastNr is the number of the task's latest syscall, -1 before one.
	lastNr int
	// atSeccomp: the current call's entry was a seccomp stop, which
	// cannot deliver a signal (the exit stop does it instead).
	atSeccomp bool
	// filtered: the task runs under gtrace's seccomp filter; muted: it
	// was "detached" and is served silently (see seccomp.go).
	filtered, muted bool
	// tamper: changes handlers asked for the current call.
	tamper tamper
}

// New returns an Engine for cfg.
func New(cfg Config) *Engine {
	if cfg.Decoder == nil {
		cfg.Decoder = decode.NewDecoder(decode.Options{}, nil)
	}
	e := &Engine{cfg: cfg, tasks: map[int]*task{}, unannounced: map[int]struct{}{}}
	e.stop.e = e
	e.colo.on = cfg.Colocate
	return e
}

// options are the ptrace options for every tracee.
func (e *Engine) options() uintptr {
	opts := uintptr(optSysGood | optExec)
	if e.seccomp {
		opts |= optSeccomp
	}
	if e.cfg.Follow {
		opts |= optFork | optVfork | optClone
	}
	return opts
}

func (e *Engine) addTask(tid, tgid int) *task {
	t := &task{tid: tid, tgid: tgid, interrupted: -1, lastNr: -1, filtered: e.seccomp}
	t.muted = t.filtered && e.detaching
	t.mem.tid = tid
	e.tasks[tid] = t
	return t
}

// RequestStop asks a running engine to detach from every task and return.
// It may be called from any goroutine; Wake must follow to interrupt a
// wait in progress.
func (e *Engine) RequestStop() { e.stopRequested.Store(true) }

// ErrNothingTraced is returned by Run when there is no task to trace.
var ErrNothingTraced = errors.New("no task to trace")

// Run traces until every task has exited or been detached. It returns the
// spawned program's wait status when there was one.
func (e *Engine) Run() (unix.WaitStatus, error) {
	if len(e.tasks) == 0 {
		return 0, ErrNothingTraced
	}
	// Report the tasks Spawn and Attach started with, now that the
	// handler is listening.
	tids := make([]int, 0, len(e.tasks))
	for tid := range e.tasks {
		tids = append(tids, tid)
	}
	slices.Sort(tids)
	for _, tid := range tids {
		e.emitAttach(e.tasks[tid], 0)
	}
	if err := e.armStopWaker(); err != nil {
		return 0, err
	}
	defer e.stopWakers()
	defer quietChildStops()()
	defer e.colo.unpinEngine()
	if e.cfg.PollIdle {
		e.idle.open(&e.stops)
		defer e.idle.close()
	}
	flushed := time.Now()
	for len(e.tasks) > 0 {
		if e.stopRequested.Load() && !e.detaching {
			e.detachAll()
			if len(e.tasks) == 0 {
				break
			}
		}
		e.resumeDue()
		pid, ws, err := poll()
		if err == nil && pid == 0 {
			// Nothing to do until a tracee stops: idle CPUs may sleep
			// (before the flush, which may block on a slow reader).
			e.idle.relax()
			e.cfg.Handler.Idle()
			e.armTimer()
			pid, ws, err = wait4(0)
			flushed = time.Now()
		} else if now := time.Now(); now.Sub(flushed) > flushEvery {
			e.cfg.Handler.Idle()
			flushed = now
		}
		if err != nil {
			if err == unix.ECHILD {
				break
			}
			return 0, err
		}
		e.idle.busy()
		e.dispatch(pid, ws)
	}
	e.cfg.Handler.Idle()
	return e.status, nil
}

// WaitSpawned waits for the program Spawn started to end and returns its
// wait status. After Run, a program that was detached from runs on
// untraced, and its parent waits for it this way. It must be called on
// the engine's goroutine after Run returned.
func (e *Engine) WaitSpawned() unix.WaitStatus {
	if e.spawned == 0 || e.statusSet {
		return e.status
	}
	var ws unix.WaitStatus
	for {
		_, err := unix.Wait4(e.spawned, &ws, 0, nil)
		if err != unix.EINTR {
			break
		}
	}
	e.status, e.statusSet = ws, true
	return ws
}

// dispatch handles one wait4 report.
func (e *Engine) dispatch(pid int, ws unix.WaitStatus) {
	e.stops.Add(1)
	t := e.tasks[pid]
	if t == nil {
		if !ws.Stopped() {
			// A child that is not a tracee ended: a waker, or the
			// spawned program after we detached from it.
			if e.wakerEnded(pid) {
				return
			}
			if pid == e.spawned {
				e.status, e.statusSet = ws, true
			}
			return
		}
		// A new task's first stop can arrive before its creator's
		// clone event: adopt it now.
		t = e.adopt(pid, creatorOf(pid), tgidOf(pid))
		t.early = true
	}
	if t.muted {
		e.serveMuted(t, ws)
		return
	}
	switch {
	case ws.Exited() || ws.Signaled():
		e.taskEnded(t, ws)
	case ws.Stopped():
		e.stopped(t, ws)
	}
}

// created handles a tracee's fork, vfork or clone event for task tid.
// wait4 may have reported the new task's stops, even its exit, before
// this event: then it is already adopted, or already gone.
func (e *Engine) created(tid, parent, tgid int) {
	if _, gone := e.unannounced[tid]; gone {
		delete(e.unannounced, tid)
		return
	}
	if t := e.tasks[tid]; t != nil {
		t.early = false
		return
	}
	e.adopt(tid, parent, tgid)
}

// adopt starts tracking a task created by a tracee.
func (e *Engine) adopt(tid, parent, tgid int) *task {
	t := e.addTask(tid, tgid)
	if e.ofStub(t, parent) {
		// A thread the spawn stub's Go runtime started after it was
		// seized: gtrace's own, gone at the program's execve. It is
		// served silently, as the stub is.
		t.startup = true
		return t
	}
	if p := e.tasks[parent]; p != nil {
		e.colo.inherit(t.tgid, p.tgid)
	}
	if !t.muted {
		e.emitAttach(t, parent)
	}
	return t
}

// ofStub tells whether t, created by parent, belongs to the spawn stub.
func (e *Engine) ofStub(t *task, parent int) bool {
	for _, tid := range [2]int{parent, t.tgid} {
		if c := e.tasks[tid]; c != nil && c != t && c.startup {
			return true
		}
	}
	return false
}

func (e *Engine) stopped(t *task, ws unix.WaitStatus) {
	sig := ws.StopSignal()
	if sig == unix.SIGTRAP|0x80 {
		e.syscallStop(t)
		return
	}
	ev := int(ws) >> 16
	switch {
	case ev == eventStop:
		e.eventStop(t, sig)
	case ev == eventSeccomp:
		e.syscallStop(t)
	case ev != 0 && sig == unix.SIGTRAP:
		e.ptraceEvent(t, ev)
	default:
		e.signalStop(t, sig)
	}
}

// resume lets t run to its next stop, delivering sig.
func (e *Engine) resume(t *task, sig int) {
	if t.detaching && !t.tamper.skipped {
		e.release(t, sig)
		return
	}
	if err := e.resumeTask(t, sig); err != nil {
		// The task died under us; its exit report follows.
		return
	}
}

// release detaches t, delivering sig, and forgets it.
func (e *Engine) release(t *task, sig int) {
	if t.startup {
		// The spawn stub has not exec'd the program yet: rather than let
		// it start untraced, it does not start at all.
		_ = unix.Kill(t.tid, unix.SIGKILL)
		e.forget(t)
		return
	}
	if t.filtered {
		e.mute(t, sig)
		return
	}
	e.colo.restore(t.tid, t.tgid)
	_ = detach(t.tid, sig)
	e.forget(t)
	e.emitTask(event.KindDetach, t)
}

// forget drops t, which ended or was detached. A task adopted at its
// own first stop may see its creator's clone event still to come: that
// must not bring it back (a task no longer traced would be waited for
// without end).
func (e *Engine) forget(t *task) {
	delete(e.tasks, t.tid)
	if t.early {
		e.unannounced[t.tid] = struct{}{}
	}
}

func (e *Engine) syscallStop(t *task) {
	if err := getSyscallInfo(t.tid, &e.info); err != nil {
		e.resume(t, 0)
		return
	}
	switch e.info.Op {
	case syscallInfoEntry, syscallInfoSeccomp:
		e.syscallEntry(t)
	case syscallInfoExit:
		e.syscallExit(t)
	default:
		e.resume(t, 0)
	}
}

func archOf(audit uint32) event.Arch {
	switch audit {
	case auditArchX86_64:
		return event.ArchX86_64
	case auditArchI386:
		return event.ArchI386
	}
	return event.ArchUnknown
}

func (e *Engine) syscallEntry(t *task) {
	arch := archOf(e.info.Arch)
	nr := int(e.info.NrOrRval)
	t.inCall = true
	t.atSeccomp = e.info.Op == syscallInfoSeccomp
	t.shown = false
	sc := lookup(arch, nr)
	t.sc = sc
	t.lastNr = nr
	if t.startup {
		if sc == nil || sc.Flags&decode.Exec == 0 {
			e.resume(t, 0)
			return
		}
		t.startup = false
	}
	if arch != t.arch {
		if t.arch != event.ArchUnknown || arch != event.ArchX86_64 {
			e.emitNotice(t, personalityNotice(t.tgid, arch), 0)
		}
		t.arch = arch
	}
	if e.cfg.Trace != nil && !e.cfg.Trace(arch, nr) {
		e.resume(t, 0)
		return
	}
	c := &t.call
	c.Arch, c.Nr, c.SP = arch, nr, e.info.SP
	c.Ret, c.Errno = 0, 0
	c.Injected, c.InjectedArgs, c.Delayed = false, false, false
	c.RetVal, c.RetAux = event.Value{}, event.Value{}
	c.Start, c.End = time.Now(), time.Time{}
	e.cfg.Decoder.Entry(c, sc, &e.info.Args, &t.mem, t.tgid)
	if t.interrupted >= 0 {
		if sc.Name == "restart_syscall" {
			decode.Resuming(c, lookup(arch, t.interrupted).Name)
		}
		t.interrupted = -1
	}
	t.shown = true
	if e.emitCall(event.KindSyscallEntry, t) != Continue {
		return
	}
	if sc.Flags&decode.NoReturn != 0 && !t.tamper.skipped {
		// exit and exit_group do not come back: strace prints "= ?" at
		// once.
		decode.Unfinished(c)
		t.shown = false
		if e.emitCall(event.KindSyscallExit, t) != Continue {
			return
		}
	}
	e.resumeCall(t)
}

func (e *Engine) syscallExit(t *task) {
	if !t.inCall || !t.shown {
		t.inCall = false
		e.resume(t, 0)
		return
	}
	t.inCall = false
	c := &t.call
	c.End = time.Now()
	if t.detaching && !t.tamper.skipped {
		// Interrupted to be let go: as strace, gtrace does not wait
		// for the call's result (an interrupted sleep would show a
		// restart errno the program never sees).
		decode.Detached(c)
		e.emitCall(event.KindSyscallExit, t)
		e.resume(t, 0)
		return
	}
	e.cfg.Decoder.Exit(c, t.sc, e.result(t), &t.mem, t.tgid)
	if e.emitCall(event.KindSyscallExit, t) != Continue {
		return
	}
	e.resumeCall(t)
}

// lookup returns the table row for nr, or a row for an unknown syscall.
func lookup(arch event.Arch, nr int) *decode.Syscall {
	if tbl := decode.TableFor(arch); tbl != nil {
		if sc := tbl.Lookup(nr); sc != nil {
			return sc
		}
	}
	return decode.Unknown(arch, nr)
}

func personalityNotice(pid int, arch event.Arch) string {
	if arch == event.ArchI386 {
		return "[ Process PID=" + itoa(pid) + " runs in 32 bit mode. ]"
	}
	return "[ Process PID=" + itoa(pid) + " runs in 64 bit mode. ]"
}

// eventStop handles PTRACE_EVENT_STOP: a group-stop (job control), or the
// stop after attaching, PTRACE_INTERRUPT or the end of a group-stop.
func (e *Engine) eventStop(t *task, sig unix.Signal) {
	switch sig {
	case unix.SIGSTOP, unix.SIGTSTP, unix.SIGTTIN, unix.SIGTTOU:
		if t.startup {
			// The spawn stub's own stop, seen as we seized it.
			e.resume(t, 0)
			return
		}
		if t.detaching {
			// Detached in group-stop, the task stays stopped.
			e.release(t, 0)
			return
		}
		e.emitNotice(t, "--- stopped by "+decode.SignalName(int(sig))+" ---", 0)
		_ = listen(t.tid)
	default:
		if t.attachStop {
			t.attachStop = false
			t.interrupted = blockedIn(t.tid)
		}
		e.resume(t, 0)
	}
}

// ptraceEvent handles fork, vfork, clone, exec and exit event stops.
func (e *Engine) ptraceEvent(t *task, ev int) {
	switch ev {
	case unix.PTRACE_EVENT_FORK, unix.PTRACE_EVENT_VFORK, unix.PTRACE_EVENT_CLONE:
		if msg, err := eventMsg(t.tid); err == nil {
			tid := int(msg)
			// fork and vfork make a process, its own leader; a clone
			// may make either, which /proc tells.
			tgid := tid
			if ev == unix.PTRACE_EVENT_CLONE {
				tgid = tgidOf(tid)
			}
			e.created(tid, t.tid, tgid)
		}
	case unix.PTRACE_EVENT_EXEC:
		// The program is running: with a filter that does not select
		// execve, this event is the first sign of it.
		t.startup = false
		if msg, err := eventMsg(t.tid); err == nil && int(msg) != t.tid {
			e.execInThread(t, int(msg))
			t = e.tasks[t.tid]
		}
	}
	e.resume(t, 0)
}

// execInThread handles an execve made by a thread other than the leader:
// the thread took over the leader's tid, and the leader is gone.
func (e *Engine) execInThread(leader *task, former int) {
	th := e.tasks[former]
	if th == nil {
		return
	}
	if leader.inCall && leader.shown {
		decode.Lost(&leader.call)
		e.emitCall(event.KindSyscallExit, leader)
	}
	e.emitNotice(leader, "+++ superseded by execve in pid "+itoa(former)+" +++", former)
	delete(e.tasks, former)
	th.tid = leader.tid
	th.mem.tid = leader.tid
	th.attached = th.attached || leader.attached
	e.tasks[leader.tid] = th
}

// signalStop handles a signal-delivery-stop: report the signal, then
// deliver it.
func (e *Engine) signalStop(t *task, sig unix.Signal) {
	if t.startup {
		// Before the program's execve the task is gtrace's own stub: its
		// signals (the SIGCONT that released it, the Go runtime's SIGURG)
		// are not the program's. SIGCONT has done its work; others are
		// delivered, unreported.
		if sig == unix.SIGCONT {
			sig = 0
		}
		e.resume(t, int(sig))
		return
	}
	if t.detaching {
		e.release(t, int(sig))
		return
	}
	e.sigv = event.Signal{Signo: int(sig), Name: decode.SignalName(int(sig))}
	if getSiginfo(t.tid, &e.sig) == nil {
		e.sigv.Info = decode.Siginfo(e.sig[:], event.ArchX86_64)
	}
	e.ev = event.Event{Kind: event.KindSignal, Time: time.Now(), PID: t.tgid, TID: t.tid, Signal: &e.sigv, Nr: t.lastNr}
	if e.handle(t) != Continue {
		return
	}
	e.resume(t, int(sig))
}

// taskEnded handles a task's exit or death.
func (e *Engine) taskEnded(t *task, ws unix.WaitStatus) {
	if t.inCall && t.shown {
		decode.Lost(&t.call)
		e.emitCall(event.KindSyscallExit, t)
	}
	e.forget(t)
	if t.startup && t.tid != e.spawned {
		// One of the spawn stub's own threads.
		return
	}
	if t.tid == e.spawned {
		e.status, e.statusSet = ws, true
	}
	e.exit = event.ExitStatus{Code: ws.ExitStatus()}
	if ws.Signaled() {
		e.exit = event.ExitStatus{Signaled: true, Signo: int(ws.Signal()), Name: decode.SignalName(int(ws.Signal())), Core: ws.CoreDump()}
	}
	e.ev = event.Event{Kind: event.KindExit, Time: time.Now(), PID: t.tgid, TID: t.tid, Exit: &e.exit, Nr: t.lastNr}
	e.cfg.Handler.Handle(&e.ev, nil)
}

// detachAll interrupts every task so each is detached at its next stop.
func (e *Engine) detachAll() {
	e.detaching = true
	for _, t := range e.tasks {
		if t.detaching {
			continue
		}
		t.detaching = true
		if err := interrupt(t.tid); err == unix.ESRCH {
			// Gone already, or stopped in a way that already reported.
			continue
		}
	}
}

func (e *Engine) emitCall(kind event.Kind, t *task) Action {
	e.ev = event.Event{Kind: kind, Time: time.Now(), PID: t.tgid, TID: t.tid, Call: &t.call}
	return e.handle(t)
}

// emitNotice reports text about t; former is, for the leader superseded
// by a thread's execve, that thread (event.Event.Former).
func (e *Engine) emitNotice(t *task, text string, former int) {
	e.ev = event.Event{Kind: event.KindNotice, Time: time.Now(), PID: t.tgid, TID: t.tid, Text: text, Former: former}
	e.handle(t)
}

func (e *Engine) emitAttach(t *task, parent int) {
	e.ev = event.Event{Kind: event.KindAttach, Time: time.Now(), PID: t.tgid, TID: t.tid, Child: parent}
	switch e.cfg.Handler.Handle(&e.ev, nil) {
	case Continue:
	case DetachAll:
		e.RequestStop()
	default:
		if parent != 0 {
			// Let the new task go at its first stop.
			t.detaching = true
		}
	}
}

func (e *Engine) emitTask(kind event.Kind, t *task) {
	e.ev = event.Event{Kind: kind, Time: time.Now(), PID: t.tgid, TID: t.tid}
	e.cfg.Handler.Handle(&e.ev, nil)
}

// handle passes e.ev to the handler and carries out its answer. It
// returns Continue when t is still stopped and traced.
func (e *Engine) handle(t *task) Action {
	e.stop.t = t
	act := e.cfg.Handler.Handle(&e.ev, &e.stop)
	e.stop.t = nil
	if ws := t.tamper.ended; ws != nil {
		// It died while a handler ran it (Inject).
		t.tamper.ended = nil
		e.taskEnded(t, *ws)
		return DetachTask
	}
	switch act {
	case DetachTask:
		e.letGo(t)
	case DetachProcess:
		e.detachProcess(t)
	case DetachAll:
		e.RequestStop()
		e.letGo(t)
	}
	return act
}

// Stop gives a handler access to the stopped task that reported an event.
type Stop struct {
	e *Engine
	t *task
}

// Memory returns the task's memory.
func (s *Stop) Memory() decode.Memory { return &s.t.mem }

// Tasks reports how many tasks the engine traces now.
func (e *Engine) Tasks() int { return len(e.tasks) }
