package format

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/resource"
)

// Groups are --group's values.
var Groups = []string{"file", "socket", "all"}

// ParseGroup reads a --group value: the resource kinds it reports.
func ParseGroup(s string) ([]resource.Kind, error) {
	switch s {
	case "file":
		return []resource.Kind{resource.File, resource.Pipe}, nil
	case "socket":
		return []resource.Kind{resource.Socket}, nil
	case "all":
		return []resource.Kind{resource.File, resource.Pipe, resource.Socket, resource.Other}, nil
	}
	return nil, fmt.Errorf("unknown group %q (want %s)", s, strings.Join(Groups, ", "))
}

// GroupOptions are the grouped formatter's settings.
type GroupOptions struct {
	// Kinds are the resources reported.
	Kinds []resource.Kind
	// JSON prints each report as one JSON object.
	JSON bool
	// Time chooses how moments print: -t, -tt (the default) or -ttt.
	Time  TimeOptions
	Color *Palette
	// Resolver names sockets' endpoints and inherited descriptors; nil
	// uses the events alone.
	Resolver resource.Resolver
	// Fed says the caller feeds the resource tracker (Tracker) itself,
	// from hooks that see every descriptor call whatever the trace
	// reports (package restrace): Write then leaves events alone.
	// Without it, Write feeds the tracker the events it is given, which
	// must then be every call on the resources (recorded traces).
	Fed bool
}

// Grouped prints one report per file or socket instead of one line per
// call: who opened it and when, how it was used, when it closed. A
// report prints when its resource closes; those still open print at the
// end.
type Grouped struct {
	w    *bufio.Writer
	opts GroupOptions
	fds  *resource.Tracker
	b    []byte
	j    jsonw
}

// NewGrouped returns a grouped printer writing to w.
func NewGrouped(w io.Writer, opts GroupOptions) *Grouped {
	g := &Grouped{w: newWriter(w), opts: opts}
	report := func(op *resource.Op) { g.report(op.Res) }
	g.fds = resource.New(resource.Options{
		Resolver: opts.Resolver,
		Hooks: resource.Hooks{
			OnFilter: func(r *resource.Resource, _ *resource.Op) bool { return slices.Contains(opts.Kinds, r.Kind) },
			File:     resource.FileHooks{OnClose: report},
			Socket:   resource.SocketHooks{OnClose: report},
		},
	})
	return g
}

// Write implements Formatter.
func (g *Grouped) Write(ev *event.Event) error {
	if !g.opts.Fed {
		g.fds.Handle(ev)
	}
	return nil
}

// Tracker returns the resource tracker whose resources g reports: with
// GroupOptions.Fed, the caller's to feed.
func (g *Grouped) Tracker() *resource.Tracker { return g.fds }

// Flush implements Formatter.
func (g *Grouped) Flush() error { return g.w.Flush() }

// End implements Formatter: the resources still open are reported.
func (g *Grouped) End() error {
	for _, r := range g.fds.Open() {
		if r.Traced {
			g.report(r)
		}
	}
	return g.w.Flush()
}

func (g *Grouped) report(r *resource.Resource) {
	if g.opts.JSON {
		g.reportJSON(r)
		return
	}
	p := g.opts.Color
	b := g.b[:0]
	b = p.paint(b, event.TokName, r.Kind.String())
	b = append(b, ' ')
	b = p.open(b, event.TokString)
	b = appendSafeText(b, r.String())
	b = p.close(b, event.TokString)
	b = append(b, "\n  opened   "...)
	if r.Inherited {
		b = append(b, "before tracing; first used "...)
	}
	b = g.appendStamp(b, &r.Opened)
	b = append(b, "\n  calls    "...)
	for i, cc := range r.Stats.Calls {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, cc.Name...)
		b = append(b, ' ')
		b = appendInt(b, int64(cc.Calls))
	}
	b = append(b, "\n  bytes    "...)
	read, written := "read ", ", written "
	if r.Kind == resource.Socket {
		read, written = "received ", ", sent "
	}
	b = append(b, read...)
	b = p.open(b, event.TokNumber)
	b = appendInt(b, r.Stats.BytesRead)
	b = p.close(b, event.TokNumber)
	b = append(b, written...)
	b = p.open(b, event.TokNumber)
	b = appendInt(b, r.Stats.BytesWritten)
	b = p.close(b, event.TokNumber)
	b = append(b, "\n  errors   "...)
	if r.Stats.Errors > 0 {
		b = p.open(b, event.TokError)
	}
	b = appendInt(b, int64(r.Stats.Errors))
	if r.Stats.Errors > 0 {
		b = p.close(b, event.TokError)
	}
	b = append(b, "\n  time     "...)
	b = p.open(b, event.TokTime)
	b = append(b, seconds(r.Stats.Time)...)
	b = p.close(b, event.TokTime)
	b = append(b, " s in its calls\n  closed   "...)
	switch {
	case r.IsOpen():
		b = append(b, "no: still open when tracing ended"...)
	case r.Closed.Call == "":
		b = append(b, "when "...)
		b = p.open(b, event.TokPID)
		b = append(b, "pid "...)
		b = appendInt(b, int64(r.Closed.PID))
		b = p.close(b, event.TokPID)
		b = append(b, " exited, at "...)
		b = g.appendTime(b, r.Closed.Time)
	default:
		b = g.appendStamp(b, &r.Closed)
	}
	b = append(b, '\n')
	g.b = b
	_, _ = g.w.Write(b)
}

