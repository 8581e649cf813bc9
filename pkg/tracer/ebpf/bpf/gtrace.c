// SPDX-License-Identifier: (MIT OR GPL-2.0)
/*
 * gtrace's eBPF engine, kernel side. Raw tracepoints only (no tracefs):
 *
 *   sys_enter, sys_exit         one record per traced syscall entry and
 *                               exit, with the argument memory the decode
 *                               table asks for copied in
 *   sched_process_fork          follows new tasks of traced tasks (-f)
 *   sched_process_exec          an execve by a non-leader thread
 *   sched_process_exit          the end of a traced task, with its code
 *   signal_deliver              a signal a traced task takes
 *   signal_generate             a signal the kernel discards as ignored
 *                               (ptrace sees those; strace prints them)
 *
 * Records go to one ring buffer. A record that does not fit is counted
 * in `lost` and every later record carries the count, so the reader can
 * say where events went missing.
 */
#include "bpf.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

/* Set by the loader (cilium/ebpf rewrites .rodata before loading). */
const volatile __u32 follow = 0; /* trace the tasks traced tasks create */
/* Where struct task_struct keeps what is read of a task, in the running
 * kernel: the loader reads them from its BTF. */
const volatile __u32 off_pid = 0;       /* task_struct.pid */
const volatile __u32 off_tgid = 0;      /* task_struct.tgid */
const volatile __u32 off_exit_code = 0; /* task_struct.exit_code */
const volatile __u32 off_status = 0;    /* task_struct.thread_info.status */
const volatile __u32 off_signal = 0;    /* task_struct.signal */
const volatile __u32 off_mm = 0;        /* task_struct.mm */
const volatile __u32 off_group_exec_task = 0; /* signal_struct.group_exec_task */
const volatile __u32 off_arg_start = 0; /* mm_struct.arg_start */
const volatile __u32 off_arg_end = 0;   /* mm_struct.arg_end */
const volatile __u32 off_env_start = 0; /* mm_struct.env_start */
const volatile __u32 off_env_end = 0;   /* mm_struct.env_end */
const volatile __u32 off_filename = 0;  /* linux_binprm.filename */

/* Records the ring buffer had no room for; read through mmap. */
__u64 lost = 0;

/* event.Arch values. */
#define ARCH_X86_64 1
#define ARCH_I386 2

#define TS_COMPAT 0x0002 /* thread_info.status: in a 32-bit syscall */
#define SIGKILL 9
#define SIGSTOP 19 /* SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU: 19 to 22 */
#define SIGTTOU 22
#define TRACE_SIGNAL_IGNORED 1

/* Syscall specs: x86_64 numbers at their own index, i386 at 1024 + nr;
 * the last slot of each half stands for every number out of range. */
#define ARCH_SLOTS 1024
#define MAX_CAPS 6
#define CAP_SLOTS 8 /* MAX_CAPS rounded up, so an index masked with 7 is in bounds */

/* What one argument needs copied (see decode.Capture). */
enum cap_kind {
	CAP_NONE = 0,
	CAP_STRING,     /* NUL-terminated, at most max chars */
	CAP_BYTES,      /* max bytes */
	CAP_BYTES_ARG,  /* as many bytes as argument len_arg, at most max */
	CAP_BYTES_RET,  /* as many bytes as the return value, at most max */
	CAP_POINTERS,   /* NULL-terminated pointer array of at most max words,
	                 * and with str_max, the strings it points to */
};

struct cap {
	__u8 kind;
	__u8 arg;     /* the argument holding the address */
	__u8 len_arg; /* CAP_BYTES_ARG: the argument holding the length */
	__u8 exit;    /* copied at exit: the kernel writes it */
	__u32 max;
	__u32 str_max;
};

struct sysspec {
	__u8 selected;   /* the syscall is traced */
	__u8 entry_caps; /* some cap is copied at entry */
	__u8 exit_caps;  /* some cap is copied at exit */
	__u8 pad;
	struct cap caps[CAP_SLOTS]; /* packed: the first CAP_NONE ends them */
};

#define T_STARTUP 1 /* a program being started: hidden until its execve */
#define T_IN_CALL 2 /* between a syscall's entry and exit */
#define T_SPAWNER 4 /* gtrace's thread starting a program: never traced,
		     * its child is traced from its start, T_STARTUP */
#define T_EXEC_MISSING 8 /* in an execve whose arguments could not be
			  * copied: sched_process_exec copies them from the
			  * new program instead */

