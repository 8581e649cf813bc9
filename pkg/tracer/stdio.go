package tracer

import (
	"io"
	"os"
	"sync"
)

// stdio connects a started program's standard streams to a Cmd's readers
// and writers, as os/exec does, except that nil means the caller's own.
type stdio struct {
	files [3]*os.File
	// childEnds are pipe ends only the program should hold: closed once
	// it started.
	childEnds []*os.File
	// copying counts the output copies still running.
	copying sync.WaitGroup
}

func newStdio(c *Cmd) (*stdio, error) {
	s := &stdio{}
	var err error
	if s.files[0], err = s.input(c.Stdin); err != nil {
		return nil, err
	}
	if s.files[1], err = s.output(c.Stdout, os.Stdout); err != nil {
		s.started()
		return nil, err
	}
	if s.files[2], err = s.output(c.Stderr, os.Stderr); err != nil {
		s.started()
		return nil, err
	}
	return s, nil
}

func (s *stdio) input(r io.Reader) (*os.File, error) {
	switch r := r.(type) {
	case nil:
		return os.Stdin, nil
	case *os.File:
		return r, nil
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	s.childEnds = append(s.childEnds, pr)
	go func() {
		// Ends when r does, or when the program is gone (EPIPE).
		_, _ = io.Copy(pw, r)
		_ = pw.Close()
	}()
	return pr, nil
}

func (s *stdio) output(w io.Writer, own *os.File) (*os.File, error) {
	switch w := w.(type) {
	case nil:
		return own, nil
	case *os.File:
		return w, nil
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	s.childEnds = append(s.childEnds, pw)
	s.copying.Add(1)
	go func() {
		defer s.copying.Done()
		_, _ = io.Copy(w, pr)
		_ = pr.Close()
	}()
	return pw, nil
}

// fds are the descriptors the program starts with.
func (s *stdio) fds() []uintptr {
	return []uintptr{s.files[0].Fd(), s.files[1].Fd(), s.files[2].Fd()}
}

// started closes what only the program needs, once it has it.
func (s *stdio) started() {
	for _, f := range s.childEnds {
		_ = f.Close()
	}
	s.childEnds = nil
}

// wait waits for the program's output to be copied.
func (s *stdio) wait() { s.copying.Wait() }
