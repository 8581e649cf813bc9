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
	// PrefixPlainAuto prints "1234  " while more than one task is traced
	// (-o FILE when all threads of -p processes are traced without -f).
	PrefixPlainAuto
	// PrefixNever prints no prefix (one file per task).
	PrefixNever
)

// StraceOptions are the strace formatter's settings.
type StraceOptions struct {
	Style  event.Style
	Prefix PIDPrefix
	// Numbers prints each syscall's number before its name (-n).
	Numbers bool
	// HideExits leaves out the "+++ exited with N +++" lines (-qq);
	// "+++ killed by SIG... +++" stays, as in strace.
	HideExits bool
	// ShowKilledBy, when set, keeps "+++ killed by SIG... +++" only for
	// the signals it accepts (-e signal=), as strace does.
	ShowKilledBy func(signo int) bool
	// Time prints timestamps (-t, -tt, -ttt, -r) and durations (-T).
	Time TimeOptions
	// Color, when set, colours the output; nil prints strace's bytes.
	Color *Palette
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
	// err is the first write error; once set, the output is lost.
	err error
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
	if opts.Color != nil {
		opts.Style.Paint = opts.Color
	}
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
		b := f.appendNumber(f.line[:0], ev.Nr)
		b = f.opts.Color.open(b, event.TokSignal)
		b = append(b, "--- "...)
		b = append(b, ev.Signal.Name...)
		b = f.opts.Color.close(b, event.TokSignal)
		b = append(b, ' ')
		b = ev.Signal.Info.AppendStrace(b, &f.opts.Style)
		b = f.opts.Color.paint(b, event.TokSignal, " ---")
		f.line = append(b, '\n')
		f.putBytes(f.line)
	case event.KindExit:
		if f.showsExit(ev.Exit) {
			f.interrupt(0)
			f.startLine(ev)
			f.line = f.appendNumber(f.line[:0], ev.Nr)
			f.putBytes(f.line)
			f.exitStatus(ev.Exit)
		}
		f.endTask(ev.TID)
	case event.KindNotice:
		if ev.Former != 0 {
			f.superseded(ev.Former, ev.TID)
		}
		if ev.Text == "" {
			break
		}
		f.interrupt(0)
		f.startLine(ev)
		f.put(ev.Text)
		f.put("\n")
	}
	return f.err
}

// superseded takes note that thread former, by its execve, took over
// the id of its leader: one task fewer, and the execve's line, if open,
// ends as strace ends it; its exit prints "<... execve resumed>".
func (f *Strace) superseded(former, leader int) {
	if f.open == former || f.cut[former] {
		f.cut[leader] = true
	}
	if f.open == former {
		f.endOpenLine(" <pid changed to " + strconv.Itoa(leader) + " ...>\n")
	}
	f.endTask(former)
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
		f.cut[f.open] = true
		f.endOpenLine(" <unfinished ...>\n")
	}
}

// endOpenLine ends the open entry line with what strace writes there:
// " <unfinished ...>", " <detached ...>", " <pid changed to N ...>".
func (f *Strace) endOpenLine(end string) {
	f.put(end)
	f.open = 0
	f.lineEnded()
}

// startLine writes the timestamp and pid prefix.
func (f *Strace) startLine(ev *event.Event) {
	b := f.line[:0]
	switch {
	case f.opts.Prefix == PrefixAlways, f.opts.Prefix == PrefixPlainAuto && f.tasks > 1:
		b = f.opts.Color.open(b, event.TokPID)
		b = appendPadded(b, ev.TID, 5, false)
		b = f.opts.Color.close(b, event.TokPID)
		b = append(b, ' ')
	case f.opts.Prefix == PrefixAuto && f.tasks > 1:
		b = f.opts.Color.open(b, event.TokPID)
		b = append(b, "[pid "...)
		b = appendPadded(b, ev.TID, 5, true)
		b = append(b, ']')
		b = f.opts.Color.close(b, event.TokPID)
		b = append(b, ' ')
	}
	f.line = f.clock.appendStamp(b, ev.Time, &f.opts.Time, f.opts.Color)
	f.putBytes(f.line)
}

// entry writes "name(" and the arguments known at entry, each followed by
// ", " when more follow.
func (f *Strace) entry(c *event.Call) {
	b := f.appendNumber(f.line[:0], c.Nr)
	b = f.opts.Color.paint(b, event.TokName, c.Name)
	b = append(b, '(')
	f.line = f.appendArgs(b, c, 0, firstOut(c))
	f.putBytes(f.line)
}

