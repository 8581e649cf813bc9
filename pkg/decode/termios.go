package decode

import (
	"github.com/gtrace/gtrace/pkg/event"
)

// Terminal flags (x86 values), in the order strace prints them.
var (
	TermInputFlags = &Flags{Bits: []Sym{
		{0o1, "IGNBRK"}, {0o2, "BRKINT"}, {0o4, "IGNPAR"}, {0o10, "PARMRK"}, {0o20, "INPCK"},
		{0o40, "ISTRIP"}, {0o100, "INLCR"}, {0o200, "IGNCR"}, {0o400, "ICRNL"}, {0o1000, "IUCLC"},
		{0o2000, "IXON"}, {0o4000, "IXANY"}, {0o10000, "IXOFF"}, {0o20000, "IMAXBEL"},
		{0o40000, "IUTF8"},
	}}
	TermOutputFlags = &Flags{Bits: []Sym{
		{0o1, "OPOST"}, {0o2, "OLCUC"}, {0o4, "ONLCR"}, {0o10, "OCRNL"}, {0o20, "ONOCR"},
		{0o40, "ONLRET"}, {0o100, "OFILL"}, {0o200, "OFDEL"},
	}}
	TermControlFlags = &Flags{Bits: []Sym{
		{0o100, "CSTOPB"}, {0o200, "CREAD"}, {0o400, "PARENB"}, {0o1000, "PARODD"},
		{0o2000, "HUPCL"}, {0o4000, "CLOCAL"}, {0o10000000000, "CMSPAR"}, {0o20000000000, "CRTSCTS"},
	}}
	TermLocalFlags = &Flags{Bits: []Sym{
		{0o1, "ISIG"}, {0o2, "ICANON"}, {0o4, "XCASE"}, {0o10, "ECHO"}, {0o20, "ECHOE"},
		{0o40, "ECHOK"}, {0o100, "ECHONL"}, {0o200, "NOFLSH"}, {0o100000, "IEXTEN"},
		{0o1000, "ECHOCTL"}, {0o2000, "ECHOPRT"}, {0o4000, "ECHOKE"}, {0o10000, "FLUSHO"},
		{0o40000, "PENDIN"}, {0o400, "TOSTOP"}, {0o200000, "EXTPROC"},
	}}
)

// termField is a multi-bit field of a terminal flag word: c_oflag's
// delays, c_cflag's speed and character size.
type termField struct {
	mask uint64
	syms []Sym
	dflt string // printed for an unnamed value: "NL?"
}

var (
	termOutputDelays = []termField{
		{0o400, []Sym{{0, "NL0"}, {0o400, "NL1"}}, "NL?"},
		{0o3000, []Sym{{0, "CR0"}, {0o1000, "CR1"}, {0o2000, "CR2"}, {0o3000, "CR3"}}, "CR?"},
		{0o14000, []Sym{{0, "TAB0"}, {0o4000, "TAB1"}, {0o10000, "TAB2"}, {0o14000, "XTABS"}}, "TAB?"},
		{0o20000, []Sym{{0, "BS0"}, {0o20000, "BS1"}}, "BS?"},
		{0o40000, []Sym{{0, "VT0"}, {0o40000, "VT1"}}, "VT?"},
		{0o100000, []Sym{{0, "FF0"}, {0o100000, "FF1"}}, "FF?"},
	}
	baudRates = []Sym{
		{0, "B0"}, {1, "B50"}, {2, "B75"}, {3, "B110"}, {4, "B134"}, {5, "B150"}, {6, "B200"},
		{7, "B300"}, {0o10, "B600"}, {0o11, "B1200"}, {0o12, "B1800"}, {0o13, "B2400"},
		{0o14, "B4800"}, {0o15, "B9600"}, {0o16, "B19200"}, {0o17, "B38400"}, {0o10000, "BOTHER"},
		{0o10001, "B57600"}, {0o10002, "B115200"}, {0o10003, "B230400"}, {0o10004, "B460800"},
		{0o10005, "B500000"}, {0o10006, "B576000"}, {0o10007, "B921600"}, {0o10010, "B1000000"},
		{0o10011, "B1152000"}, {0o10012, "B1500000"}, {0o10013, "B2000000"}, {0o10014, "B2500000"},
		{0o10015, "B3000000"}, {0o10016, "B3500000"}, {0o10017, "B4000000"},
	}
	charSizes = []Sym{{0, "CS5"}, {0o20, "CS6"}, {0o40, "CS7"}, {0o60, "CS8"}}
)

