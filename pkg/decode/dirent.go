package decode

import (
	"strconv"

	"github.com/gtrace/gtrace/pkg/event"
)

// DirentTypes name a directory entry's d_type.
var DirentTypes = &Enum{Unknown: "DT_???", Syms: []Sym{
	{0, "DT_UNKNOWN"}, {1, "DT_FIFO"}, {2, "DT_CHR"}, {4, "DT_DIR"}, {6, "DT_BLK"}, {8, "DT_REG"},
	{0xa, "DT_LNK"}, {0xc, "DT_SOCK"}, {0xe, "DT_WHT"},
}}

// direntLayout says where struct linux_dirent and linux_dirent64 keep
// their fields.
type direntLayout struct {
	reclen, name int
	// typeLast: the type is the last byte of the record (linux_dirent),
	// not a field before the name (linux_dirent64).
	typeLast bool
}

var (
	dirent64 = direntLayout{reclen: 16, name: 19}
	direntV1 = direntLayout{reclen: 16, name: 18, typeLast: true}
)

// Directory formats.
var (
	FmtDirents64 = outFmt("dirent64", func(x *ctx, addr uint64) event.Value { return x.dirents(addr, dirent64) })
	FmtDirents   = outFmt("dirent", func(x *ctx, addr uint64) event.Value { return x.dirents(addr, direntV1) })
)

// dirents decodes the entries getdents returned: their count in a
// comment, or with -v each entry.
func (x *ctx) dirents(addr uint64, l direntLayout) event.Value {
	n := min(uint64(x.ret()), maxArrayBytes)
	counted := event.Hex(addr)
	if n == 0 {
		if x.verbose() {
			return event.Value{Kind: event.VArray}
		}
		counted.Comment = "0 entries"
		return counted
	}
	b := le(x.read(addr, int(n)))
	if len(b) < int(n) {
		return event.Fault(addr)
	}
	var list []event.Value
	count := 0
	for off := 0; off+l.name <= len(b); count++ {
		reclen := int(b.u16(off + l.reclen))
		if reclen < l.name || off+reclen > len(b) {
			break
		}
		if x.verbose() {
			list = append(list, x.dirent(b[off:off+reclen], l))
		}
		off += reclen
	}
	if !x.verbose() {
		counted.Comment = strconv.Itoa(count) + " entries"
		if count == 1 {
			counted.Comment = "1 entry"
		}
		return counted
	}
	return event.Value{Kind: event.VArray, Elems: list}
}

// dirent decodes one directory entry.
func (x *ctx) dirent(rec le, l direntLayout) event.Value {
	name := cstringIn(rec[l.name:])
	v := strct(
		event.Field("d_ino", event.Uint(rec.u64(0))),
		event.Field("d_off", event.Uint(rec.u64(8))),
		event.Field("d_reclen", event.Uint(rec.u16(l.reclen))))
	if l.typeLast {
		return strct(append(v.Elems, event.Field("d_name", name),
			event.Field("d_type", enumVal(rec.u8(len(rec)-1), DirentTypes)))...)
	}
	return strct(append(v.Elems, event.Field("d_type", enumVal(rec.u8(18), DirentTypes)),
		event.Field("d_name", name))...)
}
