/* comm: sets and reads the task's name, which strace shows as a string
 * of at most 15 bytes, or -s bytes if fewer. */
#include <sys/prctl.h>

int main(void)
{
	char name[16];

	prctl(PR_SET_NAME, "abcdefghijklmnopqrstuvwxyz");
	prctl(PR_GET_NAME, name);
	prctl(PR_SET_NAME, "short");
	prctl(PR_GET_NAME, name);
	return 0;
}
