// Package resource follows the files and sockets of traced programs
// through their lifecycle — created, used, released — from the events a
// tracer reports, in the manner of Shaman's resource tracing: a Tracker
// keeps each process's descriptor table (following dup, fcntl F_DUPFD,
// close-on-exec, fork inheritance and threads that share a table), turns
// each syscall into an operation on a Resource, keeps per-resource
// statistics and calls the Hooks a program registers.
//
//	t := resource.New(resource.Options{Hooks: resource.Hooks{
//		File: resource.FileHooks{OnClose: func(op *resource.Op) {
//			fmt.Println(op.Res.Path, op.Res.Stats.BytesRead)
//		}},
//	}})
//	for ev, err := range tr.Events() { ...; t.Handle(ev) }
//
// The package consumes event.Events only: it does not depend on the
// engine that produced them, and works on recorded events as well. A
// Tracker must see every call on the resources it follows (Follows
// names those it needs besides the calls with descriptor arguments):
// fed from Events, that holds only when every syscall is reported.
// Package restrace feeds a Tracker from a live tracer's hooks instead,
// whatever the trace reports.
package resource

import (
	"strconv"
	"syscall"
	"time"

	"github.com/gtrace/gtrace/pkg/event"
)

// Kind is what sort of thing a descriptor refers to.
type Kind uint8

const (
	// File is a file, directory or device opened by name.
	File Kind = iota + 1
	// Socket is a network or local socket.
	Socket
	// Pipe is one end of a pipe.
	Pipe
	// Other is an anonymous kernel object: epoll, eventfd, timerfd,
	// signalfd, inotify, pidfd, and the like.
	Other
)

var kindNames = [...]string{File: "file", Socket: "socket", Pipe: "pipe", Other: "other"}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "unknown"
}

// OpKind is what a call did to a resource.
type OpKind uint8

const (
	// OpOpen created the resource: open, socket, pipe, eventfd, ...
	OpOpen OpKind = iota
	OpRead
	OpWrite
	OpSeek
	OpStat
	OpIoctl
	OpMmap
	OpListen
	OpBind
	OpConnect
	// OpAccept is an accepted connection: the new socket's creation, and
	// an operation on the listening socket.
	OpAccept
	OpSend
	OpRecv
	// OpClose released the resource's last descriptor.
	OpClose
	// OpOther is any other call on one of the resource's descriptors
	// (fcntl, fsync, getdents64, ...).
	OpOther

	numOps
)

var opNames = [...]string{
	OpOpen: "open", OpRead: "read", OpWrite: "write", OpSeek: "seek", OpStat: "stat",
	OpIoctl: "ioctl", OpMmap: "mmap", OpListen: "listen", OpBind: "bind",
	OpConnect: "connect", OpAccept: "accept", OpSend: "send", OpRecv: "recv",
	OpClose: "close", OpOther: "other",
}

func (k OpKind) String() string {
	if int(k) < len(opNames) {
		return opNames[k]
	}
	return "unknown"
}

// Resource is one open file description: what open, socket, pipe or
// accept created, shared by every descriptor dup and fork copy from it.
type Resource struct {
	// ID numbers resources in the order they were first seen, from 1.
	ID   int
	Kind Kind
	// Path is a file's path as the program named it; for a resource
	// first seen in use (Inherited), what /proc/PID/fd says it is
	// ("/dev/pts/0", "pipe:[1234]"); for Other, its kind ("eventfd").
	Path string
	// Family, Type and Proto describe a socket: "AF_INET",
	// "SOCK_STREAM", "TCP".
	Family, Type, Proto string
	// Local and Remote are a socket's endpoints ("127.0.0.1:8080", a
	// unix socket's path), as far as they are known.
	Local, Remote string
	// Listening is set once listen succeeded on the socket.
	Listening bool

	// Opened says who created the resource, when, with which call and
	// descriptor.
	Opened Stamp
	// Inherited is set when the resource existed before it was first
	// seen: the program inherited it, or it came from a call the
	// tracker does not decode. Opened is then its first use.
	Inherited bool
	// Closed says when its last descriptor was released; zero while the
	// resource is open. Closed.Call is "" when the process's exit
	// released it ("execve" for a close-on-exec descriptor).
	Closed Stamp

	Stats Stats
	// Traced is the Hooks.OnFilter verdict: only traced resources get
	// hook calls. Statistics are kept for every resource.
	Traced bool

	refs int // descriptors, in every table, that refer to it
}

