// compat32 is a 32-bit program without libc: it makes i386 syscalls with
// int $0x80 so that their decoding with i386 layouts can be compared.
typedef unsigned int u32;
static long sc6(long nr, long a, long b, long c, long d, long e, long f) {
	long r;
	long args[2] = {nr, f};
	__asm__ volatile("push %%ebp\n\tmov 4(%%eax), %%ebp\n\tmov (%%eax), %%eax\n\tint $0x80\n\tpop %%ebp"
			 : "=a"(r) : "a"(args), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e) : "memory");
	return r;
}
#define sc(nr, a, b, c) sc6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)
struct iov { const void *base; u32 len; };
struct sin { unsigned short fam, port; u32 addr; char zero[8]; };
struct msghdr32 { void *name; u32 namelen; struct iov *iov; u32 iovlen; void *ctl; u32 ctllen; u32 flags; };
static char buf[512];
static const char path[] = "/tmp/gtrace-stracediff-compat32";

void _start(void) {
	sc(4, 1, "hi\n", 3);                                   // write
	sc(20, 0, 0, 0);                                       // getpid
	sc(24, 0, 0, 0);                                       // getuid (16-bit)
	sc(199, 0, 0, 0);                                      // getuid32
	sc(70, -1, -1, 0);                                     // setreuid (16-bit)
	struct iov v[2] = {{"ab", 2}, {"c\n", 2}};
	sc(146, 1, v, 2);                                      // writev
	int fd = sc6(5, (long)path, 0102 | 01000, 0644, 0, 0, 0); // open O_RDWR|O_CREAT|O_TRUNC
	sc(4, fd, "0123456789", 10);
	long long res = 0;
	sc6(140, fd, 0, 3, (long)&res, 0, 0);                  // _llseek
	sc6(180, fd, (long)buf, 4, 2, 0, 0);                   // pread64 offset 2
	sc6(181, fd, (long)"zz", 2, 0x10, 0x1, 0);             // pwrite64 offset 0x100000010 (fails? no: sparse)
	sc6(194, fd, 5, 0, 0, 0, 0);                           // ftruncate64 len 5
	sc6(193, (long)path, 0x20, 0x1, 0, 0, 0);              // truncate64 len 0x100000020
	sc6(272, fd, 0, 0, 0x1000, 0, 4);                      // fadvise64_64 POSIX_FADV_NOREUSE? (advice 4 = DONTNEED)
	sc6(324, fd, 0, 0x10, 0, 0x20, 0);                     // fallocate mode 0 offset 16 len 32
	sc(197, fd, buf, 0);                                   // fstat64
	sc(195, path, buf, 0);                                 // stat64
	sc6(192, 0, 8192, 3, 0x22, -1, 0);                     // mmap2 PROT_READ|WRITE, MAP_PRIVATE|ANON
	u32 om[6] = {0, 4096, 1, 0x22, (u32)-1, 0};
	sc(90, om, 0, 0);                                      // old mmap
	sc(10, path, 0, 0);                                    // unlink
	sc(6, fd, 0, 0);                                       // close
	// socketcall: socket(AF_INET, SOCK_DGRAM, 0)
	u32 a[6] = {2, 2, 0};
	int s = sc(102, 1, a, 0);
	struct sin sa = {2, 0x3500, 0x0100007f};
	u32 b[6] = {s, (u32)&sa, sizeof sa};
	sc(102, 2, b, 0);                                      // bind
	u32 st[6] = {s, (u32)"x", 1, 0, (u32)&sa, sizeof sa};
	sc(102, 11, st, 0);                                    // sendto
	struct msghdr32 mh = {0, 0, v, 2, 0, 0, 0};
	u32 sm[3] = {s, (u32)&mh, 0};
	sc(102, 16, sm, 0);                                    // sendmsg
	sc(359, 2, 2, 0);                                      // socket (direct)
	sc6(361, s, (long)&sa, sizeof sa, 0, 0, 0);            // bind (direct)
	sc(6, s, 0, 0);
	u32 act[5] = {1, 0x04000000, 0x1234, 0x4, 0};             // SIG_IGN, SA_RESTORER, restorer, mask SIGQUIT
	sc6(174, 10, (long)act, 0, 8, 0, 0);                   // rt_sigaction(SIGUSR1)
	struct { u32 s, us; } tv0 = {0, 0};
	u32 sel[5] = {0, 0, 0, 0, (u32)&tv0};
	sc(82, sel, 0, 0);                                     // old select(0, NULL, NULL, NULL, NULL)
	sc6(192, 0, 4096, 1, 0x22, -1, 1);                     // mmap2 with pgoff 1
	unsigned short gids[4];
	sc(80, 4, gids, 0);                                    // getgroups16
	unsigned short r1, r2, r3;
	sc(165, &r1, &r2, &r3);                                // getresuid16
	sc(102, 99, 0, 0);                                     // bad socketcall
	sc(102, 1, 0, 0);                                      // unreadable socketcall args
	sc(90, 0, 0, 0);                                       // unreadable old mmap
	u32 oact[4] = {0x5678, 1u << 1, 0x04000000, 0x9abc};    // handler, mask [INT], SA_RESTORER, restorer
	u32 oold[4];
	sc(67, 2, oact, oold);                                 // old sigaction(SIGINT)
	u32 oset = 1u << 9, prev;
	sc(126, 0, &oset, &prev);                              // old sigprocmask(SIG_BLOCK, [USR1])
	sc(73, &prev, 0, 0);                                   // old sigpending
	sc(1, 0, 0, 0);                                        // exit
}
