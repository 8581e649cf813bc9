package decode

import (
	"strconv"
	"strings"
)

// Signal names of x86 Linux. Realtime signals are named as strace names
// them: 32 is SIGRTMIN, 33 SIGRT_1, and so on up to 64.
var signalNames = [...]string{
	1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP",
	6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1",
	11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM",
	16: "SIGSTKFLT", 17: "SIGCHLD", 18: "SIGCONT", 19: "SIGSTOP", 20: "SIGTSTP",
	21: "SIGTTIN", 22: "SIGTTOU", 23: "SIGURG", 24: "SIGXCPU", 25: "SIGXFSZ",
	26: "SIGVTALRM", 27: "SIGPROF", 28: "SIGWINCH", 29: "SIGIO", 30: "SIGPWR",
	31: "SIGSYS",
}

const (
	sigRTMin = 32
	sigRTMax = 64
)

// SignalName returns strace's name for signal number sig: "SIGINT",
// "SIGRT_3", or the number itself when it is not a signal.
func SignalName(sig int) string {
	switch {
	case sig > 0 && sig < len(signalNames):
		return signalNames[sig]
	case sig == sigRTMin:
		return "SIGRTMIN"
	case sig > sigRTMin && sig <= sigRTMax:
		return "SIGRT_" + strconv.Itoa(sig-sigRTMin)
	}
	return strconv.Itoa(sig)
}

// SignalByName returns the number of a signal given as "SIGINT", "INT",
// "SIGRT_3", "RTMIN+3" or a decimal number.
func SignalByName(name string) (int, bool) {
	if n, err := strconv.Atoi(name); err == nil {
		return n, n > 0 && n <= sigRTMax
	}
	if len(name) < 3 || name[:3] != "SIG" {
		name = "SIG" + name
	}
	for i := 1; i <= sigRTMax; i++ {
		if SignalName(i) == name {
			return i, true
		}
	}
	if rest, ok := strings.CutPrefix(name, "SIGRTMIN+"); ok {
		if n, err := strconv.Atoi(rest); err == nil && sigRTMin+n <= sigRTMax {
			return sigRTMin + n, true
		}
	}
	if name == "SIGIOT" {
		return 6, true
	}
	if name == "SIGPOLL" {
		return 29, true
	}
	return 0, false
}
