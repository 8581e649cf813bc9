package format

import (
	"bufio"
	"io"
	"strconv"

	"github.com/gtrace/gtrace/pkg/event"
)

// PIDPrefix chooses how lines name their task.
type PIDPrefix uint8

const (
	// PrefixAuto prints "[pid  1234] " while more than one task is
	// traced, as strace does on stderr.
	PrefixAuto PIDPrefix = iota
	// PrefixAlways prints "1234  " on every line, as strace does with -f
	// and -o FILE.
	PrefixAlways
	// PrefixNever prints no prefix (one file per task).
	PrefixNever
)

// StraceOptions are the strace formatter's settings.
type StraceOptions struct {
	Style  event.Style
	Prefix PIDPrefix
	// Numbers prints each syscall's number before its name (-n).
	Numbers bool
	// HideExits leaves out the "+++ exited with N +++" lines (-qq).
	HideExits bool
	// Time prints timestamps (-t, -tt, -ttt, -r) and durations (-T).
	Time TimeOptions
}

// column is where strace aligns " = result".
const column = 40

// Strace prints events exactly as strace prints them. A call's entry is
// printed when it happens; if another task's output comes before its
// exit, the line ends with "<unfinished ...>" and the exit is printed
// later as "<... name resumed>".
type Strace struct {
	w    *bufio.Writer
	opts StraceOptions
	col  int // bytes written since the last newline
	line []byte

	tasks int
	// open is the task whose call's entry ends the last line written,
	// without a newline yet (0: none).
	open int
	// cut holds the tasks whose entry line was ended by another task's
	// output; their exits print "<... name resumed>".
	cut   map[int]bool
	clock clock
	// later holds what waits for the current line to end (AtLineEnd).
	later []func()
}

// AtLineEnd runs fn once no line is half-written: at once, or when the
// open line ends. gtrace's own messages share stderr with the trace this
// way without splitting its lines.
func (f *Strace) AtLineEnd(fn func()) {
	if f.open == 0 {
		_ = f.w.Flush()
		fn()
		return
	}
	f.later = append(f.later, fn)
}

// lineEnded runs what waited for the open line to end.
func (f *Strace) lineEnded() {
	if len(f.later) == 0 || f.open != 0 {
		return
	}
	_ = f.w.Flush()
	for _, fn := range f.later {
		fn()
	}
	f.later = f.later[:0]
}

// NewStrace returns a strace-format printer writing to w.
func NewStrace(w io.Writer, opts StraceOptions) *Strace {
	return &Strace{w: newWriter(w), opts: opts, cut: map[int]bool{}}
}

// Write implements Formatter.
func (f *Strace) Write(ev *event.Event) error {
	switch ev.Kind {
	case event.KindAttach:
		f.tasks++
		return nil
	case event.KindDetach:
		f.endTask(ev.TID)
		return nil
	case event.KindSyscallEntry:
		f.interrupt(ev.TID)
		f.startLine(ev)
		f.entry(ev.Call)
		f.open = ev.TID
	case event.KindSyscallExit:
		f.exit(ev)
	case event.KindSignal:
		f.interrupt(0)
		f.startLine(ev)
		f.put("--- ")
		f.put(ev.Signal.Name)
		f.put(" ")
		f.line = ev.Signal.Info.AppendStrace(f.line[:0], &f.opts.Style)
		f.putBytes(f.line)
		f.put(" ---\n")
	case event.KindExit:
		if !f.opts.HideExits {
			f.interrupt(0)
			f.startLine(ev)
			f.exitStatus(ev.Exit)
		}
		f.endTask(ev.TID)
	case event.KindNotice:
		f.interrupt(0)
		f.startLine(ev)
		f.put(ev.Text)
		f.put("\n")
	}
	return nil
}

func (f *Strace) endTask(tid int) {
	f.tasks--
	delete(f.cut, tid)
	if f.open == tid {
		f.open = 0
	}
}

// interrupt ends an open entry line before tid's output, unless the line
// is tid's own (0: nobody's).
func (f *Strace) interrupt(tid int) {
	if f.open != 0 && f.open != tid {
		f.put(" <unfinished ...>\n")
		f.cut[f.open] = true
		f.open = 0
		f.lineEnded()
	}
}

// startLine writes the timestamp and pid prefix.
func (f *Strace) startLine(ev *event.Event) {
	f.line = f.line[:0]
	switch {
	case f.opts.Prefix == PrefixAlways:
		f.line = appendPadded(f.line, ev.TID, 5, false)
		f.line = append(f.line, ' ')
	case f.opts.Prefix == PrefixAuto && f.tasks > 1:
		f.line = append(f.line, "[pid "...)
		f.line = appendPadded(f.line, ev.TID, 5, true)
		f.line = append(f.line, "] "...)
	}
	f.line = f.clock.appendStamp(f.line, ev.Time, &f.opts.Time)
	f.putBytes(f.line)
}

