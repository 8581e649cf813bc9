package decode

import (
	"strconv"

	"github.com/gtrace/gtrace/pkg/event"
)

// CloneFlags are clone's CLONE_* flags; the low byte is the exit signal.
var CloneFlags = &Flags{Bits: []Sym{
	{0x100, "CLONE_VM"}, {0x200, "CLONE_FS"}, {0x400, "CLONE_FILES"}, {0x800, "CLONE_SIGHAND"},
	{0x1000, "CLONE_PIDFD"}, {0x2000, "CLONE_PTRACE"}, {0x4000, "CLONE_VFORK"}, {0x8000, "CLONE_PARENT"},
	{0x10000, "CLONE_THREAD"}, {0x20000, "CLONE_NEWNS"}, {0x40000, "CLONE_SYSVSEM"},
	{0x80000, "CLONE_SETTLS"}, {0x100000, "CLONE_PARENT_SETTID"}, {0x200000, "CLONE_CHILD_CLEARTID"},
	{0x800000, "CLONE_UNTRACED"}, {0x1000000, "CLONE_CHILD_SETTID"}, {0x2000000, "CLONE_NEWCGROUP"},
	{0x4000000, "CLONE_NEWUTS"}, {0x8000000, "CLONE_NEWIPC"}, {0x10000000, "CLONE_NEWUSER"},
	{0x20000000, "CLONE_NEWPID"}, {0x40000000, "CLONE_NEWNET"}, {0x80000000, "CLONE_IO"},
}}

// Clone3Flags are clone's flags with those only clone3 takes.
var Clone3Flags = &Flags{Bits: append(append([]Sym(nil), CloneFlags.Bits...),
	Sym{0x80, "CLONE_NEWTIME"}, Sym{0x100000000, "CLONE_CLEAR_SIGHAND"}, Sym{0x200000000, "CLONE_INTO_CGROUP"})}

// UnshareFlags are unshare's flags.
var UnshareFlags = &Flags{Bits: []Sym{
	{0x80, "CLONE_NEWTIME"}, {0x100, "CLONE_VM"}, {0x200, "CLONE_FS"}, {0x400, "CLONE_FILES"},
	{0x800, "CLONE_SIGHAND"}, {0x10000, "CLONE_THREAD"}, {0x20000, "CLONE_NEWNS"},
	{0x40000, "CLONE_SYSVSEM"}, {0x2000000, "CLONE_NEWCGROUP"}, {0x4000000, "CLONE_NEWUTS"},
	{0x8000000, "CLONE_NEWIPC"}, {0x10000000, "CLONE_NEWUSER"}, {0x20000000, "CLONE_NEWPID"},
	{0x40000000, "CLONE_NEWNET"},
}}

// SetnsTypes are setns's namespace types.
var SetnsTypes = &Flags{Bits: []Sym{
	{0x80, "CLONE_NEWTIME"}, {0x20000, "CLONE_NEWNS"}, {0x2000000, "CLONE_NEWCGROUP"},
	{0x4000000, "CLONE_NEWUTS"}, {0x8000000, "CLONE_NEWIPC"}, {0x10000000, "CLONE_NEWUSER"},
	{0x20000000, "CLONE_NEWPID"}, {0x40000000, "CLONE_NEWNET"},
}}

// WaitOptions are wait4's and waitid's options.
var WaitOptions = &Flags{Bits: []Sym{
	{1, "WNOHANG"}, {4, "WEXITED"}, {2, "WSTOPPED"}, {8, "WCONTINUED"}, {0x1000000, "WNOWAIT"},
	{0x80000000, "__WCLONE"}, {0x40000000, "__WALL"}, {0x20000000, "__WNOTHREAD"},
}}

// WaitidTypes name waitid's idtype.
var WaitidTypes = &Enum{Unknown: "P_???", Syms: []Sym{{0, "P_ALL"}, {1, "P_PID"}, {2, "P_PGID"}, {3, "P_PIDFD"}}}

// KcmpTypes name kcmp's type.
var KcmpTypes = &Enum{Unknown: "KCMP_???", Syms: []Sym{
	{0, "KCMP_FILE"}, {1, "KCMP_VM"}, {2, "KCMP_FILES"}, {3, "KCMP_FS"}, {4, "KCMP_SIGHAND"},
	{5, "KCMP_IO"}, {6, "KCMP_SYSVSEM"}, {7, "KCMP_EPOLL_TFD"},
}}

const (
	clonePidfd        = 0x1000
	cloneSettls       = 0x80000
	cloneParentSettid = 0x100000
	cloneChildCleart  = 0x200000
	cloneChildSettid  = 0x1000000
)

