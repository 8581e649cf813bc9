package decode

import "github.com/gtrace/gtrace/pkg/event"

// PrctlOptions name prctl's options.
var PrctlOptions = &Enum{Unknown: "PR_???", Syms: []Sym{
	{1, "PR_SET_PDEATHSIG"}, {2, "PR_GET_PDEATHSIG"}, {3, "PR_GET_DUMPABLE"}, {4, "PR_SET_DUMPABLE"},
	{5, "PR_GET_UNALIGN"}, {6, "PR_SET_UNALIGN"}, {7, "PR_GET_KEEPCAPS"}, {8, "PR_SET_KEEPCAPS"},
	{9, "PR_GET_FPEMU"}, {0xa, "PR_SET_FPEMU"}, {0xb, "PR_GET_FPEXC"}, {0xc, "PR_SET_FPEXC"},
	{0xd, "PR_GET_TIMING"}, {0xe, "PR_SET_TIMING"}, {0xf, "PR_SET_NAME"}, {0x10, "PR_GET_NAME"},
	{0x13, "PR_GET_ENDIAN"}, {0x14, "PR_SET_ENDIAN"}, {0x15, "PR_GET_SECCOMP"}, {0x16, "PR_SET_SECCOMP"},
	{0x17, "PR_CAPBSET_READ"}, {0x18, "PR_CAPBSET_DROP"}, {0x19, "PR_GET_TSC"}, {0x1a, "PR_SET_TSC"},
	{0x1b, "PR_GET_SECUREBITS"}, {0x1c, "PR_SET_SECUREBITS"}, {0x1d, "PR_SET_TIMERSLACK"},
	{0x1e, "PR_GET_TIMERSLACK"}, {0x1f, "PR_TASK_PERF_EVENTS_DISABLE"},
	{0x20, "PR_TASK_PERF_EVENTS_ENABLE"}, {0x21, "PR_MCE_KILL"}, {0x22, "PR_MCE_KILL_GET"},
	{0x23, "PR_SET_MM"}, {0x24, "PR_SET_CHILD_SUBREAPER"}, {0x25, "PR_GET_CHILD_SUBREAPER"},
	{0x26, "PR_SET_NO_NEW_PRIVS"}, {0x27, "PR_GET_NO_NEW_PRIVS"}, {0x28, "PR_GET_TID_ADDRESS"},
	{0x29, "PR_SET_THP_DISABLE"}, {0x2a, "PR_GET_THP_DISABLE"}, {0x2b, "PR_MPX_ENABLE_MANAGEMENT"},
	{0x2c, "PR_MPX_DISABLE_MANAGEMENT"}, {0x2d, "PR_SET_FP_MODE"}, {0x2e, "PR_GET_FP_MODE"},
	{0x2f, "PR_CAP_AMBIENT"}, {0x32, "PR_SVE_SET_VL"}, {0x33, "PR_SVE_GET_VL"},
	{0x34, "PR_GET_SPECULATION_CTRL"}, {0x35, "PR_SET_SPECULATION_CTRL"}, {0x36, "PR_PAC_RESET_KEYS"},
	{0x37, "PR_SET_TAGGED_ADDR_CTRL"}, {0x38, "PR_GET_TAGGED_ADDR_CTRL"}, {0x39, "PR_SET_IO_FLUSHER"},
	{0x3a, "PR_GET_IO_FLUSHER"}, {0x3b, "PR_SET_SYSCALL_USER_DISPATCH"},
	{0x3c, "PR_PAC_SET_ENABLED_KEYS"}, {0x3d, "PR_PAC_GET_ENABLED_KEYS"}, {0x3e, "PR_SCHED_CORE"},
	{0x3f, "PR_SME_SET_VL"}, {0x40, "PR_SME_GET_VL"}, {0x53564d41, "PR_SET_VMA"},
	{0x59616d61, "PR_SET_PTRACER"},
}}

