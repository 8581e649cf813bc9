package cmd

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// These tests trace real programs with gtrace (in-process, through
// execute) and with strace, and compare what the two show, reduced to
// syscall names and outcomes, signals and exits: they check what is
// selected, not how it is printed.

// buildC compiles testdata/src into a temporary directory.
func buildC(t *testing.T, src string, flags ...string) string {
	t.Helper()
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc is not installed")
	}
	bin := filepath.Join(t.TempDir(), strings.TrimSuffix(src, ".c"))
	args := append([]string{"-O2", "-o", bin, filepath.Join("testdata", src)}, flags...)
	if out, err := exec.Command("gcc", args...).CombinedOutput(); err != nil {
		t.Fatalf("gcc %s: %v\n%s", src, err, out)
	}
	return bin
}

func needStrace(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("strace"); err != nil {
		t.Skip("strace is not installed")
	}
}

// runStrace traces prog with strace and returns the trace.
func runStrace(t *testing.T, flags []string, prog ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "strace.out")
	args := append(append([]string{"-o", out}, flags...), prog...)
	cmd := exec.Command("strace", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if _, exited := err.(*exec.ExitError); !exited {
			t.Fatalf("strace %v: %v\n%s", args, err, stderr.String())
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("strace %v: %v\n%s", args, err, stderr.String())
	}
	return string(data)
}

// runGtrace runs gtrace with args and returns its exit status and
// standard error.
func runGtrace(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := execute(&IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr}, args)
	return code, stderr.String()
}

// traceGtrace traces prog with gtrace and returns the trace.
func traceGtrace(t *testing.T, flags []string, prog ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "gtrace.out")
	code, stderr := runGtrace(t, append(append([]string{"-o", out}, flags...), prog...)...)
	data, err := os.ReadFile(out)
	if err != nil || (code != 0 && stderr != "" && strings.Contains(stderr, "gtrace: ") && !strings.Contains(stderr, "attached")) {
		t.Fatalf("gtrace %v: status %d, %v\n%s", flags, code, err, stderr)
	}
	return string(data)
}

var (
	pidPrefix = regexp.MustCompile(`^(\[pid +\d+\] |\d+ +)`)
	callName  = regexp.MustCompile(`^([a-z_0-9]+)\(`)
	errnoRet  = regexp.MustCompile(` = -1 (E[A-Z0-9]+) `)
)

// outline reduces a trace to one word per line: "name ok", "name ENOENT",
// "name ?" (no return), "name unfinished", "--- SIGUSR1", "+++ exited with
// 0 +++". Resumed halves and personality notices are left out.
func outline(trace string) []string {
	var out []string
	for line := range strings.SplitSeq(strings.TrimSpace(trace), "\n") {
		line = pidPrefix.ReplaceAllString(line, "")
		switch {
		case line == "", strings.HasPrefix(line, "<... "), strings.HasPrefix(line, "[ Process"):
		case strings.HasPrefix(line, "--- "):
			out = append(out, "--- "+strings.Fields(line)[1])
		case strings.HasPrefix(line, "+++ "):
			out = append(out, line)
		default:
			m := callName.FindStringSubmatch(line)
			if m == nil {
				out = append(out, "?? "+line)
				continue
			}
			switch e := errnoRet.FindStringSubmatch(line); {
			case strings.HasSuffix(line, "<unfinished ...>"):
				out = append(out, m[1]+" unfinished")
			case strings.HasSuffix(line, "= ?"):
				out = append(out, m[1]+" ?")
			case e != nil:
				out = append(out, m[1]+" "+e[1])
			default:
				out = append(out, m[1]+" ok")
			}
		}
	}
	return out
}

