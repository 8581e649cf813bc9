package decode_test

import (
	"strings"
	"testing"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/filter"
)

// endlessMemory reads as bytes of 'z' at every address.
type endlessMemory struct{}

func (endlessMemory) Read(_ uint64, p []byte) (int, error) {
	for i := range p {
		p[i] = 'z'
	}
	return len(p), nil
}

func fds(t *testing.T, expr string) *filter.FDSet {
	t.Helper()
	s, err := filter.ParseFDs(expr)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestDumps covers what the differential test against strace cannot
// reach: unreadable data, the bound on one call's dump, and descriptors
// outside the sets. The rest is compared with strace in stracediff.
func TestDumps(t *testing.T) {
	opts := decode.Options{DumpReads: fds(t, "3"), DumpWrites: fds(t, "4,5")}
	runNetCases(t, []netCase{
		{"part unreadable", func(m *netMem) netCall {
			return netCall{name: "write", args: [6]uint64{5, m.put([]byte("abc")), 200}, ret: 200, opts: opts}
		}, `write(5, 0x10000, 200) = 200
 | 00000  61 62 63                                          abc              |
 | <197 more bytes not dumped> |`},
		{"failed write dumped", func(m *netMem) netCall {
			return netCall{name: "write", args: [6]uint64{4, m.put([]byte("ab")), 2}, ret: errno(32), opts: opts}
		}, `write(4, "ab", 2) = -1 EPIPE (Broken pipe)
 | 00000  61 62                                             ab               |`},
		{"failed read not dumped", func(m *netMem) netCall {
			return netCall{name: "read", args: [6]uint64{3, m.put([]byte("ab")), 2}, ret: errno(9), opts: opts}
		}, `read(3, 0x10000, 2) = -1 EBADF (Bad file descriptor)`},
		{"read of a write descriptor", func(m *netMem) netCall {
			return netCall{name: "read", args: [6]uint64{4, m.put([]byte("ab")), 2}, ret: 2, opts: opts}
		}, `read(4, "ab", 2) = 2`},
		{"write of a read descriptor", func(m *netMem) netCall {
			return netCall{name: "write", args: [6]uint64{3, m.put([]byte("ab")), 2}, ret: 2, opts: opts}
		}, `write(3, "ab", 2) = 2`},
		{"empty read", func(m *netMem) netCall {
			return netCall{name: "read", args: [6]uint64{3, m.put([]byte("ab")), 2}, ret: 0, opts: opts}
		}, `read(3, "", 2) = 0`},
	})
}

func TestDumpBound(t *testing.T) {
	row := decode.TableFor(event.ArchX86_64).ByName("write")
	d := decode.NewDecoder(decode.Options{DumpWrites: fds(t, "all"), NamesOnly: false}, nil)
	c := &event.Call{Arch: event.ArchX86_64, Nr: row.Nr}
	const asked = 17 << 20
	args := [6]uint64{1, 0x1000, asked}
	d.Entry(c, row, &args, endlessMemory{}, 1)
	d.Exit(c, row, asked, endlessMemory{}, 1)
	if len(c.Dumps) != 1 {
		t.Fatalf("%d dumps, want 1", len(c.Dumps))
	}
	dump := c.Dumps[0]
	if dump.N != asked || len(dump.Data) != 16<<20 || dump.Short != 1<<20 || strings.Trim(string(dump.Data), "z") != "" {
		t.Errorf("dump of %d bytes: N %d, %d bytes, Short %d", asked, dump.N, len(dump.Data), dump.Short)
	}
}
