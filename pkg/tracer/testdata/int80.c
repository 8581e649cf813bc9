/* A 64-bit program making two i386 syscalls with int $0x80, which the
 * trace decodes with the i386 table: write(1, "int80\n", 6) and getpid().
 * The message is static so that its address fits the 32-bit ABI (the
 * program is built -no-pie). */
static const char msg[] = "int80\n";

int main(void)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(4), "b"(1), "c"(msg), "d"(6) : "memory");
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20) : "memory");
	return ret > 0 ? 0 : 1;
}
