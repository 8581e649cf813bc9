package decode

import (
	"strconv"

	"github.com/gtrace/gtrace/pkg/event"
)

// PollEvents are poll's POLL* event bits.
var PollEvents = &Flags{Bits: []Sym{
	{0x1, "POLLIN"}, {0x2, "POLLPRI"}, {0x4, "POLLOUT"}, {0x8, "POLLERR"}, {0x10, "POLLHUP"},
	{0x20, "POLLNVAL"}, {0x40, "POLLRDNORM"}, {0x80, "POLLRDBAND"}, {0x100, "POLLWRNORM"},
	{0x200, "POLLWRBAND"}, {0x400, "POLLMSG"}, {0x1000, "POLLREMOVE"}, {0x2000, "POLLRDHUP"},
	{0x8000, "POLL_BUSY_LOOP"},
}}

// EpollEvents are the EPOLL* event bits.
var EpollEvents = &Flags{Bits: []Sym{
	{0x1, "EPOLLIN"}, {0x2, "EPOLLPRI"}, {0x4, "EPOLLOUT"}, {0x8, "EPOLLERR"}, {0x10, "EPOLLHUP"},
	{0x20, "EPOLLNVAL"}, {0x40, "EPOLLRDNORM"}, {0x80, "EPOLLRDBAND"}, {0x100, "EPOLLWRNORM"},
	{0x200, "EPOLLWRBAND"}, {0x400, "EPOLLMSG"}, {0x2000, "EPOLLRDHUP"},
	{0x10000000, "EPOLLEXCLUSIVE"}, {0x20000000, "EPOLLWAKEUP"}, {0x40000000, "EPOLLONESHOT"},
	{0x80000000, "EPOLLET"},
}}

// EpollOps names epoll_ctl's op.
var EpollOps = &Enum{Unknown: "EPOLL_CTL_???", Syms: []Sym{
	{1, "EPOLL_CTL_ADD"}, {2, "EPOLL_CTL_DEL"}, {3, "EPOLL_CTL_MOD"},
}}

// EpollCreateFlags are epoll_create1's flags.
var EpollCreateFlags = &Flags{Bits: []Sym{{0x80000, "EPOLL_CLOEXEC"}}}

const (
	pollfdSize     = 8  // struct pollfd {int fd; short events, revents;}
	epollEventSize = 12 // struct epoll_event is packed on x86
	epollCtlDel    = 2
)

// Poll and epoll formats.
var (
	// FmtPollfds is poll's array of struct pollfd; Aux is nfds.
	FmtPollfds = &Format{Name: "pollfds", Decode: func(x *ctx, i int) event.Value {
		n := uint64(uint32(x.arg(int(x.sc.Args[i].Aux))))
		return x.array(x.word(x.arg(i)), n, pollfdSize, func(b le) event.Value {
			fd := b.s32(0)
			v := event.Value{Kind: event.VStruct, Elems: []event.Value{event.Field("fd", x.fd(fd))}}
			if fd >= 0 {
				v.Elems = append(v.Elems, event.Field("events", event.Value{Kind: event.VFlags, N: b.u16(4), Syms: PollEvents}))
			}
			return v
		})
	}}
	// FmtFdset is select's fd_set; Aux is nfds.
	FmtFdset = &Format{Name: "fdset", Decode: func(x *ctx, i int) event.Value {
		nfds := selectNfds(x.arg(int(x.sc.Args[i].Aux)))
		addr := x.word(x.arg(i))
		if nfds == 0 {
			return event.Ptr(addr)
		}
		set, ok := x.fdset(addr, nfds)
		if !ok {
			return event.Ptr(addr)
		}
		v := event.Value{Kind: event.VArray}
		for _, fd := range set {
			v.Elems = append(v.Elems, x.fd(int64(fd)))
		}
		return fdsetValue(v)
	}}
	// FmtTimeout is a struct timespec of the call's longs (the old 32-bit
	// one on i386).
	FmtTimeout = &Format{Name: "timespec", Decode: func(x *ctx, i int) event.Value {
		return x.timeoutSpec(x.word(x.arg(i)), x.ws())
	}}
	// FmtTimeout64 is a struct __kernel_timespec: 64-bit on every arch.
	FmtTimeout64 = &Format{Name: "timespec", Decode: func(x *ctx, i int) event.Value {
		return x.timeoutSpec(x.word(x.arg(i)), 8)
	}}
	// FmtSelectTimeval is select's struct timeval.
	FmtSelectTimeval = &Format{Name: "timeval", Decode: func(x *ctx, i int) event.Value {
		return x.timeoutVal(x.word(x.arg(i)))
	}}
	// FmtPselectSig is pselect6's sixth argument, a pointer to
	// {const sigset_t *ss; size_t ss_len}.
	FmtPselectSig = &Format{Name: "sigset", Decode: func(x *ctx, i int) event.Value {
		return x.pselectSig(x.word(x.arg(i)))
	}}
	FmtEpollCreateFlags = &Format{Name: "flags", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VFlags, N: uint64(uint32(x.arg(i))), Syms: EpollCreateFlags}
	}}
	FmtEpollOp = &Format{Name: "enum", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VEnum, N: uint64(uint32(x.arg(i))), Syms: EpollOps}
	}}
	// FmtEpollEvent is epoll_ctl's event; Aux is the op (DEL ignores it).
	FmtEpollEvent = &Format{Name: "epoll_event", Decode: func(x *ctx, i int) event.Value {
		addr := x.word(x.arg(i))
		if uint32(x.arg(int(x.sc.Args[i].Aux))) == epollCtlDel || addr == 0 {
			return event.Ptr(addr)
		}
		b, ok := x.readFull(addr, epollEventSize)
		if !ok {
			return event.Fault(addr)
		}
		return epollEvent(le(b))
	}}
	// FmtEpollEventsOut is the array epoll_wait fills: as many events as
	// it returns.
	FmtEpollEventsOut = &Format{Name: "epoll_events", Out: true, Decode: func(x *ctx, i int) event.Value {
		addr := x.word(x.arg(i))
		if x.failed() {
			return event.Ptr(addr)
		}
		return x.array(addr, uint64(x.ret()), epollEventSize, epollEvent)
	}}
)

