package resource_test

import (
	"fmt"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gtrace/gtrace/internal/eventtest"
	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/resource"
)

const (
	oWronly  = 1
	oCreat   = 0o100
	oCloexec = 0o2000000
)

// fakeResolver answers as /proc would for a few descriptors.
type fakeResolver map[int]string

func (f fakeResolver) FDPath(_, fd int) string { return f[fd] }
func (f fakeResolver) Endpoints(_, fd int) (string, string, bool) {
	if f[fd] == "" {
		return "", "", false
	}
	return "127.0.0.1:1000", "127.0.0.1:2000", true
}

// recorder logs every hook call as "hook path fd" lines.
type recorder struct{ log []string }

func (r *recorder) hook(name string) func(*resource.Op) {
	return func(op *resource.Op) {
		r.log = append(r.log, fmt.Sprintf("%s %s fd=%d bytes=%d", name, op.Res, op.FD, op.Bytes))
	}
}

func (r *recorder) hooks() resource.Hooks {
	return resource.Hooks{
		File: resource.FileHooks{
			OnOpen: r.hook("open"), OnRead: r.hook("read"), OnWrite: r.hook("write"),
			OnSeek: r.hook("seek"), OnStat: r.hook("stat"), OnIoctl: r.hook("ioctl"),
			OnMmap: r.hook("mmap"), OnClose: r.hook("close"),
		},
		Socket: resource.SocketHooks{
			OnOpen: r.hook("socket"), OnListen: r.hook("listen"), OnBind: r.hook("bind"),
			OnConnect: r.hook("connect"), OnAccept: r.hook("accept"), OnSend: r.hook("send"),
			OnRecv: r.hook("recv"), OnClose: r.hook("sclose"),
		},
	}
}

func openat(b *eventtest.Builder, pid, tid int, path string, flags uint64, fd int) {
	b.Call(pid, tid, "openat", int64(fd), 0, eventtest.AtFD("dfd", -100), eventtest.Path("filename", path),
		eventtest.Flags("flags", flags, decode.OpenFlags))
}

func closefd(b *eventtest.Builder, pid, tid, fd int, errno syscall.Errno) {
	b.Call(pid, tid, "close", 0, errno, eventtest.FD("fd", fd))
}

// sockaddrIn is a decoded struct sockaddr_in as strace prints it.
func sockaddrIn(addr string, port int64) event.Value {
	return event.Value{Kind: event.VStruct, Elems: []event.Value{
		event.Field("sa_family", event.Text("AF_INET")),
		event.Field("sin_port", event.Text(fmt.Sprintf("htons(%d)", port))),
		event.Field("sin_addr", event.Text(fmt.Sprintf("inet_addr(%q)", addr))),
	}}
}

