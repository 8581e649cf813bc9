package format

import (
	"bytes"
	"io"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	goldenfile "github.com/gtrace/gtrace/internal/golden"

	"github.com/gtrace/gtrace/internal/eventtest"
	"github.com/gtrace/gtrace/internal/schematest"
	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
)

// fixture is a recorded-looking trace: a shell that opens, reads and
// writes files, forks a child that connects nowhere and is killed, with
// tracee bytes that try to reach the terminal (ESC, BEL, invalid UTF-8).
func fixture() []*event.Event {
	b := eventtest.New(1500 * time.Microsecond)
	b.Attach(100, 100, 0)
	b.Call(100, 100, "execve", 0, 0, eventtest.Path("filename", "/bin/sh"),
		eventtest.Value("argv", "argv", 0x10, event.Value{Kind: event.VArray, Elems: []event.Value{
			event.Str([]byte("sh"), false), event.Str([]byte("-c"), false), event.Str([]byte("cat a"), false)}}),
		eventtest.Value("envp", "envp", 0x20, event.Value{Kind: event.VPtr, N: 0x7ffd0000, Comment: "3 vars"}))
	b.Call(100, 100, "openat", 0, syscall.ENOENT, eventtest.AtFD("dfd", -100), eventtest.Path("filename", "/etc/missing"),
		eventtest.Flags("flags", 0o2000000, decode.OpenFlags))
	b.Call(100, 100, "openat", 3, 0, eventtest.AtFD("dfd", -100), eventtest.Path("filename", "a"),
		eventtest.Flags("flags", 0, decode.OpenFlags))
	b.Call(100, 100, "read", 12, 0, eventtest.FD("fd", 3), eventtest.Buf("buf", "evil\x1b[2J\a\xff\xfe\n", true), eventtest.Int("count", 4096))
	b.Call(100, 100, "write", 5, 0, eventtest.FD("fd", 1), eventtest.Buf("buf", "hello", false), eventtest.Int("count", 5))
	b.Call(100, 100, "close", 0, 0, eventtest.FD("fd", 3))
	b.Call(100, 100, "openat", 3, 0, eventtest.AtFD("dfd", -100), eventtest.Path("filename", "out file"),
		eventtest.Flags("flags", 0o1101, decode.OpenFlags))
	b.Call(100, 100, "unlink", 0, syscall.EACCES, eventtest.Path("pathname", "/etc/passwd"))
	clone := b.Enter(100, 100, "clone", eventtest.Value("flags", "clone", 0x1200011, event.Text("CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD")))
	b.Attach(101, 101, 100)
	b.Return(100, 100, clone, 101, 0)
	b.Call(101, 101, "socket", 4, 0, eventtest.Int("family", 2), eventtest.Int("type", 1), eventtest.Int("protocol", 0))
	b.Call(101, 101, "connect", 0, syscall.ECONNREFUSED, eventtest.FD("fd", 4), eventtest.Value("uservaddr", "sockaddr", 0x30,
		event.Value{Kind: event.VStruct, Elems: []event.Value{
			event.Field("sa_family", event.Text("AF_INET")),
			event.Field("sin_port", event.Text("htons(8080)")),
			event.Field("sin_addr", event.Text(`inet_addr("127.0.0.1")`)),
		}}), eventtest.Int("addrlen", 16))
	b.Call(101, 101, "write", 3, 0, eventtest.FD("fd", 3), eventtest.Buf("buf", "abc", false), eventtest.Int("count", 3))
	wait := b.Enter(100, 100, "wait4", eventtest.Int("upid", -1), eventtest.Ptr("stat_addr", 0x7ffd1000), eventtest.Int("options", 0), eventtest.Ptr("ru", 0))
	b.Call(101, 101, "kill", 0, 0, eventtest.Int("pid", 101), eventtest.Value("sig", "signo", 9, event.Text("SIGKILL")))
	b.Killed(101, 101, 9)
	b.Return(100, 100, wait, 101, 0)
	b.Signal(100, 100, 17, event.Value{Kind: event.VStruct, Elems: []event.Value{
		event.Field("si_signo", event.Text("SIGCHLD")), event.Field("si_code", event.Text("CLD_KILLED")),
		event.Field("si_pid", event.Int(101))}})
	b.Call(100, 100, "close", 0, 0, eventtest.FD("fd", 3))
	b.NoReturn(100, 100, "exit_group", 0)
	b.Exit(100, 100, 0)
	return b.Events()
}

