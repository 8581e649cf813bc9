/* dumpio: data read and written through every call strace's -e read= and
 * -e write= dump, on descriptors with fixed numbers: 20 and 21 are a
 * socket pair, 22 a file, 23 and 24 a pipe, 25 a message queue, 26 and 27
 * another pipe. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static void fixed(int fd, int want)
{
	if (dup2(fd, want) < 0)
		exit(1);
	close(fd);
}

int main(int argc, char **argv)
{
	int sv[2], p[2];
	char buf[256], other[64];
	const char text[] = "hello, \033[31mred\033[0m \xff\xfe\x01 world\n";

	if (argc < 2 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || pipe(p) < 0)
		return 1;
	fixed(sv[0], 20);
	fixed(sv[1], 21);
	fixed(open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600), 22);
	fixed(p[0], 23);
	fixed(p[1], 24);
	signal(SIGPIPE, SIG_IGN);

	/* read and write, pread64 and pwrite64 */
	write(20, text, sizeof text);
	read(21, buf, sizeof buf);
	pwrite(22, text, 16, 5);
	pread(22, buf, sizeof buf, 0);
	read(22, buf, 0);

	/* vectors: a short read fills the first buffers only */
	struct iovec out[3] = {{(void *)"abc", 3}, {(void *)"", 0}, {(void *)"0123456789abcdefXYZ", 19}};
	struct iovec in[3] = {{buf, 4}, {other, 30}, {buf + 100, 50}};
	writev(20, out, 3);
	readv(21, in, 3);
	pwritev(22, out, 3, 0);
	preadv(22, in, 3, 0);
	pwritev2(22, out, 3, 0, 0);
	preadv2(22, in, 3, 0, 0);

	/* sockets */
	sendto(20, "datagram", 8, 0, NULL, 0);
	recvfrom(21, buf, sizeof buf, 0, NULL, NULL);
	struct msghdr msg = {.msg_iov = out, .msg_iovlen = 3};
	sendmsg(20, &msg, 0);
	struct msghdr rmsg = {.msg_iov = in, .msg_iovlen = 3};
	recvmsg(21, &rmsg, 0);
	struct iovec m1 = {(void *)"first", 5}, m2 = {(void *)"second!", 7};
	struct mmsghdr mm[2] = {{.msg_hdr = {.msg_iov = &m1, .msg_iovlen = 1}},
				{.msg_hdr = {.msg_iov = &m2, .msg_iovlen = 1}}};
	sendmmsg(20, mm, 2, 0);
	struct iovec r1 = {buf, 12};
	struct mmsghdr rm[1] = {{.msg_hdr = {.msg_iov = &r1, .msg_iovlen = 1}}};
	recvmmsg(21, rm, 1, MSG_DONTWAIT, NULL);

	/* a message queue, and vmsplice */
	struct mq_attr attr = {.mq_maxmsg = 2, .mq_msgsize = 16};
	char qname[64];
	unsigned prio;
	snprintf(qname, sizeof qname, "/gtrace-dumpio-%d", getpid());
	mqd_t q = mq_open(qname, O_RDWR | O_CREAT, 0600, &attr);
	if (q < 0)
		return 1;
	mq_unlink(qname);
	fixed(q, 25);
	mq_send(25, "queued", 6, 1);
	mq_receive(25, buf, 16, &prio);
	if (pipe(p) < 0)
		return 1;
	fixed(p[0], 26);
	fixed(p[1], 27);
	struct iovec spliced = {(void *)"spliced", 7};
	vmsplice(27, &spliced, 1, 0);

	/* failures: a write to a pipe nobody reads, a read of a write end */
	close(23);
	write(24, "lost", 4);
	read(24, buf, 4);

	/* a buffer longer than 64 KiB, strace's unit of reading */
	size_t big = 70000;
	char *b = malloc(big);
	for (size_t i = 0; i < big; i++)
		b[i] = (char)(i * 7);
	pwrite(22, b, big, 0);
	return 0;
}
