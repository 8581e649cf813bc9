package decode

import (
	"strconv"

	"github.com/gtrace/gtrace/pkg/event"
)

// FutexOps name futex's operations, with the private and clock flags
// strace folds into them.
var FutexOps = &Enum{Unknown: "FUTEX_???", Syms: []Sym{
	{0, "FUTEX_WAIT"}, {1, "FUTEX_WAKE"}, {2, "FUTEX_FD"}, {3, "FUTEX_REQUEUE"},
	{4, "FUTEX_CMP_REQUEUE"}, {5, "FUTEX_WAKE_OP"}, {6, "FUTEX_LOCK_PI"}, {7, "FUTEX_UNLOCK_PI"},
	{8, "FUTEX_TRYLOCK_PI"}, {9, "FUTEX_WAIT_BITSET"}, {0xa, "FUTEX_WAKE_BITSET"},
	{0xb, "FUTEX_WAIT_REQUEUE_PI"}, {0xc, "FUTEX_CMP_REQUEUE_PI"}, {0xd, "FUTEX_LOCK_PI2"},
	{0x80, "FUTEX_WAIT_PRIVATE"}, {0x81, "FUTEX_WAKE_PRIVATE"}, {0x82, "FUTEX_FD|FUTEX_PRIVATE_FLAG"},
	{0x83, "FUTEX_REQUEUE_PRIVATE"}, {0x84, "FUTEX_CMP_REQUEUE_PRIVATE"},
	{0x85, "FUTEX_WAKE_OP_PRIVATE"}, {0x86, "FUTEX_LOCK_PI_PRIVATE"}, {0x87, "FUTEX_UNLOCK_PI_PRIVATE"},
	{0x88, "FUTEX_TRYLOCK_PI_PRIVATE"}, {0x89, "FUTEX_WAIT_BITSET_PRIVATE"},
	{0x8a, "FUTEX_WAKE_BITSET_PRIVATE"}, {0x8b, "FUTEX_WAIT_REQUEUE_PI_PRIVATE"},
	{0x8c, "FUTEX_CMP_REQUEUE_PI_PRIVATE"}, {0x8d, "FUTEX_LOCK_PI2_PRIVATE"},
	{0x100, "FUTEX_WAIT|FUTEX_CLOCK_REALTIME"}, {0x180, "FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME"},
	{0x109, "FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME"},
	{0x189, "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME"},
	{0x10b, "FUTEX_WAIT_REQUEUE_PI|FUTEX_CLOCK_REALTIME"},
	{0x18b, "FUTEX_WAIT_REQUEUE_PI_PRIVATE|FUTEX_CLOCK_REALTIME"},
}}

// Tables of FUTEX_WAKE_OP's encoded operation and FUTEX_*_BITSET's mask.
var (
	FutexWakeOps  = &Enum{Syms: []Sym{{0, "FUTEX_OP_SET"}, {1, "FUTEX_OP_ADD"}, {2, "FUTEX_OP_OR"}, {3, "FUTEX_OP_ANDN"}, {4, "FUTEX_OP_XOR"}}}
	FutexWakeCmps = &Enum{Syms: []Sym{
		{0, "FUTEX_OP_CMP_EQ"}, {1, "FUTEX_OP_CMP_NE"}, {2, "FUTEX_OP_CMP_LT"}, {3, "FUTEX_OP_CMP_LE"},
		{4, "FUTEX_OP_CMP_GT"}, {5, "FUTEX_OP_CMP_GE"},
	}}
	FutexBitset = &Enum{Syms: []Sym{{0xffffffff, "FUTEX_BITSET_MATCH_ANY"}}}
)

// futexArg is one argument futex prints after its operation: which
// register, and how.
type futexArg struct {
	name string
	reg  int
	show func(x *ctx, v uint64) event.Value
}

func futexU32(_ *ctx, v uint64) event.Value { return event.Uint(uint64(uint32(v))) }
func futexPtr(x *ctx, v uint64) event.Value { return event.Ptr(x.word(v)) }
func futexTime(x *ctx, v uint64) event.Value {
	if x.call.Arch == event.ArchI386 && x.call.Name == "futex" {
		return x.timespec32(x.word(v))
	}
	return x.timespec(x.word(v))
}
func futexBitset(_ *ctx, v uint64) event.Value { return enumVal(uint64(uint32(v)), FutexBitset) }

var (
	futexVal     = futexArg{"val", 2, futexU32}
	futexTimeout = futexArg{"timeout", 3, futexTime}
	futexVal2    = futexArg{"val2", 3, futexU32}
	futexUaddr2  = futexArg{"uaddr2", 4, futexPtr}
	futexVal3    = futexArg{"val3", 5, futexU32}
)

// futexCmds lists, per command (the operation without its flags), the
// arguments strace prints.
var futexCmds = map[uint32][]futexArg{
	0:   {futexVal, futexTimeout},                                     // FUTEX_WAIT
	1:   {futexVal},                                                   // FUTEX_WAKE
	2:   {futexVal},                                                   // FUTEX_FD
	3:   {futexVal, futexVal2, futexUaddr2},                           // FUTEX_REQUEUE
	4:   {futexVal, futexVal2, futexUaddr2, futexVal3},                // FUTEX_CMP_REQUEUE
	5:   {futexVal, futexVal2, futexUaddr2, {"val3", 5, futexWakeOp}}, // FUTEX_WAKE_OP
	6:   {futexTimeout},                                               // FUTEX_LOCK_PI
	7:   {},                                                           // FUTEX_UNLOCK_PI
	8:   {},                                                           // FUTEX_TRYLOCK_PI
	9:   {futexVal, futexTimeout, {"val3", 5, futexBitset}},           // FUTEX_WAIT_BITSET
	0xa: {futexVal, {"val3", 5, futexBitset}},                         // FUTEX_WAKE_BITSET
	0xb: {futexVal, futexTimeout, futexUaddr2},                        // FUTEX_WAIT_REQUEUE_PI
	0xc: {futexVal, futexVal2, futexUaddr2, futexVal3},                // FUTEX_CMP_REQUEUE_PI
	0xd: {futexTimeout},                                               // FUTEX_LOCK_PI2
}

