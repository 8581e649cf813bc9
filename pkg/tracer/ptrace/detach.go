package ptrace

// letGo detaches t at once, unless a call it is in still needs its exit
// stop (a result chosen at entry): then it is detached there.
func (e *Engine) letGo(t *task) {
	if t.tamper.skipped {
		t.detaching = true
		e.resume(t, 0)
		return
	}
	sig := t.tamper.signal
	t.tamper.signal = 0
	e.release(t, sig)
}

// detachProcess detaches every thread of t's process: t now, the others
// at their next stop.
func (e *Engine) detachProcess(t *task) {
	for _, o := range e.tasks {
		if o.tgid == t.tgid && o != t && !o.detaching {
			o.detaching = true
			_ = interrupt(o.tid)
		}
	}
	e.letGo(t)
}
