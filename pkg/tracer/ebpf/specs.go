package ebpf

import (
	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
)

// Capture kinds of the BPF program (enum cap_kind in bpf/gtrace.c).
const (
	capString   = 1
	capBytes    = 2
	capBytesArg = 3
	capBytesRet = 4
	capPointers = 5
)

// archSlots is the number of spec slots per arch (ARCH_SLOTS): syscall
// nr of x86_64 is slot nr, of i386 slot archSlots+nr, and the last slot
// of each half stands for every number out of range.
const archSlots = 1024

// maxCaps is how many arguments of one syscall may have memory copied.
const maxCaps = 6

// Selection reports whether syscall nr of arch is traced; nil traces all.
type Selection func(arch event.Arch, nr int) bool

// specs builds the contents of the syscalls map: for every syscall slot,
// whether it is traced and which argument memory to copy. Only slots
// that trace something are returned; the others stay zero, "not
// traced", and cost the kernel side one lookup per call.
func specs(d *decode.Decoder, sel Selection) (keys []uint32, vals []gtraceSysspec) {
	for _, arch := range []event.Arch{event.ArchX86_64, event.ArchI386} {
		base := uint32(0)
		if arch == event.ArchI386 {
			base = archSlots
		}
		tbl := decode.TableFor(arch)
		for nr := range archSlots {
			if sel != nil && !sel(arch, nr) {
				continue
			}
			v := gtraceSysspec{Selected: 1}
			if sc := tbl.Lookup(nr); sc != nil && nr < archSlots-1 {
				fillCaps(&v, d.Captures(sc))
			}
			keys = append(keys, base+uint32(nr))
			vals = append(vals, v)
		}
	}
	return keys, vals
}

// fillCaps turns the decode table's captures into the BPF program's.
func fillCaps(v *gtraceSysspec, caps []decode.ArgCapture) {
	n := 0
	for _, c := range caps {
		kind, lenArg, strMax := uint8(0), uint8(0), uint32(0)
		switch c.Kind {
		case decode.CaptureString:
			kind = capString
		case decode.CaptureStruct:
			kind = capBytes
		case decode.CaptureBuffer:
			kind, lenArg = capBytesArg, uint8(c.Len)
		case decode.CaptureReturned:
			kind = capBytesRet
		case decode.CaptureStrings, decode.CaptureEnviron:
			kind, strMax = capPointers, uint32(c.StrMax)
		}
		if kind == 0 || n == maxCaps {
			continue
		}
		k := &v.Caps[n]
		n++
		k.Kind, k.Arg, k.LenArg, k.Max, k.StrMax = kind, uint8(c.Arg), lenArg, uint32(c.Max), strMax
		if c.Exit {
			k.Exit, v.ExitCaps = 1, 1
		} else {
			v.EntryCaps = 1
		}
	}
}
