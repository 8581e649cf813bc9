package decode

import "github.com/gtrace/gtrace/pkg/event"

// FcntlCmds name fcntl's commands.
var FcntlCmds = &Enum{Unknown: "F_???", Syms: []Sym{
	{0, "F_DUPFD"}, {1, "F_GETFD"}, {2, "F_SETFD"}, {3, "F_GETFL"}, {4, "F_SETFL"}, {5, "F_GETLK"},
	{6, "F_SETLK"}, {7, "F_SETLKW"}, {8, "F_SETOWN"}, {9, "F_GETOWN"}, {0xa, "F_SETSIG"},
	{0xb, "F_GETSIG"}, {0xc, "F_GETLK64"}, {0xd, "F_SETLK64"}, {0xe, "F_SETLKW64"}, {0xf, "F_SETOWN_EX"},
	{0x10, "F_GETOWN_EX"}, {0x11, "F_GETOWNER_UIDS"}, {0x24, "F_OFD_GETLK"}, {0x25, "F_OFD_SETLK"},
	{0x26, "F_OFD_SETLKW"}, {0x400, "F_SETLEASE"}, {0x401, "F_GETLEASE"}, {0x402, "F_NOTIFY"},
	{0x405, "F_CANCELLK"}, {0x406, "F_DUPFD_CLOEXEC"}, {0x407, "F_SETPIPE_SZ"}, {0x408, "F_GETPIPE_SZ"},
	{0x409, "F_ADD_SEALS"}, {0x40a, "F_GET_SEALS"},
}}

// fcntl commands decoded specially.
const (
	fDupfd        = 0
	fGetfd        = 1
	fSetfd        = 2
	fGetfl        = 3
	fSetfl        = 4
	fGetlk        = 5
	fSetlk        = 6
	fSetlkw       = 7
	fSetown       = 8
	fGetown       = 9
	fSetsig       = 0xa
	fGetsig       = 0xb
	fSetownEx     = 0xf
	fGetownEx     = 0x10
	fOfdGetlk     = 0x24
	fOfdSetlk     = 0x25
	fOfdSetlkw    = 0x26
	fSetlease     = 0x400
	fGetlease     = 0x401
	fNotify       = 0x402
	fDupfdCloexec = 0x406
	fSetpipeSz    = 0x407
	fGetpipeSz    = 0x408
	fAddSeals     = 0x409
	fGetSeals     = 0x40a
)

// Tables of fcntl's arguments and results.
var (
	FdFlags     = &Flags{Bits: []Sym{{1, "FD_CLOEXEC"}}}
	LockTypes   = &Enum{Unknown: "F_???", Syms: []Sym{{0, "F_RDLCK"}, {1, "F_WRLCK"}, {2, "F_UNLCK"}, {4, "F_EXLCK"}, {8, "F_SHLCK"}}}
	NotifyFlags = &Flags{Bits: []Sym{
		{1, "DN_ACCESS"}, {2, "DN_MODIFY"}, {4, "DN_CREATE"}, {8, "DN_DELETE"}, {0x10, "DN_RENAME"},
		{0x20, "DN_ATTRIB"}, {0x80000000, "DN_MULTISHOT"},
	}}
	Seals      = &Flags{Bits: []Sym{{1, "F_SEAL_SEAL"}, {2, "F_SEAL_SHRINK"}, {4, "F_SEAL_GROW"}, {8, "F_SEAL_WRITE"}, {0x10, "F_SEAL_FUTURE_WRITE"}}}
	OwnerTypes = &Enum{Unknown: "F_OWNER_???", Syms: []Sym{{0, "F_OWNER_TID"}, {1, "F_OWNER_PID"}, {2, "F_OWNER_PGRP"}}}
)

// fcntlFills reports whether cmd makes fcntl fill its argument, which
// strace then prints at exit.
func fcntlFills(cmd uint32) bool { return cmd == fGetlk || cmd == fOfdGetlk || cmd == fGetownEx }

