// vforker: vforks; the child either execs /bin/true (argv[1] "exec", the
// default) or calls _exit(3) at once (argv[1] "exit"). The parent waits
// for it and exits with the child's exit status.
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
	int do_exec = argc < 2 || strcmp(argv[1], "exit") != 0;
	pid_t p = vfork();
	if (p < 0)
		return 100;
	if (p == 0) {
		if (do_exec)
			execl("/bin/true", "true", (char *)NULL);
		_exit(3);
	}
	int st;
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st))
		return 101;
	return WEXITSTATUS(st);
}
