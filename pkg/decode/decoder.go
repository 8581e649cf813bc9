package decode

import (
	"sync"
	"syscall"

	"github.com/gtrace/gtrace/pkg/categories"
	"github.com/gtrace/gtrace/pkg/event"
)

// Memory reads a traced task's memory.
type Memory interface {
	// Read reads up to len(p) bytes at addr and returns how many it read;
	// fewer than len(p) means the rest is unreadable.
	Read(addr uint64, p []byte) (int, error)
}

// FDResolver describes a task's file descriptors for -y and -yy.
type FDResolver interface {
	// FDPath returns what fd refers to in process pid: a path, or for
	// sockets "TCP:[1.2.3.4:5->6.7.8.9:10]" style text; "" if unknown.
	// fd AtFDCWD asks for the working directory.
	FDPath(pid, fd int) string
}

// AtFDCWD is the *at() calls' "current directory" descriptor.
const AtFDCWD = -100

// FDDescriber is an FDResolver that knows what strace -yy shows of a
// descriptor: a socket's endpoints in place of its path, a device's type
// and numbers beside its path.
type FDDescriber interface {
	DescribeFD(pid, fd int) FDInfo
}

// FDInfo is what -yy shows of a descriptor.
type FDInfo struct {
	// Path is the descriptor's path, or a socket's endpoints
	// ("TCP:[127.0.0.1:40000->127.0.0.1:8080]").
	Path string
	// Endpoints marks Path as a socket's endpoints, which strace prints
	// without escaping.
	Endpoints bool
	// Device is a device's type and numbers: "char 1:3".
	Device string
	// Link is the descriptor's /proc link where Path shows something
	// else ("socket:[1234]" for endpoints, "anon_inode:[pidfd]" for
	// "pid:42"): what --decode-fds=path alone shows.
	Link string
}

// FDDecode is what strace's --decode-fds=SET shows of descriptors: -y is
// FDDecodePath, -yy all of them.
type FDDecode uint8

const (
	// FDDecodePath: the path (the /proc link).
	FDDecodePath FDDecode = 1 << iota
	// FDDecodeSocket: a socket's protocol and endpoints.
	FDDecodeSocket
	// FDDecodeDev: a device's path, type and numbers.
	FDDecodeDev
	// FDDecodePidfd: the process a pidfd refers to.
	FDDecodePidfd

	FDDecodeAll = FDDecodePath | FDDecodeSocket | FDDecodeDev | FDDecodePidfd
)

// FDDecodeLevel is what -y (1) and -yy (2 or more) show of descriptors.
func FDDecodeLevel(n int) FDDecode {
	switch {
	case n <= 0:
		return 0
	case n == 1:
		return FDDecodePath
	}
	return FDDecodeAll
}

// Options are strace's decoding flags.
type Options struct {
	// StrSize is -s: the bytes of a string or buffer to show; 0 is
	// strace's default, 32, and a negative size shows none (-s 0).
	StrSize int
	Verbose bool // -v: print structures, argv and environment in full
	FDPaths int  // -y (1) and -yy (2): show what descriptors refer to
	// FDDecode, when set, says what descriptors show in place of
	// FDPaths (--decode-fds=SET); NewDecoder sets it from FDPaths
	// otherwise.
	FDDecode FDDecode
	// MaxArray bounds the elements of an array shown (strace: -s as well).
	MaxArray int
	// Xlat is -X: how constants print in the text strace builds after a
	// result, "= 1 ([{fd=3, revents=POLLIN}])", which is decoded as text.
	Xlat event.XlatStyle
	// NamesOnly decodes no argument and reads no memory: calls carry
	// their name, registers and result, which is all an output that
	// prints no arguments needs (strace -c's table).
	NamesOnly bool
	// Abbrev, when set, selects the calls whose structures, arrays and
	// vectors are abbreviated (-e abbrev=); the others print in full,
	// and Verbose is not looked at.
	Abbrev CallSet
	// Raw selects the calls shown undecoded (-e raw=): each argument
	// and the result as a number in hex.
	Raw CallSet
	// DumpReads and DumpWrites select the descriptors whose data read
	// or written is dumped in full (-e read=, -e write=; dump.go). nil
	// dumps none; mind that a typed nil (a nil *filter.FDSet) is not
	// nil here, and filter.FDSet's nil is every descriptor.
	DumpReads, DumpWrites FDSet
}

// CallSet selects syscalls (filter.Syscalls is one).
type CallSet interface {
	Has(arch event.Arch, nr int) bool
}

// verbose reports whether the call is printed in full (-v, -e abbrev=).
func (x *ctx) verbose() bool {
	if a := x.d.Opts.Abbrev; a != nil {
		return !a.Has(x.call.Arch, x.call.Nr)
	}
	return x.d.Opts.Verbose
}

// raw reports whether c is shown undecoded.
func (d *Decoder) raw(c *event.Call) bool { return d.Opts.Raw != nil && d.Opts.Raw.Has(c.Arch, c.Nr) }

// DefaultStrSize is strace's default -s.
const DefaultStrSize = 32

