// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * osiprof's syscall programs: the hot path.
 *
 * A task is a target exactly when it has osiprof's task local storage:
 * userspace creates it (through a pidfd) for the threads it is asked to
 * trace, and sched_process_fork creates it for every new thread of a target
 * and, when following, every child process. So sys_enter's one storage lookup
 * is both the filter (a miss costs a few ns: tasks that are not targets pay
 * close to the empty-program floor) and the place the entry time is kept.
 * sys_exit folds the latency into a per-CPU array indexed by slot: no locks,
 * no allocation, no per-tid hash to leak or fill up.
 *
 * Where storage cannot be created at fork (the raw_tp flavour sees the child
 * as a bare integer), targ_discover makes a task without storage look its
 * process up in the target hash once, on its first syscall. System-wide mode
 * creates storage for every task on its first syscall.
 *
 * The target hash (tgid -> flags) is bookkeeping off the hot path: userspace
 * counts live target processes with it; sched_process_exit removes a process
 * when its last thread exits, after closing syscalls that never return (exit,
 * exit_group, or a call a thread dies in).
 *
 * Every program exists twice: tp_btf (cheapest, typed arguments) and raw_tp
 * (fallback). Userspace probes BTF and autoloads one flavour.
 *
 * Categories are not computed here: userspace knows the syscall -> category
 * mapping and sums slots into categories, which is exact because every
 * per-slot figure (counts, sums, min/max, histogram buckets) composes.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "osiprof.h"

#define MAX_ERRNO	4095
#define EEXIST		17

const volatile bool targ_all = false;	/* system-wide: every task is a target */
const volatile bool targ_follow = true;	/* child processes of targets are targets */
const volatile bool targ_discover = false; /* look up tasks without storage by tgid */

/* max_entries of these maps are set by userspace before load. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct osp_target);
} targets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct osp_sys_stat);
} sys_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__type(key, struct osp_errno_key);
	__type(value, __u64);
} errnos SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, OSP_DROP_NR);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct osp_task);
} tasks SEC(".maps");

static __always_inline void count_drop(__u32 what)
{
	__u64 *v = bpf_map_lookup_elem(&drops, &what);

	if (v)
		(*v)++;
}

static __always_inline void count_errno(__u32 slot, __u32 err)
{
	struct osp_errno_key key = { .slot = slot, .err = err };
	__u64 one = 1, *v;
	long ret;

	v = bpf_map_lookup_elem(&errnos, &key);
	if (v) {
		(*v)++;
		return;
	}
	ret = bpf_map_update_elem(&errnos, &key, &one, BPF_NOEXIST);
	if (ret == -EEXIST) {
		/* Created by another CPU in between: our CPU's copy is 0. */
		v = bpf_map_lookup_elem(&errnos, &key);
		if (v)
			(*v)++;
	} else if (ret) {
		count_drop(OSP_DROP_ERRNO_FULL);
	}
}

static __always_inline void account(__u32 slot, __u64 d, long ret)
{
	struct osp_sys_stat *s;
	__u64 sq, lo;
	__u32 b;

	s = bpf_map_lookup_elem(&sys_stats, &slot);
	if (!s)
		return;
	s->count++;
	s->total_ns += d;
	if (d > s->max_ns)
		s->max_ns = d;
	if (!s->min_ns || d < s->min_ns)
		s->min_ns = d;
	/* 128-bit sum of squares; a square overflows 64 bits only beyond
	 * 2^32 ns (4.3 s), where a 2^-32 relative error is irrelevant. */
	if (d >> 32) {
		s->sumsq_hi += (d >> 16) * (d >> 16) >> 32;
	} else {
		sq = d * d;
		lo = s->sumsq_lo + sq;
		if (lo < sq)
			s->sumsq_hi++;
		s->sumsq_lo = lo;
	}
	b = osp_hist_bucket(d);
	if (b < OSP_HIST_BUCKETS)
		s->hist[b]++;
	if (ret < 0 && ret >= -MAX_ERRNO) {
		s->errors++;
		count_errno(slot, (__u32)-ret);
	}
}

