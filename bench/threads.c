/* 8 threads, each making 20 000 getppid and write calls: a threaded
 * syscall load for bench/ebpf.sh. */
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

static int devnull;

static void *work(void *arg)
{
	for (int i = 0; i < 10000; i++) {
		getppid();
		write(devnull, "x", 1);
	}
	return arg;
}

int main(void)
{
	pthread_t t[8];
	devnull = open("/dev/null", O_WRONLY);
	for (int i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, work, NULL);
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	return 0;
}
