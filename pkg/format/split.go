package format

import (
	"errors"
	"io"

	"github.com/gtrace/gtrace/pkg/event"
)

// Split writes each task's events to a destination of its own, as
// strace -ff does: one formatter per task, created at the task's first
// event and ended when the task ends.
type Split struct {
	open  func(tid int) (io.WriteCloser, error)
	newFm func(io.Writer) Formatter
	tasks map[int]*splitTask
	err   error
}

type splitTask struct {
	w  io.WriteCloser
	fm Formatter
}

// NewSplit returns a Split that opens a destination with open and prints
// to it with a formatter from newFm.
func NewSplit(open func(tid int) (io.WriteCloser, error), newFm func(io.Writer) Formatter) *Split {
	return &Split{open: open, newFm: newFm, tasks: map[int]*splitTask{}}
}

// Write implements Formatter.
func (s *Split) Write(ev *event.Event) error {
	t := s.tasks[ev.TID]
	if t == nil {
		w, err := s.open(ev.TID)
		if err != nil {
			s.err = errors.Join(s.err, err)
			return err
		}
		t = &splitTask{w: w, fm: s.newFm(w)}
		s.tasks[ev.TID] = t
	}
	err := t.fm.Write(ev)
	if ev.Kind == event.KindExit || ev.Kind == event.KindDetach {
		err = errors.Join(err, s.close(ev.TID, t))
	}
	if former := s.tasks[ev.Former]; ev.Kind == event.KindNotice && ev.Former != 0 && former != nil {
		// The thread whose execve took over the leader's id: its file
		// ends there, its open line "<pid changed to N ...>".
		ended := *ev
		ended.Text = ""
		err = errors.Join(err, former.fm.Write(&ended), s.close(ev.Former, former))
	}
	return err
}

func (s *Split) close(tid int, t *splitTask) error {
	delete(s.tasks, tid)
	return errors.Join(t.fm.End(), t.w.Close())
}

// Flush implements Formatter.
func (s *Split) Flush() error {
	var err error
	for _, t := range s.tasks {
		err = errors.Join(err, t.fm.Flush())
	}
	return err
}

// End implements Formatter.
func (s *Split) End() error {
	err := s.err
	for tid, t := range s.tasks {
		err = errors.Join(err, s.close(tid, t))
	}
	return err
}
