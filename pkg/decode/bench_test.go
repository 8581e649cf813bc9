package decode_test

import (
	"io"
	"testing"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/format"
)

// recorded is a call ready to decode: its row, registers, memory and
// result, as an engine would hand them over.
type recorded struct {
	sc   *decode.Syscall
	args [6]uint64
	mem  *decode.SliceMemory
	sp   uint64
	ret  int64
}

func recordGolden() []recorded {
	tbl := decode.TableFor(event.ArchX86_64)
	var out []recorded
	for _, gc := range goldenCases {
		var a arena
		r := recorded{sc: tbl.ByName(gc.call), ret: gc.ret}
		if gc.stack != nil {
			r.sp = gc.stack(&a)
		}
		r.args = gc.args(&a)
		r.mem = &decode.SliceMemory{Base: arenaBase, Data: a.data}
		if gc.errno != 0 {
			r.ret = -int64(gc.errno)
		}
		out = append(out, r)
	}
	return out
}

// BenchmarkDecodeFormat decodes and prints, as strace lines, the golden
// cases' calls: no kernel, just the decoders and the formatter. It
// reports calls per second; each call is an entry and an exit event.
func BenchmarkDecodeFormat(b *testing.B) {
	calls := recordGolden()
	d := decode.NewDecoder(decode.Options{}, nil)
	fm := format.NewStrace(io.Discard, format.StraceOptions{})
	var c event.Call
	entry := event.Event{Kind: event.KindSyscallEntry, PID: 1, TID: 1, Call: &c}
	exit := event.Event{Kind: event.KindSyscallExit, PID: 1, TID: 1, Call: &c}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := range calls {
			r := &calls[j]
			c = event.Call{Arch: event.ArchX86_64, Nr: r.sc.Nr, SP: r.sp, Args: c.Args}
			d.Entry(&c, r.sc, &r.args, r.mem, 1)
			_ = fm.Write(&entry)
			d.Exit(&c, r.sc, r.ret, r.mem, 1)
			_ = fm.Write(&exit)
		}
	}
	b.ReportMetric(float64(b.N*len(calls))/b.Elapsed().Seconds(), "calls/s")
}
