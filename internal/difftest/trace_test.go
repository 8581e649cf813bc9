package difftest

import (
	"reflect"
	"testing"
)

func TestParseJoinsAndRenames(t *testing.T) {
	trace := `100   execve("/bin/x", ["x"], 0x7ffd1234abcd /* 3 vars */) = 0
100   clone(child_stack=NULL, flags=SIGCHLD, child_tidptr=0x7f0000001000) = 101
101   getppid()                         = 100
100   wait4(101,  <unfinished ...>
101   exit_group(0)                     = ?
101   +++ exited with 0 +++
100   <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 101
100   --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101, si_uid=0, si_status=0, si_utime=3, si_stime=1} ---
100   +++ exited with 0 +++
`
	p := Parse(trace)
	want := map[string][]string{
		"p": {
			`execve("/bin/x", ["x"], 0xADDR /* ... */) = 0`,
			`clone(child_stack=NULL, flags=SIGCHLD, child_tidptr=0xADDR) = p.1`,
			`wait4(p.1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = p.1`,
			`--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=p.1, si_uid=0, si_status=0, si_utime=N, si_stime=N} ---`,
			`+++ exited with 0 +++`,
		},
		"p.1": {`getppid() = p`, `exit_group(0) = ?`, `+++ exited with 0 +++`},
	}
	if !reflect.DeepEqual(p.Procs, want) {
		t.Errorf("Parse:\ngot  %q\nwant %q", p.Procs, want)
	}
	if names := Names(want["p"]); !reflect.DeepEqual(names, []string{"execve", "clone", "wait4", "+++ exited with 0 +++"}) {
		t.Errorf("Names = %q", names)
	}
}

// A parent's fork resumed after its child's own fork was placed: the
// grandchild is named all the same (CI saw "?13371").
func TestParseNamesChildBeforeParentResumes(t *testing.T) {
	trace := `100   clone(child_stack=NULL, flags=SIGCHLD <unfinished ...>
101   clone(child_stack=NULL, flags=SIGCHLD) = 102
102   exit_group(2)                     = ?
100   <... clone resumed>)              = 101
101   exit_group(1)                     = ?
`
	p := Parse(trace)
	want := map[string][]string{
		"p":     {`clone(child_stack=NULL, flags=SIGCHLD) = p.1`},
		"p.1":   {`clone(child_stack=NULL, flags=SIGCHLD) = p.1.1`, `exit_group(1) = ?`},
		"p.1.1": {`exit_group(2) = ?`},
	}
	if !reflect.DeepEqual(p.Procs, want) {
		t.Errorf("Parse:\ngot  %q\nwant %q", p.Procs, want)
	}
}

func TestLCS(t *testing.T) {
	tests := []struct {
		want, got []string
		matched   int
	}{
		{nil, nil, 0},
		{[]string{"a", "b", "c"}, []string{"a", "b", "c"}, 3},
		{[]string{"a", "b", "c"}, []string{"a", "c"}, 2},
		{[]string{"a", "b", "c"}, []string{"x", "a", "y", "c", "b"}, 2},
		{[]string{"a"}, nil, 0},
	}
	for _, tt := range tests {
		if s := LCS(tt.want, tt.got); s.Matched != tt.matched || s.Total != len(tt.want) {
			t.Errorf("LCS(%q, %q) = %+v, want %d/%d", tt.want, tt.got, s, tt.matched, len(tt.want))
		}
	}
	if r := (Score{}).Ratio(); r != 1 {
		t.Errorf("empty ratio %v", r)
	}
}

func TestCompareFindsWorstProcess(t *testing.T) {
	want := &Parsed{Procs: map[string][]string{"p": {"a()", "b()"}, "p.1": {"c()", "d()", "e()", "f()"}}}
	got := &Parsed{Procs: map[string][]string{"p": {"a()", "b()"}, "p.1": {"c()", "f()"}}}
	c := Compare(want, got)
	if c.Calls.Matched != 4 || c.Calls.Total != 6 || c.WorstProc != "p.1" || c.Worst != 0.5 {
		t.Errorf("Compare = %+v", c)
	}
	missing, extra := Diff(want.Procs["p.1"], got.Procs["p.1"], 10)
	if !reflect.DeepEqual(missing, []string{"d()", "e()"}) || len(extra) != 0 {
		t.Errorf("Diff = %q, %q", missing, extra)
	}
}
