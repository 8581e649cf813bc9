package format

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gtrace/gtrace/pkg/event"
)

// SortKeys are -S's values, as strace names them; the first is the
// default.
var SortKeys = []string{"time", "calls", "errors", "name", "avg-time", "min-time", "max-time", "nothing"}

// sortAliases maps strace's other spellings to SortKeys.
var sortAliases = map[string]string{
	"time_percent": "time", "time-percent": "time", "time_total": "time", "time-total": "time",
	"total_time": "time", "total-time": "time", "count": "calls", "error": "errors",
	"syscall": "name", "syscall_name": "name", "syscall-name": "name", "avg_time": "avg-time",
	"time_avg": "avg-time", "time-avg": "avg-time", "min_time": "min-time", "shortest": "min-time",
	"time_min": "min-time", "time-min": "min-time", "max_time": "max-time", "longest": "max-time",
	"time_max": "max-time", "time-max": "max-time", "none": "nothing",
}

// ParseSortKey reads a -S value.
func ParseSortKey(s string) (string, error) {
	if slices.Contains(SortKeys, s) {
		return s, nil
	}
	if k, ok := sortAliases[s]; ok {
		return k, nil
	}
	return "", fmt.Errorf("invalid sort key %q (want %s)", s, strings.Join(SortKeys, ", "))
}

// SummaryOptions are the summary's settings.
type SummaryOptions struct {
	// SortBy is a key from SortKeys; "" sorts by time.
	SortBy string
	// JSON prints one JSON object per arch instead of the table.
	JSON bool
}

// Summary counts calls, errors and time per syscall and prints strace
// -c's table at the end. Time is the wall-clock time from entry to exit
// (strace -c -w): a tracer cannot measure the kernel time of each call.
// Calls are counted at their exit, as strace does, so calls that never
// return (exit_group) are not counted.
type Summary struct {
	w      *bufio.Writer
	opts   SummaryOptions
	counts map[sumKey]*sumRow
}

type sumKey struct {
	arch event.Arch
	nr   int
}

type sumRow struct {
	nr            int
	name          string
	calls, errors uint64
	time          time.Duration
	min, max      time.Duration
}

// NewSummary returns a Summary writing to w.
func NewSummary(w io.Writer, opts SummaryOptions) *Summary {
	return &Summary{w: newWriter(w), opts: opts, counts: map[sumKey]*sumRow{}}
}

// Write implements Formatter.
func (s *Summary) Write(ev *event.Event) error {
	if ev.Kind != event.KindSyscallExit || ev.Call.Phase != event.Returned {
		return nil
	}
	c := ev.Call
	k := sumKey{c.Arch, c.Nr}
	r := s.counts[k]
	if r == nil {
		r = &sumRow{nr: c.Nr, name: c.Name, min: time.Duration(1<<63 - 1)}
		s.counts[k] = r
	}
	d := max(c.Duration(), 0)
	r.calls++
	if c.Errno != 0 {
		r.errors++
	}
	r.time += d
	r.min = min(r.min, d)
	r.max = max(r.max, d)
	return nil
}

// Flush implements Formatter. The summary prints only at the end.
func (s *Summary) Flush() error { return nil }

// End implements Formatter: it prints the table, one per arch, 64-bit
// first.
func (s *Summary) End() error {
	for _, arch := range []event.Arch{event.ArchX86_64, event.ArchI386, event.ArchUnknown} {
		rows := s.rows(arch)
		if len(rows) == 0 {
			continue
		}
		switch {
		case s.opts.JSON:
			s.writeJSON(arch, rows)
		default:
			if arch != event.ArchX86_64 {
				fmt.Fprintf(s.w, "System call usage summary for %s mode:\n", archMode(arch))
			}
			s.writeTable(rows)
		}
	}
	return s.w.Flush()
}

func archMode(a event.Arch) string {
	if a == event.ArchI386 {
		return "32 bit"
	}
	return a.String()
}

