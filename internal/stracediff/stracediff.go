// Package stracediff compares gtrace's output with strace's for the same
// program: both traces are normalised (addresses, ports, pids, inodes,
// times, random bytes vary from run to run) and matched line by line.
// Its tests trace C programs that exercise sockets, polling, ioctls and
// i386 calls, and report how many of strace's lines gtrace reproduces.
package stracediff

import (
	"regexp"
	"strings"
)

// rule is one normalisation: what matches re becomes with.
type rule struct {
	re   *regexp.Regexp
	with string
}

// rules make two traces of the same program comparable. They touch only
// what varies between runs.
var rules = []rule{
	// Addresses: pointers, mmap results, envp.
	{regexp.MustCompile(`0x[0-9a-f]{6,}`), "0xADDR"},
	// Ephemeral ports, in sockaddrs and in -yy endpoints.
	{regexp.MustCompile(`htons\(\d{4,5}\)`), "htons(PORT)"},
	{regexp.MustCompile(`(\d|\]):\d{4,5}([\]-])`), "${1}:PORT$2"},
	// Inodes of pipes and sockets.
	{regexp.MustCompile(`(pipe|socket|UNIX|UNIX-STREAM|TCP|UDP|TCPv6|UDPv6|NETLINK|RAW|PING):\[\d+([\]>,-])`), "$1:[INODE$2"},
	{regexp.MustCompile(`->\d+([\],])`), "->INODE$1"},
	// The process of a pidfd.
	{regexp.MustCompile(`<pid:\d+>`), "<pid:PID>"},
	// The bytes of ephemeral ports, as -X raw and verbose show them.
	{regexp.MustCompile(`(sin6?_port)="(\\x[0-9a-f]{2}){2}"`), `$1="PORT"`},
	// Process ids.
	{regexp.MustCompile(`\b(pid|nl_pid|si_pid)=\d+`), "$1=PID"},
	{regexp.MustCompile(`((getpid|getppid|gettid|set_tid_address)\(.*\)\s+=) \d+`), "$1 PID"},
	{regexp.MustCompile(`Process PID=\d+`), "Process PID=PID"},
	{regexp.MustCompile(`ROUTE:\d+`), "ROUTE:PID"},
	// Time left in a call with a timeout.
	{regexp.MustCompile(`left \{tv_sec=\d+, tv_(n|u)sec=\d+\}`), "left {TIME}"},
	// Random bytes.
	{regexp.MustCompile(`getrandom\("[^"]*"`), `getrandom("RANDOM"`},
	// The column strace aligns results at moves with the lengths above.
	{regexp.MustCompile(`\)\s+= `), ") = "},
}

// Normalise rewrites a trace's varying parts so that two runs of the same
// program compare equal.
func Normalise(trace string) []string {
	var out []string
	for line := range strings.SplitSeq(trace, "\n") {
		if line == "" {
			continue
		}
		for _, r := range rules {
			line = r.re.ReplaceAllString(line, r.with)
		}
		out = append(out, line)
	}
	return out
}

// Result is how much of strace's trace gtrace reproduced.
type Result struct {
	Total   int      // strace's lines
	Matched int      // of those, found in gtrace's trace in the same order
	Missing []string // strace's lines gtrace did not reproduce
	Extra   []string // gtrace's lines strace does not have
}

// Rate is the fraction of strace's lines matched.
func (r Result) Rate() float64 {
	if r.Total == 0 {
		return 1
	}
	return float64(r.Matched) / float64(r.Total)
}

// Compare matches two normalised traces by their longest common
// subsequence of lines: a line gtrace prints differently counts once as
// missing, not as a shift of everything after it.
func Compare(want, got []string) Result {
	n, m := len(want), len(got)
	// lcs[i][j]: the LCS length of want[i:] and got[j:].
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if want[i] == got[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	r := Result{Total: n}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case want[i] == got[j]:
			r.Matched++
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			r.Missing = append(r.Missing, want[i])
			i++
		default:
			r.Extra = append(r.Extra, got[j])
			j++
		}
	}
	r.Missing = append(r.Missing, want[i:]...)
	r.Extra = append(r.Extra, got[j:]...)
	return r
}
