package decode

import (
	"testing"

	"github.com/gtrace/gtrace/pkg/event"
)

// The fuzz targets decode structs from arbitrary tracee memory: decoding
// must never panic, whatever the bytes. They call the decoders directly,
// not through Decoder.Entry, whose rescue would hide a panic. Seeds are in
// testdata/fuzz.

// fuzzBase is where fuzzed memory is mapped.
const fuzzBase = 0x1000

// fuzzCtx is the state of decoding the named call over mem.
func fuzzCtx(mem []byte, arch event.Arch, name string, args [6]uint64, ret int64, verbose bool) *ctx {
	sc := TableFor(arch).ByName(name)
	if sc == nil {
		sc = Unknown(arch, 0)
	}
	c := &event.Call{Arch: arch, Raw: args, Ret: ret}
	if ret < 0 && ret >= -maxErrno {
		c.Errno = 1
	}
	d := NewDecoder(Options{Verbose: verbose}, nil)
	return &ctx{d: d, call: c, sc: sc, mem: &SliceMemory{Base: fuzzBase, Data: mem}, pid: 1, exit: true}
}

// renderAll prints v in every style, as the formatters would.
func renderAll(v event.Value) {
	for _, xlat := range []event.XlatStyle{event.XlatAbbrev, event.XlatRaw, event.XlatVerbose} {
		for hex := range 3 {
			v.AppendStrace(nil, &event.Style{Hex: hex, Xlat: xlat})
		}
	}
}

func FuzzSockaddr(f *testing.F) {
	f.Add([]byte{2, 0, 0, 80, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{1, 0, 0, 'a', 'b'})
	f.Fuzz(func(t *testing.T, raw []byte) {
		renderAll(Sockaddr(raw))
		x := fuzzCtx(raw, event.ArchX86_64, "connect", [6]uint64{3, fuzzBase, uint64(len(raw))}, 0, false)
		renderAll(x.sockaddr(fuzzBase, int64(len(raw))))
	})
}

func FuzzMsghdr(f *testing.F) {
	f.Add(make([]byte, 64), uint64(0), false)
	f.Fuzz(func(t *testing.T, mem []byte, data uint64, user bool) {
		for _, arch := range arches {
			for _, verbose := range []bool{false, true} {
				x := fuzzCtx(mem, arch, "recvmsg", [6]uint64{3, fuzzBase}, int64(data&0xffff), verbose)
				var u *int64
				if user {
					n := int64(data >> 32)
					u = &n
				}
				renderAll(x.msghdr(fuzzBase, u, data))
				renderAll(x.mmsgvec(fuzzBase, data%8, data%3, nil, user))
				renderAll(x.iovecs(fuzzBase, data%64, data))
			}
		}
	})
}

func FuzzCmsg(f *testing.F) {
	f.Add(make([]byte, 32), uint64(32))
	f.Fuzz(func(t *testing.T, mem []byte, size uint64) {
		for _, arch := range arches {
			x := fuzzCtx(mem, arch, "sendmsg", [6]uint64{3, fuzzBase}, 0, false)
			renderAll(x.cmsgs(fuzzBase, size))
			renderAll(x.cmsgsValue(fuzzBase, le(mem), size))
		}
	})
}

func FuzzSockopt(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0, 5, 0, 0, 0}, uint32(1), uint32(13), int64(8), int64(8))
	f.Fuzz(func(t *testing.T, mem []byte, level, name uint32, ulen, rlen int64) {
		x := fuzzCtx(mem, event.ArchX86_64, "getsockopt", [6]uint64{3, uint64(level), uint64(name), fuzzBase}, 0, false)
		renderAll(x.setsockoptVal(level, name, fuzzBase, ulen))
		renderAll(x.getsockoptVal(level, name, fuzzBase, ulen, rlen))
	})
}

func FuzzTermios(f *testing.F) {
	f.Add(make([]byte, 44), uint32(0x5401))
	f.Fuzz(func(t *testing.T, mem []byte, req uint32) {
		for _, verbose := range []bool{false, true} {
			x := fuzzCtx(mem, event.ArchX86_64, "ioctl", [6]uint64{3, uint64(req), fuzzBase}, 0, verbose)
			for _, l := range []termLayout{termiosLayout, termios2Layout, termioLayout} {
				renderAll(x.termios(fuzzBase, l))
			}
			renderAll(x.winsize(fuzzBase))
			x.call.Args = nil
			decodeIoctl(x)
			ioctlExit(x)
			for _, a := range x.call.Args {
				renderAll(a.Val)
			}
		}
	})
}

