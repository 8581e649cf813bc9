/* Prints what getpid returns, asking the kernel each time (no libc
 * cache), argv[1] times (default 1). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
	int n = argc > 1 ? atoi(argv[1]) : 1;
	for (int i = 0; i < n; i++)
		printf("%ld\n", syscall(SYS_getpid));
	return 0;
}