// cloneFlagsValue renders clone flags with the exit signal in the low
// byte: CLONE_VM|...|SIGCHLD.
func cloneFlagsValue(flags uint64) event.Value {
	sig, rest := flags&0xff, flags&^0xff
	switch {
	case sig == 0:
		return flagsVal(rest, CloneFlags)
	case rest == 0:
		return enumVal(sig, SignalSyms)
	}
	return seqVal(flagsVal(rest, CloneFlags), orSep, enumVal(sig, SignalSyms))
}

// decodeClone prints clone's arguments as strace does: child_stack and
// flags at entry; parent_tid, tls and child_tidptr at exit, and only when
// the flags use them. The register order is x86_64's (flags, stack,
// parent_tid, child_tid, tls); i386 swaps the last two.
func decodeClone(x *ctx) {
	flags := x.word(x.arg(0))
	childTid, tls := 3, 4
	if x.call.Arch == event.ArchI386 {
		childTid, tls = 4, 3
	}
	x.push("child_stack", 1, event.Field("child_stack", event.Ptr(x.word(x.arg(1)))))
	x.push("flags", 0, event.Field("flags", cloneFlagsValue(flags)))
	if flags&(cloneParentSettid|clonePidfd) != 0 {
		x.pushOut("parent_tid", 2, ", ")
	}
	if flags&cloneSettls != 0 {
		x.pushOut("tls", tls, ", ")
	}
	if flags&(cloneChildSettid|cloneChildCleart) != 0 {
		x.pushOut("child_tidptr", childTid, ", ")
	}
}

// cloneExit fills the arguments clone prints at exit.
func cloneExit(x *ctx) {
	flags := x.word(x.arg(0))
	for i := range x.call.Args {
		a := &x.call.Args[i]
		if !a.Out {
			continue
		}
		addr := x.word(a.Raw)
		v := event.Ptr(addr)
		if a.Name == "parent_tid" {
			if flags&cloneParentSettid != 0 {
				v = x.out(addr, (*ctx).intPtr)
			} else {
				v = x.out(addr, (*ctx).fdPtr)
			}
		}
		a.Val = event.Field(a.Name, v)
	}
}

// push appends an argument shown at entry to a custom decoder's call.
func (x *ctx) push(name string, reg int, v event.Value) {
	x.call.Args = append(x.call.Args, event.Arg{Name: name, Format: x.call.Name, Raw: x.arg(reg), Val: v})
}

// pushOut appends an argument decoded at exit, printed after lead.
func (x *ctx) pushOut(name string, reg int, lead string) {
	x.call.Args = append(x.call.Args, event.Arg{Name: name, Format: x.call.Name, Raw: x.arg(reg), Out: true, Lead: lead})
}

// clone3 prints its struct clone_args at entry and, when the kernel
// wrote a pidfd or parent tid back, " => {pidfd=[3]}" at exit.
func decodeClone3(x *ctx) {
	addr, size := x.word(x.arg(0)), x.word(x.arg(1))
	v, flags := x.cloneArgs(addr, size)
	x.push("cl_args", 0, v)
	if flags&(clonePidfd|cloneParentSettid) != 0 {
		x.pushOut("cl_args", 0, " => ")
	}
	x.push("size", 1, event.Uint(size))
}

// cloneArgsMin is the size of struct clone_args up to tls, the least
// strace decodes.
const cloneArgsMin = 64

// cloneArgs decodes struct clone_args and returns its flags too.
func (x *ctx) cloneArgs(addr, size uint64) (event.Value, uint64) {
	if size < cloneArgsMin {
		return event.Ptr(addr), 0
	}
	b, v, ok := x.fetch(addr, int(min(size, 88)))
	if !ok {
		return v, 0
	}
	flags := b.u64(0)
	v = strct(event.Field("flags", flagsVal(flags, Clone3Flags)))
	add := func(name string, val event.Value) { v.Elems = append(v.Elems, event.Field(name, val)) }
	if flags&clonePidfd != 0 {
		add("pidfd", event.Ptr(b.u64(8)))
	}
	if flags&(cloneChildSettid|cloneChildCleart) != 0 {
		add("child_tid", event.Ptr(b.u64(16)))
	}
	if flags&cloneParentSettid != 0 {
		add("parent_tid", event.Ptr(b.u64(24)))
	}
	if sig := b.u64(32); sig < 1<<31-1 {
		add("exit_signal", enumVal(sig, SignalSyms))
	} else {
		add("exit_signal", event.Uint(sig))
	}
	add("stack", event.Ptr(b.u64(40)))
	add("stack_size", event.Hex(b.u64(48)))
	if flags&cloneSettls != 0 {
		add("tls", event.Ptr(b.u64(56)))
	}
	if len(b) >= 80 {
		if setTid, n := b.u64(64), b.u64(72); setTid != 0 || n != 0 {
			if setTid == 0 || n == 0 || n > 32 {
				add("set_tid", event.Ptr(setTid))
			} else {
				add("set_tid", x.array(setTid, n, 4, func(e le) event.Value { return event.Int(e.s32(0)) }))
			}
			add("set_tid_size", event.Uint(n))
		}
	}
	if len(b) >= 88 && (b.u64(80) != 0 || flags&0x200000000 != 0) {
		add("cgroup", event.Uint(b.u64(80)))
	}
	return v, flags
}