// Tables of prctl's option arguments.
var (
	PrDumpable   = &Enum{Unknown: "SUID_DUMP_???", Syms: []Sym{{0, "SUID_DUMP_DISABLE"}, {1, "SUID_DUMP_USER"}, {2, "SUID_DUMP_ROOT"}}}
	SecureBits   = &Flags{Bits: []Sym{{1, "SECBIT_NOROOT"}, {2, "SECBIT_NOROOT_LOCKED"}, {4, "SECBIT_NO_SETUID_FIXUP"}, {8, "SECBIT_NO_SETUID_FIXUP_LOCKED"}, {0x10, "SECBIT_KEEP_CAPS"}, {0x20, "SECBIT_KEEP_CAPS_LOCKED"}, {0x40, "SECBIT_NO_CAP_AMBIENT_RAISE"}, {0x80, "SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED"}}}
	PrSetVMA     = &Enum{Unknown: "PR_SET_VMA_???", Syms: []Sym{{0, "PR_SET_VMA_ANON_NAME"}}}
	PrTSC        = &Enum{Unknown: "PR_TSC_???", Syms: []Sym{{1, "PR_TSC_ENABLE"}, {2, "PR_TSC_SIGSEGV"}}}
	PrUnalign    = &Flags{Bits: []Sym{{1, "PR_UNALIGN_NOPRINT"}, {2, "PR_UNALIGN_SIGBUS"}}}
	PrCapAmbient = &Enum{Unknown: "PR_CAP_AMBIENT_???", Syms: []Sym{{1, "PR_CAP_AMBIENT_IS_SET"}, {2, "PR_CAP_AMBIENT_RAISE"}, {3, "PR_CAP_AMBIENT_LOWER"}, {4, "PR_CAP_AMBIENT_CLEAR_ALL"}}}
	PrMCEKill    = &Enum{Unknown: "PR_MCE_KILL_???", Syms: []Sym{{0, "PR_MCE_KILL_CLEAR"}, {1, "PR_MCE_KILL_SET"}}}
	PrMCEPolicy  = &Enum{Unknown: "PR_MCE_KILL_???", Syms: []Sym{{0, "PR_MCE_KILL_LATE"}, {1, "PR_MCE_KILL_EARLY"}, {2, "PR_MCE_KILL_DEFAULT"}}}
	SeccompModes = &Enum{Unknown: "SECCOMP_MODE_???", Syms: []Sym{{0, "SECCOMP_MODE_DISABLED"}, {1, "SECCOMP_MODE_STRICT"}, {2, "SECCOMP_MODE_FILTER"}}}
	PrSpecCmds   = &Enum{Unknown: "PR_SPEC_???", Syms: []Sym{{0, "PR_SPEC_STORE_BYPASS"}, {1, "PR_SPEC_INDIRECT_BRANCH"}, {2, "PR_SPEC_L1D_FLUSH"}}}
	PrSpecSet    = &Enum{Unknown: "PR_SPEC_???", Syms: []Sym{{2, "PR_SPEC_ENABLE"}, {4, "PR_SPEC_DISABLE"}, {8, "PR_SPEC_FORCE_DISABLE"}, {0x10, "PR_SPEC_DISABLE_NOEXEC"}}}
	PrSpecGet    = &Flags{Zero: "PR_SPEC_NOT_AFFECTED", Bits: []Sym{{1, "PR_SPEC_PRCTL"}, {2, "PR_SPEC_ENABLE"}, {4, "PR_SPEC_DISABLE"}, {8, "PR_SPEC_FORCE_DISABLE"}, {0x10, "PR_SPEC_DISABLE_NOEXEC"}}}
	PrFPMode     = &Flags{Bits: []Sym{{1, "PR_FP_MODE_FR"}, {2, "PR_FP_MODE_FRE"}}}
	PrSetMM      = &Enum{Unknown: "PR_SET_MM_???", Syms: []Sym{
		{1, "PR_SET_MM_START_CODE"}, {2, "PR_SET_MM_END_CODE"}, {3, "PR_SET_MM_START_DATA"},
		{4, "PR_SET_MM_END_DATA"}, {5, "PR_SET_MM_START_STACK"}, {6, "PR_SET_MM_START_BRK"},
		{7, "PR_SET_MM_BRK"}, {8, "PR_SET_MM_ARG_START"}, {9, "PR_SET_MM_ARG_END"},
		{0xa, "PR_SET_MM_ENV_START"}, {0xb, "PR_SET_MM_ENV_END"}, {0xc, "PR_SET_MM_AUXV"},
		{0xd, "PR_SET_MM_EXE_FILE"}, {0xe, "PR_SET_MM_MAP"}, {0xf, "PR_SET_MM_MAP_SIZE"},
	}}
)

