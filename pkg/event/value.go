package event

import (
	"strconv"
	"strings"
)

// ValueKind is the shape of a decoded value. The set is closed: every
// formatter knows how to print each kind.
type ValueKind uint8

const (
	VNone   ValueKind = iota
	VInt              // signed decimal; N holds the int64 bits
	VUint             // unsigned decimal
	VHex              // unsigned hexadecimal, 0x-prefixed
	VOct              // octal with a leading 0, as file modes are printed
	VFD               // file descriptor; Text is its path or endpoint when known
	VStr              // a string or buffer from tracee memory; Bytes, Trunc
	VFlags            // a bit set, named by Syms
	VEnum             // one of a set of named constants, named by Syms
	VPtr              // an address: NULL or 0x...
	VStruct           // {name=value, ...}; Elems carry Name; Trunc adds ", ..."
	VArray            // [value, ...]; Trunc adds "..."
	VFault            // memory that could not be read: N is its address
	VText             // text already in strace's syntax
	VCall             // a function-call rendering: Text(Elems...), e.g. htons(80)
)

var valueKindNames = [...]string{
	VNone: "none", VInt: "int", VUint: "uint", VHex: "hex", VOct: "oct",
	VFD: "fd", VStr: "str", VFlags: "flags", VEnum: "enum", VPtr: "ptr",
	VStruct: "struct", VArray: "array", VFault: "fault", VText: "text", VCall: "call",
}

func (k ValueKind) String() string {
	if int(k) < len(valueKindNames) {
		return valueKindNames[k]
	}
	return "unknown"
}

// Quote options for VStr values.
const (
	// QuoteForceHex prints every byte as \xNN, as strace does for random
	// bytes.
	QuoteForceHex uint8 = 1 << iota
	// QuoteRaw prints the bytes with no quotes: the value is text that
	// gtrace itself produced and already escaped.
	QuoteRaw
)

// Value is one decoded value. Which fields matter depends on Kind.
type Value struct {
	Kind  ValueKind
	Quote uint8 // VStr: Quote* options
	Trunc bool  // VStr: more bytes existed; VStruct, VArray: more followed
	N     uint64
	Syms  Symbols // VFlags, VEnum
	Bytes []byte  // VStr
	Name  string  // field name inside a VStruct
	// Text is a VText's text, a VFD's path or endpoint, a VCall's
	// function name (not Name: a VCall can itself be a named field).
	Text  string
	Elems []Value // VStruct fields, VArray elements, VCall arguments
	// Comment is printed after the value as /* Comment */.
	Comment string
}

// XlatStyle is how named constants print (strace's -X).
type XlatStyle uint8

const (
	XlatAbbrev  XlatStyle = iota // names only
	XlatRaw                      // numbers only
	XlatVerbose                  // numbers with names in a comment
)

// Symbols gives names to the numbers of a flag set or enumeration.
type Symbols interface {
	// AppendSym appends v rendered in style, exactly as strace would.
	AppendSym(b []byte, v uint64, style XlatStyle) []byte
	// Names returns the names of v's parts and what is left unnamed.
	Names(v uint64) (names []string, rest uint64)
}

// Style is what strace's command-line flags change about printing.
type Style struct {
	Hex  int // 0 octal escapes; 1 (-x) hex for non-ASCII strings; 2 (-xx) all hex
	Xlat XlatStyle
	// Paint, when set, colours each rendered token. Nil leaves the text
	// exactly as strace prints it.
	Paint Painter
}

// Token is the part a piece of rendered text plays, for colouring.
type Token uint8

const (
	TokNone    Token = iota
	TokName          // a syscall's name
	TokNumber        // an integer in any base
	TokString        // a quoted string or buffer
	TokFD            // a file descriptor and its path
	TokConst         // a named constant or flag set
	TokPointer       // an address, NULL
	TokComment       // a /* comment */
	TokError         // a failed call's result and message
	TokSignal        // a signal's report
	TokPID           // a task's id prefix
	TokExit          // an exit or kill report
	TokTime          // a timestamp or duration

	NumTokens
)

// Painter colours tokens. Start and End append what goes before and after
// a token (terminal escape sequences, say) to b and return it.
type Painter interface {
	Start(b []byte, t Token) []byte
	End(b []byte, t Token) []byte
}

