package decode

import "github.com/gtrace/gtrace/pkg/event"

// AioCmds name struct iocb's aio_lio_opcode.
var AioCmds = &Enum{Unknown: "IOCB_CMD_???", Syms: []Sym{
	{0, "IOCB_CMD_PREAD"}, {1, "IOCB_CMD_PWRITE"}, {2, "IOCB_CMD_FSYNC"}, {3, "IOCB_CMD_FDSYNC"},
	{4, "IOCB_CMD_PREADX"}, {5, "IOCB_CMD_POLL"}, {6, "IOCB_CMD_NOOP"}, {7, "IOCB_CMD_PREADV"},
	{8, "IOCB_CMD_PWRITEV"},
}}

// Asynchronous I/O formats.
var (
	// FmtIoEventsOut are the events io_getevents stores: as many as it
	// returns.
	FmtIoEventsOut = outFmt("io_event", func(x *ctx, addr uint64) event.Value {
		return x.array(addr, uint64(x.ret()), 32, ioEvent)
	})
	// FmtIoEventOut is io_cancel's result event.
	FmtIoEventOut = outFmt("io_event", func(x *ctx, addr uint64) event.Value {
		b, v, ok := x.fetch(addr, 32)
		if !ok {
			return v
		}
		return ioEvent(b)
	})
	// FmtIocbs is io_submit's array of struct iocb pointers; Aux is its
	// length.
	FmtIocbs = inFmt("iocb", func(x *ctx, addr uint64) event.Value {
		ws := x.call.Arch.WordSize()
		return x.array(addr, x.word(x.auxArg()), ws, func(b le) event.Value { return x.iocb(b.word(0, ws)) })
	})
	FmtIocb = inFmt("iocb", (*ctx).iocb)
)

// ioEvent decodes struct io_event.
func ioEvent(b le) event.Value {
	return strct(event.Field("data", event.Hex(b.u64(0))), event.Field("obj", event.Hex(b.u64(8))),
		event.Field("res", event.Int(b.s64(16))), event.Field("res2", event.Int(b.s64(24))))
}

// iocb decodes struct iocb: the fields the operation uses.
func (x *ctx) iocb(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 64)
	if !ok {
		return v
	}
	op := b.u16(16)
	v = strct()
	add := func(name string, val event.Value) { v.Elems = append(v.Elems, event.Field(name, val)) }
	if d := b.u64(0); d != 0 {
		add("aio_data", event.Hex(d))
	}
	add("aio_lio_opcode", enumVal(op, AioCmds))
	if p := b.u16(18); p != 0 {
		add("aio_reqprio", event.Int(int64(int16(p))))
	}
	add("aio_fildes", x.fd(b.s32(20)))
	switch op {
	case 0, 1: // PREAD, PWRITE
		if op == 1 {
			add("aio_buf", x.buffer(b.u64(24), b.u64(32)))
		} else {
			add("aio_buf", event.Ptr(b.u64(24)))
		}
		add("aio_nbytes", event.Uint(b.u64(32)))
		add("aio_offset", event.Int(b.s64(40)))
	case 7, 8: // PREADV, PWRITEV
		add("aio_buf", x.iovec(b.u64(24), b.u64(32), ^uint64(0)))
		add("aio_offset", event.Int(b.s64(40)))
	}
	return v
}
