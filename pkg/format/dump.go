package format

import (
	"encoding/base64"
	"math/bits"
	"strconv"

	"github.com/gtrace/gtrace/pkg/event"
)

// AppendDump appends d as strace prints data after a call's line (-e
// read=, -e write=): a head line for a buffer of a vector or a message,
// then sixteen bytes a line, in hex and as ASCII, each line led by its
// offset in at least five hex digits.
func AppendDump(b []byte, d *event.Dump) []byte {
	switch d.Kind {
	case event.DumpVector:
		b = append(b, " = "...)
		b = strconv.AppendUint(b, d.N, 10)
		b = append(b, " buffers in vector "...)
		return append(strconv.AppendUint(b, d.Index, 10), '\n')
	case event.DumpBuffer:
		b = append(b, " * "...)
		b = strconv.AppendUint(b, d.N, 10)
		b = append(b, " bytes in buffer "...)
		b = append(strconv.AppendUint(b, d.Index, 10), '\n')
	}
	width := 5
	if d.N > 1<<20 {
		width = 1 + (bits.Len64(d.N-1)-1)/4
	}
	const digits = "0123456789abcdef"
	for off := 0; off < len(d.Data); off += 16 {
		line := d.Data[off:min(off+16, len(d.Data))]
		b = append(b, " | "...)
		o := strconv.FormatUint(uint64(off), 16)
		for range width - len(o) {
			b = append(b, '0')
		}
		b = append(b, o...)
		b = append(b, "  "...)
		for i := range 16 {
			if i < len(line) {
				b = append(b, digits[line[i]>>4], digits[line[i]&0xf], ' ')
			} else {
				b = append(b, "   "...)
			}
			if i%8 == 7 {
				b = append(b, ' ')
			}
		}
		for i := range 16 {
			switch {
			case i >= len(line):
				b = append(b, ' ')
			case line[i] >= ' ' && line[i] < 0x7f:
				b = append(b, line[i])
			default:
				b = append(b, '.')
			}
		}
		b = append(b, " |\n"...)
	}
	if d.Short > 0 {
		b = append(b, " | <"...)
		b = strconv.AppendUint(b, d.Short, 10)
		b = append(b, " more bytes not dumped> |\n"...)
	}
	return b
}

// appendDumps appends a call's dumps, each as AppendDump does.
func appendDumps(b []byte, ds []event.Dump) []byte {
	for i := range ds {
		b = AppendDump(b, &ds[i])
	}
	return b
}

// dumps writes a call's dumps as a JSON array: each has its kind
// ("data", "buffer" or "vector"), index, length and data in base64.
func (j *jsonw) dumps(ds []event.Dump) {
	j.key("dumps")
	j.openArray()
	for i := range ds {
		d := &ds[i]
		j.elem()
		j.open()
		j.str("kind", [...]string{"data", "buffer", "vector"}[d.Kind])
		j.uint("index", d.Index)
		j.uint("n", d.N)
		if d.Kind != event.DumpVector {
			j.str("data", base64.StdEncoding.EncodeToString(d.Data))
		}
		if d.Short > 0 {
			j.uint("short", d.Short)
		}
		j.close()
	}
	j.closeArray()
}
