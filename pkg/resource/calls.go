package resource

import (
	"github.com/gtrace/gtrace/pkg/event"
)

// handlers apply each syscall the tracker understands; a call not listed
// counts as OpOther on the descriptors among its decoded arguments.
// Handlers run at the call's exit, once it returned.
var handlers = map[string]func(x *ctx){}

// Constants shared by x86_64 and i386.
const (
	oCloexec        = 0o2000000 // O_CLOEXEC, and EFD_/SFD_/TFD_/IN_/EPOLL_/SOCK_CLOEXEC
	atEmptyPath     = 0x1000
	mapAnonymous    = 0x20
	fDupfd          = 0
	fSetfd          = 2
	fDupfdCloexec   = 1030
	fdCloexec       = 1
	closeRangeUnsh  = 2
	closeRangeCloex = 4
	fioclex         = 0x5451
	fionclex        = 0x5450
)

// creator describes a call that returns a new anonymous resource.
type creator struct {
	kind  Kind
	label string
	// flags is the register holding the call's flags (-1: none); a
	// flag bit cloexec in it marks the descriptor close-on-exec.
	flags   int
	cloexec uint64
	// always: the kernel always makes the descriptor close-on-exec.
	always bool
}

var creators = map[string]creator{
	"epoll_create":    {Other, "epoll", -1, 0, false},
	"epoll_create1":   {Other, "epoll", 0, oCloexec, false},
	"eventfd":         {Other, "eventfd", -1, 0, false},
	"eventfd2":        {Other, "eventfd", 1, oCloexec, false},
	"timerfd_create":  {Other, "timerfd", 1, oCloexec, false},
	"inotify_init":    {Other, "inotify", -1, 0, false},
	"inotify_init1":   {Other, "inotify", 0, oCloexec, false},
	"fanotify_init":   {Other, "fanotify", 0, 1, false},
	"userfaultfd":     {Other, "userfaultfd", 0, oCloexec, false},
	"perf_event_open": {Other, "perf_event", 4, 8, false},
	"pidfd_open":      {Other, "pidfd", -1, 0, true},
	"io_uring_setup":  {Other, "io_uring", -1, 0, true},
	"memfd_secret":    {Other, "memfd_secret", 0, oCloexec, false},
}

// Calls that move bytes through one descriptor (register 0).
var (
	reads  = []string{"read", "pread64", "readv", "preadv", "preadv2", "recvfrom", "recvmsg", "recv"}
	writes = []string{"write", "pwrite64", "writev", "pwritev", "pwritev2", "sendto", "sendmsg", "send"}
	// Calls that count as reads or writes but return a message count,
	// not bytes.
	msgReads  = []string{"recvmmsg", "recvmmsg_time64"}
	msgWrites = []string{"sendmmsg"}
)

// transfers copy between two descriptors: the registers read from and
// written to.
var transfers = map[string][2]int{
	"sendfile":        {1, 0},
	"sendfile64":      {1, 0},
	"copy_file_range": {0, 2},
	"splice":          {0, 2},
	"tee":             {0, 1},
}

// simple maps calls on the descriptor in register 0 to their operation.
var simple = map[string]OpKind{
	"lseek": OpSeek, "_llseek": OpSeek,
	"fstat": OpStat, "fstat64": OpStat, "fstatfs": OpStat, "fstatfs64": OpStat,
}

