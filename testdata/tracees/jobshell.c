// jobshell: a minimal job-control shell for terminal tests. Started as
// the session leader of a terminal (its stdin), it runs argv[1..] as a
// job in a process group of its own, which it makes the terminal's
// foreground group as a shell does, so that the terminal's ^Z stops the
// job (the group is not orphaned: its parent is in the session). When the
// job stops it writes "jobshell: job stopped by signal N" to stderr, as a
// shell reports it, but does not continue it (whoever runs the test
// does). It exits with the job's exit status (128+N if signal N killed
// it).
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

// foreground makes the calling process's group the terminal's foreground
// group; from a background group that needs SIGTTOU ignored.
static void foreground(void) {
	signal(SIGTTOU, SIG_IGN);
	tcsetpgrp(0, getpgrp());
	signal(SIGTTOU, SIG_DFL);
}

int main(int argc, char **argv) {
	if (argc < 2)
		return 2;
	pid_t job = fork();
	if (job < 0)
		return 3;
	if (job == 0) {
		setpgid(0, 0);
		foreground();
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	// Both set the group, whichever runs first (as shells do).
	setpgid(job, job);
	int st;
	for (;;) {
		if (waitpid(job, &st, WUNTRACED) < 0) {
			if (errno == EINTR)
				continue;
			return 4;
		}
		if (!WIFSTOPPED(st))
			break;
		dprintf(2, "jobshell: job stopped by signal %d\n", WSTOPSIG(st));
	}
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}
