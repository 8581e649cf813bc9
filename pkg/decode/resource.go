package decode

import (
	"strconv"

	"github.com/gtrace/gtrace/pkg/event"
)

// RlimitResources names the RLIMIT_* resources.
var RlimitResources = &Enum{Unknown: "RLIMIT_???", Syms: []Sym{
	{0, "RLIMIT_CPU"}, {1, "RLIMIT_FSIZE"}, {2, "RLIMIT_DATA"}, {3, "RLIMIT_STACK"}, {4, "RLIMIT_CORE"},
	{5, "RLIMIT_RSS"}, {6, "RLIMIT_NPROC"}, {7, "RLIMIT_NOFILE"}, {8, "RLIMIT_MEMLOCK"},
	{9, "RLIMIT_AS"}, {0xa, "RLIMIT_LOCKS"}, {0xb, "RLIMIT_SIGPENDING"}, {0xc, "RLIMIT_MSGQUEUE"},
	{0xd, "RLIMIT_NICE"}, {0xe, "RLIMIT_RTPRIO"}, {0xf, "RLIMIT_RTTIME"},
}}

// RusageWho names getrusage's who.
var RusageWho = &Enum{Unknown: "RUSAGE_???", Syms: []Sym{
	{0, "RUSAGE_SELF"}, {0xffffffff, "RUSAGE_CHILDREN"}, {0xfffffffe, "RUSAGE_BOTH"}, {1, "RUSAGE_THREAD"},
}}

// Resource formats.
var (
	FmtRlimitResource = enumFmt(RlimitResources)
	FmtRusageWho      = enumFmt(RusageWho)
	// FmtRlimit and FmtRlimitOut are a struct rlimit (or rlimit64: the
	// same on x86_64) the call reads or fills.
	FmtRlimit     = inFmt("rlimit", (*ctx).rlimit)
	FmtRlimitOut  = outFmt("rlimit", (*ctx).rlimit)
	FmtRusageOut  = outFmt("rusage", (*ctx).rusage)
	FmtSysinfoOut = outFmt("sysinfo", (*ctx).sysinfo)
	FmtTmsOut     = outFmt("tms", (*ctx).tms)
	FmtUtsnameOut = outFmt("utsname", (*ctx).utsname)
)

// rlimit decodes a struct rlimit64 {rlim_cur, rlim_max}.
func (x *ctx) rlimit(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 16)
	if !ok {
		return v
	}
	return strct(event.Field("rlim_cur", rlim(b.u64(0))), event.Field("rlim_max", rlim(b.u64(8))))
}

// rlim prints a limit as strace does: RLIM64_INFINITY, or 8192*1024.
func rlim(v uint64) event.Value {
	switch {
	case v == ^uint64(0):
		return styledVal("RLIM64_INFINITY", event.Uint(v))
	case v > 1024 && v%1024 == 0:
		return styledVal(strconv.FormatUint(v/1024, 10)+"*1024", event.Uint(v))
	}
	return event.Uint(v)
}

// rusage decodes struct rusage: the two times, and with -v the counters.
func (x *ctx) rusage(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 144)
	if !ok {
		return v
	}
	v = strct(
		event.Field("ru_utime", timevalVal(b.s64(0), b.s64(8))),
		event.Field("ru_stime", timevalVal(b.s64(16), b.s64(24))))
	if !x.verbose() {
		v.Trunc = true
		return v
	}
	for i, name := range []string{"ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt", "ru_majflt",
		"ru_nswap", "ru_inblock", "ru_oublock", "ru_msgsnd", "ru_msgrcv", "ru_nsignals", "ru_nvcsw", "ru_nivcsw"} {
		v.Elems = append(v.Elems, event.Field(name, event.Int(b.s64(32+8*i))))
	}
	return v
}

// sysinfo decodes struct sysinfo (the x86_64 layout).
func (x *ctx) sysinfo(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 112)
	if !ok {
		return v
	}
	u := func(name string, off int) event.Value { return event.Field(name, event.Uint(b.u64(off))) }
	return strct(
		event.Field("uptime", event.Int(b.s64(0))),
		event.Field("loads", x.fixedArray(event.Uint(b.u64(8)), event.Uint(b.u64(16)), event.Uint(b.u64(24)))),
		u("totalram", 32), u("freeram", 40), u("sharedram", 48), u("bufferram", 56),
		u("totalswap", 64), u("freeswap", 72),
		event.Field("procs", event.Uint(b.u16(80))),
		u("totalhigh", 88), u("freehigh", 96),
		event.Field("mem_unit", event.Uint(b.u32(104))))
}

// tms decodes struct tms: four clock_t.
func (x *ctx) tms(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 32)
	if !ok {
		return v
	}
	return strct(
		event.Field("tms_utime", clockT(b.u64(0))), event.Field("tms_stime", clockT(b.u64(8))),
		event.Field("tms_cutime", clockT(b.u64(16))), event.Field("tms_cstime", clockT(b.u64(24))))
}

// clkTck is the kernel's USER_HZ, the unit of clock_t.
const clkTck = 100

// clockT prints a clock_t as strace does: 250 /* 2.50 s */.
func clockT(v uint64) event.Value {
	n := event.Uint(v)
	if v > 0 {
		frac := strconv.FormatUint(v%clkTck, 10)
		if len(frac) < 2 {
			frac = "0" + frac
		}
		n.Comment = strconv.FormatUint(v/clkTck, 10) + "." + frac + " s"
	}
	return n
}

// utsname decodes struct utsname: six 65-byte strings, the first two
// unless -v.
func (x *ctx) utsname(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 6*65)
	if !ok {
		return v
	}
	v = strct()
	for i, name := range []string{"sysname", "nodename", "release", "version", "machine", "domainname"} {
		if i == 2 && !x.verbose() {
			v.Trunc = true
			break
		}
		v.Elems = append(v.Elems, event.Field(name, cstringIn(b[i*65:(i+1)*65])))
	}
	return v
}

// cstringIn is the NUL-terminated string in a fixed-size field.
func cstringIn(b []byte) event.Value {
	for i, c := range b {
		if c == 0 {
			return event.Str(b[:i], false)
		}
	}
	return event.Str(b, false)
}
