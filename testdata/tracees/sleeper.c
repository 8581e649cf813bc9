// sleeper: a multi-threaded process that runs until killed, for attach
// tests. Each of its threads counts in a shared counter; the main thread
// writes the counter to the file named in argv[1] every 10 ms, so a test
// can see the process is still making progress.
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static volatile long counter;

static void *spin(void *arg) {
	(void)arg;
	struct timespec ts = {0, 2000000};
	for (;;) {
		__sync_fetch_and_add(&counter, 1);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

int main(int argc, char **argv) {
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, spin, NULL);
	struct timespec ts = {0, 10000000};
	for (;;) {
		if (argc > 1) {
			FILE *f = fopen(argv[1], "w");
			if (f) {
				fprintf(f, "%ld\n", counter);
				fclose(f);
			}
		}
		nanosleep(&ts, NULL);
	}
}
