package decode

import "github.com/gtrace/gtrace/pkg/event"

// maxHandleSize bounds struct file_handle's f_handle (MAX_HANDLE_SZ).
const maxHandleSize = 128

// fileHandle decodes struct file_handle {handle_bytes, handle_type,
// f_handle[handle_bytes]}; entryBytes, when not negative, is the size
// the caller offered, shown as "128 => 8" when the kernel changed it.
func (x *ctx) fileHandle(addr uint64, entryBytes int64) event.Value {
	b, v, ok := x.fetch(addr, 8)
	if !ok {
		return v
	}
	n := b.u32(0)
	size := event.Uint(n)
	if entryBytes >= 0 && uint64(entryBytes) != n {
		size = event.Text(itoa(int(entryBytes)) + " => " + itoa(int(n)))
	}
	v = strct(event.Field("handle_bytes", size), event.Field("handle_type", event.Int(b.s32(4))))
	if n <= maxHandleSize {
		if h, ok := x.readFull(addr+8, int(n)); ok || n == 0 {
			s := event.Str(h, false)
			s.Quote |= event.QuoteForceHex
			v.Elems = append(v.Elems, event.Field("f_handle", s))
		}
	}
	return v
}

// FmtFileHandle is the struct file_handle open_by_handle_at reads.
var FmtFileHandle = inFmt("file_handle", func(x *ctx, addr uint64) event.Value { return x.fileHandle(addr, -1) })

// decodeNameToHandleAt prints name_to_handle_at: the handle and mount id
// the kernel fills are shown at exit, the handle with the size the
// caller offered ({handle_bytes=128 => 8, ...}).
func decodeNameToHandleAt(x *ctx) {
	x.push("dirfd", 0, x.fd(int64(int32(x.arg(0)))))
	x.push("pathname", 1, x.cstring(x.word(x.arg(1)), pathMax))
	x.pushOut("handle", 2, "")
	if b, _, ok := x.fetch(x.word(x.arg(2)), 4); ok {
		x.call.Args[len(x.call.Args)-1].Val = event.Uint(b.u32(0))
	}
	x.pushOut("mount_id", 3, "")
	x.push("flags", 4, flagsVal(uint64(uint32(x.arg(4))), AtFlags))
}

func nameToHandleAtExit(x *ctx) {
	h, m := &x.call.Args[2], &x.call.Args[3]
	offered := int64(-1)
	if h.Val.Kind == event.VUint {
		offered = int64(h.Val.N)
	}
	addr := x.word(x.arg(2))
	switch {
	case !x.failed():
		h.Val = x.fileHandle(addr, offered)
	case offered >= 0:
		h.Val = strct(event.Field("handle_bytes", event.Uint(uint64(offered))))
	default:
		h.Val = event.Ptr(addr)
	}
	m.Val = x.out(x.word(x.arg(3)), (*ctx).intPtr)
}
