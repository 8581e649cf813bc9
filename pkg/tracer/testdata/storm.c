/* A syscall storm: writes "storm NNNNNNNN\n" (the call's number) N times
 * to /dev/null (argv[1], default 200000), so that a trace can be checked
 * record by record. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200000;
	int fd = open("/dev/null", O_WRONLY);
	char buf[32];
	for (int i = 0; i < n; i++) {
		int len = snprintf(buf, sizeof buf, "storm %08d\n", i);
		write(fd, buf, len);
	}
	return 0;
}
