package decode

import (
	"strconv"

	"github.com/gtrace/gtrace/pkg/event"
)

// SchedPolicies name the scheduling policies.
var SchedPolicies = &Enum{Unknown: "SCHED_???", Syms: []Sym{
	{0, "SCHED_OTHER"}, {1, "SCHED_FIFO"}, {2, "SCHED_RR"}, {3, "SCHED_BATCH"}, {4, "SCHED_ISO"},
	{5, "SCHED_IDLE"}, {6, "SCHED_DEADLINE"},
}}

// schedResetOnFork is the flag that may accompany a policy.
const schedResetOnFork = 0x40000000

// Tables of the scheduling and priority calls.
var (
	SchedAttrFlags = &Flags{Bits: []Sym{
		{1, "SCHED_FLAG_RESET_ON_FORK"}, {2, "SCHED_FLAG_RECLAIM"}, {4, "SCHED_FLAG_DL_OVERRUN"},
		{8, "SCHED_FLAG_KEEP_POLICY"}, {0x10, "SCHED_FLAG_KEEP_PARAMS"}, {0x20, "SCHED_FLAG_UTIL_CLAMP_MIN"},
		{0x40, "SCHED_FLAG_UTIL_CLAMP_MAX"},
	}}
	PriorityWhich = &Enum{Unknown: "PRIO_???", Syms: []Sym{{0, "PRIO_PROCESS"}, {1, "PRIO_PGRP"}, {2, "PRIO_USER"}}}
	IoprioWho     = &Enum{Unknown: "IOPRIO_WHO_???", Syms: []Sym{{1, "IOPRIO_WHO_PROCESS"}, {2, "IOPRIO_WHO_PGRP"}, {3, "IOPRIO_WHO_USER"}}}
	IoprioClass   = &Enum{Unknown: "IOPRIO_CLASS_???", Syms: []Sym{{0, "IOPRIO_CLASS_NONE"}, {1, "IOPRIO_CLASS_RT"}, {2, "IOPRIO_CLASS_BE"}, {3, "IOPRIO_CLASS_IDLE"}}}
)

// Scheduling formats.
var (
	FmtSchedPolicy   = &Format{Name: "enum", Decode: func(x *ctx, i int) event.Value { return schedPolicy(uint32(x.arg(i))) }}
	FmtPriorityWhich = enumFmt(PriorityWhich)
	FmtIoprioWho     = enumFmt(IoprioWho)
	FmtIoprio        = &Format{Name: "ioprio", Decode: func(x *ctx, i int) event.Value { return ioprioVal(uint32(x.arg(i)), false) }}
	// FmtSchedParam and FmtSchedParamOut are a struct sched_param: [0].
	FmtSchedParam    = inFmt("sched_param", (*ctx).intPtr)
	FmtSchedParamOut = outFmt("sched_param", (*ctx).intPtr)
	// FmtSchedAttr and FmtSchedAttrOut are a struct sched_attr.
	FmtSchedAttr    = inFmt("sched_attr", (*ctx).schedAttr)
	FmtSchedAttrOut = outFmt("sched_attr", (*ctx).schedAttr)
	FmtSchedFlags   = flagsFmt(SchedAttrFlags)
	// FmtCpuSet is the CPU mask sched_setaffinity reads (Aux: its size).
	FmtCpuSet = inFmt("cpu_set", func(x *ctx, addr uint64) event.Value { return x.cpuSet(addr, uint64(uint32(x.auxArg()))) })
	// FmtCpuSetOut is the mask sched_getaffinity fills: as many bytes as
	// it returns.
	FmtCpuSetOut = outFmt("cpu_set", func(x *ctx, addr uint64) event.Value { return x.cpuSet(addr, uint64(x.ret())) })
	// FmtRetSchedPolicy is sched_getscheduler's result: 0 (SCHED_OTHER).
	FmtRetSchedPolicy = &Format{Name: "enum", Ret: func(x *ctx) (event.Value, event.Value) {
		p := schedPolicy(uint32(x.ret()))
		return event.Int(x.ret()), event.Text(string(p.Syms.AppendSym(nil, p.N, event.XlatAbbrev)))
	}}
	// FmtRetIoprio is ioprio_get's result: 0
	// (IOPRIO_PRIO_VALUE(IOPRIO_CLASS_NONE, 0)).
	FmtRetIoprio = &Format{Name: "ioprio", Ret: func(x *ctx) (event.Value, event.Value) {
		return event.Int(x.ret()), ioprioVal(uint32(x.ret()), true)
	}}
)

