// Package filter decides what a trace shows: which syscalls are traced at
// all (a Syscalls set, which the engine and the seccomp filter use), and
// which of the traced events reach the output (a Filter on the event
// stream: strace's -e status=, -e signal=, -P, -e trace-fds=, -z, -Z and
// gtrace's --fd-kind).
//
// Selections are parsed here with strace's syntax (-e trace=) and
// gtrace's (-c); the command line only dispatches to these parsers.
package filter

import (
	"fmt"
	"math/bits"
	"regexp"
	"strconv"
	"strings"

	"github.com/gtrace/gtrace/pkg/categories"
	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
)

// Arches are the ABIs a selection covers.
var Arches = []event.Arch{event.ArchX86_64, event.ArchI386}

// Syscalls is a set of syscalls: one bitmap of numbers per ABI. Numbers
// beyond an ABI's table (syscalls gtrace does not know) are in the set
// only when it was built by inverting: `all` and `!open` trace them,
// `%network` does not. A nil *Syscalls is every syscall.
type Syscalls struct {
	bits [3][]uint64 // indexed by event.Arch
	// beyond: numbers past the end of the tables are in the set.
	beyond [3]bool
}

// NoSyscalls returns an empty set.
func NoSyscalls() *Syscalls {
	s := &Syscalls{}
	for _, a := range Arches {
		s.bits[a] = make([]uint64, (decode.TableFor(a).Max()+63)/64)
	}
	return s
}

// AllSyscalls returns the set of every syscall.
func AllSyscalls() *Syscalls { return NoSyscalls().Invert() }

// Has reports whether syscall nr of arch is in the set.
func (s *Syscalls) Has(arch event.Arch, nr int) bool {
	if s == nil {
		return true
	}
	if int(arch) >= len(s.bits) || nr < 0 {
		return false
	}
	b := s.bits[arch]
	if nr >= len(b)*64 {
		return s.beyond[arch]
	}
	return b[nr/64]&(1<<(nr%64)) != 0
}

// Add puts syscall nr of arch in the set.
func (s *Syscalls) Add(arch event.Arch, nr int) {
	if b := s.bits[arch]; nr >= 0 && nr < len(b)*64 {
		b[nr/64] |= 1 << (nr % 64)
	}
}

// Invert makes s its complement and returns it.
func (s *Syscalls) Invert() *Syscalls {
	for _, a := range Arches {
		for i := range s.bits[a] {
			s.bits[a][i] = ^s.bits[a][i]
		}
		s.beyond[a] = !s.beyond[a]
	}
	return s
}

// Intersect keeps in s only the syscalls also in o and returns s.
func (s *Syscalls) Intersect(o *Syscalls) *Syscalls {
	if o == nil {
		return s
	}
	for _, a := range Arches {
		for i := range s.bits[a] {
			s.bits[a][i] &= o.bits[a][i]
		}
		s.beyond[a] = s.beyond[a] && o.beyond[a]
	}
	return s
}

// Union adds the syscalls of o to s and returns s.
func (s *Syscalls) Union(o *Syscalls) *Syscalls {
	for _, a := range Arches {
		for i := range s.bits[a] {
			s.bits[a][i] |= o.bits[a][i]
		}
		s.beyond[a] = s.beyond[a] || o.beyond[a]
	}
	return s
}

// Subtract removes the syscalls of o from s and returns s.
func (s *Syscalls) Subtract(o *Syscalls) *Syscalls {
	for _, a := range Arches {
		for i := range s.bits[a] {
			s.bits[a][i] &^= o.bits[a][i]
		}
		s.beyond[a] = s.beyond[a] && !o.beyond[a]
	}
	return s
}

// IsAll reports whether every syscall of both tables, and every number
// beyond them, is in the set: tracing it needs no selection at all.
func (s *Syscalls) IsAll() bool {
	if s == nil {
		return true
	}
	for _, a := range Arches {
		if !s.beyond[a] {
			return false
		}
		for _, sc := range decode.TableFor(a).All() {
			if !s.Has(a, sc.Nr) {
				return false
			}
		}
	}
	return true
}

// Numbers returns the numbers of arch's table in the set, ascending.
// Whether numbers beyond the table are in it is Beyond.
func (s *Syscalls) Numbers(arch event.Arch) []int {
	var out []int
	for i, w := range s.bits[arch] {
		for w != 0 {
			bit := bits.TrailingZeros64(w)
			out = append(out, i*64+bit)
			w &^= 1 << bit
		}
	}
	return out
}

// Beyond reports whether the numbers past the end of arch's table (up to
// Limit) are in the set.
func (s *Syscalls) Beyond(arch event.Arch) bool { return s.beyond[arch] }

// Limit is the first number beyond arch's table as the set sees it.
func (s *Syscalls) Limit(arch event.Arch) int { return len(s.bits[arch]) * 64 }

// Count returns how many syscalls of the tables the set holds.
func (s *Syscalls) Count() int {
	n := 0
	for _, a := range Arches {
		for _, sc := range decode.TableFor(a).All() {
			if s.Has(a, sc.Nr) {
				n++
			}
		}
	}
	return n
}

