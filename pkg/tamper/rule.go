// Package tamper is strace's syscall tampering (-e inject=, -e fault=)
// for gtrace: Parse reads strace's expressions into Rules, and a
// Tamperer applies them to the traced program through a tracer.Hook,
// with strace's counting and its "(INJECTED)" notes in the trace.
package tamper

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gtrace/gtrace/pkg/categories"
	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
)

// Rule is one -e inject= or -e fault= expression.
type Rule struct {
	// Calls selects the syscalls (strace's syscall_set).
	Calls func(arch event.Arch, nr int) bool

	// Errno makes the call fail with it (error=); the kernel skips the
	// call.
	Errno syscall.Errno
	// Retval makes the call return it (retval=) when HasRetval; the
	// kernel skips the call.
	Retval    int64
	HasRetval bool
	// Via names the syscall the kernel runs in place of a call skipped
	// by error= or retval= (syscall=): one without side effects (strace's
	// %pure), which a seccomp filter or audit rule then sees. "" runs
	// none.
	Via string
	// Signal is delivered once the call has run (signal=).
	Signal syscall.Signal
	// DelayEnter and DelayExit hold the task before and after the call.
	DelayEnter, DelayExit time.Duration
	// PokeEnter and PokeExit are written where arguments point, at entry
	// and at exit.
	PokeEnter, PokeExit []Poke
	// When says which invocations are tampered with.
	When When
}

// Poke is data to write where an argument points (poke_enter=@argN=HEX).
type Poke struct {
	Arg  int // 1 to 7, as strace counts
	Data []byte
}

// When is strace's when=FIRST[..LAST][+[STEP]]: invocations First,
// First+Step, ... up to Last, counted per thread and per syscall from 1.
type When struct {
	First int
	Last  int // 0: no limit
	Step  int // 0: First only
}

// Every is when= left out: every invocation.
var Every = When{First: 1, Step: 1}

// Has reports whether invocation n (from 1) is tampered with.
func (w When) Has(n int) bool {
	if n < w.First || (w.Last != 0 && n > w.Last) {
		return false
	}
	if w.Step == 0 {
		return n == w.First
	}
	return (n-w.First)%w.Step == 0
}

// Limits of strace's when= numbers.
const (
	maxWhen     = 65535
	maxWhenLast = 65534
)

// SetParser parses strace's syscall_set syntax ("open,close", "%file",
// "!write", "/regex", "?name").
type SetParser func(set string) (func(arch event.Arch, nr int) bool, error)

// Parse reads the value of -e inject= (fault false) or -e fault= (fault
// true): SET:TOKEN:TOKEN... with strace's tokens error=, retval=,
// signal=, delay_enter=, delay_exit=, poke_enter=, poke_exit=, syscall=
// and when=. fault= takes only error=, syscall= and when=, and fails
// with ENOSYS by default. syscall= alone is no action.
// Errors read as strace's: "invalid inject argument 'SPEC'".
func Parse(spec string, fault bool, parseSet SetParser) (Rule, error) {
	what := "inject"
	if fault {
		what = "fault"
	}
	bad := fmt.Errorf("invalid %s argument '%s'", what, spec)
	set, tokens, _ := strings.Cut(spec, ":")
	if set == "" {
		return Rule{}, bad
	}
	r := Rule{When: Every}
	var seen acts
	for tok := range strings.SplitSeq(tokens, ":") {
		if tok == "" {
			// strtok skips empty tokens, but "SET:" alone has no action.
			continue
		}
		if err := r.token(tok, fault, &seen); err != nil {
			return Rule{}, bad
		}
	}
	if seen&^actSyscall == 0 {
		if !fault {
			return Rule{}, bad
		}
		r.Errno = syscall.ENOSYS
	}
	calls, err := parseSet(set)
	if err != nil {
		return Rule{}, err
	}
	r.Calls = calls
	return r, nil
}