// appendStamp appends "by pid 12 at 10:00:00.000001 (openat, fd 3)".
func (g *Grouped) appendStamp(b []byte, s *resource.Stamp) []byte {
	p := g.opts.Color
	b = append(b, "by "...)
	b = p.open(b, event.TokPID)
	b = append(b, "pid "...)
	b = appendInt(b, int64(s.PID))
	b = p.close(b, event.TokPID)
	b = append(b, " at "...)
	b = g.appendTime(b, s.Time)
	b = append(b, " ("...)
	if s.Call != "" {
		b = append(b, s.Call...)
		b = append(b, ", "...)
	}
	b = p.open(b, event.TokFD)
	b = append(b, "fd "...)
	b = appendInt(b, int64(s.FD))
	b = p.close(b, event.TokFD)
	return append(b, ')')
}

// appendTime appends a moment as -t (seconds), -tt (microseconds, the
// default) or -ttt (epoch seconds) print it.
func (g *Grouped) appendTime(b []byte, t time.Time) []byte {
	o := TimeOptions{Stamps: g.opts.Time.Stamps}
	if o.Stamps == 0 {
		o.Stamps = 2
	}
	var c clock
	b = g.opts.Color.open(b, event.TokTime)
	b = c.appendBareStamp(b, t, &o)
	b = b[:len(b)-1] // the stamp ends with the space that starts a line's text
	return g.opts.Color.close(b, event.TokTime)
}

// reportJSON prints a report as one JSON object of type "resource".
func (g *Grouped) reportJSON(r *resource.Resource) {
	j := &g.j
	j.begin("resource")
	j.str("kind", r.Kind.String())
	j.int("id", int64(r.ID))
	j.str("name", r.String())
	if r.Path != "" {
		j.str("path", r.Path)
	}
	if r.Kind == resource.Socket {
		for _, f := range [][2]string{{"family", r.Family}, {"sock_type", r.Type}, {"proto", r.Proto}, {"local", r.Local}, {"remote", r.Remote}} {
			if f[1] != "" {
				j.str(f[0], f[1])
			}
		}
		j.bool("listening", r.Listening)
	}
	j.bool("inherited", r.Inherited)
	j.key("opened")
	g.stampJSON(&r.Opened)
	j.key("closed")
	if r.IsOpen() {
		j.b = append(j.b, "null"...)
	} else {
		g.stampJSON(&r.Closed)
	}
	j.key("calls")
	j.openArray()
	for _, cc := range r.Stats.Calls {
		j.elem()
		j.open()
		j.str("name", cc.Name)
		j.int("calls", int64(cc.Calls))
		j.int("errors", int64(cc.Errors))
		j.close()
	}
	j.closeArray()
	j.key("ops")
	j.open()
	for k := resource.OpOpen; k <= resource.OpOther; k++ {
		if n := r.Stats.Count(k); n > 0 {
			j.int(k.String(), int64(n))
		}
	}
	j.close()
	j.int("errors", int64(r.Stats.Errors))
	j.int("bytes_read", r.Stats.BytesRead)
	j.int("bytes_written", r.Stats.BytesWritten)
	j.int("time_ns", int64(r.Stats.Time))
	j.finish()
	_, _ = g.w.Write(j.b)
}

func (g *Grouped) stampJSON(s *resource.Stamp) {
	j := &g.j
	j.open()
	j.int("pid", int64(s.PID))
	j.int("tid", int64(s.TID))
	j.int("fd", int64(s.FD))
	if s.Call != "" {
		j.str("call", s.Call)
	}
	j.key("time")
	j.b = appendJSONTime(j.b, s.Time)
	j.close()
}
