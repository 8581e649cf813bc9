package resource

import (
	"slices"
	"strings"
	"syscall"

	"github.com/gtrace/gtrace/pkg/event"
)

// Resolver tells what a descriptor refers to from outside the event
// stream (ProcResolver reads /proc). The Tracker calls it while the task
// that made the call is stopped at the call's exit, so the descriptor is
// still the one the call saw.
type Resolver interface {
	// FDPath returns what descriptor fd of process pid refers to, as
	// /proc/PID/fd/FD's link reads ("/dev/pts/0", "pipe:[1234]",
	// "socket:[5678]"), or "" if unknown.
	FDPath(pid, fd int) string
	// Endpoints returns a socket's local and remote addresses.
	Endpoints(pid, fd int) (local, remote string, ok bool)
}

// Options configure a Tracker.
type Options struct {
	Hooks Hooks
	// Resolver completes what events do not say: the endpoints of
	// sockets and what inherited descriptors are. Nil uses the events
	// alone.
	Resolver Resolver
}

// Tracker follows resources through events. It is not safe for
// concurrent use; feed it events in the order they happened.
type Tracker struct {
	opts   Options
	tables map[int]*table // by tid
	pids   map[int]int    // tid → pid, as events said
	// cloning holds the clone flags of calls in progress, by tid, so a
	// new task knows whether it shares its creator's table.
	cloning map[int]cloneFlags
	all     []*Resource // every open resource, by ID
	nextID  int
	op      Op // reused for hook calls
}

type cloneFlags struct {
	flags uint64
	known bool
}

// table is a descriptor table, shared by the threads of a process and by
// tasks created with CLONE_FILES.
type table struct {
	fds   map[int]*slot
	users int
}

type slot struct {
	res     *Resource
	cloexec bool
}

// New returns a Tracker.
func New(opts Options) *Tracker {
	return &Tracker{
		opts:    opts,
		tables:  map[int]*table{},
		pids:    map[int]int{},
		cloning: map[int]cloneFlags{},
	}
}

// Lookup returns the resource descriptor fd of task tid refers to, or nil.
func (t *Tracker) Lookup(tid, fd int) *Resource {
	if tb := t.tables[tid]; tb != nil {
		if s := tb.fds[fd]; s != nil {
			return s.res
		}
	}
	return nil
}

// Name returns what descriptor fd of task tid refers to, as Lookup, and
// for a descriptor the tracker has not seen (inherited, or made by a call
// a filter left out) what the Resolver says of it now, without recording
// it: the next call that uses it does.
func (t *Tracker) Name(tid, fd int) *Resource {
	if r := t.Lookup(tid, fd); r != nil || t.opts.Resolver == nil || fd < 0 {
		return r
	}
	pid, ok := t.pids[tid]
	if !ok {
		pid = tid
	}
	if r := t.inherited(pid, fd); r.Path != "" {
		return r
	}
	return nil
}

// inherited is a descriptor of process pid the tracker did not see made,
// as far as the Resolver's /proc link tells: its path and kind.
func (t *Tracker) inherited(pid, fd int) *Resource {
	r := &Resource{Kind: File, Inherited: true}
	if res := t.opts.Resolver; res != nil {
		r.Path = res.FDPath(pid, fd)
		r.Kind = kindOfLink(r.Path)
	}
	return r
}

// Open returns the resources still open, in order of creation.
func (t *Tracker) Open() []*Resource {
	return slices.Clone(t.all)
}

// Handle updates the tracker with ev and calls the hooks it causes.
func (t *Tracker) Handle(ev *event.Event) {
	switch ev.Kind {
	case event.KindAttach:
		t.attach(ev)
	case event.KindExit:
		t.leave(ev, true)
	case event.KindDetach:
		t.leave(ev, false)
	case event.KindSyscallEntry:
		t.pids[ev.TID] = ev.PID
		if isClone(ev.Call.Name) {
			t.cloning[ev.TID] = cloneFlagsOf(ev.Call)
		}
	case event.KindSyscallExit:
		t.pids[ev.TID] = ev.PID
		c := ev.Call
		if isClone(c.Name) {
			delete(t.cloning, ev.TID)
		}
		if c.Phase != event.Returned {
			return
		}
		x := ctx{t: t, ev: ev, c: c, tb: t.table(ev.TID)}
		if h := handlers[c.Name]; h != nil {
			h(&x)
			return
		}
		x.useFDArgs()
	}
}

