// Package stracesurvey asks the installed strace which syscalls it puts
// in each of its classes (%file, %desc, %network, ...). strace cannot
// list its sets, so the survey traces a program that makes every syscall
// number of both x86 ABIs (testdata/everycall.c, under a seccomp filter
// that fails them all with ENOSYS before they run) once per class, with
// -n, and records which numbers each run shows.
//
// cmd/ uses the result to write tables/strace-classes.txt; a test in
// pkg/decode runs the survey again and compares it with the tables.
package stracesurvey

import (
	"bufio"
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

//go:embed testdata/everycall.c
var everycallSource []byte

// Classes are strace's syscall classes as -e trace= spells them, in the
// order the generated file lists them.
var Classes = []string{
	"%file", "%desc", "%network", "%process", "%signal", "%ipc", "%memory",
	"%creds", "%clock", "%stat", "%lstat", "%fstat", "%%stat",
	"%statfs", "%fstatfs", "%%statfs", "%pure",
}

// Arches are the ABIs surveyed, by the names strace's -n numbers belong to.
var Arches = []string{"x86_64", "i386"}

// Call is what strace knows of one syscall number.
type Call struct {
	Arch    string
	Nr      int
	Name    string   // strace's name for it
	Classes []string // the classes it belongs to, in Classes order
}

// Result is a survey: every syscall strace knows by name, per arch.
type Result struct {
	Version string // strace -V's first line
	Calls   []Call // sorted by arch (Arches order), then number
}

// Run surveys strace (a path or a name in $PATH) with the syscall numbers
// [0, max64) of x86_64 and [0, max32) of i386. It needs gcc, and works in
// a temporary directory under dir ("" for the default).
func Run(strace string, max64, max32 int, dir string) (*Result, error) {
	tmp, err := os.MkdirTemp(dir, "stracesurvey")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	src, bin := filepath.Join(tmp, "everycall.c"), filepath.Join(tmp, "everycall")
	if err := os.WriteFile(src, everycallSource, 0o644); err != nil {
		return nil, err
	}
	if out, err := exec.Command("gcc", "-O2", "-o", bin, src).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("gcc: %v\n%s", err, out)
	}
	version, err := exec.Command(strace, "-V").Output()
	if err != nil {
		return nil, fmt.Errorf("strace -V: %w", err)
	}
	args := []string{strconv.Itoa(max64), strconv.Itoa(max32)}
	names, err := trace(strace, "all", bin, args)
	if err != nil {
		return nil, err
	}
	calls := map[key]*Call{}
	for k, name := range names {
		calls[k] = &Call{Arch: k.arch, Nr: k.nr, Name: name}
	}
	for _, class := range Classes {
		shown, err := trace(strace, class, bin, args)
		if err != nil {
			return nil, err
		}
		for k := range shown {
			if c := calls[k]; c != nil {
				c.Classes = append(c.Classes, class)
			}
		}
	}
	r := &Result{Version: strings.TrimSpace(strings.SplitN(string(version), "\n", 2)[0])}
	for _, c := range calls {
		r.Calls = append(r.Calls, *c)
	}
	sort.Slice(r.Calls, func(i, j int) bool {
		a, b := r.Calls[i], r.Calls[j]
		if a.Arch != b.Arch {
			return archIndex(a.Arch) < archIndex(b.Arch)
		}
		return a.Nr < b.Nr
	})
	return r, nil
}

func archIndex(a string) int {
	for i, x := range Arches {
		if x == a {
			return i
		}
	}
	return len(Arches)
}

// exitCode is everycall's exit status: its MAGIC, the only argument of
// exit_group the filter lets through, truncated to 8 bits.
const exitCode = 0x5eed & 0xff

type key struct {
	arch string
	nr   int
}

var (
	// "[ 257] openat(" with -n; the number is the current ABI's.
	callLine    = regexp.MustCompile(`^\[\s*(\d+)\] ([a-zA-Z0-9_]+)\(`)
	personality = regexp.MustCompile(`\[ Process PID=\d+ runs in (32|64) bit mode\. \]$`)
	// strace prints syscalls it does not know as syscall_0x1c5.
	unknownName = regexp.MustCompile(`^syscall_(0x[0-9a-f]+|\d+)$`)
)

// trace runs the program under strace -e trace=expr and returns the
// numbers it showed, with strace's names. The survey's own calls are the
// ones that failed with ENOSYS: the dynamic loader's calls before them
// succeed or fail otherwise.
func trace(strace, expr, bin string, args []string) (map[key]string, error) {
	// The trace and strace's personality messages share stderr, in order.
	cmd := exec.Command(strace, append([]string{"-n", "-e", "trace=" + expr, bin}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == exitCode {
		err = nil // the program's own exit_group(MAGIC)
	}
	if err != nil {
		return nil, fmt.Errorf("strace -e trace=%s: %w", expr, err)
	}
	shown := map[key]string{}
	arch := "x86_64"
	sc := bufio.NewScanner(&stderr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := personality.FindStringSubmatch(line); m != nil {
			arch = map[string]string{"32": "i386", "64": "x86_64"}[m[1]]
			continue
		}
		m := callLine.FindStringSubmatch(line)
		if m == nil || !strings.HasSuffix(line, "= -1 ENOSYS (Function not implemented)") {
			continue
		}
		if unknownName.MatchString(m[2]) {
			continue // strace shows the calls it does not know in every class
		}
		nr, _ := strconv.Atoi(m[1])
		shown[key{arch, nr}] = m[2]
	}
	return shown, sc.Err()
}
