package e2e

import (
	"bytes"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gtrace/gtrace/internal/difftest"
	"github.com/gtrace/gtrace/internal/ptytest"
)

// runLimit is how long a traced run in these tests may take before it
// counts as a hang; they take well under a second on an idle machine.
const runLimit = 8 * time.Second

// assertSameNames checks that two traces of one program, strace's (want)
// and gtrace's (got), have the same processes, and that each process
// made the same syscalls, by name, in the same order, and ended the same
// way (difftest.Names: signals left out).
func assertSameNames(t *testing.T, want, got difftest.Run) {
	t.Helper()
	pw, pg := difftest.Parse(want.Trace), difftest.Parse(got.Trace)
	procs := func(p *difftest.Parsed) []string {
		return slices.Sorted(maps.Keys(p.Procs))
	}
	if w, g := procs(pw), procs(pg); !slices.Equal(w, g) {
		t.Errorf("processes: strace %v, gtrace %v", w, g)
	}
	for name, lines := range pw.Procs {
		w, g := difftest.Names(lines), difftest.Names(pg.Procs[name])
		if !slices.Equal(w, g) {
			t.Errorf("process %s: syscall sequences differ:\nstrace: %s\ngtrace: %s", name, strings.Join(w, " "), strings.Join(g, " "))
		}
	}
	if t.Failed() {
		t.Logf("strace's trace:\n%s\ngtrace's trace:\n%s", want.Trace, got.Trace)
	}
}

// getppidCounts returns, for each task of a parsed trace that made
// getppid calls, how many it made.
func getppidCounts(p *difftest.Parsed) map[string]int {
	n := map[string]int{}
	for name, lines := range p.Procs {
		for _, l := range lines {
			if strings.HasPrefix(l, "getppid()") {
				n[name]++
			}
		}
	}
	return n
}

// TestExactCountsManyTasks: 8 threads and 4 child processes each make
// 1000 getppid calls under gtrace -f: every call of every task is in the
// trace, and no other task made any.
func TestExactCountsManyTasks(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	prog := difftest.Tracee(t, "counts")
	const perTask, threads, procs = 1000, 8, 4
	r := difftest.TraceWithin(t, runLimit, "", gtrace, nil, prog, strconv.Itoa(perTask), strconv.Itoa(threads), strconv.Itoa(procs))
	if r.Code != 0 {
		t.Fatalf("exit status %d; stderr: %s", r.Code, r.Stderr)
	}
	perProc := getppidCounts(difftest.Parse(r.Trace))
	total := 0
	for name, n := range perProc {
		total += n
		if n != perTask {
			t.Errorf("task %s made %d getppid calls, want %d", name, n, perTask)
		}
	}
	if len(perProc) != threads+procs {
		t.Errorf("calls came from %d tasks, want %d: %v", len(perProc), threads+procs, perProc)
	}
	if total != (threads+procs)*perTask {
		t.Errorf("got %d getppid calls, want %d", total, (threads+procs)*perTask)
	}
	// The raw trace agrees: 12000 lines, from 12 distinct task ids.
	raw := regexp.MustCompile(`(?m)^(\d+)\s+getppid\(`).FindAllStringSubmatch(r.Trace, -1)
	tids := map[string]bool{}
	for _, m := range raw {
		tids[m[1]] = true
	}
	if len(raw) != (threads+procs)*perTask || len(tids) != threads+procs {
		t.Errorf("raw trace: %d getppid lines from %d task ids, want %d from %d", len(raw), len(tids), (threads+procs)*perTask, threads+procs)
	}
}

