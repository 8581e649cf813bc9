package ebpf

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"time"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
)

// record handles one ring buffer record.
func (e *Engine) record(b []byte) {
	h, err := parseHeader(b)
	if err != nil || minSize(h.typ) < 0 || len(b) < minSize(h.typ) {
		e.malformed++
		return
	}
	if h.lost != e.seenLost {
		e.noteLost(h.pid, h.tid, h.lost)
	}
	if t := e.tasks[h.tid]; t != nil {
		if t.pending && h.typ != recExit && h.typ != recExec {
			// Something else happened to the task before the exit
			// (or the exec) that was to complete its entry.
			e.flushEntry(t, nil)
		}
		if t.held {
			e.releaseExit(t, h.typ == recTaskExit)
		}
	}
	switch h.typ {
	case recEnter:
		e.enter(&h, b)
	case recExit:
		e.exitCall(&h, b)
	case recFork:
		e.fork(&h, b)
	case recExec:
		e.exec(&h, b)
	case recTaskExit:
		e.taskExit(&h, b)
	case recSignal:
		e.signal(&h, b)
	}
}

// noteLost reports the records lost since the last report, in the trace
// where the loss was noticed.
func (e *Engine) noteLost(pid, tid int, lost uint32) {
	n := lost - e.seenLost
	if n == 0 {
		return
	}
	e.seenLost = lost
	e.emit(event.Event{Kind: event.KindNotice, Time: time.Now(), PID: pid, TID: tid,
		Text: "[ gtrace: " + LostEvents(uint64(n)) + ": the ring buffer was full ]"})
}

// LostEvents says how many events were lost: "1 event lost", "3 events
// lost".
func LostEvents(n uint64) string {
	if n == 1 {
		return "1 event lost"
	}
	return strconv.FormatUint(n, 10) + " events lost"
}

// time converts a record's CLOCK_MONOTONIC stamp to wall-clock time.
func (e *Engine) time(ts uint64) time.Time {
	return e.wall.Add(time.Duration(int64(ts) - e.mono))
}

// taskOf returns the traced task tid, adopting one the engine has not
// heard of (its fork record was lost, or it appeared while attaching).
func (e *Engine) taskOf(h *header) *task {
	if t := e.tasks[h.tid]; t != nil {
		return t
	}
	t := e.addTask(h.tid, h.pid)
	e.emitTask(event.KindAttach, t, 0)
	return t
}

func (e *Engine) addTask(tid, tgid int) *task {
	t := &task{tid: tid, tgid: tgid}
	e.tasks[tid] = t
	return t
}

func archOf(a uint8) event.Arch {
	if a == uint8(event.ArchI386) {
		return event.ArchI386
	}
	return event.ArchX86_64
}

func (e *Engine) enter(h *header, b []byte) {
	t := e.taskOf(h)
	if t.inCall {
		// The exit of the previous call was lost.
		e.lose(t)
	}
	arch := archOf(h.arch)
	nr := int(int32(u32(b, offEnterNr)))
	if arch != t.arch {
		if t.arch != event.ArchUnknown || arch != event.ArchX86_64 {
			e.emit(event.Event{Kind: event.KindNotice, Time: e.time(h.ts), PID: t.tgid, TID: t.tid, Text: personalityNotice(t.tgid, arch)})
		}
		t.arch = arch
	}
	for i := range t.args {
		t.args[i] = u64(b, offEnterArgs+8*i)
	}
	if !e.loadCaptures(h, b, enterSize) {
		return
	}
	t.sc, t.inCall, t.ts = decode.Lookup(arch, nr), true, h.ts
	c := &t.call
	c.Arch, c.Nr = arch, nr
	c.Ret, c.Errno, c.Injected = 0, 0, false
	c.RetVal, c.RetAux = event.Value{}, event.Value{}
	c.Start, c.End = e.time(h.ts), time.Time{}
	if u32(b, offEnterFlags)&enterRetry != 0 {
		// Some argument memory was not paged in: the exit record has
		// it, and the entry waits for it.
		t.save(e.mem.regions)
		t.pending = true
		e.pending++
		return
	}
	e.entryReady(t)
}

