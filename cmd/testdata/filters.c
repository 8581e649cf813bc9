/*
 * filters: a little of everything the filter tests select on. It opens
 * the file named by argv[1] (creating it), dups it three ways, reads,
 * fstats and closes it, fails a few calls, makes a socket, signals itself
 * (SIGUSR1 caught, SIGUSR2 ignored) and exits.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void on_usr1(int sig) { (void)sig; }

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	char buf[16];
	struct stat st;
	struct statfs sfs;
	int fd = open(argv[1], O_RDWR | O_CREAT, 0644);
	if (fd < 0)
		return 1;
	write(fd, "hello", 5);
	int d1 = dup(fd);
	int d2 = fcntl(fd, F_DUPFD, 10);
	dup2(fd, 20);
	lseek(d1, 0, SEEK_SET);
	read(d2, buf, sizeof buf);
	syscall(SYS_fstat, 20, &st);
	syscall(SYS_stat, argv[1], &st);
	syscall(SYS_lstat, argv[1], &st);
	statfs(argv[1], &sfs);
	fstatfs(fd, &sfs);
	close(d1);
	close(d2);
	close(20);
	close(fd);
	read(fd, buf, 1);                     /* EBADF */
	open("/nonexistent/gtrace", O_RDONLY); /* ENOENT */
	access(argv[1], R_OK);
	getpid();
	syscall(SYS_getuid);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts); /* vDSO: no syscall */
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	close(s);
	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, SIG_IGN);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR2);
	unlink(argv[1]);
	return 0;
}