// TestManyThreads: 200 threads, all alive at once, each make one getppid
// call: gtrace -f shows 200 calls from 200 distinct threads, each thread
// named by its creator's clone3 return value, every thread's exit, and
// ends with the program's status.
func TestManyThreads(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	prog := difftest.Tracee(t, "manythreads")
	const n = 200
	r := difftest.TraceWithin(t, runLimit, "", gtrace, nil, prog, strconv.Itoa(n))
	if r.Code != 0 {
		t.Fatalf("exit status %d; stderr: %s", r.Code, r.Stderr)
	}
	counts := getppidCounts(difftest.Parse(r.Trace))
	if len(counts) != n {
		t.Errorf("getppid calls came from %d tasks, want %d", len(counts), n)
	}
	for name, c := range counts {
		if c != 1 {
			t.Errorf("thread %s made %d getppid calls, want 1", name, c)
		}
		// p.N: found as the return value of the main thread's N-th
		// clone; "?TID" would be a thread no clone in the trace made.
		if !regexp.MustCompile(`^p\.\d+$`).MatchString(name) {
			t.Errorf("thread %s is not a child of the main thread in the trace", name)
		}
	}
	raw := regexp.MustCompile(`(?m)^(\d+)\s+getppid\(`).FindAllStringSubmatch(r.Trace, -1)
	tids := map[string]bool{}
	for _, m := range raw {
		tids[m[1]] = true
	}
	if len(raw) != n || len(tids) != n {
		t.Errorf("raw trace: %d getppid lines from %d distinct tids, want %d from %d", len(raw), len(tids), n, n)
	}
	if got := strings.Count(r.Trace, "+++ exited with 0 +++"); got != n+1 {
		t.Errorf("%d exit lines, want %d (every thread and the process)", got, n+1)
	}
}

// TestVfork: a vfork child that execs /bin/true, or that _exits at once,
// is traced as strace -f traces it: the same processes, each with the
// same syscalls and exit line, and the same exit status.
func TestVfork(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	prog := difftest.Tracee(t, "vforker")
	for _, tt := range []struct {
		mode string
		code int
		exit string // the vfork child's exit line
	}{
		{"exec", 0, "+++ exited with 0 +++"},
		{"exit", 3, "+++ exited with 3 +++"},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			got := difftest.TraceWithin(t, runLimit, "", gtrace, nil, prog, tt.mode)
			if got.Code != tt.code {
				t.Errorf("exit status %d, want %d; stderr: %s", got.Code, tt.code, got.Stderr)
			}
			p := difftest.Parse(got.Trace)
			if names := difftest.Names(p.Procs["p"]); !slices.Contains(names, "vfork") {
				t.Errorf("no vfork call in the parent's trace:\n%s", got.Trace)
			}
			child := p.Procs["p.1"]
			if len(child) == 0 || child[len(child)-1] != tt.exit {
				t.Errorf("the vfork child does not end with %q: %q", tt.exit, child)
			}
			if tt.mode == "exec" && !hasLine(child, `execve("/bin/true", ["true"], `, `) = 0`) {
				t.Errorf("the vfork child's execve is missing: %q", child)
			}
			// Skipping now keeps a failure above a failure.
			want := difftest.TraceWithin(t, runLimit, "", difftest.Strace(t), nil, prog, tt.mode)
			if want.Code != got.Code {
				t.Errorf("exit status: strace %d, gtrace %d", want.Code, got.Code)
			}
			assertSameNames(t, want, got)
		})
	}
}

// hasLine tells whether one of lines starts with prefix and ends with
// suffix.
func hasLine(lines []string, prefix, suffix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) && strings.HasSuffix(l, suffix) {
			return true
		}
	}
	return false
}

// TestReparentedGrandchild: the program's child forks a grandchild and
// exits, the program then exits too, and the grandchild, reparented,
// works on for 200 ms: gtrace -f traces it to its end and ends after it,
// as strace -f does.
func TestReparentedGrandchild(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	prog := difftest.Tracee(t, "orphan")
	got := difftest.TraceWithin(t, runLimit, "", gtrace, nil, prog)
	if got.Code != 0 || string(got.Stdout) != "grandchild done\n" {
		t.Errorf("exit status %d, output %q; stderr: %s", got.Code, got.Stdout, got.Stderr)
	}
	p := difftest.Parse(got.Trace)
	gc := p.Procs["p.1.1"]
	if !slices.Contains(gc, `write(1, "grandchild done\n", 16) = 16`) || len(gc) == 0 || gc[len(gc)-1] != "+++ exited with 0 +++" {
		t.Errorf("the grandchild is not traced to its end: %q\ntrace:\n%s", gc, got.Trace)
	}
	// The program gtrace started exited before the grandchild wrote:
	// gtrace went on tracing after it.
	lines := strings.Split(got.Trace, "\n")
	pid := func(l string) string {
		if f := strings.Fields(l); len(f) > 0 {
			return f[0]
		}
		return ""
	}
	progExit, gcWrite := -1, -1
	for i, l := range lines {
		switch {
		case i > 0 && progExit < 0 && strings.HasSuffix(l, "+++ exited with 0 +++") && pid(l) == pid(lines[0]):
			progExit = i
		case strings.Contains(l, `write(1, "grandchild done\n"`):
			gcWrite = i
		}
	}
	if progExit < 0 || gcWrite < progExit {
		t.Errorf("the program's exit (line %d) does not come before the grandchild's write (line %d)", progExit, gcWrite)
	}
	want := difftest.TraceWithin(t, runLimit, "", difftest.Strace(t), nil, prog)
	if want.Code != got.Code {
		t.Errorf("exit status: strace %d, gtrace %d", want.Code, got.Code)
	}
	assertSameNames(t, want, got)
}