// schedPolicy renders a policy with the flag it may carry:
// SCHED_OTHER|SCHED_RESET_ON_FORK.
func schedPolicy(p uint32) event.Value {
	return flagsVal(uint64(p), schedPolicySyms{})
}

type schedPolicySyms struct{}

func (schedPolicySyms) AppendSym(b []byte, v uint64, style event.XlatStyle) []byte {
	b = SchedPolicies.AppendSym(b, v&^schedResetOnFork, style)
	if v&schedResetOnFork != 0 && style != event.XlatRaw {
		b = append(b, "|SCHED_RESET_ON_FORK"...)
	}
	return b
}

func (schedPolicySyms) Names(v uint64) ([]string, uint64) { return SchedPolicies.Names(v) }

// ioprioVal is an I/O priority: IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4);
// aside, as strace shows one after ioprio_get's result.
func ioprioVal(v uint32, aside bool) event.Value {
	return event.Value{Kind: event.VEnum, N: uint64(v), Syms: ioprioSyms{aside}}
}

// ioprioSyms renders an I/O priority in each -X style: the number under
// raw (nothing for an aside), the number and IOPRIO_PRIO_VALUE(...) in a
// comment under verbose (the macro alone for an aside).
type ioprioSyms struct{ aside bool }

// AppendSym implements event.Symbols.
func (s ioprioSyms) AppendSym(b []byte, v uint64, style event.XlatStyle) []byte {
	if style == event.XlatRaw {
		if s.aside {
			return b
		}
		return strconv.AppendUint(b, v, 10)
	}
	if style == event.XlatVerbose && !s.aside {
		b = append(strconv.AppendUint(b, v, 10), " /* "...)
	}
	b = append(b, "IOPRIO_PRIO_VALUE("...)
	b = IoprioClass.AppendSym(b, v>>13, style)
	b = append(b, ", "...)
	b = strconv.AppendUint(b, v&0x1fff, 10)
	b = append(b, ')')
	if style == event.XlatVerbose && !s.aside {
		b = append(b, " */"...)
	}
	return b
}

// Names implements event.Symbols.
func (ioprioSyms) Names(v uint64) ([]string, uint64) { return IoprioClass.Names(v >> 13) }

// schedAttr decodes struct sched_attr; the utilization clamps are there
// when its size says so.
func (x *ctx) schedAttr(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 48)
	if !ok {
		return v
	}
	size := b.u32(0)
	v = strct(
		event.Field("size", event.Uint(size)),
		event.Field("sched_policy", schedPolicy(uint32(b.u32(4)))),
		event.Field("sched_flags", flagsVal(b.u64(8), SchedAttrFlags)),
		event.Field("sched_nice", event.Int(b.s32(16))),
		event.Field("sched_priority", event.Uint(b.u32(20))),
		event.Field("sched_runtime", event.Uint(b.u64(24))),
		event.Field("sched_deadline", event.Uint(b.u64(32))),
		event.Field("sched_period", event.Uint(b.u64(40))))
	if size >= 56 {
		if u, _, ok := x.fetch(addr+48, 8); ok {
			v.Elems = append(v.Elems,
				event.Field("sched_util_min", event.Uint(u.u32(0))),
				event.Field("sched_util_max", event.Uint(u.u32(4))))
		}
	}
	return v
}

// cpuSet renders a CPU mask of size bytes as the list of its CPUs:
// [0 1 3].
func (x *ctx) cpuSet(addr, size uint64) event.Value {
	size = min(size, maxArrayBytes)
	b, v, ok := x.fetch(addr, int(size))
	if !ok || size == 0 {
		if size == 0 && addr != 0 {
			return event.Text("[]")
		}
		return v
	}
	out := []byte{'['}
	for i, c := range b {
		for bit := 0; c != 0; bit, c = bit+1, c>>1 {
			if c&1 != 0 {
				if len(out) > 1 {
					out = append(out, ' ')
				}
				out = strconv.AppendInt(out, int64(i*8+bit), 10)
			}
		}
	}
	return event.Text(string(append(out, ']')))
}
