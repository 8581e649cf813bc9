/* quiet: what strace's quiet= names keep quiet: a child that attaches
 * and exits, and a thread that calls execve (the leader is superseded). */
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

static void *exec_true(void *arg)
{
	execl("/bin/true", "true", (char *)0);
	return arg;
}

int main(void)
{
	pthread_t t;

	if (fork() == 0)
		_exit(3);
	wait(0);
	pthread_create(&t, 0, exec_true, 0);
	pthread_join(t, 0);
	return 2;
}