// terminal collects what the processes on a pty's slave side write.
type terminal struct {
	master *os.File
	mu     sync.Mutex
	out    bytes.Buffer
}

func newTerminal(master *os.File) *terminal {
	term := &terminal{master: master}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			term.mu.Lock()
			term.out.Write(buf[:n])
			term.mu.Unlock()
			if err != nil {
				// EIO once no process has the slave open, or the
				// master closed at the end of the test.
				return
			}
		}
	}()
	return term
}

func (term *terminal) output() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.out.String()
}

// send writes s to the terminal as if typed.
func (term *terminal) send(t *testing.T, s string) {
	t.Helper()
	if _, err := io.WriteString(term.master, s); err != nil {
		t.Fatalf("write to the terminal: %v", err)
	}
}

// procState returns the State letter of process pid, "" if it is gone.
func procState(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return ""
	}
	if m := regexp.MustCompile(`State:\s+(\S)`).FindSubmatch(b); m != nil {
		return string(m[1])
	}
	return ""
}

// childRunning waits until a child process of pid runs program (its
// comm, the first 15 bytes of the executable's name) and returns it. Not
// "the only child": gtrace's wakers, between their fork and their exec,
// look like gtrace.
func childRunning(t *testing.T, pid int, program string) int {
	t.Helper()
	comm := filepath.Base(program)
	if len(comm) > 15 {
		comm = comm[:15]
	}
	var kid int
	waitFor(t, program+" to start under process "+strconv.Itoa(pid), func() bool {
		for _, c := range children(t, pid) {
			if b, _ := os.ReadFile("/proc/" + strconv.Itoa(c) + "/comm"); strings.TrimSpace(string(b)) == comm {
				kid = c
				return true
			}
		}
		return false
	})
	return kid
}