/* A traced task (thread), by thread id. */
struct task_val {
	__u32 tgid;
	__u32 flags;
	/* The syscall in progress: its exit reports this number and slot,
	 * since the registers may no longer say (rt_sigreturn). */
	__s64 nr;
	__u32 key;
	__u8 arch;
	/* Entry captures (bit i: cap i) that found the memory not paged
	 * in yet: the exit copies them again, once the call has touched
	 * it. A BPF program cannot fault pages in. */
	__u8 retry;
	__u16 pad;
};

enum rec_type {
	REC_ENTER = 1,
	REC_EXIT,
	REC_FORK,
	REC_EXEC,
	REC_TASK_EXIT,
	REC_SIGNAL,
};

struct rec_hdr {
	__u8 type;
	__u8 arch;
	__u16 ncap; /* captures following the record */
	__u32 lost; /* records lost before this one (low 32 bits) */
	__u32 tid;
	__u32 pid;
	__u64 ts; /* CLOCK_MONOTONIC */
};

#define ENTER_RETRY 1 /* rec_enter.flags: the exit record copies again
		       * the argument memory missing here */

struct rec_enter {
	struct rec_hdr h;
	__s32 nr;
	__u32 flags;
	__u64 args[6];
};

struct rec_exit {
	struct rec_hdr h;
	__s32 nr;
	__u32 pad;
	__s64 ret;
};

struct rec_fork {
	struct rec_hdr h;
	__u32 child_tid;
	__u32 child_pid;
};

/* An execve by a thread other than the leader (old_tid != h.tid), or one
 * whose arguments the entry could not copy: its captures then hold the
 * file name (arg 0), and the argument and environment strings of the
 * new program (args 1 and 2; arg_len and env_len are their full sizes). */
struct rec_exec {
	struct rec_hdr h;
	__u32 old_tid; /* the thread that called execve, now h.tid */
	__u32 arg_len;
	__u32 env_len;
	__u32 pad;
};

struct rec_task_exit {
	struct rec_hdr h;
	__s32 code; /* as wait4 reports it */
	/* A leader ended by another thread's execve: that thread's id. */
	__u32 superseded_by;
};

/* How rec_signal.info was obtained. */
#define SIGINFO_COPIED 0
#define SIGINFO_USER 1   /* SEND_SIG_NOINFO: SI_USER from sender_pid */
#define SIGINFO_KERNEL 2 /* SEND_SIG_PRIV: SI_KERNEL */

#define SIG_IGNORED 1 /* discarded when sent: shown at the task's next
		       * return to user mode, where ptrace stops for it */
#define SIG_STOPS 2   /* its default action stops the task (group-stop) */

struct rec_signal {
	struct rec_hdr h;
	__s32 signo;
	__u16 how;
	__u16 flags;   /* SIG_* below */
	__u32 sender_pid;
	__u32 sender_uid;
	__u8 info[48]; /* struct kernel_siginfo */
};

/* A copy of tracee memory, followed by len bytes padded to 8. */
struct capture {
	__u64 addr;
	__u32 len;
	__u8 arg;
	__u8 pad[3];
};

/* Anchors the record layouts in the object's BTF, for bpf2go to write
 * their Go types (cilium/ebpf's own idiom); never used. */
union records {
	struct rec_enter enter;
	struct rec_exit exit;
	struct rec_fork fork;
	struct rec_exec exec;
	struct rec_task_exit task_exit;
	struct rec_signal signal;
	struct capture capture;
};
const union records *unused_records __attribute__((unused));

/* Records are built in a per-CPU scratch buffer: a record stops taking
 * captures once it reaches DATA_LIMIT, and one copy takes at most CHUNK
 * bytes, so a record never outgrows the buffer. */
#define SCRATCH 32768
#define DATA_LIMIT 16320
#define CHUNK 8192

struct scratch {
	__u8 buf[SCRATCH];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24); /* replaced by the loader */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 32768);
	__type(key, __u32);
	__type(value, struct task_val);
} tasks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * ARCH_SLOTS);
	__type(key, __u32);
	__type(value, struct sysspec);
} syscalls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

static __always_inline struct scratch *scratch_buf(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&scratch, &zero);
}

static __always_inline void output(void *data, __u64 size)
{
	if (bpf_ringbuf_output(&events, data, size, 0) != 0)
		__sync_fetch_and_add(&lost, 1);
}

