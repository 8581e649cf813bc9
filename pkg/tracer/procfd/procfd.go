// Package procfd says what a traced process's file descriptors refer to,
// for strace's -y and -yy: the path /proc/PID/fd/N links to and, for -yy,
// a socket's endpoints (TCP:[127.0.0.1:40000->127.0.0.1:8080]) or a
// device's numbers (char 1:3).
//
// Socket endpoints come from the kernel's sock_diag netlink interface, as
// strace gets them, rather than from /proc/net/{tcp,udp,unix,netlink}: only
// sock_diag knows the peer of a UNIX socket, and it answers for one inode
// instead of making gtrace read and parse whole tables.
package procfd

import (
	"os"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/gtrace/gtrace/pkg/decode"
)

// Resolver describes descriptors through /proc. It implements
// decode.FDResolver (-y) and decode.FDDescriber (-yy). It is safe for
// concurrent use.
type Resolver struct {
	mu sync.Mutex
	// cache holds the endpoints found for sockets, by inode, as strace's
	// does: 1024 slots indexed by the inode's low bits. A socket's
	// endpoints are looked up again only when never found or evicted,
	// which is why strace keeps showing a UDP socket's address after it
	// connects; gtrace does the same to print the same lines.
	cache [cacheSize]cacheEntry
	// diag queries sock_diag; a variable for tests.
	diag func(proto protocol, inode uint32) (string, bool)
}

const cacheSize = 1024

type cacheEntry struct {
	inode uint64
	text  string
}

// New returns a Resolver.
func New() *Resolver { return &Resolver{diag: sockDiag} }

// FDPath implements decode.FDResolver: the target of /proc/PID/fd/FD.
func (r *Resolver) FDPath(pid, fd int) string {
	p, err := os.Readlink(fdLink(pid, fd))
	if err != nil {
		return ""
	}
	return p
}

// DescribeFD implements decode.FDDescriber: what strace -yy prints for a
// descriptor. For a socket it is the endpoints in place of the path
// ("UNIX-STREAM:[1234->1235]"); for a pidfd its process ("pid:1234"); for
// a device its path, type and numbers ("/dev/null", "char 1:3"); for
// anything else the path.
func (r *Resolver) DescribeFD(pid, fd int) decode.FDInfo {
	link := fdLink(pid, fd)
	path, err := os.Readlink(link)
	if err != nil {
		return decode.FDInfo{}
	}
	if inode, ok := socketInode(path); ok {
		if s := r.socket(link, inode); s != "" {
			return decode.FDInfo{Path: s, Endpoints: true, Link: path}
		}
		return decode.FDInfo{Path: path}
	}
	if path == "anon_inode:[pidfd]" {
		if target := pidfdTarget(pid, fd); target > 0 {
			return decode.FDInfo{Path: "pid:" + strconv.Itoa(target), Endpoints: true, Link: path}
		}
	}
	return decode.FDInfo{Path: path, Device: device(path)}
}

// pidfdTarget returns the process a pidfd refers to, from its fdinfo's
// "Pid:" line; 0 when unknown.
func pidfdTarget(pid, fd int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/fdinfo/" + strconv.Itoa(fd))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "Pid:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return 0
}

// fdLink is the /proc link for descriptor fd of process pid; AT_FDCWD
// is the working directory.
func fdLink(pid, fd int) string {
	if fd == decode.AtFDCWD {
		return "/proc/" + strconv.Itoa(pid) + "/cwd"
	}
	return "/proc/" + strconv.Itoa(pid) + "/fd/" + strconv.Itoa(fd)
}

// socketInode parses "socket:[12345]".
func socketInode(path string) (uint64, bool) {
	rest, ok := strings.CutPrefix(path, "socket:[")
	if !ok || !strings.HasSuffix(rest, "]") {
		return 0, false
	}
	n, err := strconv.ParseUint(rest[:len(rest)-1], 10, 64)
	return n, err == nil && n != 0
}

// socket returns a socket's endpoints: from the cache, from sock_diag, or
// just its protocol and inode ("TCP:[12345]") when sock_diag does not
// know it (a socket not yet bound). "" for a protocol strace does not
// resolve, whose path then shows as it is.
func (r *Resolver) socket(link string, inode uint64) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	slot := &r.cache[inode%cacheSize]
	if slot.inode == inode && slot.text != "" {
		return slot.text
	}
	proto, ok := protocolOf(link)
	if !ok {
		return ""
	}
	if inode <= 0xffffffff {
		if text, found := r.diag(proto, uint32(inode)); found {
			*slot = cacheEntry{inode: inode, text: text}
			return text
		}
	}
	return proto.name + ":[" + strconv.FormatUint(inode, 10) + "]"
}

// protocolOf reads a socket's protocol name from its sockfs attribute, as
// strace does.
func protocolOf(link string) (protocol, bool) {
	buf := make([]byte, 64)
	n, err := unix.Getxattr(link, "system.sockprotoname", buf)
	if err != nil || n <= 0 {
		return protocol{}, false
	}
	name := strings.TrimRight(string(buf[:n]), "\x00")
	for _, p := range protocols {
		if p.name == name {
			return p, true
		}
	}
	return protocol{}, false
}

// device describes a character or block device: "char 1:3".
func device(path string) string {
	if !strings.HasPrefix(path, "/") {
		return ""
	}
	var st unix.Stat_t
	if unix.Stat(path, &st) != nil {
		return ""
	}
	kind := ""
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFCHR:
		kind = "char "
	case unix.S_IFBLK:
		kind = "block "
	default:
		return ""
	}
	return kind + strconv.FormatUint(uint64(unix.Major(st.Rdev)), 10) + ":" + strconv.FormatUint(uint64(unix.Minor(st.Rdev)), 10)
}
