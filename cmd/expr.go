package cmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/filter"
	"github.com/gtrace/gtrace/pkg/tamper"
)

// selection is what -e, -c, -P, -z, -Z and --fd-kind select: the syscalls
// traced (which the seccomp filter stops on) and the filter on the events
// that follow.
type selection struct {
	// trace is -e trace='s set, nil when not given (the last one wins,
	// as in strace); categories is -c's, nil when not given.
	trace, categories *filter.Syscalls
	filter            filter.Options
	// inject holds -e inject= and -e fault= rules (inject.go); warn is
	// where their warnings go.
	inject []tamper.Rule
	warn   io.Writer
	// dumpReads and dumpWrites are -e read='s and -e write='s
	// descriptors, nil when not given.
	dumpReads, dumpWrites *filter.FDSet
	// resolved holds the -P paths that name another (a symbolic link),
	// with what they resolve to.
	resolved [][2]string
	// quiet is -e quiet='s set, decodeFDs -e decode-fds='s; nil when
	// not given.
	quiet     *quietSet
	decodeFDs *decode.FDDecode
	// raw is -e raw='s set of calls shown undecoded, abbrev -e
	// abbrev='s of calls abbreviated; nil when not given.
	raw, abbrev *filter.Syscalls
}

// parseSelection reads the selecting flags of opts. Paths -P resolved to
// another name are reported on w, as strace does.
func parseSelection(opts *Options, w io.Writer) (*selection, error) {
	s := &selection{warn: w}
	for _, expr := range opts.Exprs {
		if err := s.qualify(expr); err != nil {
			return nil, err
		}
	}
	if len(opts.Categories) > 0 {
		cats, err := filter.ParseCategories(opts.Categories)
		if err != nil {
			return nil, usagef("-c: %v", err)
		}
		s.categories = cats
	}
	if len(opts.Paths) > 0 {
		s.filter.Paths, s.resolved = filter.NewPaths(opts.Paths)
	}
	if opts.FDKind != "" {
		kinds, err := filter.ParseFDKinds(opts.FDKind)
		if err != nil {
			return nil, usagef("--fd-kind: %v", err)
		}
		s.filter.FDKinds = kinds
	}
	return s, nil
}

// syscalls is the set of syscalls to trace: every selection given must
// select a call, and --fd-kind adds the generic I/O calls it filters. nil
// means every syscall.
func (s *selection) syscalls() *filter.Syscalls {
	var set *filter.Syscalls
	for _, sel := range []*filter.Syscalls{s.trace, s.categories} {
		switch {
		case sel == nil:
		case set == nil:
			set = filter.NoSyscalls().Union(sel)
		default:
			set.Intersect(sel)
		}
	}
	if set != nil && s.filter.FDKinds != nil {
		set.Union(filter.GenericIO())
	}
	return set
}

// qualify reads one -e expression, [QUALIFIER=]VALUE, and hands VALUE to
// the qualifier's parser. As in strace, an expression whose text before
// '=' is not a qualifier is a trace= value.
func (s *selection) qualify(expr string) error {
	qualifier, value, ok := strings.Cut(expr, "=")
	if !ok || !isQualifier(qualifier) {
		qualifier, value = "trace", expr
	}
	// Each spelling of a qualifier is handled under its canonical name
	// (canonicalQualifier); strace's others are not supported.
	name := canonicalQualifier[qualifier]
	var err error
	switch name {
	case "trace":
		s.trace, err = filter.ParseTrace(value)
	case "signal":
		s.filter.Signals, err = filter.ParseSignals(value)
	case "status":
		s.filter.Status, err = filter.ParseStatus(value)
	case "trace-fds":
		s.filter.FDs, err = filter.ParseFDs(value)
	case "inject", "fault":
		return s.addInject(value, name == "fault")
	case "quiet":
		var q quietSet
		q, err = parseQuiet(value)
		s.quiet = &q
	case "decode-fds":
		var d decode.FDDecode
		d, err = parseDecodeFDs(value)
		s.decodeFDs = &d
	case "abbrev":
		s.abbrev, err = filter.ParseTrace(value)
	case "raw":
		s.raw, err = filter.ParseTrace(value)
	case "read":
		s.dumpReads, err = filter.ParseFDs(value)
	case "write":
		s.dumpWrites, err = filter.ParseFDs(value)
	default:
		return usagef("-e %s: not supported by gtrace", qualifier)
	}
	if err != nil {
		return usagef("-e %s: %v", name, err)
	}
	return nil
}

// exprFlag defines a boolean flag that stands for an -e expression (-z
// for -e status=successful): it joins the -e list where it is given, so
// that the last of -z, -Z and -e status= wins, as in strace.
func exprFlag(f *pflag.FlagSet, exprs *[]string, name, short, expr, usage string) {
	f.VarPF(&exprValue{exprs, expr}, name, short, usage).NoOptDefVal = "true"
}

type exprValue struct {
	exprs *[]string
	expr  string
}

func (v *exprValue) Set(s string) error {
	if s != "true" {
		return fmt.Errorf("takes no value")
	}
	*v.exprs = append(*v.exprs, v.expr)
	return nil
}

func (v *exprValue) String() string { return "false" }
func (v *exprValue) Type() string   { return "bool" }

// canonicalQualifier names each qualifier spelling's qualifier in errors.
var canonicalQualifier = map[string]string{
	"trace": "trace", "t": "trace",
	"signal": "signal", "signals": "signal", "s": "signal",
	"status":    "status",
	"trace-fds": "trace-fds", "trace-fd": "trace-fds", "fd": "trace-fds", "fds": "trace-fds",
	"inject": "inject", "fault": "fault",
	"read": "read", "reads": "read", "r": "read", "raw": "raw", "x": "raw",
	"abbrev": "abbrev", "a": "abbrev",
	"quiet": "quiet", "silent": "quiet", "silence": "quiet", "q": "quiet",
	"decode-fds": "decode-fds", "decode-fd": "decode-fds",
	"write": "write", "writes": "write", "w": "write",
}

// straceQualifiers are the qualifiers strace knows that gtrace does not
// (yet): named, so that their use is an error rather than a syscall name.
var straceQualifiers = []string{
	"verbose", "v",
	"kvm",
	"decode-pid", "decode-pids", "secontext",
}

// decodeOptions adds the selection's raw and abbreviated calls and its
// dumps to o.
func (s *selection) decodeOptions(o *decode.Options) {
	if s.raw != nil {
		o.Raw = s.raw
	}
	if s.abbrev != nil {
		o.Abbrev = s.abbrev
	}
	if s.dumpReads != nil {
		o.DumpReads = s.dumpReads
	}
	if s.dumpWrites != nil {
		o.DumpWrites = s.dumpWrites
	}
}

func isQualifier(name string) bool {
	_, ok := canonicalQualifier[name]
	for _, q := range straceQualifiers {
		ok = ok || q == name
	}
	return ok
}
