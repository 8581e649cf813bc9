/* 8 threads, each making N getppid and N write calls (N = argv[1],
 * default 10 000): a threaded syscall load for the bench scripts. */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static int devnull;
static int iterations = 10000;

static void *work(void *arg)
{
	for (int i = 0; i < iterations; i++) {
		getppid();
		write(devnull, "x", 1);
	}
	return arg;
}

int main(int argc, char **argv)
{
	pthread_t t[8];
	if (argc > 1)
		iterations = atoi(argv[1]);
	devnull = open("/dev/null", O_WRONLY);
	for (int i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, work, NULL);
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	return 0;
}
