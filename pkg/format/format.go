// Package format turns events into text: strace's line format, and the
// other formats gtrace offers. It is the only package that writes trace
// output.
package format

import (
	"bufio"
	"io"
	"strconv"
	"syscall"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
)

// Formatter prints a stream of events.
type Formatter interface {
	// Write prints ev, or records it for later.
	Write(ev *event.Event) error
	// Flush pushes buffered output to its destination. It is called when
	// the tracer is about to wait, so output stays timely.
	Flush() error
	// End prints whatever is printed at the end and flushes.
	End() error
}

// bufSize is the output buffer: large enough that a busy trace is written
// in few syscalls, flushed whenever the tracer waits.
const bufSize = 64 << 10

// newWriter buffers w.
func newWriter(w io.Writer) *bufio.Writer {
	if bw, ok := w.(*bufio.Writer); ok {
		return bw
	}
	return bufio.NewWriterSize(w, bufSize)
}

// errnoName is an errno's symbolic name ("ENOENT"), or "errno N" for a
// number the tables do not name.
func errnoName(e syscall.Errno) string {
	if name := decode.ErrnoName(int(e)); name != "" {
		return name
	}
	return "errno " + itoa(int(e))
}

func itoa(n int) string { return strconv.Itoa(n) }

func appendInt(b []byte, n int64) []byte   { return strconv.AppendInt(b, n, 10) }
func appendUint(b []byte, n uint64) []byte { return strconv.AppendUint(b, n, 10) }
