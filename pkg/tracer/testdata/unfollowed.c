/* unfollowed: calls getpid once itself, then in a child and in a thread,
 * which a tracer without -f does not trace. Exits 1 if the child's getpid
 * fails, 2 if the thread's does. */
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void *thread(void *arg)
{
	return syscall(SYS_getpid) < 0 ? arg : NULL;
}

int main(void)
{
	syscall(SYS_getpid);
	pid_t p = fork();
	if (p == 0)
		_exit(syscall(SYS_getpid) < 0);
	int status;
	waitpid(p, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return 1;
	pthread_t t;
	void *failed;
	pthread_create(&t, NULL, thread, (void *)1);
	pthread_join(t, &failed);
	return failed ? 2 : 0;
}
