package decode

import "github.com/gtrace/gtrace/pkg/event"

// RwfFlags are preadv2's and pwritev2's flags.
var RwfFlags = &Flags{Bits: []Sym{{1, "RWF_HIPRI"}, {2, "RWF_DSYNC"}, {4, "RWF_SYNC"}, {8, "RWF_NOWAIT"}, {0x10, "RWF_APPEND"}}}

// SpliceFlags are splice's, tee's and vmsplice's flags.
var SpliceFlags = &Flags{Bits: []Sym{{1, "SPLICE_F_MOVE"}, {2, "SPLICE_F_NONBLOCK"}, {4, "SPLICE_F_MORE"}, {8, "SPLICE_F_GIFT"}}}

// SeekWhence names lseek's whence.
var SeekWhence = &Enum{Unknown: "SEEK_???", Syms: []Sym{
	{0, "SEEK_SET"}, {1, "SEEK_CUR"}, {2, "SEEK_END"}, {3, "SEEK_DATA"}, {4, "SEEK_HOLE"},
}}

// FadviseAdvice names posix_fadvise's advice.
var FadviseAdvice = &Enum{Unknown: "POSIX_FADV_???", Syms: []Sym{
	{0, "POSIX_FADV_NORMAL"}, {1, "POSIX_FADV_RANDOM"}, {2, "POSIX_FADV_SEQUENTIAL"},
	{3, "POSIX_FADV_WILLNEED"}, {4, "POSIX_FADV_DONTNEED"}, {5, "POSIX_FADV_NOREUSE"},
}}

// FallocFlags are fallocate's mode bits.
var FallocFlags = &Flags{Bits: []Sym{
	{1, "FALLOC_FL_KEEP_SIZE"}, {2, "FALLOC_FL_PUNCH_HOLE"}, {4, "FALLOC_FL_NO_HIDE_STALE"},
	{8, "FALLOC_FL_COLLAPSE_RANGE"}, {0x10, "FALLOC_FL_ZERO_RANGE"}, {0x20, "FALLOC_FL_INSERT_RANGE"},
	{0x40, "FALLOC_FL_UNSHARE_RANGE"},
}}

// FlockOps are flock's operation bits.
var FlockOps = &Flags{Bits: []Sym{
	{1, "LOCK_SH"}, {2, "LOCK_EX"}, {4, "LOCK_NB"}, {8, "LOCK_UN"}, {0x20, "LOCK_MAND"},
	{0xc0, "LOCK_RW"}, {0x40, "LOCK_READ"}, {0x80, "LOCK_WRITE"},
}}

// SyncFileRangeFlags are sync_file_range's flags.
var SyncFileRangeFlags = &Flags{Bits: []Sym{
	{1, "SYNC_FILE_RANGE_WAIT_BEFORE"}, {2, "SYNC_FILE_RANGE_WRITE"}, {4, "SYNC_FILE_RANGE_WAIT_AFTER"},
}}

// I/O formats.
var (
	FmtRwfFlags       = flagsFmt(RwfFlags)
	FmtSpliceFlags    = flagsFmt(SpliceFlags)
	FmtWhence         = enumFmt(SeekWhence)
	FmtFadvise        = enumFmt(FadviseAdvice)
	FmtFallocFlags    = flagsFmt(FallocFlags)
	FmtFlockOp        = flagsFmt(FlockOps)
	FmtSyncRangeFlags = flagsFmt(SyncFileRangeFlags)
	// FmtIovec is an array of struct iovec the call reads; Aux is its
	// length.
	FmtIovec = inFmt("iovec", func(x *ctx, addr uint64) event.Value {
		return x.iovec(addr, x.word(x.auxArg()), ^uint64(0))
	})
	// FmtIovecOut is an array of struct iovec the call fills (readv):
	// the return value says how many bytes are worth showing; a failed
	// call shows each buffer's address.
	FmtIovecOut = &Format{Name: "iovec", Out: true, Decode: func(x *ctx, i int) event.Value {
		x.cur = i
		data := uint64(x.ret())
		if x.failed() {
			data = 0
		}
		return x.iovec(x.word(x.arg(i)), x.word(x.auxArg()), data)
	}}
)

// iovec decodes n struct iovec at addr, showing at most data bytes of
// their buffers in all; ^0 shows each buffer up to its length. A failed
// call's buffers show their addresses.
func (x *ctx) iovec(addr, n, data uint64) event.Value {
	if x.exit && x.failed() {
		return x.iovecWith(addr, n, func(base, _ uint64) event.Value { return event.Ptr(base) })
	}
	return x.iovecs(addr, n, data)
}

// iovecs decodes an array of n struct iovec at addr, the buffers showing
// at most data bytes in all (the return value of a read), or each up to
// its length with unlimited.
func (x *ctx) iovecs(addr, n, data uint64) event.Value {
	return x.iovecWith(addr, n, func(base, length uint64) event.Value {
		return x.buffer(base, portion(&data, length))
	})
}

// iovecWith decodes n struct iovec at addr, each buffer shown by buf.
func (x *ctx) iovecWith(addr, n uint64, buf func(base, length uint64) event.Value) event.Value {
	ws := x.call.Arch.WordSize()
	return x.array(addr, n, 2*ws, func(b le) event.Value {
		base, length := b.word(0, ws), b.word(ws, ws)
		return strct(event.Field("iov_base", buf(base, length)), event.Field("iov_len", event.Uint(length)))
	})
}
