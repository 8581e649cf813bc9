// forks: a forking program for differential tests: a child that forks a
// grandchild, a vfork+exec child, and a child that exits while its own
// child lives on.
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
	pid_t p = fork();
	if (p == 0) {
		pid_t g = fork();
		if (g == 0) {
			getpid();
			_exit(2);
		}
		waitpid(g, NULL, 0);
		_exit(1);
	}
	waitpid(p, NULL, 0);
	pid_t v = vfork();
	if (v == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitpid(v, NULL, 0);
	int fds[2];
	pipe(fds);
	pid_t o = fork();
	if (o == 0) {
		// The child exits at once; its child outlives it and reports
		// through the pipe.
		if (fork() == 0) {
			usleep(20000);
			write(fds[1], "x", 1);
			_exit(0);
		}
		_exit(0);
	}
	waitpid(o, NULL, 0);
	char c;
	read(fds[0], &c, 1);
	return 0;
}
