package cmd

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gtrace/gtrace/pkg/decode"
)

// Flags that count or take a set of names, as strace's -q/--quiet=SET
// and -y/--decode-fds=SET do; the sets are also -e qualifiers.

// quietSet is what -q, -qq, -qqq, --quiet=SET and -e quiet=SET keep
// quiet, by strace's names.
type quietSet uint8

const (
	// quietAttach: "Process N attached" and "... detached".
	quietAttach quietSet = 1 << iota
	// quietExit: "+++ exited with N +++".
	quietExit
	// quietPathResolution: -P's "Requested path ... resolved into ...".
	quietPathResolution
	// quietPersonality: "[ Process PID=N runs in 32 bit mode. ]".
	quietPersonality
	// quietSuperseded: "+++ superseded by execve in pid N +++".
	quietSuperseded

	quietAll = quietAttach | quietExit | quietPathResolution | quietPersonality | quietSuperseded
)

var quietNames = map[string]quietSet{
	"attach": quietAttach, "exit": quietExit, "exits": quietExit,
	"path-resolution": quietPathResolution, "personality": quietPersonality,
	"thread-execve": quietSuperseded, "superseded": quietSuperseded,
	"all": quietAll, "none": 0,
}

// quietLevel is what -q (1), -qq (2) and -qqq (3 or more) keep quiet,
// as in strace: -P's path resolution is said whatever the count.
func quietLevel(n int) quietSet {
	switch {
	case n <= 0:
		return 0
	case n == 1:
		return quietAttach | quietPersonality
	case n == 2:
		return quietAttach | quietPersonality | quietExit
	}
	return quietAll &^ quietPathResolution
}

// parseQuiet reads a quiet= set.
func parseQuiet(expr string) (quietSet, error) {
	return parseNames(expr, "quiet", quietNames, quietAll)
}

var decodeFDNames = map[string]decode.FDDecode{
	"path": decode.FDDecodePath, "socket": decode.FDDecodeSocket, "dev": decode.FDDecodeDev,
	"pidfd": decode.FDDecodePidfd, "all": decode.FDDecodeAll, "none": 0,
}

// parseDecodeFDs reads a decode-fds= set.
func parseDecodeFDs(expr string) (decode.FDDecode, error) {
	return parseNames(expr, "decode-fds", decodeFDNames, decode.FDDecodeAll)
}

// parseNames reads a set of names, all, none, with '!' to invert; an
// unknown name is strace's "invalid WHAT 'NAME'".
func parseNames[T ~uint8](expr, what string, names map[string]T, all T) (T, error) {
	body, not := strings.CutPrefix(expr, "!")
	var set T
	for _, name := range strings.Split(body, ",") {
		v, ok := names[name]
		if !ok {
			return 0, fmt.Errorf("invalid %s '%s'", what, name)
		}
		set |= v
	}
	if not {
		set = all &^ set
	}
	return set, nil
}

// countOrSet is such a flag: a count (-q, -qq, --quiet=2) or a set
// (--quiet=attach,exit).
type countOrSet[T ~uint8] struct {
	count int
	set   *T
	parse func(string) (T, error)
}

func (f *countOrSet[T]) Set(s string) error {
	if s == "+1" {
		f.count++
		return nil
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		f.count, f.set = n, nil
		return nil
	}
	set, err := f.parse(s)
	if err != nil {
		return err
	}
	f.set = &set
	return nil
}

func (f *countOrSet[T]) String() string { return strconv.Itoa(f.count) }
func (f *countOrSet[T]) Type() string   { return "count|set" }

// value is the flag's set: the one given, or the count's level.
func (f *countOrSet[T]) value(level func(int) T) T {
	if f.set != nil {
		return *f.set
	}
	return level(f.count)
}

// quietness is what the run keeps quiet: -e quiet= wins over -q and
// --quiet=, and -o FILE implies -q for a program gtrace starts.
func quietness(opts *Options, sel *selection, attaching bool) quietSet {
	switch {
	case sel.quiet != nil:
		return *sel.quiet
	case opts.Quiet.set == nil && opts.Quiet.count == 0 && opts.Output != "" && !attaching:
		return quietLevel(1)
	}
	return opts.Quiet.value(quietLevel)
}

// fdDecoding is what descriptors show: -e decode-fds= wins over -y and
// --decode-fds=.
func fdDecoding(opts *Options, sel *selection) decode.FDDecode {
	if sel.decodeFDs != nil {
		return *sel.decodeFDs
	}
	return opts.FDPaths.value(decode.FDDecodeLevel)
}