// entryReady decodes t's call entry from e.mem and reports it.
func (e *Engine) entryReady(t *task) {
	c := &t.call
	e.cfg.Decoder.Entry(c, t.sc, &t.args, &e.mem, t.tgid)
	if e.emitCall(event.KindSyscallEntry, t, t.ts) != Continue {
		return
	}
	if t.sc.Flags&decode.NoReturn != 0 {
		// exit and exit_group do not come back: strace prints "= ?" at
		// once.
		decode.Unfinished(c)
		t.inCall = false
		e.emitCall(event.KindSyscallExit, t, t.ts)
	}
}

// flushEntry reports t's pending entry, decoded from its own captures
// and late, the exit's copies of what was missing (nil when the exit
// has not come: the memory then shows as unreadable).
func (e *Engine) flushEntry(t *task, late []region) {
	t.pending = false
	e.pending--
	e.entryMem.regions = append(append(e.entryMem.regions[:0], t.saved...), late...)
	mem := e.mem
	e.mem = e.entryMem
	e.entryReady(t)
	e.entryMem, e.mem = e.mem, mem
}

// flushPending reports every pending entry and held exit as it is.
func (e *Engine) flushPending() {
	for _, t := range e.tasks {
		if t.pending {
			e.flushEntry(t, nil)
		}
		if t.held {
			e.releaseExit(t, false)
		}
	}
}

func (e *Engine) exitCall(h *header, b []byte) {
	t := e.tasks[h.tid]
	if t == nil || !t.inCall {
		// An exit without its entry: the entry was lost, or the call
		// began before tracing did.
		return
	}
	if nr := int(int32(u32(b, offExitNr))); nr != t.call.Nr {
		e.lose(t)
		return
	}
	if !e.loadCaptures(h, b, exitSize) {
		e.lose(t)
		return
	}
	if t.pending {
		e.flushEntry(t, e.mem.regions)
		if !t.inCall {
			return
		}
	}
	t.inCall = false
	c := &t.call
	c.End = e.time(h.ts)
	e.cfg.Decoder.Exit(c, t.sc, int64(u64(b, offExitRet)), &e.mem, t.tgid)
	if c.Errno >= errRestartSys && c.Errno <= errRestartBlock {
		// Interrupted: a signal is to be handled, or the task to die.
		// ptrace sees no exit for a task that dies (strace prints
		// "= ?"): the exit waits for what comes next.
		t.held, t.heldAt = true, h.ts
		e.pending++
		return
	}
	if e.emitCall(event.KindSyscallExit, t, h.ts) == Continue {
		e.flushSignals(t)
	}
}

// The kernel's restart errnos (ERESTARTSYS .. ERESTART_RESTARTBLOCK).
const (
	errRestartSys   = 512
	errRestartBlock = 516
)

// releaseExit reports t's held exit: as a call the task never returned
// from when it died, as it is otherwise.
func (e *Engine) releaseExit(t *task, died bool) {
	t.held = false
	e.pending--
	if died {
		decode.Lost(&t.call)
	}
	if e.emitCall(event.KindSyscallExit, t, t.heldAt) == Continue {
		e.flushSignals(t)
	}
}

// loadCaptures points the engine's Memory at the captures of a record
// whose fixed part is size bytes.
func (e *Engine) loadCaptures(h *header, b []byte, size int) bool {
	e.mem.reset()
	rs, err := parseCaptures(e.mem.regions, b, size, h.ncap)
	e.mem.regions = rs
	if err != nil {
		e.malformed++
		return false
	}
	return true
}

// lose ends t's call in progress as one whose exit is unknown.
func (e *Engine) lose(t *task) {
	if t.pending {
		e.flushEntry(t, nil)
	}
	t.inCall = false
	decode.Lost(&t.call)
	if e.emitCall(event.KindSyscallExit, t, 0) == Continue {
		e.flushSignals(t)
	}
}

func (e *Engine) fork(h *header, b []byte) {
	child, childPID := int(u32(b, hdrSize)), int(u32(b, hdrSize+4))
	if e.tasks[child] != nil {
		return
	}
	t := e.addTask(child, childPID)
	e.emitTask(event.KindAttach, t, h.tid)
}

