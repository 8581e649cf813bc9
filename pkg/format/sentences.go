package format

import (
	"strconv"

	"github.com/gtrace/gtrace/pkg/decode"
	"github.com/gtrace/gtrace/pkg/event"
	"github.com/gtrace/gtrace/pkg/resource"
)

// Severity is how much a call deserves attention, after hstrace's
// CallMode.
type Severity uint8

const (
	Info Severity = iota
	// Warning: the call failed, or changes files' names, modes or
	// owners.
	Warning
	// Danger: the call destroys data, signals other processes, or
	// changes the system (unlink, kill, ptrace, mount, ...).
	Danger
)

var severityNames = [...]string{Info: "info", Warning: "warning", Danger: "danger"}

func (s Severity) String() string { return severityNames[s] }

// severities marks calls by what they can do, whatever their outcome.
var severities = map[string]Severity{}

func init() {
	for _, n := range []string{
		"unlink", "unlinkat", "rmdir", "kill", "tkill", "tgkill", "rt_sigqueueinfo",
		"rt_tgsigqueueinfo", "pidfd_send_signal", "ptrace", "process_vm_writev", "mount",
		"umount2", "move_mount", "fsmount", "pivot_root", "chroot", "reboot", "kexec_load",
		"kexec_file_load", "init_module", "finit_module", "delete_module", "swapon", "swapoff",
		"settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "sethostname",
		"setdomainname", "acct", "quotactl", "iopl", "ioperm",
	} {
		severities[n] = Danger
	}
	for _, n := range []string{
		"rename", "renameat", "renameat2", "chmod", "fchmod", "fchmodat", "fchmodat2",
		"chown", "fchown", "lchown", "fchownat", "truncate", "ftruncate", "setuid",
		"setgid", "setreuid", "setregid", "setresuid", "setresgid", "setgroups", "capset",
		"setns", "unshare", "bpf", "prctl", "personality", "seccomp", "setrlimit",
		"prlimit64", "link", "linkat", "symlink", "symlinkat", "mknod", "mknodat",
	} {
		severities[n] = Warning
	}
}

// severityOf rates a finished call.
func severityOf(c *event.Call) Severity {
	s := severities[c.Name]
	if c.Failed() && s < Warning {
		s = Warning
	}
	switch {
	case c.Name == "kill" && c.Raw[1] == 0:
		s = Info // kill(pid, 0) only asks whether pid exists
	case c.Name == "prlimit64" && c.Raw[2] == 0 && !c.Failed():
		s = Info // no new limit: it only reads one
	}
	return s
}

// sentence is one call in plain words; rd is the call being described.
type sentence func(rd *reader)

// sentences describe the calls people meet most; others print as
// "call name(args)".
var sentences = map[string]sentence{}

