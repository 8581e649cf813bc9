// leaderexit: the main thread exits with pthread_exit while another
// thread goes on making calls: the leader is a zombie until the process
// ends.
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *worker(void *arg) {
	(void)arg;
	usleep(20000);
	for (int i = 0; i < 5; i++)
		syscall(SYS_getppid);
	write(1, "worker done\n", 12);
	return NULL;
}

int main(void) {
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_exit(NULL);
}
