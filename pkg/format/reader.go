package format

import (
	"bytes"

	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/resource"
)

// reader builds one human sentence about a call. Its methods append and
// return the reader, so sentences read as they print.
type reader struct {
	b     []byte
	c     *event.Call
	tid   int
	style *event.Style
	pal   *Palette
	fds   *resource.Tracker
}

func (rd *reader) say(s string) *reader {
	rd.b = append(rd.b, s...)
	return rd
}

func (rd *reader) name(s string) *reader {
	rd.b = rd.pal.paint(rd.b, event.TokName, s)
	return rd
}

// fdArg appends the descriptor in register i.
func (rd *reader) fdArg(i int) *reader {
	return rd.fd(int(int32(rd.c.Raw[i])))
}

// bareFD appends "fd 3".
func (rd *reader) bareFD(n int) *reader {
	rd.b = rd.pal.open(rd.b, event.TokFD)
	rd.b = append(rd.b, "fd "...)
	rd.b = appendInt(rd.b, int64(n))
	rd.b = rd.pal.close(rd.b, event.TokFD)
	return rd
}

// fd appends "fd 3 (/etc/passwd)": the descriptor and, when known, what
// it refers to (from /proc for one gtrace did not see made).
func (rd *reader) fd(n int) *reader {
	if n == -100 {
		return rd.say("the current directory")
	}
	rd.bareFD(n)
	if r := rd.fds.Name(rd.tid, n); r != nil {
		rd.say(" (")
		rd.b = appendSafeText(rd.b, r.String())
		rd.say(")")
	}
	return rd
}

// data appends the buffer in argument i, quoted, after sep: what a
// read got (": "hello\n"") or what a write gives.
func (rd *reader) data(i int, sep string) *reader {
	if i < len(rd.c.Args) && rd.c.Args[i].Val.Kind == event.VStr {
		rd.say(sep)
		rd.b = rd.c.Args[i].Val.AppendStrace(rd.b, rd.style)
	}
	return rd
}

// firstPath returns the first decoded path argument.
func (rd *reader) firstPath() *event.Value {
	return rd.nthPathValue(0)
}

func (rd *reader) nthPathValue(k int) *event.Value {
	for i := range rd.c.Args {
		a := &rd.c.Args[i]
		if a.Format != "path" {
			continue
		}
		if k == 0 {
			return &a.Val
		}
		k--
	}
	return nil
}

// shows reports whether the sentence so far names path v.
func (rd *reader) shows(v *event.Value) bool {
	return v.Kind == event.VStr && len(v.Bytes) > 0 && bytes.Contains(rd.b, v.Bytes)
}

// nthPath appends the k-th path argument.
func (rd *reader) nthPath(k int) *reader {
	if v := rd.nthPathValue(k); v != nil {
		return rd.pathValue(v)
	}
	return rd.say("?")
}

// pathOrFD appends what a path-or-descriptor call works on: its path,
// relative to its directory descriptor when it has one, or the
// descriptor itself for an empty path (AT_EMPTY_PATH) or none.
func (rd *reader) pathOrFD() *reader {
	p := rd.firstPath()
	dir := -100
	for i := range rd.c.Args {
		if a := &rd.c.Args[i]; a.Format == "atfd" || a.Format == "fd" {
			dir = int(int32(a.Raw))
			break
		}
	}
	if p == nil || (p.Kind == event.VStr && len(p.Bytes) == 0) {
		return rd.fd(dir)
	}
	rd.pathValue(p)
	if dir != -100 && p.Kind == event.VStr && p.Bytes[0] != '/' {
		rd.say(" in ").fd(dir)
	}
	return rd
}

// pathValue appends a path: as it is when it is plain printable text,
// quoted and escaped as strace quotes otherwise.
func (rd *reader) pathValue(v *event.Value) *reader {
	if v.Kind != event.VStr || !plainText(v.Bytes) {
		rd.b = v.AppendStrace(rd.b, rd.style)
		return rd
	}
	rd.b = rd.pal.open(rd.b, event.TokString)
	rd.b = append(rd.b, v.Bytes...)
	rd.b = rd.pal.close(rd.b, event.TokString)
	return rd
}

// addr appends the socket address in argument i.
func (rd *reader) addr(i int) *reader {
	if i < len(rd.c.Args) {
		if a := resource.Address(&rd.c.Args[i].Val); a != "" {
			rd.b = appendSafeText(rd.b, a)
			return rd
		}
	}
	return rd.say("an address")
}

// argv appends execve's arguments.
func (rd *reader) argv() *reader {
	for i := range rd.c.Args {
		if a := &rd.c.Args[i]; a.Format == "argv" {
			rd.say(" as ")
			rd.b = a.Val.AppendStrace(rd.b, rd.style)
		}
	}
	return rd
}

// outArg is the index of the first argument the kernel filled.
func (rd *reader) outArg() int {
	for i := range rd.c.Args {
		if rd.c.Args[i].Out {
			return i
		}
	}
	return 0
}

// plainText reports whether s prints as is: printable ASCII without
// spaces or quotes, so it cannot be misread or reach a terminal raw.
func plainText(s []byte) bool {
	if len(s) == 0 {
		return false
	}
	for _, c := range s {
		if c <= ' ' || c > '~' || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// appendSafeText appends text that may hold tracee bytes (a path, a unix
// socket's name), printable ASCII as is and every other byte as \xNN.
func appendSafeText(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c > '~' || c == '\\' {
			b = append(b, '\\', 'x', jsonHex[c>>4], jsonHex[c&15])
			continue
		}
		b = append(b, c)
	}
	return b
}