// pathMax bounds the bytes read for a path, as the kernel's PATH_MAX.
const pathMax = 4096

// Decoder fills event.Calls from registers and memory. It keeps no state
// between calls, so one Decoder serves every task.
type Decoder struct {
	Opts Options
	FDs  FDResolver
}

// NewDecoder returns a Decoder with strace's defaults for unset options.
func NewDecoder(opts Options, fds FDResolver) *Decoder {
	switch {
	case opts.StrSize == 0:
		opts.StrSize = DefaultStrSize
	case opts.StrSize < 0:
		opts.StrSize = 0
	}
	if opts.MaxArray <= 0 {
		opts.MaxArray = opts.StrSize
	}
	if opts.FDDecode == 0 {
		opts.FDDecode = FDDecodeLevel(opts.FDPaths)
	}
	return &Decoder{Opts: opts, FDs: fds}
}

// ctx is the state of decoding one call at one stop.
type ctx struct {
	d    *Decoder
	call *event.Call
	sc   *Syscall
	mem  Memory
	pid  int
	exit bool
	// cur is the index of the argument being decoded.
	cur int
	// prev is the name of the task's previous call, when the caller
	// reuses one Call per task (restart_syscall names it).
	prev string
	// spent counts the bytes of tracee memory read at this stop;
	// dumped, those read for -e read= and -e write= (dump.go).
	spent  int
	dumped uint64
}

// arg returns the raw value of argument register i.
func (x *ctx) arg(i int) uint64 { return x.call.Raw[i] }

// ret is the raw return value (valid at exit).
func (x *ctx) ret() int64 { return x.call.Ret }

// failed reports whether the call failed (valid at exit).
func (x *ctx) failed() bool { return x.call.Errno != 0 }

// word truncates v to the call's word size, as the kernel does for a long.
func (x *ctx) word(v uint64) uint64 {
	if x.call.Arch == event.ArchI386 {
		return uint64(uint32(v))
	}
	return v
}

// slong reads v as a signed long of the call's arch.
func (x *ctx) slong(v uint64) int64 {
	if x.call.Arch == event.ArchI386 {
		return int64(int32(v))
	}
	return int64(v)
}

// Entry fills c from the registers at syscall entry. args holds the six
// argument registers; c.Arch and c.Nr must be set.
func (d *Decoder) Entry(c *event.Call, sc *Syscall, args *[6]uint64, mem Memory, pid int) {
	prev := c.Name
	c.Name = sc.Name
	c.Cats = sc.Cats
	c.Phase = event.Entered
	c.Raw = *args
	c.Dumps = nil
	if d.Opts.NamesOnly {
		c.Args = c.Args[:0]
		return
	}
	x := getCtx()
	*x = ctx{d: d, call: c, sc: sc, mem: mem, pid: pid, prev: prev}
	defer putCtx(x)
	defer x.rescue()
	if d.raw(c) {
		x.rawArgs()
		return
	}
	x.entry()
}

// ctxs recycles decoding states: formats take a *ctx, which escapes, and
// a stop must not cost an allocation for it.
var ctxs = sync.Pool{New: func() any { return new(ctx) }}

func getCtx() *ctx { return ctxs.Get().(*ctx) }

func putCtx(x *ctx) {
	*x = ctx{}
	ctxs.Put(x)
}

// rescue turns a decoder's panic into raw hex arguments: a decoding bug
// must not stop gtrace, which would take the traced program down with it
// (spawned tasks are traced with PTRACE_O_EXITKILL). The fuzz tests call
// the decoders without it.
func (x *ctx) rescue() {
	if recover() == nil {
		return
	}
	x.rawArgs()
	if x.exit {
		x.call.RetVal, x.call.RetAux = event.Int(x.call.Ret), event.Value{}
	}
}

// rawArgs shows the arguments as their registers, in hex: as many as
// strace counts.
func (x *ctx) rawArgs() {
	c := x.call
	c.Args = c.Args[:0]
	n := len(x.sc.Args)
	if c.Arch.WordSize() == 8 && (x.sc.Name == "preadv" || x.sc.Name == "pwritev") {
		// strace's 64-bit tables count their offset as one argument,
		// not the kernel's pos_l and pos_h (but preadv2's as two).
		n = 4
	}
	for i := range min(n, len(x.sc.Args)) {
		c.Args = append(c.Args, event.Arg{Name: x.sc.Args[i].Name, Format: "hex", Raw: c.Raw[i], Val: event.Hex(x.word(c.Raw[i]))})
	}
}

// entry decodes the arguments known at entry with x.sc's row. A custom
// decoder may switch x.sc to another row (socketcall's subcalls) and call
// it again.
func (x *ctx) entry() {
	if x.sc.custom != nil {
		x.call.Args = x.call.Args[:0]
		x.sc.custom.entry(x)
		return
	}
	x.entryArgs()
}

