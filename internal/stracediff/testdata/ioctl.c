// ioctl exercises terminal and descriptor ioctls on a pty and a pipe.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int main(void) {
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	grantpt(m);
	unlockpt(m);
	int s = open(ptsname(m), O_RDWR | O_NOCTTY);
	struct termios t;
	ioctl(s, TCGETS, &t);
	t.c_lflag &= ~(ICANON | ECHO);
	ioctl(s, TCSETS, &t);
	ioctl(s, TCSETSW, &t);
	ioctl(s, TCSETSF, &t);
	struct winsize ws = {24, 80, 0, 0};
	ioctl(m, TIOCSWINSZ, &ws);
	ioctl(s, TIOCGWINSZ, &ws);
	int n = 0;
	ioctl(s, FIONREAD, &n);
	ioctl(s, TCFLSH, TCIOFLUSH);
	ioctl(s, TCXONC, TCOON);
	ioctl(s, TCSBRK, 1);
	pid_t pg;
	ioctl(s, TIOCGPGRP, &pg);
	ioctl(s, TIOCGSID, &pg);
	int lock = 0;
	ioctl(m, TIOCSPTLCK, &lock);
	ioctl(m, TIOCGPTN, &n);
	ioctl(s, TIOCOUTQ, &n);
	int p[2];
	pipe(p);
	write(p[1], "abc", 3);
	ioctl(p[0], FIONREAD, &n);
	int on = 1;
	ioctl(p[0], FIONBIO, &on);
	ioctl(p[0], FIOCLEX);
	ioctl(p[0], FIONCLEX);
	ioctl(p[0], TCGETS, &t);
	ioctl(p[0], _IOR('x', 3, int), &n);
	ioctl(p[0], _IOW('Z', 0x12, long), 0);
	ioctl(p[0], _IO(0xab, 7), 0);
	ioctl(p[0], 0x5401ff, 0);
	ioctl(p[0], TIOCSPGRP, &pg);
	ioctl(p[1], FICLONE, p[0]);
	tcgetattr(s, &t);
	isatty(s);
	return 0;
}