// entry writes "name(" and the arguments known at entry, each followed by
// ", " when more follow.
func (f *Strace) entry(c *event.Call) {
	b := f.line[:0]
	if f.opts.Numbers {
		b = append(b, '[')
		b = appendPadded(b, c.Nr, 4, true)
		b = append(b, "] "...)
	}
	b = append(b, c.Name...)
	b = append(b, '(')
	f.line = f.appendArgs(b, c, 0, firstOut(c))
	f.putBytes(f.line)
}

// firstOut is the index of the first argument decoded at exit: the entry
// line stops there and the exit prints the rest.
func firstOut(c *event.Call) int {
	for i := range c.Args {
		if c.Args[i].Out {
			return i
		}
	}
	return len(c.Args)
}

// appendArgs appends arguments [from, to) of c, each followed by ", "
// when a shown argument follows it. Omitted arguments (VNone) are skipped,
// labelled ones print as name=value.
func (f *Strace) appendArgs(b []byte, c *event.Call, from, to int) []byte {
	last := lastShown(c)
	for i := from; i < to; i++ {
		a := &c.Args[i]
		if a.Val.Kind == event.VNone && !a.Out {
			continue
		}
		if a.LateComma && i == from && i > 0 {
			b = append(b, ", "...)
		}
		if a.Val.Name != "" {
			b = append(b, a.Val.Name...)
			b = append(b, '=')
		}
		b = a.Val.AppendStrace(b, &f.opts.Style)
		if i < last && !(i+1 < len(c.Args) && c.Args[i+1].LateComma) {
			b = append(b, ", "...)
		}
	}
	return b
}

// lastShown is the index of the last argument printed.
func lastShown(c *event.Call) int {
	last := -1
	for i := range c.Args {
		if c.Args[i].Out || c.Args[i].Val.Kind != event.VNone {
			last = i
		}
	}
	return last
}

// exit writes the rest of a call: the arguments filled at exit and the
// result.
func (f *Strace) exit(ev *event.Event) {
	c := ev.Call
	b := f.line[:0]
	if f.open != ev.TID {
		f.interrupt(ev.TID)
		f.startLine(ev)
		b = f.line[:0]
		b = append(b, "<... "...)
		b = append(b, c.Name...)
		b = append(b, " resumed>"...)
		delete(f.cut, ev.TID)
	}
	f.open = 0
	if c.Phase == event.Lost {
		b = append(b, " <unfinished ...>"...)
	} else {
		b = f.appendArgs(b, c, firstOut(c), len(c.Args))
	}
	b = append(b, ')')
	f.putBytes(b)
	b = b[:0]
	if f.col < column {
		for range column - f.col {
			b = append(b, ' ')
		}
	} else {
		b = append(b, ' ')
	}
	b = append(b, "= "...)
	b = c.RetVal.AppendStrace(b, &f.opts.Style)
	if c.RetAux.Kind != event.VNone {
		b = append(b, " ("...)
		b = c.RetAux.AppendStrace(b, &f.opts.Style)
		b = append(b, ')')
	}
	if c.Injected {
		b = append(b, " (INJECTED)"...)
	}
	if f.opts.Time.Durations && c.Phase == event.Returned {
		b = appendDuration(b, c.Duration())
	}
	b = append(b, '\n')
	f.line = b
	f.putBytes(b)
	f.lineEnded()
}

func (f *Strace) exitStatus(x *event.ExitStatus) {
	b := f.line[:0]
	if x.Signaled {
		b = append(b, "+++ killed by "...)
		b = append(b, x.Name...)
		if x.Core {
			b = append(b, " (core dumped)"...)
		}
	} else {
		b = append(b, "+++ exited with "...)
		b = strconv.AppendInt(b, int64(x.Code), 10)
	}
	b = append(b, " +++\n"...)
	f.line = b
	f.putBytes(b)
}

func (f *Strace) put(s string) {
	_, _ = f.w.WriteString(s)
	f.col = column0(f.col, s)
}

func (f *Strace) putBytes(b []byte) {
	_, _ = f.w.Write(b)
	f.col = column0(f.col, b)
}

// column0 returns the column after writing s at column col.
func column0[T ~string | ~[]byte](col int, s T) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '\n' {
			return len(s) - 1 - i
		}
	}
	return col + len(s)
}

// Flush implements Formatter.
func (f *Strace) Flush() error { return f.w.Flush() }

// End implements Formatter.
func (f *Strace) End() error {
	if f.open != 0 {
		f.put(" <unfinished ...>\n")
		f.open = 0
	}
	return f.w.Flush()
}

// appendPadded appends n in a field of width; right-aligned when right.
func appendPadded(b []byte, n, width int, right bool) []byte {
	var tmp [20]byte
	d := strconv.AppendInt(tmp[:0], int64(n), 10)
	pad := width - len(d)
	if right {
		for ; pad > 0; pad-- {
			b = append(b, ' ')
		}
	}
	b = append(b, d...)
	for ; pad > 0; pad-- {
		b = append(b, ' ')
	}
	return b
}