// Capabilities name the CAP_* capability numbers.
var Capabilities = &Enum{Unknown: "CAP_???", Syms: []Sym{
	{0, "CAP_CHOWN"}, {1, "CAP_DAC_OVERRIDE"}, {2, "CAP_DAC_READ_SEARCH"}, {3, "CAP_FOWNER"},
	{4, "CAP_FSETID"}, {5, "CAP_KILL"}, {6, "CAP_SETGID"}, {7, "CAP_SETUID"}, {8, "CAP_SETPCAP"},
	{9, "CAP_LINUX_IMMUTABLE"}, {0xa, "CAP_NET_BIND_SERVICE"}, {0xb, "CAP_NET_BROADCAST"},
	{0xc, "CAP_NET_ADMIN"}, {0xd, "CAP_NET_RAW"}, {0xe, "CAP_IPC_LOCK"}, {0xf, "CAP_IPC_OWNER"},
	{0x10, "CAP_SYS_MODULE"}, {0x11, "CAP_SYS_RAWIO"}, {0x12, "CAP_SYS_CHROOT"},
	{0x13, "CAP_SYS_PTRACE"}, {0x14, "CAP_SYS_PACCT"}, {0x15, "CAP_SYS_ADMIN"}, {0x16, "CAP_SYS_BOOT"},
	{0x17, "CAP_SYS_NICE"}, {0x18, "CAP_SYS_RESOURCE"}, {0x19, "CAP_SYS_TIME"},
	{0x1a, "CAP_SYS_TTY_CONFIG"}, {0x1b, "CAP_MKNOD"}, {0x1c, "CAP_LEASE"}, {0x1d, "CAP_AUDIT_WRITE"},
	{0x1e, "CAP_AUDIT_CONTROL"}, {0x1f, "CAP_SETFCAP"}, {0x20, "CAP_MAC_OVERRIDE"},
	{0x21, "CAP_MAC_ADMIN"}, {0x22, "CAP_SYSLOG"}, {0x23, "CAP_WAKE_ALARM"}, {0x24, "CAP_BLOCK_SUSPEND"},
	{0x25, "CAP_AUDIT_READ"}, {0x26, "CAP_PERFMON"}, {0x27, "CAP_BPF"}, {0x28, "CAP_CHECKPOINT_RESTORE"},
}}

// prctlOption is how strace prints one option: its arguments after the
// option and its return value.
type prctlOption struct {
	args []opArg
	// retEnum names the return value in parentheses: 1 (SUID_DUMP_USER).
	retEnum *Enum
	// retFlags shows the return value in hex with its flags: 0x1
	// (SECBIT_NOROOT); a zero is shown alone unless retZero.
	retFlags *Flags
	retZero  bool
}

func prHex(x *ctx, v uint64) event.Value  { return event.Hex(x.word(v)) }
func prUint(x *ctx, v uint64) event.Value { return event.Uint(x.word(v)) }
func prInt(x *ctx, v uint64) event.Value  { return event.Int(x.slong(v)) }
func prAddr(x *ctx, v uint64) event.Value { return event.Ptr(x.word(v)) }
func prEnum(e *Enum) func(*ctx, uint64) event.Value {
	return func(x *ctx, v uint64) event.Value { return enumVal(x.word(v), e) }
}
func prFlags(f *Flags) func(*ctx, uint64) event.Value {
	return func(x *ctx, v uint64) event.Value { return flagsVal(x.word(v), f) }
}

// prBoxed reads an int the call wrote and shows it with show: [SIGTERM].
func prBoxed(show func(uint32) event.Value) func(*ctx, uint64) event.Value {
	return func(x *ctx, addr uint64) event.Value {
		return x.out(x.word(addr), func(x *ctx, addr uint64) event.Value { return x.boxed32(addr, show) })
	}
}

// prRest is the hex arguments strace prints for options it knows no
// better, from argument 2 on.
var prRest = []opArg{{show: prHex}, {show: prHex}, {show: prHex}, {show: prHex}}

