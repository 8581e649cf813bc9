package format

import (
	"bufio"
	"encoding/base64"
	"io"
	"time"
	"unicode/utf8"

	"github.com/gtrace/gtrace/pkg/categories"
	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/resource"
)

// SchemaVersion is the "v" of every JSON object gtrace prints. It changes
// only when a field changes meaning or goes away; new fields may appear
// within a version.
const SchemaVersion = 1

// JSONOptions are the JSON formatter's settings.
type JSONOptions struct {
	// Time adds "rel_ns" with -r. Absolute times ("time") and durations
	// ("dur_ns") are always present at full precision, so -t, -tt, -ttt
	// and -T change nothing.
	Time TimeOptions
	// Resolver helps name descriptors (see resource.Options); nil uses
	// the events alone.
	Resolver resource.Resolver
}

// JSON prints events as NDJSON: one object per line, a syscall's entry
// and exit merged into one object printed at its exit. docs/ holds the
// JSON Schema.
type JSON struct {
	w     *bufio.Writer
	opts  JSONOptions
	j     jsonw
	fds   *resource.Tracker
	clock clock
	// cats caches each category set's JSON array; scratch renders
	// values as strace text before they are quoted.
	cats    map[categories.Set][]byte
	scratch []byte
}

// NewJSON returns a JSON printer writing to w.
func NewJSON(w io.Writer, opts JSONOptions) *JSON {
	return &JSON{
		w: newWriter(w), opts: opts, cats: map[categories.Set][]byte{},
		fds: resource.New(resource.Options{Resolver: opts.Resolver}),
	}
}

// Write implements Formatter.
func (f *JSON) Write(ev *event.Event) error {
	// An entry is written with its exit; a notice without text is not
	// to be printed.
	if ev.Kind != event.KindSyscallEntry && (ev.Kind != event.KindNotice || ev.Text != "") {
		f.object(ev)
	}
	// The tracker learns from the call after it was printed, so a close
	// still shows the path of what it closed.
	f.fds.Handle(ev)
	return nil
}

func (f *JSON) object(ev *event.Event) {
	j := &f.j
	f.header(ev.Kind.String(), ev)
	switch ev.Kind {
	case event.KindSyscallExit:
		f.call(ev)
	case event.KindSignal:
		j.str("signal", ev.Signal.Name)
		j.int("signo", int64(ev.Signal.Signo))
		if ev.Signal.Info.Kind != event.VNone {
			j.key("info")
			f.value(&ev.Signal.Info, ev.TID)
		}
	case event.KindExit:
		x := ev.Exit
		if x.Signaled {
			j.str("signal", x.Name)
			j.int("signo", int64(x.Signo))
			j.bool("core", x.Core)
		} else {
			j.int("code", int64(x.Code))
		}
	case event.KindAttach:
		if ev.Child != 0 {
			j.int("parent", int64(ev.Child))
		}
	case event.KindNotice:
		j.str("text", ev.Text)
	}
	j.finish()
	_, _ = f.w.Write(j.b)
	if ev.Kind == event.KindSyscallExit && isExec(ev.Call) {
		f.exec(ev)
	}
}

// header begins an event's object: type, time, task.
func (f *JSON) header(typ string, ev *event.Event) {
	j := &f.j
	j.begin(typ)
	j.key("time")
	j.b = appendJSONTime(j.b, ev.Time)
	if f.opts.Time.Relative {
		var d time.Duration
		if !f.clock.last.IsZero() {
			d = ev.Time.Sub(f.clock.last)
		}
		f.clock.last = ev.Time
		j.int("rel_ns", int64(d))
	}
	j.int("pid", int64(ev.PID))
	j.int("tid", int64(ev.TID))
}

// call writes a syscall's members.
func (f *JSON) call(ev *event.Event) {
	j := &f.j
	c := ev.Call
	j.str("name", c.Name)
	j.int("nr", int64(c.Nr))
	j.str("arch", c.Arch.String())
	j.key("cats")
	cats, ok := f.cats[c.Cats]
	if !ok {
		var cj jsonw
		cj.openArray()
		for _, name := range c.Cats.List() {
			cj.elem()
			cj.b = appendJSONString(cj.b, name)
		}
		cj.closeArray()
		cats = cj.b
		f.cats[c.Cats] = cats
	}
	j.b = append(j.b, cats...)
	j.key("args")
	j.openArray()
	for i := range c.Args {
		a := &c.Args[i]
		if a.Val.Kind == event.VNone {
			continue
		}
		j.elem()
		j.open()
		j.str("name", a.Name)
		j.str("type", a.Format)
		j.key("value")
		f.value(&a.Val, ev.TID)
		j.close()
	}
	j.closeArray()
	switch c.Phase {
	case event.Returned:
		j.int("ret", c.Ret)
		if c.Errno != 0 {
			j.str("errno", errnoName(c.Errno))
			if msg := decode.ErrnoMessage(int(c.Errno)); msg != "" {
				j.str("error", msg)
			}
		}
		j.int("dur_ns", int64(c.Duration()))
	default:
		// exit and exit_group, and calls whose task died inside them,
		// have no result.
		j.bool("unfinished", true)
		if c.Phase == event.Detached {
			j.bool("detached", true)
		}
	}
	if c.Injected {
		j.bool("injected", true)
	}
	if len(c.Dumps) > 0 {
		j.dumps(c.Dumps)
	}
}