// acts records which tokens a rule had, to refuse repeats.
type acts uint16

const (
	actError acts = 1 << iota
	actRetval
	actSignal
	actDelayEnter
	actDelayExit
	actPokeEnter
	actPokeExit
	actSyscall
)

var errToken = errors.New("bad token")

// token applies one NAME=VALUE token of a rule. error= and retval=
// exclude each other; no other token but when= may repeat.
func (r *Rule) token(tok string, fault bool, seen *acts) error {
	name, val, ok := strings.Cut(tok, "=")
	if !ok {
		return errToken
	}
	if name == "when" {
		var err error
		r.When, err = parseWhen(val)
		return err
	}
	act, ok := actNames[name]
	if !ok || (fault && act != actError && act != actSyscall) {
		return errToken
	}
	conflicts := act
	if act == actError || act == actRetval {
		conflicts = actError | actRetval
	}
	if *seen&conflicts != 0 {
		return errToken
	}
	*seen |= act
	var err error
	switch act {
	case actError:
		r.Errno, err = parseErrno(val)
	case actRetval:
		r.Retval, err = parseRetval(val)
		r.HasRetval = true
	case actSignal:
		r.Signal, err = parseSignal(val)
	case actDelayEnter:
		r.DelayEnter, err = parseDelay(val)
	case actDelayExit:
		r.DelayExit, err = parseDelay(val)
	case actPokeEnter:
		r.PokeEnter, err = parsePokes(val)
	case actPokeExit:
		r.PokeExit, err = parsePokes(val)
	case actSyscall:
		r.Via, err = parsePure(val)
	}
	return err
}

// parsePure reads syscall='s name: a syscall without side effects.
func parsePure(name string) (string, error) {
	sc := decode.TableFor(event.ArchX86_64).ByName(name)
	if sc == nil || sc.Classes&categories.ClassPure == 0 {
		return "", errToken
	}
	return name, nil
}

// via is the syscall number that skips a call of arch: Via's, or -1.
func (r *Rule) via(arch event.Arch) int {
	if r.Via != "" {
		if sc := decode.TableFor(arch).ByName(r.Via); sc != nil {
			return sc.Nr
		}
	}
	return -1
}

var actNames = map[string]acts{
	"error": actError, "retval": actRetval, "signal": actSignal,
	"delay_enter": actDelayEnter, "delay_exit": actDelayExit,
	"poke_enter": actPokeEnter, "poke_exit": actPokeExit, "syscall": actSyscall,
}

