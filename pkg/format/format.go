// Package format turns events into text: strace's line format, and the
// other formats gtrace offers. It is the only package that writes trace
// output.
package format

import (
	"bufio"
	"io"

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
