// poll exercises poll, ppoll, select, pselect6 and epoll over pipes.
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

int main(void) {
	int p[2], q[2];
	pipe(p);
	pipe(q);
	write(p[1], "x", 1);
	struct pollfd fds[3] = {{p[0], POLLIN, 0}, {q[0], POLLIN | POLLPRI, 0}, {p[1], POLLOUT, 0}};
	poll(fds, 3, 100);
	poll(fds + 1, 1, 0);
	struct timespec ts = {0, 1000000};
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	ppoll(fds, 2, &ts, &set);
	ppoll(fds + 1, 1, &ts, NULL);
	fd_set r, w;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(q[0], &r);
	FD_SET(p[1], &w);
	struct timeval tv = {0, 1000};
	select(p[1] + 2, &r, &w, NULL, &tv);
	FD_ZERO(&r);
	FD_SET(q[0], &r);
	tv.tv_usec = 1000;
	select(q[0] + 1, &r, NULL, NULL, &tv);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	pselect(p[0] + 1, &r, NULL, NULL, &ts, &set);
	FD_ZERO(&r);
	FD_SET(q[0], &r);
	pselect(q[0] + 1, &r, NULL, NULL, &ts, NULL);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	int ep2 = epoll_create(4);
	struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = 0x1234567890ULL};
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	ev.events = EPOLLOUT;
	ev.data.fd = p[1];
	epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev);
	epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL);
	struct epoll_event out[4];
	epoll_wait(ep, out, 4, 10);
	epoll_pwait(ep, out, 4, 0, &set);
	epoll_wait(ep2, out, 4, 0);
	struct timespec zero = {0, 0};
	epoll_pwait2(ep, out, 4, &zero, NULL);
	close(ep);
	close(ep2);
	return 0;
}