func init() {
	for _, n := range []string{"open", "openat", "openat2", "creat"} {
		sentences[n] = sayOpen
	}
	for _, n := range []string{"read", "pread64", "readv", "preadv", "preadv2"} {
		sentences[n] = func(rd *reader) { rd.say("read from ").fdArg(0).data(1, ": ") }
	}
	for _, n := range []string{"write", "pwrite64", "writev", "pwritev", "pwritev2"} {
		sentences[n] = func(rd *reader) { rd.say("write ").data(1, "").say(" to ").fdArg(0) }
	}
	for _, n := range []string{"stat", "lstat", "stat64", "lstat64", "newfstatat", "fstatat64", "statx", "statfs"} {
		sentences[n] = func(rd *reader) { rd.say("get the status of ").pathOrFD() }
	}
	for _, n := range []string{"fstat", "fstat64", "fstatfs"} {
		sentences[n] = func(rd *reader) { rd.say("get the status of ").fdArg(0) }
	}
	for _, n := range []string{"access", "faccessat", "faccessat2"} {
		sentences[n] = func(rd *reader) { rd.say("check access to ").pathOrFD() }
	}
	for _, n := range []string{"unlink", "unlinkat"} {
		sentences[n] = func(rd *reader) { rd.say("delete ").pathOrFD() }
	}
	for _, n := range []string{"mkdir", "mkdirat"} {
		sentences[n] = func(rd *reader) { rd.say("create the directory ").pathOrFD() }
	}
	for _, n := range []string{"chmod", "fchmodat", "fchmodat2"} {
		sentences[n] = func(rd *reader) { rd.say("change the mode of ").pathOrFD() }
	}
	for _, n := range []string{"readlink", "readlinkat"} {
		sentences[n] = func(rd *reader) { rd.say("read the symbolic link ").pathOrFD() }
	}
	for _, n := range []string{"rename", "renameat", "renameat2"} {
		sentences[n] = func(rd *reader) { rd.say("rename ").nthPath(0).say(" to ").nthPath(1) }
	}
	for _, n := range []string{"dup", "dup2", "dup3"} {
		sentences[n] = func(rd *reader) { rd.say("duplicate ").fdArg(0) }
	}
	for _, n := range []string{"clone", "clone3", "fork", "vfork"} {
		sentences[n] = sayClone
	}
	for _, n := range []string{"exit", "exit_group"} {
		sentences[n] = func(rd *reader) { rd.say("exit with status ").num(int64(int32(rd.c.Raw[0]))) }
	}
	for _, n := range []string{"kill", "tkill", "tgkill"} {
		sentences[n] = sayKill
	}
	for _, n := range []string{"sendto", "sendmsg"} {
		sentences[n] = func(rd *reader) { rd.say("send ").data(1, "").say(" on ").fdArg(0) }
	}
	for _, n := range []string{"recvfrom", "recvmsg"} {
		sentences[n] = func(rd *reader) { rd.say("receive on ").fdArg(0).data(1, ": ") }
	}
	for _, n := range []string{"accept", "accept4"} {
		sentences[n] = func(rd *reader) { rd.say("accept a connection on ").fdArg(0) }
	}
	for _, n := range []string{"mmap", "mmap2"} {
		sentences[n] = sayMmap
	}
	for _, n := range []string{"getpid", "getppid", "gettid", "getuid", "geteuid", "getgid", "getegid"} {
		sentences[n] = func(rd *reader) { rd.say("get the ").say(idNames[rd.c.Name]) }
	}
	for _, n := range []string{"nanosleep", "clock_nanosleep"} {
		sentences[n] = func(rd *reader) { rd.say("sleep") }
	}
	sentences["close"] = func(rd *reader) { rd.say("close ").fdArg(0) }
	sentences["lseek"] = func(rd *reader) { rd.say("move the offset of ").fdArg(0) }
	sentences["rmdir"] = func(rd *reader) { rd.say("remove the directory ").pathOrFD() }
	sentences["chdir"] = func(rd *reader) { rd.say("change directory to ").pathOrFD() }
	sentences["fchdir"] = func(rd *reader) { rd.say("change directory to ").fdArg(0) }
	sentences["getcwd"] = func(rd *reader) { rd.say("get the current directory") }
	sentences["getdents64"] = func(rd *reader) { rd.say("list the directory ").fdArg(0) }
	sentences["ioctl"] = func(rd *reader) { rd.say("control the device ").fdArg(0) }
	sentences["fcntl"] = func(rd *reader) { rd.say("change the settings of ").fdArg(0) }
	sentences["pipe"] = func(rd *reader) { rd.say("create a pipe") }
	sentences["pipe2"] = func(rd *reader) { rd.say("create a pipe") }
	sentences["execve"] = func(rd *reader) { rd.say("run ").nthPath(0).argv() }
	sentences["execveat"] = func(rd *reader) { rd.say("run ").nthPath(0).argv() }
	sentences["wait4"] = sayWait
	sentences["socket"] = saySocket
	sentences["connect"] = func(rd *reader) { rd.say("connect ").fdArg(0).say(" to ").addr(1) }
	sentences["bind"] = func(rd *reader) { rd.say("bind ").fdArg(0).say(" to ").addr(1) }
	sentences["listen"] = func(rd *reader) { rd.say("listen for connections on ").fdArg(0) }
	sentences["shutdown"] = func(rd *reader) { rd.say("shut down ").fdArg(0) }
	sentences["munmap"] = func(rd *reader) {
		rd.say("unmap ").num(int64(rd.c.Raw[1])).say(" bytes at ").hex(rd.c.Raw[0])
	}
	sentences["mprotect"] = func(rd *reader) {
		rd.say("change the protection of ").num(int64(rd.c.Raw[1])).say(" bytes at ").hex(rd.c.Raw[0])
	}
	sentences["brk"] = func(rd *reader) {
		if rd.c.Raw[0] == 0 {
			rd.say("find the end of the heap")
			return
		}
		rd.say("move the end of the heap to ").hex(rd.c.Raw[0])
	}
	sentences["rt_sigaction"] = func(rd *reader) { rd.say("set the handler of ").signal(0) }
	sentences["rt_sigprocmask"] = func(rd *reader) { rd.say("change the blocked signals") }
	sentences["rt_sigreturn"] = func(rd *reader) { rd.say("return from a signal handler") }
	sentences["ptrace"] = func(rd *reader) { rd.say("trace or control another process") }
	sentences["mount"] = func(rd *reader) { rd.say("mount ").nthPath(0).say(" on ").nthPath(1) }
	sentences["umount2"] = func(rd *reader) { rd.say("unmount ").nthPath(0) }
}

