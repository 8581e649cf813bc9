/* Four threads each open, read and close a file and sleep a little, so
 * that a trace shows threads making calls side by side. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static void *work(void *arg)
{
	char buf[64];
	struct timespec ts = {0, 1000000};
	for (int i = 0; i < 5; i++) {
		int fd = open("/etc/hostname", O_RDONLY);
		if (fd >= 0) {
			read(fd, buf, sizeof buf);
			close(fd);
		}
		nanosleep(&ts, NULL);
	}
	return arg;
}

int main(void)
{
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, work, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	write(1, "threads done\n", 13);
	return 0;
}
