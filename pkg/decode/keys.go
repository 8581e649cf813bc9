package decode

import "github.com/gtrace/gtrace/pkg/event"

// KeySpecs name the special key serial numbers.
var KeySpecs = &Enum{Syms: []Sym{
	{0xffffffff, "KEY_SPEC_THREAD_KEYRING"}, {0xfffffffe, "KEY_SPEC_PROCESS_KEYRING"},
	{0xfffffffd, "KEY_SPEC_SESSION_KEYRING"}, {0xfffffffc, "KEY_SPEC_USER_KEYRING"},
	{0xfffffffb, "KEY_SPEC_USER_SESSION_KEYRING"}, {0xfffffffa, "KEY_SPEC_GROUP_KEYRING"},
	{0xfffffff9, "KEY_SPEC_REQKEY_AUTH_KEY"}, {0xfffffff8, "KEY_SPEC_REQUESTOR_KEYRING"},
}}

// KeyctlCmds name keyctl's operations.
var KeyctlCmds = &Enum{Unknown: "KEYCTL_???", Syms: []Sym{
	{0, "KEYCTL_GET_KEYRING_ID"}, {1, "KEYCTL_JOIN_SESSION_KEYRING"}, {2, "KEYCTL_UPDATE"},
	{3, "KEYCTL_REVOKE"}, {4, "KEYCTL_CHOWN"}, {5, "KEYCTL_SETPERM"}, {6, "KEYCTL_DESCRIBE"},
	{7, "KEYCTL_CLEAR"}, {8, "KEYCTL_LINK"}, {9, "KEYCTL_UNLINK"}, {0xa, "KEYCTL_SEARCH"},
	{0xb, "KEYCTL_READ"}, {0xc, "KEYCTL_INSTANTIATE"}, {0xd, "KEYCTL_NEGATE"},
	{0xe, "KEYCTL_SET_REQKEY_KEYRING"}, {0xf, "KEYCTL_SET_TIMEOUT"}, {0x10, "KEYCTL_ASSUME_AUTHORITY"},
	{0x11, "KEYCTL_GET_SECURITY"}, {0x12, "KEYCTL_SESSION_TO_PARENT"}, {0x13, "KEYCTL_REJECT"},
	{0x14, "KEYCTL_INSTANTIATE_IOV"}, {0x15, "KEYCTL_INVALIDATE"}, {0x16, "KEYCTL_GET_PERSISTENT"},
	{0x17, "KEYCTL_DH_COMPUTE"}, {0x18, "KEYCTL_PKEY_QUERY"}, {0x19, "KEYCTL_PKEY_ENCRYPT"},
	{0x1a, "KEYCTL_PKEY_DECRYPT"}, {0x1b, "KEYCTL_PKEY_SIGN"}, {0x1c, "KEYCTL_PKEY_VERIFY"},
	{0x1d, "KEYCTL_RESTRICT_KEYRING"}, {0x1e, "KEYCTL_MOVE"}, {0x1f, "KEYCTL_CAPABILITIES"},
	{0x20, "KEYCTL_WATCH_KEY"},
}}

// ReqkeyDefaults name KEYCTL_SET_REQKEY_KEYRING's keyrings.
var ReqkeyDefaults = &Enum{Unknown: "KEY_REQKEY_DEFL_???", Syms: []Sym{
	{0xffffffff, "KEY_REQKEY_DEFL_NO_CHANGE"}, {0, "KEY_REQKEY_DEFL_DEFAULT"},
	{1, "KEY_REQKEY_DEFL_THREAD_KEYRING"}, {2, "KEY_REQKEY_DEFL_PROCESS_KEYRING"},
	{3, "KEY_REQKEY_DEFL_SESSION_KEYRING"}, {4, "KEY_REQKEY_DEFL_USER_KEYRING"},
	{5, "KEY_REQKEY_DEFL_USER_SESSION_KEYRING"}, {6, "KEY_REQKEY_DEFL_GROUP_KEYRING"},
	{7, "KEY_REQKEY_DEFL_REQUESTOR_KEYRING"},
}}

// keySerial renders a key serial number: a KEY_SPEC_* name or a number.
func keySerial(v uint64) event.Value {
	if name := KeySpecs.Name(uint64(uint32(v))); name != "" {
		return styledVal(name, event.Int(int64(int32(v))))
	}
	return event.Int(int64(int32(v)))
}