func args(a ...opArg) []opArg { return a }

var (
	prArgHex   = opArg{show: prHex}
	prArgUint  = opArg{show: prUint}
	prOutUint  = opArg{out: true, show: prBoxed(func(v uint32) event.Value { return event.Uint(uint64(v)) })}
	prctlNoArg = prctlOption{}
)

// prctlOptions holds the options strace decodes; others print their four
// arguments in hex.
var prctlOptions = map[uint64]prctlOption{
	7: prctlNoArg, 0x15: prctlNoArg, 0x1e: prctlNoArg, 0xd: prctlNoArg, 0x1f: prctlNoArg, 0x20: prctlNoArg,
	0x25: {args: args(prOutUint)}, 0x13: {args: args(prOutUint)}, 9: {args: args(prOutUint)}, 0xb: {args: args(prOutUint)},
	3: {retEnum: PrDumpable},
	0x10: {args: args(opArg{out: true, show: func(x *ctx, addr uint64) event.Value {
		return x.out(x.word(addr), func(x *ctx, addr uint64) event.Value { return x.cstring(addr, min(16, x.d.Opts.StrSize)) })
	}})},
	2:    {args: args(opArg{out: true, show: prBoxed(func(v uint32) event.Value { return enumVal(uint64(v), SignalSyms) })})},
	0x1b: {retFlags: SecureBits},
	0x28: {args: args(opArg{out: true, show: func(x *ctx, addr uint64) event.Value { return x.out(x.word(addr), (*ctx).kptrPtr) }})},
	0x19: {args: args(opArg{out: true, show: prBoxed(func(v uint32) event.Value { return enumVal(uint64(v), PrTSC) })})},
	5:    {args: args(opArg{out: true, show: prBoxed(func(v uint32) event.Value { return flagsVal(uint64(v), PrUnalign) })})},
	0x2e: {retFlags: PrFPMode},
	0x34: {args: args(opArg{show: prEnum(PrSpecCmds)}), retFlags: PrSpecGet, retZero: true},
	0x24: {args: args(prArgUint)}, 0x14: {args: args(prArgUint)}, 0xa: {args: args(prArgUint)},
	0xc: {args: args(prArgUint)}, 8: {args: args(prArgUint)}, 0xe: {args: args(prArgUint)},
	4:    {args: args(opArg{show: prEnum(PrDumpable)})},
	0x18: {args: args(opArg{show: prEnum(Capabilities)})},
	0x17: {args: args(opArg{show: prEnum(Capabilities)})},
	0x21: {args: args(opArg{show: prEnum(PrMCEKill)}, opArg{show: func(x *ctx, v uint64) event.Value {
		if x.arg(1) == 1 {
			return enumVal(v, PrMCEPolicy)
		}
		return event.Hex(v)
	}}, prArgHex, prArgHex)},
	0xf: {args: args(opArg{show: func(x *ctx, addr uint64) event.Value { return x.cstring(x.word(addr), min(15, x.d.Opts.StrSize)) }})},
	0x53564d41: {args: args(opArg{show: prEnum(PrSetVMA)}, opArg{show: prAddr}, prArgUint,
		opArg{show: func(x *ctx, addr uint64) event.Value { return x.cstring(x.word(addr), x.d.Opts.StrSize) }})},
	0x23: {args: args(opArg{show: prEnum(PrSetMM)}, prArgHex, prArgHex, prArgHex)},
	1: {args: args(opArg{show: func(_ *ctx, v uint64) event.Value {
		if v > 128 {
			return event.Uint(v)
		}
		return enumVal(v, SignalSyms)
	}})},
	0x59616d61: {args: args(opArg{show: func(x *ctx, v uint64) event.Value {
		if int32(v) == -1 {
			return styledVal("PR_SET_PTRACER_ANY", event.Int(-1))
		}
		return event.Int(int64(int32(v)))
	}})},
	0x1c: {args: args(opArg{show: prFlags(SecureBits)})},
	0x1d: {args: args(opArg{show: prInt})},
	0x1a: {args: args(opArg{show: prEnum(PrTSC)})},
	6:    {args: args(opArg{show: prFlags(PrUnalign)})},
	0x26: {args: append(args(prArgUint), prRest[1:]...)},
	0x29: {args: append(args(prArgUint), prRest[1:]...)},
	0x39: {args: append(args(prArgUint), prRest[1:]...)},
	0x22: {args: prRest, retEnum: PrMCEPolicy},
	0x2d: {args: args(opArg{show: prFlags(PrFPMode)})},
	0x35: {args: args(opArg{show: prEnum(PrSpecCmds)}, opArg{show: func(x *ctx, v uint64) event.Value {
		if x.arg(1) <= 2 {
			return enumVal(v, PrSpecSet)
		}
		return event.Hex(v)
	}})},
}

