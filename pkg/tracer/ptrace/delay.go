package ptrace

import "time"

// delayed is a task held stopped by Stop.Delay.
type delayed struct {
	t     *task
	until time.Time
	sig   int // the signal to deliver as it resumes
}

// delay holds t stopped for d, then resumes it delivering sig.
func (e *Engine) delay(t *task, d time.Duration, sig int) {
	e.later = append(e.later, delayed{t: t, until: time.Now().Add(d), sig: sig})
}

// resumeDue resumes the delayed tasks whose time has come, and all of
// them once the engine is detaching.
func (e *Engine) resumeDue() {
	if len(e.later) == 0 {
		return
	}
	now := time.Now()
	keep := e.later[:0]
	for _, d := range e.later {
		switch {
		case e.tasks[d.t.tid] != d.t:
			// It died while held.
		case now.Before(d.until) && !e.detaching:
			keep = append(keep, d)
		default:
			e.resume(d.t, d.sig)
		}
	}
	clear(e.later[len(keep):])
	e.later = keep
}

// resumeAll resumes every delayed task now.
func (e *Engine) resumeAll() {
	for _, d := range e.later {
		if e.tasks[d.t.tid] == d.t {
			e.resume(d.t, d.sig)
		}
	}
	clear(e.later)
	e.later = e.later[:0]
}

// nextDue returns when the first delayed task is due.
func (e *Engine) nextDue() (time.Time, bool) {
	if len(e.later) == 0 {
		return time.Time{}, false
	}
	at := e.later[0].until
	for _, d := range e.later[1:] {
		if d.until.Before(at) {
			at = d.until
		}
	}
	return at, true
}