// clone3Exit shows what the kernel wrote through struct clone_args.
func clone3Exit(x *ctx) {
	for i := range x.call.Args {
		a := &x.call.Args[i]
		if !a.Out || x.failed() {
			continue
		}
		addr := x.word(x.arg(0))
		b, v, ok := x.fetch(addr, cloneArgsMin)
		if !ok {
			a.Val = v
			continue
		}
		flags := b.u64(0)
		v = strct()
		if flags&clonePidfd != 0 {
			v.Elems = append(v.Elems, event.Field("pidfd", x.fdPtr(b.u64(8))))
		}
		if flags&cloneParentSettid != 0 {
			v.Elems = append(v.Elems, event.Field("parent_tid", x.intPtr(b.u64(24))))
		}
		a.Val = v
	}
}

// fdPtr decodes the descriptor at addr as strace's printnum_fd: [3], with
// its path under -y.
func (x *ctx) fdPtr(addr uint64) event.Value {
	return x.boxed32(addr, func(v uint32) event.Value { return x.fd(int64(int32(v))) })
}

// Process formats.
var (
	FmtWaitOptions  = flagsFmt(WaitOptions)
	FmtWaitidType   = enumFmt(WaitidTypes)
	FmtUnshareFlags = longFlagsFmt(UnshareFlags)
	FmtSetnsType    = flagsFmt(SetnsTypes)
	FmtKcmpType     = enumFmt(KcmpTypes)
	// FmtKcmpIdx is one of kcmp's indexes: descriptors for KCMP_FILE
	// and KCMP_EPOLL_TFD, absent for the other types (Aux: the type).
	FmtKcmpIdx = &Format{Name: "kcmp_idx", Decode: func(x *ctx, i int) event.Value {
		switch x.auxOf(i) {
		case 0: // KCMP_FILE: a descriptor of each process
			return x.fdIn(int(int32(x.arg(i-3))), int64(int32(x.arg(i))))
		case 7: // KCMP_EPOLL_TFD: a descriptor, then a struct kcmp_epoll_slot
			if i == 3 {
				return x.fdIn(int(int32(x.arg(0))), int64(int32(x.arg(i))))
			}
			return event.Ptr(x.word(x.arg(i)))
		}
		return event.Value{}
	}}
	// FmtWaitidId is waitid's id: a pidfd for P_PIDFD (Aux: the id
	// type).
	FmtWaitidId = &Format{Name: "id", Decode: func(x *ctx, i int) event.Value {
		if x.auxOf(i) == 3 {
			return x.fd(int64(int32(x.arg(i))))
		}
		return event.Int(int64(int32(x.arg(i))))
	}}
	// FmtRemoteIovec is process_vm_readv's and _writev's remote iovec:
	// addresses in another process (Aux: the count).
	FmtRemoteIovec = inFmt("iovec", func(x *ctx, addr uint64) event.Value {
		return x.iovecWith(addr, x.word(x.auxArg()), func(base, _ uint64) event.Value { return event.Ptr(base) })
	})
	// FmtWaitStatusOut is the int status wait4 fills: shown only when a
	// child was reaped.
	FmtWaitStatusOut = outFmt("wait_status", func(x *ctx, addr uint64) event.Value {
		if x.ret() == 0 {
			return event.Ptr(addr)
		}
		return x.boxed32(addr, WaitStatus)
	})
)

// WaitStatus renders a wait status as strace does:
// {WIFEXITED(s) && WEXITSTATUS(s) == 0}.
func WaitStatus(s uint32) event.Value {
	var t string
	switch {
	case s&0x7f == 0:
		t = "WIFEXITED(s) && WEXITSTATUS(s) == " + strconv.Itoa(int(s>>8&0xff))
	case s&0xff == 0x7f:
		t = "WIFSTOPPED(s) && WSTOPSIG(s) == " + SignalName(int(s>>8&0xff))
		if s>>16 != 0 {
			t += " && s>>16 == " + strconv.Itoa(int(s>>16))
		}
	case s == 0xffff:
		t = "WIFCONTINUED(s)"
	default:
		t = "WIFSIGNALED(s) && WTERMSIG(s) == " + SignalName(int(s&0x7f))
		if s&0x80 != 0 {
			t += " && WCOREDUMP(s)"
		}
	}
	return event.Text("{" + t + "}")
}
