/* decodefds: a descriptor of each kind --decode-fds tells apart: a
 * device, a pidfd, a socket, and a signalfd (which none of them names). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	int null = open("/dev/null", O_WRONLY);
	write(null, "x", 1);

	int pidfd = syscall(SYS_pidfd_open, getpid(), 0);
	close(pidfd);

	int sock = socket(AF_INET, SOCK_STREAM, 0);
	close(sock);

	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	int sfd = signalfd(-1, &mask, 0);
	close(sfd);

	close(null);
	return 0;
}
