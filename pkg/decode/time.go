package decode

import (
	"strconv"
	"time"

	"github.com/gtrace/gtrace/pkg/event"
)

// ClockIDs name the POSIX clocks.
var ClockIDs = &Enum{Unknown: "CLOCK_???", Syms: []Sym{
	{0, "CLOCK_REALTIME"}, {1, "CLOCK_MONOTONIC"}, {2, "CLOCK_PROCESS_CPUTIME_ID"},
	{3, "CLOCK_THREAD_CPUTIME_ID"}, {4, "CLOCK_MONOTONIC_RAW"}, {5, "CLOCK_REALTIME_COARSE"},
	{6, "CLOCK_MONOTONIC_COARSE"}, {7, "CLOCK_BOOTTIME"}, {8, "CLOCK_REALTIME_ALARM"},
	{9, "CLOCK_BOOTTIME_ALARM"}, {0xa, "CLOCK_SGI_CYCLE"}, {0xb, "CLOCK_TAI"},
}}

// TimerFlags are clock_nanosleep's and timer_settime's flags.
var TimerFlags = &Flags{Bits: []Sym{{1, "TIMER_ABSTIME"}}}

// ItimerWhich names the interval timers.
var ItimerWhich = &Enum{Unknown: "ITIMER_???", Syms: []Sym{{0, "ITIMER_REAL"}, {1, "ITIMER_VIRTUAL"}, {2, "ITIMER_PROF"}}}

// SigevNotify names struct sigevent's sigev_notify.
var SigevNotify = &Enum{Unknown: "SIGEV_???", Syms: []Sym{
	{0, "SIGEV_SIGNAL"}, {1, "SIGEV_NONE"}, {2, "SIGEV_THREAD"}, {4, "SIGEV_THREAD_ID"},
}}

// AdjtimexModes, AdjtimexStatus and AdjtimexState are struct timex's
// modes and status, and adjtimex's return value.
var (
	AdjtimexModes = &Flags{Bits: []Sym{
		{0xa001, "ADJ_OFFSET_SS_READ"}, {0x8001, "ADJ_OFFSET_SINGLESHOT"}, {1, "ADJ_OFFSET"},
		{2, "ADJ_FREQUENCY"}, {4, "ADJ_MAXERROR"}, {8, "ADJ_ESTERROR"}, {0x10, "ADJ_STATUS"},
		{0x20, "ADJ_TIMECONST"}, {0x80, "ADJ_TAI"}, {0x100, "ADJ_SETOFFSET"}, {0x1000, "ADJ_MICRO"},
		{0x2000, "ADJ_NANO"}, {0x4000, "ADJ_TICK"},
	}}
	AdjtimexStatus = &Flags{Bits: []Sym{
		{1, "STA_PLL"}, {2, "STA_PPSFREQ"}, {4, "STA_PPSTIME"}, {8, "STA_FLL"}, {0x10, "STA_INS"},
		{0x20, "STA_DEL"}, {0x40, "STA_UNSYNC"}, {0x80, "STA_FREQHOLD"}, {0x100, "STA_PPSSIGNAL"},
		{0x200, "STA_PPSJITTER"}, {0x400, "STA_PPSWANDER"}, {0x800, "STA_PPSERROR"},
		{0x1000, "STA_CLOCKERR"}, {0x2000, "STA_NANO"}, {0x4000, "STA_MODE"}, {0x8000, "STA_CLK"},
	}}
	AdjtimexState = &Enum{Syms: []Sym{
		{0, "TIME_OK"}, {1, "TIME_INS"}, {2, "TIME_DEL"}, {3, "TIME_OOP"}, {4, "TIME_WAIT"}, {5, "TIME_ERROR"},
	}}
)

