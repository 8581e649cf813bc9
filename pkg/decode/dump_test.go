package decode_test

import (
	"encoding/binary"
	"fmt"
	"slices"
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
 | 00000  61 62 63                                          abc              |`},
		{"vector with a NULL buffer", func(m *netMem) netCall {
			iov := m.put(le(uint64(0), uint64(5), m.put([]byte("xyz")), uint64(3)))
			return netCall{name: "writev", args: [6]uint64{4, iov, 2}, ret: 3, opts: opts}
		}, `writev(4, [{iov_base=NULL, iov_len=5}, {iov_base="xyz", iov_len=3}], 2) = 3
 * 5 bytes in buffer 0
 * 3 bytes in buffer 1
 | 00000  78 79 7a                                          xyz              |`},
		{"vector that cannot be read", func(m *netMem) netCall {
			return netCall{name: "writev", args: [6]uint64{4, 0x9000, 3}, ret: errno(14), opts: opts}
		}, `writev(4, 0x9000, 3) = -1 EFAULT (Bad address)`},
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

// TestDumpBound: the bound is on the call, whatever its number of
// buffers.
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

	// writev of three buffers of 10 MiB: the first whole, 6 MiB of the
	// second, none of the third.
	row = decode.TableFor(event.ArchX86_64).ByName("writev")
	c = &event.Call{Arch: event.ArchX86_64, Nr: row.Nr}
	const mib = 1 << 20
	iov := decode.SliceMemory{Base: 0x1000}
	for range 3 {
		iov.Data = binary.LittleEndian.AppendUint64(iov.Data, 0x100000)
		iov.Data = binary.LittleEndian.AppendUint64(iov.Data, 10*mib)
	}
	mem := splitMemory{iov: &iov}
	args = [6]uint64{1, 0x1000, 3}
	d.Entry(c, row, &args, mem, 1)
	d.Exit(c, row, 30*mib, mem, 1)
	var got []string
	for _, dump := range c.Dumps {
		got = append(got, fmt.Sprintf("%d:%d/%d", dump.Index, len(dump.Data), dump.Short))
	}
	if want := []string{"0:10485760/0", "1:6291456/4194304", "2:0/10485760"}; !slices.Equal(got, want) {
		t.Errorf("writev of 3 × 10 MiB dumped (buffer:bytes/short) %v, want %v", got, want)
	}
}

// splitMemory is an iovec array at its Base, and bytes of 'z' elsewhere.
type splitMemory struct{ iov *decode.SliceMemory }

func (m splitMemory) Read(addr uint64, p []byte) (int, error) {
	if n, err := m.iov.Read(addr, p); err == nil {
		return n, nil
	}
	return endlessMemory{}.Read(addr, p)
}
