package decode

import (
	"strconv"

	"github.com/gtrace/gtrace/pkg/event"
)

// Sym names one constant.
type Sym struct {
	Val  uint64
	Name string
}

// Flags is a named bit set, printed as strace prints flags: names in table
// order joined with '|', unknown bits appended in hex, never dropped.
type Flags struct {
	Bits []Sym
	// FieldMask selects low bits that hold an enumerated field rather than
	// flags (O_ACCMODE in open flags); Field names its values and is
	// printed first.
	FieldMask uint64
	Field     []Sym
	// Zero is printed for a value with no bits set, when not empty;
	// otherwise 0.
	Zero string
}

// AppendSym implements event.Symbols.
func (f *Flags) AppendSym(b []byte, v uint64, style event.XlatStyle) []byte {
	if style == event.XlatRaw {
		return event.AppendHex(b, v)
	}
	if style == event.XlatVerbose {
		b = event.AppendHex(b, v)
		if v == 0 && f.Zero == "" && f.FieldMask == 0 {
			return b
		}
		b = append(b, " /* "...)
		b = f.appendNames(b, v)
		return append(b, " */"...)
	}
	return f.appendNames(b, v)
}

func (f *Flags) appendNames(b []byte, v uint64) []byte {
	start := len(b)
	sep := func() {
		if len(b) > start {
			b = append(b, '|')
		}
	}
	rest := v
	if f.FieldMask != 0 {
		field := v & f.FieldMask
		rest &^= f.FieldMask
		if name := symName(f.Field, field); name != "" {
			b = append(b, name...)
		} else {
			b = event.AppendHex(b, field)
		}
	}
	for _, s := range f.Bits {
		if s.Val != 0 && rest&s.Val == s.Val {
			sep()
			b = append(b, s.Name...)
			rest &^= s.Val
		}
	}
	if rest != 0 {
		sep()
		b = event.AppendHex(b, rest)
	}
	if len(b) == start {
		if f.Zero != "" {
			return append(b, f.Zero...)
		}
		return append(b, '0')
	}
	return b
}

// Names implements event.Symbols.
func (f *Flags) Names(v uint64) ([]string, uint64) {
	var names []string
	rest := v
	if f.FieldMask != 0 {
		if name := symName(f.Field, v&f.FieldMask); name != "" {
			names = append(names, name)
			rest &^= f.FieldMask
		}
	}
	for _, s := range f.Bits {
		if s.Val != 0 && rest&s.Val == s.Val {
			names = append(names, s.Name)
			rest &^= s.Val
		}
	}
	if v == 0 && f.Zero != "" {
		names = append(names, f.Zero)
	}
	return names, rest
}

// Enum is a set of named constants, one of which a value takes.
type Enum struct {
	Syms []Sym
	// Unknown names the family in strace's comment for unnamed values,
	// "AF_???" say; empty prints unnamed values as bare numbers.
	Unknown string
	// Decimal prints unnamed values in decimal instead of hex.
	Decimal bool
}

// AppendSym implements event.Symbols.
func (e *Enum) AppendSym(b []byte, v uint64, style event.XlatStyle) []byte {
	name := symName(e.Syms, v)
	switch {
	case style == event.XlatRaw || (name == "" && e.Unknown == ""):
		return e.appendNum(b, v)
	case name == "":
		b = e.appendNum(b, v)
		return append(append(append(b, " /* "...), e.Unknown...), " */"...)
	case style == event.XlatVerbose:
		b = e.appendNum(b, v)
		return append(append(append(b, " /* "...), name...), " */"...)
	}
	return append(b, name...)
}

func (e *Enum) appendNum(b []byte, v uint64) []byte {
	if e.Decimal {
		return strconv.AppendInt(b, int64(v), 10)
	}
	return event.AppendHex(b, v)
}

// Names implements event.Symbols.
func (e *Enum) Names(v uint64) ([]string, uint64) {
	if name := symName(e.Syms, v); name != "" {
		return []string{name}, 0
	}
	return nil, v
}

// Name returns the name of v, or "".
func (e *Enum) Name(v uint64) string { return symName(e.Syms, v) }

func symName(syms []Sym, v uint64) string {
	for _, s := range syms {
		if s.Val == v {
			return s.Name
		}
	}
	return ""
}

// styled is a value strace prints as text of its own (S_IFREG|0644,
// makedev(0x1, 0x3), UTIME_NOW, IPC_PRIVATE) in its default style, as the
// plain value under -X raw, and as both, the text in a comment, under -X
// verbose.
type styled struct {
	text string
	raw  event.Value
}

func styledVal(text string, raw event.Value) event.Value {
	return event.Value{Kind: event.VEnum, N: raw.N, Syms: &styled{text, raw}}
}

// AppendSym implements event.Symbols.
func (s *styled) AppendSym(b []byte, _ uint64, style event.XlatStyle) []byte {
	switch style {
	case event.XlatRaw:
		return s.raw.AppendStrace(b, &event.Style{Xlat: style})
	case event.XlatVerbose:
		b = s.raw.AppendStrace(b, &event.Style{Xlat: style})
		return append(append(append(b, " /* "...), s.text...), " */"...)
	}
	return append(b, s.text...)
}

// Names implements event.Symbols.
func (s *styled) Names(uint64) ([]string, uint64) { return []string{s.text}, 0 }

// seq is a value made of parts each printed in the -X style, one after
// the other: clone's flags|signal, an IPC call's flags|mode.
type seq []event.Value

func seqVal(parts ...event.Value) event.Value {
	return event.Value{Kind: event.VFlags, Syms: seq(parts)}
}

// AppendSym implements event.Symbols.
func (s seq) AppendSym(b []byte, _ uint64, style event.XlatStyle) []byte {
	st := event.Style{Xlat: style}
	for i := range s {
		b = s[i].AppendStrace(b, &st)
	}
	return b
}

// Names implements event.Symbols.
func (s seq) Names(uint64) ([]string, uint64) {
	var names []string
	for i := range s {
		if s[i].Syms != nil {
			n, _ := s[i].Syms.Names(s[i].N)
			names = append(names, n...)
		}
	}
	return names, 0
}

// orSep joins the parts of a seq.
var orSep = event.Text("|")