var idNames = map[string]string{
	"getpid": "process id", "getppid": "parent's process id", "gettid": "thread id",
	"getuid": "user id", "geteuid": "effective user id", "getgid": "group id",
	"getegid": "effective group id",
}

const (
	oAccmode   = 3
	oCreatFlag = 0o100
	oTruncFlag = 0o1000
	oAppend    = 0o2000
	oDirectory = 0o200000
	oPathFlag  = 0o10000000
	cloneThr   = 0x10000
)

func sayOpen(rd *reader) {
	flags := rd.c.Raw[1]
	switch rd.c.Name {
	case "openat":
		flags = rd.c.Raw[2]
	case "creat":
		flags = 0o1101 // O_WRONLY|O_CREAT|O_TRUNC
	case "openat2":
		flags = 0
	}
	switch {
	case flags&oPathFlag != 0:
		rd.say("find ").pathOrFD()
		return
	case flags&oDirectory != 0:
		rd.say("open the directory ").pathOrFD()
		return
	}
	rd.say("open ").pathOrFD()
	switch flags & oAccmode {
	case 0:
		rd.say(" for reading")
	case 1:
		rd.say(" for writing")
	case 2:
		rd.say(" for reading and writing")
	}
	if flags&oCreatFlag != 0 {
		rd.say(", creating it")
	}
	if flags&oTruncFlag != 0 {
		rd.say(", emptying it")
	}
	if flags&oAppend != 0 {
		rd.say(", appending")
	}
}

func sayClone(rd *reader) {
	if rd.c.Name == "clone" && rd.c.Raw[0]&cloneThr != 0 {
		rd.say("start a thread")
		return
	}
	rd.say("start a child process")
}

func sayKill(rd *reader) {
	target, sig := int64(int32(rd.c.Raw[0])), rd.c.Raw[1]
	what := "process "
	if rd.c.Name == "tgkill" {
		target, sig = int64(int32(rd.c.Raw[1])), rd.c.Raw[2]
	}
	if rd.c.Name != "kill" {
		what = "thread "
	}
	if sig == 0 {
		rd.say("check that ").say(what).num(target).say(" exists")
		return
	}
	rd.say("send ").say(decode.SignalName(int(sig))).say(" to ")
	switch {
	case rd.c.Name == "kill" && target == -1:
		rd.say("every process it may signal")
	case rd.c.Name == "kill" && target < 0:
		rd.say("process group ").num(-target)
	default:
		rd.say(what).num(target)
	}
}

func sayWait(rd *reader) {
	pid := int64(int32(rd.c.Raw[0]))
	switch {
	case pid == -1:
		rd.say("wait for any child")
	case pid > 0:
		rd.say("wait for child ").num(pid)
	default:
		rd.say("wait for a child in process group ").num(-pid)
	}
}

func saySocket(rd *reader) {
	_, typ, proto := resource.DescribeSocket(rd.c.Raw[0], rd.c.Raw[1])
	rd.say("create a ").say(proto).say(" socket (").say(typ).say(")")
}

func sayMmap(rd *reader) {
	rd.say("map ").num(int64(rd.c.Raw[1])).say(" bytes of ")
	if rd.c.Raw[3]&0x20 != 0 { // MAP_ANONYMOUS
		rd.say("memory")
		return
	}
	rd.fdArg(4)
}

