/* counts makes a fixed set of syscalls, some failing, in two processes,
 * so strace -c and gtrace --summary can be compared call for call. */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	char buf[64];
	for (int i = 0; i < 5; i++)
		getpid();
	for (int i = 0; i < 3; i++)
		open("/nonexistent/counts", O_RDONLY); /* ENOENT */
	int fd = open("/proc/self/stat", O_RDONLY);
	while (read(fd, buf, sizeof buf) > 0)
		;
	close(fd);
	close(fd); /* EBADF */
	pid_t pid = fork();
	if (pid == 0) {
		write(1, "child\n", 6);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	waitpid(pid, NULL, 0); /* ECHILD */
	return 0;
}