func TestQualifiersMatchStrace(t *testing.T) {
	needStrace(t)
	prog := buildC(t, "filters.c")
	tests := [][]string{
		{"-e", "trace=openat,close"},
		{"-e", "openat,close"},
		{"-e", "t=dup,dup2"},
		{"-e", "trace=%file"},
		{"-e", "trace=file"},
		{"-e", "trace=%desc"},
		{"-e", "trace=%network"},
		{"-e", "trace=%net"},
		{"-e", "trace=%process"},
		{"-e", "trace=%signal"},
		{"-e", "trace=%ipc"},
		{"-e", "trace=%memory"},
		{"-e", "trace=%creds"},
		{"-e", "trace=%clock"},
		{"-e", "trace=%stat"},
		{"-e", "trace=%lstat"},
		{"-e", "trace=%fstat"},
		{"-e", "trace=%%stat"},
		{"-e", "trace=%statfs"},
		{"-e", "trace=%fstatfs"},
		{"-e", "trace=%%statfs"},
		{"-e", "trace=%pure"},
		{"-e", "trace=!%file"},
		{"-e", "trace=!!getpid"},
		{"-e", "trace=/^(get|set)"},
		{"-e", "trace=/stat"},
		{"-e", "trace=?nosuchcall,getpid"},
		{"-e", "trace=getpid@64"},
		{"-e", "trace=getpid@32"},
		{"-e", "trace=39"},
		{"-e", "trace=none"},
		{"-e", "trace=all"},
		{"-e", "trace=getpid", "-e", "trace=kill"},
		{"-e", "trace=kill", "-e", "signal=SIGUSR1"},
		{"-e", "trace=kill", "-e", "signal=!usr1"},
		{"-e", "trace=kill", "-e", "signals=none"},
		{"-e", "trace=kill", "-e", "s=12"},
		{"-z"},
		{"-Z"},
		{"-z", "-Z"},
		{"-e", "status=failed"},
		{"-e", "status=successful,unfinished"},
		{"-e", "status=!successful"},
		{"-e", "status=Unfinished"},
		{"-e", "status=none"},
		{"-e", "trace=%file", "-Z"},
		{"-e", "status=failed", "-z"},
		{"-P", "FILE"},
		{"-P", "FILE", "-e", "trace=close"},
		{"-P", "FILE", "-P", "/nonexistent/gtrace"},
		{"-P", "/nonexistent/gtrace"},
	}
	for _, test := range tests {
		t.Run(strings.Join(test, " "), func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "file")
			flags := slices.Clone(test)
			for i := range flags {
				flags[i] = strings.ReplaceAll(flags[i], "FILE", file)
			}
			want := outline(runStrace(t, flags, prog, file))
			got := outline(traceGtrace(t, flags, prog, file))
			if !slices.Equal(got, want) {
				t.Errorf("gtrace %v shows\n\t%s\nstrace shows\n\t%s", flags, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
			}
		})
	}
}

