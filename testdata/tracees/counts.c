// counts: threads and child processes each make a known number of
// getppid() calls, so a tracer can be checked for lost events.
// Usage: counts [N [THREADS [PROCS]]]  (defaults: 1000 calls per task,
// 4 threads, 2 child processes)
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
	int nthreads = 4, nprocs = 2;
	if (argc > 1)
		n = atol(argv[1]);
	if (argc > 2)
		nthreads = atoi(argv[2]);
	if (argc > 3)
		nprocs = atoi(argv[3]);
	if (nthreads < 0 || nthreads > 256 || nprocs < 0 || nprocs > 256)
		return 2;
	pthread_t t[256];
	for (int i = 0; i < nthreads; i++)
		if (pthread_create(&t[i], NULL, thread, NULL) != 0)
			return 3;
	pid_t kids[256];
	for (int i = 0; i < nprocs; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			return 4;
		if (kids[i] == 0) {
			calls();
			_exit(0);
		}
	}
	int rc = 0;
	for (int i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < nprocs; i++) {
		int st;
		if (waitpid(kids[i], &st, 0) != kids[i] || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			rc = 5;
	}
	return rc;
}
