/* SPDX-License-Identifier: (MIT OR GPL-2.0) */
/*
 * The few kernel types, helpers and macros gtrace's BPF program uses,
 * written out here so that compiling it needs clang alone: no kernel
 * headers, no vmlinux.h, no libbpf. Helper numbers are the kernel's
 * (include/uapi/linux/bpf.h, __BPF_FUNC_MAPPER), which never change.
 */
#ifndef GTRACE_BPF_H
#define GTRACE_BPF_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed int __s32;
typedef signed long long __s64;

#define SEC(name) __attribute__((section(name), used))
#define __always_inline inline __attribute__((always_inline))
#define __noinline __attribute__((noinline))
/* barrier_var stops clang from reasoning about var's value across it, so
 * that a bounds check it would drop reaches the verifier. */
#define barrier_var(var) asm volatile("" : "+r"(var))
/* clamp makes v at most max in a way the verifier sees: the second test,
 * after the barrier, is one clang cannot fold away. */
#define clamp(v, max)                \
	do {                         \
		if ((v) > (max))     \
			(v) = (max); \
		barrier_var(v);      \
		if ((v) > (max))     \
			(v) = 0;     \
	} while (0)

/* BTF-defined maps, as libbpf and cilium/ebpf read them. */
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name

#define BPF_MAP_TYPE_HASH 1
#define BPF_MAP_TYPE_ARRAY 2
#define BPF_MAP_TYPE_PERCPU_ARRAY 6
#define BPF_MAP_TYPE_RINGBUF 27

#define BPF_ANY 0
#define BPF_NOEXIST 1

/* struct bpf_raw_tracepoint_args: a raw tracepoint's arguments. */
struct bpf_raw_tracepoint_args {
	__u64 args[0];
};

static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (*bpf_map_update_elem)(void *map, const void *key, const void *value, __u64 flags) = (void *)2;
static long (*bpf_map_delete_elem)(void *map, const void *key) = (void *)3;
static __u64 (*bpf_ktime_get_ns)(void) = (void *)5;
static __u64 (*bpf_get_current_pid_tgid)(void) = (void *)14;
static __u64 (*bpf_get_current_uid_gid)(void) = (void *)15;
static __u64 (*bpf_get_current_task)(void) = (void *)35;
static long (*bpf_probe_read_user)(void *dst, __u32 size, const void *unsafe_ptr) = (void *)112;
static long (*bpf_probe_read_kernel)(void *dst, __u32 size, const void *unsafe_ptr) = (void *)113;
static long (*bpf_probe_read_user_str)(void *dst, __u32 size, const void *unsafe_ptr) = (void *)114;
static long (*bpf_probe_read_kernel_str)(void *dst, __u32 size, const void *unsafe_ptr) = (void *)115;
static long (*bpf_ringbuf_output)(void *ringbuf, void *data, __u64 size, __u64 flags) = (void *)130;
static void *(*bpf_ringbuf_reserve)(void *ringbuf, __u64 size, __u64 flags) = (void *)131;
static void (*bpf_ringbuf_submit)(void *data, __u64 flags) = (void *)132;
static long (*bpf_loop)(__u32 nr_loops, void *callback_fn, void *callback_ctx, __u64 flags) = (void *)181;

/*
 * struct pt_regs of x86_64 (arch/x86/include/asm/ptrace.h). Its layout is
 * fixed by the entry code, so it is not relocated.
 */
struct pt_regs {
	__u64 r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	__u64 ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
};

#endif
