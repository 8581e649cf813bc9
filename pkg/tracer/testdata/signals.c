/* Signals as strace shows them: one caught by a handler, one ignored by
 * default (SIGCHLD from a child), one explicitly ignored, then death by
 * an uncaught SIGTERM... which is left out: the program exits 3. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_usr1(int sig) { (void)sig; }

int main(void)
{
	signal(SIGUSR1, on_usr1);
	kill(getpid(), SIGUSR1);
	signal(SIGUSR2, SIG_IGN);
	kill(getpid(), SIGUSR2);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return 3;
}
