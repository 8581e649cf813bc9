package filter

import (
	"os"
	"path/filepath"
	"strconv"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
)

// Paths are -P's paths. As in strace, a call touches a path when one of
// its path arguments is that string exactly, or one of its descriptors is
// open on it: /proc/PID/fd names the file by its absolute, resolved path,
// which matches when a -P path resolves (realpath) to it. The descriptors
// a matching call returns (open, dup, fcntl F_DUPFD) are remembered too,
// so a file keeps matching after it is renamed or deleted, until close.
type Paths struct {
	set map[string]bool
}

// NewPaths returns the set of paths and, for each path that resolves to
// another (a relative path, a symlink), what it resolved to: strace
// reports those ("Requested path ... resolved into ...").
func NewPaths(paths []string) (*Paths, [][2]string) {
	p := &Paths{set: map[string]bool{}}
	var resolved [][2]string
	for _, path := range paths {
		p.set[path] = true
		real, err := filepath.EvalSymlinks(path)
		if err != nil {
			continue // a path that does not exist (yet) matches as given
		}
		if abs, err := filepath.Abs(real); err == nil && abs != path {
			if !p.set[abs] {
				resolved = append(resolved, [2]string{path, abs})
			}
			p.set[abs] = true
		}
	}
	return p, resolved
}

func (p *Paths) has(path string) bool { return p != nil && p.set[path] }

// touches reports whether the call names one of -P's paths or acts on a
// descriptor -P or trace-fds= selects.
func (f *Filter) touches(ev *event.Event, sc *decode.Syscall) bool {
	c := ev.Call
	for i := range sc.Args {
		switch sc.Args[i].Fmt {
		case decode.FmtPath:
			if f.opts.Paths != nil && i < len(c.Args) && c.Args[i].Format == "path" {
				if v := c.Args[i].Val; v.Kind == event.VStr && !v.Trunc && f.opts.Paths.has(string(v.Bytes)) {
					return true
				}
			}
		case decode.FmtFd, decode.FmtAtfd:
			fd := int(int32(c.Raw[i]))
			if fd < 0 {
				continue // AT_FDCWD and other non-descriptors
			}
			if f.opts.FDs != nil && f.opts.FDs.Has(fd) {
				return true
			}
			if f.opts.Paths != nil && (f.fds.has(ev.PID, fd) || f.opts.Paths.has(f.procFD(ev.TID, fd))) {
				return true
			}
		}
	}
	return false
}

// Syscalls whose result is a new descriptor for the same file as their
// first argument, and fcntl's commands that do that.
const (
	fDupFD        = 0    // F_DUPFD
	fDupFDCloexec = 1030 // F_DUPFD_CLOEXEC
)

// track updates the descriptors known to be open on -P's paths after a
// call that touched them returned.
func (f *Filter) track(ev *event.Event) {
	c := ev.Call
	if f.opts.Paths == nil || c.Phase != event.Returned || c.Errno != 0 {
		return
	}
	fd, ret := int(int32(c.Raw[0])), int(c.Ret)
	switch c.Name {
	case "close":
		f.fds.set(ev.PID, fd, false)
	case "dup", "dup2", "dup3":
		f.fds.set(ev.PID, ret, f.fds.has(ev.PID, fd) || f.opts.Paths.has(f.procFD(ev.TID, ret)))
	case "fcntl", "fcntl64":
		if cmd := int(int32(c.Raw[1])); cmd == fDupFD || cmd == fDupFDCloexec {
			f.fds.set(ev.PID, ret, true)
		}
	default:
		if sc := decode.TableFor(c.Arch).Lookup(c.Nr); sc != nil && sc.Ret == decode.FmtRetFd {
			f.fds.set(ev.PID, ret, true)
		}
	}
}

// fdTables are the descriptors of each process (by tgid) known to be open
// on one of -P's paths.
type fdTables map[int]map[int]bool

func (t fdTables) has(pid, fd int) bool { return t[pid][fd] }

func (t fdTables) set(pid, fd int, on bool) {
	switch {
	case on && t[pid] == nil:
		t[pid] = map[int]bool{fd: true}
	case on:
		t[pid][fd] = true
	default:
		delete(t[pid], fd)
	}
}

// fork gives a new process a copy of its parent's table; a new thread
// shares its process's.
func (t fdTables) fork(parent, pid int) {
	src := t[parent]
	if parent == pid || len(src) == 0 || t[pid] != nil {
		return
	}
	dst := make(map[int]bool, len(src))
	for fd := range src {
		dst[fd] = true
	}
	t[pid] = dst
}

func (t fdTables) drop(pid int) { delete(t, pid) }

// readProcFD is what /proc says descriptor fd of task tid is open on:
// a path, "socket:[123]", "pipe:[456]", "anon_inode:[eventfd]", or "" if
// it is not open.
func readProcFD(tid, fd int) string {
	target, err := os.Readlink("/proc/" + strconv.Itoa(tid) + "/fd/" + strconv.Itoa(fd))
	if err != nil {
		return ""
	}
	return target
}
