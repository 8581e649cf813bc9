package format

import (
	"bufio"
	"io"

	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/resource"
)

// HumanOptions are the human formatter's settings.
type HumanOptions struct {
	// Style renders arguments quoted in sentences (-x, -X).
	Style  event.Style
	Prefix PIDPrefix
	Time   TimeOptions
	// Color, when set, colours the output.
	Color *Palette
	// Resolver helps name descriptors; nil uses the events alone.
	Resolver resource.Resolver
}

// Human prints one plain sentence per call, printed when the call
// returns: "open /etc/passwd for reading → fd 3". A mark in front rates
// the call: "!!" danger, " !" warning (failures among them), blank for
// the rest. Failures are explained, with a hint for the common ones.
// Every byte that comes from the tracee is escaped as strace escapes it.
type Human struct {
	w     *bufio.Writer
	opts  HumanOptions
	rd    reader
	fds   *resource.Tracker
	clock clock
	tasks int
}

// NewHuman returns a human-format printer writing to w.
func NewHuman(w io.Writer, opts HumanOptions) *Human {
	if opts.Color != nil {
		opts.Style.Paint = opts.Color
	}
	h := &Human{w: newWriter(w), opts: opts}
	h.fds = resource.New(resource.Options{Resolver: opts.Resolver})
	h.rd = reader{style: &h.opts.Style, pal: opts.Color, fds: h.fds}
	return h
}

// Write implements Formatter.
func (h *Human) Write(ev *event.Event) error {
	switch ev.Kind {
	case event.KindAttach:
		h.tasks++
	case event.KindDetach:
		h.tasks--
	case event.KindSyscallExit:
		h.call(ev)
	case event.KindSignal:
		rd := h.start(ev, Info)
		rd.b = rd.pal.open(rd.b, event.TokSignal)
		rd.say("received ").say(ev.Signal.Name)
		rd.b = rd.pal.close(rd.b, event.TokSignal)
		if ev.Signal.Info.Kind != event.VNone {
			rd.say(" ")
			rd.b = ev.Signal.Info.AppendStrace(rd.b, rd.style)
		}
		h.end()
	case event.KindExit:
		x := ev.Exit
		sev := Info
		if x.Signaled || x.Code != 0 {
			sev = Warning
		}
		rd := h.start(ev, sev)
		rd.b = rd.pal.open(rd.b, event.TokExit)
		if x.Signaled {
			rd.say("killed by ").say(x.Name)
			if x.Core {
				rd.say(" (core dumped)")
			}
		} else {
			rd.say("exited with status ").say(itoa(x.Code))
		}
		rd.b = rd.pal.close(rd.b, event.TokExit)
		h.end()
		h.tasks--
	case event.KindNotice:
		if ev.Former != 0 {
			// The thread took its leader's id: one task fewer.
			h.tasks--
		}
		if ev.Text != "" {
			h.start(ev, Info).say(ev.Text)
			h.end()
		}
	}
	// The tracker learns from the call after it was described, so a
	// close still names what it closed.
	h.fds.Handle(ev)
	return nil
}

// marks are the severity marks that start a line.
var marks = [...]string{Info: "   ", Warning: " ! ", Danger: "!! "}

// start begins a line for ev: task, timestamp, severity mark.
func (h *Human) start(ev *event.Event, sev Severity) *reader {
	rd := &h.rd
	rd.b = rd.b[:0]
	rd.tid = ev.TID
	switch {
	case h.opts.Prefix == PrefixAlways, h.opts.Prefix == PrefixAuto && h.tasks > 1:
		rd.b = rd.pal.open(rd.b, event.TokPID)
		rd.b = append(rd.b, "[pid "...)
		rd.b = appendPadded(rd.b, ev.TID, 5, true)
		rd.b = append(rd.b, ']')
		rd.b = rd.pal.close(rd.b, event.TokPID)
		rd.b = append(rd.b, ' ')
	}
	rd.b = h.clock.appendStamp(rd.b, ev.Time, &h.opts.Time, rd.pal)
	switch sev {
	case Danger:
		rd.b = rd.pal.paint(rd.b, event.TokError, marks[sev])
	case Warning:
		rd.b = rd.pal.paint(rd.b, event.TokConst, marks[sev])
	default:
		rd.b = append(rd.b, marks[sev]...)
	}
	return rd
}

// end finishes the line and writes it.
func (h *Human) end() {
	h.rd.b = append(h.rd.b, '\n')
	_, _ = h.w.Write(h.rd.b)
}

func (h *Human) call(ev *event.Event) {
	c := ev.Call
	rd := h.start(ev, severityOf(c))
	rd.c = c
	if s := sentences[c.Name]; s != nil {
		s(rd)
	} else {
		rd.say("call ").name(c.Name).say("(")
		for i := range c.Args {
			a := &c.Args[i]
			if a.Val.Kind == event.VNone {
				continue
			}
			if rd.b[len(rd.b)-1] != '(' {
				rd.say(", ")
			}
			rd.b = a.Val.AppendStrace(rd.b, rd.style)
		}
		rd.say(")")
	}
	switch c.Phase {
	case event.Returned:
		rd.say(" → ")
		if c.Failed() {
			rd.failure()
		} else {
			rd.outcome()
		}
		if c.Injected {
			rd.say(" (injected)")
		}
		if h.opts.Time.Durations {
			rd.b = rd.pal.open(rd.b, event.TokTime)
			rd.b = appendDuration(rd.b, c.Duration())
			rd.b = rd.pal.close(rd.b, event.TokTime)
		}
	case event.Lost:
		rd.say(" → did not return: the task ended")
	case event.Detached:
		rd.say(" → not seen to return: gtrace detached")
	}
	h.end()
	if len(c.Dumps) > 0 {
		rd.b = appendDumps(rd.b[:0], c.Dumps)
		_, _ = h.w.Write(rd.b)
	}
}

// Flush implements Formatter.
func (h *Human) Flush() error { return h.w.Flush() }

// End implements Formatter.
func (h *Human) End() error { return h.w.Flush() }
