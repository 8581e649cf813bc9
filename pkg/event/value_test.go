package event

import "testing"

func TestAppendQuoted(t *testing.T) {
	tests := []struct {
		in    string
		hex   int
		force bool
		want  string
	}{
		// Cases checked against strace 6.1's output.
		{"ab\x01c\n\tz\"\\\x7f\xc07", 0, false, `"ab\1c\n\tz\"\\\177\3007"`},
		{"\x00\x01", 0, false, `"\0\1"`},
		{"\x00" + "1", 0, false, `"\0001"`},
		{"# Locale\n#", 1, false, `"# Locale\n#"`},
		{"\x7fELF", 1, false, `"\x7f\x45\x4c\x46"`},
		{"hi", 2, false, `"\x68\x69"`},
		{"{)", 0, true, `"\x7b\x29"`},
		{"\v\f\r", 0, false, `"\v\f\r"`},
		{"", 0, false, `""`},
	}
	for _, tt := range tests {
		if got := string(AppendQuoted(nil, []byte(tt.in), tt.hex, tt.force)); got != tt.want {
			t.Errorf("AppendQuoted(%q, hex=%d, force=%v) = %s, want %s", tt.in, tt.hex, tt.force, got, tt.want)
		}
	}
}

func TestAppendOctal(t *testing.T) {
	for v, want := range map[uint64]string{0: "000", 7: "007", 0o22: "022", 0o644: "0644", 0o4755: "04755"} {
		if got := string(AppendOctal(nil, v)); got != want {
			t.Errorf("AppendOctal(%#o) = %s, want %s", v, got, want)
		}
	}
}

func TestAppendStrace(t *testing.T) {
	st := &Style{}
	tests := []struct {
		v    Value
		want string
	}{
		{Int(-1), "-1"},
		{Hex(0), "0"},
		{Hex(0x1f), "0x1f"},
		{Ptr(0), "NULL"},
		{Ptr(0x7ffd), "0x7ffd"},
		{FD(-100), "AT_FDCWD"},
		{Value{Kind: VFD, N: 3, Text: "/etc/passwd"}, "3</etc/passwd>"},
		{Value{Kind: VFD, N: 3, Text: "/tmp/a\x1b[31m>"}, `3</tmp/a\x1b[31m\x3e>`},
		{Str([]byte("abc"), true), `"abc"...`},
		{Value{Kind: VStruct, Trunc: true, Elems: []Value{Field("st_mode", Text("S_IFREG|0644")), Field("st_size", Int(10))}}, "{st_mode=S_IFREG|0644, st_size=10, ...}"},
		{Value{Kind: VArray, Trunc: true, Elems: []Value{Str([]byte("a"), false)}}, `["a", ...]`},
		{Value{Kind: VArray}, `[]`},
		{Value{Kind: VCall, Text: "htons", Elems: []Value{Uint(80)}}, "htons(80)"},
		{Value{Kind: VPtr, N: 0x10, Comment: "3 vars"}, "0x10 /* 3 vars */"},
	}
	for _, tt := range tests {
		if got := string(tt.v.AppendStrace(nil, st)); got != tt.want {
			t.Errorf("%v: got %s, want %s", tt.v.Kind, got, tt.want)
		}
	}
}
