package stracediff

import (
	"slices"
	"testing"
)

func TestNormalise(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`connect(3, {sa_family=AF_INET, sin_port=htons(40123), sin_addr=inet_addr("127.0.0.1")}, 16) = 0`,
			`connect(3, {sa_family=AF_INET, sin_port=htons(PORT), sin_addr=inet_addr("127.0.0.1")}, 16) = 0`},
		{`close(5<TCP:[127.0.0.1:40000->127.0.0.1:8080]>)   = 0`, `close(5<TCP:[127.0.0.1:PORT->127.0.0.1:PORT]>) = 0`},
		{`close(3<UNIX-STREAM:[1234->1235]>) = 0`, `close(3<UNIX-STREAM:[INODE->INODE]>) = 0`},
		{`recvfrom(5, 0x7ffc7a867af0, 64, 0, NULL, NULL) = -1 EAGAIN`, `recvfrom(5, 0xADDR, 64, 0, NULL, NULL) = -1 EAGAIN`},
		{`getpid()                                = 4242`, `getpid() = PID`},
		{`ppoll([], 0, NULL, NULL, 8) = 1 (left {tv_sec=0, tv_nsec=999242})`, `ppoll([], 0, NULL, NULL, 8) = 1 (left {TIME})`},
		{`bind(3, {sa_family=0x2, sin_port="\xb2\x21", sin_addr="\x7f\x00\x00\x01"}, 16) = 0`, `bind(3, {sa_family=0x2, sin_port="PORT", sin_addr="\x7f\x00\x00\x01"}, 16) = 0`},
		{`listen(3, 16) = 0`, `listen(3, 16) = 0`},
	} {
		if got := Normalise(tc.in); len(got) != 1 || got[0] != tc.want {
			t.Errorf("Normalise(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCompare(t *testing.T) {
	want := []string{"a", "b", "c", "d"}
	got := []string{"a", "x", "c", "d", "e"}
	r := Compare(want, got)
	if r.Total != 4 || r.Matched != 3 || !slices.Equal(r.Missing, []string{"b"}) || !slices.Equal(r.Extra, []string{"x", "e"}) {
		t.Errorf("Compare = %+v", r)
	}
	if r.Rate() != 0.75 {
		t.Errorf("Rate = %v, want 0.75", r.Rate())
	}
	if r := Compare(nil, []string{"a"}); r.Rate() != 1 || len(r.Extra) != 1 {
		t.Errorf("empty strace trace: %+v", r)
	}
}
