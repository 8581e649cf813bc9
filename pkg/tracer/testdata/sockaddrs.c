/* sockaddrs: passes socket addresses to the kernel: binds a TCP socket to
 * 127.0.0.1 port 0, connects it to port 1 (refused), and sends a UDP
 * datagram to 127.0.0.1 port 9. Then gets them back from it: the address
 * of a UDP socket bound to port 0 (getsockname), and the sender of a
 * datagram sent to it (recvfrom). */
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

	int r = socket(AF_INET, SOCK_DGRAM, 0);
	a.sin_port = 0;
	bind(r, (struct sockaddr *)&a, sizeof a);
	struct sockaddr_storage out;
	socklen_t len = sizeof out;
	getsockname(r, (struct sockaddr *)&out, &len);
	sendto(u, "y", 1, 0, (struct sockaddr *)&out, len);
	char buf[4];
	len = sizeof out;
	recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&out, &len);
	close(r);
	close(u);
	return 0;
}