func FuzzPollfd(f *testing.F) {
	f.Add([]byte{3, 0, 0, 0, 1, 0, 1, 0}, uint32(1), int64(1))
	f.Fuzz(func(t *testing.T, mem []byte, nfds uint32, ret int64) {
		for _, name := range []string{"poll", "ppoll"} {
			x := fuzzCtx(mem, event.ArchX86_64, name, [6]uint64{fuzzBase, uint64(nfds), fuzzBase}, ret, false)
			renderAll(FmtPollfds.Decode(x, 0))
			v, aux := FmtRetPpoll.Ret(x)
			renderAll(v)
			renderAll(aux)
		}
	})
}

func FuzzEpollEvent(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0x80, 1, 2, 3, 4, 5, 6, 7, 8}, int64(1))
	f.Fuzz(func(t *testing.T, mem []byte, ret int64) {
		x := fuzzCtx(mem, event.ArchX86_64, "epoll_wait", [6]uint64{5, fuzzBase, 8, 0}, ret, false)
		renderAll(FmtEpollEventsOut.Decode(x, 1))
		x = fuzzCtx(mem, event.ArchX86_64, "epoll_ctl", [6]uint64{5, 1, 3, fuzzBase}, 0, false)
		renderAll(FmtEpollEvent.Decode(x, 3))
	})
}

func FuzzFdset(f *testing.F) {
	f.Add([]byte{0x18, 0, 0, 0, 0, 0, 0, 0}, uint32(5), int64(2))
	f.Fuzz(func(t *testing.T, mem []byte, nfds uint32, ret int64) {
		for _, arch := range arches {
			sel := "select"
			if arch == event.ArchI386 {
				sel = "_newselect" // i386's select takes a struct
			}
			for _, name := range []string{sel, "pselect6"} {
				x := fuzzCtx(mem, arch, name, [6]uint64{uint64(nfds), fuzzBase, fuzzBase, fuzzBase, fuzzBase, fuzzBase}, ret, false)
				for i := 1; i < len(x.sc.Args); i++ {
					renderAll(formatOf(x.sc.Args[i].Fmt).Decode(x, i))
				}
				v, aux := formatOf(x.sc.Ret).Ret(x)
				renderAll(v)
				renderAll(aux)
			}
		}
	})
}

// FuzzSocketcall decodes i386 socketcall and ipc, whose arguments come
// from memory, at entry and exit.
func FuzzSocketcall(f *testing.F) {
	f.Add(make([]byte, 24), uint32(1), int64(3))
	f.Fuzz(func(t *testing.T, mem []byte, call uint32, ret int64) {
		for _, name := range []string{"socketcall", "ipc", "mmap", "select"} {
			x := fuzzCtx(mem, event.ArchI386, name, [6]uint64{uint64(call), fuzzBase, fuzzBase, fuzzBase, fuzzBase}, ret, false)
			x.exit = false
			x.entry()
			x.exit = true
			if x.sc.custom != nil && x.sc.custom.exit != nil {
				x.sc.custom.exit(x)
			}
			for _, a := range x.call.Args {
				renderAll(a.Val)
			}
		}
	})
}

// FuzzIfreq decodes every struct ifreq request strace knows.
func FuzzIfreq(f *testing.F) {
	f.Add(append([]byte("lo\x00"), make([]byte, 37)...), true)
	f.Fuzz(func(t *testing.T, mem []byte, fail bool) {
		ret := int64(0)
		if fail {
			ret = -19
		}
		for _, arch := range arches {
			for req := range ifreqIoctls {
				x := fuzzCtx(mem, arch, "ioctl", [6]uint64{3, uint64(req), fuzzBase}, ret, false)
				decodeIoctl(x)
				ioctlExit(x)
				for _, a := range x.call.Args {
					renderAll(a.Val)
				}
			}
		}
	})
}