// fcntl formats.
var (
	FmtFcntlCmd = enumFmt(FcntlCmds)
	// FmtFcntlArg is fcntl's third argument, shown as the command wants
	// it (Aux: the command).
	FmtFcntlArg = &Format{Name: "fcntl_arg", Lead: ", ",
		Late: func(x *ctx, i int) bool { return fcntlFills(uint32(x.auxOf(i))) },
		Decode: func(x *ctx, i int) event.Value {
			arg := x.word(x.arg(i))
			switch uint32(x.auxOf(i)) {
			case fGetfd, fGetfl, fGetown, fGetsig, fGetlease, fGetpipeSz, fGetSeals:
				return event.Value{}
			case fSetfd:
				return flagsVal(arg, FdFlags)
			case fSetown, fSetpipeSz, fDupfd, fDupfdCloexec:
				return event.Int(int64(int32(arg)))
			case fSetfl:
				return flagsVal(uint64(uint32(arg)), OpenFlags)
			case fSetlk, fSetlkw, fOfdSetlk, fOfdSetlkw:
				return x.flock(arg, false)
			case fGetlk, fOfdGetlk:
				return x.out(arg, func(x *ctx, addr uint64) event.Value { return x.flock(addr, true) })
			case fSetownEx:
				return x.fOwnerEx(arg)
			case fGetownEx:
				return x.out(arg, (*ctx).fOwnerEx)
			case fNotify:
				return flagsVal(arg, NotifyFlags)
			case fSetlease:
				return enumVal(arg, LockTypes)
			case fAddSeals:
				return flagsVal(arg, Seals)
			case fSetsig:
				return enumVal(arg, SignalSyms)
			}
			return event.Hex(arg)
		}}
	// FmtRetFcntl is fcntl's result: a descriptor, flags in hex with
	// their names, or a number, by command.
	FmtRetFcntl = &Format{Name: "fcntl", Ret: func(x *ctx) (event.Value, event.Value) {
		r := uint64(x.ret())
		switch uint32(x.arg(1)) {
		case fDupfd, fDupfdCloexec:
			return x.fd(x.ret()), event.Value{}
		case fGetfd:
			if r != 0 {
				return event.Hex(r), seqVal(event.Text("flags "), flagsVal(r, FdFlags))
			}
		case fGetfl:
			return event.Hex(r), event.Text("flags " + string(OpenFlags.appendNames(nil, r)))
		case fGetlease:
			return event.Hex(r), namedAux(LockTypes, r)
		case fGetSeals:
			if r != 0 {
				return event.Hex(r), seqVal(event.Text("seals "), flagsVal(r, Seals))
			}
		case fGetsig:
			if r != 0 {
				return event.Int(x.ret()), event.Text(SignalName(int(r)))
			}
		}
		return event.Int(x.ret()), event.Value{}
	}}
)

// flock decodes struct flock; getlk adds the l_pid a lock query returns.
func (x *ctx) flock(addr uint64, getlk bool) event.Value {
	b, v, ok := x.fetch(addr, 32)
	if !ok {
		return v
	}
	v = strct(
		event.Field("l_type", enumVal(b.u16(0), LockTypes)),
		event.Field("l_whence", enumVal(b.u16(2), SeekWhence)),
		event.Field("l_start", event.Int(b.s64(8))),
		event.Field("l_len", event.Int(b.s64(16))))
	if getlk {
		v.Elems = append(v.Elems, event.Field("l_pid", event.Int(b.s32(24))))
	}
	return v
}

// fOwnerEx decodes struct f_owner_ex {type, pid}.
func (x *ctx) fOwnerEx(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 8)
	if !ok {
		return v
	}
	return strct(event.Field("type", enumVal(b.u32(0), OwnerTypes)), event.Field("pid", event.Int(b.s32(4))))
}
