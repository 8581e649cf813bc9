/*
 * syscalls: two threads, each making N non-network syscalls (getppid,
 * which the kernel answers at once, so the tracer's cost dominates) and
 * one socket() call. Traced with a network filter, only the two socket()
 * calls and their threads' lifecycle should cost anything.
 *
 * usage: syscalls [N]   (default 300000)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static long n = 300000;

static void *work(void *arg)
{
	(void)arg;
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd >= 0)
		close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		n = atol(argv[1]);
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, work, NULL) != 0)
			return 1;
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return 0;
}
