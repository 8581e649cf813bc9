package ptrace

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/gtrace/gtrace/internal/testtracee"
	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
)

// handlerFunc is a Handler made of a function.
type handlerFunc func(ev *event.Event, st *Stop) Action

func (f handlerFunc) Handle(ev *event.Event, st *Stop) Action { return f(ev, st) }
func (handlerFunc) Idle()                                     {}

// trace runs prog under an engine calling h, and returns what it printed
// on stdout and its wait status.
func trace(t *testing.T, prog string, args []string, h Handler) (string, unix.WaitStatus) {
	t.Helper()
	return traceConfig(t, Config{Handler: h}, prog, args)
}

// traceFollowing is trace with -f: children and threads are followed.
func traceFollowing(t *testing.T, prog string, args []string, h Handler) (string, unix.WaitStatus) {
	t.Helper()
	return traceConfig(t, Config{Handler: h, Follow: true}, prog, args)
}

// traceConfig runs prog under an engine configured by cfg.
func traceConfig(t *testing.T, cfg Config, prog string, args []string) (string, unix.WaitStatus) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	type result struct {
		ws  unix.WaitStatus
		err error
	}
	done := make(chan result)
	go func() {
		e := New(cfg)
		_, err := e.Spawn(Command{Path: prog, Argv: append([]string{prog}, args...), Files: []uintptr{0, w.Fd(), 2}})
		w.Close()
		if err != nil {
			done <- result{err: err}
			return
		}
		if _, err := e.Run(); err != nil {
			done <- result{err: err}
			return
		}
		done <- result{ws: e.WaitSpawned()}
	}()
	out, _ := io.ReadAll(r)
	res := <-done
	if res.err != nil {
		t.Fatal(res.err)
	}
	return string(out), res.ws
}

// at calls f at the entry or exit stops of the named syscall.
func at(name string, entry bool, f func(st *Stop)) Handler {
	kind := event.KindSyscallExit
	if entry {
		kind = event.KindSyscallEntry
	}
	return handlerFunc(func(ev *event.Event, st *Stop) Action {
		if ev.Kind == kind && ev.Call.Name == name && (entry || ev.Call.Phase == event.Returned) {
			f(st)
		}
		return Continue
	})
}

// bothWays runs f with PTRACE_SET_SYSCALL_INFO, when the kernel has it,
// and with the register fallback.
func bothWays(t *testing.T, f func(t *testing.T)) {
	was := setInfoUnsupported.Load()
	defer setInfoUnsupported.Store(was)
	t.Run("set_syscall_info", func(t *testing.T) {
		if was {
			t.Skip("PTRACE_SET_SYSCALL_INFO is not supported by this kernel (Linux 6.16+)")
		}
		f(t)
	})
	setInfoUnsupported.Store(true)
	t.Run("registers", f)
}

func nr(t *testing.T, arch event.Arch, name string) int {
	sc := decode.TableFor(arch).ByName(name)
	if sc == nil {
		t.Fatalf("no syscall %s", name)
	}
	return sc.Nr
}

