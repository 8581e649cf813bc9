package resource

import (
	"bufio"
	"encoding/hex"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

// ProcResolver is the Resolver that reads /proc: a descriptor's link in
// /proc/PID/fd, and a socket's endpoints from the process's
// /proc/PID/net tables (tcp, tcp6, udp, udp6, unix), found by inode.
type ProcResolver struct {
	// Root is where procfs is mounted; "" means /proc.
	Root string
}

func (p ProcResolver) root() string {
	if p.Root == "" {
		return "/proc"
	}
	return p.Root
}

// FDPath implements Resolver.
func (p ProcResolver) FDPath(pid, fd int) string {
	link, err := os.Readlink(p.root() + "/" + strconv.Itoa(pid) + "/fd/" + strconv.Itoa(fd))
	if err != nil {
		return ""
	}
	return link
}

// Endpoints implements Resolver.
func (p ProcResolver) Endpoints(pid, fd int) (local, remote string, ok bool) {
	inode, found := strings.CutPrefix(p.FDPath(pid, fd), "socket:[")
	if !found {
		return "", "", false
	}
	inode = strings.TrimSuffix(inode, "]")
	dir := p.root() + "/" + strconv.Itoa(pid) + "/net/"
	for _, name := range []string{"tcp", "tcp6", "udp", "udp6"} {
		if l, r, ok := inetEndpoints(dir+name, inode); ok {
			return l, r, true
		}
	}
	if path, ok := unixPath(dir+"unix", inode); ok {
		return path, "", true
	}
	return "", "", false
}

// inetEndpoints finds the socket with the given inode in a /proc/net/tcp
// style table: "sl local rem st tx:rx tr:when retrnsmt uid timeout inode".
func inetEndpoints(file, inode string) (local, remote string, ok bool) {
	fields := findRow(file, 9, inode)
	if fields == nil {
		return "", "", false
	}
	local, lok := procAddr(fields[1])
	remote, rok := procAddr(fields[2])
	if !lok || !rok {
		return "", "", false
	}
	if strings.HasSuffix(remote, ":0") && (strings.HasPrefix(remote, "0.0.0.0:") || strings.HasPrefix(remote, "[::]:")) {
		remote = "" // not connected
	}
	return local, remote, true
}

// findRow returns the fields of the first line of a /proc/net table
// whose column col is inode.
func findRow(file string, col int, inode string) []string {
	f, err := os.Open(file)
	if err != nil {
		return nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) > col && fields[col] == inode {
			return fields
		}
	}
	return nil
}

// procAddr decodes "0100007F:1F90" (IPv4) or a 32-digit IPv6 address:
// each 32-bit word of the address is in host (little-endian) order, the
// port in hex.
func procAddr(s string) (string, bool) {
	addrHex, portHex, found := strings.Cut(s, ":")
	if !found {
		return "", false
	}
	raw, err := hex.DecodeString(addrHex)
	if err != nil || (len(raw) != 4 && len(raw) != 16) {
		return "", false
	}
	for i := 0; i < len(raw); i += 4 {
		raw[i], raw[i+1], raw[i+2], raw[i+3] = raw[i+3], raw[i+2], raw[i+1], raw[i]
	}
	port, err := strconv.ParseUint(portHex, 16, 16)
	if err != nil {
		return "", false
	}
	addr, _ := netip.AddrFromSlice(raw)
	return netip.AddrPortFrom(addr.Unmap(), uint16(port)).String(), true
}

// unixPath finds a unix socket's bound path in /proc/net/unix:
// "Num RefCount Protocol Flags Type St Inode Path".
func unixPath(file, inode string) (string, bool) {
	fields := findRow(file, 6, inode)
	switch {
	case fields == nil:
		return "", false
	case len(fields) > 7:
		return fields[7], true
	}
	return "", true
}