func init() {
	for _, name := range reads {
		handlers[name] = func(x *ctx) { x.use(x.fd(0), OpRead, x.transferred()) }
	}
	for _, name := range writes {
		handlers[name] = func(x *ctx) { x.use(x.fd(0), OpWrite, x.transferred()) }
	}
	for _, name := range msgReads {
		handlers[name] = func(x *ctx) { x.use(x.fd(0), OpRead, 0) }
	}
	for _, name := range msgWrites {
		handlers[name] = func(x *ctx) { x.use(x.fd(0), OpWrite, 0) }
	}
	for name, regs := range transfers {
		handlers[name] = func(x *ctx) {
			n := x.transferred()
			x.use(x.fd(regs[0]), OpRead, n)
			x.use(x.fd(regs[1]), OpWrite, n)
		}
	}
	for name, op := range simple {
		handlers[name] = func(x *ctx) { x.use(x.fd(0), op, 0) }
	}
	for name, cr := range creators {
		handlers[name] = func(x *ctx) {
			if !x.ok() {
				return
			}
			cloexec := cr.always || (cr.flags >= 0 && x.c.Raw[cr.flags]&cr.cloexec != 0)
			x.create(&Resource{Kind: cr.kind, Path: cr.label}, x.retFD(), cloexec, OpOpen, nil)
		}
	}
	for _, name := range []string{"open", "openat", "openat2", "creat", "open_by_handle_at"} {
		handlers[name] = openFile
	}
	for _, name := range []string{"newfstatat", "fstatat64"} {
		handlers[name] = func(x *ctx) { x.statAt(3) }
	}
	for _, name := range []string{"pipe", "pipe2"} {
		handlers[name] = pipe
	}
	for _, name := range []string{"accept", "accept4"} {
		handlers[name] = accept
	}
	for _, name := range []string{"fcntl", "fcntl64"} {
		handlers[name] = fcntl
	}
	for _, name := range []string{"execve", "execveat"} {
		handlers[name] = func(x *ctx) { x.exec() }
	}
	for _, name := range []string{"mmap", "mmap2"} {
		handlers[name] = func(x *ctx) {
			if x.c.Raw[3]&mapAnonymous == 0 {
				x.use(x.fd(4), OpMmap, 0)
			}
		}
	}
	handlers["statx"] = func(x *ctx) { x.statAt(2) }
	handlers["memfd_create"] = memfdCreate
	handlers["signalfd"] = signalfd
	handlers["signalfd4"] = signalfd
	handlers["socket"] = socket
	handlers["socketpair"] = socketpair
	handlers["bind"] = bind
	handlers["listen"] = listen
	handlers["connect"] = connect
	handlers["ioctl"] = ioctl
	handlers["dup"] = func(x *ctx) { x.dup(x.fd(0), x.retFD(), false) }
	handlers["dup2"] = func(x *ctx) { x.dup(x.fd(0), x.retFD(), false) }
	handlers["dup3"] = func(x *ctx) { x.dup(x.fd(0), x.retFD(), x.c.Raw[2]&oCloexec != 0) }
	handlers["close"] = func(x *ctx) { x.closeFD(x.fd(0)) }
	handlers["close_range"] = closeRange
}

// Follows reports whether a Tracker must see syscall name to keep its
// descriptor tables right: the calls it has a rule for (open, dup,
// close, fcntl, execve, read, connect, ...) and those that create tasks,
// whose flags say whether a new task shares its creator's table. Other
// calls matter only through their descriptor arguments, which count as
// OpOther; a tracer that stops for every call with a descriptor argument
// and the calls Follows names feeds a Tracker all it needs (package
// restrace does).
func Follows(name string) bool { return handlers[name] != nil || isClone(name) }

// pathArg returns the first decoded path argument.
func (x *ctx) pathArg() string {
	for i := range x.c.Args {
		a := &x.c.Args[i]
		if a.Format == "path" && a.Val.Kind == event.VStr {
			return string(a.Val.Bytes)
		}
	}
	return ""
}

// openFlags returns the open flags of an open-family call.
func (x *ctx) openFlags() uint64 {
	switch x.c.Name {
	case "open":
		return x.c.Raw[1]
	case "openat":
		return x.c.Raw[2]
	case "open_by_handle_at":
		return x.c.Raw[2]
	case "openat2":
		for i := range x.c.Args {
			if v := field(&x.c.Args[i].Val, "flags"); v != nil {
				return v.N
			}
		}
	}
	return 0
}

