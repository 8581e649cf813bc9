// threads: a threaded program for differential tests: two threads each
// open, read and close a file, then the main thread joins them.
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

static void *worker(void *arg) {
	char buf[16];
	int fd = open((const char *)arg, O_RDONLY);
	if (fd >= 0) {
		read(fd, buf, sizeof buf);
		close(fd);
	}
	return NULL;
}

int main(void) {
	pthread_t a, b;
	pthread_create(&a, NULL, worker, "/etc/hostname");
	pthread_join(a, NULL);
	pthread_create(&b, NULL, worker, "/etc/passwd");
	pthread_join(b, NULL);
	write(1, "done\n", 5);
	return 0;
}
