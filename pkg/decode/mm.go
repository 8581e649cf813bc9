package decode

import "github.com/gtrace/gtrace/pkg/event"

// MmapProt are the PROT_* bits.
var MmapProt = &Flags{Zero: "PROT_NONE", Bits: []Sym{
	{1, "PROT_READ"}, {2, "PROT_WRITE"}, {4, "PROT_EXEC"}, {8, "PROT_SEM"},
	{0x01000000, "PROT_GROWSDOWN"}, {0x02000000, "PROT_GROWSUP"},
}}

// MmapFlags are the MAP_* flags; the sharing type is a field.
var MmapFlags = &Flags{
	FieldMask: 0xf,
	Field:     []Sym{{1, "MAP_SHARED"}, {2, "MAP_PRIVATE"}, {3, "MAP_SHARED_VALIDATE"}},
	Bits: []Sym{
		{0x10, "MAP_FIXED"}, {0x20, "MAP_ANONYMOUS"}, {0x40, "MAP_32BIT"}, {0x4000, "MAP_NORESERVE"},
		{0x8000, "MAP_POPULATE"}, {0x10000, "MAP_NONBLOCK"}, {0x100, "MAP_GROWSDOWN"},
		{0x800, "MAP_DENYWRITE"}, {0x1000, "MAP_EXECUTABLE"}, {0x2000, "MAP_LOCKED"},
		{0x20000, "MAP_STACK"}, {0x40000, "MAP_HUGETLB"}, {0x80000, "MAP_SYNC"},
		{0x4000000, "MAP_UNINITIALIZED"}, {0x100000, "MAP_FIXED_NOREPLACE"},
	},
}

// MadviseAdvice names madvise's advice.
var MadviseAdvice = &Enum{Unknown: "MADV_???", Syms: []Sym{
	{0, "MADV_NORMAL"}, {1, "MADV_RANDOM"}, {2, "MADV_SEQUENTIAL"}, {3, "MADV_WILLNEED"},
	{4, "MADV_DONTNEED"}, {8, "MADV_FREE"}, {9, "MADV_REMOVE"}, {0xa, "MADV_DONTFORK"},
	{0xb, "MADV_DOFORK"}, {0xc, "MADV_MERGEABLE"}, {0xd, "MADV_UNMERGEABLE"}, {0xe, "MADV_HUGEPAGE"},
	{0xf, "MADV_NOHUGEPAGE"}, {0x10, "MADV_DONTDUMP"}, {0x11, "MADV_DODUMP"}, {0x12, "MADV_WIPEONFORK"},
	{0x13, "MADV_KEEPONFORK"}, {0x14, "MADV_COLD"}, {0x15, "MADV_PAGEOUT"}, {0x16, "MADV_POPULATE_READ"},
	{0x17, "MADV_POPULATE_WRITE"}, {0x18, "MADV_DONTNEED_LOCKED"}, {0x19, "MADV_COLLAPSE"},
	{0x64, "MADV_HWPOISON"}, {0x65, "MADV_SOFT_OFFLINE"},
}}

// RemapFileFlags are remap_file_pages' flags: mmap's, as plain bits.
var RemapFileFlags = &Flags{Zero: "MAP_FILE", Bits: append([]Sym{{1, "MAP_SHARED"}, {2, "MAP_PRIVATE"}}, MmapFlags.Bits...)}