/* reserve makes room for a record without captures right in the ring
 * buffer, which spares the copy from the scratch buffer. */
static __always_inline void *reserve(__u64 size)
{
	void *r = bpf_ringbuf_reserve(&events, size, 0);
	if (!r)
		__sync_fetch_and_add(&lost, 1);
	return r;
}

static __always_inline void header(struct rec_hdr *h, __u8 type, __u32 tid, __u32 pid, __u8 arch)
{
	h->type = type;
	h->arch = arch;
	h->ncap = 0;
	h->lost = (__u32)lost;
	h->tid = tid;
	h->pid = pid;
	h->ts = bpf_ktime_get_ns();
}

/* current_arch tells a 32-bit syscall (int $0x80, or an i386 program)
 * from a 64-bit one: in_ia32_syscall() in the kernel. */
static __always_inline __u8 current_arch(void)
{
	__u32 status = 0;

	bpf_probe_read_kernel(&status, sizeof(status), (void *)bpf_get_current_task() + off_status);
	return (status & TS_COMPAT) ? ARCH_I386 : ARCH_X86_64;
}

/* task_int reads the int at offset off of a kernel structure. */
static __always_inline int task_int(void *task, __u32 off)
{
	int v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), task + off);
	return v;
}

/* kernel_word reads the long or pointer at offset off. */
static __always_inline __u64 kernel_word(void *p, __u32 off)
{
	__u64 v = 0;

	if (p)
		bpf_probe_read_kernel(&v, sizeof(v), p + off);
	return v;
}

static __always_inline __u32 spec_key(__u8 arch, __s64 nr)
{
	__u32 base = arch == ARCH_I386 ? ARCH_SLOTS : 0;

	if (nr < 0 || nr >= ARCH_SLOTS - 1)
		return base + ARCH_SLOTS - 1;
	return base + (__u32)nr;
}

static __always_inline int is_exec(__u8 arch, __s64 nr)
{
	if (arch == ARCH_I386)
		return nr == 11 || nr == 358;
	return nr == 59 || nr == 322;
}

/* syscall_args reads the six argument registers of the current syscall. */
static __always_inline void syscall_args(struct pt_regs *regs, __u8 arch, __u64 *a)
{
	/* bp .. orig_ax: every argument register of both ABIs. */
	__u64 r[12] = {};

	bpf_probe_read_kernel(r, sizeof(r), &regs->bp);
	if (arch == ARCH_I386) {
		a[0] = (__u32)r[1]; /* bx */
		a[1] = (__u32)r[7]; /* cx */
		a[2] = (__u32)r[8]; /* dx */
		a[3] = (__u32)r[9]; /* si */
		a[4] = (__u32)r[10]; /* di */
		a[5] = (__u32)r[0]; /* bp */
		return;
	}
	a[0] = r[10]; /* di */
	a[1] = r[9];  /* si */
	a[2] = r[8];  /* dx */
	a[3] = r[3];  /* r10 */
	a[4] = r[5];  /* r8 */
	a[5] = r[4];  /* r9 */
}

static __always_inline __u64 align8(__u64 n) { return (n + 7) & ~7ull; }

static __always_inline void count_capture(struct scratch *s)
{
	((struct rec_hdr *)s->buf)->ncap++;
}

/* put_string appends the string at addr, at most max chars. A string
 * longer than max is kept to max+1 chars without its NUL, so the decoder
 * sees that it goes on. Unreadable memory appends nothing: the decoder
 * then finds no bytes and prints the address, as for a fault. */
static __always_inline __u64 put_string(struct scratch *s, __u64 pos, __u64 addr, __u32 max, __u8 arg)
{
	if (pos > DATA_LIMIT || addr == 0)
		return pos;
	struct capture *c = (void *)&s->buf[pos];
	__u64 n = (__u64)max + 2;
	clamp(n, CHUNK);
	long r = bpf_probe_read_user_str(&s->buf[pos + sizeof(*c)], n, (void *)addr);
	if (r <= 0)
		return pos;
	__u64 len = r;
	if (len >= n)
		len = n - 1; /* cut: drop the NUL the helper put there */
	c->addr = addr;
	c->len = len;
	c->arg = arg;
	count_capture(s);
	return align8(pos + sizeof(*c) + len);
}

/* put_kernel_string appends the kernel's NUL-terminated string at addr,
 * NUL included (at most CHUNK bytes). */
