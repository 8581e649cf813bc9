// Command filestory runs a command and tells the story of each file it
// touches, as Shaman's resource tracing does: who opened it and how,
// every operation on it — reads and writes with their byte counts, seeks,
// stats, ioctls, mmaps — and how it ended: closed, replaced by dup2,
// closed by execve (close-on-exec), or released by the exit of the last
// process that held it.
//
//	go run ./examples/filestory [-match REGEXP] [COMMAND [ARGS...]]
//
// -match chooses the files by path. Without a command it runs itself as a
// demonstration that writes, reads, maps and duplicates a file.
//
// A story prints when its file's last descriptor goes, in whichever
// process: descriptors are followed through dup, fcntl, fork and
// threads by a resource tracker (pkg/resource) that a feed
// (pkg/resource/restrace) keeps up to date from the tracer's hooks.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"

	"github.com/gtrace/gtrace/pkg/filter"
	"github.com/gtrace/gtrace/pkg/resource"
	"github.com/gtrace/gtrace/pkg/resource/restrace"
	"github.com/gtrace/gtrace/pkg/tracer"
)

// demoEnv makes this program the demonstration.
const demoEnv = "FILESTORY_DEMO"

func main() {
	if os.Getenv(demoEnv) != "" {
		if err := demo(); err != nil {
			fmt.Fprintln(os.Stderr, "filestory demo:", err)
			os.Exit(1)
		}
		return
	}
	match := flag.String("match", "", "tell only the stories of files whose path matches `REGEXP`")
	flag.Parse()
	re, err := regexp.Compile(*match)
	if err != nil {
		fmt.Fprintln(os.Stderr, "filestory: -match:", err)
		os.Exit(2)
	}
	var cmd tracer.Cmd
	if flag.NArg() > 0 {
		cmd = tracer.Command(flag.Arg(0), flag.Args()[1:]...)
	} else {
		self, _ := os.Executable()
		cmd = tracer.Command(self)
		cmd.Env = append(os.Environ(), demoEnv+"=1")
	}
	if err := run(cmd, re, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "filestory:", err)
		os.Exit(1)
	}
}

// demo writes a file, reads it back, maps it, and closes it through a
// duplicate of its descriptor.
func demo() error {
	dir, err := os.MkdirTemp("", "filestory")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	f, err := os.Create(filepath.Join(dir, "notes"))
	if err != nil {
		return err
	}
	if _, err := f.WriteString("hello, world\n"); err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if _, err := io.ReadAll(f); err != nil {
		return err
	}
	if _, err := f.Stat(); err != nil {
		return err
	}
	fd := int(f.Fd())
	m, err := syscall.Mmap(fd, 0, 13, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return err
	}
	if err := syscall.Munmap(m); err != nil {
		return err
	}
	dup, err := syscall.Dup(fd)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if _, err := syscall.Write(dup, []byte("bye\n")); err != nil {
		return err
	}
	return syscall.Close(dup)
}

// stories collects each traced file's story until it ends.
type stories struct {
	w    io.Writer
	open map[*resource.Resource]*strings.Builder
}

// line adds one line to the story of op's file; pid says who, when it is
// not the process that opened the file.
func (s *stories) line(op *resource.Op, format string, args ...any) {
	b := s.open[op.Res]
	if b == nil {
		b = &strings.Builder{}
		s.open[op.Res] = b
		fmt.Fprintf(b, "%s\n", op.Res.Path)
		if op.Res.Inherited {
			// No OnOpen: the file was open before tracing began.
			fmt.Fprintf(b, "  open before tracing, in pid %d as fd %d\n", op.PID, op.FD)
		}
	}
	fmt.Fprintf(b, "  "+format, args...)
	if op.PID != op.Res.Opened.PID {
		fmt.Fprintf(b, " (pid %d)", op.PID)
	}
	if op.Errno != 0 {
		fmt.Fprintf(b, ": failed, %v", op.Errno)
	}
	b.WriteByte('\n')
}

func (s *stories) opened(op *resource.Op) {
	s.line(op, "opened by pid %d with %s as fd %d", op.PID, op.Call.Name, op.FD)
}

// moved records a read or write.
func (s *stories) moved(verb string) func(*resource.Op) {
	return func(op *resource.Op) { s.line(op, "%s %d bytes through fd %d", verb, op.Bytes, op.FD) }
}

// did records an operation that moves no bytes.
func (s *stories) did(verb string) func(*resource.Op) {
	return func(op *resource.Op) { s.line(op, "%s through fd %d", verb, op.FD) }
}

// closed ends a story and prints it.
func (s *stories) closed(op *resource.Op) {
	switch {
	case op.Call == nil:
		s.line(op, "released when pid %d exited, with fd %d", op.PID, op.FD)
	case op.Call.Name == "execve" || op.Call.Name == "execveat":
		s.line(op, "closed by %s: fd %d was close-on-exec", op.Call.Name, op.FD)
	case op.Call.Name == "close":
		s.line(op, "closed with fd %d", op.FD)
	default:
		s.line(op, "closed by %s over fd %d", op.Call.Name, op.FD)
	}
	s.end(op.Res)
}

func (s *stories) end(r *resource.Resource) {
	if b := s.open[r]; b != nil {
		fmt.Fprint(s.w, b.String())
		delete(s.open, r)
	}
}

// run traces cmd and tells the stories of the files whose path matches.
func run(cmd tracer.Cmd, match *regexp.Regexp, w io.Writer) error {
	s := &stories{w: w, open: map[*resource.Resource]*strings.Builder{}}
	res := resource.New(resource.Options{
		// Names what the program had before tracing (its standard
		// streams) from /proc.
		Resolver: resource.ProcResolver{},
		Hooks: resource.Hooks{
			// Chosen when opened: only files, by path. Pipes, sockets and
			// the rest get no callbacks.
			OnFilter: func(r *resource.Resource, _ *resource.Op) bool {
				return r.Kind == resource.File && match.MatchString(r.Path)
			},
			File: resource.FileHooks{
				OnOpen:  s.opened,
				OnRead:  s.moved("read"),
				OnWrite: s.moved("wrote"),
				OnSeek:  s.did("seek"),
				OnStat:  s.did("stat"),
				OnIoctl: s.did("ioctl"),
				OnMmap:  s.did("mmap"),
				OnClose: s.closed,
			},
		},
	})
	t, err := tracer.Start(context.Background(), cmd, tracer.Options{
		Follow: true,
		Trace:  filter.NoSyscalls(),
		Hooked: restrace.Syscalls(),
	})
	if err != nil {
		return err
	}
	err = t.Run(restrace.New(res).Hooks())
	// Files of processes that outlived the trace are still open.
	for _, r := range res.Open() {
		if b := s.open[r]; b != nil {
			b.WriteString("  still open when tracing ended\n")
			s.end(r)
		}
	}
	_, werr := t.Wait()
	return errors.Join(err, werr)
}
