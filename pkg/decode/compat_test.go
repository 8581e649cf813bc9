package decode_test

import (
	"testing"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
)

const i386 = event.ArchI386

// msghdr32 is an i386 struct msghdr.
func msghdr32(name uint32, namelen int32, iov, iovlen, control, controllen, flags uint32) []byte {
	return le(name, namelen, iov, iovlen, control, controllen, flags)
}

func TestCompatCalls(t *testing.T) {
	words := func(m *netMem, v ...uint32) uint64 {
		var b []byte
		for _, w := range v {
			b = append(b, le(w)...)
		}
		return m.put(b)
	}
	runNetCases(t, []netCase{
		{"socketcall socket", func(m *netMem) netCall {
			return netCall{arch: i386, name: "socketcall", args: [6]uint64{1, words(m, 2, 2, 0)}, ret: 3}
		}, "socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3"},
		{"socketcall connect", func(m *netMem) netCall {
			sa := m.put(sockaddrIn(53))
			return netCall{arch: i386, name: "socketcall", args: [6]uint64{3, words(m, 3, uint32(sa), 16)}}
		}, `connect(3, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.1")}, 16) = 0`},
		{"socketcall recv", func(m *netMem) netCall {
			buf := m.put([]byte("dgram"))
			return netCall{arch: i386, name: "socketcall", args: [6]uint64{10, words(m, 4, uint32(buf), 16, 0)}, ret: 5}
		}, `recv(4, "dgram", 16, 0) = 5`},
		{"socketcall sendmsg i386 layout", func(m *netMem) netCall {
			a := m.put([]byte("ab"))
			iov := m.put(le(uint32(a), uint32(2)))
			ctl := m.put(le(uint32(16), int32(1), int32(1), int32(5)))
			msg := m.put(msghdr32(0, 0, uint32(iov), 1, uint32(ctl), 16, 0))
			return netCall{arch: i386, name: "socketcall", args: [6]uint64{16, words(m, 3, uint32(msg), 0)}, ret: 2}
		}, `sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="ab", iov_len=2}], msg_iovlen=1, msg_control=[{cmsg_len=16, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5]}], msg_controllen=16, msg_flags=0}, 0) = 2`},
		{"socketcall getsockname in/out", func(m *netMem) netCall {
			sa := m.put(sockaddrIn(80))
			n := m.put(le(int32(16)))
			return netCall{arch: i386, name: "socketcall", args: [6]uint64{6, words(m, 3, uint32(sa), uint32(n))}}
		}, `getsockname(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}, [16]) = 0`},
		{"socketcall unreadable", func(*netMem) netCall {
			return netCall{arch: i386, name: "socketcall", args: [6]uint64{1, badAddr}, ret: errno(eFAULT)}
		}, "socketcall(SYS_SOCKET, 0xdead0000) = -1 EFAULT (Bad address)"},
		{"socketcall unknown", func(*netMem) netCall {
			return netCall{arch: i386, name: "socketcall", args: [6]uint64{99, 0}, ret: errno(eINVAL)}
		}, "socketcall(99, NULL) = -1 EINVAL (Invalid argument)"},
		{"_llseek", func(m *netMem) netCall {
			res := m.put(le(int64(1 << 32)))
			return netCall{arch: i386, name: "_llseek", args: [6]uint64{3, 1, 0, res, 0}}
		}, "_llseek(3, 4294967296, [4294967296], SEEK_SET) = 0"},
		{"pread64 split offset", func(m *netMem) netCall {
			buf := m.put([]byte("2345"))
			return netCall{arch: i386, name: "pread64", args: [6]uint64{3, buf, 4, 0x10, 1}, ret: 4}
		}, `pread64(3, "2345", 4, 4294967312) = 4`},
		{"ftruncate64 split length", func(*netMem) netCall {
			return netCall{arch: i386, name: "ftruncate64", args: [6]uint64{3, 0xffffffff, 0xffffffff}, ret: errno(eINVAL)}
		}, "ftruncate64(3, -1) = -1 EINVAL (Invalid argument)"},
		{"old mmap", func(m *netMem) netCall {
			return netCall{arch: i386, name: "mmap", args: [6]uint64{words(m, 0, 4096, 1, 0x22, 0xffffffff, 0)}, ret: 0xf7f00000}
		}, "mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0xf7f00000"},
		{"old mmap unreadable", func(*netMem) netCall {
			return netCall{arch: i386, name: "mmap", args: [6]uint64{0}, ret: errno(eFAULT)}
		}, "mmap(NULL) = -1 EFAULT (Bad address)"},
		{"mmap2 offset in pages", func(*netMem) netCall {
			return netCall{arch: i386, name: "mmap2", args: [6]uint64{0, 4096, 1, 0x22, 0xffffffff, 2}, ret: 0xf7f00000}
		}, "mmap2(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0x2000) = 0xf7f00000"},
		{"old select", func(m *netMem) netCall {
			tv := m.put(le(int32(0), int32(0)))
			return netCall{arch: i386, name: "select", args: [6]uint64{words(m, 0, 0, 0, 0, uint32(tv))}}
		}, "select(0, NULL, NULL, NULL, {tv_sec=0, tv_usec=0}) = 0 (Timeout)"},
		{"16-bit ids", func(*netMem) netCall {
			return netCall{arch: i386, name: "setreuid", args: [6]uint64{0xffff, 1000}}
		}, "setreuid(-1, 1000) = 0"},
		{"getgroups 16-bit", func(m *netMem) netCall {
			return netCall{arch: i386, name: "getgroups", args: [6]uint64{4, m.put(le(uint16(0), uint16(10), uint16(0), uint16(0)))}, ret: 2}
		}, "getgroups(4, [0, 10]) = 2"},
		{"getresuid 16-bit", func(m *netMem) netCall {
			a, b, c := m.put(le(uint16(0))), m.put(le(uint16(1))), m.put(le(uint16(0xffff)))
			return netCall{arch: i386, name: "getresuid", args: [6]uint64{a, b, c}}
		}, "getresuid([0], [1], [-1]) = 0"},
		{"stat64", func(m *netMem) netCall {
			st := le(uint64(0xfe00), uint32(0), uint32(7), uint32(0o100644), uint32(1), uint32(0), uint32(0),
				uint64(0), uint32(0), uint64(4294967328), uint32(4096), uint64(8), make([]byte, 24), uint64(7))
			return netCall{arch: i386, name: "fstat64", args: [6]uint64{3, m.put(st)}}
		}, "fstat64(3, {st_mode=S_IFREG|0644, st_size=4294967328, ...}) = 0"},
		{"compat stat", func(m *netMem) netCall {
			st := le(uint32(0xfe00), uint32(7), uint16(0o20620), uint16(1), uint16(0), uint16(5), uint32(0x8800), make([]byte, 44))
			return netCall{arch: i386, name: "fstat", args: [6]uint64{0, m.put(st)}}
		}, "fstat(0, {st_mode=S_IFCHR|0620, st_rdev=makedev(0x88, 0), ...}) = 0"},
		{"pselect6 time32", func(m *netMem) netCall {
			in := m.put(le(uint32(1 << 3)))
			ts := m.put(le(int32(1), int32(2)))
			return netCall{arch: i386, name: "pselect6", args: [6]uint64{4, in, 0, 0, ts, 0}, ret: 1}
		}, "pselect6(4, [3], NULL, NULL, {tv_sec=1, tv_nsec=2}, NULL) = 1 (in [3], left {tv_sec=1, tv_nsec=2})"},
		{"rt_sigaction i386 layout", func(m *netMem) netCall {
			act := m.put(le(uint32(1), uint32(0x04000000), uint32(0x1234), uint64(1<<2)))
			return netCall{arch: i386, name: "rt_sigaction", args: [6]uint64{10, act, 0, 8}}
		}, "rt_sigaction(SIGUSR1, {sa_handler=SIG_IGN, sa_mask=[QUIT], sa_flags=SA_RESTORER, sa_restorer=0x1234}, NULL, 8) = 0"},
	})
}

