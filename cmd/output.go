package cmd

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/gtrace/gtrace/pkg/categories"
	"github.com/gtrace/gtrace/pkg/filter"
	"github.com/gtrace/gtrace/pkg/format"
	"github.com/gtrace/gtrace/pkg/resource"
	"github.com/gtrace/gtrace/pkg/tracer"
)

// Formats are --format's values; the first is the default.
var Formats = []string{"strace", "human", "json"}

// outputFlags are the flags that choose how the trace prints.
type outputFlags struct {
	Format      string
	Group       string
	Summary     bool
	SummaryOnly bool
	SortBy      string
	Color       string
}

// addOutputFlags registers the output flags on f.
func addOutputFlags(f *pflag.FlagSet, o *outputFlags) {
	f.StringVar(&o.Format, "format", Formats[0], "output `format`: "+strings.Join(Formats, ", "))
	f.StringVar(&o.Group, "group", "", "print one report per resource instead of one line per call: `KIND` "+strings.Join(format.Groups, ", "))
	f.BoolVar(&o.Summary, "summary", false, "print a table of syscall counts, errors and times at the end, after the trace (strace -C)")
	f.BoolVar(&o.SummaryOnly, "summary-only", false, "print only the summary table (strace -c)")
	f.StringVarP(&o.SortBy, "summary-sort", "S", format.SortKeys[0], "sort the summary by `KEY`: "+strings.Join(format.SortKeys, ", "))
	f.StringVar(&o.Color, "color", "auto", "colour the output: `WHEN` is "+strings.Join(format.ColorModes, ", ")+" (auto: when the output is a terminal)")
	f.Lookup("color").NoOptDefVal = "always"
}

// check validates the output flags before anything starts.
func (o *outputFlags) check() error {
	if !slices.Contains(Formats, o.Format) {
		return usagef("--format: unknown format %q (want %s)", o.Format, strings.Join(Formats, ", "))
	}
	if o.Group != "" {
		if _, err := format.ParseGroup(o.Group); err != nil {
			return usagef("--group: %v", err)
		}
	}
	if _, err := format.ParseSortKey(o.SortBy); err != nil {
		return usagef("-S: %v", err)
	}
	if _, err := format.ParseColorMode(o.Color); err != nil {
		return usagef("--color: %v", err)
	}
	return nil
}

// textMessages reports whether gtrace's own "Process N attached" lines
// are printed: a JSON trace carries them as attach and detach objects.
func (o *outputFlags) textMessages() bool { return o.Format != "json" }

// newFormatter builds the formatter the flags ask for, writing to out
// (or to one file per task with -ff). sopts are the strace options the
// common flags set. With --group it also returns the resource tracker
// the reports come from, for the run to feed (restrace): the formatter
// does not feed it from the events it is given.
func newFormatter(opts *Options, out io.Writer, sopts format.StraceOptions, separate bool) (format.Formatter, *resource.Tracker) {
	o := &opts.Out
	mode, _ := format.ParseColorMode(o.Color)
	var res *resource.Tracker
	var trace func(w io.Writer, tty bool) format.Formatter
	if !o.SummaryOnly {
		trace = func(w io.Writer, tty bool) format.Formatter {
			var pal *format.Palette
			if format.UseColor(mode, tty, os.Getenv) {
				pal = format.NewPalette()
			}
			if o.Group != "" {
				// -ff does not split reports (run refuses the pair).
				g := o.groupFormatter(w, sopts, pal)
				res = g.Tracker()
				return g
			}
			return o.traceFormatter(w, sopts, pal)
		}
	}
	var fms format.Multi
	summaryOut := out
	switch {
	case trace != nil && separate:
		sopts.Prefix = format.PrefixNever
		fms = append(fms, format.NewSplit(func(tid int) (io.WriteCloser, error) {
			return os.Create(opts.Output + "." + strconv.Itoa(tid))
		}, func(w io.Writer) format.Formatter { return trace(w, false) }))
		summaryOut = opts.IO.ErrOut
	case trace != nil:
		fms = append(fms, trace(out, destinationTTY(opts, out)))
	}
	if o.Summary || o.SummaryOnly {
		sortBy, _ := format.ParseSortKey(o.SortBy)
		fms = append(fms, format.NewSummary(summaryOut, format.SummaryOptions{SortBy: sortBy, JSON: o.Format == "json"}))
	}
	if len(fms) == 1 {
		return fms[0], res
	}
	return fms, res
}