func TestTracker(t *testing.T) {
	tests := []struct {
		name   string
		events func(b *eventtest.Builder)
		want   []string // hook log
		open   []string // resources still open at the end
	}{{
		name: "open read write seek close",
		events: func(b *eventtest.Builder) {
			b.Attach(10, 10, 0)
			openat(b, 10, 10, "/etc/hostname", 0, 3)
			b.Call(10, 10, "read", 5, 0, eventtest.FD("fd", 3), eventtest.Buf("buf", "host\n", false), eventtest.Int("count", 100))
			b.Call(10, 10, "read", 0, syscall.EINTR, eventtest.FD("fd", 3), eventtest.Ptr("buf", 1), eventtest.Int("count", 100))
			b.Call(10, 10, "lseek", 0, 0, eventtest.FD("fd", 3), eventtest.Int("offset", 0), eventtest.Int("whence", 0))
			b.Call(10, 10, "fstat", 0, 0, eventtest.FD("fd", 3), eventtest.Ptr("statbuf", 1))
			b.Call(10, 10, "ioctl", 0, 0, eventtest.FD("fd", 3), eventtest.Hex("cmd", 0x5401))
			b.Call(10, 10, "mmap", 0x7000, 0, eventtest.Ptr("addr", 0), eventtest.Int("len", 4096), eventtest.Hex("prot", 1), eventtest.Hex("flags", 2), eventtest.FD("fd", 3), eventtest.Hex("off", 0))
			b.Call(10, 10, "mmap", 0x8000, 0, eventtest.Ptr("addr", 0), eventtest.Int("len", 4096), eventtest.Hex("prot", 1), eventtest.Hex("flags", 0x22), eventtest.FD("fd", -1), eventtest.Hex("off", 0))
			closefd(b, 10, 10, 3, 0)
			closefd(b, 10, 10, 3, syscall.EBADF)
		},
		want: []string{
			"open /etc/hostname fd=3 bytes=0", "read /etc/hostname fd=3 bytes=5",
			"read /etc/hostname fd=3 bytes=0", "seek /etc/hostname fd=3 bytes=0",
			"stat /etc/hostname fd=3 bytes=0", "ioctl /etc/hostname fd=3 bytes=0",
			"mmap /etc/hostname fd=3 bytes=0", "close /etc/hostname fd=3 bytes=0",
		},
	}, {
		name: "dup2 keeps the file open until its last descriptor closes",
		events: func(b *eventtest.Builder) {
			openat(b, 10, 10, "out", oWronly|oCreat, 3)
			b.Call(10, 10, "dup2", 1, 0, eventtest.FD("oldfd", 3), eventtest.FD("newfd", 1))
			closefd(b, 10, 10, 3, 0)
			b.Call(10, 10, "write", 4, 0, eventtest.FD("fd", 1), eventtest.Buf("buf", "abcd", false), eventtest.Int("count", 4))
			closefd(b, 10, 10, 1, 0)
		},
		want: []string{"open out fd=3 bytes=0", "write out fd=1 bytes=4", "close out fd=1 bytes=0"},
	}, {
		name: "a forked child inherits descriptors; the last process to exit closes them",
		events: func(b *eventtest.Builder) {
			b.Attach(10, 10, 0)
			openat(b, 10, 10, "shared", 0, 3)
			c := b.Enter(10, 10, "clone", eventtest.Hex("flags", 0x1200011)) // CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD
			b.Attach(11, 11, 10)
			b.Return(10, 10, c, 11, 0)
			closefd(b, 10, 10, 3, 0)
			b.Call(11, 11, "read", 2, 0, eventtest.FD("fd", 3), eventtest.Buf("buf", "hi", false), eventtest.Int("count", 2))
			b.Exit(11, 11, 0)
			b.Exit(10, 10, 0)
		},
		want: []string{"open shared fd=3 bytes=0", "read shared fd=3 bytes=2", "close shared fd=3 bytes=0"},
	}, {
		name: "threads share one table",
		events: func(b *eventtest.Builder) {
			b.Attach(10, 10, 0)
			openat(b, 10, 10, "f", 0, 3)
			c := b.Enter(10, 10, "clone", eventtest.Hex("flags", 0x3d0f00)) // CLONE_VM|CLONE_FS|CLONE_FILES|...|CLONE_THREAD
			b.Attach(10, 12, 10)
			b.Return(10, 10, c, 12, 0)
			closefd(b, 10, 12, 3, 0)
			b.Call(10, 10, "read", 0, syscall.EBADF, eventtest.FD("fd", 3), eventtest.Ptr("buf", 1), eventtest.Int("count", 2))
		},
		want: []string{"open f fd=3 bytes=0", "close f fd=3 bytes=0"},
	}, {
		name: "close-on-exec descriptors close at a successful execve",
		events: func(b *eventtest.Builder) {
			openat(b, 10, 10, "keep", 0, 3)
			openat(b, 10, 10, "drop", oCloexec, 4)
			openat(b, 10, 10, "later", 0, 5)
			b.Call(10, 10, "fcntl", 0, 0, eventtest.FD("fd", 5), eventtest.Int("cmd", 2), eventtest.Int("arg", 1)) // F_SETFD FD_CLOEXEC
			b.Call(10, 10, "fcntl", 6, 0, eventtest.FD("fd", 3), eventtest.Int("cmd", 1030), eventtest.Int("arg", 6))
			b.Call(10, 10, "execve", 0, syscall.ENOENT, eventtest.Path("filename", "/nope"))
			b.Call(10, 10, "execve", 0, 0, eventtest.Path("filename", "/bin/true"))
		},
		want: []string{
			"open keep fd=3 bytes=0", "open drop fd=4 bytes=0", "open later fd=5 bytes=0",
			"close drop fd=4 bytes=0", "close later fd=5 bytes=0",
		},
		open: []string{"keep"},
	}, {
		name: "close_range closes or marks a range",
		events: func(b *eventtest.Builder) {
			openat(b, 10, 10, "a", 0, 3)
			openat(b, 10, 10, "b", 0, 4)
			openat(b, 10, 10, "c", 0, 5)
			b.Call(10, 10, "close_range", 0, 0, eventtest.Int("fd", 5), eventtest.Int("max_fd", -1), eventtest.Int("flags", 4))
			b.Call(10, 10, "close_range", 0, 0, eventtest.Int("fd", 4), eventtest.Int("max_fd", 4), eventtest.Int("flags", 0))
			b.Call(10, 10, "execve", 0, 0, eventtest.Path("filename", "/bin/true"))
		},
		want: []string{"open a fd=3 bytes=0", "open b fd=4 bytes=0", "open c fd=5 bytes=0", "close b fd=4 bytes=0", "close c fd=5 bytes=0"},
		open: []string{"a"},
	}, {
		name: "sockets: connect, accept, send and receive",
		events: func(b *eventtest.Builder) {
			b.Call(10, 10, "socket", 3, 0, eventtest.Int("family", 2), eventtest.Int("type", 1), eventtest.Int("protocol", 0))
			b.Call(10, 10, "bind", 0, 0, eventtest.FD("fd", 3), eventtest.Value("umyaddr", "sockaddr", 1, sockaddrIn("127.0.0.1", 8080)), eventtest.Int("addrlen", 16))
			b.Call(10, 10, "listen", 0, 0, eventtest.FD("fd", 3), eventtest.Int("backlog", 5))
			b.Call(20, 20, "socket", 3, 0, eventtest.Int("family", 2), eventtest.Int("type", 1), eventtest.Int("protocol", 0))
			b.Call(20, 20, "connect", 0, 0, eventtest.FD("fd", 3), eventtest.Value("uservaddr", "sockaddr", 1, sockaddrIn("127.0.0.1", 8080)), eventtest.Int("addrlen", 16))
			b.Call(10, 10, "accept4", 4, 0, eventtest.FD("fd", 3), eventtest.Value("upeer_sockaddr", "sockaddr", 1, sockaddrIn("127.0.0.1", 40000)), eventtest.Ptr("len", 1), eventtest.Int("flags", 0))
			b.Call(20, 20, "sendto", 5, 0, eventtest.FD("fd", 3), eventtest.Buf("buff", "hello", false), eventtest.Int("len", 5))
			b.Call(10, 10, "read", 5, 0, eventtest.FD("fd", 4), eventtest.Buf("buf", "hello", false), eventtest.Int("count", 100))
			closefd(b, 20, 20, 3, 0)
		},
		want: []string{
			"socket TCP fd=3 bytes=0", "bind TCP 127.0.0.1:8080 fd=3 bytes=0",
			"listen TCP 127.0.0.1:8080 fd=3 bytes=0", "socket TCP fd=3 bytes=0",
			"connect TCP -> 127.0.0.1:8080 fd=3 bytes=0",
			"accept TCP 127.0.0.1:8080 -> 127.0.0.1:40000 fd=4 bytes=0",
			"send TCP -> 127.0.0.1:8080 fd=3 bytes=5", "recv TCP 127.0.0.1:8080 -> 127.0.0.1:40000 fd=4 bytes=5",
			"sclose TCP -> 127.0.0.1:8080 fd=3 bytes=0",
		},
		open: []string{"TCP 127.0.0.1:8080", "TCP 127.0.0.1:8080 -> 127.0.0.1:40000"},
	}, {
		name: "copy_file_range reads one file and writes another",
		events: func(b *eventtest.Builder) {
			openat(b, 10, 10, "a", 0, 3)
			openat(b, 10, 10, "b", oWronly, 4)
			b.Call(10, 10, "copy_file_range", 6, 0, eventtest.FD("fd_in", 3), eventtest.Ptr("off_in", 0), eventtest.FD("fd_out", 4), eventtest.Ptr("off_out", 0), eventtest.Int("len", 1<<20), eventtest.Int("flags", 0))
		},
		want: []string{"open a fd=3 bytes=0", "open b fd=4 bytes=0", "read a fd=3 bytes=6", "write b fd=4 bytes=6"},
		open: []string{"a", "b"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := eventtest.New(time.Millisecond)
			tt.events(b)
			var rec recorder
			tr := resource.New(resource.Options{Hooks: rec.hooks()})
			for _, ev := range b.Events() {
				tr.Handle(ev)
			}
			if got := strings.Join(rec.log, "\n"); got != strings.Join(tt.want, "\n") {
				t.Errorf("hooks:\n%s\nwant:\n%s", got, strings.Join(tt.want, "\n"))
			}
			var open []string
			for _, r := range tr.Open() {
				open = append(open, r.String())
			}
			if !slices.Equal(open, tt.open) {
				t.Errorf("open at the end: %q, want %q", open, tt.open)
			}
		})
	}
}

