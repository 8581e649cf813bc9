/* Two writes: from a stack buffer and from a string literal in read-only
 * memory. Exits 3 if a write does not return its length. */
#include <unistd.h>

int main(void) {
	char buf[] = "hello\n";
	if (write(1, buf, 6) != 6)
		return 3;
	if (write(1, "rodata\n", 7) != 7)
		return 3;
	return 0;
}
