// inet exercises TCP and UDP over IPv4 and IPv6 loopback in one process.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void) {
	int one = 1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof a;
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	bind(l, (struct sockaddr *)&a, sizeof a);
	listen(l, 16);
	getsockname(l, (struct sockaddr *)&a, &alen);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	struct linger lg = {1, 5};
	setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	struct timeval tv = {5, 0};
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	connect(c, (struct sockaddr *)&a, sizeof a);
	struct sockaddr_in peer;
	socklen_t plen = sizeof peer;
	int s = accept4(l, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC | SOCK_NONBLOCK);
	plen = sizeof peer;
	getpeername(c, (struct sockaddr *)&peer, &plen);
	int err;
	socklen_t elen = sizeof err;
	getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &elen);
	getsockopt(c, SOL_SOCKET, SO_TYPE, &err, &elen);
	elen = sizeof lg;
	getsockopt(c, SOL_SOCKET, SO_LINGER, &lg, &elen);
	sendto(c, "hello", 5, MSG_NOSIGNAL, NULL, 0);
	char buf[64];
	recvfrom(s, buf, sizeof buf, 0, NULL, NULL);
	struct iovec iov[2] = {{"ab", 2}, {"cde", 3}};
	struct msghdr mh = {.msg_iov = iov, .msg_iovlen = 2};
	sendmsg(s, &mh, 0);
	struct iovec riov[2] = {{buf, 1}, {buf + 1, 10}};
	struct msghdr rh = {.msg_iov = riov, .msg_iovlen = 2};
	recvmsg(c, &rh, 0);
	recvfrom(s, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL);
	shutdown(c, SHUT_WR);
	close(s);
	close(c);
	close(l);

	int u = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in ua = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	bind(u, (struct sockaddr *)&ua, sizeof ua);
	alen = sizeof ua;
	getsockname(u, (struct sockaddr *)&ua, &alen);
	sendto(u, "ping", 4, 0, (struct sockaddr *)&ua, sizeof ua);
	struct sockaddr_in from;
	socklen_t flen = sizeof from;
	recvfrom(u, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
	connect(u, (struct sockaddr *)&ua, sizeof ua);
	struct mmsghdr mm[2] = {{.msg_hdr = {.msg_iov = iov, .msg_iovlen = 1}}, {.msg_hdr = {.msg_iov = iov + 1, .msg_iovlen = 1}}};
	sendmmsg(u, mm, 2, 0);
	struct mmsghdr rm[2] = {{.msg_hdr = {.msg_iov = riov, .msg_iovlen = 1}}, {.msg_hdr = {.msg_iov = riov + 1, .msg_iovlen = 1}}};
	recvmmsg(u, rm, 2, MSG_DONTWAIT, NULL);
	close(u);

	int s6 = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
	setsockopt(s6, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT, .sin6_flowinfo = htonl(7)};
	bind(s6, (struct sockaddr *)&a6, sizeof a6);
	alen = sizeof a6;
	getsockname(s6, (struct sockaddr *)&a6, &alen);
	sendto(s6, "v6", 2, 0, (struct sockaddr *)&a6, sizeof a6);
	struct sockaddr_in6 f6;
	flen = sizeof f6;
	recvfrom(s6, buf, sizeof buf, 0, (struct sockaddr *)&f6, &flen);
	struct sockaddr_in6 ll = {.sin6_family = AF_INET6, .sin6_port = htons(9), .sin6_scope_id = 1};
	inet_pton(AF_INET6, "fe80::1", &ll.sin6_addr);
	connect(s6, (struct sockaddr *)&ll, sizeof ll);
	getsockopt(s6, IPPROTO_IPV6, IPV6_V6ONLY, &err, &elen);
	int t = 64;
	setsockopt(s6, IPPROTO_IP, IP_TTL, &t, sizeof t);
	close(s6);
	connect(-1, (struct sockaddr *)&a, sizeof a);
	bind(99, (struct sockaddr *)0x10, 16);
	return 0;
}
