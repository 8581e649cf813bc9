package decode_test

import (
	"encoding/binary"
	"testing"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
)

// fuzzBase is where the fuzzed memory is mapped in the fake tracee.
const fuzzBase = 0x7f0000000000

// maxRead bounds what one decoder may ask to read at once, whatever
// lengths the call claims.
const maxRead = 2 << 20

// boundedMemory is a SliceMemory that fails the test when a decoder asks
// for more than maxRead bytes in one read.
type boundedMemory struct {
	t   *testing.T
	mem decode.SliceMemory
}

func (m *boundedMemory) Read(addr uint64, p []byte) (int, error) {
	if len(p) > maxRead {
		m.t.Fatalf("a decoder read %d bytes at once", len(p))
	}
	return m.mem.Read(addr, p)
}

// fuzzArg turns a fuzzed register into an argument: odd values become
// pointers into (or just past) the fake memory, even ones plain numbers.
func fuzzArg(v uint64, size int) uint64 {
	if v&1 == 0 {
		return v >> 1
	}
	return fuzzBase + (v>>1)%uint64(size+64)
}

// fuzzArches are the tables FuzzDecode's first input selects.
var fuzzArches = []event.Arch{event.ArchX86_64, event.ArchI386}

// FuzzDecode runs every syscall row's decoders, entry and exit, over
// fuzzed registers, return value and memory, then renders the call in
// every style: decoding must never panic, whatever the tracee passes.
// Every struct decoder is reached through the row that uses it; the
// seeds give each row of both tables one run in plain `go test`.
func FuzzDecode(f *testing.F) {
	seedMem := make([]byte, 512)
	for i := range seedMem {
		seedMem[i] = byte(i * 7)
	}
	binary.LittleEndian.PutUint64(seedMem[0:], fuzzBase+64)
	binary.LittleEndian.PutUint32(seedMem[8:], 0x20080522)
	for ai, arch := range fuzzArches {
		for _, sc := range decode.TableFor(arch).All() {
			f.Add(uint8(ai), uint16(sc.Nr), int64(8), uint64(1), uint64(3), uint64(16), uint64(33), uint64(0), uint64(2), seedMem)
			f.Add(uint8(ai), uint16(sc.Nr), int64(-14), uint64(0x21), uint64(0), uint64(1<<40), uint64(9), uint64(5), uint64(7), seedMem[:24])
		}
	}
	f.Fuzz(func(t *testing.T, arch uint8, nr uint16, ret int64, a0, a1, a2, a3, a4, a5 uint64, mem []byte) {
		tbl := decode.TableFor(fuzzArches[int(arch)%len(fuzzArches)])
		sc := tbl.Lookup(int(nr) % tbl.Max())
		if sc == nil {
			return
		}
		m := &boundedMemory{t: t, mem: decode.SliceMemory{Base: fuzzBase, Data: mem}}
		args := [6]uint64{a0, a1, a2, a3, a4, a5}
		for i := range args {
			args[i] = fuzzArg(args[i], len(mem))
		}
		for _, opts := range []decode.Options{{}, {Verbose: true, StrSize: 4}} {
			d := decode.NewDecoder(opts, nil)
			c := &event.Call{Arch: tbl.Arch, Nr: sc.Nr, SP: fuzzBase}
			d.Entry(c, sc, &args, m, 1)
			d.Exit(c, sc, ret, m, 1)
			for _, st := range []event.Style{{}, {Hex: 2, Xlat: event.XlatRaw}, {Hex: 1, Xlat: event.XlatVerbose}} {
				var b []byte
				for i := range c.Args {
					b = c.Args[i].Val.AppendStrace(b, &st)
				}
				b = c.RetVal.AppendStrace(b, &st)
				_ = c.RetAux.AppendStrace(b, &st)
			}
		}
	})
}

// countingMemory sums what decoders ask to read.
type countingMemory struct {
	mem  decode.SliceMemory
	read int
}

func (m *countingMemory) Read(addr uint64, p []byte) (int, error) {
	m.read += len(p)
	return m.mem.Read(addr, p)
}

// TestReadsAreBounded decodes every row with huge lengths, huge return
// values and pointers into a large readable region: however big the
// call says its buffers are, a decoder reads at most a few megabytes.
func TestReadsAreBounded(t *testing.T) {
	const limit = 8 << 20
	data := make([]byte, 4<<20)
	for i := range data {
		data[i] = 1
	}
	const base = 0x100000
	patterns := [][6]uint64{
		{base, 1 << 40, base, 1 << 40, base, 1 << 40},
		{1 << 40, base, 1 << 40, base, 1 << 40, base},
	}
	// -v reads the most: whole structs and arrays.
	d := decode.NewDecoder(decode.Options{Verbose: true}, nil)
	for _, arch := range []event.Arch{event.ArchX86_64, event.ArchI386} {
		for _, sc := range decode.TableFor(arch).All() {
			for _, args := range patterns {
				for _, ret := range []int64{1 << 40, 64} {
					m := &countingMemory{mem: decode.SliceMemory{Base: base, Data: data}}
					c := &event.Call{Arch: arch, Nr: sc.Nr, SP: base}
					d.Entry(c, sc, &args, m, 1)
					d.Exit(c, sc, ret, m, 1)
					if m.read > limit {
						t.Errorf("%s %s: decoding %v (ret %d) read %d bytes", arch, sc.Name, args, ret, m.read)
					}
				}
			}
		}
	}
}
