package format

import (
	"strconv"
	"unicode/utf8"
)

// jsonw builds JSON text by appending, without reflection: trace output
// is the hot path. It tracks only whether the next member needs a comma.
type jsonw struct {
	b     []byte
	first bool
}

func (w *jsonw) reset() { w.b, w.first = w.b[:0], true }

// begin starts a new top-level object of the given type, with the
// schema version.
func (w *jsonw) begin(typ string) {
	w.reset()
	w.open()
	w.int("v", SchemaVersion)
	w.str("type", typ)
}

// finish ends a top-level object and its line.
func (w *jsonw) finish() {
	w.close()
	w.b = append(w.b, '\n')
}

// sep writes the comma before a member or element that is not the first.
func (w *jsonw) sep() {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
}

func (w *jsonw) key(k string) {
	w.sep()
	w.b = appendJSONString(w.b, k)
	w.b = append(w.b, ':')
}

// open starts an object (as a member value, an element, or the top).
func (w *jsonw) open()  { w.b = append(w.b, '{'); w.first = true }
func (w *jsonw) close() { w.b = append(w.b, '}'); w.first = false }

func (w *jsonw) openArray()  { w.b = append(w.b, '['); w.first = true }
func (w *jsonw) closeArray() { w.b = append(w.b, ']'); w.first = false }

// elem prepares for an array element.
func (w *jsonw) elem() { w.sep() }

func (w *jsonw) str(k, v string) {
	w.key(k)
	w.b = appendJSONString(w.b, v)
}

func (w *jsonw) int(k string, v int64) {
	w.key(k)
	w.b = strconv.AppendInt(w.b, v, 10)
}

func (w *jsonw) uint(k string, v uint64) {
	w.key(k)
	w.b = strconv.AppendUint(w.b, v, 10)
}

func (w *jsonw) float(k string, v float64, prec int) {
	w.key(k)
	w.b = strconv.AppendFloat(w.b, v, 'f', prec, 64)
}

func (w *jsonw) bool(k string, v bool) {
	w.key(k)
	w.b = strconv.AppendBool(w.b, v)
}

const jsonHex = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Bytes that are not UTF-8
// become U+FFFD, so the output is always valid UTF-8, and every control
// character — C0, DEL and C1, which terminals may act on — is escaped, so
// tracee data cannot reach a terminal raw through a JSON trace either.
func appendJSONString[T ~string | ~[]byte](b []byte, s T) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\t':
				b = append(b, '\\', 't')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', jsonHex[c>>4], jsonHex[c&15])
			default:
				b = append(b, c)
			}
			continue
		}
		r, size := decodeRune(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r >= 0x80 && r < 0xa0:
			b = append(b, '\\', 'u', '0', '0', jsonHex[r>>4], jsonHex[r&15])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

func decodeRune[T ~string | ~[]byte](s T) (rune, int) {
	switch v := any(s).(type) {
	case string:
		return utf8.DecodeRuneInString(v)
	case []byte:
		return utf8.DecodeRune(v)
	}
	return utf8.DecodeRuneInString(string(s))
}