// prctlSpec is the decoding of the option a call passes.
func prctlSpec(x *ctx) prctlOption {
	opt := uint64(uint32(x.arg(0)))
	if o, ok := prctlOptions[opt]; ok {
		return o
	}
	if opt == 0x16 { // PR_SET_SECCOMP
		return prctlOption{args: args(opArg{show: prEnum(SeccompModes)}, prArgHex, prArgHex, prArgHex)}
	}
	if opt == 0x2f { // PR_CAP_AMBIENT
		if a := x.arg(1); a >= 1 && a <= 3 {
			return prctlOption{args: args(opArg{show: prEnum(PrCapAmbient)}, opArg{show: prEnum(Capabilities)}, prArgHex, prArgHex)}
		}
		return prctlOption{args: args(opArg{show: prEnum(PrCapAmbient)}, prArgHex, prArgHex, prArgHex)}
	}
	return prctlOption{args: prRest}
}

// prctl formats.
var (
	FmtPrctlOption = enumFmt(PrctlOptions)
	// FmtPrctlArg is one of prctl's arguments 2 to 5, shown as the
	// option wants.
	FmtPrctlArg = opArgsFmt("prctl_arg", func(x *ctx) []opArg { return prctlSpec(x).args })
	FmtRetPrctl = &Format{Name: "prctl", Ret: func(x *ctx) (event.Value, event.Value) {
		r := uint64(x.ret())
		switch o := prctlSpec(x); {
		case o.retEnum != nil:
			return event.Int(x.ret()), namedAux(o.retEnum, r)
		case o.retFlags != nil && (r != 0 || o.retZero):
			return event.Hex(r), flagsVal(r, o.retFlags)
		}
		return event.Int(x.ret()), event.Value{}
	}}
)

// ArchPrctlCodes are arch_prctl's codes.
var ArchPrctlCodes = &Enum{Unknown: "ARCH_???", Syms: []Sym{
	{0x1001, "ARCH_SET_GS"}, {0x1002, "ARCH_SET_FS"}, {0x1003, "ARCH_GET_FS"}, {0x1004, "ARCH_GET_GS"},
	{0x1011, "ARCH_GET_CPUID"}, {0x1012, "ARCH_SET_CPUID"}, {0x1021, "ARCH_GET_XCOMP_SUPP"},
	{0x1022, "ARCH_GET_XCOMP_PERM"}, {0x1023, "ARCH_REQ_XCOMP_PERM"},
	{0x1024, "ARCH_GET_XCOMP_GUEST_PERM"}, {0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"},
	{0x2001, "ARCH_MAP_VDSO_X32"}, {0x2002, "ARCH_MAP_VDSO_32"}, {0x2003, "ARCH_MAP_VDSO_64"},
}}

// arch_prctl formats.
var (
	FmtArchPrctlCode = enumFmt(ArchPrctlCodes)
	// FmtArchPrctlArg is arch_prctl's address: where ARCH_GET_FS and
	// ARCH_GET_GS store the base ([0x7f...]), a value otherwise, and
	// nothing for ARCH_GET_CPUID.
	FmtArchPrctlArg = &Format{Name: "arch_prctl_arg",
		Late: func(x *ctx, i int) bool { c := uint32(x.arg(0)); return c == 0x1003 || c == 0x1004 },
		Decode: func(x *ctx, i int) event.Value {
			addr := x.word(x.arg(i))
			switch uint32(x.arg(0)) {
			case 0x1011:
				return event.Value{}
			case 0x1003, 0x1004:
				return x.out(addr, (*ctx).kptrPtr)
			}
			return event.Hex(addr)
		}}
)
