/*
 * calls.c: the tracee of gtrace's differential decoding test. It makes
 * the syscalls gtrace claims to decode as strace does, with arguments
 * chosen so that the trace is the same from run to run once addresses,
 * pids and clock readings are masked. Run it as "calls DIR [SECTION...]":
 * it works inside DIR; with no SECTION it runs them all.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/futex.h>
#include <linux/io_uring.h>
#include <linux/membarrier.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/quota.h>
#include <linux/quota.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/sem.h>
#include <sys/msg.h>
#include <mqueue.h>
#include <linux/keyctl.h>
#include <linux/aio_abi.h>
#include <linux/mempolicy.h>
#include <linux/landlock.h>
#include <sys/fanotify.h>
#include <sys/random.h>
#include <asm/prctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#define S(...) syscall(__VA_ARGS__)
/* An address that is never mapped: decoders must print it, not fail. */
#define BAD ((void *)0x10)

static void files(void)
{
	struct stat st;
	char buf[256];
	int fd;

	fd = S(SYS_open, "f1", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	S(SYS_write, fd, "hello\n", 6);
	S(SYS_close, fd);
	S(SYS_open, "nonexistent", O_RDONLY);
	S(SYS_open, BAD, O_RDONLY);
	S(SYS_open, "f1", O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW | 0x40000000);
	S(SYS_close, 3);
	fd = S(SYS_openat, AT_FDCWD, "f2", O_RDWR | O_CREAT | O_EXCL, 0600);
	S(SYS_close, fd);
	fd = S(SYS_openat, AT_FDCWD, ".", O_RDONLY | O_DIRECTORY | O_PATH);
	S(SYS_close, fd);
	fd = S(SYS_openat, AT_FDCWD, ".", O_TMPFILE | O_RDWR, 0600);
	S(SYS_close, fd);
	fd = S(SYS_creat, "f3", 0640);
	S(SYS_close, fd);
	{
		struct open_how how = { .flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH };
		fd = S(SYS_openat2, AT_FDCWD, "f1", &how, sizeof how);
		S(SYS_close, fd);
		struct open_how how2 = { .flags = O_CREAT | O_WRONLY, .mode = 0600 };
		S(SYS_openat2, AT_FDCWD, "f4", &how2, sizeof how2);
		S(SYS_close, 3);
		S(SYS_openat2, AT_FDCWD, "f1", BAD, 24);
	}
	S(SYS_stat, "f1", &st);
	S(SYS_lstat, "f1", &st);
	S(SYS_stat, "nonexistent", &st);
	S(SYS_stat, "f1", BAD);
	fd = S(SYS_open, "f1", O_RDONLY);
	S(SYS_fstat, fd, &st);
	S(SYS_newfstatat, AT_FDCWD, "f1", &st, 0);
	S(SYS_newfstatat, fd, "", &st, AT_EMPTY_PATH);
	S(SYS_newfstatat, AT_FDCWD, "/dev/null", &st, AT_SYMLINK_NOFOLLOW);
	{
		struct statx stx;
		S(SYS_statx, AT_FDCWD, "f1", AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, &stx);
		S(SYS_statx, fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_TYPE | STATX_SIZE | STATX_BTIME, &stx);
		S(SYS_statx, AT_FDCWD, "nonexistent", 0, STATX_ALL, &stx);
	}
	S(SYS_close, fd);
	S(SYS_access, "f1", R_OK | W_OK);
	S(SYS_access, "f1", F_OK);
	S(SYS_faccessat, AT_FDCWD, "f1", X_OK);
	S(SYS_faccessat2, AT_FDCWD, "f1", R_OK, AT_EACCESS | AT_SYMLINK_NOFOLLOW);
	S(SYS_symlink, "f1", "l1");
	S(SYS_symlinkat, "f1", AT_FDCWD, "l2");
	S(SYS_readlink, "l1", buf, sizeof buf);
	S(SYS_readlinkat, AT_FDCWD, "l2", buf, 2);
	S(SYS_readlink, "f1", buf, sizeof buf);
	S(SYS_link, "f1", "h1");
	S(SYS_linkat, AT_FDCWD, "f1", AT_FDCWD, "h2", AT_SYMLINK_FOLLOW);
	S(SYS_rename, "h1", "h3");
	S(SYS_renameat, AT_FDCWD, "h3", AT_FDCWD, "h4");
	S(SYS_renameat2, AT_FDCWD, "h4", AT_FDCWD, "h2", RENAME_NOREPLACE);
	S(SYS_renameat2, AT_FDCWD, "h4", AT_FDCWD, "h2", RENAME_EXCHANGE | RENAME_WHITEOUT);
	S(SYS_unlink, "h2");
	S(SYS_unlinkat, AT_FDCWD, "l2", 0);
	S(SYS_mkdir, "d1", 0755);
	S(SYS_mkdirat, AT_FDCWD, "d2", 0700);
	S(SYS_rmdir, "d2");
	S(SYS_unlinkat, AT_FDCWD, "d1", AT_REMOVEDIR);
	S(SYS_chmod, "f1", 0604);
	S(SYS_fchmodat, AT_FDCWD, "f1", 04755);
	fd = S(SYS_open, "f1", O_RDONLY);
	S(SYS_fchmod, fd, 0644);
	S(SYS_chown, "f1", 0, 0);
	S(SYS_lchown, "l1", -1, 0);
	S(SYS_fchown, fd, 0, -1);
	S(SYS_fchownat, AT_FDCWD, "f1", -1, -1, AT_SYMLINK_NOFOLLOW);
	S(SYS_mknod, "p1", S_IFIFO | 0600, 0);
	S(SYS_mknodat, AT_FDCWD, "c1", S_IFCHR | 0600, makedev(1, 3));
	S(SYS_unlink, "c1");
	S(SYS_mknodat, AT_FDCWD, "r1", S_IFREG | 0600, 0);
	{
		struct timespec ts[2] = { { 1, 2 }, { 3, UTIME_OMIT } };
		struct timespec now[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
		struct timeval tv[2] = { { 1, 2 }, { 3, 4 } };
		struct { long a, m; } ub = { 5, 6 };
		S(SYS_utimensat, AT_FDCWD, "f1", ts, AT_SYMLINK_NOFOLLOW);
		S(SYS_utimensat, AT_FDCWD, "f1", now, 0);
		S(SYS_utimensat, fd, NULL, NULL, 0);
		S(SYS_utimes, "f1", tv);
		S(SYS_futimesat, AT_FDCWD, "f1", tv);
		S(SYS_utime, "f1", &ub);
		S(SYS_utime, "f1", NULL);
	}
	S(SYS_truncate, "f1", 3);
	S(SYS_ftruncate, fd, 2);
	S(SYS_close, fd);
	{
		struct statfs sf;
		S(SYS_statfs, "/proc", &sf);
		fd = S(SYS_open, "/proc", O_RDONLY);
		S(SYS_fstatfs, fd, &sf);
		S(SYS_close, fd);
		S(SYS_statfs, "nonexistent", &sf);
	}
	S(SYS_getcwd, buf, sizeof buf);
	S(SYS_getcwd, buf, 1);
	S(SYS_mkdir, "sub", 0755);
	S(SYS_chdir, "sub");
	S(SYS_chdir, "..");
	fd = S(SYS_open, "sub", O_RDONLY | O_DIRECTORY);
	S(SYS_fchdir, fd);
	S(SYS_chdir, "..");
	S(SYS_close, fd);
	S(SYS_chroot, "/");
	S(SYS_umask, 022);
	S(SYS_umask, 077);
	S(SYS_umask, 022);
	S(SYS_setxattr, "f1", "user.k", "v1", 2, XATTR_CREATE);
	S(SYS_lsetxattr, "f1", "user.k", "v2", 2, XATTR_REPLACE);
	S(SYS_getxattr, "f1", "user.k", buf, sizeof buf);
	S(SYS_lgetxattr, "f1", "user.none", buf, sizeof buf);
	S(SYS_listxattr, "f1", buf, sizeof buf);
	S(SYS_llistxattr, "f1", NULL, 0);
	fd = S(SYS_open, "f1", O_RDONLY);
	S(SYS_fsetxattr, fd, "user.j", "x", 1, 0);
	S(SYS_fgetxattr, fd, "user.j", buf, sizeof buf);
	S(SYS_flistxattr, fd, buf, sizeof buf);
	S(SYS_fremovexattr, fd, "user.j");
	S(SYS_removexattr, "f1", "user.k");
	S(SYS_lremovexattr, "f1", "user.k");
	S(SYS_close, fd);
}

static void dirs(void)
{
	char buf[4096];
	int fd;

	S(SYS_mkdir, "dd", 0755);
	close(S(SYS_open, "dd/a", O_CREAT | O_WRONLY, 0600));
	S(SYS_mkdir, "dd/b", 0755);
	fd = S(SYS_open, "dd", O_RDONLY | O_DIRECTORY);
	S(SYS_getdents64, fd, buf, sizeof buf);
	S(SYS_getdents64, fd, buf, sizeof buf);
	S(SYS_lseek, fd, 0, SEEK_SET);
	S(SYS_getdents, fd, buf, sizeof buf);
	S(SYS_getdents64, fd, BAD, sizeof buf);
	S(SYS_close, fd);
}

static void io(void)
{
	char buf[64], b2[8];
	struct iovec iov[2] = { { buf, 5 }, { b2, 3 } };
	struct iovec wiov[3] = { { "abc", 3 }, { "defgh", 5 }, { NULL, 0 } };
	int fd, fd2;
	loff_t off = 0, off2 = 0;

	fd = S(SYS_open, "io", O_RDWR | O_CREAT | O_TRUNC, 0600);
	S(SYS_write, fd, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ\n\1\2\377", 51);
	S(SYS_write, fd, BAD, 10);
	S(SYS_write, fd, NULL, 0);
	S(SYS_write, -1, "x", 1);
	S(SYS_lseek, fd, 0, SEEK_SET);
	S(SYS_lseek, fd, 5, SEEK_CUR);
	S(SYS_lseek, fd, -1, SEEK_END);
	S(SYS_lseek, fd, 0, SEEK_DATA);
	S(SYS_lseek, fd, 0, SEEK_HOLE);
	S(SYS_lseek, fd, 0, 7);
	S(SYS_lseek, fd, 0, SEEK_SET);
	S(SYS_read, fd, buf, 10);
	S(SYS_read, fd, buf, 0);
	S(SYS_read, fd, BAD, 10);
	S(SYS_read, fd, buf, sizeof buf);
	S(SYS_read, fd, buf, sizeof buf);
	S(SYS_read, 99, buf, 1);
	S(SYS_pread64, fd, buf, 4, 2);
	S(SYS_pwrite64, fd, "XY", 2, 40);
	S(SYS_lseek, fd, 0, SEEK_SET);
	S(SYS_readv, fd, iov, 2);
	S(SYS_writev, fd, wiov, 3);
	S(SYS_readv, fd, BAD, 2);
	S(SYS_preadv, fd, iov, 2, 1, 0);
	S(SYS_pwritev, fd, wiov, 2, 3, 0);
	S(SYS_preadv2, fd, iov, 1, 0, 0, RWF_HIPRI);
	S(SYS_pwritev2, fd, wiov, 1, -1, -1, RWF_DSYNC | RWF_APPEND);
	fd2 = S(SYS_open, "io2", O_RDWR | O_CREAT | O_TRUNC, 0600);
	S(SYS_sendfile, fd2, fd, &off, 7);
	S(SYS_sendfile, fd2, fd, NULL, 3);
	S(SYS_sendfile, fd2, 99, &off, 3);
	S(SYS_copy_file_range, fd, &off, fd2, &off2, 4, 0);
	S(SYS_copy_file_range, fd, NULL, fd2, NULL, 4, 0);
	{
		int p[2];
		S(SYS_pipe2, p, 0);
		S(SYS_splice, fd, &off, p[1], NULL, 5, SPLICE_F_MOVE | SPLICE_F_MORE);
		S(SYS_tee, p[0], p[1], 0, SPLICE_F_NONBLOCK);
		S(SYS_splice, p[0], NULL, fd2, NULL, 5, 0);
		S(SYS_vmsplice, p[1], wiov, 2, SPLICE_F_GIFT);
		S(SYS_close, p[0]);
		S(SYS_close, p[1]);
	}
	S(SYS_fadvise64, fd, 0, 100, POSIX_FADV_SEQUENTIAL);
	S(SYS_fadvise64, fd, 10, 0, POSIX_FADV_DONTNEED);
	S(SYS_fallocate, fd, 0, 0, 4096);
	S(SYS_fallocate, fd, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE, 0, 10);
	S(SYS_flock, fd, LOCK_EX);
	S(SYS_flock, fd, LOCK_SH | LOCK_NB);
	S(SYS_flock, fd, LOCK_UN);
	S(SYS_sync_file_range, fd, 0, 100, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE);
	S(SYS_readahead, fd, 0, 4096);
	S(SYS_fsync, fd);
	S(SYS_fdatasync, fd);
	S(SYS_syncfs, fd);
	S(SYS_sync);
	S(SYS_close, fd2);
	S(SYS_close, fd);
}

static void fds(void)
{
	int p[2], fd;
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
	struct f_owner_ex own = { F_OWNER_PID, 0 };
	uint64_t u;

	S(SYS_pipe, p);
	S(SYS_close, p[0]);
	S(SYS_close, p[1]);
	S(SYS_pipe2, p, O_CLOEXEC | O_NONBLOCK);
	S(SYS_pipe2, BAD, 0);
	S(SYS_dup, p[0]);
	S(SYS_dup2, p[0], 10);
	S(SYS_dup2, p[0], p[0]);
	S(SYS_dup3, p[0], 11, O_CLOEXEC);
	S(SYS_dup3, p[0], 11, 0);
	S(SYS_close, 5);
	S(SYS_close, 10);
	S(SYS_close, 11);
	S(SYS_close, 99);
	fd = S(SYS_open, "fl", O_RDWR | O_CREAT, 0600);
	S(SYS_fcntl, fd, F_GETFD);
	S(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC);
	S(SYS_fcntl, fd, F_GETFD);
	S(SYS_fcntl, fd, F_GETFL);
	S(SYS_fcntl, fd, F_SETFL, O_NONBLOCK | O_APPEND);
	S(SYS_fcntl, fd, F_GETFL);
	S(SYS_fcntl, p[0], F_GETFL);
	S(SYS_fcntl, fd, F_DUPFD, 20);
	S(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 30);
	S(SYS_close, 20);
	S(SYS_close, 30);
	S(SYS_fcntl, fd, F_SETLK, &lk);
	S(SYS_fcntl, fd, F_SETLKW, &lk);
	S(SYS_fcntl, fd, F_GETLK, &lk);
	lk.l_type = F_RDLCK;
	S(SYS_fcntl, fd, F_OFD_SETLK, &lk);
	S(SYS_fcntl, fd, F_OFD_GETLK, &lk);
	lk.l_type = F_UNLCK;
	S(SYS_fcntl, fd, F_OFD_SETLKW, &lk);
	S(SYS_fcntl, fd, F_SETLK, BAD);
	S(SYS_fcntl, fd, F_GETOWN);
	S(SYS_fcntl, fd, F_SETOWN, 0);
	S(SYS_fcntl, fd, F_GETOWN_EX, &own);
	S(SYS_fcntl, fd, F_SETOWN_EX, &own);
	S(SYS_fcntl, fd, F_GETSIG);
	S(SYS_fcntl, fd, F_SETSIG, SIGUSR1);
	S(SYS_fcntl, fd, F_SETSIG, 0);
	S(SYS_fcntl, fd, F_GETLEASE);
	S(SYS_fcntl, fd, F_SETLEASE, F_UNLCK);
	S(SYS_fcntl, fd, F_NOTIFY, DN_MODIFY | DN_CREATE | DN_MULTISHOT);
	S(SYS_fcntl, p[0], F_GETPIPE_SZ);
	S(SYS_fcntl, p[0], F_SETPIPE_SZ, 8192);
	S(SYS_fcntl, fd, F_ADD_SEALS, F_SEAL_SEAL);
	S(SYS_fcntl, fd, F_GET_SEALS);
	u = RWH_WRITE_LIFE_SHORT;
	S(SYS_fcntl, fd, F_SET_RW_HINT, &u);
	S(SYS_fcntl, fd, F_GET_RW_HINT, &u);
	S(SYS_fcntl, fd, 12345, 6);
	S(SYS_fcntl, 99, F_GETFD);
	S(SYS_close, fd);
	fd = S(SYS_eventfd2, 3, EFD_CLOEXEC | EFD_NONBLOCK);
	S(SYS_read, fd, &u, 8);
	S(SYS_close, fd);
	fd = S(SYS_eventfd, 0);
	S(SYS_close, fd);
	{
		sigset_t m;
		sigemptyset(&m);
		sigaddset(&m, SIGUSR1);
		sigaddset(&m, SIGRTMIN + 2);
		fd = S(SYS_signalfd4, -1, &m, 8, SFD_CLOEXEC);
		S(SYS_signalfd4, fd, &m, 8, 0);
		S(SYS_signalfd, fd, &m, 8);
		S(SYS_close, fd);
	}
	{
		struct itimerspec its = { { 0, 0 }, { 100, 0 } }, old;
		fd = S(SYS_timerfd_create, CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		S(SYS_timerfd_settime, fd, 0, &its, NULL);
		S(SYS_timerfd_settime, fd, TFD_TIMER_ABSTIME, &its, &old);
		S(SYS_timerfd_gettime, fd, &old);
		S(SYS_close, fd);
		S(SYS_timerfd_create, CLOCK_REALTIME, 0);
		S(SYS_close, 3);
	}
	fd = S(SYS_memfd_create, "mfd", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	S(SYS_close, fd);
	S(SYS_memfd_create, BAD, 0);
	fd = S(SYS_inotify_init1, IN_NONBLOCK | IN_CLOEXEC);
	S(SYS_inotify_add_watch, fd, ".", IN_MODIFY | IN_CREATE | IN_DELETE | IN_ONLYDIR);
	S(SYS_inotify_rm_watch, fd, 1);
	S(SYS_close, fd);
	fd = S(SYS_inotify_init);
	S(SYS_close, fd);
	S(SYS_close_range, 50, 60, 0);
	S(SYS_close_range, 50, ~0U, CLOSE_RANGE_CLOEXEC);
	S(SYS_close, p[0]);
	S(SYS_close, p[1]);
}

static void mem(void)
{
	void *a, *b;
	unsigned char vec[4];
	int fd;

	a = (void *)S(SYS_mmap, NULL, 16384, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	S(SYS_mprotect, a, 4096, PROT_NONE);
	S(SYS_mprotect, a, 4096, PROT_READ | PROT_EXEC);
	S(SYS_madvise, a, 4096, MADV_DONTNEED);
	S(SYS_madvise, a, 4096, 999);
	S(SYS_mincore, a, 16384, vec);
	S(SYS_msync, a, 4096, MS_ASYNC | MS_INVALIDATE);
	S(SYS_mlock, a, 4096);
	S(SYS_munlock, a, 4096);
	S(SYS_mlock2, a, 4096, MLOCK_ONFAULT);
	S(SYS_munlock, a, 4096);
	S(SYS_mlockall, MCL_CURRENT | MCL_FUTURE);
	S(SYS_munlockall);
	b = (void *)S(SYS_mremap, a, 16384, 32768, MREMAP_MAYMOVE);
	S(SYS_mremap, b, 32768, 4096, 0);
	S(SYS_munmap, b, 4096);
	S(SYS_mmap, NULL, 4096, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE | MAP_NORESERVE, -1, 0);
	S(SYS_mmap, NULL, 4096, PROT_READ, MAP_PRIVATE, 99, 0);
	fd = S(SYS_open, "mm", O_RDWR | O_CREAT, 0600);
	S(SYS_ftruncate, fd, 8192);
	S(SYS_mmap, NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
	S(SYS_close, fd);
	S(SYS_brk, NULL);
	S(SYS_pkey_alloc, 0, PKEY_DISABLE_WRITE);
	S(SYS_pkey_mprotect, a, 4096, PROT_READ, -1);
	S(SYS_pkey_free, 1);
	S(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
	S(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0);
	S(SYS_remap_file_pages, a, 4096, 0, 0, 0);
}

static volatile int got;
static void handler(int sig) { got = sig; }

static void sigs(void)
{
	struct sigaction sa = { 0 }, old;
	sigset_t set, oset;
	stack_t ss = { 0 }, oss;
	siginfo_t si;
	struct timespec ts = { 0, 100 };
	static char stk[65536];

	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaction(SIGUSR1, &sa, &old);
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER | SA_RESETHAND;
	sigfillset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGPIPE, NULL, &old);
	S(SYS_rt_sigaction, SIGKILL, &sa, NULL, 8);
	S(SYS_rt_sigaction, SIGRTMIN + 3, NULL, &old, 8);
	S(SYS_rt_sigaction, SIGUSR1, BAD, NULL, 8);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGRTMAX);
	S(SYS_rt_sigprocmask, SIG_BLOCK, &set, &oset, 8);
	S(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, NULL, 8);
	S(SYS_rt_sigprocmask, SIG_SETMASK, NULL, &oset, 8);
	S(SYS_rt_sigprocmask, 5, &set, NULL, 8);
	S(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4);
	S(SYS_rt_sigpending, &set, 8);
	ss.ss_sp = stk;
	ss.ss_size = sizeof stk;
	S(SYS_sigaltstack, &ss, &oss);
	S(SYS_sigaltstack, NULL, &oss);
	ss.ss_flags = SS_DISABLE;
	S(SYS_sigaltstack, &ss, NULL);
	S(SYS_kill, getpid(), 0);
	S(SYS_kill, getpid(), SIGUSR1);
	S(SYS_tgkill, getpid(), getpid(), SIGUSR1);
	S(SYS_tkill, getpid(), SIGUSR1);
	S(SYS_kill, -1234567, SIGTERM);
	S(SYS_kill, 1234567, 77);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	S(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
	S(SYS_kill, getpid(), SIGUSR2);
	S(SYS_rt_sigtimedwait, &set, &si, &ts, 8);
	S(SYS_rt_sigtimedwait, &set, &si, &ts, 8);
	memset(&si, 0, sizeof si);
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_value.sival_int = 42;
	S(SYS_rt_sigqueueinfo, getpid(), SIGUSR2, &si);
	S(SYS_rt_tgsigqueueinfo, getpid(), getpid(), SIGUSR2, &si);
	S(SYS_rt_sigtimedwait, &set, NULL, NULL, 8);
	S(SYS_rt_sigtimedwait, &set, &si, NULL, 8);
	alarm(0);
	sigemptyset(&set);
	S(SYS_kill, getpid(), SIGUSR2);
	S(SYS_rt_sigsuspend, &set, 8);
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
}

static int thread_fn(void *arg)
{
	(void)arg;
	return 0;
}

static void *pthread_fn(void *arg)
{
	/* Outlive the creator's call to pthread_join, so that it waits. */
	struct timespec ts = { 0, 20000000 };
	nanosleep(&ts, NULL);
	return arg;
}

static void proc(char *self)
{
	int status, fd;
	pid_t pid;
	siginfo_t si;
	struct rusage ru;
	sigset_t chld;

	/* When SIGCHLD arrives depends on scheduling: keep it pending. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	pid = fork();
	if (pid == 0)
		_exit(3);
	S(SYS_wait4, pid, &status, 0, NULL);
	pid = fork();
	if (pid == 0) {
		S(SYS_kill, S(SYS_getpid), SIGKILL);
		_exit(0);
	}
	S(SYS_wait4, -1, &status, __WALL, &ru);
	S(SYS_wait4, -1, &status, WNOHANG, NULL);
	pid = fork();
	if (pid == 0)
		_exit(0);
	S(SYS_waitid, P_PID, pid, &si, WEXITED | WNOWAIT, NULL);
	S(SYS_waitid, P_ALL, 0, &si, WEXITED, NULL);
	S(SYS_waitid, P_ALL, 0, &si, WEXITED | WNOHANG, NULL);
	{
		struct clone_args ca = { .flags = CLONE_PIDFD, .pidfd = (uint64_t)(uintptr_t)&fd, .exit_signal = SIGCHLD };
		pid = S(SYS_clone3, &ca, sizeof ca);
		if (pid == 0)
			S(SYS_exit_group, 0);
		S(SYS_waitid, P_PIDFD, fd, &si, WEXITED, NULL);
		S(SYS_close, fd);
		S(SYS_clone3, BAD, 88);
		S(SYS_clone3, &ca, 8);
	}
	if (S(SYS_clone, CLONE_VFORK | CLONE_VM | SIGCHLD, 0, NULL, NULL, 0) == 0)
		S(SYS_exit, 0);
	S(SYS_wait4, -1, NULL, 0, NULL);
	{
		static char stack[65536];
		pid = clone(thread_fn, stack + sizeof stack, CLONE_FS | CLONE_FILES | SIGCHLD, NULL);
		S(SYS_wait4, pid, &status, 0, NULL);
	}
	{
		static char stack[65536];
		unsigned long tls[16] = { 0 };
		pid_t ptid, ctid;
		pid = clone(thread_fn, stack + sizeof stack, CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_SETTLS | SIGCHLD, NULL, &ptid, tls, &ctid);
		S(SYS_wait4, pid, &status, 0, NULL);
	}
	{
		pthread_t th;
		pthread_create(&th, NULL, pthread_fn, NULL);
		pthread_join(th, NULL);
	}
	pid = fork();
	if (pid == 0) {
		char *argv[] = { self, "-", "exec", NULL };
		char *envp[] = { "A=1", "B=2", NULL };
		S(SYS_execve, "nonexistent", argv, envp);
		S(SYS_execve, self, BAD, envp);
		S(SYS_execveat, AT_FDCWD, self, argv, envp, 0);
		_exit(1);
	}
	S(SYS_wait4, pid, &status, 0, NULL);
	S(SYS_getpid);
	S(SYS_getppid);
	S(SYS_gettid);
	S(SYS_getpgrp);
	S(SYS_getpgid, 0);
	S(SYS_getsid, 0);
	S(SYS_setpgid, 0, 0);
	S(SYS_getuid);
	S(SYS_geteuid);
	S(SYS_getgid);
	S(SYS_getegid);
	{
		uid_t r, e, s;
		gid_t g[4];
		int n;
		S(SYS_getresuid, &r, &e, &s);
		S(SYS_getresgid, &r, &e, &s);
		S(SYS_setresuid, -1, -1, -1);
		S(SYS_setresgid, -1, 0, -1);
		S(SYS_setreuid, -1, 0);
		S(SYS_setregid, 0, -1);
		S(SYS_setuid, 0);
		S(SYS_setgid, 0);
		S(SYS_setfsuid, -1);
		S(SYS_setfsgid, 0);
		n = S(SYS_getgroups, 0, NULL);
		n = S(SYS_getgroups, 4, g);
		if (n >= 0)
			S(SYS_setgroups, n, g);
		S(SYS_getresuid, BAD, &e, &s);
	}
	{
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];
		S(SYS_capget, &h, d);
		S(SYS_capset, &h, d);
		h.version = 0;
		S(SYS_capget, &h, NULL);
	}
	{
		char name[16];
		unsigned long v = 0;
		S(SYS_prctl, PR_SET_NAME, "calls-x");
		S(SYS_prctl, PR_GET_NAME, name);
		S(SYS_prctl, PR_GET_DUMPABLE);
		S(SYS_prctl, PR_SET_DUMPABLE, 1);
		S(SYS_prctl, PR_SET_PDEATHSIG, SIGTERM);
		S(SYS_prctl, PR_GET_PDEATHSIG, &v);
		S(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		S(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
		S(SYS_prctl, PR_CAPBSET_READ, CAP_SYS_ADMIN);
		S(SYS_prctl, PR_GET_SECUREBITS);
		S(SYS_prctl, PR_SET_CHILD_SUBREAPER, 1);
		S(SYS_prctl, PR_GET_CHILD_SUBREAPER, &v);
		S(SYS_prctl, PR_GET_TIMERSLACK);
		S(SYS_prctl, PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0, 0, "x");
		S(SYS_prctl, PR_GET_THP_DISABLE, 0, 0, 0, 0);
		S(SYS_prctl, 9999, 1, 2, 3, 4);
	}
	{
		unsigned long fsbase;
		S(SYS_arch_prctl, ARCH_GET_FS, &fsbase);
		S(SYS_arch_prctl, 0x3001, 0);
		S(SYS_arch_prctl, ARCH_GET_GS, BAD);
	}
	{
		void *head;
		size_t len;
		S(SYS_get_robust_list, 0, &head, &len);
	}
	S(SYS_personality, 0xffffffff);
	S(SYS_personality, PER_LINUX);
	S(SYS_personality, PER_LINUX | ADDR_NO_RANDOMIZE);
	S(SYS_personality, PER_LINUX);
	{
		unsigned cpu, node;
		S(SYS_getcpu, &cpu, &node, NULL);
	}
	S(SYS_getpriority, PRIO_PROCESS, 0);
	S(SYS_setpriority, PRIO_PROCESS, 0, 0);
	S(SYS_getpriority, PRIO_USER, 0);
	S(SYS_ioprio_get, 1, 0);
	S(SYS_ioprio_set, 1, 0, (2 << 13) | 4);
	{
		struct sched_param sp = { 0 };
		cpu_set_t cs;
		struct timespec ts;

		CPU_ZERO(&cs);
		S(SYS_sched_getscheduler, 0);
		S(SYS_sched_getparam, 0, &sp);
		S(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp);
		S(SYS_sched_setparam, 0, &sp);
		S(SYS_sched_get_priority_max, SCHED_FIFO);
		S(SYS_sched_get_priority_min, SCHED_RR);
		S(SYS_sched_getaffinity, 0, sizeof cs, &cs);
		S(SYS_sched_setaffinity, 0, sizeof cs, &cs);
		S(SYS_sched_getaffinity, 0, 1, &cs);
		S(SYS_sched_rr_get_interval, 0, &ts);
		S(SYS_sched_yield);
		{
			struct sched_attr { uint32_t size, policy; uint64_t flags; int32_t nice; uint32_t prio; uint64_t rt, dl, per; uint32_t umin, umax; } at;
			S(SYS_sched_getattr, 0, &at, sizeof at, 0);
			S(SYS_sched_setattr, 0, &at, 0);
		}
	}
	{
		struct rlimit rl;
		struct rlimit64 { uint64_t cur, max; } r64 = { 1024, 4096 }, o64;
		S(SYS_getrlimit, RLIMIT_NOFILE, &rl);
		S(SYS_setrlimit, RLIMIT_NOFILE, &rl);
		S(SYS_getrlimit, RLIMIT_STACK, &rl);
		S(SYS_prlimit64, 0, RLIMIT_CORE, NULL, &o64);
		S(SYS_prlimit64, 0, RLIMIT_CORE, &r64, &o64);
		S(SYS_prlimit64, 0, RLIMIT_CORE, &o64, NULL);
		S(SYS_prlimit64, 0, 99, NULL, &o64);
		S(SYS_getrusage, RUSAGE_SELF, &ru);
		S(SYS_getrusage, RUSAGE_CHILDREN, BAD);
	}
	{
		struct utsname u;
		struct sysinfo si2;
		struct tms t;
		S(SYS_uname, &u);
		S(SYS_sysinfo, &si2);
		S(SYS_times, &t);
		S(SYS_times, NULL);
		S(SYS_umask, 022);
	}
	S(SYS_unshare, 0);
	S(SYS_setns, 99, CLONE_NEWNET);
	S(SYS_kcmp, getpid(), getpid(), 0, 0, 0);
	fd = S(SYS_pidfd_open, getpid(), 0);
	S(SYS_pidfd_send_signal, fd, 0, NULL, 0);
	S(SYS_pidfd_getfd, fd, 0, 0);
	S(SYS_close, 4);
	S(SYS_close, fd);
}

static void times_(void)
{
	struct timespec ts = { 0, 500 }, rem;
	struct timeval tv;
	struct itimerval itv = { { 0, 0 }, { 100, 0 } }, oitv;
	timer_t tid;
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	struct itimerspec its = { { 0, 0 }, { 100, 0 } }, oits;
	time_t t;

	S(SYS_clock_gettime, CLOCK_REALTIME, &ts);
	S(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	S(SYS_clock_gettime, CLOCK_BOOTTIME, BAD);
	S(SYS_clock_getres, CLOCK_MONOTONIC_RAW, &ts);
	S(SYS_clock_getres, CLOCK_PROCESS_CPUTIME_ID, NULL);
	S(SYS_clock_gettime, 77, &ts);
	ts.tv_sec = 0;
	ts.tv_nsec = 500;
	S(SYS_clock_settime, CLOCK_MONOTONIC, &ts);
	S(SYS_nanosleep, &ts, &rem);
	S(SYS_nanosleep, &ts, NULL);
	S(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, &rem);
	S(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL);
	ts.tv_nsec = 1000000000;
	S(SYS_nanosleep, &ts, NULL);
	S(SYS_gettimeofday, &tv, NULL);
	S(SYS_settimeofday, NULL, NULL);
	S(SYS_time, &t);
	S(SYS_time, NULL);
	S(SYS_setitimer, ITIMER_REAL, &itv, &oitv);
	S(SYS_getitimer, ITIMER_REAL, &oitv);
	itv.it_value.tv_sec = 0;
	S(SYS_setitimer, ITIMER_REAL, &itv, NULL);
	S(SYS_alarm, 0);
	S(SYS_timer_create, CLOCK_MONOTONIC, &sev, &tid);
	S(SYS_timer_settime, tid, 0, &its, &oits);
	S(SYS_timer_gettime, tid, &oits);
	S(SYS_timer_getoverrun, tid);
	S(SYS_timer_delete, tid);
	S(SYS_timer_create, CLOCK_REALTIME, NULL, &tid);
	its.it_value.tv_sec = 0;
	S(SYS_timer_settime, tid, TIMER_ABSTIME, &its, NULL);
	S(SYS_timer_delete, tid);
	{
		struct timex tx = { .modes = 0 };
		S(SYS_adjtimex, &tx);
		S(SYS_clock_adjtime, CLOCK_REALTIME, &tx);
	}
}

static void futexes(void)
{
	static uint32_t f = 1, f2 = 0;
	struct timespec ts = { 0, 100 };

	S(SYS_futex, &f, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	S(SYS_futex, &f, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
	S(SYS_futex, &f, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	S(SYS_futex, &f, FUTEX_WAIT, 1, &ts, NULL, 0);
	S(SYS_futex, &f, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &ts, NULL, FUTEX_BITSET_MATCH_ANY);
	S(SYS_futex, &f, FUTEX_WAIT_BITSET, 0, NULL, NULL, 0x10);
	S(SYS_futex, &f, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, FUTEX_BITSET_MATCH_ANY);
	S(SYS_futex, &f, FUTEX_REQUEUE_PRIVATE, 1, 2, &f2, 0);
	S(SYS_futex, &f, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, &f2, 1);
	S(SYS_futex, &f, FUTEX_WAKE_OP_PRIVATE, 1, 1, &f2, FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_GT, 0));
	S(SYS_futex, &f2, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	S(SYS_futex, &f2, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	S(SYS_futex, &f2, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0);
	S(SYS_futex, &f, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 0, &ts, &f2, 0);
	S(SYS_futex, &f, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, 1, &f2, 0);
	S(SYS_futex, &f, 99, 1, NULL, NULL, 0);
	S(SYS_futex, BAD, FUTEX_WAKE, 1, NULL, NULL, 0);
	{
		void *head;
		size_t len;
		S(SYS_get_robust_list, 0, &head, &len);
		S(SYS_set_robust_list, head, len);
	}
}

static void sys(void)
{
	char buf[64] = { 0 };

	S(SYS_getrandom, buf, 16, 0);
	S(SYS_getrandom, buf, 8, GRND_NONBLOCK | GRND_RANDOM);
	S(SYS_getrandom, BAD, 8, 0);
	S(SYS_mount, "none", "/nonexistent", "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=1m");
	S(SYS_mount, NULL, "/nonexistent", NULL, MS_REMOUNT | MS_BIND, NULL);
	S(SYS_umount2, "/nonexistent", MNT_DETACH | UMOUNT_NOFOLLOW);
	S(SYS_umount2, "/nonexistent", 0);
	S(SYS_swapoff, "/nonexistent");
	S(SYS_swapon, "/nonexistent", 0);
	S(SYS_reboot, 1, 2, 3, NULL);
	S(SYS_sethostname, "x", -1);
	S(SYS_setdomainname, "x", -1);
	S(SYS_syslog, 10, NULL, 0);
	S(SYS_syslog, 3, BAD, 0);
	S(SYS_sysfs, 3, 0, 0);
	S(SYS_pivot_root, "/nonexistent", "/nonexistent");
	S(SYS_acct, "/nonexistent/x");
	S(SYS_quotactl, QCMD(Q_GETQUOTA, USRQUOTA), "/dev/null", 1000, buf);
	S(SYS_quotactl, QCMD(Q_SYNC, GRPQUOTA), NULL, 0, NULL);
	S(SYS_quotactl, QCMD(Q_QUOTAON, USRQUOTA), "/dev/null", QFMT_VFS_V1, "/nonexistent");
	S(SYS_seccomp, 2, 0, &(uint32_t){ 0x7fff0000 });
	S(SYS_landlock_create_ruleset, NULL, 0, 1);
	S(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0);
	S(SYS_delete_module, "nonexistent", O_NONBLOCK);
	S(SYS_lookup_dcookie, 0, 0, 0);
	S(SYS_ustat, 0, BAD);
	S(SYS_vhangup);
	S(SYS_iopl, 0);
	S(SYS_ioperm, 0, 0, 0);
	S(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	S(SYS_close, 3);
	S(SYS_mq_unlink, "/nonexistent");
	S(SYS_io_setup, 0, BAD);
	S(SYS_io_destroy, 0);
	{
		struct io_uring_params p = { 0 };
		int fd = S(SYS_io_uring_setup, 4, &p);
		S(SYS_io_uring_enter, fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0);
		S(SYS_io_uring_register, fd, IORING_REGISTER_PROBE, NULL, 0);
		S(SYS_io_uring_register, fd, IORING_UNREGISTER_BUFFERS, NULL, 0);
		S(SYS_close, fd);
		S(SYS_io_uring_setup, 1, BAD);
	}
}


static void ipc(void)
{
	char buf[64] = { 0 };
	struct sembuf sb = { 0, 1, IPC_NOWAIT | SEM_UNDO };
	struct timespec ts = { 0, 100 };
	struct shmid_ds sds;
	struct mq_attr ma = { .mq_maxmsg = 4, .mq_msgsize = 16 }, oma;
	int id, q;

	id = S(SYS_shmget, IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	S(SYS_shmat, -1, NULL, SHM_RDONLY);
	S(SYS_shmctl, id, IPC_STAT, &sds);
	S(SYS_shmctl, id, IPC_RMID, NULL);
	S(SYS_shmdt, BAD);
	id = S(SYS_semget, IPC_PRIVATE, 1, IPC_CREAT | IPC_EXCL | 0600);
	S(SYS_semop, id, &sb, 1);
	S(SYS_semtimedop, id, &sb, 1, &ts);
	S(SYS_semctl, id, 0, GETVAL, 0);
	S(SYS_semctl, id, 0, IPC_RMID, 0);
	id = S(SYS_msgget, IPC_PRIVATE, IPC_CREAT | 0600);
	((long *)buf)[0] = 1;
	memcpy(buf + 8, "msg", 4);
	S(SYS_msgsnd, id, buf, 4, IPC_NOWAIT);
	S(SYS_msgrcv, id, buf, 16, 0, IPC_NOWAIT | MSG_NOERROR);
	S(SYS_msgrcv, id, buf, 16, 0, IPC_NOWAIT);
	S(SYS_msgctl, id, IPC_RMID, NULL);
	q = S(SYS_mq_open, "/gtrace-calls", O_RDWR | O_CREAT | O_EXCL, 0600, &ma);
	S(SYS_mq_timedsend, q, "hello", 5, 1, NULL);
	S(SYS_mq_timedreceive, q, buf, 16, NULL, &ts);
	S(SYS_mq_timedreceive, q, buf, 16, NULL, &ts);
	S(SYS_mq_getsetattr, q, NULL, &oma);
	S(SYS_mq_notify, q, NULL);
	S(SYS_close, q);
	S(SYS_mq_unlink, "/gtrace-calls");
}

static void more(void)
{
	char buf[256] = { 0 };
	unsigned long nodes = 1;
	int policy;
	aio_context_t ctx = 0;
	struct io_event ev;
	struct timespec ts = { 0, 100 };
	struct iovec l = { buf, 8 }, r = { buf + 8, 8 };
	/* Two pages, page-aligned, present: the memory calls' results then
	 * do not depend on where the stack happens to be. */
	char *two = (char *)S(SYS_mmap, NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	S(SYS_add_key, "user", "gtrace:k", "payload", 7, KEY_SPEC_PROCESS_KEYRING);
	S(SYS_request_key, "user", "gtrace:none", NULL, KEY_SPEC_PROCESS_KEYRING);
	S(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0, 0, 0);
	S(SYS_keyctl, KEYCTL_DESCRIBE, -1, buf, sizeof buf, 0);
	S(SYS_keyctl, 9999, 1, 2, 3, 4);
	S(SYS_get_mempolicy, &policy, &nodes, 64, NULL, 0);
	S(SYS_set_mempolicy, MPOL_DEFAULT, NULL, 0);
	S(SYS_set_mempolicy, MPOL_BIND, &nodes, 64);
	S(SYS_mbind, two, 4096, MPOL_PREFERRED, &nodes, 64, MPOL_MF_STRICT);
	S(SYS_migrate_pages, 0, 64, &nodes, &nodes);
	S(SYS_set_mempolicy, MPOL_DEFAULT, NULL, 0);
	S(SYS_io_setup, 4, &ctx);
	S(SYS_io_getevents, ctx, 0, 1, &ev, &ts);
	S(SYS_io_submit, ctx, 0, NULL);
	S(SYS_io_cancel, ctx, NULL, &ev);
	S(SYS_io_destroy, ctx);
	S(SYS_process_vm_readv, getpid(), &l, 1, &r, 1, 0);
	S(SYS_process_vm_writev, getpid(), &l, 1, &r, 1, 0);
	S(SYS_fanotify_init, FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY | O_LARGEFILE);
	S(SYS_fanotify_mark, 3, FAN_MARK_ADD, FAN_OPEN | FAN_CLOSE_WRITE, AT_FDCWD, ".");
	S(SYS_close, 3);
	{
		struct { unsigned int bytes; int type; unsigned char h[128]; } fh = { 128 };
		int mnt;
		S(SYS_name_to_handle_at, AT_FDCWD, ".", &fh, &mnt, 0);
		S(SYS_open_by_handle_at, AT_FDCWD, &fh, O_RDONLY);
		S(SYS_close, 3);
	}
	S(SYS_open_tree, AT_FDCWD, "/nonexistent", OPEN_TREE_CLONE | AT_RECURSIVE);
	S(SYS_move_mount, AT_FDCWD, "/nonexistent", AT_FDCWD, "/nonexistent2", MOVE_MOUNT_F_EMPTY_PATH);
	S(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
	S(SYS_fsconfig, 3, FSCONFIG_SET_STRING, "size", "1m", 0);
	S(SYS_fsmount, 3, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY);
	S(SYS_close, 3);
	S(SYS_fspick, AT_FDCWD, "/nonexistent", FSPICK_CLOEXEC);
	S(SYS_landlock_restrict_self, -1, 0);
	S(SYS_landlock_add_rule, -1, LANDLOCK_RULE_PATH_BENEATH, buf, 0);
	S(SYS_memfd_secret, 0);
	S(SYS_process_mrelease, -1, 0);
	S(SYS_finit_module, -1, "", 0);
	S(SYS_kcmp, getpid(), getpid(), 1 /* KCMP_VM */, 0, 0);
	S(SYS_perf_event_open, BAD, 0, -1, -1, 0);
	S(SYS_bpf, 0, NULL, 0);
	S(SYS_futex_waitv, NULL, 0, 0, NULL, CLOCK_MONOTONIC);
	{
		char ldt[16] = { 0 };
		void *pages[2] = { two, two + 4096 };
		int nodes[2] = { 0, 0 }, status[2];
		S(SYS_modify_ldt, 0, ldt, sizeof ldt);
		S(SYS_modify_ldt, 1, ldt, sizeof ldt);
		S(SYS_modify_ldt, 0, ldt, 8);
		S(SYS_move_pages, 0, 2, pages, NULL, status, 0);
		S(SYS_move_pages, 0, 2, pages, nodes, status, MPOL_MF_MOVE);
		S(SYS_set_mempolicy_home_node, two, 4096, 0, 0);
	}
	S(SYS_ptrace, PTRACE_PEEKDATA, getpid(), buf, NULL);
	S(SYS_ptrace, PTRACE_CONT, 1, NULL, SIGCONT);
	S(SYS_ptrace, PTRACE_SEIZE, 1, NULL, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL);
	S(SYS_ptrace, PTRACE_GETEVENTMSG, 1, NULL, buf);
	S(SYS_ptrace, PTRACE_ATTACH, 1, NULL, NULL);
}

/* restart stops a sleeping child and lets it go on: the kernel resumes
 * its sleep with restart_syscall. It is a section of its own, as it
 * takes a while. */
static void restart(void)
{
	struct timespec child = { 0, 80000000 }, parent = { 0, 15000000 };
	sigset_t chld;
	pid_t pid;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	pid = fork();
	if (pid == 0) {
		S(SYS_nanosleep, &child, NULL);
		_exit(0);
	}
	S(SYS_nanosleep, &parent, NULL);
	S(SYS_kill, pid, SIGSTOP);
	S(SYS_nanosleep, &parent, NULL);
	S(SYS_kill, pid, SIGCONT);
	S(SYS_wait4, pid, NULL, 0, NULL);
}

static void execed(void)
{
	S(SYS_exit_group, 7);
}

static const struct {
	const char *name;
	void (*fn)(void);
} sections[] = {
	{ "files", files }, { "dirs", dirs }, { "io", io }, { "fds", fds },
	{ "mem", mem }, { "sigs", sigs }, { "times", times_ }, { "futex", futexes },
	{ "sys", sys }, { "ipc", ipc }, { "more", more }, { "restart", NULL },
};

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[2], "exec") == 0) {
		execed();
		return 0;
	}
	if (argc < 2 || chdir(argv[1]) != 0) {
		fprintf(stderr, "usage: calls DIR [SECTION...]\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		int want = argc == 2;
		for (int j = 2; j < argc; j++)
			want |= strcmp(argv[j], sections[i].name) == 0;
		if (want && sections[i].fn)
			sections[i].fn();
	}
	{
		int want = argc == 2;
		for (int j = 2; j < argc; j++)
			want |= strcmp(argv[j], "proc") == 0;
		if (want)
			proc(argv[0]);
	}
	for (int j = 2; j < argc; j++)
		if (strcmp(argv[j], "restart") == 0)
			restart();
	S(SYS_exit_group, 0);
	return 0;
}