// groupFormatter is --group's: reports on resources whose tracker the
// run feeds from hooks, so that the reports are whole whatever -e trace=
// or -c select.
func (o *outputFlags) groupFormatter(w io.Writer, sopts format.StraceOptions, pal *format.Palette) *format.Grouped {
	kinds, _ := format.ParseGroup(o.Group)
	return format.NewGrouped(w, format.GroupOptions{
		Kinds: kinds, JSON: o.Format == "json", Time: sopts.Time, Color: pal,
		Resolver: resource.ProcResolver{}, Fed: true,
	})
}

// traceFormatter is the formatter for the trace itself, one line (or
// object) per call.
func (o *outputFlags) traceFormatter(w io.Writer, sopts format.StraceOptions, pal *format.Palette) format.Formatter {
	res := resource.ProcResolver{}
	switch o.Format {
	case "human":
		return format.NewHuman(w, format.HumanOptions{
			Style: sopts.Style, Prefix: sopts.Prefix, Time: sopts.Time, Color: pal, Resolver: res,
		})
	case "json":
		return format.NewJSON(w, format.JSONOptions{Time: sopts.Time, Resolver: res})
	}
	sopts.Color = pal
	return format.NewStrace(w, sopts)
}

// destinationTTY reports whether the trace's own destination is a
// terminal: standard error by default, standard output with -o -, the
// file -o names otherwise.
func destinationTTY(opts *Options, out io.Writer) bool {
	switch opts.Output {
	case "":
		return opts.IO.ErrTTY
	case "-":
		return opts.IO.OutTTY
	}
	f, ok := out.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

// registerCompletions makes flag values complete in the shells. It runs
// after every flag is registered, so it can find the flags other files
// add (-c/--category).
func registerCompletions(c *cobra.Command) {
	fixed := map[string][]string{
		"format":            Formats,
		"group":             format.Groups,
		"color":             format.ColorModes,
		"summary-sort":      format.SortKeys,
		"const-print-style": {"raw", "abbrev", "verbose"},
	}
	for name, values := range fixed {
		if c.Flags().Lookup(name) != nil {
			_ = c.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
		}
	}
	if c.Flags().Lookup("engine") != nil {
		_ = c.RegisterFlagCompletionFunc("engine", cobra.FixedCompletions(tracer.EngineNames(), cobra.ShellCompDirectiveNoFileComp))
	}
	if f := c.Flags().ShorthandLookup("c"); f != nil {
		_ = c.RegisterFlagCompletionFunc(f.Name, completeCategories)
	}
	if c.Flags().Lookup("fd-kind") != nil {
		_ = c.RegisterFlagCompletionFunc("fd-kind", completeFDKinds)
	}
}

// completeCategories completes a comma-separated category list: the
// names (pkg/categories) after whatever the word already holds.
func completeCategories(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return completeList(categories.Names(), toComplete)
}

// completeFDKinds completes --fd-kind's comma-separated kinds.
func completeFDKinds(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return completeList(filter.FDKindNames(), toComplete)
}

// completeList completes the last word of a comma-separated list with
// names, keeping the words before it.
func completeList(names []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	prefix := ""
	if i := strings.LastIndexByte(toComplete, ','); i >= 0 {
		prefix = toComplete[:i+1]
	}
	out := make([]string, 0, len(names))
	for _, name := range names {
		out = append(out, prefix+name)
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// pipedOutput reports whether -o names a command to pipe the trace to,
// as strace's -o '|cmd' and -o '!cmd' do, and returns the command.
func pipedOutput(output string) (string, bool) {
	if output == "" || (output[0] != '|' && output[0] != '!') {
		return "", false
	}
	return output[1:], true
}

// startOutputCommand starts command under sh with the trace as its
// standard input; it writes where gtrace does. The returned function
// ends its input and waits for it.
func startOutputCommand(ios *IOStreams, command string) (io.Writer, func(), error) {
	c := exec.Command("/bin/sh", "-c", command)
	c.Stdout, c.Stderr = ios.Out, ios.ErrOut
	w, err := c.StdinPipe()
	if err != nil {
		return nil, nil, fmt.Errorf("cannot pipe the trace: %w", err)
	}
	if err := c.Start(); err != nil {
		return nil, nil, fmt.Errorf("cannot pipe the trace to %q: %w", command, err)
	}
	return w, func() {
		_ = w.Close()
		_ = c.Wait()
	}, nil
}
