/* sockaddrs: passes socket addresses to the kernel: binds a TCP socket to
 * 127.0.0.1 port 0, connects it to port 1 (refused), and sends a UDP
 * datagram to 127.0.0.1 port 9. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	bind(s, (struct sockaddr *)&a, sizeof a);
	a.sin_port = htons(1);
	connect(s, (struct sockaddr *)&a, sizeof a);
	close(s);
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	a.sin_port = htons(9);
	sendto(u, "x", 1, 0, (struct sockaddr *)&a, sizeof a);
	close(u);
	return 0;
}
