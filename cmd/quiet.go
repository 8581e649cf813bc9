package cmd

import (
	"fmt"
	"strconv"
	"strings"
)

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

// parseQuiet reads a quiet= set: names, all, none, '!' to invert.
func parseQuiet(expr string) (quietSet, error) {
	body, not := strings.CutPrefix(expr, "!")
	var set quietSet
	for _, name := range strings.Split(body, ",") {
		v, ok := quietNames[name]
		if !ok {
			return 0, fmt.Errorf("invalid quiet '%s'", name)
		}
		set |= v
	}
	if not {
		set = quietAll &^ set
	}
	return set, nil
}

// quietFlag is -q and --quiet: a count (-q, -qq, --quiet=2) or, as in
// strace, a set (--quiet=attach,exit).
type quietFlag struct {
	count int
	set   *quietSet
}

func (q *quietFlag) Set(s string) error {
	if s == "+1" {
		q.count++
		return nil
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		q.count, q.set = n, nil
		return nil
	}
	set, err := parseQuiet(s)
	if err != nil {
		return err
	}
	q.set = &set
	return nil
}

func (q *quietFlag) String() string { return strconv.Itoa(q.count) }
func (q *quietFlag) Type() string   { return "quiet" }

// quietness is what the run keeps quiet: -e quiet= wins over -q and
// --quiet=, and -o FILE implies -q for a program gtrace starts.
func quietness(opts *Options, sel *selection, attaching bool) quietSet {
	switch {
	case sel.quiet != nil:
		return *sel.quiet
	case opts.Quiet.set != nil:
		return *opts.Quiet.set
	case opts.Quiet.count == 0 && opts.Output != "" && !attaching:
		return quietLevel(1)
	}
	return quietLevel(opts.Quiet.count)
}
