package decode

import "github.com/gtrace/gtrace/pkg/event"

// Dumps: strace's -e read=SET and -e write=SET print, after the line of a
// call that read from or wrote to a descriptor in SET, all of the data
// in hex. Options.DumpReads and DumpWrites select the descriptors; the
// calls and the bytes dumped are strace's:
//
//   - a write is dumped even when it failed, from its arguments: the
//     length asked for, or each iovec's length until an empty one;
//   - a read only when it succeeded, up to the bytes it returned,
//     spread over the iovecs in order;
//   - sendmmsg and recvmmsg dump each message's buffers, up to its
//     msg_len, under a " = N buffers in vector I" head.

// FDSet selects descriptors (filter.FDSet is one).
type FDSet interface{ Has(fd int) bool }

// dumpLimit bounds the bytes dumped of one call, all its buffers
// together: strace dumps any length, a 64 KiB read at a time; gtrace
// keeps a call's data until it is printed, so past this it dumps no more
// and says how much it left out.
const dumpLimit = 16 << 20

// dumpChunk is one read of dumped data from the tracee.
const dumpChunk = 64 << 10

// dumpIO fills x.call.Dumps, at exit.
func (x *ctx) dumpIO() {
	o := &x.d.Opts
	if o.DumpReads == nil && o.DumpWrites == nil {
		return
	}
	fd := int(int32(x.arg(0)))
	if fd < 0 {
		return
	}
	addr, n := x.word(x.arg(1)), x.word(x.arg(2))
	if o.DumpWrites != nil && o.DumpWrites.Has(fd) {
		switch x.sc.Name {
		case "write", "pwrite64", "sendto", "mq_timedsend", "mq_timedsend_time64":
			x.dumpData(event.DumpData, 0, addr, n)
		case "writev", "pwritev", "pwritev2", "vmsplice":
			x.dumpIovecs(addr, n, unlimited)
		case "sendmsg":
			x.dumpMsghdr(addr, unlimited)
		case "sendmmsg":
			x.dumpMmsghdrs(addr)
		}
	}
	if x.failed() || o.DumpReads == nil || !o.DumpReads.Has(fd) {
		return
	}
	got := uint64(x.ret())
	switch x.sc.Name {
	case "read", "pread64", "recvfrom", "mq_timedreceive", "mq_timedreceive_time64":
		x.dumpData(event.DumpData, 0, addr, got)
	case "readv", "preadv", "preadv2":
		x.dumpIovecs(addr, n, got)
	case "recvmsg":
		x.dumpMsghdr(addr, got)
	case "recvmmsg", "recvmmsg_time64":
		x.dumpMmsghdrs(addr)
	}
}

// dumpData adds the n bytes at addr, as many as can be read and the
// call's bound leaves (Short counts those past the bound). A buffer of a
// vector keeps its head line when none can be read, as in strace; a lone
// buffer that cannot be read adds nothing.
func (x *ctx) dumpData(kind event.DumpKind, index, addr, n uint64) {
	if n == 0 {
		return
	}
	want := min(n, dumpLimit-x.dumped)
	var data []byte
	if addr != 0 && x.mem != nil && want > 0 {
		data = make([]byte, 0, want)
		for uint64(len(data)) < want {
			chunk := data[len(data):min(uint64(len(data))+dumpChunk, want)]
			got, _ := x.mem.Read(addr+uint64(len(data)), chunk)
			if got <= 0 {
				break
			}
			data = data[:len(data)+got]
			if got < len(chunk) {
				break
			}
		}
	}
	x.dumped += uint64(len(data))
	if len(data) == 0 && want > 0 && kind == event.DumpData {
		return
	}
	x.call.Dumps = append(x.call.Dumps, event.Dump{Kind: kind, Index: index, N: n, Data: data, Short: n - want})
}

// dumpIovecs adds the buffers of the count struct iovec at addr, data
// bytes in all, stopping at an empty one. An array that cannot be read
// whole (or claims more than a stop may read) dumps nothing, as in strace.
func (x *ctx) dumpIovecs(addr, count, data uint64) {
	ws := x.ws()
	if count == 0 || count > readBudget/uint64(iovecSize(ws)) {
		return
	}
	raw, ok := x.readFull(addr, int(count)*iovecSize(ws))
	if !ok {
		return
	}
	for i := 0; (i+1)*iovecSize(ws) <= len(raw); i++ {
		iov := le(raw[i*iovecSize(ws):])
		n := portion(&data, iov.wordAt(1, ws))
		if n == 0 {
			return
		}
		x.dumpData(event.DumpBuffer, uint64(i), iov.wordAt(0, ws), n)
	}
}

// dumpMsghdr adds the buffers of the struct msghdr at addr.
func (x *ctx) dumpMsghdr(addr, data uint64) {
	ws := x.ws()
	if b, ok := x.readFull(addr, msghdrSize(ws)); ok {
		x.dumpIovecs(le(b).wordAt(2, ws), le(b).wordAt(3, ws), data)
	}
}

// dumpMmsghdrs adds the buffers of the messages the call sent or
// received, the return value's count of struct mmsghdr at addr.
func (x *ctx) dumpMmsghdrs(addr uint64) {
	if x.failed() {
		return
	}
	ws := x.ws()
	size := mmsghdrSize(ws)
	raw := x.read(addr, int(min(uint64(x.ret()), iovMax))*size)
	for i := 0; (i+1)*size <= len(raw); i++ {
		m := le(raw[i*size:])
		iovlen := m.wordAt(3, ws)
		x.call.Dumps = append(x.call.Dumps, event.Dump{Kind: event.DumpVector, Index: uint64(i), N: iovlen})
		x.dumpIovecs(m.wordAt(2, ws), iovlen, m.u32(msghdrSize(ws)))
	}
}