// Stamp is a moment in a resource's life: which task, which descriptor,
// which call, when.
type Stamp struct {
	PID, TID int
	FD       int
	Call     string
	Time     time.Time
}

// Stats are what happened to a resource.
type Stats struct {
	// Ops counts calls by kind of operation.
	Ops [numOps]int
	// Calls counts calls by syscall name, in order of first use.
	Calls []CallCount
	// Errors counts the calls that failed.
	Errors int
	// BytesRead and BytesWritten count the bytes reads and receives
	// returned, and writes and sends moved.
	BytesRead, BytesWritten int64
	// Time is the time spent in its calls, entry to exit.
	Time time.Duration
}

// CallCount is how often one syscall was made on a resource.
type CallCount struct {
	Name   string
	Calls  int
	Errors int
}

// Count returns how many calls of kind k the resource saw.
func (s *Stats) Count(k OpKind) int { return s.Ops[k] }

// IsOpen reports whether some descriptor still refers to r.
func (r *Resource) IsOpen() bool { return r.refs > 0 }

// String describes r in one line: a file's path, a socket's protocol and
// endpoints.
func (r *Resource) String() string {
	if r.Kind != Socket {
		if r.Path == "" {
			return "fd " + strconv.Itoa(r.Opened.FD)
		}
		return r.Path
	}
	s := r.Proto
	if s == "" {
		s = "socket"
	}
	switch {
	case r.Local != "" && r.Remote != "":
		s += " " + r.Local + " -> " + r.Remote
	case r.Local != "":
		s += " " + r.Local
	case r.Remote != "":
		s += " -> " + r.Remote
	case r.Path != "":
		s += " " + r.Path
	}
	return s
}

// Op is one operation on a resource, as hooks see it.
type Op struct {
	Kind OpKind
	Res  *Resource
	// FD is the descriptor the call used; for OpOpen and OpAccept, the
	// one it returned.
	FD       int
	PID, TID int
	Time     time.Time
	// Call is the syscall. It is valid only during the hook call, and
	// nil when a process's exit closed the resource.
	Call *event.Call
	// Bytes is what a read, write, send or receive moved.
	Bytes int64
	// Errno is the call's error, 0 if it succeeded.
	Errno syscall.Errno
	// Listener is the listening socket an OpAccept came through.
	Listener *Resource
}

// Hooks are called as resources live. Every field may be nil. File hooks
// serve every resource that is not a socket (files, pipes, others).
type Hooks struct {
	// OnFilter decides, when a resource is created or first seen,
	// whether it is traced: only traced resources get the other hooks.
	// Nil traces every resource.
	OnFilter func(r *Resource, op *Op) bool
	// OnOp sees every operation on a traced resource, before the
	// kind's own hook.
	OnOp   func(op *Op)
	File   FileHooks
	Socket SocketHooks
}

// FileHooks are the operations on files, pipes and other non-sockets.
type FileHooks struct {
	OnOpen, OnRead, OnWrite, OnSeek, OnStat, OnIoctl, OnMmap, OnClose func(op *Op)
}

// SocketHooks are the operations on sockets. OnAccept is called for the
// accepted connection (op.Res), with op.Listener the listening socket.
type SocketHooks struct {
	OnOpen, OnListen, OnBind, OnConnect, OnAccept, OnSend, OnRecv, OnClose func(op *Op)
}

// hook returns the hook for op on a resource of kind k, or nil.
func (h *Hooks) hook(k Kind, op OpKind) func(*Op) {
	if k == Socket {
		s := &h.Socket
		switch op {
		case OpOpen:
			return s.OnOpen
		case OpListen:
			return s.OnListen
		case OpBind:
			return s.OnBind
		case OpConnect:
			return s.OnConnect
		case OpAccept:
			return s.OnAccept
		case OpSend:
			return s.OnSend
		case OpRecv:
			return s.OnRecv
		case OpClose:
			return s.OnClose
		}
		return nil
	}
	f := &h.File
	switch op {
	case OpOpen:
		return f.OnOpen
	case OpRead:
		return f.OnRead
	case OpWrite:
		return f.OnWrite
	case OpSeek:
		return f.OnSeek
	case OpStat:
		return f.OnStat
	case OpIoctl:
		return f.OnIoctl
	case OpMmap:
		return f.OnMmap
	case OpClose:
		return f.OnClose
	}
	return nil
}
