package resource

import (
	"net"
	"os"
	"strings"
	"testing"
)

func TestProcAddr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0100007F:1F90", "127.0.0.1:8080"},
		{"00000000:0000", "0.0.0.0:0"},
		{"00000000000000000000000001000000:01BB", "[::1]:443"},
		{"0000000000000000FFFF00000100007F:0050", "127.0.0.1:80"},
	}
	for _, tt := range tests {
		if got, ok := procAddr(tt.in); !ok || got != tt.want {
			t.Errorf("procAddr(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"", "zz:00", "0100007F", "0100007F:xyz"} {
		if got, ok := procAddr(bad); ok {
			t.Errorf("procAddr(%q) = %q, want failure", bad, got)
		}
	}
}

// TestProcResolver resolves this test process's own sockets through the
// real /proc.
func TestProcResolver(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no loopback TCP: %v", err)
	}
	defer ln.Close()
	conn, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	f, err := conn.(*net.TCPConn).File()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var p ProcResolver
	pid, fd := os.Getpid(), int(f.Fd())
	if link := p.FDPath(pid, fd); !strings.HasPrefix(link, "socket:[") {
		t.Fatalf("FDPath = %q, want socket:[inode]", link)
	}
	local, remote, ok := p.Endpoints(pid, fd)
	if !ok || local != conn.LocalAddr().String() || remote != ln.Addr().String() {
		t.Errorf("Endpoints = %q, %q, %v; want %s, %s", local, remote, ok, conn.LocalAddr(), ln.Addr())
	}
	if _, _, ok := p.Endpoints(pid, 0); ok && !strings.HasPrefix(p.FDPath(pid, 0), "socket:") {
		t.Errorf("Endpoints of a non-socket succeeded")
	}
}
