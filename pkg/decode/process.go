package decode

import (
	"strconv"

	"github.com/gtrace/gtrace/pkg/event"
)

// CloneFlags are clone's CLONE_* flags; the low byte is the exit signal.
var CloneFlags = &Flags{Bits: []Sym{
	{0x100, "CLONE_VM"}, {0x200, "CLONE_FS"}, {0x400, "CLONE_FILES"}, {0x800, "CLONE_SIGHAND"},
	{0x1000, "CLONE_PIDFD"}, {0x2000, "CLONE_PTRACE"}, {0x4000, "CLONE_VFORK"},
	{0x8000, "CLONE_PARENT"}, {0x10000, "CLONE_THREAD"}, {0x20000, "CLONE_NEWNS"},
	{0x40000, "CLONE_SYSVSEM"}, {0x80000, "CLONE_SETTLS"}, {0x100000, "CLONE_PARENT_SETTID"},
	{0x200000, "CLONE_CHILD_CLEARTID"}, {0x400000, "CLONE_DETACHED"}, {0x800000, "CLONE_UNTRACED"},
	{0x1000000, "CLONE_CHILD_SETTID"}, {0x2000000, "CLONE_NEWCGROUP"}, {0x4000000, "CLONE_NEWUTS"},
	{0x8000000, "CLONE_NEWIPC"}, {0x10000000, "CLONE_NEWUSER"}, {0x20000000, "CLONE_NEWPID"},
	{0x40000000, "CLONE_NEWNET"}, {0x80000000, "CLONE_IO"},
	{0x100000000, "CLONE_CLEAR_SIGHAND"}, {0x200000000, "CLONE_INTO_CGROUP"},
}}

const (
	cloneSettls       = 0x80000
	cloneParentSettid = 0x100000
	cloneChildCleart  = 0x200000
	cloneChildSettid  = 0x1000000
)

// cloneFlagsValue renders clone flags with the exit signal in the low
// byte: CLONE_VM|...|SIGCHLD.
func cloneFlagsValue(flags uint64) event.Value {
	sig := flags & 0xff
	b := []byte(nil)
	if rest := flags &^ 0xff; rest != 0 || sig == 0 {
		b = CloneFlags.AppendSym(b, rest, event.XlatAbbrev)
	}
	if sig != 0 {
		if len(b) > 0 {
			b = append(b, '|')
		}
		b = append(b, SignalName(int(sig))...)
	}
	return event.Value{Kind: event.VText, N: flags, Text: string(b)}
}

// decodeClone prints clone's arguments as strace does: labelled, with the
// tid and tls pointers shown only when the flags use them. The register
// order is x86_64's (flags, stack, parent_tid, child_tid, tls); i386
// swaps the last two.
func decodeClone(x *ctx) {
	flags := x.word(x.arg(0))
	childTid, tls := 3, 4
	if x.call.Arch == event.ArchI386 {
		childTid, tls = 4, 3
	}
	add := func(name string, reg int, v event.Value) {
		x.call.Args = append(x.call.Args, event.Arg{Name: name, Format: "clone", Raw: x.arg(reg), Val: event.Field(name, v)})
	}
	add("child_stack", 1, event.Ptr(x.word(x.arg(1))))
	add("flags", 0, cloneFlagsValue(flags))
	if flags&cloneParentSettid != 0 {
		add("parent_tid", 2, event.Ptr(x.word(x.arg(2))))
	}
	if flags&(cloneChildSettid|cloneChildCleart) != 0 {
		add("child_tidptr", childTid, event.Ptr(x.word(x.arg(childTid))))
	}
	if flags&cloneSettls != 0 {
		add("tls", tls, event.Ptr(x.word(x.arg(tls))))
	}
}

// WaitOptions are wait4's options.
var WaitOptions = &Flags{Bits: []Sym{
	{1, "WNOHANG"}, {2, "WSTOPPED"}, {4, "WEXITED"}, {8, "WCONTINUED"}, {0x1000000, "WNOWAIT"},
	{0x20000000, "__WNOTHREAD"}, {0x40000000, "__WALL"}, {0x80000000, "__WCLONE"},
}}

// Process formats.
var (
	FmtWaitOptions = &Format{Name: "flags", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VFlags, N: uint64(uint32(x.arg(i))), Syms: WaitOptions}
	}}
	// FmtWaitStatusOut is the int status wait4 fills: shown only when a
	// child was reaped.
	FmtWaitStatusOut = &Format{Name: "wait_status", Out: true, Decode: func(x *ctx, i int) event.Value {
		addr := x.word(x.arg(i))
		if x.failed() || x.ret() == 0 || addr == 0 {
			return event.Ptr(addr)
		}
		b, ok := x.readFull(addr, 4)
		if !ok {
			return event.Fault(addr)
		}
		return event.Value{Kind: event.VArray, Elems: []event.Value{WaitStatus(uint32(le(b).u32(0)))}}
	}}
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
