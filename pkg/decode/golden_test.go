package decode_test

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/gtrace/gtrace/internal/golden"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/format"
)

// arena lays out a fake tracee's memory for a decoding case.
type arena struct{ data []byte }

const arenaBase = 0x10000

// unmapped is an address no case maps: decoders must print it.
const unmapped = 0xdead0000

func (a *arena) put(b []byte) uint64 {
	for len(a.data)%8 != 0 {
		a.data = append(a.data, 0)
	}
	addr := arenaBase + uint64(len(a.data))
	a.data = append(a.data, b...)
	return addr
}

func (a *arena) str(s string) uint64 { return a.put(append([]byte(s), 0)) }

func (a *arena) u64s(v ...uint64) uint64 {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], x)
	}
	return a.put(b)
}

func (a *arena) u32s(v ...uint32) uint64 {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], x)
	}
	return a.put(b)
}

// tail returns the address of the last n bytes of the arena, for data
// that runs into unmapped memory.
func (a *arena) tail(n int) uint64 { return arenaBase + uint64(len(a.data)-n) }

// goldenCase is one call: its registers (built in the arena), and how it
// returned.
type goldenCase struct {
	call  string
	args  func(a *arena) [6]uint64
	ret   int64
	errno syscall.Errno
	// stack, when set, lays out what the stack pointer points at.
	stack func(a *arena) uint64
}

func regs(v ...uint64) [6]uint64 {
	var r [6]uint64
	copy(r[:], v)
	return r
}

// statBuf is a struct stat of a regular file or, with rdev, a device.
func statBuf(a *arena, mode uint32, rdev uint64) uint64 {
	b := make([]byte, 144)
	binary.LittleEndian.PutUint64(b[0:], 0xfe00)
	binary.LittleEndian.PutUint64(b[8:], 1234)
	binary.LittleEndian.PutUint64(b[16:], 1)
	binary.LittleEndian.PutUint32(b[24:], mode)
	binary.LittleEndian.PutUint64(b[40:], rdev)
	binary.LittleEndian.PutUint64(b[48:], 4096)
	binary.LittleEndian.PutUint64(b[56:], 4096)
	binary.LittleEndian.PutUint64(b[64:], 8)
	binary.LittleEndian.PutUint64(b[72:], 1700000000)
	binary.LittleEndian.PutUint64(b[80:], 5)
	binary.LittleEndian.PutUint64(b[88:], 1700000001)
	binary.LittleEndian.PutUint64(b[104:], 1700000002)
	binary.LittleEndian.PutUint64(b[112:], 123456789)
	return a.put(b)
}

// dirents64 lays out struct linux_dirent64 records.
func dirents64(a *arena, names ...string) (uint64, int64) {
	var b []byte
	for i, n := range names {
		rec := make([]byte, (19+len(n)+1+7)&^7)
		binary.LittleEndian.PutUint64(rec[0:], uint64(100+i))
		binary.LittleEndian.PutUint64(rec[8:], uint64(i+1))
		binary.LittleEndian.PutUint16(rec[16:], uint16(len(rec)))
		rec[18] = 8
		copy(rec[19:], n)
		b = append(b, rec...)
	}
	return a.put(b), int64(len(b))
}