// exec handles what sched_process_exec reports: an execve by a thread
// other than the leader, which took over the leader's id (the leader
// itself ended "superseded", see taskExit), and, for an execve whose
// arguments the entry could not copy, the new program's file name,
// arguments and environment, from which its pending entry is completed.
func (e *Engine) exec(h *header, b []byte) {
	former := int(u32(b, offExecOld))
	t := e.tasks[former]
	if t == nil {
		return
	}
	if h.ncap > 0 && t.pending && e.loadCaptures(h, b, execSize) {
		e.completeExec(t, b)
		// Reported under the id the thread had when it called execve.
		e.flushEntry(t, nil)
	}
	if former != h.tid {
		delete(e.tasks, former)
		t.tid = h.tid
		e.tasks[h.tid] = t
	}
}

// completeExec puts in place of the copies t's pending execve entry
// missed what the kernel side read of the new program (in e.mem): its
// file name, and its arguments and environment, each a block of strings,
// for which it makes up the pointer arrays.
func (e *Engine) completeExec(t *task, b []byte) {
	fake := execFakeBase(t.call.Arch)
	for _, r := range e.mem.regions {
		switch r.arg {
		case 0:
			t.replace(0, region{addr: t.args[0], data: r.data})
		case 1, 2:
			full := int(u32(b, offExecArgLen))
			if r.arg == 2 {
				full = int(u32(b, offExecEnvLen))
			}
			if len(r.data) == full {
				t.replace(r.arg, pointerArray(t.args[r.arg], fake, r.data, t.call.Arch.WordSize())...)
				fake += 1 << 32
			}
		}
	}
}

// execFakeBase is where exec places the strings it hands a pending execve
// entry: addresses no program can use, in reach of the arch's pointers.
func execFakeBase(arch event.Arch) uint64 {
	if arch == event.ArchI386 {
		return 0xfff00000
	}
	return 1 << 63
}

// pointerArray makes the regions a NULL-terminated array of pointers at
// addr reads as when it points to the NUL-separated strings of block,
// placed at base.
func pointerArray(addr, base uint64, block []byte, ws int) []region {
	words := make([]byte, 0, 64)
	for off := 0; off < len(block); {
		end := bytes.IndexByte(block[off:], 0)
		if end < 0 {
			break
		}
		words = binary.LittleEndian.AppendUint64(words, base+uint64(off))[:len(words)+ws]
		off += end + 1
	}
	words = append(words, make([]byte, ws)...)
	return []region{{addr: addr, data: words}, {addr: base, data: block}}
}

func (e *Engine) taskExit(h *header, b []byte) {
	t := e.tasks[h.tid]
	if t == nil {
		return
	}
	if by := int(u32(b, offSupersededBy)); by != 0 {
		// The leader, done away with by another thread's execve: that
		// thread takes its id (see exec).
		if t.inCall {
			e.lose(t)
		}
		e.flushSignals(t)
		delete(e.tasks, t.tid)
		e.emit(event.Event{Kind: event.KindNotice, Time: e.time(h.ts), PID: t.tgid, TID: t.tid,
			Text: "+++ superseded by execve in pid " + strconv.Itoa(by) + " +++", Former: by})
		return
	}
	e.ended(t, int32(u32(b, offExitCode)), e.time(h.ts))
}

// ended reports the end of t with its kernel exit code (a wait status).
func (e *Engine) ended(t *task, code int32, at time.Time) {
	if t.inCall {
		e.lose(t)
	}
	e.flushSignals(t)
	delete(e.tasks, t.tid)
	e.exit = exitStatus(code)
	e.ev = event.Event{Kind: event.KindExit, Time: at, PID: t.tgid, TID: t.tid, Exit: &e.exit}
	e.cfg.Handler.Handle(&e.ev)
}

// exitStatus decodes a task's exit_code, which has wait4's encoding.
func exitStatus(code int32) event.ExitStatus {
	if sig := int(code & 0x7f); sig != 0 {
		return event.ExitStatus{Signaled: true, Signo: sig, Name: decode.SignalName(sig), Core: code&0x80 != 0}
	}
	return event.ExitStatus{Code: int(code>>8) & 0xff}
}