/* Storage for a task that has none yet: only in system-wide or discover mode. */
static __always_inline struct osp_task *adopt(struct task_struct *task)
{
	struct osp_task *t;
	__u32 tgid;

	if (!targ_all) {
		if (!targ_discover)
			return NULL;
		tgid = bpf_get_current_pid_tgid() >> 32;
		if (!bpf_map_lookup_elem(&targets, &tgid))
			return NULL;
	}
	t = bpf_task_storage_get(&tasks, task, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!t)
		count_drop(OSP_DROP_TASK_STORAGE);
	return t;
}

static __always_inline int on_sys_enter(long id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct osp_task *t;

	t = bpf_task_storage_get(&tasks, task, NULL, 0);
	if (!t) {
		if (!targ_all && !targ_discover)
			return 0;	/* not a target: the common case on a busy host */
		t = adopt(task);
		if (!t)
			return 0;
	}
	if (id < 0)		/* skipped by seccomp or a tracer: no syscall ran */
		return 0;
	if (id >= OSP_MAX_SYSCALL_NR) {
		count_drop(OSP_DROP_BAD_SYSCALL_NR);
		return 0;
	}
	t->slot = (__u32)id;
	t->start_ns = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_sys_exit(long ret)
{
	struct osp_task *t;
	__u64 start;

	t = bpf_task_storage_get(&tasks, bpf_get_current_task_btf(), NULL, 0);
	if (!t)
		return 0;
	start = t->start_ns;
	if (!start)
		return 0;
	t->start_ns = 0;
	account(t->slot, bpf_ktime_get_ns() - start, ret);
	return 0;
}

/* A new process of a followed target joins the target hash (bookkeeping,
 * and discovery where storage cannot be created at fork). */
static __always_inline void follow_process(__u32 ptgid, __u32 ctgid)
{
	struct osp_target nt = { .flags = OSP_TARGET_FOLLOWED, .parent = ptgid };
	long err;

	err = bpf_map_update_elem(&targets, &ctgid, &nt, BPF_NOEXIST);
	if (err && err != -EEXIST)
		count_drop(OSP_DROP_TARGETS_FULL);
}

/* tp_btf: the child is a typed task pointer, so it gets storage right here. */
static __always_inline int on_fork_btf(struct task_struct *parent, struct task_struct *child)
{
	bool thread = parent->tgid == child->tgid;

	if (targ_all)
		return 0;
	if (!bpf_task_storage_get(&tasks, bpf_get_current_task_btf(), NULL, 0))
		return 0;	/* the parent is not a target */
	if (!thread && !targ_follow)
		return 0;
	if (!bpf_task_storage_get(&tasks, child, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE))
		count_drop(OSP_DROP_TASK_STORAGE);
	if (!thread)
		follow_process(parent->tgid, child->tgid);
	return 0;
}

/* raw_tp: only the target hash; the child's threads discover themselves. */
static __always_inline int on_fork_raw(struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid, ctgid;

	if (targ_all || !targ_follow)
		return 0;
	ptgid = BPF_CORE_READ(parent, tgid);
	ctgid = BPF_CORE_READ(child, tgid);
	if (ptgid != ctgid && bpf_map_lookup_elem(&targets, &ptgid))
		follow_process(ptgid, ctgid);
	return 0;
}

/* sched_process_exit runs in the context of the exiting task. */
static __always_inline int on_exit(void)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct osp_task *t;
	__u32 tgid;

	/* exit/exit_group, or any call the thread dies in, never reaches
	 * sys_exit: close it here so every started call is counted. */
	t = bpf_task_storage_get(&tasks, task, NULL, 0);
	if (t && t->start_ns) {
		account(t->slot, bpf_ktime_get_ns() - t->start_ns, 0);
		t->start_ns = 0;
	}
	if (targ_all || (!t && !targ_discover) || BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;
	tgid = bpf_get_current_pid_tgid() >> 32;
	bpf_map_delete_elem(&targets, &tgid);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter_btf, struct pt_regs *regs, long id)
{
	return on_sys_enter(id);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit_btf, struct pt_regs *regs, long ret)
{
	return on_sys_exit(ret);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(fork_btf, struct task_struct *parent, struct task_struct *child)
{
	return on_fork_btf(parent, child);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(exit_btf, struct task_struct *task)
{
	return on_exit();
}

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	return on_sys_enter(id);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret)
{
	return on_sys_exit(ret);
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(fork_raw, struct task_struct *parent, struct task_struct *child)
{
	return on_fork_raw(parent, child);
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(exit_raw, struct task_struct *task)
{
	return on_exit();
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