static __always_inline __u64 put_kernel_string(struct scratch *s, __u64 pos, __u64 addr, __u8 arg)
{
	if (pos > DATA_LIMIT || addr == 0)
		return pos;
	struct capture *c = (void *)&s->buf[pos];
	long r = bpf_probe_read_kernel_str(&s->buf[pos + sizeof(*c)], CHUNK, (void *)addr);
	if (r <= 0)
		return pos;
	__u64 len = r;
	clamp(len, CHUNK);
	c->addr = addr;
	c->len = len;
	c->arg = arg;
	count_capture(s);
	return align8(pos + sizeof(*c) + len);
}

/* put_bytes appends len bytes at addr (at most 2*CHUNK). */
static __always_inline __u64 put_bytes(struct scratch *s, __u64 pos, __u64 addr, __u64 len, __u8 arg)
{
	if (pos > DATA_LIMIT || addr == 0 || len == 0)
		return pos;
	struct capture *c = (void *)&s->buf[pos];
	__u64 first = len;
	clamp(first, CHUNK);
	if (bpf_probe_read_user(&s->buf[pos + sizeof(*c)], first, (void *)addr) != 0)
		return pos;
	__u64 got = first;
	if (len > CHUNK) {
		__u64 rest = len - CHUNK;
		clamp(rest, CHUNK);
		if (bpf_probe_read_user(&s->buf[pos + sizeof(*c) + CHUNK], rest, (void *)(addr + CHUNK)) == 0)
			got += rest;
	}
	c->addr = addr;
	c->len = got;
	c->arg = arg;
	count_capture(s);
	return align8(pos + sizeof(*c) + got);
}

/* The state of copying a pointer array (argv, envp). */
struct ptr_loop {
	__u64 addr; /* the array */
	__u32 data; /* where its words go in the scratch buffer */
	__u32 n;    /* words copied, the NULL included */
	__u32 ws;   /* word size */
	__u32 pos;  /* the end of the record */
	__u32 str_max;
	__u32 arg;
};

static long copy_word(__u32 i, struct ptr_loop *p)
{
	struct scratch *s = scratch_buf();
	if (!s)
		return 1;
	__u64 at = (__u64)p->data + (__u64)i * p->ws;
	if (at > DATA_LIMIT)
		return 1;
	barrier_var(at);
	clamp(at, DATA_LIMIT);
	__u64 w = 0;
	if (p->ws == 4) {
		__u32 w32 = 0;
		if (bpf_probe_read_user(&w32, 4, (void *)(p->addr + i * 4)) != 0)
			return 1;
		*(__u32 *)&s->buf[at] = w32;
		w = w32;
	} else {
		if (bpf_probe_read_user(&w, 8, (void *)(p->addr + i * 8)) != 0)
			return 1;
		*(__u64 *)&s->buf[at] = w;
	}
	p->n = i + 1;
	return w == 0;
}

static long copy_pointee(__u32 i, struct ptr_loop *p)
{
	struct scratch *s = scratch_buf();
	if (!s)
		return 1;
	__u64 at = (__u64)p->data + (__u64)i * p->ws;
	if (at > DATA_LIMIT)
		return 1;
	barrier_var(at);
	clamp(at, DATA_LIMIT);
	__u64 w = p->ws == 4 ? *(__u32 *)&s->buf[at] : *(__u64 *)&s->buf[at];
	if (w == 0)
		return 1;
	p->pos = put_string(s, p->pos, w, p->str_max, p->arg);
	return 0;
}

/* put_pointers appends a NULL-terminated array of at most max words and,
 * when str_max is set, the strings its words point to. */
static __always_inline __u64 put_pointers(struct scratch *s, __u64 pos, __u64 addr, __u32 max, __u32 str_max,
					  __u32 ws, __u8 arg)
{
	if (pos > DATA_LIMIT || addr == 0)
		return pos;
	struct ptr_loop p = {
		.addr = addr,
		.data = pos + sizeof(struct capture),
		.ws = ws,
		.str_max = str_max,
		.arg = arg,
	};
	bpf_loop(max, copy_word, &p, 0);
	if (p.n == 0)
		return pos;
	struct capture *c = (void *)&s->buf[pos];
	c->addr = addr;
	c->len = p.n * ws;
	c->arg = arg;
	count_capture(s);
	p.pos = align8(p.data + c->len);
	if (str_max)
		bpf_loop(p.n, copy_pointee, &p, 0);
	return p.pos;
}

