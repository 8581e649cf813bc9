/* A thread prints what gettid returns, then the main thread does. */
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *run(void *arg) {
	(void)arg;
	printf("thread %ld\n", syscall(SYS_gettid));
	return NULL;
}

int main(void) {
	pthread_t th;
	if (pthread_create(&th, NULL, run, NULL) != 0)
		return 1;
	pthread_join(th, NULL);
	printf("main %ld\n", syscall(SYS_gettid));
	return 0;
}