var goldenCases = []goldenCase{
	{call: "open", args: func(a *arena) [6]uint64 { return regs(a.str("/etc/passwd"), 0x80000) }, ret: 3},
	{call: "open", args: func(a *arena) [6]uint64 { return regs(unmapped, 0) }, errno: syscall.EFAULT},
	{call: "openat", args: func(a *arena) [6]uint64 {
		return regs(uint64(0xffffff9c), a.str("f"), 0x40000000|0o1101, 0o644)
	}, ret: 4},
	{call: "read", args: func(a *arena) [6]uint64 { return regs(3, a.put([]byte("hello\nworld\x01\xff")), 4096) }, ret: 13},
	{call: "read", args: func(a *arena) [6]uint64 { return regs(3, unmapped, 10) }, ret: 10},
	{call: "write", args: func(a *arena) [6]uint64 {
		return regs(1, a.put(bytes.Repeat([]byte("0123456789"), 8)), 1<<40)
	}, errno: syscall.EFAULT},
	{call: "writev", args: func(a *arena) [6]uint64 {
		b1, b2 := a.put([]byte("abc")), a.put([]byte("defgh"))
		return regs(1, a.u64s(b1, 3, b2, 5, unmapped, 2), 3)
	}, ret: 10},
	{call: "readv", args: func(a *arena) [6]uint64 {
		b1 := a.put([]byte("0123456789"))
		a.u64s(b1, 4)
		return regs(3, a.tail(16), 3)
	}, ret: 4},
	{call: "stat", args: func(a *arena) [6]uint64 { return regs(a.str("f"), statBuf(a, 0o100644, 0)) }},
	{call: "newfstatat", args: func(a *arena) [6]uint64 {
		return regs(uint64(0xffffff9c), a.str("/dev/null"), statBuf(a, 0o20666, 0x103), 0x100)
	}},
	{call: "stat", args: func(a *arena) [6]uint64 { return regs(a.str("f"), unmapped) }},
	{call: "getdents64", args: func(a *arena) [6]uint64 {
		addr, _ := dirents64(a, ".", "..", "file")
		return regs(3, addr, 4096)
	}, ret: 72},
	{call: "getdents64", args: func(a *arena) [6]uint64 { return regs(3, a.put(make([]byte, 64)), 4096) }, ret: 64},
	{call: "execve", args: func(a *arena) [6]uint64 {
		argv := a.u64s(a.str("/bin/ls"), a.str("-l"), 0)
		envp := a.u64s(a.str("A=1"), a.str("B=2"), 0)
		return regs(a.str("/bin/ls"), argv, envp)
	}},
	{call: "execve", args: func(a *arena) [6]uint64 {
		path := a.str("prog")
		a.u64s(path) // no NULL after it: the array runs into unmapped memory
		return regs(path, a.tail(8), 0)
	}, errno: syscall.ENOENT},
	{call: "fcntl", args: func(a *arena) [6]uint64 { return regs(3, 3) }, ret: 0x8002},
	{call: "fcntl", args: func(a *arena) [6]uint64 { return regs(3, 6, a.put(make([]byte, 32))) }},
	{call: "fcntl", args: func(a *arena) [6]uint64 {
		lk := make([]byte, 32)
		lk[0], lk[16], lk[24] = 2, 10, 42 // F_UNLCK, l_len 10, l_pid 42
		return regs(3, 5, a.put(lk))
	}},
	{call: "futex", args: func(a *arena) [6]uint64 { return regs(0x1000, 0x189, 7, a.u64s(1, 500), 0, 0xffffffff) }, errno: syscall.ETIMEDOUT},
	{call: "futex", args: func(a *arena) [6]uint64 { return regs(0x1000, 0x85, 1, 1, 0x2000, 0x14000001) }, ret: 1},
	{call: "clone", args: func(a *arena) [6]uint64 {
		return regs(0x1200011, 0, 0, a.u32s(0), 0)
	}, ret: 1234},
	{call: "clone3", args: func(a *arena) [6]uint64 {
		pidfd := a.u32s(5)
		return regs(a.u64s(0x1000, pidfd, 0, 0, 17, 0, 0, 0), 64)
	}, ret: 1235},
	{call: "clone3", args: func(a *arena) [6]uint64 { return regs(a.u64s(0), 8) }, errno: syscall.EINVAL},
	{call: "wait4", args: func(a *arena) [6]uint64 { return regs(uint64(1<<64-1), a.u32s(0x0b00), 0x40000000, 0) }, ret: 99},
	{call: "wait4", args: func(a *arena) [6]uint64 { return regs(uint64(1<<64-1), a.u32s(0x9), 1, 0) }, ret: 0},
	{call: "rt_sigaction", args: func(a *arena) [6]uint64 {
		return regs(2, a.u64s(0x401000, 0x14000000, 0x402000, 1<<1|1<<14), a.u64s(1, 0, 0, 0), 8)
	}},
	{call: "rt_sigprocmask", args: func(a *arena) [6]uint64 { return regs(0, a.u64s(^uint64(1<<8)), a.u64s(0), 8) }},
	{call: "rt_sigprocmask", args: func(a *arena) [6]uint64 { return regs(2, a.u64s(1<<16), 0, 4) }, errno: syscall.EINVAL},
	{call: "sigaltstack", args: func(a *arena) [6]uint64 { return regs(a.u64s(0x5000, 0, 8192), a.u64s(0, 2, 0)) }},
	{call: "prctl", args: func(a *arena) [6]uint64 { return regs(16, a.str("worker-1")) }},
	{call: "prctl", args: func(a *arena) [6]uint64 { return regs(15, a.str("a-name-longer-than-sixteen")) }},
	{call: "prctl", args: func(a *arena) [6]uint64 { return regs(0x1b) }, ret: 0x11},
	{call: "arch_prctl", args: func(a *arena) [6]uint64 { return regs(0x1003, a.u64s(0x7f00deadbeef)) }},
	{call: "prlimit64", args: func(a *arena) [6]uint64 {
		return regs(0, 7, a.u64s(1024, 4096), a.u64s(8388608, ^uint64(0)))
	}},
	{call: "capget", args: func(a *arena) [6]uint64 {
		return regs(a.u32s(0x20080522, 0), a.u32s(0x3, 0x1, 0, 0x100, 0, 0))
	}},
	{call: "sched_getaffinity", args: func(a *arena) [6]uint64 { return regs(0, 128, a.u64s(0x8000000000000005)) }, ret: 8},
	{call: "getgroups", args: func(a *arena) [6]uint64 { return regs(4, a.u32s(0, 4, 27, 0xffffffff)) }, ret: 4},
	{call: "mmap", args: func(a *arena) [6]uint64 { return regs(0, 8192, 3, 0x22, uint64(1<<64-1), 0) }, ret: 0x7f0000000000},
	{call: "mremap", args: func(a *arena) [6]uint64 { return regs(0x7f0000000000, 4096, 8192, 3, 0x7f1000000000) }, ret: 0x7f1000000000},
	{call: "uname", args: func(a *arena) [6]uint64 {
		b := make([]byte, 6*65)
		for i, s := range []string{"Linux", "host", "6.18.0", "#1 SMP", "x86_64", "(none)"} {
			copy(b[i*65:], s)
		}
		return regs(a.put(b))
	}},
	{call: "clock_nanosleep", args: func(a *arena) [6]uint64 { return regs(1, 0, a.u64s(1, 0), a.u64s(0, 999)) }, errno: 516},
	{call: "clock_gettime", args: func(a *arena) [6]uint64 { return regs(0x4d, a.u64s(0, 0)) }, errno: syscall.EINVAL},
	{call: "timer_settime", args: func(a *arena) [6]uint64 { return regs(0, 1, a.u64s(0, 0, 5, 0), 0) }},
	{call: "getrandom", args: func(a *arena) [6]uint64 { return regs(a.put([]byte{1, 2, 0xfe}), 3, 1) }, ret: 3},
	{call: "pipe2", args: func(a *arena) [6]uint64 { return regs(a.u32s(3, 4), 0x80800) }},
	{call: "mount", args: func(a *arena) [6]uint64 {
		return regs(a.str("none"), a.str("/mnt"), a.str("tmpfs"), 0x6, a.str("size=1m"))
	}, errno: syscall.EPERM},
	{call: "semop", args: func(a *arena) [6]uint64 { return regs(3, a.put([]byte{0, 0, 0xff, 0xff, 0, 0x18}), 1) }},
	{call: "msgsnd", args: func(a *arena) [6]uint64 {
		return regs(3, a.put(append([]byte{1, 0, 0, 0, 0, 0, 0, 0}, "hi\x00"...)), 3, 0x800)
	}},
	{call: "keyctl", args: func(a *arena) [6]uint64 { return regs(6, uint64(1<<64-3), a.put([]byte("user;0;0;3f010000;name")), 64) }, ret: 22},
	{call: "get_mempolicy", args: func(a *arena) [6]uint64 { return regs(a.u32s(0x8002), a.u64s(3), 64, 0, 0) }},
	{call: "io_submit", args: func(a *arena) [6]uint64 {
		iocb := make([]byte, 64)
		binary.LittleEndian.PutUint16(iocb[16:], 1)
		binary.LittleEndian.PutUint32(iocb[20:], 3)
		binary.LittleEndian.PutUint64(iocb[24:], a.put([]byte("data")))
		binary.LittleEndian.PutUint64(iocb[32:], 4)
		return regs(0x7f0000001000, 1, a.u64s(a.put(iocb)))
	}, ret: 1},
	{call: "ptrace", args: func(a *arena) [6]uint64 { return regs(2, 99, 0x4000, a.u64s(0xfeedface)) }},
	{call: "ptrace", args: func(a *arena) [6]uint64 { return regs(0x4206, 99, 0, 0x100001) }},
	{call: "quotactl", args: func(a *arena) [6]uint64 { return regs(0x80000700, a.str("/dev/sda1"), 1000, 0x5000) }, errno: syscall.ENOTBLK},
	{call: "personality", args: func(a *arena) [6]uint64 { return regs(0x40008) }, ret: 0},
	{call: "utimensat", args: func(a *arena) [6]uint64 {
		return regs(uint64(0xffffff9c), a.str("f"), a.u64s(1700000000, 0, 0, 1<<30-2), 0)
	}},
	{call: "sendfile", args: func(a *arena) [6]uint64 { return regs(1, 3, a.u64s(20), 100) }, ret: 100},
	{call: "statx", args: func(a *arena) [6]uint64 {
		b := make([]byte, 256)
		binary.LittleEndian.PutUint32(b[0:], 0x7ff)
		binary.LittleEndian.PutUint16(b[28:], 0o40755)
		binary.LittleEndian.PutUint64(b[40:], 4096)
		return regs(uint64(0xffffff9c), a.str("/"), 0x4100, 0x7ff, a.put(b))
	}},
	{call: "rt_sigreturn", args: func(a *arena) [6]uint64 { return regs() }, stack: func(a *arena) uint64 {
		frame := a.put(make([]byte, 296)) // the struct ucontext up to uc_sigmask
		a.u64s(1<<9 | 1<<14)
		return frame
	}},
	{call: "io_uring_setup", args: func(a *arena) [6]uint64 {
		b := make([]byte, 120)
		binary.LittleEndian.PutUint32(b[0:], 4)
		binary.LittleEndian.PutUint32(b[4:], 8)
		binary.LittleEndian.PutUint32(b[20:], 0x1fff)
		return regs(4, a.put(b))
	}, ret: 3},
}

