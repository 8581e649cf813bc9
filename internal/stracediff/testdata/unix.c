// unix exercises AF_UNIX sockets: socketpair, SCM_RIGHTS, SCM_CREDENTIALS,
// a named address (argv[1]) and an abstract one (argv[2]); and AF_NETLINK
// and AF_PACKET addresses.
#define _GNU_SOURCE
#include <linux/netlink.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <fcntl.h>

int main(int argc, char **argv) {
	if (argc < 3)
		return 2;
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	int one = 1;
	setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
	int fds[2] = {0, 1};
	char cbuf[CMSG_SPACE(sizeof fds) + CMSG_SPACE(sizeof(struct ucred))];
	memset(cbuf, 0, sizeof cbuf);
	struct iovec iov = {"x", 1};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof fds);
	memcpy(CMSG_DATA(cm), fds, sizeof fds);
	cm = CMSG_NXTHDR(&mh, cm);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof(struct ucred));
	struct ucred uc = {getpid(), getuid(), getgid()};
	memcpy(CMSG_DATA(cm), &uc, sizeof uc);
	sendmsg(sv[0], &mh, 0);
	char rbuf[16];
	char rcbuf[256];
	struct iovec riov = {rbuf, sizeof rbuf};
	struct msghdr rh = {.msg_iov = &riov, .msg_iovlen = 1, .msg_control = rcbuf, .msg_controllen = sizeof rcbuf};
	recvmsg(sv[1], &rh, MSG_CMSG_CLOEXEC);
	close(sv[0]);
	close(sv[1]);
	socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv);
	send(sv[0], "dgram", 5, 0);
	recv(sv[1], rbuf, sizeof rbuf, 0);
	close(sv[0]);
	close(sv[1]);

	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	strncpy(un.sun_path, argv[1], sizeof un.sun_path - 1);
	unlink(un.sun_path);
	bind(s, (struct sockaddr *)&un, sizeof un);
	listen(s, 1);
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&un, offsetof(struct sockaddr_un, sun_path) + strlen(un.sun_path) + 1);
	struct sockaddr_un pa;
	socklen_t plen = sizeof pa;
	int a = accept(s, (struct sockaddr *)&pa, &plen);
	plen = sizeof pa;
	getsockname(c, (struct sockaddr *)&pa, &plen);
	plen = sizeof pa;
	getpeername(c, (struct sockaddr *)&pa, &plen);
	struct ucred cr;
	socklen_t crlen = sizeof cr;
	getsockopt(a, SOL_SOCKET, SO_PEERCRED, &cr, &crlen);
	close(a);
	close(c);
	close(s);
	unlink(un.sun_path);

	int ab = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un aa = {.sun_family = AF_UNIX};
	size_t alen = strlen(argv[2]);
	memcpy(aa.sun_path + 1, argv[2], alen);
	bind(ab, (struct sockaddr *)&aa, offsetof(struct sockaddr_un, sun_path) + 1 + alen);
	plen = sizeof pa;
	getsockname(ab, (struct sockaddr *)&pa, &plen);
	close(ab);

	int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	struct sockaddr_nl na = {.nl_family = AF_NETLINK, .nl_groups = 0};
	bind(nl, (struct sockaddr *)&na, sizeof na);
	socklen_t nlen = sizeof na;
	getsockname(nl, (struct sockaddr *)&na, &nlen);
	close(nl);
	int pk = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	struct sockaddr_ll ll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP), .sll_ifindex = 1, .sll_halen = 6, .sll_addr = {1,2,3,4,5,6}};
	bind(pk, (struct sockaddr *)&ll, sizeof ll);
	close(pk);
	struct sockaddr raw = {.sa_family = 99, .sa_data = "abc"};
	connect(-1, &raw, sizeof raw);
	return 0;
}
