/*
 * everycall: makes every syscall number once, natively (x86_64) and
 * through int $0x80 (i386), under a seccomp filter that fails them all
 * with ENOSYS before they run. Traced by strace with -e trace=%CLASS, it
 * shows which numbers strace puts in each class, and nothing it does can
 * harm the machine: no call reaches the kernel's implementation.
 *
 * usage: everycall MAX64 MAX32
 */
#include <stddef.h>
#include <stdlib.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAGIC 0x5eed

static long call64(long nr)
{
	long ret;
	register long r10 __asm__("r10") = 0;
	register long r8 __asm__("r8") = 0;
	register long r9 __asm__("r9") = 0;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(0L), "S"(0L), "d"(0L), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static long call32(long nr)
{
	long ret;
	__asm__ volatile("push %%rbp\n\txor %%ebp, %%ebp\n\tint $0x80\n\tpop %%rbp"
			 : "=a"(ret)
			 : "a"(nr), "b"(0L), "c"(0L), "d"(0L), "S"(0L), "D"(0L)
			 : "memory");
	return ret;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	long max64 = atol(argv[1]), max32 = atol(argv[2]);
	/* Everything fails with ENOSYS except exit_group(MAGIC). */
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit_group, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, MAGIC, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 38 /* ENOSYS */),
	};
	struct sock_fprog fprog = {sizeof(prog) / sizeof(prog[0]), prog};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) != 0)
		return 3;
	for (long nr = 0; nr < max64; nr++)
		/* uretprobe and uprobe bypass seccomp; uretprobe kills its caller */
		if (nr != 335 && nr != 336)
			call64(nr);
	for (long nr = 0; nr < max32; nr++)
		call32(nr);
	syscall(SYS_exit_group, MAGIC);
	return 4;
}