// kindTokens is the token each value kind renders as; containers are
// TokNone: their elements are painted one by one.
var kindTokens = [...]Token{
	VInt: TokNumber, VUint: TokNumber, VHex: TokNumber, VOct: TokNumber,
	VFD: TokFD, VStr: TokString, VFlags: TokConst, VEnum: TokConst,
	VPtr: TokPointer, VFault: TokPointer,
}

// Convenience constructors for the common kinds.

func Int(v int64) Value    { return Value{Kind: VInt, N: uint64(v)} }
func Uint(v uint64) Value  { return Value{Kind: VUint, N: v} }
func Hex(v uint64) Value   { return Value{Kind: VHex, N: v} }
func Oct(v uint64) Value   { return Value{Kind: VOct, N: v} }
func Ptr(v uint64) Value   { return Value{Kind: VPtr, N: v} }
func Fault(v uint64) Value { return Value{Kind: VFault, N: v} }
func Text(s string) Value  { return Value{Kind: VText, Text: s} }
func FD(fd int64) Value    { return Value{Kind: VFD, N: uint64(fd)} }
func Str(b []byte, trunc bool) Value {
	return Value{Kind: VStr, Bytes: b, Trunc: trunc}
}

// Field returns v named for use inside a VStruct.
func Field(name string, v Value) Value { v.Name = name; return v }

// Int64 is N read as a signed number.
func (v *Value) Int64() int64 { return int64(v.N) }

// AppendStrace appends v as strace prints it, coloured by st.Paint when
// that is set.
func (v *Value) AppendStrace(b []byte, st *Style) []byte {
	if st.Paint != nil {
		return v.appendPainted(b, st)
	}
	b = v.appendBare(b, st)
	if v.Comment != "" {
		b = append(b, " /* "...)
		b = append(b, v.Comment...)
		b = append(b, " */"...)
	}
	return b
}

// appendPainted is AppendStrace with each token wrapped by st.Paint.
func (v *Value) appendPainted(b []byte, st *Style) []byte {
	tok := TokNone
	if int(v.Kind) < len(kindTokens) {
		tok = kindTokens[v.Kind]
	}
	if tok != TokNone {
		b = st.Paint.Start(b, tok)
	}
	b = v.appendBare(b, st)
	if tok != TokNone {
		b = st.Paint.End(b, tok)
	}
	if v.Comment != "" {
		b = append(b, ' ')
		b = st.Paint.Start(b, TokComment)
		b = append(b, "/* "...)
		b = append(b, v.Comment...)
		b = append(b, " */"...)
		b = st.Paint.End(b, TokComment)
	}
	return b
}

func (v *Value) appendBare(b []byte, st *Style) []byte {
	switch v.Kind {
	case VNone:
		return b
	case VInt:
		return strconv.AppendInt(b, int64(v.N), 10)
	case VUint:
		return strconv.AppendUint(b, v.N, 10)
	case VHex:
		return AppendHex(b, v.N)
	case VOct:
		return AppendOctal(b, v.N)
	case VFD:
		if int64(v.N) == atFDCWD {
			b = appendAtFDCWD(b, st.Xlat)
		} else {
			b = strconv.AppendInt(b, int64(v.N), 10)
		}
		if v.Text != "" {
			// A deleted file's path ends in " (deleted)"; strace
			// puts the mark after the brackets.
			path, deleted := strings.CutSuffix(v.Text, " (deleted)")
			b = append(b, '<')
			b = appendEscapedPath(b, path)
			b = append(b, '>')
			if deleted {
				b = append(b, "(deleted)"...)
			}
		}
		return b
	case VStr:
		if v.Quote&QuoteRaw != 0 {
			return append(b, v.Bytes...)
		}
		b = AppendQuoted(b, v.Bytes, st.Hex, v.Quote&QuoteForceHex != 0)
		if v.Trunc {
			b = append(b, "..."...)
		}
		return b
	case VFlags, VEnum:
		if v.Syms == nil {
			return AppendHex(b, v.N)
		}
		return v.Syms.AppendSym(b, v.N, st.Xlat)
	case VPtr:
		if v.N == 0 {
			return append(b, "NULL"...)
		}
		return AppendHex(b, v.N)
	case VFault:
		return AppendHex(b, v.N)
	case VText:
		return append(b, v.Text...)
	case VStruct:
		b = append(b, '{')
		for i := range v.Elems {
			if i > 0 {
				b = append(b, ", "...)
			}
			e := &v.Elems[i]
			if e.Name != "" {
				b = append(b, e.Name...)
				b = append(b, '=')
			}
			b = e.AppendStrace(b, st)
		}
		if v.Trunc {
			if len(v.Elems) > 0 {
				b = append(b, ", "...)
			}
			b = append(b, "..."...)
		}
		return append(b, '}')
	case VArray:
		b = append(b, '[')
		for i := range v.Elems {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = v.Elems[i].AppendStrace(b, st)
		}
		if v.Trunc {
			if len(v.Elems) > 0 {
				b = append(b, ", "...)
			}
			b = append(b, "..."...)
		}
		return append(b, ']')
	case VCall:
		b = append(b, v.Text...)
		b = append(b, '(')
		for i := range v.Elems {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = v.Elems[i].AppendStrace(b, st)
		}
		return append(b, ')')
	}
	return b
}