// exec writes the "exec" object that follows a successful execve: the
// program the task now runs.
func (f *JSON) exec(ev *event.Event) {
	j := &f.j
	f.header("exec", ev)
	for i := range ev.Call.Args {
		a := &ev.Call.Args[i]
		switch {
		case a.Format == "path" && a.Val.Kind == event.VStr:
			j.key("path")
			j.b = appendJSONString(j.b, a.Val.Bytes)
		case a.Format == "argv" && a.Val.Kind == event.VArray:
			j.key("argv")
			f.value(&a.Val, ev.TID)
		}
	}
	j.finish()
	_, _ = f.w.Write(j.b)
}

func isExec(c *event.Call) bool {
	return c.Phase == event.Returned && c.Errno == 0 && (c.Name == "execve" || c.Name == "execveat")
}

// value writes a decoded value as JSON (the schema's "value").
func (f *JSON) value(v *event.Value, tid int) {
	j := &f.j
	switch v.Kind {
	case event.VInt:
		j.b = appendInt(j.b, int64(v.N))
	case event.VUint, event.VOct:
		j.b = appendUint(j.b, v.N)
	case event.VHex:
		j.b = appendHexString(j.b, v.N)
	case event.VPtr:
		if v.N == 0 {
			j.b = append(j.b, "null"...)
		} else {
			j.b = appendHexString(j.b, v.N)
		}
	case event.VFault:
		j.open()
		j.key("fault")
		j.b = appendHexString(j.b, v.N)
		j.close()
	case event.VFD:
		f.fd(v, tid)
	case event.VStr:
		j.open()
		j.key("text")
		j.b = appendJSONString(j.b, v.Bytes)
		j.bool("truncated", v.Trunc)
		if !utf8.Valid(v.Bytes) {
			j.key("b64")
			j.b = append(j.b, '"')
			j.b = base64.StdEncoding.AppendEncode(j.b, v.Bytes)
			j.b = append(j.b, '"')
		}
		j.close()
	case event.VFlags, event.VEnum:
		f.symbols(v)
	case event.VStruct:
		j.open()
		for i := range v.Elems {
			e := &v.Elems[i]
			if e.Name != "" {
				j.key(e.Name)
			} else {
				j.key("_" + itoa(i))
			}
			f.value(e, tid)
		}
		if v.Trunc {
			j.bool("...", true)
		}
		j.close()
	case event.VArray:
		j.openArray()
		for i := range v.Elems {
			j.elem()
			f.value(&v.Elems[i], tid)
		}
		if v.Trunc {
			j.elem()
			j.b = append(j.b, `"..."`...)
		}
		j.closeArray()
	case event.VCall:
		j.open()
		j.str("call", v.Name)
		j.key("args")
		j.openArray()
		for i := range v.Elems {
			j.elem()
			f.value(&v.Elems[i], tid)
		}
		j.closeArray()
		j.close()
	default: // VText, VNone
		f.scratch = v.AppendStrace(f.scratch[:0], &event.Style{})
		j.b = appendJSONString(j.b, f.scratch)
	}
}

// fd writes a descriptor with what it refers to: the decoder's -y path,
// or what the resource tracker learnt from the calls so far.
func (f *JSON) fd(v *event.Value, tid int) {
	j := &f.j
	j.open()
	n := int64(v.N)
	j.int("fd", n)
	switch {
	case n == -100:
		j.str("name", "AT_FDCWD")
	case v.Text != "":
		j.str("path", v.Text)
	default:
		if r := f.fds.Lookup(tid, int(int32(n))); r != nil {
			j.str("path", r.String())
		}
	}
	j.close()
}

// symbols writes flags as a list of names, an enum as its name; bits or
// values without a name follow as a hex string.
func (f *JSON) symbols(v *event.Value) {
	j := &f.j
	if v.Syms == nil {
		j.b = appendHexString(j.b, v.N)
		return
	}
	names, rest := v.Syms.Names(v.N)
	if v.Kind == event.VEnum {
		if len(names) == 1 {
			j.b = appendJSONString(j.b, names[0])
		} else {
			j.b = appendUint(j.b, v.N)
		}
		return
	}
	j.openArray()
	for _, n := range names {
		j.elem()
		j.b = appendJSONString(j.b, n)
	}
	if rest != 0 {
		j.elem()
		j.b = appendHexString(j.b, rest)
	}
	j.closeArray()
}

// Flush implements Formatter.
func (f *JSON) Flush() error { return f.w.Flush() }

// End implements Formatter.
func (f *JSON) End() error { return f.w.Flush() }

// appendHexString appends v as a JSON string "0x...", which needs no
// escaping.
func appendHexString(b []byte, v uint64) []byte {
	b = append(b, '"')
	b = event.AppendHex(b, v)
	return append(b, '"')
}

// appendJSONTime appends t as an RFC 3339 string with nanoseconds.
func appendJSONTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}