// outcome appends the result of a successful call in words: "fd 3",
// "12 bytes", "pid 42".
func (rd *reader) outcome() {
	c := rd.c
	switch c.Name {
	case "open", "openat", "openat2", "creat", "socket", "accept", "accept4", "dup", "dup2",
		"dup3", "epoll_create", "epoll_create1", "eventfd", "eventfd2", "memfd_create",
		"timerfd_create", "signalfd4", "inotify_init1", "pidfd_open":
		// The sentence said what the new descriptor is; what the number
		// referred to before the call is no longer true.
		rd.bareFD(int(int32(c.Ret)))
	case "read", "pread64", "readv", "preadv", "preadv2", "write", "pwrite64", "writev",
		"pwritev", "pwritev2", "sendto", "sendmsg", "recvfrom", "recvmsg", "sendfile",
		"copy_file_range", "splice", "getdents64":
		if c.Ret == 0 && !isWrite(c.Name) {
			rd.say("end of file")
			return
		}
		rd.num(c.Ret).say(" byte")
		if c.Ret != 1 {
			rd.say("s")
		}
	case "clone", "clone3", "fork", "vfork", "wait4":
		rd.say("pid ").num(c.Ret)
	case "mmap", "mmap2":
		rd.say("at ").hex(uint64(c.Ret))
	case "lseek":
		rd.say("offset ").num(c.Ret)
	case "getpid", "getppid", "gettid", "getuid", "geteuid", "getgid", "getegid":
		rd.num(c.Ret)
	case "pipe", "pipe2", "getcwd", "readlink", "readlinkat":
		if len(c.Args) > 0 {
			rd.b = c.Args[rd.outArg()].Val.AppendStrace(rd.b, rd.style)
			return
		}
		rd.say("ok")
	default:
		if c.Ret == 0 {
			rd.say("ok")
			return
		}
		rd.b = c.RetVal.AppendStrace(rd.b, rd.style)
	}
}

func isWrite(name string) bool {
	switch name {
	case "write", "pwrite64", "writev", "pwritev", "pwritev2", "sendto", "sendmsg",
		"sendfile", "copy_file_range", "splice":
		return true
	}
	return false
}

// errorWords are short plain names for the errors people meet most.
var errorWords = map[string]string{
	"ENOENT": "not found", "EACCES": "permission denied", "EPERM": "not permitted",
	"ECONNREFUSED": "refused", "EAGAIN": "would block", "EINTR": "interrupted",
	"EEXIST": "already exists", "EBADF": "bad descriptor", "EINVAL": "invalid argument",
	"ENOTDIR": "not a directory", "EISDIR": "is a directory", "ENOSYS": "not implemented",
	"ECHILD": "no child to wait for", "ETIMEDOUT": "timed out", "EPIPE": "broken pipe",
	"ENOTTY": "not a terminal", "EINPROGRESS": "in progress", "ESPIPE": "not seekable",
	"EADDRINUSE": "address in use", "ENOTEMPTY": "not empty", "EROFS": "read-only file system",
	"ENOSPC": "no space left", "EBUSY": "busy", "ESRCH": "no such process",
}

// failure appends a failed call's result and, for common errors, a hint.
func (rd *reader) failure() {
	name := errnoName(rd.c.Errno)
	words := errorWords[name]
	if words == "" {
		words = decode.ErrnoMessage(int(rd.c.Errno))
	}
	rd.b = rd.pal.open(rd.b, event.TokError)
	rd.say(words).say(" (").say(name).say(")")
	rd.b = rd.pal.close(rd.b, event.TokError)
	path := rd.firstPath()
	switch name {
	case "ENOENT":
		if path != nil && !rd.shows(path) {
			rd.say(": there is no ").pathValue(path)
		} else {
			rd.say(": no such file or directory")
		}
	case "EACCES":
		if path != nil {
			rd.say(": check the permissions of ").pathValue(path).say(" and its directories")
		}
	case "EPERM":
		rd.say(": this needs privileges (root or a capability)")
	case "ECONNREFUSED":
		rd.say(": nothing is listening at ").addr(1)
	case "EEXIST":
		if path != nil {
			rd.say(": ").pathValue(path).say(" exists already")
		}
	case "EBADF":
		rd.say(": the descriptor is not open")
	case "EADDRINUSE":
		rd.say(": another socket is bound to ").addr(1)
	}
}

// signal appends the signal in register i by name.
func (rd *reader) signal(i int) *reader {
	return rd.say(decode.SignalName(int(rd.c.Raw[i])))
}

// hex appends an address.
func (rd *reader) hex(v uint64) *reader {
	rd.b = rd.pal.open(rd.b, event.TokPointer)
	rd.b = event.AppendHex(rd.b, v)
	rd.b = rd.pal.close(rd.b, event.TokPointer)
	return rd
}

// num appends a number.
func (rd *reader) num(n int64) *reader {
	rd.b = rd.pal.open(rd.b, event.TokNumber)
	rd.b = strconv.AppendInt(rd.b, n, 10)
	rd.b = rd.pal.close(rd.b, event.TokNumber)
	return rd
}