// table returns tid's table, creating an empty one for a task seen for
// the first time.
func (t *Tracker) table(tid int) *table {
	tb := t.tables[tid]
	if tb == nil {
		tb = &table{fds: map[int]*slot{}, users: 1}
		t.tables[tid] = tb
	}
	return tb
}

const cloneFiles = 0x400

// attach gives a new task its table: its creator's (threads, and
// CLONE_FILES) or a copy of it (fork).
func (t *Tracker) attach(ev *event.Event) {
	t.pids[ev.TID] = ev.PID
	if ev.Child == 0 || t.tables[ev.TID] != nil {
		return
	}
	parent := t.table(ev.Child)
	share := ev.PID == t.pids[ev.Child] // a thread of the same process
	if cf, ok := t.cloning[ev.Child]; ok && cf.known {
		share = cf.flags&cloneFiles != 0
	}
	if share {
		parent.users++
		t.tables[ev.TID] = parent
		return
	}
	tb := &table{fds: make(map[int]*slot, len(parent.fds)), users: 1}
	for fd, s := range parent.fds {
		c := *s
		c.res.refs++
		tb.fds[fd] = &c
	}
	t.tables[ev.TID] = tb
}

// leave forgets a task that exited or was detached. The last task using
// a table closes its descriptors when it exits; a detached one leaves
// them open, as they are.
func (t *Tracker) leave(ev *event.Event, exited bool) {
	tb := t.tables[ev.TID]
	delete(t.tables, ev.TID)
	delete(t.pids, ev.TID)
	delete(t.cloning, ev.TID)
	if tb == nil {
		return
	}
	tb.users--
	if tb.users > 0 || !exited {
		return
	}
	for _, fd := range sortedFDs(tb) {
		t.release(tb, fd, ev, nil)
	}
}

func sortedFDs(tb *table) []int {
	fds := make([]int, 0, len(tb.fds))
	for fd := range tb.fds {
		fds = append(fds, fd)
	}
	slices.Sort(fds)
	return fds
}

// isClone reports whether a syscall creates a task.
func isClone(name string) bool {
	switch name {
	case "clone", "clone3", "fork", "vfork":
		return true
	}
	return false
}

// cloneFlagsOf reads the flags of a task-creating call: clone's first
// register, clone3's decoded struct (when decoded), none for fork.
func cloneFlagsOf(c *event.Call) cloneFlags {
	switch c.Name {
	case "clone":
		return cloneFlags{flags: c.Raw[0], known: true}
	case "fork", "vfork":
		return cloneFlags{known: true}
	}
	for i := range c.Args {
		if v := field(&c.Args[i].Val, "flags"); v != nil {
			return cloneFlags{flags: v.N, known: true}
		}
	}
	return cloneFlags{}
}

// field returns the element of a decoded struct with the given name.
func field(v *event.Value, name string) *event.Value {
	if v.Kind != event.VStruct {
		return nil
	}
	for i := range v.Elems {
		if v.Elems[i].Name == name {
			return &v.Elems[i]
		}
	}
	return nil
}

// ctx is one syscall exit being applied.
type ctx struct {
	t  *Tracker
	ev *event.Event
	c  *event.Call
	tb *table
}

// fd reads register i as a descriptor (an int, on every arch).
func (x *ctx) fd(i int) int { return int(int32(x.c.Raw[i])) }

func (x *ctx) ok() bool { return x.c.Errno == 0 }

// retFD is the descriptor a successful call returned.
func (x *ctx) retFD() int { return int(int32(x.c.Ret)) }

