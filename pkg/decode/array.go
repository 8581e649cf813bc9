package decode

import "github.com/gtrace/gtrace/pkg/event"

// maxArrayBytes bounds what one array argument makes gtrace read, however
// many elements the call claims.
const maxArrayBytes = 1 << 20

// maxArrayElems bounds the elements shown even under -v, where strace
// shows them all: an element may be a struct that costs more reads.
const maxArrayElems = 4096

// maxArrayRead bounds the bytes read at once for an array.
const maxArrayRead = 64 << 10

// array decodes n elements of size bytes at addr as strace's print_array
// does: NULL, [] for none, the address alone when the first element is
// unreadable, "... /* 0xADDR */" where later ones are, and at most -s
// elements unless -v (and never more than maxArrayElems or maxArrayBytes).
// each renders one element from its bytes.
func (x *ctx) array(addr, n uint64, size int, each func(b le) event.Value) event.Value {
	if addr == 0 {
		return event.Ptr(0)
	}
	v := event.Value{Kind: event.VArray}
	if n == 0 {
		return v
	}
	sz := uint64(size)
	if n > ^uint64(0)/sz || addr+n*sz < addr {
		return event.Fault(addr)
	}
	show := n
	if !x.verbose() && uint64(x.d.Opts.MaxArray) < n {
		show = uint64(x.d.Opts.MaxArray)
	}
	if limit := min(uint64(maxArrayBytes)/sz, maxArrayElems); show > limit {
		show = limit
	}
	perRead := uint64(maxArrayRead) / sz
	if perRead == 0 {
		perRead = 1
	}
	for i := uint64(0); i < show; {
		chunk := min(show-i, perRead)
		at := addr + i*sz
		b := x.read(at, int(chunk*sz))
		got := uint64(len(b)) / sz
		for j := uint64(0); j < got; j++ {
			v.Elems = append(v.Elems, each(le(b[j*sz:(j+1)*sz])))
		}
		if got < chunk {
			if i+got == 0 {
				return event.Fault(addr)
			}
			more := event.Text("...")
			more.Comment = string(event.AppendHex(nil, at+got*sz))
			v.Elems = append(v.Elems, more)
			return v
		}
		i += chunk
	}
	v.Trunc = show < n
	return v
}

// int64Ptr decodes the 64-bit integer at addr as strace's printnum_int64:
// [42].
func (x *ctx) int64Ptr(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 8)
	if !ok {
		return v
	}
	return boxed(event.Int(b.s64(0)))
}

// kptrPtr decodes the pointer at addr as strace's printnum_kptr:
// [0x7f0000001000].
func (x *ctx) kptrPtr(addr uint64) event.Value {
	w, v, ok := x.fetchWord(addr)
	if !ok {
		return v
	}
	return boxed(event.Hex(w))
}

// ulongPtr decodes the unsigned long at addr: [24].
func (x *ctx) ulongPtr(addr uint64) event.Value {
	w, v, ok := x.fetchWord(addr)
	if !ok {
		return v
	}
	return boxed(event.Uint(w))
}

// fetchWord reads the long at addr, or says what strace prints instead.
func (x *ctx) fetchWord(addr uint64) (uint64, event.Value, bool) {
	ws := x.call.Arch.WordSize()
	b, v, ok := x.fetch(addr, ws)
	if !ok {
		return 0, v, false
	}
	return b.word(0, ws), event.Value{}, true
}

// uintPtr decodes the unsigned int at addr: [42].
func (x *ctx) uintPtr(addr uint64) event.Value {
	return x.boxed32(addr, func(v uint32) event.Value { return event.Uint(uint64(v)) })
}

// Pointer-to-number formats.
var (
	FmtIntPtr      = inFmt("int", (*ctx).intPtr)
	FmtIntPtrOut   = outFmt("int", (*ctx).intPtr)
	FmtUintPtrOut  = outFmt("uint", (*ctx).uintPtr)
	FmtKptrOut     = outFmt("ptr", (*ctx).kptrPtr)
	FmtUlongPtrOut = outFmt("ulong", (*ctx).ulongPtr)
	FmtInt64Ptr    = inFmt("int64", (*ctx).int64Ptr)
	FmtInt64PtrOut = outFmt("int64", (*ctx).int64Ptr)
	// FmtNone is an argument strace does not print (the high half of
	// preadv's offset, which x86_64 passes whole in the low one).
	FmtNone = &Format{Name: "none", Decode: func(*ctx, int) event.Value { return event.Value{} }}
)

// fixedArray is an array whose few elements were read with their struct
// (sysinfo's loads, pipe's descriptors), shown as strace's print_array
// shows any: at most -s of them unless verbose, then "...".
func (x *ctx) fixedArray(elems ...event.Value) event.Value {
	v := event.Value{Kind: event.VArray, Elems: elems}
	if !x.verbose() && len(elems) > x.d.Opts.MaxArray {
		v.Elems, v.Trunc = elems[:x.d.Opts.MaxArray], true
	}
	return v
}