// futexOther is what strace prints for a command it does not know.
var futexOther = []futexArg{futexVal, {"timeout", 3, futexPtr}, futexUaddr2, {"val3", 5, futexHex}}

func futexHex(_ *ctx, v uint64) event.Value { return event.Hex(uint64(uint32(v))) }

// futexWakeOp renders FUTEX_WAKE_OP's encoded operation:
// FUTEX_OP_SET<<28|0x1<<12|FUTEX_OP_CMP_GT<<24|0.
func futexWakeOp(_ *ctx, v uint64) event.Value {
	return event.Value{Kind: event.VFlags, N: uint64(uint32(v)), Syms: wakeOpSyms{}}
}

// wakeOpSyms renders FUTEX_WAKE_OP's operation in each -X style, as
// strace does (under -X raw it marks the named fields unknown).
type wakeOpSyms struct{}

// AppendSym implements event.Symbols.
func (wakeOpSyms) AppendSym(b []byte, v uint64, style event.XlatStyle) []byte {
	if v>>28&8 != 0 {
		b = appendShifted(b, oparg, 8, 28, "", style)
		b = append(b, '|')
	}
	b = appendShifted(b, FutexWakeOps, v>>28&7, 28, "FUTEX_OP_???", style)
	b = append(b, '|')
	b = event.AppendHex(b, v>>12&0xfff)
	b = append(b, "<<12|"...)
	b = appendShifted(b, FutexWakeCmps, v>>24&0xf, 24, "FUTEX_OP_CMP_???", style)
	b = append(b, '|')
	return event.AppendHex(b, v&0xfff)
}

// Names implements event.Symbols.
func (wakeOpSyms) Names(v uint64) ([]string, uint64) {
	return []string{FutexWakeOps.Name(v >> 28 & 7), FutexWakeCmps.Name(v >> 24 & 0xf)}, 0
}

var oparg = &Enum{Syms: []Sym{{8, "FUTEX_OP_OPARG_SHIFT"}}}

// appendShifted appends one named field of FUTEX_WAKE_OP's operation:
// NAME<<shift, 5<<shift /* unknown */, or under -X verbose 4 /* NAME
// */<<shift.
func appendShifted(b []byte, e *Enum, v uint64, shift int, unknown string, style event.XlatStyle) []byte {
	name := e.Name(v)
	switch {
	case name != "" && style == event.XlatAbbrev:
		b = append(b, name...)
	case name != "" && style == event.XlatVerbose:
		b = event.AppendHex(b, v)
		b = append(append(append(b, " /* "...), name...), " */"...)
	default:
		b = event.AppendHex(b, v)
	}
	b = append(b, "<<"...)
	b = strconv.AppendInt(b, int64(shift), 10)
	if (name == "" || style == event.XlatRaw) && unknown != "" {
		b = append(b, " /* "+unknown+" */"...)
	}
	return b
}

// decodeFutex prints futex's arguments as its operation uses them.
func decodeFutex(x *ctx) {
	op := uint32(x.arg(1))
	x.push("uaddr", 0, event.Ptr(x.word(x.arg(0))))
	x.push("futex_op", 1, enumVal(uint64(op), FutexOps))
	args, ok := futexCmds[op&0x7f]
	if !ok {
		args = futexOther
	}
	for _, a := range args {
		x.push(a.name, a.reg, a.show(x, x.arg(a.reg)))
	}
}

// Tables of the futex2 calls' flags: a size, then flags.
var (
	Futex2Sizes = []Sym{{0, "FUTEX2_SIZE_U8"}, {1, "FUTEX2_SIZE_U16"}, {2, "FUTEX2_SIZE_U32"}, {3, "FUTEX2_SIZE_U64"}}
	Futex2Flags = &Flags{FieldMask: 3, Field: Futex2Sizes, Bits: []Sym{{4, "FUTEX2_NUMA"}, {0x80, "FUTEX2_PRIVATE"}}}
)

// futex2 formats.
var (
	// FmtFutexWaitv is futex_waitv's array of struct futex_waitv; Aux is
	// its length.
	FmtFutexWaitv = inFmt("futex_waitv", func(x *ctx, addr uint64) event.Value {
		return x.futexWaiters(addr, uint64(uint32(x.auxArg())))
	})
	// FmtFutexWaitvPair is futex_requeue's two waiters.
	FmtFutexWaitvPair = inFmt("futex_waitv", func(x *ctx, addr uint64) event.Value { return x.futexWaiters(addr, 2) })
	FmtFutex2Flags    = flagsFmt(Futex2Flags)
	FmtFutexBitset    = &Format{Name: "bitset", Decode: func(x *ctx, i int) event.Value { return enumVal(x.word(x.arg(i)), FutexBitset) }}
)

// futexWaiters decodes n struct futex_waitv {val, uaddr, flags,
// __reserved}.
func (x *ctx) futexWaiters(addr, n uint64) event.Value {
	return x.array(addr, n, 24, func(b le) event.Value {
		v := strct(event.Field("val", event.Hex(b.u64(0))), event.Field("uaddr", event.Ptr(b.u64(8))),
			event.Field("flags", flagsVal(b.u32(16), Futex2Flags)))
		if r := b.u32(20); r != 0 {
			v.Elems = append(v.Elems, event.Field("__reserved", event.Hex(r)))
		}
		return v
	})
}