// How a rec_signal's siginfo was obtained (SIGINFO_* in bpf/gtrace.c).
const (
	siginfoCopied = 0
	siginfoUser   = 1
	siginfoKernel = 2
)

func (e *Engine) signal(h *header, b []byte) {
	t := e.taskOf(h)
	signo := int(int32(u32(b, hdrSize)))
	info := e.siginfo[:]
	copy(info, b[offSigInfo:offSigInfo+len(info)])
	switch u16(b, offSigHow) {
	case siginfoUser:
		// SEND_SIG_NOINFO: the kernel fills in SI_USER from the sender.
		clear(info)
		binary.LittleEndian.PutUint32(info[0:], uint32(signo))
		binary.LittleEndian.PutUint32(info[16:], u32(b, offSigSenderPID))
		binary.LittleEndian.PutUint32(info[20:], u32(b, offSigSenderUID))
	case siginfoKernel:
		clear(info)
		binary.LittleEndian.PutUint32(info[0:], uint32(signo))
		binary.LittleEndian.PutUint32(info[8:], 0x80) // SI_KERNEL
	}
	sig := event.Signal{Signo: signo, Name: decode.SignalName(signo), Info: decode.Siginfo(info, event.ArchX86_64)}
	flags := u16(b, offSigFlags)
	if flags&sigIgnored != 0 && t.inCall {
		// Sent while the task is in a call and discarded at once: ptrace
		// would show it as the call returns.
		t.signals = append(t.signals, pendingSignal{sig, e.time(h.ts)})
		return
	}
	e.emitSignal(t, sig, e.time(h.ts))
	if flags&sigStops != 0 {
		e.emit(event.Event{Kind: event.KindNotice, Time: e.time(h.ts), PID: t.tgid, TID: t.tid,
			Text: "--- stopped by " + sig.Name + " ---"})
	}
}

// rec_signal.flags (SIG_* in bpf/gtrace.c).
const (
	sigIgnored = 1
	sigStops   = 2
)

// pendingSignal is an ignored signal waiting for its task's call to end.
type pendingSignal struct {
	sig event.Signal
	at  time.Time
}

func (e *Engine) emitSignal(t *task, sig event.Signal, at time.Time) {
	e.sig = sig
	e.ev = event.Event{Kind: event.KindSignal, Time: at, PID: t.tgid, TID: t.tid, Signal: &e.sig}
	e.act(t, e.cfg.Handler.Handle(&e.ev))
}

// flushSignals reports the signals that waited for t's call to end.
func (e *Engine) flushSignals(t *task) {
	for len(t.signals) > 0 {
		p := t.signals[0]
		t.signals = t.signals[1:]
		e.emitSignal(t, p.sig, p.at)
	}
}

func (e *Engine) emitCall(kind event.Kind, t *task, ts uint64) Action {
	var at time.Time
	if ts != 0 {
		at = e.time(ts)
	} else {
		at = time.Now()
	}
	e.ev = event.Event{Kind: kind, Time: at, PID: t.tgid, TID: t.tid, Call: &t.call}
	act := e.cfg.Handler.Handle(&e.ev)
	e.act(t, act)
	return act
}

func (e *Engine) emit(ev event.Event) {
	e.ev = ev
	e.cfg.Handler.Handle(&e.ev)
}

func (e *Engine) emitTask(kind event.Kind, t *task, parent int) {
	e.emit(event.Event{Kind: kind, Time: time.Now(), PID: t.tgid, TID: t.tid, Child: parent})
}

// act carries out a handler's answer about t.
func (e *Engine) act(t *task, act Action) {
	switch act {
	case DetachTask:
		e.release(t)
	case DetachAll:
		e.stopRequested.Store(true)
	}
}

func personalityNotice(pid int, arch event.Arch) string {
	if arch == event.ArchI386 {
		return "[ Process PID=" + strconv.Itoa(pid) + " runs in 32 bit mode. ]"
	}
	return "[ Process PID=" + strconv.Itoa(pid) + " runs in 64 bit mode. ]"
}
