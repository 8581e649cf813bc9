package restrace_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gtrace/gtrace/internal/testtracee"
	"github.com/gtrace/gtrace/pkg/filter"
	"github.com/gtrace/gtrace/pkg/resource"
	"github.com/gtrace/gtrace/pkg/resource/restrace"
	"github.com/gtrace/gtrace/pkg/tracer"
)

// op is one callback as the tests record it.
type op struct {
	hook     string
	res      *resource.Resource
	fd, pid  int
	bytes    int64
	call     string // the call that closed the resource; "exit" for an exit
	listener *resource.Resource
}

// String renders the callback for comparison: "write:12@3", and for a
// close the call that caused it: "close@4<execve>".
func (o op) String() string {
	s := o.hook
	if o.bytes != 0 {
		s += ":" + strconv.FormatInt(o.bytes, 10)
	}
	s += "@" + strconv.Itoa(o.fd)
	if o.hook == "close" || o.hook == "sclose" {
		s += "<" + o.call + ">"
	}
	return s
}

// recording holds the callbacks of one trace, in order.
type recording struct{ ops []op }

// hooks returns Hooks whose every callback, file and socket, is recorded
// under its name ("sclose" is the socket's OnClose).
func (rec *recording) hooks() resource.Hooks {
	var h resource.Hooks
	for name, f := range map[string]*func(*resource.Op){
		"open": &h.File.OnOpen, "read": &h.File.OnRead, "write": &h.File.OnWrite,
		"seek": &h.File.OnSeek, "stat": &h.File.OnStat, "ioctl": &h.File.OnIoctl,
		"mmap": &h.File.OnMmap, "close": &h.File.OnClose,
		"socket": &h.Socket.OnOpen, "listen": &h.Socket.OnListen, "bind": &h.Socket.OnBind,
		"connect": &h.Socket.OnConnect, "accept": &h.Socket.OnAccept, "send": &h.Socket.OnSend,
		"recv": &h.Socket.OnRecv, "sclose": &h.Socket.OnClose,
	} {
		*f = func(o *resource.Op) {
			call := "exit"
			if o.Call != nil {
				call = o.Call.Name
			}
			rec.ops = append(rec.ops, op{hook: name, res: o.Res, fd: o.FD, pid: o.PID, bytes: o.Bytes, call: call, listener: o.Listener})
		}
	}
	return h
}

// of returns the callbacks of resource r.
func (rec *recording) of(r *resource.Resource) []op {
	var ops []op
	for _, o := range rec.ops {
		if o.res == r {
			ops = append(ops, o)
		}
	}
	return ops
}

// created returns the resources created (OnOpen, OnAccept) that match
// ok, in order.
func (rec *recording) created(ok func(*resource.Resource) bool) []*resource.Resource {
	var rs []*resource.Resource
	for _, o := range rec.ops {
		if (o.hook == "open" || o.hook == "socket" || o.hook == "accept") && ok(o.res) {
			rs = append(rs, o.res)
		}
	}
	return rs
}

// traced is what the resources program printed: each descriptor it got
// by name ("a" → 3), and its listeners' ports.
type traced struct {
	fds   map[string]int
	ports map[string]int
	dir   string
}

// traceProgram runs the resources program under a tracer with opts, its
// tracker fed by a restrace.Feed, and returns what it printed.
func traceProgram(t *testing.T, opts tracer.Options, hooks resource.Hooks, port1, port2 int) traced {
	t.Helper()
	prog := testtracee.Build(t, "resources")
	dir := t.TempDir()
	var stdout bytes.Buffer
	cmd := tracer.Command(prog, dir, strconv.Itoa(port1), strconv.Itoa(port2))
	cmd.Stdout = &stdout
	tr, err := tracer.Start(context.Background(), cmd, opts)
	if err != nil {
		t.Fatal(err)
	}
	res := resource.New(resource.Options{Resolver: resource.ProcResolver{}, Hooks: hooks})
	if err := tr.Run(restrace.New(res).Hooks()); err != nil {
		t.Fatal(err)
	}
	if st, err := tr.Wait(); err != nil || st.Code != 0 {
		t.Fatalf("resources: %+v, %v", st, err)
	}
	out := traced{fds: map[string]int{}, ports: map[string]int{}, dir: dir}
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		out.fds[f[0]], _ = strconv.Atoi(f[1])
		if len(f) > 2 {
			out.ports[f[0]], _ = strconv.Atoi(f[2])
		}
	}
	if len(out.fds) != 11 {
		t.Fatalf("the program printed %q", stdout.String())
	}
	return out
}

