package ebpf

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/format"
)

// patternMemory is tracee memory that is readable everywhere: letters,
// with a NUL every 48 bytes and 16 of them every 256, so that strings
// end, pointer arrays end, and their pointers point somewhere.
type patternMemory struct{}

func (patternMemory) Read(addr uint64, p []byte) (int, error) {
	for i := range p {
		a := addr + uint64(i)
		p[i] = 'a' + byte(a%26)
		if a%48 == 47 || a%256 >= 200 && a%256 < 216 {
			p[i] = 0
		}
	}
	return len(p), nil
}

// modelCaptures copies from mem what the BPF program copies for plan,
// the way bpf/gtrace.c does (put_string, put_bytes, put_pointers): the
// model the test below holds the decode table's Captures to.
func modelCaptures(plan []decode.ArgCapture, exit bool, args *[6]uint64, ret int64, ws int, mem decode.Memory) []region {
	var rs []region
	read := func(addr uint64, n int) []byte {
		b := make([]byte, n)
		mem.Read(addr, b)
		return b
	}
	putString := func(addr uint64, max int) {
		if addr == 0 {
			return
		}
		n := min(max+2, chunk)
		b := read(addr, n)
		if i := bytes.IndexByte(b[:n-1], 0); i >= 0 {
			b = b[:i+1]
		} else {
			b = b[:n-1]
		}
		rs = append(rs, region{addr: addr, data: b})
	}
	for _, c := range plan {
		if c.Exit != exit {
			continue
		}
		addr := args[c.Arg]
		switch c.Kind {
		case decode.CaptureString:
			putString(addr, c.Max)
		case decode.CaptureStruct:
			rs = append(rs, region{addr: addr, data: read(addr, c.Max)})
		case decode.CaptureBuffer:
			if n := min(args[c.Len], uint64(c.Max), 2*chunk); addr != 0 && n > 0 {
				rs = append(rs, region{addr: addr, data: read(addr, int(n))})
			}
		case decode.CaptureReturned:
			if ret > 0 && addr != 0 {
				rs = append(rs, region{addr: addr, data: read(addr, int(min(ret, int64(c.Max), 2*chunk)))})
			}
		case decode.CaptureStrings, decode.CaptureEnviron:
			if addr == 0 {
				continue
			}
			var words []uint64
			var data []byte
			for i := range c.Max {
				w := read(addr+uint64(i*ws), ws)
				data = append(data, w...)
				v := uint64(binary.LittleEndian.Uint32(w))
				if ws == 8 {
					v = binary.LittleEndian.Uint64(w)
				}
				if v == 0 {
					break
				}
				words = append(words, v)
			}
			rs = append(rs, region{addr: addr, data: data})
			if c.StrMax > 0 {
				for _, w := range words {
					putString(w, c.StrMax)
				}
			}
		}
	}
	return rs
}

// chunk is CHUNK in bpf/gtrace.c: the most one copy takes.
const chunk = 8192

// TestCapturesCoverDecoding decodes every syscall of both tables twice:
// from memory as ptrace reads it, and from the copies the BPF program
// would make for the Captures the decode table declares. A row prints
// the same both ways when its Formats declare all the memory they read;
// rows that read memory they do not declare (what a struct points to in
// turn: iovecs, messages) print those parts as addresses under the eBPF
// engine. The test holds the share of rows that print the same at least
// at minCaptureCoverage, and lists the others.
func TestCapturesCoverDecoding(t *testing.T) {
	argSets := [][6]uint64{
		{0x10000100, 0x20000100, 0x30000100, 0x40000100, 0x50000100, 0x60000100},
		{0x10000100, 24, 0x30000100, 16, 0x50000100, 8},
		{3, 0x20000100, 100, 0x40000100, 0, 0x60000100},
		{0x10000100, 0x20000100, 40, 0x40000100, 0x50000100, 0},
	}
	d := decode.NewDecoder(decode.Options{}, nil)
	for _, arch := range []event.Arch{event.ArchX86_64, event.ArchI386} {
		var uncovered []string
		all := decode.TableFor(arch).All()
		for _, sc := range all {
			plan := d.Captures(sc)
		rows:
			for _, args := range argSets {
				for _, ret := range []int64{16, -14} {
					want := render(d, arch, sc, args, ret, patternMemory{}, patternMemory{})
					entry := &captured{regions: modelCaptures(plan, false, &args, ret, arch.WordSize(), patternMemory{})}
					exit := &captured{regions: modelCaptures(plan, true, &args, ret, arch.WordSize(), patternMemory{})}
					if got := render(d, arch, sc, args, ret, entry, exit); got != want {
						uncovered = append(uncovered, sc.Name)
						break rows
					}
				}
			}
		}
		covered := 1 - float64(len(uncovered))/float64(len(all))
		t.Logf("%s: %.1f%% of %d syscalls decode the same from the copies; not: %v", arch, 100*covered, len(all), uncovered)
		if covered < minCaptureCoverage {
			t.Errorf("%s: only %.1f%% of syscalls decode the same from the eBPF copies, want %.0f%%", arch, 100*covered, 100*minCaptureCoverage)
		}
	}
}

// minCaptureCoverage is the least share of syscalls whose arguments the
// eBPF engine's copies decode exactly as ptrace's memory reads do.
const minCaptureCoverage = 0.85

// render decodes one call, its entry from entry and its exit from exit,
// and prints it as strace does.
func render(d *decode.Decoder, arch event.Arch, sc *decode.Syscall, args [6]uint64, ret int64, entry, exit decode.Memory) string {
	var buf bytes.Buffer
	f := format.NewStrace(&buf, format.StraceOptions{})
	c := &event.Call{Arch: arch, Nr: sc.Nr}
	d.Entry(c, sc, &args, entry, 1)
	_ = f.Write(&event.Event{Kind: event.KindSyscallEntry, PID: 1, TID: 1, Call: c})
	d.Exit(c, sc, ret, exit, 1)
	_ = f.Write(&event.Event{Kind: event.KindSyscallExit, PID: 1, TID: 1, Call: c})
	_ = f.End()
	return buf.String()
}
