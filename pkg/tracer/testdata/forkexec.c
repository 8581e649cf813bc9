/* Starts a program N times (argv[1], default 20), each time forking a
 * child that execs /bin/true and waiting for it. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20;
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		int status;
		waitpid(pid, &status, 0);
	}
	return 0;
}