func TestStatsAndClosing(t *testing.T) {
	b := eventtest.New(time.Millisecond)
	b.Attach(10, 10, 0)
	openat(b, 10, 10, "data", 0, 3)
	b.Call(10, 10, "read", 100, 0, eventtest.FD("fd", 3), eventtest.Buf("buf", "x", true), eventtest.Int("count", 100))
	b.Call(10, 10, "read", 0, syscall.EAGAIN, eventtest.FD("fd", 3), eventtest.Ptr("buf", 1), eventtest.Int("count", 100))
	b.Call(10, 10, "write", 7, 0, eventtest.FD("fd", 1), eventtest.Buf("buf", "written", false), eventtest.Int("count", 7))
	b.Exit(10, 10, 0)

	var closed []*resource.Resource
	tr := resource.New(resource.Options{
		Resolver: fakeResolver{1: "/dev/pts/3"},
		Hooks: resource.Hooks{File: resource.FileHooks{OnClose: func(op *resource.Op) {
			if op.Call != nil {
				t.Errorf("closed by exit, yet Call is %s", op.Call.Name)
			}
			closed = append(closed, op.Res)
		}}},
	})
	for _, ev := range b.Events() {
		tr.Handle(ev)
	}
	if len(closed) != 2 {
		t.Fatalf("%d resources closed at exit, want 2", len(closed))
	}
	data, tty := closed[1], closed[0] // by descriptor order: fd 1, fd 3
	if data.Path != "data" || data.Stats.BytesRead != 100 || data.Stats.Errors != 1 || data.Stats.Count(resource.OpRead) != 2 {
		t.Errorf("data: path %q read %d errors %d reads %d", data.Path, data.Stats.BytesRead, data.Stats.Errors, data.Stats.Count(resource.OpRead))
	}
	if want := []resource.CallCount{{"openat", 1, 0}, {"read", 2, 1}}; !slices.Equal(data.Stats.Calls, want) {
		t.Errorf("data calls %v, want %v", data.Stats.Calls, want)
	}
	if data.Stats.Time != 3*time.Millisecond {
		t.Errorf("data time %v, want 3ms (one tick per call)", data.Stats.Time)
	}
	if !tty.Inherited || tty.Path != "/dev/pts/3" || tty.Stats.BytesWritten != 7 {
		t.Errorf("inherited stdout: %+v", tty)
	}
	if data.Closed.Call != "" || data.Closed.PID != 10 || data.Closed.Time.IsZero() {
		t.Errorf("closed stamp %+v, want the exit's", data.Closed)
	}
}

