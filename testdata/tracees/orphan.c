// orphan: the parent forks a child and waits for it alone; the child
// forks a grandchild and exits at once, so the grandchild is reparented.
// The grandchild waits until the parent has exited too (end of file on a
// pipe only the parent writes to), sleeps 200 ms, writes
// "grandchild done" to stdout and exits 0: it outlives the whole program
// it belongs to.
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
	int fds[2];
	if (pipe(fds))
		return 1;
	pid_t c = fork();
	if (c < 0)
		return 1;
	if (c == 0) {
		close(fds[1]);
		pid_t g = fork();
		if (g < 0)
			_exit(1);
		if (g == 0) {
			char b;
			while (read(fds[0], &b, 1) > 0)
				;
			struct timespec ts = {0, 200000000};
			nanosleep(&ts, NULL);
			write(1, "grandchild done\n", 16);
			_exit(0);
		}
		_exit(0);
	}
	close(fds[0]);
	int st;
	if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 2;
	return 0;
}
