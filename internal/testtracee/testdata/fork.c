/* Forks; parent and child each print what getpid returns. */
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
	pid_t child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		printf("child %ld\n", syscall(SYS_getpid));
		return 0;
	}
	int status;
	waitpid(child, &status, 0);
	printf("parent %ld\n", syscall(SYS_getpid));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
