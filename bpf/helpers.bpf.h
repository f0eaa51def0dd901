/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Small helpers every program group shares: drop counters, the failure
 * test, the per-CPU scheduler entry, and the statistics update. */
#ifndef OSIPROF_HELPERS_BPF_H
#define OSIPROF_HELPERS_BPF_H

#include "maps.bpf.h"

static __always_inline void count_drop(__u32 what)
{
	__u64 *v = bpf_map_lookup_elem(&drops, &what);

	if (v)
		(*v)++;
}

/* One more in a per-CPU counter hash (errnos, i386 numbers): entries appear
 * on first use; a full map is a counted drop, never silent. */
static __always_inline void count_in(void *map, const void *key, __u32 drop)
{
	__u64 one = 1, *v = bpf_map_lookup_elem(map, key);
	long ret;

	if (v) {
		(*v)++;
		return;
	}
	ret = bpf_map_update_elem(map, key, &one, BPF_NOEXIST);
	if (ret == -EEXIST && (v = bpf_map_lookup_elem(map, key)))
		(*v)++;		/* another CPU created it in between: ours is 0 */
	else if (ret)
		count_drop(drop);
}

/* A zeroed ring-buffer record of the slow-call shape (osiprof.h), or NULL
 * after counting the loss. */
static __always_inline struct osp_ev_slow *reserve_event(__u32 type)
{
	struct osp_ev_slow *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count_drop(OSP_DROP_RINGBUF);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->type = type;
	return e;
}

/* A timeline instant of the current thread (OSP_EV_FORK, OSP_EV_PHASE). */
static __always_inline void emit_instant(__u32 type, __u32 slot, __s64 ret)
{
	struct osp_ev_slow *e = reserve_event(type);
	__u64 id = bpf_get_current_pid_tgid();

	if (!e)
		return;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->slot = slot;
	e->ret = ret;
	e->ts_ns = bpf_ktime_get_ns();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
}

/* A syscall failed if it returned -1..-4095 (the kernel's IS_ERR_VALUE). */
static __always_inline bool syscall_failed(long ret)
{
	return ret < 0 && ret >= -MAX_ERRNO;
}

/* inode i_mode types (include/uapi/linux/stat.h). */
#define OSP_S_IFMT	00170000
#define OSP_S_IFSOCK	0140000
#define OSP_S_IFLNK	0120000
#define OSP_S_IFREG	0100000
#define OSP_S_IFBLK	0060000
#define OSP_S_IFDIR	0040000
#define OSP_S_IFCHR	0020000
#define OSP_S_IFIFO	0010000

/* The open file behind the current task's descriptor fd, or NULL:
 * task -> files -> fdtable -> file. */
static __always_inline struct file *fd_file(long fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *f = NULL;

	if (!fdt || fd < 0 || (unsigned long)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]))
		return NULL;
	return f;
}

static __always_inline struct osp_sched_stat *sched_stat(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&sched_stats, &zero);
}

/* Adds d^2 to the 128-bit sum (hi, lo), exactly for any 64-bit d:
 * d = a.2^32 + b, d^2 = a^2.2^64 + 2ab.2^32 + b^2. */
static __always_inline void sumsq_add(struct osp_sys_stat *s, __u64 d)
{
	__u64 a = d >> 32, b = d & 0xffffffffULL, ab = a * b, bb = b * b;
	__u64 hi = a * a + (ab >> 31), mid = ab << 33, lo = bb + mid;

	if (lo < bb)
		hi++;
	s->sumsq_lo += lo;
	if (s->sumsq_lo < lo)
		hi++;
	s->sumsq_hi += hi;
}

/* Adds one value (an I/O of n bytes, or a latency) to a statistics value. */
static __always_inline void size_add(struct osp_sys_stat *s, __u64 n)
{
	__u32 b;

	s->count++;
	s->total_ns += n;
	if (n > s->max_ns)
		s->max_ns = n;
	if (s->count == 1 || n < s->min_ns)
		s->min_ns = n;
	b = osp_hist_bucket(n);
	if (b < OSP_HIST_BUCKETS)
		s->hist[b]++;
}

/* Adds one call of latency d to a statistics value. */
static __always_inline void stat_add(struct osp_sys_stat *s, __u64 d, long ret)
{
	size_add(s, d);		/* count, sum, min, max and histogram alike */
	sumsq_add(s, d);
	if (syscall_failed(ret))
		s->errors++;
}

#endif