/* The state of copying one syscall's argument memory. */
struct cap_loop {
	__u64 args[6];
	__s64 ret;
	__u32 key;
	__u32 pos;
	__u32 exit;
	__u32 ws;
	/* At entry, the caps whose memory could not be read; at exit, the
	 * entry caps to copy again. */
	__u32 retry;
	/* execve: its memory is gone at exit, whatever is there then is
	 * not what it was called with. */
	__u32 no_retry;
};

static long capture_arg(__u32 i, struct cap_loop *x)
{
	struct sysspec *sp = bpf_map_lookup_elem(&syscalls, &x->key);
	struct scratch *s = scratch_buf();
	if (!sp || !s || i >= MAX_CAPS)
		return 1;
	barrier_var(i); /* keep the mask: clang would drop it after the test */
	struct cap c = sp->caps[i & (CAP_SLOTS - 1)];
	if (c.kind == CAP_NONE)
		return 1;
	__u32 bit = 1u << (i & (CAP_SLOTS - 1));
	int again = x->exit && !c.exit && (x->retry & bit);
	if ((c.exit != x->exit && !again) || c.arg >= 6 || c.len_arg >= 6)
		return 0;
	__u64 addr = x->args[c.arg];
	__u64 n = 0;
	__u32 before = x->pos;
	switch (c.kind) {
	case CAP_STRING:
		n = 1;
		x->pos = put_string(s, x->pos, addr, c.max, c.arg);
		break;
	case CAP_BYTES:
		n = c.max;
		x->pos = put_bytes(s, x->pos, addr, n, c.arg);
		break;
	case CAP_BYTES_ARG:
		n = x->args[c.len_arg];
		if (n > c.max)
			n = c.max;
		x->pos = put_bytes(s, x->pos, addr, n, c.arg);
		break;
	case CAP_BYTES_RET:
		if (x->ret > 0) {
			n = x->ret;
			x->pos = put_bytes(s, x->pos, addr, n < c.max ? n : c.max, c.arg);
		}
		break;
	case CAP_POINTERS:
		x->pos = put_pointers(s, x->pos, addr, c.max, c.str_max, x->ws, c.arg);
		break;
	}
	/* Memory not paged in yet reads as a fault: try again at exit, or
	 * for execve, whose memory is gone by then, from the new program. */
	if (!x->exit && x->pos == before && addr != 0 && n != 0 && before <= DATA_LIMIT)
		x->retry |= bit;
	return 0;
}

static __always_inline struct task_val *traced(__u32 tid)
{
	return bpf_map_lookup_elem(&tasks, &tid);
}

static __always_inline void fill_enter(struct rec_enter *r, __u64 id, __u8 arch, __s64 nr, struct pt_regs *regs)
{
	header(&r->h, REC_ENTER, (__u32)id, id >> 32, arch);
	r->nr = nr;
	r->flags = 0;
	syscall_args(regs, arch, r->args);
}

static __always_inline void fill_exit(struct rec_exit *r, __u64 id, __u8 arch, __s64 nr, __s64 ret)
{
	header(&r->h, REC_EXIT, (__u32)id, id >> 32, arch);
	r->nr = nr;
	r->pad = 0;
	r->ret = ret;
}

SEC("raw_tracepoint/sys_enter")
int sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct task_val *tv = traced((__u32)id);
	if (!tv)
		return 0;
	__s64 nr = ctx->args[1];
	__u8 arch = current_arch();
	if (tv->flags & (T_STARTUP | T_SPAWNER)) {
		if ((tv->flags & T_SPAWNER) || !is_exec(arch, nr))
			return 0;
		tv->flags &= ~T_STARTUP;
	}
	__u32 key = spec_key(arch, nr);
	tv->flags = (tv->flags | T_IN_CALL) & ~T_EXEC_MISSING;
	tv->nr = nr;
	tv->key = key;
	tv->arch = arch;
	tv->retry = 0;
	struct sysspec *sp = bpf_map_lookup_elem(&syscalls, &key);
	if (!sp || !sp->selected)
		return 0;
	struct pt_regs *regs = (void *)ctx->args[0];
	struct rec_enter *r;
	if (!sp->entry_caps) {
		r = reserve(sizeof(*r));
		if (r) {
			fill_enter(r, id, arch, nr, regs);
			bpf_ringbuf_submit(r, 0);
		}
		return 0;
	}
	struct scratch *s = scratch_buf();
	if (!s)
		return 0;
	r = (void *)s->buf;
	fill_enter(r, id, arch, nr, regs);
	__u32 pos = sizeof(*r);
	{
		struct cap_loop x = {
			.key = key,
			.pos = pos,
			.ws = arch == ARCH_I386 ? 4 : 8,
			.no_retry = is_exec(arch, nr),
		};
		__builtin_memcpy(x.args, r->args, sizeof(x.args));
		bpf_loop(MAX_CAPS, capture_arg, &x, 0);
		pos = x.pos;
		if (x.retry) {
			/* The entry waits for the copies: from the exit, or
			 * for an execve from the new program. */
			r->flags = ENTER_RETRY;
			if (x.no_retry)
				tv->flags |= T_EXEC_MISSING;
			else
				tv->retry = x.retry;
		}
	}
	if (pos > SCRATCH)
		return 0;
	output(s->buf, pos);
	return 0;
}