// FmtKeySerial is a key or keyring serial number.
var FmtKeySerial = &Format{Name: "key_serial", Decode: func(x *ctx, i int) event.Value { return keySerial(x.arg(i)) }}

var (
	kSerial = opArg{show: func(_ *ctx, v uint64) event.Value { return keySerial(v) }}
	kInt    = opArg{show: func(_ *ctx, v uint64) event.Value { return event.Int(int64(int32(v))) }}
	kUint   = opArg{show: func(_ *ctx, v uint64) event.Value { return event.Uint(uint64(uint32(v))) }}
	kUlong  = opArg{show: func(x *ctx, v uint64) event.Value { return event.Uint(x.word(v)) }}
	kHex    = opArg{show: func(x *ctx, v uint64) event.Value { return event.Hex(x.word(v)) }}
	kStr    = opArg{show: func(x *ctx, v uint64) event.Value { return x.cstring(x.word(v), x.d.Opts.StrSize) }}
	kUid    = opArg{show: func(_ *ctx, v uint64) event.Value { return uidVal(uint32(v)) }}
	// kBufOut is a buffer the operation fills: as many bytes as it
	// returns, but never more than the buffer's length (the next
	// argument).
	kBufOut = opArg{out: true, show: func(x *ctx, v uint64) event.Value {
		return x.out(x.word(v), func(x *ctx, addr uint64) event.Value {
			return x.buffer(addr, min(uint64(x.ret()), x.word(x.arg(x.cur+1))))
		})
	}}
	// kBufIn is a buffer the operation reads, its length the next
	// argument.
	kBufIn = opArg{show: func(x *ctx, v uint64) event.Value { return x.buffer(x.word(v), x.word(x.arg(x.cur+1))) }}
)

// keyctlOps lists the arguments of the operations strace decodes.
var keyctlOps = map[uint64][]opArg{
	0:    {kSerial, kInt},                    // GET_KEYRING_ID
	1:    {kStr},                             // JOIN_SESSION_KEYRING
	2:    {kSerial, kBufIn, kUlong},          // UPDATE
	3:    {kSerial},                          // REVOKE
	4:    {kSerial, kUid, kUid},              // CHOWN
	5:    {kSerial, kHex},                    // SETPERM
	6:    {kSerial, kBufOut, kUlong},         // DESCRIBE
	7:    {kSerial},                          // CLEAR
	8:    {kSerial, kSerial},                 // LINK
	9:    {kSerial, kSerial},                 // UNLINK
	0xa:  {kSerial, kStr, kStr, kSerial},     // SEARCH
	0xb:  {kSerial, kBufOut, kUlong},         // READ
	0xc:  {kSerial, kBufIn, kUlong, kSerial}, // INSTANTIATE
	0xd:  {kSerial, kUint, kSerial},          // NEGATE
	0xe:  {{show: func(_ *ctx, v uint64) event.Value { return enumVal(uint64(uint32(v)), ReqkeyDefaults) }}},
	0xf:  {kSerial, kUint},                 // SET_TIMEOUT
	0x10: {kSerial},                        // ASSUME_AUTHORITY
	0x11: {kSerial, kBufOut, kUlong},       // GET_SECURITY
	0x12: {},                               // SESSION_TO_PARENT
	0x13: {kSerial, kUint, kUint, kSerial}, // REJECT
	0x15: {kSerial},                        // INVALIDATE
	0x16: {kUid, kSerial},                  // GET_PERSISTENT
}

// keyctlOther is what strace prints for operations it does not decode:
// four arguments in hex.
var keyctlOther = []opArg{kHex, kHex, kHex, kHex}

func keyctlSpec(x *ctx) []opArg {
	if a, ok := keyctlOps[uint64(uint32(x.arg(0)))]; ok {
		return a
	}
	return keyctlOther
}

// keyctl formats.
var (
	FmtKeyctlCmd = enumFmt(KeyctlCmds)
	// FmtKeyctlArg is one of keyctl's arguments 2 to 5, as the
	// operation uses it.
	FmtKeyctlArg = opArgsFmt("keyctl_arg", keyctlSpec)
	// FmtKeyPayload is add_key's payload; Aux is its length.
	FmtKeyPayload = inFmt("buf", func(x *ctx, addr uint64) event.Value { return x.buffer(addr, x.word(x.auxArg())) })
)
