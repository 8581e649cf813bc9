package decode

import (
	"bytes"
	"encoding/binary"

	"github.com/gtrace/gtrace/pkg/event"
)

const pageSize = 4096

// readBudget bounds the tracee memory one stop's decoding reads, whatever
// the arguments claim and however decoders nest (an array of messages of
// iovecs of buffers): past it, reads fail and show as addresses. A large
// -s raises it.
const readBudget = 1 << 20

// spend takes n bytes from the stop's read budget, or reports that they
// are not there.
func (x *ctx) spend(n int) bool {
	if x.spent+n > max(readBudget, 4*x.d.Opts.StrSize) {
		return false
	}
	x.spent += n
	return true
}

// read reads up to n bytes at addr. It returns what it could read, which
// is shorter than n when the rest is unreadable, and nil when nothing is.
func (x *ctx) read(addr uint64, n int) []byte {
	if addr == 0 || n <= 0 || x.mem == nil || !x.spend(n) {
		return nil
	}
	buf := make([]byte, n)
	got, _ := x.mem.Read(addr, buf)
	if got <= 0 {
		return nil
	}
	return buf[:got]
}

// readFull reads exactly n bytes at addr, or reports false.
func (x *ctx) readFull(addr uint64, n int) ([]byte, bool) {
	b := x.read(addr, n)
	return b, len(b) == n
}

// readCString reads a NUL-terminated string of at most max bytes at addr.
// It reads a page at a time, so a short string near the end of a mapping
// is read without touching the next page. trunc reports that the string
// goes on past max; ok is false when addr is unreadable.
func (x *ctx) readCString(addr uint64, max int) (s []byte, trunc, ok bool) {
	if addr == 0 || x.mem == nil {
		return nil, false, false
	}
	var out []byte
	for len(out) <= max {
		chunk := int(pageSize - (addr+uint64(len(out)))%pageSize)
		if want := max + 1 - len(out); chunk > want {
			chunk = want
		}
		if !x.spend(chunk) {
			return out, len(out) > 0, len(out) > 0
		}
		buf := make([]byte, chunk)
		got, _ := x.mem.Read(addr+uint64(len(out)), buf)
		if got <= 0 {
			if len(out) == 0 {
				return nil, false, false
			}
			// Unterminated before unreadable memory: show what we have.
			return out, true, true
		}
		if i := bytes.IndexByte(buf[:got], 0); i >= 0 {
			return append(out, buf[:i]...), false, true
		}
		out = append(out, buf[:got]...)
		if got < chunk {
			return out, true, true
		}
	}
	return out[:max], true, true
}

// fetch reads the n bytes of a struct at addr. When it cannot, it says
// so and returns what strace prints instead: NULL, or the address.
func (x *ctx) fetch(addr uint64, n int) (le, event.Value, bool) {
	if addr == 0 {
		return nil, event.Ptr(0), false
	}
	b, ok := x.readFull(addr, n)
	if !ok {
		return nil, event.Fault(addr), false
	}
	return le(b), event.Value{}, true
}

// wordChunk holds the part of a pointer array read so far: arrays are read
// up to the end of a page at a time, not a word per read (an environment
// of 35 variables is one read, not 36).
type wordChunk struct {
	start uint64
	data  le
}

// wordChunkSize bounds one read of a pointer array.
const wordChunkSize = 512

// arrayWord reads the long at addr, an element of a pointer array walked
// upwards, through c.
func (x *ctx) arrayWord(c *wordChunk, addr uint64) (uint64, bool) {
	ws := x.call.Arch.WordSize()
	if addr < c.start || addr-c.start+uint64(ws) > uint64(len(c.data)) {
		n := max(min(wordChunkSize, pageSize-int(addr%pageSize)), ws)
		c.start, c.data = addr, x.read(addr, n)
		if len(c.data) < ws {
			return 0, false
		}
	}
	return c.data.word(int(addr-c.start), ws), true
}

// le is a little-endian reader over a struct's bytes, for struct decoders.
type le []byte

func (b le) u8(off int) uint64  { return uint64(b[off]) }
func (b le) u16(off int) uint64 { return uint64(binary.LittleEndian.Uint16(b[off:])) }
func (b le) u32(off int) uint64 { return uint64(binary.LittleEndian.Uint32(b[off:])) }
func (b le) u64(off int) uint64 { return binary.LittleEndian.Uint64(b[off:]) }
func (b le) s32(off int) int64  { return int64(int32(binary.LittleEndian.Uint32(b[off:]))) }
func (b le) s64(off int) int64  { return int64(binary.LittleEndian.Uint64(b[off:])) }

// word reads a long of ws bytes (4 on i386, 8 on x86_64).
func (b le) word(off, ws int) uint64 {
	if ws == 4 {
		return b.u32(off)
	}
	return b.u64(off)
}

// SliceMemory is a Memory over a byte slice mapped at Base: the fake that
// decoder tests and fuzzers read from.
type SliceMemory struct {
	Base uint64
	Data []byte
}

// Read implements Memory.
func (m *SliceMemory) Read(addr uint64, p []byte) (int, error) {
	if addr < m.Base || addr-m.Base >= uint64(len(m.Data)) {
		return 0, errFault
	}
	return copy(p, m.Data[addr-m.Base:]), nil
}

type faultError struct{}

func (faultError) Error() string { return "bad address" }

var errFault error = faultError{}