// leadingUint reads the decimal number s starts with, as strtol does
// (an optional '+' first), up to max; what follows must be empty or
// start with one of the bytes of terms.
func leadingUint(s string, max int, terms string) (n int, rest string, err error) {
	i := 0
	if strings.HasPrefix(s, "+") {
		i++
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	rest = s[j:]
	if j == i || (rest != "" && !strings.ContainsRune(terms, rune(rest[0]))) {
		return 0, "", errToken
	}
	n, err = strconv.Atoi(s[i:j])
	if err != nil || n > max {
		return 0, "", errToken
	}
	return n, rest, nil
}

// parseUint reads a whole string as a decimal number up to max.
func parseUint(s string, max int) (int, error) {
	n, _, err := leadingUint(s, max, "")
	return n, err
}

// parseWhen reads FIRST[..LAST][+[STEP]]: FIRST alone is that one
// invocation, a range or a '+' step through them (by 1 if not given).
func parseWhen(s string) (When, error) {
	first, rest, err := leadingUint(s, maxWhen, "+.")
	if err != nil || first < 1 {
		return When{}, errToken
	}
	w := When{First: first}
	if rest != "" && rest[0] == '.' {
		if !strings.HasPrefix(rest, "..") {
			return When{}, errToken
		}
		w.Last, rest, err = leadingUint(rest[2:], maxWhenLast, "+")
		if err != nil || w.Last < first {
			return When{}, errToken
		}
		w.Step = 1
	}
	if step, ok := strings.CutPrefix(rest, "+"); ok {
		w.Step = 1
		if step != "" {
			if w.Step, err = parseUint(step, maxWhen); err != nil || w.Step < 1 {
				return When{}, errToken
			}
		}
	}
	return w, nil
}

// parseErrno reads a number within 1..4095 or an errno name.
func parseErrno(s string) (syscall.Errno, error) {
	if n, err := parseUint(s, 4095); err == nil {
		if n < 1 {
			return 0, errToken
		}
		return syscall.Errno(n), nil
	}
	if n, ok := decode.ErrnoByName(strings.ToUpper(s)); ok {
		return syscall.Errno(n), nil
	}
	return 0, errToken
}

// parseRetval reads a value as strtoull(s, 0) does: decimal, 0x hex or
// 0 octal, a leading '-' negating modulo 2^64.
func parseRetval(s string) (int64, error) {
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	if digits == "" || strings.ContainsAny(digits, "_+-") {
		return 0, errToken
	}
	base := 10
	switch {
	case len(digits) > 2 && (digits[:2] == "0x" || digits[:2] == "0X"):
		base, digits = 16, digits[2:]
	case len(digits) > 1 && digits[0] == '0':
		base, digits = 8, digits[1:]
	}
	u, err := strconv.ParseUint(digits, base, 64)
	if err != nil {
		return 0, errToken
	}
	if neg {
		u = -u
	}
	return int64(u), nil
}

// parseSignal reads a signal name (with or without SIG, any case) or
// number within 1..64.
func parseSignal(s string) (syscall.Signal, error) {
	if n, err := parseUint(s, 255); err == nil {
		if n < 1 || n > 64 {
			return 0, errToken
		}
		return syscall.Signal(n), nil
	}
	if n, ok := decode.SignalByName(strings.ToUpper(s)); ok {
		return syscall.Signal(n), nil
	}
	return 0, errToken
}

// parseDelay reads strace's time specification: a decimal number with
// an optional unit s, ms, us or ns; microseconds without one.
func parseDelay(s string) (time.Duration, error) {
	unit := time.Microsecond
	for _, u := range []struct {
		suffix string
		d      time.Duration
	}{{"ns", time.Nanosecond}, {"us", time.Microsecond}, {"ms", time.Millisecond}, {"s", time.Second}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			s, unit = v, u.d
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) || strings.ContainsAny(s, "_") {
		return 0, errToken
	}
	d := f * float64(unit)
	if d > math.MaxInt64 {
		return 0, errToken
	}
	return time.Duration(d), nil
}

// parsePokes reads @argN=HEX[,@argM=HEX...].
func parsePokes(s string) ([]Poke, error) {
	var pokes []Poke
	for tok := range strings.SplitSeq(s, ",") {
		if tok == "" {
			continue
		}
		rest, ok := strings.CutPrefix(tok, "@arg")
		if !ok || len(rest) < 2 || rest[0] < '1' || rest[0] > '7' || rest[1] != '=' {
			return nil, errToken
		}
		data := rest[2:]
		if data == "" || len(data)%2 != 0 || len(data) > 2048 {
			return nil, errToken
		}
		b, err := hex.DecodeString(data)
		if err != nil {
			return nil, errToken
		}
		pokes = append(pokes, Poke{Arg: int(rest[0] - '0'), Data: b})
	}
	if len(pokes) == 0 {
		return nil, errToken
	}
	return pokes, nil
}

// Warnings are what strace warns about a rule, without refusing it.
func (r *Rule) Warnings() []string {
	if r.HasRetval && r.Retval < 0 && r.Retval >= -4095 {
		return []string{fmt.Sprintf("Inadvertent injection of error %d is possible for retval=%d", -r.Retval, uint64(r.Retval))}
	}
	return nil
}