func openFile(x *ctx) {
	if !x.ok() {
		return
	}
	fd := x.retFD()
	r := &Resource{Kind: File, Path: x.pathArg()}
	if r.Path == "" && x.t.opts.Resolver != nil {
		r.Path = x.t.opts.Resolver.FDPath(x.ev.PID, fd)
	}
	x.create(r, fd, x.openFlags()&oCloexec != 0, OpOpen, nil)
}

func memfdCreate(x *ctx) {
	if !x.ok() {
		return
	}
	r := &Resource{Kind: File, Path: "memfd:" + x.pathOrString()}
	x.create(r, x.retFD(), x.c.Raw[1]&1 != 0, OpOpen, nil) // MFD_CLOEXEC
}

// pathOrString is the first string argument (memfd_create's name).
func (x *ctx) pathOrString() string {
	for i := range x.c.Args {
		if v := &x.c.Args[i].Val; v.Kind == event.VStr {
			return string(v.Bytes)
		}
	}
	return ""
}

// statAt handles newfstatat and statx: with AT_EMPTY_PATH and an empty
// path they are fstat on the directory descriptor.
func (x *ctx) statAt(flagsReg int) {
	if x.c.Raw[flagsReg]&atEmptyPath != 0 && x.pathArg() == "" {
		x.use(x.fd(0), OpStat, 0)
	}
}

func signalfd(x *ctx) {
	if !x.ok() {
		return
	}
	if x.fd(0) != -1 {
		x.use(x.fd(0), OpOther, 0)
		return
	}
	cloexec := x.c.Name == "signalfd4" && x.c.Raw[3]&oCloexec != 0
	x.create(&Resource{Kind: Other, Path: "signalfd"}, x.retFD(), cloexec, OpOpen, nil)
}

// pairFDs reads the two descriptors pipe and socketpair return through
// memory, when the decoder decoded them ([3, 4]).
func pairFDs(v *event.Value) (int, int, bool) {
	if v.Kind != event.VArray || len(v.Elems) != 2 {
		return 0, 0, false
	}
	a, b := &v.Elems[0], &v.Elems[1]
	for _, e := range []*event.Value{a, b} {
		if e.Kind != event.VFD && e.Kind != event.VInt && e.Kind != event.VUint {
			return 0, 0, false
		}
	}
	return int(int32(a.N)), int(int32(b.N)), true
}

func pipe(x *ctx) {
	if !x.ok() || len(x.c.Args) == 0 {
		return
	}
	rd, wr, ok := pairFDs(&x.c.Args[0].Val)
	if !ok {
		return // the ends are registered when first used
	}
	cloexec := x.c.Name == "pipe2" && x.c.Raw[1]&oCloexec != 0
	x.create(&Resource{Kind: Pipe, Path: "pipe (read end)"}, rd, cloexec, OpOpen, nil)
	x.create(&Resource{Kind: Pipe, Path: "pipe (write end)"}, wr, cloexec, OpOpen, nil)
}

func socket(x *ctx) {
	if !x.ok() {
		return
	}
	r := &Resource{Kind: Socket}
	describeSocket(r, x.c.Raw[0], x.c.Raw[1])
	x.create(r, x.retFD(), x.c.Raw[1]&oCloexec != 0, OpOpen, nil)
}

func socketpair(x *ctx) {
	if !x.ok() || len(x.c.Args) < 4 {
		return
	}
	a, b, ok := pairFDs(&x.c.Args[3].Val)
	if !ok {
		return
	}
	for _, fd := range []int{a, b} {
		r := &Resource{Kind: Socket}
		describeSocket(r, x.c.Raw[0], x.c.Raw[1])
		x.create(r, fd, x.c.Raw[1]&oCloexec != 0, OpOpen, nil)
	}
}

// addrArg is the endpoint a decoded sockaddr argument names.
func (x *ctx) addrArg(i int) string {
	if i >= len(x.c.Args) {
		return ""
	}
	return Address(&x.c.Args[i].Val)
}