// ForCategories returns the syscalls in any of the categories cats.
func ForCategories(cats categories.Set) *Syscalls {
	return matching(func(sc *decode.Syscall) bool { return sc.Cats.Intersects(cats) }, Arches)
}

// matching returns the syscalls of arches whose row satisfies ok.
func matching(ok func(*decode.Syscall) bool, arches []event.Arch) *Syscalls {
	s := NoSyscalls()
	for _, a := range arches {
		for _, sc := range decode.TableFor(a).All() {
			if ok(sc) {
				s.Add(a, sc.Nr)
			}
		}
	}
	return s
}

// ParseCategories reads -c's values: each a comma-separated list of
// category names, a name negated with a leading '!' removes its syscalls.
// With only negations the selection starts from every syscall.
func ParseCategories(lists []string) (*Syscalls, error) {
	var want, not categories.Set
	for _, list := range lists {
		for word := range strings.SplitSeq(list, ",") {
			word = strings.TrimSpace(word)
			if word == "" {
				continue
			}
			name, neg := strings.CutPrefix(word, "!")
			c, ok := categories.Lookup(name)
			if !ok {
				return nil, fmt.Errorf("unknown category %q (known: %s)", name, strings.Join(categories.Names(), ", "))
			}
			if neg {
				not |= c
			} else {
				want |= c
			}
		}
	}
	if want == 0 && not == 0 {
		return nil, fmt.Errorf("no category given")
	}
	set := AllSyscalls()
	if want != 0 {
		set = ForCategories(want)
	}
	return set.Subtract(ForCategories(not)), nil
}

// ParseTrace reads a syscall set in strace's -e trace= syntax:
//
//	[!]...TOKEN[,TOKEN...]     or   [!]...all  /  [!]...none
//
// where a leading '!' inverts the set (each one again), and a TOKEN is a
// syscall name, a number, a class (%file, %net, ..., or strace's legacy
// file, desc, ...), /REGEX (an extended regular expression searched in
// the names), each optionally suffixed with @64 or @32 for one ABI and
// prefixed with '?' to allow it to match nothing.
func ParseTrace(expr string) (*Syscalls, error) {
	s := NoSyscalls()
	inverted := false
	for strings.HasPrefix(expr, "!") {
		inverted = !inverted
		expr = expr[1:]
	}
	switch expr {
	case "none":
	case "all":
		s.Invert()
	default:
		tokens := 0
		for tok := range strings.SplitSeq(expr, ",") {
			if tok == "" {
				continue // strtok skips empty tokens, as strace does
			}
			tokens++
			if err := addToken(s, tok); err != nil {
				return nil, err
			}
		}
		if tokens == 0 {
			return nil, fmt.Errorf("invalid system call '%s'", expr)
		}
	}
	if inverted {
		s.Invert()
	}
	return s, nil
}

// addToken adds the syscalls one -e trace= token names.
func addToken(s *Syscalls, tok string) error {
	optional := false
	for strings.HasPrefix(tok, "?") {
		optional = true
		tok = tok[1:]
	}
	arches := Arches
	if i := strings.LastIndexByte(tok, '@'); i >= 0 {
		switch tok[i+1:] {
		case "64":
			arches = Arches[:1]
		case "32":
			arches = Arches[1:]
		case "x32":
			arches = nil // gtrace does not trace the x32 ABI
		default:
			return fmt.Errorf("unknown ABI %q in %q (want 64 or 32)", tok[i+1:], tok)
		}
		tok = tok[:i]
	}
	found, err := addMatching(s, tok, arches)
	if err != nil {
		return err
	}
	if !found && !optional {
		return fmt.Errorf("invalid system call '%s'", tok)
	}
	return nil
}

// addMatching adds the syscalls of arches that tok names and reports
// whether there was any.
func addMatching(s *Syscalls, tok string, arches []event.Arch) (bool, error) {
	var ok func(*decode.Syscall) bool
	switch {
	case tok == "":
		return false, nil
	case tok[0] >= '0' && tok[0] <= '9':
		nr, err := strconv.Atoi(tok)
		if err != nil {
			return false, nil
		}
		found := false
		for _, a := range arches {
			if nr < decode.TableFor(a).Max() {
				s.Add(a, nr)
				found = true
			}
		}
		return found, nil
	case tok[0] == '/':
		re, err := regexp.Compile(tok[1:])
		if err != nil {
			return false, fmt.Errorf("bad regular expression %q: %v", tok[1:], err)
		}
		ok = func(sc *decode.Syscall) bool { return re.MatchString(sc.Name) }
	case tok == "all":
		ok = func(*decode.Syscall) bool { return true }
	default:
		if class, isClass := categories.LookupClass(tok); isClass {
			// A class is valid even where no syscall of arches is in it.
			s.Union(matching(func(sc *decode.Syscall) bool { return sc.Classes.Has(class) }, arches))
			return true, nil
		}
		ok = func(sc *decode.Syscall) bool { return sc.Name == tok }
	}
	m := matching(ok, arches)
	s.Union(m)
	return m.Count() > 0, nil
}