// TestTerminalStop: ^Z typed on a terminal stops the foreground job, and
// SIGCONT (as a shell's fg sends it) lets it finish normally. jobshell,
// a minimal job-control shell, is the terminal's session leader and makes
// the job the foreground process group, so that the group is not
// orphaned and the kernel does stop it.
//
//   - "gtrace-is-the-job": the job is gtrace itself tracing
//     `sh -c 'cat; echo done'`. ^Z goes to the whole group, gtrace
//     included, and gtrace is stopped with its program, as strace -o FILE
//     PROG is (strace's default -I3 does not block SIGTSTP): the shell
//     sees the job stop, and after SIGCONT to the group the program goes
//     on where it was.
//   - "traced-shell": gtrace -f traces jobshell (as one traces a shell),
//     and the job is sh -c 'cat; echo done'. ^Z stops the job alone:
//     gtrace reports the SIGTSTP and the group-stop of sh and cat, which
//     stay stopped (state t: a traced task in group-stop) until SIGCONT.
func TestTerminalStop(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	jobshell := difftest.Tracee(t, "jobshell")
	program := []string{"sh", "-c", "cat; echo done"}
	for _, tracedShell := range []bool{false, true} {
		name := "gtrace-is-the-job"
		if tracedShell {
			name = "traced-shell"
		}
		t.Run(name, func(t *testing.T) {
			master, slave := ptytest.Open(t)
			defer master.Close()
			out := filepath.Join(t.TempDir(), "trace")
			traced := append([]string{gtrace, "-f", "-o", out}, program...)
			argv := append([]string{jobshell}, traced...)
			if tracedShell {
				traced = append([]string{gtrace, "-f", "-o", out, jobshell}, program...)
				argv = traced
			}
			cmd := exec.Command(argv[0], argv[1:]...)
			cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
			// A session of its own, with the terminal (its fd 0) as the
			// controlling terminal.
			cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			slave.Close()
			t.Cleanup(func() { _ = cmd.Process.Kill() })
			term := newTerminal(master)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			fail := func(format string, args ...any) {
				t.Helper()
				trace, _ := os.ReadFile(out)
				t.Fatalf(format+"\nterminal: %q\ntrace:\n%s", append(args, term.output(), difftest.Tail(trace, 30))...)
			}
			waitOutput := func(what, s string) {
				t.Helper()
				for deadline := time.Now().Add(runLimit); !strings.Contains(term.output(), s); time.Sleep(10 * time.Millisecond) {
					if time.Now().After(deadline) {
						_ = cmd.Process.Kill()
						fail("timed out waiting for %s", what)
					}
				}
			}

			// The processes: the job's group leader, and sh and cat.
			var job, sh int
			if tracedShell {
				shell := childRunning(t, cmd.Process.Pid, jobshell)
				job = childRunning(t, shell, "sh")
				sh = job
			} else {
				job = childRunning(t, cmd.Process.Pid, gtrace)
				sh = childRunning(t, job, "sh")
			}
			// Whatever happens, nothing of the job outlives the test.
			t.Cleanup(func() { _ = syscall.Kill(-job, syscall.SIGKILL) })
			cat := childRunning(t, sh, "cat")

			// cat runs in the foreground: it echoes a line.
			term.send(t, "hello\n")
			waitOutput("cat to echo a line", "hello\r\nhello\r\n")

			term.send(t, "\x1a") // ^Z
			waitOutput("the shell to see the job stop", "jobshell: job stopped by signal 20\r\n")
			if tracedShell {
				// gtrace reports the SIGTSTP and the group-stop of sh and
				// cat, and the shell's own SIGCHLD for its stopped job
				// (it saw the stop, with wait4 WUNTRACED, as without a
				// tracer).
				var want []*regexp.Regexp
				for _, pid := range []int{sh, cat} {
					want = append(want, traceLine(pid, "--- SIGTSTP {si_signo=SIGTSTP, si_code=SI_KERNEL} ---"),
						traceLine(pid, "--- stopped by SIGTSTP ---"))
				}
				want = append(want, regexp.MustCompile(`(?m)^\d+\s+--- SIGCHLD \{si_signo=SIGCHLD, si_code=CLD_STOPPED, si_pid=`+strconv.Itoa(sh)+`, .*si_status=SIGTSTP,`))
				waitTrace(t, out, want, fail)
			}
			// The program is stopped (t: stopped under ptrace, either in
			// group-stop or waiting for a stopped gtrace), and stays so.
			waitFor(t, "the program to stop", func() bool {
				for _, pid := range []int{sh, cat} {
					if s := procState(pid); s != "t" && s != "T" {
						return false
					}
				}
				return true
			})
			if !tracedShell {
				if s := procState(job); s != "T" {
					fail("gtrace is in state %q after ^Z, want T (stopped with its job)", s)
				}
			}
			time.Sleep(100 * time.Millisecond)
			for _, pid := range []int{sh, cat} {
				if s := procState(pid); s != "t" && s != "T" {
					fail("process %d is in state %q after ^Z, want stopped", pid, s)
				}
			}
			if strings.Contains(term.output(), "done") {
				fail("the program went on while stopped")
			}

			// fg: SIGCONT to the job's group, then the rest of the input.
			if err := syscall.Kill(-job, syscall.SIGCONT); err != nil {
				t.Fatal(err)
			}
			term.send(t, "bye\n\x04")
			select {
			case err := <-done:
				if code := difftest.ExitCode(t, err); code != 0 {
					fail("exit status %d, want 0", code)
				}
			case <-time.After(runLimit):
				_ = cmd.Process.Kill()
				fail("the job did not finish after SIGCONT")
			}
			waitOutput("the program's last output", "bye\r\nbye\r\ndone\r\n")
			for _, pid := range []int{job, sh, cat} {
				if s := procState(pid); s != "" && s != "Z" {
					t.Errorf("process %d is still there in state %s", pid, s)
				}
			}
			trace, _ := os.ReadFile(out)
			for _, pid := range []int{sh, cat} {
				if !traceLine(pid, "+++ exited with 0 +++").Match(trace) {
					t.Errorf("no exit line for %d in the trace:\n%s", pid, difftest.Tail(trace, 30))
				}
			}
			if tracedShell {
				for _, pid := range []int{sh, cat} {
					if !regexp.MustCompile(`(?m)^` + strconv.Itoa(pid) + `\s+--- SIGCONT \{si_signo=SIGCONT, si_code=SI_USER,`).Match(trace) {
						t.Errorf("the trace lacks the SIGCONT of %d:\n%s", pid, difftest.Tail(trace, 30))
					}
				}
			}
		})
	}
}