// endpoints asks the Resolver for a socket's endpoints.
func (x *ctx) endpoints(r *Resource, fd int) {
	res := x.t.opts.Resolver
	if res == nil {
		return
	}
	if local, remote, ok := res.Endpoints(x.ev.PID, fd); ok {
		if local != "" {
			r.Local = local
		}
		if remote != "" {
			r.Remote = remote
		}
	}
}

func bind(x *ctx) {
	fd := x.fd(0)
	if r := x.resource(fd); r != nil && x.ok() {
		r.Local = x.addrArg(1)
		x.endpoints(r, fd)
	}
	x.use(fd, OpBind, 0)
}

// listen marks a socket listening. Its local address is asked for again:
// a socket bound to port 0 has its port now, and /proc lists it.
func listen(x *ctx) {
	fd := x.fd(0)
	if r := x.resource(fd); r != nil && x.ok() {
		r.Listening = true
		x.endpoints(r, fd)
	}
	x.use(fd, OpListen, 0)
}

func connect(x *ctx) {
	fd := x.fd(0)
	r := x.resource(fd)
	if r == nil {
		return
	}
	if addr := x.addrArg(1); addr != "" {
		r.Remote = addr
	}
	// A non-blocking connect is under way when it reports EINPROGRESS.
	if x.ok() || x.c.Errno == einprogress {
		x.endpoints(r, fd)
	}
	x.use(fd, OpConnect, 0)
}

const einprogress = 115

func accept(x *ctx) {
	// The listening socket counts the call; OnAccept is the new
	// connection's.
	l := x.use(x.fd(0), OpOther, 0)
	if !x.ok() {
		return
	}
	fd := x.retFD()
	r := &Resource{Kind: Socket, Remote: x.addrArg(1)}
	if l != nil {
		r.Family, r.Type, r.Proto, r.Local = l.Family, l.Type, l.Proto, l.Local
	}
	x.endpoints(r, fd)
	cloexec := x.c.Name == "accept4" && x.c.Raw[3]&oCloexec != 0
	x.create(r, fd, cloexec, OpAccept, l)
}

func ioctl(x *ctx) {
	fd := x.fd(0)
	x.use(fd, OpIoctl, 0)
	if s := x.tb.fds[fd]; s != nil && x.ok() {
		switch uint32(x.c.Raw[1]) {
		case fioclex:
			s.cloexec = true
		case fionclex:
			s.cloexec = false
		}
	}
}

// dup makes descriptor to refer to what from refers to.
func (x *ctx) dup(from, to int, cloexec bool) {
	r := x.use(from, OpOther, 0)
	if r == nil || !x.ok() {
		return
	}
	x.install(to, r, cloexec)
}

func fcntl(x *ctx) {
	fd := x.fd(0)
	switch x.c.Raw[1] {
	case fDupfd, fDupfdCloexec:
		x.dup(fd, x.retFD(), x.c.Raw[1] == fDupfdCloexec)
	case fSetfd:
		x.use(fd, OpOther, 0)
		if s := x.tb.fds[fd]; s != nil && x.ok() {
			s.cloexec = x.c.Raw[2]&fdCloexec != 0
		}
	default:
		x.use(fd, OpOther, 0)
	}
}

func closeRange(x *ctx) {
	if !x.ok() {
		return
	}
	first, last, flags := uint32(x.c.Raw[0]), uint32(x.c.Raw[1]), x.c.Raw[2]
	if flags&closeRangeUnsh != 0 {
		x.unshare()
	}
	for _, fd := range sortedFDs(x.tb) {
		if uint32(fd) < first || uint32(fd) > last {
			continue
		}
		if flags&closeRangeCloex != 0 {
			x.tb.fds[fd].cloexec = true
			continue
		}
		x.t.release(x.tb, fd, x.ev, x.c)
	}
}