// appendNumber appends -n's "[ 257] " for syscall nr (nothing for -1).
func (f *Strace) appendNumber(b []byte, nr int) []byte {
	if !f.opts.Numbers || nr < 0 {
		return b
	}
	b = append(b, '[')
	b = appendPadded(b, nr, 4, true)
	return append(b, "] "...)
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
		if a.Val.Kind == event.VNone && (!a.Out || a.Lead != "") {
			if i < last && a.Out && !leadsNext(c, i) {
				b = append(b, ", "...)
			}
			continue
		}
		b = append(b, a.Lead...)
		if a.Val.Name != "" {
			b = append(b, a.Val.Name...)
			b = append(b, '=')
		}
		b = a.Val.AppendStrace(b, &f.opts.Style)
		if i < last && !leadsNext(c, i) {
			b = append(b, ", "...)
		}
	}
	return b
}

// leadsNext reports whether the argument shown after argument i brings
// its own separator (a Lead).
func leadsNext(c *event.Call, i int) bool {
	for j := i + 1; j < len(c.Args); j++ {
		a := &c.Args[j]
		if a.Out || a.Val.Kind != event.VNone {
			return a.Lead != ""
		}
	}
	return false
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
	if c.Phase == event.Detached {
		// strace ends the line only when it is still the open one.
		if f.open == ev.TID {
			f.endOpenLine(" <detached ...>\n")
		}
		delete(f.cut, ev.TID)
		return
	}
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
		// strace admits the line is incomplete only when part of it
		// was to be decoded at exit.
		if firstOut(c) < len(c.Args) {
			b = append(b, " <unfinished ...>"...)
		}
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
	failed := c.Failed()
	if failed {
		b = f.opts.Color.open(b, event.TokError)
	}
	b = c.RetVal.AppendStrace(b, &f.opts.Style)
	if c.RetAux.Kind != event.VNone {
		// An aside that renders to nothing in this style (-X raw)
		// is left out, parentheses and all.
		mark := len(b)
		b = append(b, " ("...)
		if b = c.RetAux.AppendStrace(b, &f.opts.Style); len(b) == mark+2 {
			b = b[:mark]
		} else {
			b = append(b, ')')
		}
	}
	if failed {
		b = f.opts.Color.close(b, event.TokError)
	}
	b = appendTampering(b, c)
	if f.opts.Time.Durations && c.Phase == event.Returned {
		b = f.opts.Color.open(b, event.TokTime)
		b = appendDuration(b, c.Duration())
		b = f.opts.Color.close(b, event.TokTime)
	}
	b = appendDumps(append(b, '\n'), c.Dumps)
	f.line = b
	f.putBytes(b)
	f.lineEnded()
}

// showsExit tells whether x gets its "+++ ... +++" line.
func (f *Strace) showsExit(x *event.ExitStatus) bool {
	if !x.Signaled {
		return !f.opts.HideExits
	}
	return f.opts.ShowKilledBy == nil || f.opts.ShowKilledBy(x.Signo)
}

func (f *Strace) exitStatus(x *event.ExitStatus) {
	b := f.opts.Color.open(f.line[:0], event.TokExit)
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
	b = append(b, " +++"...)
	b = f.opts.Color.close(b, event.TokExit)
	b = append(b, '\n')
	f.line = b
	f.putBytes(b)
}

func (f *Strace) put(s string) {
	if _, err := f.w.WriteString(s); err != nil && f.err == nil {
		f.err = err
	}
	f.col = column0(f.col, s)
}

func (f *Strace) putBytes(b []byte) {
	if _, err := f.w.Write(b); err != nil && f.err == nil {
		f.err = err
	}
	if f.opts.Color != nil {
		f.col = visibleColumn(f.col, b)
		return
	}
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

// appendTampering appends strace's notes on a call gtrace changed:
// " (INJECTED)" for a result, " (INJECTED: args)" for arguments, both
// as " (INJECTED: args, retval)", then " (DELAYED)".
func appendTampering(b []byte, c *event.Call) []byte {
	switch {
	case c.InjectedArgs && c.Injected:
		b = append(b, " (INJECTED: args, retval)"...)
	case c.InjectedArgs:
		b = append(b, " (INJECTED: args)"...)
	case c.Injected:
		b = append(b, " (INJECTED)"...)
	}
	if c.Delayed {
		b = append(b, " (DELAYED)"...)
	}
	return b
}