// render runs the fixture through a formatter.
func render(t *testing.T, newFm func(w *bytes.Buffer) Formatter) []byte {
	t.Helper()
	var buf bytes.Buffer
	fm := newFm(&buf)
	for _, ev := range fixture() {
		if err := fm.Write(ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := fm.End(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}

var (
	allTimes = TimeOptions{Stamps: 2, Durations: true}
	relative = TimeOptions{Relative: true, Durations: true}
)

func TestGolden(t *testing.T) {
	tests := []struct {
		name  string
		newFm func(w *bytes.Buffer) Formatter
	}{
		{"strace.golden", func(w *bytes.Buffer) Formatter { return NewStrace(w, StraceOptions{}) }},
		{"strace-ttt-T.golden", func(w *bytes.Buffer) Formatter {
			return NewStrace(w, StraceOptions{Time: TimeOptions{Stamps: 3, Durations: true}})
		}},
		{"strace-color.golden", func(w *bytes.Buffer) Formatter {
			return NewStrace(w, StraceOptions{Color: NewPalette(), Time: allTimes})
		}},
		{"human.golden", func(w *bytes.Buffer) Formatter { return NewHuman(w, HumanOptions{}) }},
		{"human-tt-T.golden", func(w *bytes.Buffer) Formatter { return NewHuman(w, HumanOptions{Time: allTimes}) }},
		{"human-r.golden", func(w *bytes.Buffer) Formatter { return NewHuman(w, HumanOptions{Time: relative}) }},
		{"human-color.golden", func(w *bytes.Buffer) Formatter {
			return NewHuman(w, HumanOptions{Color: NewPalette(), Prefix: PrefixAlways})
		}},
		{"json.golden", func(w *bytes.Buffer) Formatter { return NewJSON(w, JSONOptions{}) }},
		{"json-r.golden", func(w *bytes.Buffer) Formatter { return NewJSON(w, JSONOptions{Time: relative}) }},
		{"group-all.golden", func(w *bytes.Buffer) Formatter {
			kinds, _ := ParseGroup("all")
			return NewGrouped(w, GroupOptions{Kinds: kinds})
		}},
		{"group-file-ttt.golden", func(w *bytes.Buffer) Formatter {
			kinds, _ := ParseGroup("file")
			return NewGrouped(w, GroupOptions{Kinds: kinds, Time: TimeOptions{Stamps: 3}})
		}},
		{"group-color.golden", func(w *bytes.Buffer) Formatter {
			kinds, _ := ParseGroup("all")
			return NewGrouped(w, GroupOptions{Kinds: kinds, Color: NewPalette(), Time: TimeOptions{Stamps: 1}})
		}},
		{"group-json.golden", func(w *bytes.Buffer) Formatter {
			kinds, _ := ParseGroup("all")
			return NewGrouped(w, GroupOptions{Kinds: kinds, JSON: true})
		}},
		{"summary.golden", func(w *bytes.Buffer) Formatter { return NewSummary(w, SummaryOptions{}) }},
		{"summary-calls.golden", func(w *bytes.Buffer) Formatter { return NewSummary(w, SummaryOptions{SortBy: "calls"}) }},
		{"summary-json.golden", func(w *bytes.Buffer) Formatter { return NewSummary(w, SummaryOptions{JSON: true}) }},
		{"strace-summary.golden", func(w *bytes.Buffer) Formatter {
			return Multi{NewStrace(w, StraceOptions{}), NewSummary(w, SummaryOptions{SortBy: "name"})}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			golden(t, tt.name, render(t, tt.newFm))
		})
	}
}

// TestNoRawControlBytes holds every format to escaping tracee bytes: the
// fixture reads "\x1b[2J\a" and invalid UTF-8, and none of it may reach
// the output raw. Coloured output has escape sequences of its own, so
// those are checked to be only the palette's SGR codes.
func TestNoRawControlBytes(t *testing.T) {
	kinds, _ := ParseGroup("all")
	for name, newFm := range map[string]func(w *bytes.Buffer) Formatter{
		"strace":       func(w *bytes.Buffer) Formatter { return NewStrace(w, StraceOptions{}) },
		"strace-color": func(w *bytes.Buffer) Formatter { return NewStrace(w, StraceOptions{Color: NewPalette()}) },
		"human":        func(w *bytes.Buffer) Formatter { return NewHuman(w, HumanOptions{}) },
		"human-color":  func(w *bytes.Buffer) Formatter { return NewHuman(w, HumanOptions{Color: NewPalette()}) },
		"json":         func(w *bytes.Buffer) Formatter { return NewJSON(w, JSONOptions{}) },
		"group":        func(w *bytes.Buffer) Formatter { return NewGrouped(w, GroupOptions{Kinds: kinds}) },
		"group-color":  func(w *bytes.Buffer) Formatter { return NewGrouped(w, GroupOptions{Kinds: kinds, Color: NewPalette()}) },
	} {
		out := render(t, newFm)
		for i := 0; i < len(out); i++ {
			c := out[i]
			if c == 0x1b && bytes.HasPrefix(out[i:], []byte("\x1b[")) {
				j := i + 2
				for j < len(out) && (out[j] >= '0' && out[j] <= '9' || out[j] == ';') {
					j++
				}
				if j < len(out) && out[j] == 'm' && bytes.HasSuffix([]byte(name), []byte("color")) {
					i = j
					continue
				}
			}
			if (c < ' ' && c != '\n') || c == 0x7f {
				t.Errorf("%s: raw control byte %#x at %d: %q", name, c, i, out[max(0, i-20):min(len(out), i+20)])
				break
			}
		}
	}
}

func TestUseColor(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	tests := []struct {
		name string
		mode ColorMode
		tty  bool
		env  func(string) string
		want bool
	}{
		{"auto on a terminal", ColorAuto, true, env(), true},
		{"auto to a file", ColorAuto, false, env(), false},
		{"NO_COLOR", ColorAuto, true, env("NO_COLOR", "1"), false},
		{"empty NO_COLOR is unset", ColorAuto, true, env("NO_COLOR", ""), true},
		{"CLICOLOR_FORCE", ColorAuto, false, env("CLICOLOR_FORCE", "1"), true},
		{"CLICOLOR_FORCE=0", ColorAuto, false, env("CLICOLOR_FORCE", "0"), false},
		{"NO_COLOR beats CLICOLOR_FORCE", ColorAuto, true, env("NO_COLOR", "1", "CLICOLOR_FORCE", "1"), false},
		{"dumb terminal", ColorAuto, true, env("TERM", "dumb"), false},
		{"CLICOLOR=0", ColorAuto, true, env("CLICOLOR", "0"), false},
		{"always beats NO_COLOR", ColorAlways, false, env("NO_COLOR", "1"), true},
		{"never beats CLICOLOR_FORCE", ColorNever, true, env("CLICOLOR_FORCE", "1"), false},
	}
	for _, tt := range tests {
		if got := UseColor(tt.mode, tt.tty, tt.env); got != tt.want {
			t.Errorf("%s: UseColor = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestColorSameText checks that colour only adds escape sequences:
// stripped of them, coloured output is the plain output, strace's
// columns included.
func TestColorSameText(t *testing.T) {
	kinds, _ := ParseGroup("all")
	for name, newFm := range map[string]func(w *bytes.Buffer, p *Palette) Formatter{
		"strace": func(w *bytes.Buffer, p *Palette) Formatter {
			return NewStrace(w, StraceOptions{Time: allTimes, Color: p})
		},
		"human": func(w *bytes.Buffer, p *Palette) Formatter {
			return NewHuman(w, HumanOptions{Time: allTimes, Color: p})
		},
		"group": func(w *bytes.Buffer, p *Palette) Formatter {
			return NewGrouped(w, GroupOptions{Kinds: kinds, Color: p})
		},
	} {
		plain := render(t, func(w *bytes.Buffer) Formatter { return newFm(w, nil) })
		colored := render(t, func(w *bytes.Buffer) Formatter { return newFm(w, NewPalette()) })
		if bytes.Equal(plain, colored) {
			t.Errorf("%s: coloured output has no colour", name)
		}
		if stripped := stripSGR(colored); !bytes.Equal(stripped, plain) {
			t.Errorf("%s: coloured output without its escapes:\n%s\nplain:\n%s", name, stripped, plain)
		}
	}
}

func stripSGR(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == 0x1b && i+1 < len(b) && b[i+1] == '[' {
			for i += 2; i < len(b) && b[i] != 'm'; i++ {
			}
			continue
		}
		out = append(out, b[i])
	}
	return out
}

// TestUncolouredAllocs keeps the plain rendering path free of
// allocations: painting must cost nothing when it is off.
func TestUncolouredAllocs(t *testing.T) {
	v := event.Value{Kind: event.VStruct, Elems: []event.Value{
		event.Field("a", event.Int(5)), event.Field("b", event.Str([]byte("x\ny"), false)),
		event.Field("c", event.Value{Kind: event.VFlags, N: 0o2000001, Syms: decode.OpenFlags}),
	}}
	st := &event.Style{}
	buf := make([]byte, 0, 256)
	if n := testing.AllocsPerRun(100, func() { buf = v.AppendStrace(buf[:0], st) }); n != 0 {
		t.Errorf("AppendStrace without colour allocates %v times", n)
	}
}

// TestJSONSchema validates every JSON object the formatters print for the
// fixture against docs/gtrace-event.schema.json.
func TestJSONSchema(t *testing.T) {
	sch := schematest.Compile(t)
	kinds, _ := ParseGroup("all")
	for name, newFm := range map[string]func(w *bytes.Buffer) Formatter{
		"json":    func(w *bytes.Buffer) Formatter { return NewJSON(w, JSONOptions{}) },
		"json-r":  func(w *bytes.Buffer) Formatter { return NewJSON(w, JSONOptions{Time: relative}) },
		"group":   func(w *bytes.Buffer) Formatter { return NewGrouped(w, GroupOptions{Kinds: kinds, JSON: true}) },
		"summary": func(w *bytes.Buffer) Formatter { return NewSummary(w, SummaryOptions{JSON: true}) },
	} {
		if n := schematest.ValidateNDJSON(t, sch, render(t, newFm)); n == 0 {
			t.Errorf("%s printed nothing", name)
		}
	}
}

// TestJSONSchemaRejects makes sure the schema can fail: objects that
// break it are refused.
func TestJSONSchemaRejects(t *testing.T) {
	sch := schematest.Compile(t)
	for _, bad := range []string{
		`{"v":1,"type":"syscall","time":"2024-05-06T07:08:09Z","pid":1,"tid":1,"name":"read","nr":0,"arch":"x86_64","cats":[],"args":[]}`,
		`{"v":2,"type":"exit","time":"2024-05-06T07:08:09Z","pid":1,"tid":1,"code":0}`,
		`{"v":1,"type":"exit","time":"yesterday","pid":1,"tid":1,"code":0}`,
		`{"v":1,"type":"syscall","time":"2024-05-06T07:08:09Z","pid":1,"tid":1,"name":"read","nr":0,"arch":"x86_64","cats":[],"args":[],"ret":0,"dur_ns":1,"surprise":1}`,
	} {
		ft := &fakeT{}
		schematest.ValidateNDJSON(ft, sch, []byte(bad+"\n"))
		if !ft.failed {
			t.Errorf("schema accepted %s", bad)
		}
	}
}

// fakeT records whether a check failed.
type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Helper()               {}
func (f *fakeT) Errorf(string, ...any) { f.failed = true }

// BenchmarkFormatters measures each formatter on the fixture's events.
func BenchmarkFormatters(b *testing.B) {
	evs := fixture()
	kinds, _ := ParseGroup("all")
	for name, newFm := range map[string]func(w io.Writer) Formatter{
		"strace":       func(w io.Writer) Formatter { return NewStrace(w, StraceOptions{}) },
		"strace-color": func(w io.Writer) Formatter { return NewStrace(w, StraceOptions{Color: NewPalette()}) },
		"human":        func(w io.Writer) Formatter { return NewHuman(w, HumanOptions{}) },
		"json":         func(w io.Writer) Formatter { return NewJSON(w, JSONOptions{}) },
		"group":        func(w io.Writer) Formatter { return NewGrouped(w, GroupOptions{Kinds: kinds}) },
		"summary":      func(w io.Writer) Formatter { return NewSummary(w, SummaryOptions{}) },
	} {
		b.Run(name, func(b *testing.B) {
			fm := newFm(io.Discard)
			for b.Loop() {
				for _, ev := range evs {
					_ = fm.Write(ev)
				}
				_ = fm.End()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(evs)), "ns/event")
		})
	}
}
