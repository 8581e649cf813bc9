package decode

import "github.com/gtrace/gtrace/pkg/event"

// CapVersions name struct __user_cap_header_struct's version.
var CapVersions = &Enum{Unknown: "_LINUX_CAPABILITY_VERSION_???", Syms: []Sym{
	{0x19980330, "_LINUX_CAPABILITY_VERSION_1"}, {0x20071026, "_LINUX_CAPABILITY_VERSION_2"},
	{0x20080522, "_LINUX_CAPABILITY_VERSION_3"},
}}

// CapBitsLow and CapBitsHigh are the two 32-bit words of a capability
// set: 1<<CAP_CHOWN|1<<CAP_KILL, then 1<<CAP_PERFMON.
var CapBitsLow, CapBitsHigh = capBits(0), capBits(32)

func capBits(from uint64) *Flags {
	f := &Flags{}
	for _, c := range Capabilities.Syms {
		if c.Val >= from && c.Val < from+32 {
			f.Bits = append(f.Bits, Sym{1 << (c.Val - from), "1<<" + c.Name})
		}
	}
	return f
}

// capSet renders a capability set as strace does: the low word's
// capabilities, then the high word's.
func capSet(lo, hi uint64) event.Value {
	switch {
	case hi == 0:
		return flagsVal(lo, CapBitsLow)
	case lo == 0:
		return flagsVal(hi, CapBitsHigh)
	}
	return seqVal(flagsVal(lo, CapBitsLow), orSep, flagsVal(hi, CapBitsHigh))
}

// Credential formats.
var (
	// FmtUidOut is a uid or gid the call stores: [0].
	FmtUidOut = outFmt("id", func(x *ctx, addr uint64) event.Value { return x.boxed32(addr, uidVal) })
	// FmtGroups is the group list setgroups reads; Aux is its length.
	FmtGroups = inFmt("gid_t", func(x *ctx, addr uint64) event.Value {
		return x.groups(addr, uint64(uint32(x.auxArg())))
	})
	// FmtGroupsOut is the list getgroups fills: as many as it returns.
	FmtGroupsOut = outFmt("gid_t", func(x *ctx, addr uint64) event.Value {
		return x.groups(addr, uint64(x.ret()))
	})
	FmtCapHeader = inFmt("cap_header", (*ctx).capHeader)
	// FmtCapData and FmtCapDataOut are the capability sets capset reads
	// and capget fills.
	FmtCapData    = inFmt("cap_data", (*ctx).capData)
	FmtCapDataOut = outFmt("cap_data", (*ctx).capData)
)

// uidVal is a uid or gid: -1 ("unchanged") prints as -1.
func uidVal(v uint32) event.Value {
	if v == ^uint32(0) {
		return event.Int(-1)
	}
	return event.Uint(uint64(v))
}

func (x *ctx) groups(addr, n uint64) event.Value {
	return x.array(addr, n, 4, func(b le) event.Value { return uidVal(uint32(b.u32(0))) })
}

// capHeader decodes struct __user_cap_header_struct {version, pid}.
func (x *ctx) capHeader(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 8)
	if !ok {
		return v
	}
	return strct(event.Field("version", enumVal(b.u32(0), CapVersions)), event.Field("pid", event.Int(b.s32(4))))
}

// capData decodes the capability sets: one struct
// __user_cap_data_struct for version 1, two (the high words) since.
func (x *ctx) capData(addr uint64) event.Value {
	hb, _, ok := x.fetch(x.word(x.arg(0)), 4)
	if !ok {
		return event.Ptr(addr)
	}
	n := 0
	switch hb.u32(0) {
	case 0x19980330:
		n = 1
	case 0x20071026, 0x20080522:
		n = 2
	default:
		return event.Ptr(addr)
	}
	b, v, ok := x.fetch(addr, 12*n)
	if !ok {
		return v
	}
	set := func(off int) event.Value {
		if n == 2 {
			return capSet(b.u32(off), b.u32(12+off))
		}
		return capSet(b.u32(off), 0)
	}
	return strct(event.Field("effective", set(0)), event.Field("permitted", set(4)), event.Field("inheritable", set(8)))
}