const (
	cbaud   = 0o10017
	cibaud  = 0o2003600000
	ibshift = 16
	csize   = 0o60
)

// LineDisciplines names c_line.
var LineDisciplines = &Enum{Unknown: "N_???", Syms: []Sym{
	{0, "N_TTY"}, {1, "N_SLIP"}, {2, "N_MOUSE"}, {3, "N_PPP"}, {4, "N_STRIP"}, {5, "N_AX25"},
	{6, "N_X25"}, {7, "N_6PACK"}, {8, "N_MASC"}, {9, "N_R3964"}, {10, "N_PROFIBUS_FDL"},
	{11, "N_IRDA"}, {12, "N_SMSBLOCK"}, {13, "N_HDLC"}, {14, "N_SYNC_PPP"}, {15, "N_HCI"},
	{16, "N_GIGASET_M101"}, {17, "N_SLCAN"}, {18, "N_PPS"}, {19, "N_V253"}, {20, "N_CAIF"},
	{21, "N_GSM0710"}, {22, "N_TI_WL"}, {23, "N_TRACESINK"}, {24, "N_TRACEROUTER"}, {25, "N_NCI"},
	{26, "N_SPEAKUP"}, {27, "N_NULL"}, {28, "N_MCTP"}, {29, "N_DEVELOPMENT"}, {30, "N_CAN327"},
}}

// controlChars names c_cc's indexes.
var controlChars = []string{
	"VINTR", "VQUIT", "VERASE", "VKILL", "VEOF", "VTIME", "VMIN", "VSWTC", "VSTART", "VSTOP",
	"VSUSP", "VEOL", "VREPRINT", "VDISCARD", "VWERASE", "VLNEXT", "VEOL2",
}

// termFlagWord renders a terminal flag word as strace does: the named
// fields, then the flags; a word with no flags prints as nothing at all.
type termFlagWord struct {
	fields []termField
	flags  *Flags
	baud   bool // c_cflag: the speeds and the character size lead
}

var (
	termIflag = &termFlagWord{flags: TermInputFlags}
	termOflag = &termFlagWord{fields: termOutputDelays, flags: TermOutputFlags}
	termCflag = &termFlagWord{baud: true, flags: TermControlFlags}
	termLflag = &termFlagWord{flags: TermLocalFlags}
)

func (w *termFlagWord) AppendSym(b []byte, v uint64, style event.XlatStyle) []byte {
	if style == event.XlatRaw {
		return event.AppendHex(b, v)
	}
	// Each field is followed by '|', even when no flags follow: strace
	// prints c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0| for raw output.
	field := func(val uint64, syms []Sym, dflt string) {
		name := symName(syms, val)
		if name != "" && style == event.XlatAbbrev {
			b = append(b, name...)
			return
		}
		if name == "" {
			name = dflt
		}
		b = event.AppendHex(b, val)
		b = append(b, " /* "...)
		b = append(b, name...)
		b = append(b, " */"...)
	}
	shift := "<<IBSHIFT|"
	if style == event.XlatVerbose {
		shift = "<<0x10 /* IBSHIFT */|"
	}
	for _, f := range w.fields {
		field(v&f.mask, f.syms, f.dflt)
		b = append(b, '|')
		v &^= f.mask
	}
	if w.baud {
		field(v&cbaud, baudRates, "B???")
		b = append(b, '|')
		if ib := v & cibaud; ib != 0 {
			field(ib>>ibshift, baudRates, "B???")
			b = append(b, shift...)
		}
		field(v&csize, charSizes, "CS?")
		b = append(b, '|')
		v &^= cbaud | cibaud | csize
	}
	if v == 0 {
		return b
	}
	return w.flags.AppendSym(b, v, style)
}

