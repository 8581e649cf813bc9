// Package procfs reads what the tracing engines need to know about tasks
// from /proc: their threads, state and status fields.
package procfs

import (
	"errors"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// pfKthread is PF_KTHREAD in a task's flags: a kernel thread.
const pfKthread = 0x00200000

// Threads lists the thread ids of process pid; unix.ESRCH when there is
// no such process.
func Threads(pid int) ([]int, error) {
	entries, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, unix.ESRCH
		}
		return nil, err
	}
	tids := make([]int, 0, len(entries))
	for _, d := range entries {
		if tid, err := strconv.Atoi(d.Name()); err == nil {
			tids = append(tids, tid)
		}
	}
	return tids, nil
}

// StatFields reads the fields of a /proc stat file after the command
// name (which is in parentheses and may hold spaces): fields[0] is the
// state, fields[6] the flags, fields[49] the exit code.
func StatFields(path string) ([]string, bool) {
	stat, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	rest := string(stat)
	if i := strings.LastIndexByte(rest, ')'); i >= 0 {
		rest = rest[i+1:]
	}
	return strings.Fields(rest), true
}

// State says what a process is: ok false when it does not exist, zombie
// when it has exited (or is dying), kernel when it is a kernel thread.
func State(pid int) (ok, zombie, kernel bool) {
	fields, ok := StatFields("/proc/" + strconv.Itoa(pid) + "/stat")
	if !ok || len(fields) < 7 {
		return false, false, false
	}
	flags, _ := strconv.ParseUint(fields[6], 10, 64)
	return true, fields[0] == "Z" || fields[0] == "X", flags&pfKthread != 0
}

// StatusField reads a numeric field of /proc/TID/status ("TracerPid:"),
// 0 if absent.
func StatusField(tid int, name string) int {
	status, err := os.ReadFile("/proc/" + strconv.Itoa(tid) + "/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, name); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return 0
}
