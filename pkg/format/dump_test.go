package format

import (
	"strings"
	"testing"

	"github.com/gtrace/gtrace/pkg/event"
)

func TestAppendDump(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    event.Dump
		want string
	}{
		{"short line", event.Dump{N: 3, Data: []byte("a\x00\xff")},
			" | 00000  61 00 ff                                          a..              |\n"},
		{"buffer", event.Dump{Kind: event.DumpBuffer, Index: 2, N: 17, Data: []byte("0123456789abcdef\x1b")},
			" * 17 bytes in buffer 2\n" +
				" | 00000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  0123456789abcdef |\n" +
				" | 00010  1b                                                .                |\n"},
		{"vector", event.Dump{Kind: event.DumpVector, Index: 1, N: 3}, " = 3 buffers in vector 1\n"},
		// Past 1 MiB the offsets widen to the digits of the last one,
		// as strace's do; what was not read is said.
		{"wide offsets", event.Dump{N: 1<<20 + 1, Data: []byte("x"), Short: 1 << 20},
			" | 000000  78                                                x                |\n" +
				" | <1048576 more bytes not dumped> |\n"},
		{"1 MiB keeps five digits", event.Dump{N: 1 << 20, Data: []byte("y"), Short: 1<<20 - 1},
			" | 00000  79                                                y                |\n" +
				" | <1048575 more bytes not dumped> |\n"},
	} {
		if got := string(AppendDump(nil, &tc.d)); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

func TestJSONDumps(t *testing.T) {
	var j jsonw
	j.open()
	j.dumps([]event.Dump{{Kind: event.DumpVector, N: 1}, {Kind: event.DumpBuffer, N: 2, Data: []byte("hi")}})
	j.close()
	want := `{"dumps":[{"kind":"vector","index":0,"n":1},{"kind":"buffer","index":0,"n":2,"data":"aGk="}]}`
	if got := string(j.b); !strings.Contains(got, want[1:len(want)-1]) {
		t.Errorf("got %s, want %s", got, want)
	}
}
