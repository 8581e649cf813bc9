// manythreads: creates N threads (default 200), all alive at once: each
// makes one getppid() call, then waits at a barrier with the others; the
// main thread joins them all. Exits 0 only if every thread was created
// and joined.
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_barrier_t barrier;

static void *thread(void *arg) {
	(void)arg;
	syscall(SYS_getppid);
	pthread_barrier_wait(&barrier);
	return NULL;
}

int main(int argc, char **argv) {
	int n = argc > 1 ? atoi(argv[1]) : 200;
	if (n < 1 || n > 1000)
		return 2;
	pthread_t *t = calloc(n, sizeof *t);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN > 65536 ? PTHREAD_STACK_MIN : 65536);
	pthread_barrier_init(&barrier, NULL, n + 1);
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], &attr, thread, NULL) != 0)
			return 3;
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < n; i++)
		if (pthread_join(t[i], NULL) != 0)
			return 4;
	return 0;
}