func (x *ctx) stamp(fd int) Stamp {
	return Stamp{PID: x.ev.PID, TID: x.ev.TID, FD: fd, Call: x.c.Name, Time: x.ev.Time}
}

// create registers a new resource at descriptor fd and reports its
// creation as op.
func (x *ctx) create(r *Resource, fd int, cloexec bool, op OpKind, listener *Resource) {
	o := x.register(r, fd, cloexec, op)
	o.Listener = listener
	x.t.account(o)
}

// register numbers r, points fd at it and asks OnFilter whether it is
// traced. It returns the Op that created it, for the caller to account.
func (x *ctx) register(r *Resource, fd int, cloexec bool, op OpKind) *Op {
	t := x.t
	t.nextID++
	r.ID = t.nextID
	r.Opened = x.stamp(fd)
	x.install(fd, r, cloexec)
	t.all = append(t.all, r)
	o := x.newOp(op, r, fd)
	r.Traced = t.opts.Hooks.OnFilter == nil || t.opts.Hooks.OnFilter(r, o)
	return o
}

// install points descriptor fd at r, closing what fd referred to.
func (x *ctx) install(fd int, r *Resource, cloexec bool) {
	if fd < 0 {
		return
	}
	if old := x.tb.fds[fd]; old != nil {
		if old.res == r {
			old.cloexec = cloexec
			return
		}
		x.t.release(x.tb, fd, x.ev, x.c)
	}
	r.refs++
	x.tb.fds[fd] = &slot{res: r, cloexec: cloexec}
}

// newOp fills the tracker's reusable Op.
func (x *ctx) newOp(kind OpKind, r *Resource, fd int) *Op {
	o := &x.t.op
	*o = Op{
		Kind: kind, Res: r, FD: fd, PID: x.ev.PID, TID: x.ev.TID,
		Time: x.ev.Time, Call: x.c, Errno: x.c.Errno,
	}
	return o
}

// resource returns what fd refers to. A descriptor the tracker has not
// seen created, used successfully, was inherited or came from a call it
// does not decode: it is registered now, as far as the Resolver knows it.
func (x *ctx) resource(fd int) *Resource {
	if s := x.tb.fds[fd]; s != nil {
		return s.res
	}
	if !x.ok() || fd < 0 {
		return nil
	}
	r := x.t.inherited(x.ev.PID, fd)
	if r.Kind == Socket {
		r.Local, r.Remote, _ = x.t.opts.Resolver.Endpoints(x.ev.PID, fd)
	}
	x.register(r, fd, false, OpOpen)
	return r
}

// kindOfLink reads a resource's kind from its /proc/PID/fd link.
func kindOfLink(link string) Kind {
	switch {
	case strings.HasPrefix(link, "socket:["):
		return Socket
	case strings.HasPrefix(link, "pipe:["):
		return Pipe
	case strings.HasPrefix(link, "anon_inode:"):
		return Other
	}
	return File
}

// use records operation kind on descriptor fd, moving n bytes.
func (x *ctx) use(fd int, kind OpKind, n int64) *Resource {
	r := x.resource(fd)
	if r == nil {
		return nil
	}
	if r.Kind == Socket {
		switch kind {
		case OpRead:
			kind = OpRecv
		case OpWrite:
			kind = OpSend
		}
	}
	o := x.newOp(kind, r, fd)
	if n > 0 {
		o.Bytes = n
	}
	x.t.account(o)
	return r
}

// transferred is the byte count a read or write returned.
func (x *ctx) transferred() int64 {
	if !x.ok() {
		return 0
	}
	return x.c.Ret
}

// useFDArgs attributes a call the tracker has no rule for to the
// descriptors among its arguments.
func (x *ctx) useFDArgs() {
	for i := range x.c.Args {
		a := &x.c.Args[i]
		if a.Format == "fd" && a.Val.Kind == event.VFD {
			x.use(int(int32(a.Val.N)), OpOther, 0)
		}
	}
}

