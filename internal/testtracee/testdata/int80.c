/* A 64-bit program making an i386 call: getpid through int $0x80. */
#include <stdio.h>

int main(void) {
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
	printf("%ld\n", r);
	return 0;
}