// entryArgs decodes the arguments of x.sc's row known at entry, each by
// its format; the others are marked Out for the exit.
func (x *ctx) entryArgs() {
	c, sc := x.call, x.sc
	if cap(c.Args) < len(sc.Args) {
		c.Args = make([]event.Arg, len(sc.Args))
	}
	c.Args = c.Args[:len(sc.Args)]
	for i := range sc.Args {
		c.Args[i] = event.Arg{Name: sc.Args[i].Name, Format: formatName(sc.Args[i].Fmt), Raw: c.Raw[i]}
	}
	for i := range sc.Args {
		f := formatOf(sc.Args[i].Fmt)
		x.cur = i
		if f.Out || (f.Late != nil && f.Late(x, i)) {
			c.Args[i].Out = true
			c.Args[i].Lead = f.Lead
			if f.Save != nil {
				c.Args[i].Val = f.Save(x, i)
			}
			continue
		}
		c.Args[i].Val = f.Decode(x, i)
	}
}

// Exit completes c with the return value and the arguments the kernel
// wrote.
func (d *Decoder) Exit(c *event.Call, sc *Syscall, ret int64, mem Memory, pid int) {
	c.Phase = event.Returned
	c.Ret = ret
	c.Errno = 0
	if c.Arch == event.ArchI386 {
		ret = int64(int32(ret))
		c.Ret = ret
	}
	if ret < 0 && ret >= -maxErrno {
		c.Errno = syscall.Errno(-ret)
	}
	if d.Opts.NamesOnly {
		c.RetVal, c.RetAux = event.Int(ret), event.Value{}
		return
	}
	x := getCtx()
	*x = ctx{d: d, call: c, sc: sc, mem: mem, pid: pid, exit: true}
	defer putCtx(x)
	defer x.rescue()
	raw := d.raw(c)
	switch {
	case raw:
	case sc.custom != nil:
		if sc.custom.exit != nil {
			sc.custom.exit(x)
		}
	default:
		x.exitArgs()
	}
	c.RetVal, c.RetAux = decodeReturn(x)
	if raw && c.Errno == 0 {
		c.RetVal, c.RetAux = event.Hex(x.word(uint64(ret))), event.Value{}
	}
	if x.sc == sc {
		// Not a socketcall's subcall, whose arguments are in memory.
		x.dumpIO()
	}
}

// exitArgs decodes the arguments of x.sc's row that entry left Out.
func (x *ctx) exitArgs() {
	c := x.call
	for i := 0; i < len(x.sc.Args) && i < len(c.Args); i++ {
		if c.Args[i].Out {
			x.cur = i
			c.Args[i].Val = formatOf(x.sc.Args[i].Fmt).Decode(x, i)
		}
	}
}

// decodeReturn renders the return value the way strace does after " = ".
func decodeReturn(x *ctx) (event.Value, event.Value) {
	c := x.call
	if c.Errno != 0 {
		e := int(c.Errno)
		v := event.Value{Kind: event.VText, Text: "-1 "}
		if isRestart(e) {
			v.Text = "? "
		}
		if name := ErrnoName(e); name != "" {
			v.Text += name
			return v, event.Text(ErrnoMessage(e))
		}
		v.Text += "errno " + itoa(e)
		return v, event.Value{}
	}
	f := formatOf(x.sc.Ret)
	if f.Ret != nil {
		return f.Ret(x)
	}
	return event.Int(c.Ret), event.Value{}
}

// custom decodes a syscall whose printed arguments do not follow its
// registers one to one (clone prints labelled arguments in its own order).
// entry appends the shown arguments to x.call.Args; exit, if set, fills
// those marked Out. Either may point x.sc at another row, whose return
// format then applies.
type custom struct {
	entry func(x *ctx)
	exit  func(x *ctx)
}

// Unfinished marks c as a call that never returned: strace prints "= ?".
func Unfinished(c *event.Call) {
	c.Phase = event.NoReturn
	c.RetVal = event.Text("?")
	c.RetAux = event.Value{}
}

// Lost marks c as a call its task never returned from: it died inside it,
// or another thread's execve replaced it. strace prints "<unfinished ...>)
// = ?".
func Lost(c *event.Call) {
	Unfinished(c)
	c.Phase = event.Lost
}

// Detached marks c as a call the tracer detached from before it
// returned. strace ends its line " <detached ...>".
func Detached(c *event.Call) {
	Unfinished(c)
	c.Phase = event.Detached
}

// Resuming shows c, a restart_syscall, as the call it resumes, as strace
// does: restart_syscall(<... resuming interrupted nanosleep ...>).
func Resuming(c *event.Call, name string) {
	c.Args = append(c.Args[:0], event.Arg{Name: "resuming", Format: "text",
		Val: event.Text("<... resuming interrupted " + name + " ...>")})
}

// Unknown returns a row for a syscall number the table does not have: it
// prints as strace prints one, syscall_0x1c8(...), with six raw arguments.
func Unknown(arch event.Arch, nr int) *Syscall {
	sc := &Syscall{Nr: nr, Name: "syscall_" + hex(uint64(nr)), Cats: categories.System}
	for i := range 6 {
		sc.Args = append(sc.Args, ArgSpec{Name: "arg" + itoa(i), Fmt: FmtHex, Aux: -1})
	}
	return sc
}

func hex(v uint64) string { return string(event.AppendHex(nil, v)) }