const atFDCWD = -100

// appendAtFDCWD names the *at() calls' "current directory" in style.
func appendAtFDCWD(b []byte, style XlatStyle) []byte {
	switch style {
	case XlatRaw:
		return append(b, "-100"...)
	case XlatVerbose:
		return append(b, "-100 /* AT_FDCWD */"...)
	}
	return append(b, "AT_FDCWD"...)
}

// AppendHex appends v as 0x-prefixed lower-case hex, or 0 for zero, as
// strace's %#lx does.
func AppendHex(b []byte, v uint64) []byte {
	if v == 0 {
		return append(b, '0')
	}
	b = append(b, "0x"...)
	return strconv.AppendUint(b, v, 16)
}

// AppendOctal appends v as C's %#03o does: a leading 0, at least three
// digits ("000", "022", "0644").
func AppendOctal(b []byte, v uint64) []byte {
	var digits [23]byte
	d := strconv.AppendUint(digits[:0], v, 8)
	if v != 0 {
		b = append(b, '0')
		if len(d) < 2 {
			b = append(b, '0')
		}
		return append(b, d...)
	}
	return append(b, "000"...)
}

// appendEscapedPath appends a path for -y's <...>: printable bytes as they
// are, anything else hex-escaped, so no control byte reaches the terminal.
func appendEscapedPath(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c > '~' || c == '<' || c == '>' {
			b = append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&15])
			continue
		}
		b = append(b, c)
	}
	return b
}

const hexDigits = "0123456789abcdef"

// AppendQuoted appends s as a double-quoted C string the way strace quotes
// it: printable ASCII as is, the usual escapes for whitespace, octal for the
// rest (three digits when a digit follows). hexMode 1 (-x) switches the whole
// string to \xNN when it holds a byte that is neither printable nor
// whitespace; hexMode 2 (-xx) or forceHex always does.
func AppendQuoted(b []byte, s []byte, hexMode int, forceHex bool) []byte {
	useHex := forceHex || hexMode > 1
	if hexMode == 1 && !useHex {
		for _, c := range s {
			if c > '~' || (c < ' ' && (c < '\t' || c > '\r')) {
				useHex = true
				break
			}
		}
	}
	b = append(b, '"')
	if useHex {
		for _, c := range s {
			b = append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&15])
		}
		return append(b, '"')
	}
	for i, c := range s {
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\t':
			b = append(b, '\\', 't')
		case '\n':
			b = append(b, '\\', 'n')
		case '\v':
			b = append(b, '\\', 'v')
		case '\f':
			b = append(b, '\\', 'f')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			if c >= ' ' && c <= '~' {
				b = append(b, c)
				continue
			}
			b = append(b, '\\')
			if i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '7' {
				b = append(b, '0'+c>>6, '0'+(c>>3)&7)
			} else if c>>3 != 0 {
				if c>>6 != 0 {
					b = append(b, '0'+c>>6)
				}
				b = append(b, '0'+(c>>3)&7)
			}
			b = append(b, '0'+c&7)
		}
	}
	return append(b, '"')
}