func (w *termFlagWord) Names(v uint64) ([]string, uint64) { return w.flags.Names(v) }

// termLayout is where a terminal struct keeps its fields.
type termLayout struct {
	size     int
	flagSize int // c_iflag and the three others: 4 bytes, or termio's 2
	line, cc int
	ccLen    int
	speeds   bool // termios2's c_ispeed and c_ospeed follow c_cc
}

var (
	termiosLayout  = termLayout{size: 36, flagSize: 4, line: 16, cc: 17, ccLen: 19}
	termios2Layout = termLayout{size: 44, flagSize: 4, line: 16, cc: 17, ccLen: 19, speeds: true}
	termioLayout   = termLayout{size: 18, flagSize: 2, line: 8, cc: 9, ccLen: 8}
)

// termios decodes a struct termios, termios2 or termio: its flags, and
// with -v its line discipline, control characters and speeds.
func (x *ctx) termios(addr uint64, l termLayout) event.Value {
	b, ok := x.readFull(addr, l.size)
	if !ok {
		return event.Ptr(addr)
	}
	r := le(b)
	flag := func(i int) uint64 {
		if l.flagSize == 2 {
			return r.u16(2 * i)
		}
		return r.u32(4 * i)
	}
	v := x.termFlags(flag(0), flag(1), flag(2), flag(3))
	if !x.verbose() {
		v.Trunc = true
		return v
	}
	v.Elems = append(v.Elems,
		event.Field("c_line", event.Value{Kind: event.VEnum, N: r.u8(l.line), Syms: LineDisciplines}),
		event.Field("c_cc", controlCharsValue(b[l.cc:l.cc+l.ccLen])))
	if l.speeds {
		v.Elems = append(v.Elems,
			event.Field("c_ispeed", event.Uint(r.u32(36))),
			event.Field("c_ospeed", event.Uint(r.u32(40))))
	}
	return v
}

func (x *ctx) termFlags(i, o, c, l uint64) event.Value {
	return event.Value{Kind: event.VStruct, Elems: []event.Value{
		event.Field("c_iflag", event.Value{Kind: event.VFlags, N: i, Syms: termIflag}),
		event.Field("c_oflag", event.Value{Kind: event.VFlags, N: o, Syms: termOflag}),
		event.Field("c_cflag", event.Value{Kind: event.VFlags, N: c, Syms: termCflag}),
		event.Field("c_lflag", event.Value{Kind: event.VFlags, N: l, Syms: termLflag}),
	}}
}

// controlCharsValue renders c_cc: [[VINTR]=0x3, ..., [17]=0].
func controlCharsValue(cc []byte) event.Value {
	v := event.Value{Kind: event.VArray}
	for i, c := range cc {
		idx := itoa(i)
		if i < len(controlChars) {
			idx = controlChars[i]
		}
		v.Elems = append(v.Elems, event.Text("["+idx+"]="+string(event.AppendHex(nil, uint64(c)))))
	}
	return v
}

// winsize decodes a struct winsize.
func (x *ctx) winsize(addr uint64) event.Value {
	b, ok := x.readFull(addr, 8)
	if !ok {
		return event.Ptr(addr)
	}
	r := le(b)
	return event.Value{Kind: event.VStruct, Elems: []event.Value{
		event.Field("ws_row", event.Uint(r.u16(0))),
		event.Field("ws_col", event.Uint(r.u16(2))),
		event.Field("ws_xpixel", event.Uint(r.u16(4))),
		event.Field("ws_ypixel", event.Uint(r.u16(6))),
	}}
}
