package decode

import "github.com/gtrace/gtrace/pkg/event"

// Quota tables.
var (
	QuotaCmds = &Enum{Unknown: "Q_???", Syms: []Sym{
		{0x100, "Q_V1_QUOTAON"}, {0x200, "Q_V1_QUOTAOFF"}, {0x300, "Q_V1_GETQUOTA"},
		{0x400, "Q_V1_SETQUOTA"}, {0x500, "Q_V1_SETUSE"}, {0x600, "Q_V1_SYNC"}, {0x700, "Q_SETQLIM"},
		{0x800, "Q_V1_GETSTATS"}, {0x1000, "Q_V1_RSQUASH"}, {0xd00, "Q_V2_GETQUOTA"},
		{0xe00, "Q_V2_SETQUOTA"}, {0xf00, "Q_V2_SETUSE"}, {0x900, "Q_V2_GETINFO"}, {0xa00, "Q_V2_SETINFO"},
		{0xb00, "Q_V2_SETGRACE"}, {0xc00, "Q_V2_SETFLAGS"}, {0x1100, "Q_V2_GETSTATS"}, {0x800001, "Q_SYNC"},
		{0x800002, "Q_QUOTAON"}, {0x800003, "Q_QUOTAOFF"}, {0x800004, "Q_GETFMT"}, {0x800005, "Q_GETINFO"},
		{0x800006, "Q_SETINFO"}, {0x800007, "Q_GETQUOTA"}, {0x800008, "Q_SETQUOTA"},
		{0x800009, "Q_GETNEXTQUOTA"}, {0x5801, "Q_XQUOTAON"}, {0x5802, "Q_XQUOTAOFF"},
		{0x5803, "Q_XGETQUOTA"}, {0x5804, "Q_XSETQLIM"}, {0x5805, "Q_XGETQSTAT"}, {0x5806, "Q_XQUOTARM"},
		{0x5807, "Q_XQUOTASYNC"}, {0x5808, "Q_XGETQSTATV"}, {0x5809, "Q_XGETNEXTQUOTA"},
	}}
	QuotaTypes   = &Enum{Unknown: "???QUOTA", Syms: []Sym{{0, "USRQUOTA"}, {1, "GRPQUOTA"}, {2, "PRJQUOTA"}}}
	QuotaFormats = &Enum{Unknown: "QFMT_VFS_???", Syms: []Sym{{1, "QFMT_VFS_OLD"}, {2, "QFMT_VFS_V0"}, {3, "QFMT_OCFS2"}, {4, "QFMT_VFS_V1"}}}
)

// quota commands decoded specially.
const (
	qSync    = 0x800001
	qQuotaon = 0x800002
)

// qcmd renders quotactl's command: QCMD(Q_GETQUOTA, USRQUOTA).
func qcmd(v uint32) event.Value {
	b := append([]byte("QCMD("), QuotaCmds.AppendSym(nil, uint64(v>>8), event.XlatAbbrev)...)
	b = append(b, ", "...)
	b = append(QuotaTypes.AppendSym(b, uint64(v&0xff), event.XlatAbbrev), ')')
	return styledVal(string(b), event.Uint(uint64(v)))
}

// Quota formats.
var (
	FmtQcmd = &Format{Name: "qcmd", Decode: func(x *ctx, i int) event.Value { return qcmd(uint32(x.arg(i))) }}
	// FmtQuotaId is quotactl's id: a quota format for Q_QUOTAON,
	// nothing for Q_SYNC (Aux: the command).
	FmtQuotaId = &Format{Name: "int", Decode: func(x *ctx, i int) event.Value {
		switch uint32(x.auxOf(i)) >> 8 {
		case qSync:
			return event.Value{}
		case qQuotaon:
			return enumVal(uint64(uint32(x.arg(i))), QuotaFormats)
		}
		return event.Int(int64(int32(x.arg(i))))
	}}
	// FmtQuotaAddr is quotactl's address: the quota file for Q_QUOTAON.
	FmtQuotaAddr = &Format{Name: "ptr", Decode: func(x *ctx, i int) event.Value {
		addr := x.word(x.arg(i))
		switch uint32(x.auxOf(i)) >> 8 {
		case qSync:
			return event.Value{}
		case qQuotaon:
			return x.cstring(addr, pathMax)
		}
		return event.Ptr(addr)
	}}
)
