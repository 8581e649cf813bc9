/* Writes the lines "1" to "6", one write each, and exits with a bit set
 * for each write that failed (bit 0 for the first): its only report, so
 * that it makes no other writes. */
#include <unistd.h>

int main(void) {
	char line[2] = {'0', '\n'};
	int failed = 0;
	for (int i = 0; i < 6; i++) {
		line[0] = '1' + i;
		if (write(1, line, 2) != 2)
			failed |= 1 << i;
	}
	return failed;
}
