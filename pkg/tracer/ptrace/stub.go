package ptrace

import (
	"fmt"
	"os"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/gtrace/gtrace/pkg/decode"
)

// gtrace starts programs through a re-exec of its own binary: the stub
// stops itself so the engine can PTRACE_SEIZE it, then (optionally)
// installs a seccomp filter and execs the program. The program's own
// execve is thus the first call the engine sees, as strace shows it.
//
// The stub is recognised by argv[0] in an init function, so it runs before
// main in any binary that imports this package: gtrace itself, library
// users' programs and test binaries alike.
const (
	stubArg0 = "gtrace:spawn-stub"
	// wakeArg0 marks a process started only to end when told: its exit
	// wakes an engine blocked in wait4 (see wake.go).
	wakeArg0 = "gtrace:wake"
	// stubVersion guards against a stub from another gtrace build.
	stubVersion = "1"
	// stubGodebug comes first in the stub's environment, where the Go
	// runtime looks, and is dropped before the exec. Without it the
	// runtime may preempt the stub with a SIGURG sent to its own thread,
	// still pending at the exec and so delivered to the program.
	stubGodebug = "GODEBUG=asyncpreemptoff=1"
)

func init() {
	if len(os.Args) == 0 {
		return
	}
	switch os.Args[0] {
	case stubArg0:
		os.Exit(runStub(os.Args[1:]))
	case wakeArg0:
		runWaker(os.Args[1:])
		os.Exit(0)
	}
}

// stubArgv builds the stub's argv: version, filter spec, program path,
// program argv.
func stubArgv(filter, path string, argv []string) []string {
	if filter == "" {
		filter = "-"
	}
	return append([]string{stubArg0, stubVersion, filter, path}, argv...)
}

// stubPrelude, when set, runs in the stub once it has been seized and
// continued. Tests set it to make the stub's runtime start threads, as
// it may on its own on a busy machine.
var stubPrelude func()

// installFilter installs the seccomp filter described by spec in the
// stub, just before exec. It is set by the seccomp support.
var installFilter func(spec string) error

// runStub runs in the re-executed child, on its main thread (the runtime
// keeps init on the main thread, whose tid is the pid the engine seizes).
func runStub(args []string) int {
	if len(args) < 4 || args[0] != stubVersion {
		fmt.Fprintln(os.Stderr, "gtrace: internal error: bad spawn stub arguments")
		return 127
	}
	filter, path, argv := args[1], args[2], args[3:]
	// Stop until the engine has seized us and sent SIGCONT.
	if err := unix.Kill(unix.Getpid(), unix.SIGSTOP); err != nil {
		fmt.Fprintln(os.Stderr, "gtrace: spawn stub:", err)
		return 127
	}
	if stubPrelude != nil {
		stubPrelude()
	}
	if filter != "-" && installFilter != nil {
		if err := installFilter(filter); err != nil {
			fmt.Fprintln(os.Stderr, "gtrace: seccomp:", err)
			return 127
		}
	}
	err := syscall.Exec(path, argv, programEnv())
	msg := err.Error()
	if e, ok := err.(syscall.Errno); ok && decode.ErrnoMessage(int(e)) != "" {
		msg = decode.ErrnoMessage(int(e))
	}
	fmt.Fprintf(os.Stderr, "gtrace: exec: %s\n", msg)
	return 1
}

// programEnv is the environment the stub was given, less stubGodebug.
// It is read from /proc as it came, duplicate names included, which
// os.Environ would drop.
func programEnv() []string {
	env := os.Environ()
	if raw, err := os.ReadFile("/proc/self/environ"); err == nil {
		env = strings.Split(strings.TrimSuffix(string(raw), "\x00"), "\x00")
		if len(raw) == 0 {
			env = nil
		}
	}
	if len(env) > 0 && env[0] == stubGodebug {
		env = env[1:]
	}
	return env
}