// TestIPCSubcall checks that ipc(2) becomes the System V call it stands
// for, with ipc's arguments in the call's order.
func TestIPCSubcall(t *testing.T) {
	row := decode.TableFor(i386).ByName("ipc")
	d := decode.NewDecoder(decode.Options{}, nil)
	for _, tc := range []struct {
		args [6]uint64
		name string
		raw  []uint64
	}{
		{[6]uint64{2, 0x1234, 1, 0o600}, "semget", []uint64{0x1234, 1, 0o600}},
		{[6]uint64{21, 7, 0x1000, 0x2000, 0x3000}, "shmat", []uint64{7, 0x3000, 0x1000}},
		{[6]uint64{22, 0, 0, 0, 0x3000}, "shmdt", []uint64{0x3000}},
		{[6]uint64{11, 5, 16, 0, 0x4000}, "msgsnd", []uint64{5, 0x4000, 16, 0}},
		{[6]uint64{99}, "ipc", nil},
	} {
		c := &event.Call{Arch: i386}
		d.Entry(c, row, &tc.args, &decode.SliceMemory{}, 1)
		if c.Name != tc.name {
			t.Errorf("ipc(%d): decoded as %s, want %s", tc.args[0], c.Name, tc.name)
			continue
		}
		for i, want := range tc.raw {
			if i >= len(c.Args) || c.Args[i].Raw != want {
				t.Errorf("%s: argument %d is %#x, want %#x", tc.name, i, c.Args[i].Raw, want)
			}
		}
	}
}
