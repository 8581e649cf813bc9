package cmd

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/gtrace/gtrace/pkg/categories"
	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/tamper"
	"github.com/gtrace/gtrace/pkg/tracer"
)

// applyInject adds one -e inject= value (fault false) or -e fault= value
// to opts, as strace reads it.
func applyInject(opts *Options, value string, fault bool) error {
	r, err := tamper.Parse(value, fault, parseSyscallSet)
	if err != nil {
		return usageError{err}
	}
	for _, w := range r.Warnings() {
		fmt.Fprintf(opts.IO.ErrOut, "gtrace: %s\n", w)
	}
	opts.Inject = append(opts.Inject, r)
	return nil
}

// tamperer returns what applies opts' -e inject= and -e fault= rules to
// the calls traced, or nil when there are none.
func tamperer(opts *Options) *tamper.Tamperer {
	if len(opts.Inject) == 0 {
		return nil
	}
	return tamper.New(opts.Inject, opts.Trace)
}

// syscallHooks returns the hooks a run needs.
func syscallHooks(tam *tamper.Tamperer) []tracer.Hook {
	if tam == nil {
		return nil
	}
	return []tracer.Hook{tam.Hook()}
}

// A minimal -e, until the full qualifier dispatcher (cmd/expr.go) is
// merged: it takes trace=, inject= and fault=; the dispatcher calls
// applyInject for the last two.

func addExprFlag(f *pflag.FlagSet, opts *Options) {
	f.StringArrayVarP(&opts.Exprs, "expr", "e", nil, "a qualifying `EXPR`: trace=SET, inject=SET:..., fault=SET:...")
}

// applyExprs reads the -e values.
func applyExprs(opts *Options) error {
	for _, e := range opts.Exprs {
		qual, value, ok := strings.Cut(e, "=")
		if !ok {
			qual, value = "trace", e
		}
		var err error
		switch qual {
		case "trace", "t":
			opts.Trace, err = parseSyscallSet(value)
			if err != nil {
				err = usageError{err}
			}
		case "inject":
			err = applyInject(opts, value, false)
		case "fault":
			err = applyInject(opts, value, true)
		default:
			err = usagef("invalid -e qualifier %q", qual)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// parseSyscallSet reads strace's syscall_set: comma-separated names,
// numbers, %categories, /regexps and ?optional names, "all" or "none",
// the whole set inverted by a leading '!'.
func parseSyscallSet(set string) (func(arch event.Arch, nr int) bool, error) {
	invert := strings.HasPrefix(set, "!")
	set = strings.TrimPrefix(set, "!")
	var in [len(setArches)][]bool
	for i, arch := range setArches {
		in[i] = make([]bool, decode.TableFor(arch).Max())
	}
	for tok := range strings.SplitSeq(set, ",") {
		optional := strings.HasPrefix(tok, "?")
		tok = strings.TrimPrefix(tok, "?")
		sel, err := setToken(tok)
		if err != nil {
			return nil, err
		}
		found := false
		for i, arch := range setArches {
			for _, sc := range decode.TableFor(arch).All() {
				if sel(sc) {
					in[i][sc.Nr], found = true, true
				}
			}
		}
		if !found && !optional && tok != "none" {
			return nil, fmt.Errorf("invalid system call '%s'", tok)
		}
	}
	return func(arch event.Arch, nr int) bool {
		for i, a := range setArches {
			if a == arch && nr >= 0 && nr < len(in[i]) {
				return in[i][nr] != invert
			}
		}
		return invert
	}, nil
}

var setArches = [...]event.Arch{event.ArchX86_64, event.ArchI386}

// setToken returns what one syscall_set token selects.
func setToken(tok string) (func(sc *decode.Syscall) bool, error) {
	switch {
	case tok == "all":
		return func(*decode.Syscall) bool { return true }, nil
	case tok == "none":
		return func(*decode.Syscall) bool { return false }, nil
	case strings.HasPrefix(tok, "/"):
		re, err := regexp.Compile(tok[1:])
		if err != nil {
			return nil, fmt.Errorf("invalid regular expression '%s': %v", tok[1:], err)
		}
		return func(sc *decode.Syscall) bool { return re.MatchString(sc.Name) }, nil
	case strings.HasPrefix(tok, "%"):
		cat, ok := categories.Lookup(tok[1:])
		if !ok {
			return nil, fmt.Errorf("invalid system call '%s'", tok)
		}
		return func(sc *decode.Syscall) bool { return sc.Cats.Has(cat) }, nil
	}
	if n, err := strconv.Atoi(tok); err == nil {
		return func(sc *decode.Syscall) bool { return sc.Nr == n }, nil
	}
	return func(sc *decode.Syscall) bool { return sc.Name == tok }, nil
}