// fakeFDs resolves every descriptor to a made-up path.
type fakeFDs struct{}

func (fakeFDs) FDPath(pid, fd int) string {
	if fd == decode.AtFDCWD {
		return "/home/user"
	}
	return "/fake/fd" + string(rune('0'+fd%10))
}

// goldenStyles are the flag sets the golden files record.
var goldenStyles = []struct {
	name  string
	dec   decode.Options
	style event.Style
	fds   decode.FDResolver
}{
	{name: "default"},
	{name: "verbose", dec: decode.Options{Verbose: true}},
	{name: "decode-fds", dec: decode.Options{FDPaths: 1}, fds: fakeFDs{}},
	{name: "xx-s8", dec: decode.Options{StrSize: 8}, style: event.Style{Hex: 2}},
	{name: "xlat-raw", style: event.Style{Xlat: event.XlatRaw}},
	{name: "xlat-verbose", style: event.Style{Xlat: event.XlatVerbose}},
}

// TestGolden renders every case in every style and compares the lines
// with testdata/golden/<style>.golden (-update rewrites them).
func TestGolden(t *testing.T) {
	// Dates in comments are local time, as strace prints them.
	time.Local = time.UTC
	tbl := decode.TableFor(event.ArchX86_64)
	for _, st := range goldenStyles {
		t.Run(st.name, func(t *testing.T) {
			var out bytes.Buffer
			fm := format.NewStrace(&out, format.StraceOptions{Style: st.style})
			d := decode.NewDecoder(st.dec, st.fds)
			for _, gc := range goldenCases {
				sc := tbl.ByName(gc.call)
				if sc == nil {
					t.Fatalf("no syscall %s", gc.call)
				}
				var a arena
				c := &event.Call{Arch: event.ArchX86_64, Nr: sc.Nr}
				if gc.stack != nil {
					c.SP = gc.stack(&a)
				}
				args := gc.args(&a)
				mem := &decode.SliceMemory{Base: arenaBase, Data: a.data}
				d.Entry(c, sc, &args, mem, 1)
				_ = fm.Write(&event.Event{Kind: event.KindSyscallEntry, PID: 1, TID: 1, Call: c})
				ret := gc.ret
				if gc.errno != 0 {
					ret = -int64(gc.errno)
				}
				d.Exit(c, sc, ret, mem, 1)
				_ = fm.Write(&event.Event{Kind: event.KindSyscallExit, PID: 1, TID: 1, Call: c})
			}
			_ = fm.End()
			golden.Check(t, filepath.Join("testdata", "golden", st.name+".golden"), out.Bytes())
		})
	}
}
