/* Makes argv[1] getppid calls (default 3), says "waiting", then waits for
 * a line on stdin and prints "finished": a tracer can let it go mid-run
 * and a test can check it lives on. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
	int n = argc > 1 ? atoi(argv[1]) : 3;
	for (int i = 0; i < n; i++)
		syscall(SYS_getppid);
	printf("waiting\n");
	fflush(stdout);
	char buf[64];
	if (read(0, buf, sizeof buf) < 0)
		return 1;
	printf("finished\n");
	return 0;
}
