package format

import (
	"errors"

	"github.com/gtrace/gtrace/pkg/event"
)

// Multi sends every event to several formatters in turn: the trace and a
// summary after it, say (strace -C). Each writes to its own destination,
// or to the same one, in order: End ends them first to last.
type Multi []Formatter

// Write implements Formatter.
func (m Multi) Write(ev *event.Event) error {
	var err error
	for _, f := range m {
		err = errors.Join(err, f.Write(ev))
	}
	return err
}

// Flush implements Formatter.
func (m Multi) Flush() error {
	var err error
	for _, f := range m {
		err = errors.Join(err, f.Flush())
	}
	return err
}

// End implements Formatter.
func (m Multi) End() error {
	var err error
	for _, f := range m {
		err = errors.Join(err, f.End())
	}
	return err
}

// AtLineEnd defers fn until the first formatter that writes lines in
// pieces (strace's) has no half-written line; it runs fn at once when
// none does.
func (m Multi) AtLineEnd(fn func()) {
	for _, f := range m {
		if la, ok := f.(interface{ AtLineEnd(func()) }); ok {
			la.AtLineEnd(fn)
			return
		}
	}
	fn()
}
