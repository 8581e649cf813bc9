// untrusted: hands a tracer bytes that must never reach a terminal raw:
// escape sequences, bell, NULs and invalid UTF-8 in written buffers and
// in a path, and a 16 MiB buffer whose printing must stay bounded.
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
	static const char nasty[] = "\x1b[2J\x1b]0;pwned\x07\xff\xfe\xc3\x28\0\x9b" "31m\r\b";
	int null = open("/dev/null", O_WRONLY);
	write(null, nasty, sizeof nasty);
	open("\x1b[31mred\x1b]0;title\x07\xff", O_RDONLY);
	size_t huge = 16 << 20;
	char *buf = malloc(huge);
	memset(buf, 0x1b, huge);
	write(null, buf, huge);
	close(null);
	return 0;
}