// Time formats.
var (
	FmtClockid     = enumFmt(ClockIDs)
	FmtTimerFlags  = flagsFmt(TimerFlags)
	FmtItimerWhich = enumFmt(ItimerWhich)
	// FmtTimespec and FmtTimespecOut are a struct timespec the call
	// reads or fills.
	FmtTimespec    = inFmt("timespec", (*ctx).timespec)
	FmtTimespecOut = outFmt("timespec", (*ctx).timespec)
	FmtTimevalOut  = outFmt("timeval", (*ctx).timeval)
	FmtTimeval     = inFmt("timeval", (*ctx).timeval)
	FmtTimezone    = inFmt("timezone", (*ctx).timezone)
	FmtTimezoneOut = outFmt("timezone", (*ctx).timezone)
	// FmtSleepRem is the time left of an interrupted sleep: the kernel
	// writes it only when a signal cut the sleep short, so strace shows
	// just its address otherwise. Aux, when set, is clock_nanosleep's
	// flags: an absolute sleep leaves nothing.
	FmtSleepRem = &Format{Name: "timespec", Out: true, Decode: func(x *ctx, i int) event.Value {
		addr := x.word(x.arg(i))
		abs := x.sc.Args[i].Aux >= 0 && x.auxOf(i)&1 != 0
		if !isRestart(int(x.call.Errno)) || abs {
			return event.Ptr(addr)
		}
		return x.timespec(addr)
	}}
	FmtItimerval     = inFmt("itimerval", (*ctx).itimerval)
	FmtItimervalOut  = outFmt("itimerval", (*ctx).itimerval)
	FmtItimerspec    = inFmt("itimerspec", (*ctx).itimerspec)
	FmtItimerspecOut = outFmt("itimerspec", (*ctx).itimerspec)
	FmtSigevent      = inFmt("sigevent", (*ctx).sigevent)
	// FmtTimerIdOut is timer_create's new timer id: [0].
	FmtTimerIdOut = outFmt("timer_t", func(x *ctx, addr uint64) event.Value { return x.intPtr(addr) })
	// FmtTimeOut is time(2)'s optional result pointer.
	FmtTimeOut = outFmt("time", func(x *ctx, addr uint64) event.Value {
		b, v, ok := x.fetch(addr, 8)
		if !ok {
			return v
		}
		return boxed(dated(event.Int(b.s64(0)), b.s64(0), 0, 0))
	})
	// FmtTimex is adjtimex's struct timex: read and written back, shown
	// at exit.
	FmtTimex = outFmt("timex", (*ctx).timex)
)

// Time return formats.
var (
	// FmtRetTime is time(2)'s result: 1700000000 (2023-11-14T22:13:20+0000).
	FmtRetTime = &Format{Name: "time", Ret: func(x *ctx) (event.Value, event.Value) {
		return event.Int(x.ret()), event.Text(isoTime(x.ret(), 0, 0))
	}}
	// FmtRetAdjtimex is the clock state adjtimex returns: 5 (TIME_ERROR).
	FmtRetAdjtimex = &Format{Name: "enum", Ret: func(x *ctx) (event.Value, event.Value) {
		return event.Int(x.ret()), namedAux(AdjtimexState, uint64(x.ret()))
	}}
)

// namedAux is the name strace prints in parentheses after a return
// value, or nothing when the value has no name.
func namedAux(e *Enum, v uint64) event.Value {
	if name := e.Name(v); name != "" {
		return event.Text(name)
	}
	return event.Value{}
}

func timespecVal(sec, nsec int64) event.Value {
	return strct(event.Field("tv_sec", event.Int(sec)), event.Field("tv_nsec", event.Int(nsec)))
}

func timevalVal(sec, usec int64) event.Value {
	return strct(event.Field("tv_sec", event.Int(sec)), event.Field("tv_usec", event.Int(usec)))
}

// dated adds to v the comment strace prints after a point in time: its
// date, with digits digits of the fraction frac when frac is not zero.
// The epoch itself, a time never set (statx's stx_btime on a filesystem
// without one), gets none, as in strace.
func dated(v event.Value, sec, frac int64, digits int) event.Value {
	if sec != 0 || frac != 0 {
		v.Comment = isoTime(sec, frac, digits)
	}
	return v
}

// isoTime formats a time as strace does: 2023-11-14T22:13:20.5+0000 in
// local time, the fraction only when there is one.
func isoTime(sec, frac int64, digits int) string {
	t := time.Unix(sec, 0)
	b := t.AppendFormat(nil, "2006-01-02T15:04:05")
	if frac != 0 && digits > 0 {
		d := strconv.FormatInt(frac, 10)
		b = append(b, '.')
		for range digits - len(d) {
			b = append(b, '0')
		}
		b = append(b, d...)
	}
	return string(t.AppendFormat(b, "-0700"))
}

// timespec decodes a struct timespec.
func (x *ctx) timespec(addr uint64) event.Value { return x.time64(addr, timespecVal) }

// timespec32 decodes the 32-bit struct timespec of i386's older calls.
func (x *ctx) timespec32(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 8)
	if !ok {
		return v
	}
	return timespecVal(b.s32(0), b.s32(4))
}