// expand replaces each {name} in s with the descriptor the program
// printed for name.
func (p traced) expand(s string) string {
	var pairs []string
	for name, fd := range p.fds {
		pairs = append(pairs, "{"+name+"}", strconv.Itoa(fd))
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

func render(ops []op) string {
	var s []string
	for _, o := range ops {
		s = append(s, o.String())
	}
	return strings.Join(s, " ")
}

// TestCallbacks traces a C program through the kernel and checks each
// resource's callbacks, in order, with their descriptors, byte counts
// and closing calls, whatever the trace reports: everything, nothing
// (seccomp stops the program only for the feed's calls), or only the
// network calls.
func TestCallbacks(t *testing.T) {
	network, err := filter.ParseCategories([]string{"network"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		opts tracer.Options
	}{
		{"everything reported", tracer.Options{Follow: true}},
		{"nothing reported, seccomp", tracer.Options{Follow: true, Trace: filter.NoSyscalls(), Hooked: restrace.Syscalls()}},
		{"network reported, no seccomp", tracer.Options{Follow: true, Trace: network, NoSeccomp: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rec recording
			p := traceProgram(t, tc.opts, rec.hooks(), 0, 0)
			checkFiles(t, &rec, p)
			checkSockets(t, &rec, p)
		})
	}
}

func checkFiles(t *testing.T, rec *recording, p traced) {
	t.Helper()
	path := func(name string) func(*resource.Resource) bool {
		return func(r *resource.Resource) bool { return r.Path == filepath.Join(p.dir, name) }
	}
	as, kept, cloexec := rec.created(path("a")), rec.created(path("kept")), rec.created(path("cloexec"))
	if len(as) != 2 || len(kept) != 1 || len(cloexec) != 1 {
		t.Fatalf("files created: a %d times (want 2), kept %d, cloexec %d (want 1)", len(as), len(kept), len(cloexec))
	}
	for _, tc := range []struct {
		res  *resource.Resource
		want string
	}{
		// dup follows the file: it closes with its copy.
		{as[0], "open@{a} write:12@{a} write:3@{dup} close@{dup}<close>"},
		{as[1], "open@{a2} seek@{a2} read:9@{a2} stat@{a2} mmap@{a2} ioctl@{a2} close@{a2}<close>"},
		// Inherited by the child, through its execve; closed when the
		// last process holding it exits.
		{kept[0], "open@{kept} write:4@{kept} write:5@{kept} write:6@{kept} close@{kept}<exit>"},
		// Closed by the child's execve.
		{cloexec[0], "open@{cloexec} write:7@{cloexec} close@{cloexec}<execve>"},
	} {
		if got, want := render(rec.of(tc.res)), p.expand(tc.want); got != want {
			t.Errorf("%s:\n got %s\nwant %s", tc.res.Path, got, want)
		}
	}
	// kept: written by the child before and after its execve, then by the
	// parent, which opened it and whose exit closed it.
	if ops := rec.of(kept[0]); len(ops) == 5 {
		parent, child := ops[0].pid, ops[1].pid
		if child == parent || ops[2].pid != child || ops[3].pid != parent || ops[4].pid != parent {
			t.Errorf("kept: pids %d %d %d %d %d, want parent, child, child, parent, parent", ops[0].pid, ops[1].pid, ops[2].pid, ops[3].pid, ops[4].pid)
		}
		if kept[0].Stats.BytesWritten != 15 || kept[0].Closed.Call != "" {
			t.Errorf("kept: %d bytes written, closed by %q; want 15, by the exit", kept[0].Stats.BytesWritten, kept[0].Closed.Call)
		}
	}
}

func checkSockets(t *testing.T, rec *recording, p traced) {
	t.Helper()
	socks := rec.created(func(r *resource.Resource) bool { return r.Kind == resource.Socket })
	if len(socks) != 6 {
		t.Fatalf("%d sockets created, want 6: %v", len(socks), socks)
	}
	// The order of creation is fixed by the exchange.
	listen1, listen2, client1, accept1, client2, accept2 := socks[0], socks[1], socks[2], socks[3], socks[4], socks[5]
	for _, tc := range []struct {
		res  *resource.Resource
		want string
	}{
		// The child closed its inherited copies: not the last ones.
		{listen1, "socket@{listen1} bind@{listen1} listen@{listen1} sclose@{listen1}<close>"},
		{listen2, "socket@{listen2} bind@{listen2} listen@{listen2} sclose@{listen2}<close>"},
		{client1, "socket@{client1} connect@{client1} send:3@{client1} recv:4@{client1} sclose@{client1}<close>"},
		{accept1, "accept@{accept1} recv:3@{accept1} send:4@{accept1} sclose@{accept1}<close>"},
		{client2, "socket@{client2} connect@{client2} send:6@{client2} recv:7@{client2} sclose@{client2}<close>"},
		{accept2, "accept@{accept2} recv:6@{accept2} send:7@{accept2} sclose@{accept2}<close>"},
	} {
		if got, want := render(rec.of(tc.res)), p.expand(tc.want); got != want {
			t.Errorf("%s:\n got %s\nwant %s", tc.res, got, want)
		}
	}
	for i, c := range []struct{ listener, client, server *resource.Resource }{{listen1, client1, accept1}, {listen2, client2, accept2}} {
		addr := fmt.Sprintf("127.0.0.1:%d", p.ports["listen"+strconv.Itoa(i+1)])
		if c.listener.Local != addr || !c.listener.Listening {
			t.Errorf("listener %d: %s, listening %v; want %s", i+1, c.listener, c.listener.Listening, addr)
		}
		if c.client.Remote != addr || c.server.Local != addr || c.client.Local == "" || c.client.Local != c.server.Remote {
			t.Errorf("connection %d: client %s, server %s; want the two ends of %s", i+1, c.client, c.server, addr)
		}
		if ops := rec.of(c.server); len(ops) > 0 && ops[0].listener != c.listener {
			t.Errorf("connection %d: accepted through %v, want %s", i+1, ops[0].listener, c.listener)
		}
	}
}

// freePorts returns n loopback ports nothing listens on.
func freePorts(t *testing.T, n int) []int {
	var ports []int
	for range n {
		l, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

// TestFilterChoosesOneSocket traces only the connection accepted on the
// second port: of the program's sockets and files, it alone gets
// callbacks.
func TestFilterChoosesOneSocket(t *testing.T) {
	ports := freePorts(t, 2)
	want := fmt.Sprintf("127.0.0.1:%d", ports[1])
	var rec recording
	h := rec.hooks()
	asked := 0
	h.OnFilter = func(r *resource.Resource, op *resource.Op) bool {
		if r.Kind == resource.Socket {
			asked++
		}
		return op.Kind == resource.OpAccept && r.Local == want
	}
	p := traceProgram(t, tracer.Options{Follow: true, Trace: filter.NoSyscalls(), Hooked: restrace.Syscalls()}, h, ports[0], ports[1])
	if asked != 6 {
		t.Errorf("OnFilter was asked about %d sockets, want 6", asked)
	}
	if got, wantOps := render(rec.ops), p.expand("accept@{accept2} recv:6@{accept2} send:7@{accept2} sclose@{accept2}<close>"); got != wantOps {
		t.Fatalf("callbacks:\n got %s\nwant %s", got, wantOps)
	}
	if l := rec.ops[0].listener; l == nil || l.Local != want || l.Traced {
		t.Errorf("accepted through %v; want the untraced listener on %s", l, want)
	}
}

// TestSeccompNeedsHooked: with the seccomp fast path and a selection, the
// feed's calls must be declared, or Run says so.
func TestSeccompNeedsHooked(t *testing.T) {
	tr, err := tracer.Start(context.Background(), tracer.Command("true"), tracer.Options{Follow: true, Trace: filter.NoSyscalls()})
	if err != nil {
		t.Fatal(err)
	}
	err = tr.Run(restrace.New(resource.New(resource.Options{})).Hooks())
	if err == nil || !strings.Contains(err.Error(), "Options.Hooked") {
		t.Errorf("Run: %v; want an error naming Options.Hooked", err)
	}
	_, _ = tr.Wait()
}
