package decode

// Capture describes the tracee memory a Format reads, so that an engine
// which cannot read memory when it decodes (the eBPF engine decodes
// records after the fact) can copy those bytes at the syscall stop
// instead, and decode through a Memory over the copies. The address is
// always the argument's own register; a Format that reads memory and
// declares no Capture decodes as a fault under such an engine.
//
// Whether the bytes are copied at entry or at exit follows Format.Out.
type Capture struct {
	Kind CaptureKind
	// Size is the most bytes a Kind needs: a struct's size, a string's
	// longest length (without its NUL). 0 means the -s limit.
	Size int
}

// CaptureKind is the shape of the memory an argument points to.
type CaptureKind uint8

const (
	// CaptureNone: the Format reads no memory.
	CaptureNone CaptureKind = iota
	// CaptureString: a NUL-terminated string of at most Size bytes.
	CaptureString
	// CaptureStruct: Size bytes (the x86_64 size; i386 reads a prefix).
	CaptureStruct
	// CaptureBuffer: as many bytes as the argument named by the ArgSpec's
	// Aux says, at most Size.
	CaptureBuffer
	// CaptureReturned: as many bytes as the call returned, at most Size.
	CaptureReturned
	// CaptureStrings: a NULL-terminated array of string pointers (argv)
	// and the strings, each of at most -s bytes; at most -s of them
	// unless -v.
	CaptureStrings
	// CaptureEnviron: an environment, which is printed like
	// CaptureStrings with -v and otherwise as a count of its pointers,
	// so only the pointer array is needed.
	CaptureEnviron
)

// maxCapturedPointers bounds the pointer arrays an engine copies; the
// kernel's own limit on argv and envp is far larger, but an array cut
// here only loses its count or its tail, shown as "...".
const maxCapturedPointers = 1024

// ArgCapture is one argument's Capture made concrete for a Decoder's
// options: what to copy, from which registers, at entry or exit.
type ArgCapture struct {
	Kind CaptureKind
	Arg  int  // the argument whose register holds the address
	Len  int  // CaptureBuffer: the argument whose register holds the length
	Exit bool // copied at exit: the kernel writes it
	// Max is the most bytes copied; for CaptureStrings and
	// CaptureEnviron, the most pointers (the NULL included).
	Max int
	// StrMax is the most bytes of each string a pointer array points to
	// (0: the strings are not needed).
	StrMax int
}

// Captures lists the memory that decoding sc reads, in argument order,
// for the Decoder's options. A row with a custom decoder reads none.
func (d *Decoder) Captures(sc *Syscall) []ArgCapture {
	if sc.custom != nil || d.Opts.NamesOnly {
		return nil
	}
	var out []ArgCapture
	for i := range sc.Args {
		f := formatOf(sc.Args[i].Fmt)
		if s := f.SaveCapture; s.Kind != CaptureNone && f.Out {
			// What Save reads at entry, besides what Decode reads at exit.
			out = append(out, d.argCapture(sc, i, s, false))
		}
		if f.Capture.Kind != CaptureNone {
			out = append(out, d.argCapture(sc, i, f.Capture, f.Out))
		}
	}
	return out
}

// argCapture makes c, argument i's, concrete: copied at exit or entry.
func (d *Decoder) argCapture(sc *Syscall, i int, c Capture, exit bool) ArgCapture {
	size := c.Size
	if size == 0 {
		size = d.Opts.StrSize
	}
	ac := ArgCapture{Kind: c.Kind, Arg: i, Len: int(sc.Args[i].Aux), Exit: exit, Max: size}
	switch c.Kind {
	case CaptureStrings:
		ac.Max, ac.StrMax = d.Opts.MaxArray+1, d.Opts.StrSize
		if d.Opts.Verbose || d.Opts.Abbrev != nil {
			ac.Max = maxCapturedPointers
		}
	case CaptureEnviron:
		ac.Max = maxCapturedPointers
		if d.Opts.Verbose || d.Opts.Abbrev != nil {
			ac.StrMax = d.Opts.StrSize
		}
	}
	if c.Kind != CaptureBuffer || ac.Len < 0 {
		ac.Len = 0
	}
	return ac
}

// Captures of the Formats that read memory; a Format added elsewhere
// declares its own in its literal.
func init() {
	for _, fc := range []struct {
		f *Format
		c Capture
	}{
		{FmtPath, Capture{CaptureString, pathMax}},
		{FmtStr, Capture{CaptureString, 0}},
		{FmtWbuf, Capture{CaptureBuffer, 0}},
		{FmtRbuf, Capture{CaptureReturned, 0}},
		{FmtRstr, Capture{CaptureReturned, 0}},
		{FmtRandomOut, Capture{CaptureReturned, 0}},
		{FmtArgv, Capture{CaptureStrings, 0}},
		{FmtEnvp, Capture{CaptureEnviron, 0}},
		{FmtStatOut, Capture{CaptureStruct, statSize}},
		{FmtWaitStatusOut, Capture{CaptureStruct, 4}},
		{FmtSigset, Capture{CaptureBuffer, sigsetMax}},
		{FmtSigsetOut, Capture{CaptureBuffer, sigsetMax}},
		{FmtSigaction, Capture{CaptureStruct, sigactionSize}},
		{FmtSigactionOut, Capture{CaptureStruct, sigactionSize}},
		{FmtSockaddr, Capture{CaptureBuffer, sockaddrMax}},
		{FmtSockaddrOut, Capture{CaptureStruct, sockaddrMax}},
		{FmtSocklenInout, Capture{CaptureStruct, 4}},
	} {
		fc.f.Capture = fc.c
	}
	FmtSocklenInout.SaveCapture = Capture{CaptureStruct, 4}
}

// Sizes of the structs the decoders read, x86_64 layout.
const (
	sigsetMax     = 128
	sigactionSize = 3*8 + 8
)

// structWindow is what an engine that cannot read memory at decoding
// time copies for a pointer argument whose Format declares nothing more
// precise (the structs read by inFmt and outFmt Formats): the bytes the
// pointer points to, up to a size that holds every common struct. What a
// struct points to in turn is not copied and decodes as its address.
var structWindow = Capture{CaptureStruct, 512}
