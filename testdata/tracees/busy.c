/* Opens /etc/hostname, then keeps 4 threads making getppid calls until
 * it is killed: a tracer of it always has a stopped task to serve. */
#include <fcntl.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *spin(void *arg) {
	(void)arg;
	for (;;)
		syscall(SYS_getppid);
	return NULL;
}

int main(void) {
	close(open("/etc/hostname", O_RDONLY));
	pthread_t th[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, spin, NULL);
	spin(NULL);
	return 0;
}