// epollEvent renders a struct epoll_event: both views of its data, as
// the tracee's choice is unknown.
func epollEvent(b le) event.Value {
	return event.Value{Kind: event.VStruct, Elems: []event.Value{
		event.Field("events", event.Value{Kind: event.VFlags, N: b.u32(0), Syms: EpollEvents}),
		event.Field("data", event.Value{Kind: event.VStruct, Elems: []event.Value{
			event.Field("u32", event.Uint(b.u32(4))),
			event.Field("u64", event.Uint(b.u64(4))),
		}}),
	}}
}

// selectNfds is select's nfds as strace bounds it: the kernel reads an
// int and rejects negative ones.
func selectNfds(raw uint64) int {
	n := int(int32(raw))
	return max(0, min(n, 1024*1024))
}

// fdset reads the fd_set of nfds descriptors at addr and returns the
// descriptors set in it.
func (x *ctx) fdset(addr uint64, nfds int) ([]int, bool) {
	ws := x.ws()
	size := ((nfds+7)/8 + ws - 1) &^ (ws - 1)
	b, ok := x.readFull(addr, size)
	if !ok {
		return nil, false
	}
	var set []int
	for fd := range nfds {
		if b[fd/8]&(1<<(fd%8)) != 0 {
			set = append(set, fd)
		}
	}
	return set, true
}

// fdsetValue marks an array as a bit set, which strace prints with
// spaces: [3 4].
func fdsetValue(v event.Value) event.Value {
	v.Kind = event.VText
	b := []byte{'['}
	st := event.Style{}
	for i := range v.Elems {
		if i > 0 {
			b = append(b, ' ')
		}
		b = v.Elems[i].AppendStrace(b, &st)
	}
	v.Text = string(append(b, ']'))
	v.Elems = nil
	return v
}

// timeoutSpec decodes a struct timespec of two longs of ws bytes.
func (x *ctx) timeoutSpec(addr uint64, ws int) event.Value {
	return x.timeoutPair(addr, ws, "tv_nsec")
}

// timeoutVal decodes a struct timeval of the call's longs.
func (x *ctx) timeoutVal(addr uint64) event.Value {
	return x.timeoutPair(addr, x.ws(), "tv_usec")
}

func (x *ctx) timeoutPair(addr uint64, ws int, sub string) event.Value {
	if addr == 0 {
		return event.Ptr(0)
	}
	b, ok := x.readFull(addr, 2*ws)
	if !ok {
		return event.Fault(addr)
	}
	r := le(b)
	sec, frac := r.s32(0), r.s32(4)
	if ws == 8 {
		sec, frac = r.s64(0), r.s64(8)
	}
	return event.Value{Kind: event.VStruct, Elems: []event.Value{
		event.Field("tv_sec", event.Int(sec)),
		event.Field(sub, event.Int(frac)),
	}}
}

func (x *ctx) pselectSig(addr uint64) event.Value {
	if addr == 0 {
		return event.Ptr(0)
	}
	ws := x.ws()
	b, ok := x.readFull(addr, 2*ws)
	if !ok {
		return event.Fault(addr)
	}
	set, size := le(b).wordAt(0, ws), le(b).wordAt(1, ws)
	return event.Value{Kind: event.VStruct, Elems: []event.Value{
		event.Field("sigmask", x.sigset(set, size)),
		event.Field("sigsetsize", event.Uint(size)),
	}}
}

