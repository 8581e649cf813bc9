// counts: 4 threads and 2 child processes each make a known number of
// getppid() calls, so a tracer can be checked for lost events.
// Usage: counts [N]  (default 1000 calls per task)
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long n = 1000;

static void calls(void) {
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
}

static void *thread(void *arg) {
	(void)arg;
	calls();
	return NULL;
}

int main(int argc, char **argv) {
	if (argc > 1)
		n = atol(argv[1]);
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, thread, NULL);
	pid_t kids[2];
	for (int i = 0; i < 2; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			calls();
			_exit(0);
		}
	}
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 2; i++)
		waitpid(kids[i], NULL, 0);
	return 0;
}
