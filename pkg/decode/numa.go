package decode

import (
	"strconv"

	"github.com/gtrace/gtrace/pkg/event"
)

// Memory policy tables.
var (
	MempolicyModes = &Enum{Unknown: "MPOL_???", Syms: []Sym{
		{0, "MPOL_DEFAULT"}, {1, "MPOL_PREFERRED"}, {2, "MPOL_BIND"}, {3, "MPOL_INTERLEAVE"},
		{4, "MPOL_LOCAL"}, {5, "MPOL_PREFERRED_MANY"},
	}}
	MempolicyModeFlags = &Flags{Bits: []Sym{{0x8000, "MPOL_F_STATIC_NODES"}, {0x4000, "MPOL_F_RELATIVE_NODES"}, {0x2000, "MPOL_F_NUMA_BALANCING"}}}
	MbindFlags         = &Flags{Bits: []Sym{{1, "MPOL_MF_STRICT"}, {2, "MPOL_MF_MOVE"}, {4, "MPOL_MF_MOVE_ALL"}}}
	GetMempolicyFlags  = &Flags{Bits: []Sym{{1, "MPOL_F_NODE"}, {2, "MPOL_F_ADDR"}, {4, "MPOL_F_MEMS_ALLOWED"}}}
)

// mempolicyMode renders a policy with its mode flags:
// MPOL_BIND|MPOL_F_STATIC_NODES.
func mempolicyMode(v uint64) event.Value {
	if f := v &^ 0xff; f != 0 {
		return seqVal(enumVal(v&0xff, MempolicyModes), orSep, flagsVal(f, MempolicyModeFlags))
	}
	return enumVal(v, MempolicyModes)
}

// NUMA formats.
var (
	FmtMempolicyMode = &Format{Name: "mode", Decode: func(x *ctx, i int) event.Value { return mempolicyMode(uint64(uint32(x.arg(i)))) }}
	// FmtMempolicyModeOut is the policy get_mempolicy stores: [MPOL_BIND].
	FmtMempolicyModeOut = outFmt("mode", func(x *ctx, addr uint64) event.Value {
		return x.boxed32(addr, func(v uint32) event.Value { return mempolicyMode(uint64(v)) })
	})
	FmtMbindFlags        = flagsFmt(MbindFlags)
	FmtGetMempolicyFlags = flagsFmt(GetMempolicyFlags)
	// FmtNodemask and FmtNodemaskOut are a node mask the call reads or
	// fills; Aux is its size in bits.
	FmtNodemask    = inFmt("nodemask", func(x *ctx, addr uint64) event.Value { return x.nodemask(addr, x.word(x.auxArg())) })
	FmtNodemaskOut = outFmt("nodemask", func(x *ctx, addr uint64) event.Value { return x.nodemask(addr, x.word(x.auxArg())) })
)

// nodemask decodes a node mask of maxnode bits as strace does: its
// longs in zero-padded hex, [0000000000000001].
func (x *ctx) nodemask(addr, maxnode uint64) event.Value {
	ws := x.call.Arch.WordSize()
	if addr == 0 || maxnode == 0 {
		return event.Ptr(addr)
	}
	bits := uint64(8 * ws)
	return x.array(addr, (maxnode+bits-1)/bits, ws, func(b le) event.Value {
		return event.Text(zeroPaddedHex(b.word(0, ws), 2*ws))
	})
}

// zeroPaddedHex is C's "%#0*lx": width digits of zeros for 0, else 0x
// and the digits padded to width in all.
func zeroPaddedHex(v uint64, width int) string {
	d := strconv.FormatUint(v, 16)
	prefix := "0x"
	if v == 0 {
		prefix = ""
	}
	for len(prefix)+len(d) < width {
		d = "0" + d
	}
	return prefix + d
}

// move_pages formats: the pages, their target nodes and their status,
// one each per page (Aux: the count).
var (
	FmtPagePtrs = inFmt("pages", func(x *ctx, addr uint64) event.Value {
		ws := x.call.Arch.WordSize()
		return x.array(addr, x.word(x.auxArg()), ws, func(b le) event.Value { return event.Ptr(b.word(0, ws)) })
	})
	FmtInts = inFmt("int", func(x *ctx, addr uint64) event.Value { return x.ints(addr, x.word(x.auxArg())) })
	// FmtPageStatusOut is the node, or -errno, move_pages stores for
	// each page: [0, -EFAULT].
	FmtPageStatusOut = outFmt("int", func(x *ctx, addr uint64) event.Value {
		return x.array(addr, x.word(x.auxArg()), 4, func(b le) event.Value {
			if n := b.s32(0); n < 0 {
				if name := ErrnoName(int(-n)); name != "" {
					return event.Text("-" + name)
				}
			}
			return event.Int(b.s32(0))
		})
	})
)

func (x *ctx) ints(addr, n uint64) event.Value {
	return x.array(addr, n, 4, func(b le) event.Value { return event.Int(b.s32(0)) })
}
