/*
 * spin: the main thread and a second thread each make N getppid calls
 * (never selected by the tests) and one getpid; then, from a 64-bit
 * program, one i386 getpid through int $0x80 (i386 number 20). It fails
 * if a getpid fails.
 *
 * usage: spin N
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static long n;

static void *work(void *arg)
{
	(void)arg;
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	if (syscall(SYS_getpid) < 0)
		exit(4); /* the filter outlived its tracer */
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	n = atol(argv[1]);
	pthread_t t;
	if (pthread_create(&t, NULL, work, NULL) != 0)
		return 1;
	work(NULL);
	pthread_join(t, NULL);
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");
	return ret > 0 ? 0 : 3;
}
