/* Makes the descriptor operations a resource tracker follows, and prints
 * each descriptor it gets ("NAME FD", or "NAME FD PORT" for listeners) so
 * a test can compare them with what the tracker saw:
 *
 *   resources DIR PORT1 PORT2     (a port of 0: any free port)
 *
 * Files, in DIR:
 *   a        opened for writing (a), 12 bytes written, duplicated (dup),
 *            the original closed, 3 bytes written through the copy, which
 *            is closed: the file closes there, with 15 bytes written.
 *   a        opened again for reading (a2): lseek to 6, a read of the 9
 *            bytes left, fstat, mmap, ioctl FIONREAD, close.
 *   kept     opened (kept) and never closed: a forked child writes 4
 *            bytes to it and execs this program, which writes 5 more; the
 *            parent writes 6. It closes when the last process exits.
 *   cloexec  opened O_CLOEXEC by that child (cloexec), 7 bytes written:
 *            its execve closes it; the new program's fstat on it fails.
 * Sockets, on 127.0.0.1: listeners on PORT1 (listen1) and PORT2
 * (listen2); a forked child connects to the first (client1), sends "one"
 * and receives "ONE!", then to the second (client2), sends "second" and
 * receives "SECOND!"; the parent accepts each connection (accept1,
 * accept2), receives and answers.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what) {
	perror(what);
	exit(1);
}

static void put(int fd, const char *s) {
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		die("write");
}

static void files(const char *dir, const char *self) {
	char path[4096];
	snprintf(path, sizeof path, "%s/a", dir);
	int a = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (a < 0)
		die("open a");
	printf("a %d\n", a);
	put(a, "hello world\n");
	int d = dup(a);
	printf("dup %d\n", d);
	close(a);
	put(d, "abc");
	close(d);

	int a2 = open(path, O_RDONLY);
	if (a2 < 0)
		die("open a again");
	printf("a2 %d\n", a2);
	char buf[64];
	lseek(a2, 6, SEEK_SET);
	if (read(a2, buf, sizeof buf) != 9)
		die("read");
	struct stat st;
	fstat(a2, &st);
	void *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, a2, 0);
	if (m == MAP_FAILED)
		die("mmap");
	munmap(m, 4096);
	int avail;
	ioctl(a2, FIONREAD, &avail);
	close(a2);

	snprintf(path, sizeof path, "%s/kept", dir);
	int kept = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	printf("kept %d\n", kept);
	fflush(stdout);
	pid_t child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		put(kept, "fork");
		snprintf(path, sizeof path, "%s/cloexec", dir);
		int ce = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		printf("cloexec %d\n", ce);
		fflush(stdout);
		put(ce, "cloexec");
		char keptArg[16], ceArg[16];
		snprintf(keptArg, sizeof keptArg, "%d", kept);
		snprintf(ceArg, sizeof ceArg, "%d", ce);
		execl(self, self, "exec", keptArg, ceArg, (char *)NULL);
		die("execl");
	}
	waitpid(child, NULL, 0);
	put(kept, "parent");
}

/* execd is the program the files child execs: the inherited descriptor
 * still works, the close-on-exec one is gone. */
static int execd(int kept, int ce) {
	put(kept, "exec!");
	struct stat st;
	if (fstat(ce, &st) == 0) {
		fprintf(stderr, "fd %d survived execve\n", ce);
		return 1;
	}
	return 0;
}

/* listener listens on 127.0.0.1:*port and sets *port to the port it
 * got. */
static int listener(const char *name, int *port) {
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(*port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(s, 4) < 0)
		die("listen");
	socklen_t len = sizeof sa;
	getsockname(s, (struct sockaddr *)&sa, &len);
	*port = ntohs(sa.sin_port);
	printf("%s %d %d\n", name, s, *port);
	return s;
}

static void exchange(const char *name, int port, const char *msg, size_t reply) {
	int c = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (c < 0 || connect(c, (struct sockaddr *)&sa, sizeof sa) < 0)
		die("connect");
	printf("%s %d\n", name, c);
	fflush(stdout);
	char buf[64];
	if (send(c, msg, strlen(msg), 0) != (ssize_t)strlen(msg) || recv(c, buf, reply, MSG_WAITALL) != (ssize_t)reply)
		die("client exchange");
	close(c);
}

static void serve(const char *name, int l, size_t want, const char *answer) {
	int c = accept(l, NULL, NULL);
	if (c < 0)
		die("accept");
	printf("%s %d\n", name, c);
	char buf[64];
	if (recv(c, buf, want, MSG_WAITALL) != (ssize_t)want)
		die("server recv");
	if (send(c, answer, strlen(answer), 0) != (ssize_t)strlen(answer))
		die("server send");
	close(c);
}

static void sockets(int port1, int port2) {
	int l1 = listener("listen1", &port1);
	int l2 = listener("listen2", &port2);
	fflush(stdout);
	pid_t child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		close(l1);
		close(l2);
		exchange("client1", port1, "one", 4);
		exchange("client2", port2, "second", 7);
		exit(0);
	}
	serve("accept1", l1, 3, "ONE!");
	serve("accept2", l2, 6, "SECOND!");
	waitpid(child, NULL, 0);
	close(l1);
	close(l2);
}

int main(int argc, char **argv) {
	if (argc == 4 && strcmp(argv[1], "exec") == 0)
		return execd(atoi(argv[2]), atoi(argv[3]));
	if (argc != 4) {
		fprintf(stderr, "usage: resources DIR PORT1 PORT2\n");
		return 2;
	}
	files(argv[1], "/proc/self/exe");
	sockets(atoi(argv[2]), atoi(argv[3]));
	return 0;
}