// Tables of the other memory calls.
var (
	MremapFlags   = &Flags{Bits: []Sym{{1, "MREMAP_MAYMOVE"}, {2, "MREMAP_FIXED"}, {4, "MREMAP_DONTUNMAP"}}}
	MsyncFlags    = &Flags{Bits: []Sym{{4, "MS_SYNC"}, {1, "MS_ASYNC"}, {2, "MS_INVALIDATE"}}}
	MlockallFlags = &Flags{Bits: []Sym{{1, "MCL_CURRENT"}, {2, "MCL_FUTURE"}, {4, "MCL_ONFAULT"}}}
	Mlock2Flags   = &Flags{Bits: []Sym{{1, "MLOCK_ONFAULT"}}}
	PkeyRights    = &Flags{Bits: []Sym{{1, "PKEY_DISABLE_ACCESS"}, {2, "PKEY_DISABLE_WRITE"}, {4, "PKEY_DISABLE_EXECUTE"}}}
	MembarrierCmd = &Flags{Zero: "MEMBARRIER_CMD_QUERY", Bits: []Sym{
		{1, "MEMBARRIER_CMD_GLOBAL"}, {2, "MEMBARRIER_CMD_GLOBAL_EXPEDITED"},
		{4, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"}, {8, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"},
		{0x10, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"},
		{0x20, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"},
		{0x40, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE"},
		{0x80, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ"},
		{0x100, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"},
	}}
)

// Memory formats.
var (
	FmtMmapProt      = longFlagsFmt(MmapProt)
	FmtMmapFlags     = longFlagsFmt(MmapFlags)
	FmtMadvise       = enumFmt(MadviseAdvice)
	FmtMremapFlags   = longFlagsFmt(MremapFlags)
	FmtRemapFlags    = longFlagsFmt(RemapFileFlags)
	FmtMsyncFlags    = flagsFmt(MsyncFlags)
	FmtMlockallFlags = flagsFmt(MlockallFlags)
	FmtMlock2Flags   = flagsFmt(Mlock2Flags)
	FmtPkeyRights    = longFlagsFmt(PkeyRights)
	FmtMembarrierCmd = flagsFmt(MembarrierCmd)
	// FmtMremapAddr is mremap's new address: shown with MREMAP_FIXED
	// only (Aux: the flags).
	FmtMremapAddr = &Format{Name: "ptr", Decode: func(x *ctx, i int) event.Value {
		if x.auxOf(i)&2 == 0 {
			return event.Value{}
		}
		return event.Ptr(x.word(x.arg(i)))
	}}
	// FmtMincoreVec is the byte a page mincore fills (Aux: the length
	// of the range, in bytes).
	FmtMincoreVec = outFmt("mincore", func(x *ctx, addr uint64) event.Value {
		pages := (x.word(x.auxArg()) + pageSize - 1) / pageSize
		return x.array(addr, pages, 1, func(b le) event.Value { return event.Uint(b.u8(0)) })
	})
	// FmtRetMembarrier is membarrier's result: for MEMBARRIER_CMD_QUERY,
	// the commands supported, in hex with their names.
	FmtRetMembarrier = &Format{Name: "membarrier", Ret: func(x *ctx) (event.Value, event.Value) {
		if r := uint64(x.ret()); uint32(x.arg(0)) == 0 && r != 0 {
			return event.Hex(r), flagsVal(r, MembarrierCmd)
		}
		return event.Int(x.ret()), event.Value{}
	}}
)

// FmtUserDesc is modify_ldt's struct user_desc: decoded when the byte
// count (Aux) is its size, an address otherwise.
var FmtUserDesc = inFmt("user_desc", func(x *ctx, addr uint64) event.Value {
	if x.word(x.auxArg()) != 16 {
		return event.Ptr(addr)
	}
	b, v, ok := x.fetch(addr, 16)
	if !ok {
		return v
	}
	bits := b.u32(12)
	bit := func(name string, shift, width uint) event.Value {
		return event.Field(name, event.Uint(bits>>shift&(1<<width-1)))
	}
	return strct(
		event.Field("entry_number", event.Uint(b.u32(0))),
		event.Field("base_addr", event.Text(zeroPaddedHex(b.u32(4), 8))),
		event.Field("limit", event.Text(zeroPaddedHex(b.u32(8), 8))),
		bit("seg_32bit", 0, 1), bit("contents", 1, 2), bit("read_exec_only", 3, 1), bit("limit_in_pages", 4, 1),
		bit("seg_not_present", 5, 1), bit("useable", 6, 1), bit("lm", 7, 1))
})

// cachestat formats: the range it reads and the counters it fills.
var (
	FmtCachestatRange = inFmt("cachestat_range", func(x *ctx, addr uint64) event.Value {
		b, v, ok := x.fetch(addr, 16)
		if !ok {
			return v
		}
		return strct(event.Field("off", event.Uint(b.u64(0))), event.Field("len", event.Uint(b.u64(8))))
	})
	FmtCachestatOut = outFmt("cachestat", func(x *ctx, addr uint64) event.Value {
		b, v, ok := x.fetch(addr, 40)
		if !ok {
			return v
		}
		v = strct()
		for i, name := range []string{"nr_cache", "nr_dirty", "nr_writeback", "nr_evicted", "nr_recently_evicted"} {
			v.Elems = append(v.Elems, event.Field(name, event.Uint(b.u64(8*i))))
		}
		return v
	})
)
