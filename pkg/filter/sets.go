package filter

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gtrace/gtrace/pkg/decode"
)

// numbers is a set of small non-negative numbers in strace's
// qualify_tokens syntax: [!]...(all | none | TOKEN[,TOKEN...]).
type numbers struct {
	in  map[int]bool
	not bool // the set is the complement of in
}

func (n *numbers) has(v int) bool { return n.in[v] != n.not }

// parseNumbers reads expr, each token turned into a number by lookup; what
// names the kind of token in errors ("signal", "status", ...).
func parseNumbers(expr, what string, lookup func(string) (int, bool)) (*numbers, error) {
	n := &numbers{in: map[int]bool{}}
	for strings.HasPrefix(expr, "!") {
		n.not = !n.not
		expr = expr[1:]
	}
	switch expr {
	case "none":
		return n, nil
	case "all":
		n.not = !n.not
		return n, nil
	}
	tokens := 0
	for tok := range strings.SplitSeq(expr, ",") {
		if tok == "" {
			continue
		}
		v, ok := lookup(tok)
		if !ok {
			return nil, fmt.Errorf("unknown %s %q", what, tok)
		}
		n.in[v] = true
		tokens++
	}
	if tokens == 0 {
		return nil, fmt.Errorf("unknown %s %q", what, expr)
	}
	return n, nil
}

// Status is a syscall's outcome, as -e status= names it.
type Status uint8

// The outcomes strace distinguishes.
const (
	Successful  Status = iota // returned without an error
	Failed                    // returned an error
	Unfinished                // did not return: exit, or the task died in it
	Unavailable               // returned, but its result could not be read
	Detached                  // gtrace detached before it returned
)

var statusNames = []string{"successful", "failed", "unfinished", "unavailable", "detached"}

// StatusSet is a set of outcomes; nil is every outcome.
type StatusSet struct{ n *numbers }

// Has reports whether st is in the set.
func (s *StatusSet) Has(st Status) bool { return s == nil || s.n.has(int(st)) }

// ParseStatus reads -e status=: successful, failed, unfinished,
// unavailable, detached (any case), all, none, with '!' to invert.
func ParseStatus(expr string) (*StatusSet, error) {
	n, err := parseNumbers(expr, "status", func(tok string) (int, bool) {
		for i, name := range statusNames {
			if strings.EqualFold(tok, name) {
				return i, true
			}
		}
		return 0, false
	})
	if err != nil {
		return nil, err
	}
	return &StatusSet{n}, nil
}

// SignalSet is a set of signal numbers; nil is every signal.
type SignalSet struct{ n *numbers }

// Has reports whether signal sig is in the set.
func (s *SignalSet) Has(sig int) bool { return s == nil || s.n.has(sig) }

// ParseSignals reads -e signal=: names with or without SIG in any case
// (INT, sigint, SIGRT_3, SIGRTMIN), numbers up to 255, all, none, with '!'
// to invert.
func ParseSignals(expr string) (*SignalSet, error) {
	n, err := parseNumbers(expr, "signal", func(tok string) (int, bool) {
		if tok[0] >= '0' && tok[0] <= '9' {
			v, err := strconv.Atoi(tok)
			return v, err == nil && v <= 255
		}
		return decode.SignalByName(strings.ToUpper(tok))
	})
	if err != nil {
		return nil, err
	}
	return &SignalSet{n}, nil
}

// FDSet is a set of descriptor numbers; nil is every descriptor.
type FDSet struct{ n *numbers }

// Has reports whether fd is in the set.
func (s *FDSet) Has(fd int) bool { return s == nil || s.n.has(fd) }

// ParseFDs reads -e trace-fds=: descriptor numbers, all, none, with '!' to
// invert.
func ParseFDs(expr string) (*FDSet, error) {
	n, err := parseNumbers(expr, "descriptor", func(tok string) (int, bool) {
		v, err := strconv.Atoi(tok)
		return v, err == nil && v >= 0 && tok[0] != '+'
	})
	if err != nil {
		return nil, err
	}
	return &FDSet{n}, nil
}
