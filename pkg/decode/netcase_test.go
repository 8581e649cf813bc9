package decode_test

import (
	"encoding/binary"
	"regexp"
	"strings"
	"testing"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/format"
)

// netMem lays out tracee memory for a decoder test: each put returns the
// address its bytes are at, in one decode.SliceMemory.
type netMem struct{ m decode.SliceMemory }

const netMemBase = 0x10000

func newNetMem() *netMem { return &netMem{m: decode.SliceMemory{Base: netMemBase}} }

// put stores b, 8-byte aligned, and returns its address.
func (n *netMem) put(b []byte) uint64 {
	for len(n.m.Data)%8 != 0 {
		n.m.Data = append(n.m.Data, 0)
	}
	addr := uint64(netMemBase + len(n.m.Data))
	n.m.Data = append(n.m.Data, b...)
	return addr
}

// le builds little-endian struct bytes from fields: uint8, uint16,
// uint32, uint64, int32, int64 and []byte values, packed.
func le(fields ...any) []byte {
	var b []byte
	for _, f := range fields {
		switch v := f.(type) {
		case uint8:
			b = append(b, v)
		case uint16:
			b = binary.LittleEndian.AppendUint16(b, v)
		case uint32:
			b = binary.LittleEndian.AppendUint32(b, v)
		case int32:
			b = binary.LittleEndian.AppendUint32(b, uint32(v))
		case uint64:
			b = binary.LittleEndian.AppendUint64(b, v)
		case int64:
			b = binary.LittleEndian.AppendUint64(b, uint64(v))
		case []byte:
			b = append(b, v...)
		case string:
			b = append(b, v...)
		default:
			panic("le: unsupported field")
		}
	}
	return b
}

// netCall decodes one call with a Decoder over mem and renders it as the
// strace formatter prints it, with the result column's padding removed.
type netCall struct {
	arch  event.Arch
	name  string
	args  [6]uint64
	ret   int64
	opts  decode.Options
	style event.Style
}

var resultPadding = regexp.MustCompile(`\)\s+= `)

func (c netCall) render(t *testing.T, mem decode.Memory) string {
	t.Helper()
	arch := c.arch
	if arch == event.ArchUnknown {
		arch = event.ArchX86_64
	}
	row := decode.TableFor(arch).ByName(c.name)
	if row == nil {
		t.Fatalf("no %s row for %s", arch, c.name)
	}
	d := decode.NewDecoder(c.opts, nil)
	call := &event.Call{Arch: arch, Nr: row.Nr}
	d.Entry(call, row, &c.args, mem, 1)
	d.Exit(call, row, c.ret, mem, 1)
	var out strings.Builder
	f := format.NewStrace(&out, format.StraceOptions{Style: c.style, Prefix: format.PrefixNever})
	_ = f.Write(&event.Event{Kind: event.KindSyscallEntry, PID: 1, TID: 1, Call: call})
	_ = f.Write(&event.Event{Kind: event.KindSyscallExit, PID: 1, TID: 1, Call: call})
	_ = f.End()
	return strings.TrimSuffix(resultPadding.ReplaceAllString(out.String(), ") = "), "\n")
}

// netCase is one table-driven decoder test: setup lays out memory and
// returns the call.
type netCase struct {
	name  string
	setup func(m *netMem) netCall
	want  string
}

func runNetCases(t *testing.T, cases []netCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newNetMem()
			c := tc.setup(m)
			if got := c.render(t, &m.m); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// errno returns the raw return value of a failed call.
func errno(e int64) int64 { return -e }

const (
	eBADF       = 9
	eAGAIN      = 11
	eFAULT      = 14
	eINVAL      = 22
	eNOTTY      = 25
	eCONNREFUSE = 111
)

// sockaddrIn is a struct sockaddr_in for 127.0.0.1:port.
func sockaddrIn(port uint16) []byte {
	return le(uint16(2), []byte{byte(port >> 8), byte(port)}, []byte{127, 0, 0, 1}, make([]byte, 8))
}
