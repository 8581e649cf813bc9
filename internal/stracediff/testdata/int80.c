// int80 is a 64-bit program that makes i386 syscalls with int $0x80
// between native ones: each switch changes the call's arch.
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

static long int80(long nr, long a, long b, long c) {
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return r;
}

static char msg[] = "int80\n";   /* in the first 4 GiB: a static, non-PIE binary */

int main(void) {
	int80(4, 1, (long)msg, 6);     /* i386 write */
	int80(20, 0, 0, 0);            /* i386 getpid */
	getppid();                     /* back to x86_64 */
	int80(199, 0, 0, 0);           /* i386 getuid32 */
	return 0;
}
