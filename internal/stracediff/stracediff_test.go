package stracediff

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gtrace/gtrace/cmd"
)

// gtraceEnv makes the test binary run as gtrace: the tests trace with
// the gtrace of this very build.
const gtraceEnv = "STRACEDIFF_RUN_GTRACE"

func TestMain(m *testing.M) {
	if os.Getenv(gtraceEnv) == "1" {
		os.Exit(cmd.Main(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// program is a test tracee and the runs to compare.
type program struct {
	src    string   // testdata file
	cflags []string // gcc flags besides -o
	// args gives the tracee's arguments; dir is a fresh directory.
	args  func(dir string) []string
	flags [][]string // trace flag sets, each a comparison
	// scope selects the lines compared: the calls the program is about
	// (nil: all). Other lines (the C library's start-up) are decoded by
	// other parts of gtrace; their match rate is logged, not checked.
	scope *regexp.Regexp
	// min is the fraction of strace's lines in scope gtrace must
	// reproduce.
	min float64
}

// netCalls are the calls the network, polling and ioctl programs are
// about.
var netCalls = regexp.MustCompile(`^(socket|socketpair|bind|connect|listen|accept4?|getsockname|getpeername|send|recv|sendto|recvfrom|sendmsg|recvmsg|sendmmsg|recvmmsg|setsockopt|getsockopt|shutdown|poll|ppoll|select|pselect6|epoll_\w+|ioctl)\(`)

// dumpCalls are the calls that read and write data, and the lines of
// their dumps.
var dumpCalls = regexp.MustCompile(`^((p?(read|write)v?2?|pread64|pwrite64|sendto|recvfrom|sendm?msg|recvm?msg|mq_timed(send|receive)|vmsplice)\(| [|*=] )`)

var programs = []program{
	{src: "inet.c", flags: [][]string{nil, {"-yy"}, {"-v"}, {"-xx"}, {"-s", "2"}, {"-s", "0"}, {"-X", "raw"}, {"-X", "verbose"}, {"-e", "raw=all"}, {"-e", "raw=!connect,bind"}}, scope: netCalls, min: 1},
	{src: "unix.c", args: func(dir string) []string {
		return []string{filepath.Join(dir, "sock"), "gtrace-stracediff-" + filepath.Base(dir)}
	}, flags: [][]string{nil, {"-yy"}, {"-xx"}, {"-v", "-yy"}}, scope: netCalls, min: 1},
	{src: "poll.c", flags: [][]string{nil, {"-y"}}, scope: netCalls, min: 1},
	{src: "ioctl.c", flags: [][]string{nil, {"-v"}, {"-yy"}, {"-X", "verbose"}, {"-e", "raw=ioctl"}, {"-e", "abbrev=none"}, {"-e", "abbrev=!ioctl"}, {"-v", "-e", "abbrev=ioctl"}}, scope: netCalls, min: 1},
	{src: "sockioctl.c", flags: [][]string{nil, {"-xx"}}, scope: netCalls, min: 1},
	// -e read= and -e write=: the data of every call strace dumps, and
	// the calls it does not.
	{src: "dumpio.c", args: func(dir string) []string { return []string{filepath.Join(dir, "file")} },
		flags: [][]string{{"-e", "read=all", "-e", "write=all"}, {"-e", "read=21,22", "-e", "write=!21"}, {"-e", "write=20,24,27", "-e", "read=none"}, {"-e", "raw=all", "-e", "read=all"}, {"-s", "0", "-e", "write=all"}},
		scope: dumpCalls, min: 1},
	// A task's name, bounded by TASK_COMM_LEN and by -s.
	{src: "comm.c", flags: [][]string{nil, {"-s", "16"}, {"-s", "15"}, {"-s", "5"}, {"-s", "0"}},
		scope: regexp.MustCompile(`^prctl\(`), min: 1},
	// -y, -yy and --decode-fds=SET on each kind of descriptor.
	{src: "decodefds.c", flags: [][]string{{"-y"}, {"-yy"}, {"--decode-fds=dev"}, {"--decode-fds=pidfd"},
		{"--decode-fds=socket"}, {"--decode-fds=path,dev"}, {"-e", "decode-fds=all"}, {"--decode-fds=!path"}},
		scope: regexp.MustCompile(`^(write|close)\(`), min: 1},
	// i386: a 32-bit program without libc, all of whose calls count, and
	// a 64-bit one making int $0x80 calls.
	{src: "compat32.c", cflags: []string{"-m32", "-O1", "-nostdlib", "-static", "-ffreestanding", "-fno-pic", "-fno-stack-protector"}, flags: [][]string{nil}, min: 0.9},
	{src: "int80.c", cflags: []string{"-O1", "-static", "-no-pie"}, flags: [][]string{nil}, scope: regexp.MustCompile(`^(write|getpid|getppid|getuid32|\[ Process)`), min: 1},
}

func TestAgainstStrace(t *testing.T) {
	strace := lookPath(t, "strace")
	gcc := lookPath(t, "gcc")
	for _, p := range programs {
		t.Run(strings.TrimSuffix(p.src, ".c"), func(t *testing.T) {
			dir := t.TempDir()
			bin := filepath.Join(dir, strings.TrimSuffix(p.src, ".c"))
			args := append([]string{"-o", bin}, p.cflags...)
			out, err := exec.Command(gcc, append(args, filepath.Join("testdata", p.src))...).CombinedOutput()
			if err != nil {
				t.Fatalf("gcc %s: %v\n%s", p.src, err, out)
			}
			var targs []string
			if p.args != nil {
				targs = p.args(dir)
			}
			for _, flags := range p.flags {
				name := strings.Join(flags, "")
				if name == "" {
					name = "default"
				}
				t.Run(name, func(t *testing.T) {
					compare(t, strace, bin, dir, flags, targs, p.scope, p.min)
				})
			}
		})
	}
}

// TestPersonalityNotice checks strace's notice of a task switching
// between 64-bit and i386 calls, which it prints only when the trace goes
// to standard error (-o FILE implies -q).
func TestPersonalityNotice(t *testing.T) {
	strace := lookPath(t, "strace")
	gcc := lookPath(t, "gcc")
	dir := t.TempDir()
	bin := filepath.Join(dir, "int80")
	if out, err := exec.Command(gcc, "-O1", "-static", "-no-pie", "-o", bin, filepath.Join("testdata", "int80.c")).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	scope := regexp.MustCompile(`^(write|getpid|getppid|getuid32|exit_group|\[ Process)`)
	for _, flags := range [][]string{nil, {"-q"}} {
		want := only(scope, Normalise(traceStderr(t, strace, dir, flags, bin)))
		got := only(scope, Normalise(traceStderr(t, os.Args[0], dir, flags, bin)))
		r := Compare(want, got)
		report(t, r)
		if r.Rate() < 1 || len(r.Extra) > 0 {
			t.Errorf("%v: gtrace's notices and calls differ from strace's", flags)
		}
	}
}

// traceStderr runs prog under tracer with the trace on standard error.
func traceStderr(t *testing.T, tracer, dir string, flags []string, prog string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := exec.CommandContext(ctx, tracer, append(flags, prog)...)
	c.Dir = dir
	c.Env = append(os.Environ(), gtraceEnv+"=1")
	var stderr strings.Builder
	c.Stderr = &stderr
	if err := c.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", filepath.Base(tracer), err, stderr.String())
	}
	return stderr.String()
}

// TestPythonNetworkClient traces a real program, python3 making TCP and UDP
// exchanges over loopback, and checks its network calls.
func TestPythonNetworkClient(t *testing.T) {
	strace := lookPath(t, "strace")
	python := lookPath(t, "python3")
	dir := t.TempDir()
	script := filepath.Join(dir, "client.py")
	if err := os.WriteFile(script, []byte(pythonClient), 0o644); err != nil {
		t.Fatal(err)
	}
	want := trace(t, strace, dir, []string{"-I", "-S", script}, nil, python)
	got := trace(t, os.Args[0], dir, []string{"-I", "-S", script}, nil, python)
	all := Compare(Normalise(want), Normalise(got))
	t.Logf("all lines: matched %d of %d (%.1f%%)", all.Matched, all.Total, 100*all.Rate())
	r := Compare(only(netCalls, Normalise(want)), only(netCalls, Normalise(got)))
	report(t, r)
	if r.Rate() < 1 {
		t.Errorf("gtrace reproduced %.1f%% of python3's network calls, want all", 100*r.Rate())
	}
}

const pythonClient = `
import socket
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(1)
c = socket.create_connection(srv.getsockname())
s, _ = srv.accept()
c.sendall(b"hello over tcp")
s.recv(64)
s.close(); c.close(); srv.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
u.sendto(b"ping", u.getsockname())
u.recvfrom(64)
u.close()
`

// only keeps the lines scope selects (nil: all).
func only(scope *regexp.Regexp, lines []string) []string {
	if scope == nil {
		return lines
	}
	var out []string
	for _, l := range lines {
		if scope.MatchString(l) {
			out = append(out, l)
		}
	}
	return out
}

// compare traces bin with strace and gtrace under flags and checks the
// match rate.
func compare(t *testing.T, strace, bin, dir string, flags, args []string, scope *regexp.Regexp, min float64) {
	want := Normalise(trace(t, strace, dir, args, flags, bin))
	got := Normalise(trace(t, os.Args[0], dir, args, flags, bin))
	if scope != nil {
		all := Compare(want, got)
		t.Logf("all lines: matched %d of %d (%.1f%%)", all.Matched, all.Total, 100*all.Rate())
	}
	r := Compare(only(scope, want), only(scope, got))
	report(t, r)
	if r.Rate() < min {
		t.Errorf("gtrace reproduced %d of %d lines (%.1f%%), want at least %.0f%%", r.Matched, r.Total, 100*r.Rate(), 100*min)
	}
}

func report(t *testing.T, r Result) {
	t.Helper()
	t.Logf("matched %d of %d lines (%.1f%%)", r.Matched, r.Total, 100*r.Rate())
	for _, l := range r.Missing {
		t.Logf("strace: %s", l)
	}
	for _, l := range r.Extra {
		t.Logf("gtrace: %s", l)
	}
}

// trace runs prog under tracer (strace, or this binary as gtrace) and
// returns the trace. Both get the same environment, so that execve's
// "/* N vars */" agrees.
func trace(t *testing.T, tracer, dir string, args, flags []string, prog string) string {
	t.Helper()
	out := filepath.Join(dir, "trace."+filepath.Base(tracer))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	argv := append(append([]string{"-o", out}, flags...), prog)
	c := exec.CommandContext(ctx, tracer, append(argv, args...)...)
	c.Dir = dir
	c.Env = append(os.Environ(), gtraceEnv+"=1")
	if msg, err := c.CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", filepath.Base(tracer), argv, err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func lookPath(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed: %v", name, err)
	}
	return p
}