// account adds op to its resource's statistics and calls the hooks.
func (t *Tracker) account(o *Op) {
	r := o.Res
	st := &r.Stats
	st.Ops[o.Kind]++
	if o.Call != nil {
		failed := o.Errno != 0
		if failed {
			st.Errors++
		}
		st.Time += o.Call.Duration()
		countCall(st, o.Call.Name, failed)
	}
	switch o.Kind {
	case OpRead, OpRecv:
		st.BytesRead += o.Bytes
	case OpWrite, OpSend:
		st.BytesWritten += o.Bytes
	}
	if !r.Traced {
		return
	}
	if t.opts.Hooks.OnOp != nil {
		t.opts.Hooks.OnOp(o)
	}
	if h := t.opts.Hooks.hook(r.Kind, o.Kind); h != nil {
		h(o)
	}
}

func countCall(st *Stats, name string, failed bool) {
	i := slices.IndexFunc(st.Calls, func(cc CallCount) bool { return cc.Name == name })
	if i < 0 {
		st.Calls = append(st.Calls, CallCount{Name: name})
		i = len(st.Calls) - 1
	}
	st.Calls[i].Calls++
	if failed {
		st.Calls[i].Errors++
	}
}

// release drops descriptor fd of tb; the resource closes with its last
// descriptor. c is the call that released it, nil for an exit.
func (t *Tracker) release(tb *table, fd int, ev *event.Event, c *event.Call) {
	s := tb.fds[fd]
	if s == nil {
		return
	}
	delete(tb.fds, fd)
	r := s.res
	r.refs--
	if r.refs > 0 {
		return
	}
	r.Closed = Stamp{PID: ev.PID, TID: ev.TID, FD: fd, Time: ev.Time}
	if c != nil {
		r.Closed.Call = c.Name
	}
	if i := slices.Index(t.all, r); i >= 0 {
		t.all = slices.Delete(t.all, i, i+1)
	}
	o := &t.op
	*o = Op{Kind: OpClose, Res: r, FD: fd, PID: ev.PID, TID: ev.TID, Time: ev.Time, Call: c}
	if c != nil {
		o.Errno = c.Errno
	}
	// The close call itself was counted as an operation already; only
	// hooks remain.
	if !r.Traced {
		return
	}
	if t.opts.Hooks.OnOp != nil {
		t.opts.Hooks.OnOp(o)
	}
	if h := t.opts.Hooks.hook(r.Kind, OpClose); h != nil {
		h(o)
	}
}

// closeFD is close(2) on fd: the descriptor is gone unless it was not
// open (EBADF); Linux frees it even when close reports EINTR or EIO.
func (x *ctx) closeFD(fd int) {
	if s := x.tb.fds[fd]; s != nil {
		x.countClose(s.res)
	}
	if x.c.Errno == syscall.EBADF {
		return
	}
	x.t.release(x.tb, fd, x.ev, x.c)
}

// countClose records a close call in r's statistics without a hook:
// OnClose is called when the resource's last descriptor goes.
func (x *ctx) countClose(r *Resource) {
	st := &r.Stats
	st.Ops[OpClose]++
	failed := x.c.Errno != 0
	if failed {
		st.Errors++
	}
	st.Time += x.c.Duration()
	countCall(st, x.c.Name, failed)
}

// exec applies a successful execve: descriptors marked close-on-exec
// close.
func (x *ctx) exec() {
	for _, fd := range sortedFDs(x.tb) {
		if x.tb.fds[fd].cloexec {
			x.t.release(x.tb, fd, x.ev, x.c)
		}
	}
}

// unshare gives the task a table of its own (close_range's
// CLOSE_RANGE_UNSHARE).
func (x *ctx) unshare() {
	if x.tb.users == 1 {
		return
	}
	x.tb.users--
	tb := &table{fds: make(map[int]*slot, len(x.tb.fds)), users: 1}
	for fd, s := range x.tb.fds {
		c := *s
		c.res.refs++
		tb.fds[fd] = &c
	}
	x.t.tables[x.ev.TID] = tb
	x.tb = tb
}
