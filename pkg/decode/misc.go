package decode

import (
	"strconv"
	"time"

	"github.com/gtrace/gtrace/pkg/event"
)

// customs holds the decoders of syscalls whose printed arguments do not
// follow their registers one to one. A key "arch:name" applies to that
// arch's table only.
var customs = map[string]*custom{
	"clone": {entry: decodeClone},
	// netdecode's
	"ioctl":           {entry: decodeIoctl, exit: ioctlExit},
	"i386:socketcall": {entry: decodeSocketcall, exit: exitSubcall},
	"i386:ipc":        {entry: decodeIPC, exit: exitSubcall},
	"i386:mmap":       {entry: structArgs("mmap", 6), exit: exitSubcall},
	"i386:select":     {entry: structArgs("select", 5), exit: exitSubcall},
}

// ArchPrctlCodes are arch_prctl's codes.
var ArchPrctlCodes = &Enum{Unknown: "ARCH_???", Syms: []Sym{
	{0x1001, "ARCH_SET_GS"}, {0x1002, "ARCH_SET_FS"}, {0x1003, "ARCH_GET_FS"}, {0x1004, "ARCH_GET_GS"},
	{0x1011, "ARCH_GET_CPUID"}, {0x1012, "ARCH_SET_CPUID"}, {0x1021, "ARCH_GET_XCOMP_SUPP"},
	{0x1022, "ARCH_GET_XCOMP_PERM"}, {0x1023, "ARCH_REQ_XCOMP_PERM"},
	{0x1024, "ARCH_GET_XCOMP_GUEST_PERM"}, {0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"},
	{0x1031, "ARCH_XCOMP_TILECFG"}, {0x1032, "ARCH_XCOMP_TILEDATA"},
	{0x2001, "ARCH_MAP_VDSO_X32"}, {0x2002, "ARCH_MAP_VDSO_32"}, {0x2003, "ARCH_MAP_VDSO_64"},
	{0x4001, "ARCH_GET_UNTAG_MASK"}, {0x4002, "ARCH_ENABLE_TAGGED_ADDR"},
	{0x4003, "ARCH_GET_MAX_TAG_BITS"}, {0x4004, "ARCH_FORCE_TAGGED_SVA"},
	{0x5001, "ARCH_SHSTK_ENABLE"}, {0x5002, "ARCH_SHSTK_DISABLE"}, {0x5003, "ARCH_SHSTK_LOCK"},
	{0x5004, "ARCH_SHSTK_UNLOCK"}, {0x5005, "ARCH_SHSTK_STATUS"},
}}

// RlimitResources names the RLIMIT_* resources.
var RlimitResources = &Enum{Unknown: "RLIMIT_???", Syms: []Sym{
	{0, "RLIMIT_CPU"}, {1, "RLIMIT_FSIZE"}, {2, "RLIMIT_DATA"}, {3, "RLIMIT_STACK"},
	{4, "RLIMIT_CORE"}, {5, "RLIMIT_RSS"}, {6, "RLIMIT_NPROC"}, {7, "RLIMIT_NOFILE"},
	{8, "RLIMIT_MEMLOCK"}, {9, "RLIMIT_AS"}, {10, "RLIMIT_LOCKS"}, {11, "RLIMIT_SIGPENDING"},
	{12, "RLIMIT_MSGQUEUE"}, {13, "RLIMIT_NICE"}, {14, "RLIMIT_RTPRIO"}, {15, "RLIMIT_RTTIME"},
}}

// GetrandomFlags are getrandom's flags.
var GetrandomFlags = &Flags{Bits: []Sym{{1, "GRND_NONBLOCK"}, {2, "GRND_RANDOM"}, {4, "GRND_INSECURE"}}}

// Miscellaneous formats.
var (
	FmtArchPrctlCode = &Format{Name: "enum", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VEnum, N: uint64(uint32(x.arg(i))), Syms: ArchPrctlCodes}
	}}
	FmtRlimitResource = &Format{Name: "enum", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VEnum, N: uint64(uint32(x.arg(i))), Syms: RlimitResources}
	}}
	// FmtRlimit64 is a struct rlimit64 the call reads.
	FmtRlimit64 = &Format{Name: "rlimit", Decode: func(x *ctx, i int) event.Value {
		return x.rlimit64(x.word(x.arg(i)))
	}}
	// FmtRlimit64Out is a struct rlimit64 the call fills.
	FmtRlimit64Out = &Format{Name: "rlimit", Out: true, Decode: func(x *ctx, i int) event.Value {
		addr := x.word(x.arg(i))
		if x.failed() {
			return event.Ptr(addr)
		}
		return x.rlimit64(addr)
	}}
	FmtGetrandomFlags = &Format{Name: "flags", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VFlags, N: uint64(uint32(x.arg(i))), Syms: GetrandomFlags}
	}}
)

// rlimit64 decodes a struct rlimit64 {rlim_cur, rlim_max}.
func (x *ctx) rlimit64(addr uint64) event.Value {
	if addr == 0 {
		return event.Ptr(0)
	}
	raw, ok := x.readFull(addr, 16)
	if !ok {
		return event.Fault(addr)
	}
	return event.Value{Kind: event.VStruct, Elems: []event.Value{
		event.Field("rlim_cur", rlim(le(raw).u64(0))),
		event.Field("rlim_max", rlim(le(raw).u64(8))),
	}}
}

// rlim prints a limit as strace does: RLIM64_INFINITY, or 8192*1024.
func rlim(v uint64) event.Value {
	switch {
	case v == ^uint64(0):
		return event.Text("RLIM64_INFINITY")
	case v > 1024 && v%1024 == 0:
		return event.Text(strconv.FormatUint(v/1024, 10) + "*1024")
	}
	return event.Uint(v)
}

// timestamp renders seconds since the epoch with strace's comment:
// 1700000000 /* 2023-11-14T22:13:20.123456789+0000 */.
func timestamp(sec, nsec int64) event.Value {
	v := event.Int(sec)
	v.Comment = time.Unix(sec, nsec).Format("2006-01-02T15:04:05.000000000-0700")
	return v
}
