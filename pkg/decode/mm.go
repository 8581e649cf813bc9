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
		{0x10, "MAP_FIXED"}, {0x20, "MAP_ANONYMOUS"}, {0x40, "MAP_32BIT"}, {0x100, "MAP_GROWSDOWN"},
		{0x800, "MAP_DENYWRITE"}, {0x1000, "MAP_EXECUTABLE"}, {0x2000, "MAP_LOCKED"},
		{0x4000, "MAP_NORESERVE"}, {0x8000, "MAP_POPULATE"}, {0x10000, "MAP_NONBLOCK"},
		{0x20000, "MAP_STACK"}, {0x40000, "MAP_HUGETLB"}, {0x80000, "MAP_SYNC"},
		{0x100000, "MAP_FIXED_NOREPLACE"}, {0x4000000, "MAP_UNINITIALIZED"},
	},
}

// MadviseAdvice names madvise's advice.
var MadviseAdvice = &Enum{Unknown: "MADV_???", Syms: []Sym{
	{0, "MADV_NORMAL"}, {1, "MADV_RANDOM"}, {2, "MADV_SEQUENTIAL"}, {3, "MADV_WILLNEED"},
	{4, "MADV_DONTNEED"}, {8, "MADV_FREE"}, {9, "MADV_REMOVE"}, {10, "MADV_DONTFORK"},
	{11, "MADV_DOFORK"}, {12, "MADV_MERGEABLE"}, {13, "MADV_UNMERGEABLE"}, {14, "MADV_HUGEPAGE"},
	{15, "MADV_NOHUGEPAGE"}, {16, "MADV_DONTDUMP"}, {17, "MADV_DODUMP"}, {18, "MADV_WIPEONFORK"},
	{19, "MADV_KEEPONFORK"}, {20, "MADV_COLD"}, {21, "MADV_PAGEOUT"}, {22, "MADV_POPULATE_READ"},
	{23, "MADV_POPULATE_WRITE"}, {24, "MADV_DONTNEED_LOCKED"}, {25, "MADV_COLLAPSE"},
	{100, "MADV_HWPOISON"}, {101, "MADV_SOFT_OFFLINE"}, {102, "MADV_GUARD_INSTALL"},
	{103, "MADV_GUARD_REMOVE"},
}}

// Memory formats.
var (
	FmtMmapProt = &Format{Name: "flags", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VFlags, N: x.word(x.arg(i)), Syms: MmapProt}
	}}
	FmtMmapFlags = &Format{Name: "flags", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VFlags, N: x.word(x.arg(i)), Syms: MmapFlags}
	}}
	FmtMadvise = &Format{Name: "enum", Decode: func(x *ctx, i int) event.Value {
		return event.Value{Kind: event.VEnum, N: uint64(uint32(x.arg(i))), Syms: MadviseAdvice}
	}}
)
