// execthread: a non-leader thread calls execve while the main thread is
// blocked; the kernel gives the exec'ing thread the leader's pid.
#include <pthread.h>
#include <unistd.h>

static void *run(void *arg) {
	(void)arg;
	// Let the main thread reach pause() first, so that every run makes
	// the same calls.
	usleep(20000);
	execl("/bin/true", "true", (char *)NULL);
	return NULL;
}

int main(void) {
	pthread_t t;
	pthread_create(&t, NULL, run, NULL);
	pause();
	return 1;
}