func TestOnFilter(t *testing.T) {
	b := eventtest.New(time.Millisecond)
	openat(b, 10, 10, "/etc/skip", 0, 3)
	openat(b, 10, 10, "/tmp/keep", 0, 4)
	b.Call(10, 10, "read", 1, 0, eventtest.FD("fd", 3), eventtest.Buf("buf", "x", false), eventtest.Int("count", 1))
	b.Call(10, 10, "read", 1, 0, eventtest.FD("fd", 4), eventtest.Buf("buf", "x", false), eventtest.Int("count", 1))
	var rec recorder
	h := rec.hooks()
	h.OnFilter = func(r *resource.Resource, op *resource.Op) bool {
		if op.Kind != resource.OpOpen || op.Call.Name != "openat" {
			t.Errorf("OnFilter op %v %s", op.Kind, op.Call.Name)
		}
		return strings.HasPrefix(r.Path, "/tmp/")
	}
	tr := resource.New(resource.Options{Hooks: h})
	for _, ev := range b.Events() {
		tr.Handle(ev)
	}
	want := "open /tmp/keep fd=4 bytes=0\nread /tmp/keep fd=4 bytes=1"
	if got := strings.Join(rec.log, "\n"); got != want {
		t.Errorf("hooks:\n%s\nwant:\n%s", got, want)
	}
	if r := tr.Lookup(10, 3); r == nil || r.Traced || r.Stats.BytesRead != 1 {
		t.Errorf("filtered-out resource should be untraced but counted: %+v", r)
	}
}

func TestAddress(t *testing.T) {
	in6 := event.Value{Kind: event.VStruct, Elems: []event.Value{
		event.Field("sin6_port", event.Text("htons(443)")),
		event.Field("sin6_addr", event.Text(`inet_pton(AF_INET6, "::1", &sin6_addr)`)),
	}}
	un := event.Value{Kind: event.VStruct, Elems: []event.Value{event.Field("sun_path", event.Str([]byte("/run/x.sock"), false))}}
	in := sockaddrIn("10.0.0.1", 53)
	tests := []struct {
		v    event.Value
		want string
	}{
		{in, "10.0.0.1:53"},
		{in6, "[::1]:443"},
		{un, "/run/x.sock"},
		{event.Ptr(0x1234), ""},
		{event.Value{}, ""},
	}
	for _, tt := range tests {
		if got := resource.Address(&tt.v); got != tt.want {
			t.Errorf("Address(%s) = %q, want %q", tt.v.AppendStrace(nil, &event.Style{}), got, tt.want)
		}
	}
}
