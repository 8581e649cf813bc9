// forkstorm: forks children that exit at once, many at a time, so a
// child's whole life (first stop to exit) often reaches the tracer
// before its parent's fork event does.
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
	int n = argc > 1 ? atoi(argv[1]) : 200;
	for (int i = 0; i < n; i++) {
		if (fork() == 0)
			_exit(0);
	}
	while (wait(NULL) > 0)
		;
	return 0;
}