func TestChangeCalls(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	if err := os.WriteFile(real, []byte("real\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	keep := filepath.Join(dir, "keep")
	x64, i386 := event.ArchX86_64, event.ArchI386
	for _, tc := range []struct {
		name string
		prog string
		args []string
		h    func(t *testing.T) Handler
		want string
	}{{
		name: "set argument",
		prog: "catfile", args: []string{"/nonexistent", real},
		h: func(t *testing.T) Handler {
			return at("openat", true, func(st *Stop) {
				c := &st.t.call
				if string(c.Args[1].Val.Bytes) == "/nonexistent" {
					check(t, st.SetArg(1, c.Raw[1]+uint64(len("/nonexistent"))+1))
				}
			})
		},
		want: "read: real\n",
	}, {
		name: "skip at entry",
		prog: "unlink", args: []string{keep},
		h: func(t *testing.T) Handler {
			return at("unlink", true, func(st *Stop) { check(t, st.SetReturn(-int64(unix.EROFS))) })
		},
		want: "unlink: Read-only file system\n",
	}, {
		name: "result at exit",
		prog: "getpid",
		h: func(t *testing.T) Handler {
			return at("getpid", false, func(st *Stop) { check(t, st.SetReturn(42)) })
		},
		want: "42\n",
	}, {
		name: "inject at entry",
		prog: "getpid",
		h: func(t *testing.T) Handler {
			return at("getpid", true, func(st *Stop) {
				// getppid's result, in place of getpid's.
				ppid, err := st.Inject(nr(t, x64, "getppid"))
				check(t, err)
				if ppid != int64(os.Getpid()) {
					t.Errorf("injected getppid = %d, want %d", ppid, os.Getpid())
				}
				check(t, st.SetReturn(ppid))
			})
		},
		want: strconv.Itoa(os.Getpid()) + "\n",
	}, {
		name: "inject at exit",
		prog: "writes",
		h: func(t *testing.T) Handler {
			return at("write", false, func(st *Stop) {
				n, err := st.Inject(nr(t, x64, "write"), 1, st.t.call.Raw[1], 2)
				check(t, err)
				if n != 2 {
					t.Errorf("injected write = %d, want 2", n)
				}
			})
		},
		want: "hello\nherodata\nro",
	}, {
		name: "i386 inject and result",
		prog: "int80",
		h: func(t *testing.T) Handler {
			getpid := nr(t, i386, "getpid")
			return handlerFunc(func(ev *event.Event, st *Stop) Action {
				c := ev.Call
				if c == nil || c.Arch != i386 || c.Nr != getpid {
					return Continue
				}
				if ev.Kind == event.KindSyscallEntry {
					pid, err := st.Inject(getpid)
					check(t, err)
					if pid != int64(ev.PID) {
						t.Errorf("injected i386 getpid = %d, want %d", pid, ev.PID)
					}
				} else {
					check(t, st.SetReturn(-int64(unix.EPERM)))
				}
				return Continue
			})
		},
		want: "-1\n",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			prog := testtracee.Build(t, tc.prog)
			bothWays(t, func(t *testing.T) {
				if err := os.WriteFile(keep, nil, 0o644); err != nil {
					t.Fatal(err)
				}
				out, ws := trace(t, prog, tc.args, tc.h(t))
				if out != tc.want || ws.ExitStatus() > 1 {
					t.Errorf("program printed %q (status %#x), want %q", out, int(ws), tc.want)
				}
				if _, err := os.Stat(keep); err != nil {
					t.Errorf("a skipped call ran: %v", err)
				}
			})
		})
	}
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Error(err)
	}
}

func TestSetSyscallInfoIsUsed(t *testing.T) {
	var uts unix.Utsname
	if err := unix.Uname(&uts); err != nil {
		t.Fatal(err)
	}
	var major, minor int
	if _, err := fmt.Sscanf(unix.ByteSliceToString(uts.Release[:]), "%d.%d", &major, &minor); err != nil {
		t.Fatal(err)
	}
	if major < 6 || major == 6 && minor < 16 {
		t.Skipf("Linux %d.%d has no PTRACE_SET_SYSCALL_INFO", major, minor)
	}
	prog := testtracee.Build(t, "getpid")
	was := setInfoUnsupported.Load()
	defer setInfoUnsupported.Store(was)
	setInfoUnsupported.Store(false)
	out, _ := trace(t, prog, nil, at("getpid", false, func(st *Stop) { check(t, st.SetReturn(7)) }))
	if out != "7\n" || setInfoUnsupported.Load() {
		t.Errorf("printed %q; PTRACE_SET_SYSCALL_INFO unsupported: %v (want it used on Linux %d.%d)", out, setInfoUnsupported.Load(), major, minor)
	}
}