// Filters strace 6.1 does not have, checked against what the tracee does.
func TestFiltersBeyondStrace(t *testing.T) {
	prog := buildC(t, "filters.c")
	sigs := []string{"--- SIGUSR1", "--- SIGUSR2", "+++ exited with 0 +++"}
	tests := []struct {
		flags []string
		want  []string
	}{
		{[]string{"-e", "trace-fds=20"}, []string{"dup2 ok", "fstat ok", "close ok"}},
		{[]string{"-e", "fd=DUP,DUPFD"}, []string{"lseek ok", "read ok", "close ok", "close ok"}},
		{[]string{"-e", "trace=fcntl", "-e", "fds=!none"}, []string{"fcntl ok"}},
		{[]string{"-c", "network", "--fd-kind", "socket"}, []string{"socket ok", "close ok"}},
		{[]string{"-e", "trace=none", "--fd-kind", "socket,pipe"}, []string{"close ok"}},
		{[]string{"-e", "trace=socket", "--fd-kind", "pipe"}, []string{"socket ok"}},
		{[]string{"-c", "network,signal", "-c", "!process"}, []string{
			"socket ok", "rt_sigaction ok", "rt_sigaction ok", "rt_sigreturn ok"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.flags, " "), func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "file")
			flags := slices.Clone(tt.flags)
			if slices.Contains(flags, "fd=DUP,DUPFD") {
				dup, dupfd := dupDescriptors(t, prog, file)
				flags[slices.Index(flags, "fd=DUP,DUPFD")] = "fd=" + dup + "," + dupfd
			}
			got := outline(traceGtrace(t, flags, prog, file))
			got = slices.DeleteFunc(got, func(l string) bool { return slices.Contains(sigs, l) })
			if !slices.Equal(got, tt.want) {
				t.Errorf("gtrace %v shows\n\t%s\nwant\n\t%s", tt.flags, strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

var dupReturn = regexp.MustCompile(`^(dup|fcntl)\(.*\) *= (\d+)$`)

// dupDescriptors returns the descriptors filters.c gets from dup and
// fcntl(F_DUPFD, 10): they depend on what the test process inherited
// (a CI runner may or may not leave descriptor 10 open), so they are read
// from a trace rather than assumed.
func dupDescriptors(t *testing.T, prog, file string) (dup, dupfd string) {
	t.Helper()
	for line := range strings.SplitSeq(traceGtrace(t, []string{"-e", "trace=dup,fcntl"}, prog, file), "\n") {
		if m := dupReturn.FindStringSubmatch(line); m != nil && m[1] == "dup" {
			dup = m[2]
		} else if m != nil && strings.Contains(line, "F_DUPFD") {
			dupfd = m[2]
		}
	}
	if dup == "" || dupfd == "" {
		t.Fatalf("filters.c made no dup or fcntl(F_DUPFD) in its trace")
	}
	return dup, dupfd
}

// --fd-kind file keeps the generic calls on files, the dynamic loader's
// included, and drops the socket's close.
func TestFDKindFile(t *testing.T) {
	prog := buildC(t, "filters.c")
	file := filepath.Join(t.TempDir(), "file")
	got := outline(traceGtrace(t, []string{"-e", "trace=none", "--fd-kind", "file"}, prog, file))
	own := []string{"write ok", "dup ok", "fcntl ok", "dup2 ok", "lseek ok", "read ok", "fstat ok",
		"fstatfs ok", "close ok", "close ok", "close ok", "close ok", "--- SIGUSR1", "--- SIGUSR2", "+++ exited with 0 +++"}
	if len(got) < len(own) || !slices.Equal(got[len(got)-len(own):], own) {
		t.Errorf("gtrace --fd-kind file shows\n\t%s\nwant it to end with\n\t%s", strings.Join(got, "\n\t"), strings.Join(own, "\n\t"))
	}
}

// The seccomp fast path changes what stops the tracee, not what is shown.
func TestSeccompDoesNotChangeTheTrace(t *testing.T) {
	prog := buildC(t, "filters.c")
	for _, flags := range [][]string{
		{"-e", "trace=%file"},
		{"-c", "network"},
		{"-e", "trace=kill,getpid", "-e", "signal=SIGUSR2"},
		{"-e", "trace=!%memory", "-Z"},
		{"-P", "FILE"},
	} {
		t.Run(strings.Join(flags, " "), func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "file")
			for i := range flags {
				flags[i] = strings.ReplaceAll(flags[i], "FILE", file)
			}
			with := outline(traceGtrace(t, flags, prog, file))
			without := outline(traceGtrace(t, append([]string{"--seccomp=false"}, flags...), prog, file))
			if !slices.Equal(with, without) || len(with) < 2 {
				t.Errorf("with seccomp:\n\t%s\nwithout:\n\t%s", strings.Join(with, "\n\t"), strings.Join(without, "\n\t"))
			}
		})
	}
}

func TestSelectionUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-e", "trace=opne", "true"}, `gtrace: -e trace: invalid system call 'opne'`},
		{[]string{"-e", "opne", "true"}, `gtrace: -e trace: invalid system call 'opne'`},
		{[]string{"-e", "trace=getpid,%foo", "true"}, `invalid system call '%foo'`},
		{[]string{"-e", "trace=", "true"}, `-e trace: invalid system call ''`},
		{[]string{"-e", "trace=/[", "true"}, `-e trace: bad regular expression "["`},
		{[]string{"-e", "trace=getpid@16", "true"}, `unknown ABI "16"`},
		{[]string{"-e", "signal=SIGFOO", "true"}, `gtrace: -e signal: unknown signal "SIGFOO"`},
		{[]string{"-e", "signal=256", "true"}, `unknown signal "256"`},
		{[]string{"-e", "status=fine", "true"}, `gtrace: -e status: unknown status "fine"`},
		{[]string{"-e", "trace-fds=x", "true"}, `gtrace: -e trace-fds: unknown descriptor "x"`},
		{[]string{"-e", "fd=-1", "true"}, `unknown descriptor "-1"`},
		{[]string{"-e", "verbose=none", "true"}, `gtrace: -e verbose: not supported`},
		{[]string{"-e", "quiet=foo", "true"}, `gtrace: -e quiet: invalid quiet 'foo'`},
		{[]string{"--decode-fds=signalfd", "true"}, `invalid decode-fds 'signalfd'`},
		{[]string{"-e", "decode-fds=path,x", "true"}, `gtrace: -e decode-fds: invalid decode-fds 'x'`},
		{[]string{"--quiet=exit,bogus", "true"}, `invalid quiet 'bogus'`},
		{[]string{"-e", "abbrev=opne", "true"}, `gtrace: -e abbrev: invalid system call 'opne'`},
		{[]string{"-e", "raw=%foo", "true"}, `gtrace: -e raw: invalid system call '%foo'`},
		{[]string{"-e", "read=x", "true"}, `gtrace: -e read: unknown descriptor "x"`},
		{[]string{"-e", "writes=-2", "true"}, `gtrace: -e write: unknown descriptor "-2"`},
		{[]string{"-ff", "-o", "|cat", "true"}, `gtrace: -ff writes a file per task: it cannot pipe the trace to a command`},
		{[]string{"-o", "!", "true"}, `gtrace: -o !: no command to pipe the trace to`},
		{[]string{"--engine=ebpf", "-e", "write=1", "true"}, `gtrace: -e read= and -e write= dump all the data: they need --engine=ptrace`},
		{[]string{"-c", "netwrk", "true"}, `gtrace: -c: unknown category "netwrk"`},
		{[]string{"-c", "network,!fie", "true"}, `unknown category "fie"`},
		{[]string{"--fd-kind", "sock", "true"}, `gtrace: --fd-kind: unknown descriptor kind "sock"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stderr := runGtrace(t, tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("gtrace %v: status %d, stderr %q; want status 2 and %q", tt.args, code, stderr, tt.want)
			}
		})
	}
}

// python returns the system's python3 (not a version manager's shim,
// which runs programs of its own), or skips.
func python(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		return "/usr/bin/python3"
	}
	p, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	return p
}

// The acceptance test of -c network: a Python program's TCP, UDP and file
// work, with a thread and a child, shows exactly the calls strace's
// %network shows.
func TestNetworkCategoryMatchesStraceOnPython(t *testing.T) {
	needStrace(t)
	py := python(t)
	script, err := filepath.Abs("testdata/netfile.py")
	if err != nil {
		t.Fatal(err)
	}
	names := func(trace string) []string {
		var out []string
		for _, l := range outline(trace) {
			if name, _, ok := strings.Cut(l, " "); ok && !strings.HasPrefix(l, "---") && !strings.HasPrefix(l, "+++") {
				out = append(out, name)
			}
		}
		slices.Sort(out)
		return out
	}
	want := names(runStrace(t, []string{"-f", "-e", "trace=%network"}, py, script))
	got := names(traceGtrace(t, []string{"-f", "-c", "network"}, py, script))
	for _, call := range []string{"socket", "bind", "listen", "connect", "accept4", "sendto", "recvfrom"} {
		if !slices.Contains(want, call) {
			t.Errorf("strace shows no %s: the program did not do its work? %v", call, want)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("gtrace -f -c network shows\n\t%v\nstrace -f -e trace=%%network shows\n\t%v", got, want)
	}
}

// A program killed by a signal: -qq keeps "+++ killed by", -e signal=
// shows it only for the signals it selects, as strace does.
func TestKilledByMatchesStrace(t *testing.T) {
	needStrace(t)
	prog := []string{"sh", "-c", "kill -USR1 $$"}
	for _, flags := range [][]string{
		{"-qq"}, {"-e", "signal=none"}, {"-e", "signal=USR2"}, {"-e", "signal=USR1"}, {"-qq", "-e", "signal=!USR1"},
	} {
		flags = append([]string{"-e", "trace=none"}, flags...)
		want := outline(runStrace(t, flags, prog...))
		got := outline(traceGtrace(t, flags, prog...))
		if !slices.Equal(got, want) {
			t.Errorf("gtrace %v shows\n\t%s\nstrace shows\n\t%s", flags, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
		}
	}
}

// A time at the epoch (a file touched to 0) prints no date comment, as
// in strace; other times do.
func TestEpochTimeMatchesStrace(t *testing.T) {
	needStrace(t)
	if _, err := exec.LookPath("stat"); err != nil {
		t.Skip("stat is not installed")
	}
	file := filepath.Join(t.TempDir(), "epoch")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(file, time.Unix(0, 0), time.Unix(0, 0)); err != nil {
		t.Fatal(err)
	}
	flags := []string{"-v", "-e", "trace=statx"}
	want := strings.TrimSpace(runStrace(t, flags, "stat", "--printf=", file))
	got := strings.TrimSpace(traceGtrace(t, flags, "stat", "--printf=", file))
	if got != want || !strings.Contains(got, "stx_atime={tv_sec=0, tv_nsec=0},") {
		t.Errorf("gtrace:\n%s\nstrace:\n%s", got, want)
	}
}