// traceLine matches the whole line text of task pid in a -f trace.
func traceLine(pid int, text string) *regexp.Regexp {
	return regexp.MustCompile(`(?m)^` + strconv.Itoa(pid) + `\s+` + regexp.QuoteMeta(text) + `$`)
}

// waitTrace waits until the trace file matches every one of want, and
// calls fail (which must not return) naming the first missing one if it
// does not in time.
func waitTrace(t *testing.T, file string, want []*regexp.Regexp, fail func(string, ...any)) {
	t.Helper()
	deadline := time.Now().Add(runLimit)
	for {
		b, _ := os.ReadFile(file)
		missing := ""
		for _, re := range want {
			if !re.Match(b) {
				missing = re.String()
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			fail("timed out waiting for the trace to match %s", missing)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestTraceeDebugger: programs that are debuggers themselves, under
// gtrace -f. Their own ptrace requests fail as under strace -f (the
// tracee is already traced; its child is traced by gtrace, not by it),
// the program sees the same errors, and gtrace does not hang.
func TestTraceeDebugger(t *testing.T) {
	gtrace := difftest.Gtrace(t)
	t.Run("ptrace-calls", func(t *testing.T) {
		prog := difftest.Tracee(t, "debugger")
		got := difftest.TraceWithin(t, runLimit, "", gtrace, nil, prog)
		if got.Code != 0 {
			t.Errorf("exit status %d, want 0; stderr: %s", got.Code, got.Stderr)
		}
		// What the program gets under strace -f: its process and its
		// child are traced already, by the tracer; the child is not the
		// program's tracee.
		const output = `parent: PTRACE_TRACEME = -1 (EPERM)
child: PTRACE_TRACEME = -1 (EPERM)
parent: PTRACE_ATTACH child = -1 (EPERM)
parent: PTRACE_SEIZE child = -1 (EPERM)
parent: PTRACE_CONT child = -1 (ESRCH)
parent: child exited 0
`
		if string(got.Stdout) != output {
			t.Errorf("the program's output under gtrace:\n%s\nwant:\n%s", got.Stdout, output)
		}
		p := difftest.Parse(got.Trace)
		for _, proc := range []string{"p", "p.1"} {
			if !slices.Contains(p.Procs[proc], "ptrace(PTRACE_TRACEME) = -1 EPERM (Operation not permitted)") {
				t.Errorf("process %s: the trace lacks the failed PTRACE_TRACEME: %q", proc, p.Procs[proc])
			}
		}
		if !slices.Contains(p.Procs["p"], "ptrace(PTRACE_ATTACH, p.1) = -1 EPERM (Operation not permitted)") {
			t.Errorf("the trace lacks the failed PTRACE_ATTACH: %q", p.Procs["p"])
		}
		want := difftest.TraceWithin(t, runLimit, "", difftest.Strace(t), nil, prog)
		if want.Code != got.Code || string(want.Stdout) != string(got.Stdout) {
			t.Errorf("under strace: exit status %d, output:\n%s\nunder gtrace: exit status %d, output:\n%s", want.Code, want.Stdout, got.Code, got.Stdout)
		}
		assertSameNames(t, want, got)
	})
	t.Run("strace-inside", func(t *testing.T) {
		strace := difftest.Strace(t)
		argv := []string{strace, "-o", "/dev/null", "true"}
		want := difftest.TraceWithin(t, runLimit, "", strace, nil, argv...)
		got := difftest.TraceWithin(t, runLimit, "", gtrace, nil, argv...)
		if want.Code != got.Code {
			t.Errorf("inner strace's exit status: under strace %d, under gtrace %d", want.Code, got.Code)
		}
		pids := regexp.MustCompile(`\b\d{2,}\b`)
		ws, gs := pids.ReplaceAllString(string(want.Stderr), "PID"), pids.ReplaceAllString(string(got.Stderr), "PID")
		if ws != gs {
			t.Errorf("inner strace's stderr differs:\nunder strace:\n%s\nunder gtrace:\n%s", ws, gs)
		}
		if ws == "" {
			t.Errorf("inner strace reported no error under a tracer (exit %d)", want.Code)
		}
	})
}