SEC("raw_tracepoint/sys_exit")
int sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct task_val *tv = traced((__u32)id);
	if (!tv || !(tv->flags & T_IN_CALL))
		return 0;
	tv->flags &= ~T_IN_CALL;
	__s64 nr = tv->nr;
	__u32 key = tv->key;
	__u8 arch = tv->arch;
	__u8 retry = tv->retry;
	struct sysspec *sp = bpf_map_lookup_elem(&syscalls, &key);
	if (!sp || !sp->selected)
		return 0;
	struct rec_exit *r;
	if (!sp->exit_caps && !retry) {
		r = reserve(sizeof(*r));
		if (r) {
			fill_exit(r, id, arch, nr, ctx->args[1]);
			bpf_ringbuf_submit(r, 0);
		}
		return 0;
	}
	struct scratch *s = scratch_buf();
	if (!s)
		return 0;
	r = (void *)s->buf;
	fill_exit(r, id, arch, nr, ctx->args[1]);
	__u32 pos = sizeof(*r);
	{
		struct cap_loop x = {
			.ret = r->ret,
			.key = key,
			.pos = pos,
			.exit = 1,
			.ws = arch == ARCH_I386 ? 4 : 8,
			.retry = retry,
		};
		syscall_args((struct pt_regs *)ctx->args[0], arch, x.args);
		bpf_loop(MAX_CAPS, capture_arg, &x, 0);
		pos = x.pos;
	}
	if (pos > SCRATCH)
		return 0;
	output(s->buf, pos);
	return 0;
}

SEC("raw_tracepoint/sched_process_fork")
int sched_process_fork(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct task_val *tv = traced((__u32)id);
	if (!tv || !(follow || (tv->flags & T_SPAWNER)))
		return 0;
	void *child = (void *)ctx->args[1];
	int ctid = task_int(child, off_pid), cpid = task_int(child, off_tgid);
	/* The child starts out of any call: its return from clone is no
	 * syscall it made. */
	struct task_val v = {.tgid = cpid, .flags = tv->flags & ~T_IN_CALL};
	if (tv->flags & T_SPAWNER)
		v.flags = T_STARTUP;
	__u32 key = ctid;
	if (bpf_map_update_elem(&tasks, &key, &v, BPF_ANY) != 0) {
		/* The map is full: the child goes untraced, and says so. */
		__sync_fetch_and_add(&lost, 1);
		return 0;
	}
	if (v.flags & T_STARTUP)
		return 0;
	struct rec_fork r = {};
	header(&r.h, REC_FORK, (__u32)id, id >> 32, 0);
	r.child_tid = ctid;
	r.child_pid = cpid;
	output(&r, sizeof(r));
	return 0;
}