// timeval decodes a struct timeval.
func (x *ctx) timeval(addr uint64) event.Value { return x.time64(addr, timevalVal) }

// time64 decodes a time of two 64-bit fields, seconds and a fraction,
// made by mk.
func (x *ctx) time64(addr uint64, mk func(sec, frac int64) event.Value) event.Value {
	b, v, ok := x.fetch(addr, 16)
	if !ok {
		return v
	}
	return mk(b.s64(0), b.s64(8))
}

func (x *ctx) timezone(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 8)
	if !ok {
		return v
	}
	return strct(event.Field("tz_minuteswest", event.Int(b.s32(0))), event.Field("tz_dsttime", event.Int(b.s32(4))))
}

// itimerval decodes a struct itimerval: two timevals.
func (x *ctx) itimerval(addr uint64) event.Value { return x.intervalTimer(addr, timevalVal) }

// itimerspec decodes a struct itimerspec: two timespecs.
func (x *ctx) itimerspec(addr uint64) event.Value { return x.intervalTimer(addr, timespecVal) }

// intervalTimer decodes {it_interval, it_value}, two times made by mk.
func (x *ctx) intervalTimer(addr uint64, mk func(sec, frac int64) event.Value) event.Value {
	b, v, ok := x.fetch(addr, 32)
	if !ok {
		return v
	}
	return strct(event.Field("it_interval", mk(b.s64(0), b.s64(8))), event.Field("it_value", mk(b.s64(16), b.s64(24))))
}

// sigevent decodes a struct sigevent {sigval, signo, notify, union}.
func (x *ctx) sigevent(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 32)
	if !ok {
		return v
	}
	v = strct()
	if val := b.u64(0); val != 0 {
		v.Elems = append(v.Elems, event.Field("sigev_value", strct(
			event.Field("sival_int", event.Int(b.s32(0))), event.Field("sival_ptr", event.Hex(val)))))
	}
	notify := b.u32(12)
	switch notify {
	case 0, 2, 4, 6: // SIGEV_SIGNAL, SIGEV_THREAD, SIGEV_THREAD_ID
		v.Elems = append(v.Elems, event.Field("sigev_signo", enumVal(b.u32(8), SignalSyms)))
	default:
		v.Elems = append(v.Elems, event.Field("sigev_signo", event.Uint(b.u32(8))))
	}
	v.Elems = append(v.Elems, event.Field("sigev_notify", enumVal(notify, SigevNotify)))
	switch notify {
	case 4:
		v.Elems = append(v.Elems, event.Field("sigev_notify_thread_id", event.Int(b.s32(16))))
	case 2:
		v.Elems = append(v.Elems,
			event.Field("sigev_notify_function", event.Hex(b.u64(16))),
			event.Field("sigev_notify_attributes", event.Hex(b.u64(24))))
	}
	return v
}

// timex decodes struct timex (x86_64 layout).
func (x *ctx) timex(addr uint64) event.Value {
	b, v, ok := x.fetch(addr, 208)
	if !ok {
		return v
	}
	long := func(name string, off int) event.Value { return event.Field(name, event.Int(b.s64(off))) }
	return strct(
		event.Field("modes", flagsVal(b.u32(0), AdjtimexModes)),
		long("offset", 8), long("freq", 16), long("maxerror", 24), long("esterror", 32),
		event.Field("status", flagsVal(b.u32(40), AdjtimexStatus)),
		long("constant", 48), long("precision", 56), long("tolerance", 64),
		event.Field("time", timevalVal(b.s64(72), b.s64(80))),
		long("tick", 88), long("ppsfreq", 96), long("jitter", 104),
		event.Field("shift", event.Int(b.s32(112))),
		long("stabil", 120), long("jitcnt", 128), long("calcnt", 136), long("errcnt", 144), long("stbcnt", 152),
		event.Field("tai", event.Int(b.s32(160))))
}

// intPtr decodes the int at addr as strace's printnum_int: [42].
func (x *ctx) intPtr(addr uint64) event.Value {
	return x.boxed32(addr, func(v uint32) event.Value { return event.Int(int64(int32(v))) })
}

// boxed32 decodes the 32-bit value at addr, shown by show in brackets as
// strace shows what an int pointer points at: [SIGTERM].
func (x *ctx) boxed32(addr uint64, show func(v uint32) event.Value) event.Value {
	b, v, ok := x.fetch(addr, 4)
	if !ok {
		return v
	}
	return boxed(show(uint32(b.u32(0))))
}
