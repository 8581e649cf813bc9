// debugger: a program that acts as a debugger and prints what ptrace
// answered (return value and errno name), for tests that run it under a
// tracer: PTRACE_TRACEME in the process itself, PTRACE_TRACEME in a
// forked child, then PTRACE_ATTACH, PTRACE_SEIZE and PTRACE_CONT on that
// child from the parent. SIGCHLD is blocked so that no signal (which a
// successful PTRACE_TRACEME would turn into a stop) depends on timing.
// The output is written in a fixed order; the exit status is 0.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *errname(int e) {
	switch (e) {
	case 0:
		return "0";
	case EPERM:
		return "EPERM";
	case ESRCH:
		return "ESRCH";
	case EINVAL:
		return "EINVAL";
	case EIO:
		return "EIO";
	}
	return strerror(e);
}

static void report(const char *who, const char *what, long r) {
	dprintf(1, "%s: %s = %ld (%s)\n", who, what, r, r < 0 ? errname(errno) : "0");
}

int main(void) {
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);

	errno = 0;
	report("parent", "PTRACE_TRACEME", ptrace(PTRACE_TRACEME, 0, 0, 0));

	int ready[2], go[2];
	if (pipe(ready) || pipe(go))
		return 1;
	pid_t c = fork();
	if (c < 0)
		return 1;
	if (c == 0) {
		close(go[1]);
		errno = 0;
		report("child", "PTRACE_TRACEME", ptrace(PTRACE_TRACEME, 0, 0, 0));
		write(ready[1], "x", 1);
		char b;
		read(go[0], &b, 1); // until the parent closes it
		_exit(0);
	}
	close(go[0]);
	char b;
	if (read(ready[0], &b, 1) != 1)
		return 1;
	errno = 0;
	report("parent", "PTRACE_ATTACH child", ptrace(PTRACE_ATTACH, c, 0, 0));
	errno = 0;
	report("parent", "PTRACE_SEIZE child", ptrace(PTRACE_SEIZE, c, 0, 0));
	errno = 0;
	report("parent", "PTRACE_CONT child", ptrace(PTRACE_CONT, c, 0, 0));
	close(go[1]);
	int st;
	if (waitpid(c, &st, 0) != c)
		return 1;
	dprintf(1, "parent: child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
