/* Unlinks argv[1] and says how it went. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
	if (argc < 2)
		return 2;
	if (unlink(argv[1]) < 0)
		printf("unlink: %s\n", strerror(errno));
	else
		printf("unlink: ok\n");
	return 0;
}
