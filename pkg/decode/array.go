package decode

import "github.com/gtrace/gtrace/pkg/event"

// maxArrayBytes bounds what one array argument makes gtrace read, however
// many elements the call claims.
const maxArrayBytes = 1 << 20

// maxArrayElems bounds the elements shown even under -v, where strace
// shows them all: an element may be a struct that costs more reads.
const maxArrayElems = 4096

// array decodes n elements of size bytes at addr as strace's print_array
// does: [e1, e2, ...], at most -s elements unless -v, and the address of
// the first element that cannot be read in its place.
func (x *ctx) array(addr, n uint64, size int, elem func(b le) event.Value) event.Value {
	if addr == 0 {
		return event.Ptr(0)
	}
	v := event.Value{Kind: event.VArray}
	if n == 0 {
		return v
	}
	if addr+n*uint64(size) < addr || n > 1<<40 {
		return event.Fault(addr)
	}
	show := n
	if max := uint64(x.d.Opts.MaxArray); !x.d.Opts.Verbose && show > max {
		show = max
	}
	if limit := min(uint64(maxArrayBytes/size), maxArrayElems); show > limit {
		show = limit
	}
	v.Trunc = show < n
	b := x.read(addr, int(show)*size)
	if len(b) < size {
		return event.Fault(addr)
	}
	got := uint64(len(b) / size)
	for i := range min(got, show) {
		v.Elems = append(v.Elems, elem(le(b[i*uint64(size):])))
	}
	if got < show {
		v.Elems = append(v.Elems, event.Fault(addr+got*uint64(size)))
		v.Trunc = false
	}
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