SEC("raw_tracepoint/sched_process_exec")
int sched_process_exec(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	__u32 old = (__u32)ctx->args[1];
	struct task_val *tv = traced(old);
	if (!tv)
		return 0;
	__u32 missing = tv->flags & T_EXEC_MISSING;
	if (old == tid && !missing)
		return 0;
	struct task_val v = *tv;
	v.flags &= ~T_EXEC_MISSING;
	if (old != tid) {
		/* A thread other than the leader called execve and took the
		 * leader's id (de_thread). */
		bpf_map_delete_elem(&tasks, &old);
		bpf_map_update_elem(&tasks, &tid, &v, BPF_ANY);
	} else {
		tv->flags = v.flags;
	}

	struct scratch *s = scratch_buf();
	if (!s)
		return 0;
	struct rec_exec *r = (void *)s->buf;
	header(&r->h, REC_EXEC, tid, id >> 32, 0);
	r->old_tid = old;
	r->arg_len = 0;
	r->env_len = 0;
	r->pad = 0;
	__u64 pos = sizeof(*r);
	if (missing) {
		/* The new program's arguments and environment, on its stack
		 * now, and the file name the kernel kept. */
		void *mm = (void *)kernel_word((void *)bpf_get_current_task(), off_mm);
		__u64 arg = kernel_word(mm, off_arg_start), env = kernel_word(mm, off_env_start);
		__u64 arg_len = kernel_word(mm, off_arg_end) - arg, env_len = kernel_word(mm, off_env_end) - env;
		r->arg_len = arg_len;
		r->env_len = env_len;
		pos = put_kernel_string(s, pos, kernel_word((void *)ctx->args[2], off_filename), 0);
		pos = put_bytes(s, pos, arg, arg_len, 1);
		pos = put_bytes(s, pos, env, env_len, 2);
	}
	if (pos > SCRATCH)
		return 0;
	output(s->buf, pos);
	return 0;
}

SEC("raw_tracepoint/sched_process_exit")
int sched_process_exit(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct task_val *tv = traced(tid);
	if (!tv)
		return 0;
	__u32 flags = tv->flags;
	bpf_map_delete_elem(&tasks, &tid);
	if (flags & T_STARTUP)
		return 0;
	struct rec_task_exit r = {};
	header(&r.h, REC_TASK_EXIT, tid, id >> 32, 0);
	void *task = (void *)ctx->args[0];
	r.code = task_int(task, off_exit_code);
	if (tid == id >> 32) {
		/* A leader that another thread's execve does away with. */
		void *execing = (void *)kernel_word((void *)kernel_word(task, off_signal), off_group_exec_task);
		if (execing && execing != task)
			r.superseded_by = task_int(execing, off_pid);
	}
	output(&r, sizeof(r));
	return 0;
}

SEC("raw_tracepoint/signal_deliver")
int signal_deliver(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct task_val *tv = traced((__u32)id);
	int sig = ctx->args[0];
	/* SIGKILL is never seen by ptrace either: it shows as the exit. */
	if (!tv || (tv->flags & (T_STARTUP | T_SPAWNER)) || sig == SIGKILL)
		return 0;
	struct rec_signal r = {};
	header(&r.h, REC_SIGNAL, (__u32)id, id >> 32, 0);
	r.signo = sig;
	/* struct k_sigaction starts with sa_handler: SIG_DFL is 0. */
	if (sig >= SIGSTOP && sig <= SIGTTOU && kernel_word((void *)ctx->args[2], 0) == 0)
		r.flags = SIG_STOPS;
	void *info = (void *)ctx->args[1];
	if ((__u64)info > 1)
		bpf_probe_read_kernel(r.info, sizeof(r.info), info);
	else
		r.how = (__u64)info == 0 ? SIGINFO_USER : SIGINFO_KERNEL;
	output(&r, sizeof(r));
	return 0;
}

SEC("raw_tracepoint/signal_generate")
int signal_generate(struct bpf_raw_tracepoint_args *ctx)
{
	if ((int)ctx->args[4] != TRACE_SIGNAL_IGNORED)
		return 0;
	void *t = (void *)ctx->args[2];
	int tid = task_int(t, off_pid), pid = task_int(t, off_tgid);
	struct task_val *tv = traced(tid);
	if (!tv || (tv->flags & (T_STARTUP | T_SPAWNER)))
		return 0;
	struct rec_signal r = {};
	header(&r.h, REC_SIGNAL, tid, pid, 0);
	r.signo = ctx->args[0];
	r.flags = SIG_IGNORED;
	void *info = (void *)ctx->args[1];
	if ((__u64)info > 1) {
		bpf_probe_read_kernel(r.info, sizeof(r.info), info);
	} else {
		r.how = (__u64)info == 0 ? SIGINFO_USER : SIGINFO_KERNEL;
		r.sender_pid = bpf_get_current_pid_tgid() >> 32;
		r.sender_uid = (__u32)bpf_get_current_uid_gid();
	}
	output(&r, sizeof(r));
	return 0;
}