// Return formats of poll and select: what became ready, and for those with
// a timeout, the time left.
var (
	FmtRetPoll = &Format{Name: "int", Ret: func(x *ctx) (event.Value, event.Value) {
		return event.Int(x.ret()), x.pollReady(-1)
	}}
	// FmtRetPpoll is ppoll's: its timeout is the third argument.
	FmtRetPpoll = &Format{Name: "int", Ret: func(x *ctx) (event.Value, event.Value) {
		return event.Int(x.ret()), x.pollReady(2)
	}}
	FmtRetSelect = &Format{Name: "int", Ret: func(x *ctx) (event.Value, event.Value) {
		return event.Int(x.ret()), x.selectReady(x.timeoutVal)
	}}
	FmtRetPselect = &Format{Name: "int", Ret: func(x *ctx) (event.Value, event.Value) {
		return event.Int(x.ret()), x.selectReady(func(addr uint64) event.Value { return x.timeoutSpec(addr, x.timeoutWS()) })
	}}
	// FmtRetRecvmmsg is recvmmsg's: Timeout, or the time left.
	FmtRetRecvmmsg = &Format{Name: "int", Ret: func(x *ctx) (event.Value, event.Value) {
		if x.ret() == 0 {
			return event.Int(0), event.Text("Timeout")
		}
		addr := x.word(x.arg(4))
		if addr == 0 {
			return event.Int(x.ret()), event.Value{}
		}
		return event.Int(x.ret()), event.Text("left " + x.render(x.timeoutSpec(addr, x.timeoutWS())))
	}}
)

// timeoutWS is the size of a timespec's fields for the call: the *_time64
// calls of i386 take 64-bit ones.
func (x *ctx) timeoutWS() int {
	if n := x.sc.Name; len(n) > 7 && n[len(n)-7:] == "_time64" {
		return 8
	}
	return x.ws()
}

// render prints v for the text strace builds after a return value.
func (x *ctx) render(v event.Value) string {
	return string(v.AppendStrace(nil, &event.Style{Xlat: x.d.Opts.Xlat}))
}

// pollReady renders what poll returned: Timeout, or the descriptors with
// events, [{fd=3, revents=POLLIN}], and the time left when tsArg is a
// timeout argument.
func (x *ctx) pollReady(tsArg int) event.Value {
	if x.ret() == 0 {
		return event.Text("Timeout")
	}
	addr := x.word(x.arg(0))
	n := uint64(uint32(x.arg(1)))
	if addr == 0 || n == 0 {
		return event.Value{}
	}
	var b []byte
	printed := 0
	raw := x.read(addr, int(min(n, maxArrayRead/pollfdSize))*pollfdSize)
	for off := 0; off < int(n)*pollfdSize; off += pollfdSize {
		if off+pollfdSize > len(raw) {
			b = appendSep(b)
			b = event.AppendHex(b, addr+uint64(off))
			break
		}
		p := le(raw[off:])
		revents := p.u16(6)
		if revents == 0 {
			continue
		}
		b = appendSep(b)
		if !x.verbose() && printed >= x.d.Opts.MaxArray {
			b = append(b, "..."...)
			break
		}
		b = append(b, "{fd="...)
		b = strconv.AppendInt(b, p.s32(0), 10)
		b = append(b, ", revents="...)
		b = PollEvents.AppendSym(b, revents, x.d.Opts.Xlat)
		b = append(b, '}')
		printed++
	}
	if len(b) > 0 {
		b = append(b, ']')
	}
	if tsArg >= 0 {
		if ts := x.word(x.arg(tsArg)); ts != 0 {
			if len(b) > 0 {
				b = append(b, ", "...)
			}
			b = append(b, "left "...)
			b = append(b, x.render(x.timeoutSpec(ts, x.timeoutWS()))...)
		}
	}
	if len(b) == 0 {
		return event.Value{}
	}
	return event.Text(string(b))
}

// appendSep starts a list with '[' or continues it with ", ".
func appendSep(b []byte) []byte {
	if len(b) == 0 {
		return append(b, '[')
	}
	return append(b, ", "...)
}

// selectReady renders what select returned: Timeout, or the ready
// descriptors of each set, "in [3], out [4]", and the time left.
func (x *ctx) selectReady(left func(uint64) event.Value) event.Value {
	ready := int(x.ret())
	if ready == 0 {
		return event.Text("Timeout")
	}
	nfds := selectNfds(x.arg(0))
	var b []byte
	for i, name := range []string{"in", "out", "except"} {
		if ready <= 0 {
			break
		}
		addr := x.word(x.arg(i + 1))
		if addr == 0 {
			continue
		}
		set, ok := x.fdset(addr, nfds)
		if !ok {
			continue
		}
		for j, fd := range set {
			if j == 0 {
				if len(b) > 0 {
					b = append(b, ", "...)
				}
				b = append(b, name...)
				b = append(b, " ["...)
			} else {
				b = append(b, ' ')
			}
			b = strconv.AppendInt(b, int64(fd), 10)
			if ready--; ready == 0 {
				break
			}
		}
		// strace closes the list after every set it reads once any
		// descriptor is printed, even after an empty one: "in [3]]".
		if len(b) > 0 {
			b = append(b, ']')
		}
	}
	if ts := x.word(x.arg(4)); ts != 0 {
		if len(b) > 0 {
			b = append(b, ", "...)
		}
		b = append(b, "left "...)
		b = append(b, x.render(left(ts))...)
	}
	return event.Text(string(b))
}