// rows returns arch's rows sorted as -S asks; ties keep syscall number
// order, as strace's stable sort does.
func (s *Summary) rows(arch event.Arch) []*sumRow {
	var rows []*sumRow
	for k, r := range s.counts {
		if k.arch == arch {
			rows = append(rows, r)
		}
	}
	slices.SortFunc(rows, func(a, b *sumRow) int { return cmp.Compare(a.nr, b.nr) })
	var key func(a, b *sumRow) int
	switch s.opts.SortBy {
	case "", "time":
		key = func(a, b *sumRow) int { return cmp.Compare(b.time, a.time) }
	case "calls":
		key = func(a, b *sumRow) int { return cmp.Compare(b.calls, a.calls) }
	case "errors":
		key = func(a, b *sumRow) int { return cmp.Compare(b.errors, a.errors) }
	case "name":
		key = func(a, b *sumRow) int { return strings.Compare(a.name, b.name) }
	case "avg-time":
		key = func(a, b *sumRow) int { return cmp.Compare(b.avg(), a.avg()) }
	case "min-time":
		key = func(a, b *sumRow) int { return cmp.Compare(b.min, a.min) }
	case "max-time":
		key = func(a, b *sumRow) int { return cmp.Compare(b.max, a.max) }
	}
	if key != nil {
		slices.SortStableFunc(rows, key)
	}
	return rows
}

func (r *sumRow) avg() time.Duration { return r.time / time.Duration(r.calls) }

// usecs is strace's usecs/call: microseconds, truncated.
func usecs(d time.Duration, calls uint64) uint64 {
	if calls == 0 {
		return 0
	}
	return uint64(d.Microseconds()) / calls
}

// sumTotals are the total line's figures.
type sumTotals struct {
	time          time.Duration
	calls, errors uint64
	maxAvg        uint64
	nameWidth     int
}

func totals(rows []*sumRow) sumTotals {
	var t sumTotals
	for _, r := range rows {
		t.time += r.time
		t.calls += r.calls
		t.errors += r.errors
		t.maxAvg = max(t.maxAvg, usecs(r.time, r.calls))
		t.nameWidth = max(t.nameWidth, len(r.name))
	}
	return t
}

// percent is a row's share of the total time.
func (t *sumTotals) percent(r *sumRow) float64 {
	if r.time == 0 {
		return 0
	}
	return 100 * r.time.Seconds() / t.time.Seconds()
}

func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 6, 64) }

// writeTable prints strace -c's table: fixed minimum widths that grow
// with the numbers, the name column last and unpadded.
func (s *Summary) writeTable(rows []*sumRow) {
	t := totals(rows)
	w := [5]int{
		max(11, len(seconds(t.time))),
		max(11, len(strconv.FormatUint(t.maxAvg, 10))),
		max(9, len(strconv.FormatUint(t.calls, 10))),
		max(9, len(strconv.FormatUint(t.errors, 10))),
		max(16, t.nameWidth+1),
	}
	fmt.Fprintf(s.w, "%6s %*s %*s %*s %*s %s\n", "% time", w[0], "seconds", w[1], "usecs/call", w[2], "calls", w[3], "errors", "syscall")
	s.divider(w)
	for _, r := range rows {
		s.row(w, t.percent(r), r.time, usecs(r.time, r.calls), r.calls, r.errors, r.name)
	}
	s.divider(w)
	s.row(w, 100, t.time, usecs(t.time, t.calls), t.calls, t.errors, "total")
}

func (s *Summary) divider(w [5]int) {
	b := []byte("------")
	for _, n := range w {
		b = append(b, ' ')
		b = append(b, strings.Repeat("-", n)...)
	}
	b = append(b, '\n')
	_, _ = s.w.Write(b)
}

func (s *Summary) row(w [5]int, pct float64, t time.Duration, avg, calls, errors uint64, name string) {
	errs := ""
	if errors != 0 {
		errs = strconv.FormatUint(errors, 10)
	}
	fmt.Fprintf(s.w, "%6.2f %*s %*d %*d %*s %s\n", pct, w[0], seconds(t), w[1], avg, w[2], calls, w[3], errs, name)
}

func (s *Summary) writeJSON(arch event.Arch, rows []*sumRow) {
	var j jsonw
	j.begin("summary")
	j.str("arch", arch.String())
	t := totals(rows)
	j.key("syscalls")
	j.openArray()
	for _, r := range rows {
		j.elem()
		j.open()
		j.str("name", r.name)
		j.int("nr", int64(r.nr))
		j.uint("calls", r.calls)
		j.uint("errors", r.errors)
		j.int("time_ns", int64(r.time))
		j.uint("usecs_per_call", usecs(r.time, r.calls))
		j.float("percent", t.percent(r), 2)
		j.close()
	}
	j.closeArray()
	j.key("total")
	j.open()
	j.uint("calls", t.calls)
	j.uint("errors", t.errors)
	j.int("time_ns", int64(t.time))
	j.close()
	j.finish()
	_, _ = s.w.Write(j.b)
}
