/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * osiprof's syscall and lifecycle programs: the hot path.
 *
 * A task is a target exactly when it has osiprof's task local storage:
 * userspace creates it (through a pidfd) for the threads it is asked to
 * trace, and sched_process_fork creates it for every new thread of a target
 * and, when following, every child process. So sys_enter's one storage lookup
 * is both the filter (a miss costs a few ns: tasks that are not targets pay
 * close to the empty-program floor) and the place the entry time is kept.
 * sys_exit folds the latency into a per-CPU array indexed by slot, and the
 * thread's own per-category totals into its storage: no locks, no
 * allocation, no per-tid hash to leak or fill up.
 *
 * Where storage cannot be created at fork (the raw_tp flavour sees the child
 * as a bare integer), targ_discover makes a task without storage look its
 * process up in the process map once, on its first syscall. System-wide mode
 * creates storage for every task on its first syscall.
 *
 * The process map (tgid -> osp_proc) is off the hot path: a thread folds its
 * totals into it when it exits, and the last thread records the process's
 * faults and peak RSS. Live threads are read by the task iterator at the end
 * of this file, so a snapshot needs no per-process work per syscall.
 *
 * Every program exists twice: tp_btf (cheapest, typed arguments) and raw_tp
 * (fallback). Userspace probes BTF and autoloads one flavour.
 */
#ifndef OSIPROF_SYSCALLS_BPF_H
#define OSIPROF_SYSCALLS_BPF_H

#include "helpers.bpf.h"
#include "core_fixes.bpf.h"
#include "phases.bpf.h"
#include "gpu.bpf.h"
#include "objects.bpf.h"
#include "stacks.bpf.h"

static __always_inline void new_process(__u32 tgid, __u32 ppid, __u32 flags, __u64 start_ns)
{
	__u32 zero = 0;
	struct osp_proc *p = bpf_map_lookup_elem(&proc_scratch, &zero);
	long err;

	if (!p)
		return;
	p->flags = flags;
	p->ppid = ppid;
	p->start_ns = start_ns;
	p->cgid = bpf_get_current_cgroup_id();	/* a child starts in its parent's */
	bpf_get_current_comm(p->comm, sizeof(p->comm));
	err = bpf_map_update_elem(&procs, &tgid, p, BPF_NOEXIST);
	if (err && err != -EEXIST)
		count_drop(OSP_DROP_TARGETS_FULL);
}

static __always_inline void count_errno(__u32 slot, __u32 err)
{
	struct osp_errno_key key = { .slot = slot, .err = err };

	count_in(&errnos, &key, OSP_DROP_ERRNO_FULL);
}

/* A slot's first call on this CPU: the collector starts reading it. */
static __always_inline void mark_touched(__u32 slot)
{
	__u32 zero = 0;
	struct osp_touched *m = bpf_map_lookup_elem(&touched, &zero);

	if (m && slot < OSP_NR_SLOTS)
		m->bits[slot / 64] |= 1ULL << (slot % 64);
}

/* A data-moving call's size, in its category's size histogram. */
static __always_inline void account_size(__u32 c, __u64 n)
{
	struct osp_sys_stat *s = bpf_map_lookup_elem(&io_sizes, &c);
	__u32 zero = 0;
	struct osp_touched *m;

	if (!s)
		return;
	size_add(s, n);
	if (s->count == 1 && (m = bpf_map_lookup_elem(&touched, &zero)))
		m->io_cats |= 1ULL << (c & 63);
}

/* Folds one finished syscall of thread t into the per-CPU statistics. */
static __always_inline void account(struct osp_task *t, __u64 d, long ret)
{
	__u32 slot = t->slot, *cat, c, phase = 0;
	struct osp_sys_stat *s;
	__u64 off = t->sys_offcpu_ns;

	/* Only with --phases/--window: one more lookup per syscall. */
	if ((targ_phases || targ_window) && !phase_of(&phase)) {
		t->sys_offcpu_ns = 0;
		return;		/* outside the window: not counted at all */
	}
	s = bpf_map_lookup_elem(&sys_stats, &slot);
	if (!s)
		return;
	stat_add(s, d, ret);
	if (s->count == 1)
		mark_touched(slot);
	if (targ_gpu && slot >= OSP_SLOT_GPU_IOCTL)
		account_gpu(t, d, ret);
	if (t->sys_offcpu_ns) {
		s->offcpu_ns += t->sys_offcpu_ns;
		t->sys_offcpu_ns = 0;
	}
	if (syscall_failed(ret))
		count_errno(slot, (__u32)-ret);
	cat = bpf_map_lookup_elem(&slot_cat, &slot);
	if (!cat)
		return;
	c = *cat & OSP_CAT_ID_MASK;
	if (c >= OSP_MAX_CATEGORIES)
		return;
	t->cats.count[c]++;
	t->cats.total_ns[c] += d;
	/* read, write, send...: a successful return is the bytes moved. */
	if ((*cat & OSP_CAT_MOVES_BYTES) && ret > 0) {
		s->bytes += (__u64)ret;
		t->cats.bytes[c] += (__u64)ret;
		account_size(c, (__u64)ret);
	}
	if (targ_objects)
		object_exit(t, d, ret, off, *cat & OSP_CAT_MOVES_BYTES);
	if (targ_phases && phase < OSP_MAX_PHASES)
		phase_account(phase, c, d, ret, off);
}

/* Storage for a task that has none yet: only in system-wide, cgroup or
 * discover mode. osiprof's own threads are never adopted, so without storage
 * they are invisible to every program, like any task that is not a target. */
static __always_inline struct osp_task *adopt(struct task_struct *task)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct osp_task *t;

	if (targ_all || targ_cgroup) {
		if (tgid == self_tgid)
			return NULL;
		if (targ_cgroup && bpf_current_task_under_cgroup(&cgroup_filter, 0) != 1)
			return NULL;
		new_process(tgid, BPF_CORE_READ(task, real_parent, tgid), 0,
			    BPF_CORE_READ(task, group_leader, start_time));
	} else if (!targ_discover || !bpf_map_lookup_elem(&procs, &tgid)) {
		return NULL;
	}
	t = bpf_task_storage_get(&tasks, task, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!t)
		count_drop(OSP_DROP_TASK_STORAGE);
	return t;
}


static __always_inline int on_sys_enter(struct pt_regs *regs, long id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct osp_task *t;

	if (!targ_all && !targ_discover && !targ_cgroup && no_local_storage(task))
		return 0;
	t = bpf_task_storage_get(&tasks, task, NULL, 0);
	if (!t) {
		if (!targ_all && !targ_discover && !targ_cgroup)
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
	if (compat_syscall(task)) {
		__u32 id32 = (__u32)id;

		count_in(&compat_nrs, &id32, OSP_DROP_COMPAT_FULL);
		t->slot = OSP_SLOT_COMPAT;
	} else {
		t->slot = targ_gpu ? classify(t, regs, (__u32)id) : (__u32)id;
	}
	if (targ_timeline || targ_objects)
		t->arg0 = (__s64)syscall_arg(regs, 1);
	if (targ_objects)
		object_enter(t, t->slot);
	t->start_ns = bpf_ktime_get_ns();
	return 0;
}

static __always_inline void emit_slow(struct osp_task *t, __u64 now, __u64 d, long ret, __u64 off)
{
	struct osp_ev_slow *e = reserve_event(OSP_EV_SLOW);
	__u64 id = bpf_get_current_pid_tgid();

	if (!e)
		return;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->slot = t->slot;
	e->ts_ns = now;
	e->latency_ns = d;
	e->ret = ret;
	e->arg0 = t->arg0;
	e->offcpu_ns = off;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
}

static __always_inline int on_sys_exit(void *ctx, struct pt_regs *regs, long ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct osp_task *t;
	__u64 start, now, off;

	if (no_local_storage(task))
		return 0;
	t = bpf_task_storage_get(&tasks, task, NULL, 0);
	if (!t)
		return 0;
	start = t->start_ns;
	if (!start)
		return 0;
	t->start_ns = 0;
	now = bpf_ktime_get_ns();
	off = t->sys_offcpu_ns;		/* account() hands it on and clears it */
	account(t, now - start, ret);
	if (targ_slow_ns && now - start >= targ_slow_ns)
		emit_slow(t, now, now - start, ret, off);
	if (targ_stacks) {
		capture_stack(ctx, regs, t, now - start, off);
		if (t->slot == nr_mmap && !syscall_failed(ret))
			note_mmap(regs, ret);
	}
	return 0;
}

static __always_inline void count_creation(struct osp_task *parent, bool thread)
{
	struct osp_sched_stat *g = sched_stat();

	if (thread) {
		if (g)
			g->c.threads++;
		parent->sched.threads++;
	} else {
		if (g)
			g->c.forks++;
		parent->sched.forks++;
	}
}

/* tp_btf: the child is a typed task pointer, so it gets storage right here. */
static __always_inline int on_fork_btf(struct task_struct *parent, struct task_struct *child)
{
	bool thread = parent->tgid == child->tgid;
	struct osp_task *pt;

	pt = bpf_task_storage_get(&tasks, bpf_get_current_task_btf(), NULL, 0);
	if (!pt)
		return 0;	/* the parent is not a target */
	count_creation(pt, thread);
	if (targ_timeline)
		emit_instant(OSP_EV_FORK, child->tgid, child->pid);
	if (targ_stacks && !thread)	/* the child starts with its parent's mappings */
		emit_instant(OSP_EV_STACK_PID, child->tgid, 2);
	if (targ_all || (!thread && !targ_follow))
		return 0;	/* system-wide: the child adopts itself */
	if (!bpf_task_storage_get(&tasks, child, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE))
		count_drop(OSP_DROP_TASK_STORAGE);
	if (!thread)
		new_process(child->tgid, parent->tgid, OSP_PROC_FOLLOWED, child->start_time);
	return 0;
}

/* raw_tp: only the process map; the child's threads discover themselves. */
static __always_inline int on_fork_raw(struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = BPF_CORE_READ(parent, tgid), ctgid = BPF_CORE_READ(child, tgid);
	struct osp_task *pt;

	pt = bpf_task_storage_get(&tasks, bpf_get_current_task_btf(), NULL, 0);
	if (pt)
		count_creation(pt, ptgid == ctgid);
	if (pt && targ_timeline)
		emit_instant(OSP_EV_FORK, ctgid, BPF_CORE_READ(child, pid));
	if (pt && targ_stacks && ptgid != ctgid)
		emit_instant(OSP_EV_STACK_PID, ctgid, 2);
	if (targ_all || !targ_follow || ptgid == ctgid)
		return 0;
	if (bpf_map_lookup_elem(&procs, &ptgid))
		new_process(ctgid, ptgid, OSP_PROC_FOLLOWED, BPF_CORE_READ(child, start_time));
	return 0;
}

static __always_inline void emit_exec(struct linux_binprm *bprm)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct osp_ev_exec *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count_drop(OSP_DROP_RINGBUF);
		return;
	}
	e->type = OSP_EV_EXEC;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->pad = 0;
	e->ts_ns = bpf_ktime_get_ns();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), BPF_CORE_READ(bprm, filename)) < 0)
		e->filename[0] = '\0';
	bpf_ringbuf_submit(e, 0);
}

static __always_inline int on_exec(struct linux_binprm *bprm)
{
	struct osp_task *t = bpf_task_storage_get(&tasks, bpf_get_current_task_btf(), NULL, 0);
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct osp_sched_stat *g;
	struct osp_proc *p;

	if (!t)
		return 0;
	g = sched_stat();
	if (g)
		g->c.execs++;
	t->sched.execs++;
	p = bpf_map_lookup_elem(&procs, &tgid);
	if (p) {
		bpf_get_current_comm(p->comm, sizeof(p->comm));
		/* The command osiprof started counts its faults from its exec,
		 * not from the fork (osiprof's own doing), as perf stat does. */
		if (p->flags & OSP_PROC_AWAIT_EXEC) {
			struct task_struct *task = bpf_get_current_task_btf();

			p->min_flt_base = task->min_flt + BPF_CORE_READ(task, signal, min_flt);
			p->maj_flt_base = task->maj_flt + BPF_CORE_READ(task, signal, maj_flt);
			p->flags &= ~OSP_PROC_AWAIT_EXEC;
		}
	}
	if (targ_events)
		emit_exec(bprm);
	if (targ_stacks) {	/* its old mappings are gone: the new ones follow */
		emit_instant(OSP_EV_STACK_PID, 0, 1);
		send_exec_mappings();
	}
	return 0;
}

static __always_inline void fold_thread(struct osp_proc *p, struct osp_task *t)
{
	__u64 *dst = (__u64 *)&p->sched, *src = (__u64 *)&t->sched;
	int i;

	/* Several threads may exit at once on different CPUs. */
	for (i = 0; i < sizeof(t->sched) / sizeof(__u64); i++)
		__sync_fetch_and_add(&dst[i], src[i]);
	for (i = 0; i < OSP_MAX_CATEGORIES; i++) {
		if (t->cats.count[i]) {
			__sync_fetch_and_add(&p->cats.count[i], t->cats.count[i]);
			__sync_fetch_and_add(&p->cats.total_ns[i], t->cats.total_ns[i]);
			if (t->cats.bytes[i])
				__sync_fetch_and_add(&p->cats.bytes[i], t->cats.bytes[i]);
		}
	}
}

/* Returns false if the event could not be queued (counted as a drop). */
static __always_inline bool emit_exit(__u32 tgid, __u64 now, struct osp_proc *p)
{
	struct osp_ev_exit *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count_drop(OSP_DROP_RINGBUF);
		return false;
	}
	e->type = OSP_EV_EXIT;
	e->pid = tgid;
	e->ts_ns = now;
	if (bpf_probe_read_kernel(&e->proc, sizeof(e->proc), p))
		__builtin_memset(&e->proc, 0, sizeof(e->proc));
	bpf_ringbuf_submit(e, 0);
	return true;
}

/* A thread that reached its exit after its process was ended (and, with
 * reclaiming, its entry gone): its figures follow the process's in an
 * event of their own. False if it could not be queued (counted). */
static __always_inline bool emit_late_thread(__u32 tgid, __u64 now, struct osp_task *t)
{
	struct osp_ev_exit *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count_drop(OSP_DROP_RINGBUF);
		return false;
	}
	__builtin_memset(&e->proc, 0, sizeof(e->proc));
	e->type = OSP_EV_LATE_THREAD;
	e->pid = tgid;
	e->ts_ns = now;
	e->proc.cats = t->cats;
	e->proc.sched = t->sched;
	e->proc.exit_ns = now;
	e->proc.cgid = bpf_get_current_cgroup_id();
	e->proc.flags = OSP_PROC_EXITED;
	bpf_get_current_comm(e->proc.comm, sizeof(e->proc.comm));
	bpf_ringbuf_submit(e, 0);
	return true;
}

/* A thread's last figures: the call it dies in (exit/exit_group, or any
 * call it is killed in, never reaches sys_exit) and its time on CPU. */
static __always_inline void close_thread(struct osp_task *t, __u64 now, struct osp_sched_stat *g)
{
	if (t->start_ns) {
		account(t, now - t->start_ns, 0);
		t->start_ns = 0;
	}
	if (t->on_ns) {
		if (g)
			g->c.oncpu_ns += now - t->on_ns;
		t->sched.oncpu_ns += now - t->on_ns;
		t->on_ns = 0;
	}
	if (g)
		g->c.exits++;
	t->sched.exits++;
	/* Storage lives until the zombie is reaped: the iterator must not
	 * count this thread again once it is folded below, nor the scheduler
	 * programs add to it. */
	t->flags |= OSP_TASK_EXITED;
}

/* The thread that ends its process (one only: the first to claim the
 * entry): the process's final figures, to its exit event and, reclaiming,
 * out of the map. */
static __always_inline void end_process(struct task_struct *task, __u32 tgid, __u64 now,
					struct osp_proc *p, struct osp_sched_stat *g)
{
	__u64 hw, rss, maxrss;
	struct mm_struct *mm;

	if (__sync_val_compare_and_swap(&p->ended, 0, 1))
		return;
	if (g)
		g->process_exits++;
	/* The last thread: the process's own faults (dead threads' are in
	 * signal) and its memory high-water mark. Kernels whose exit
	 * tracepoint runs after exit_mm have no mm here: signal->maxrss (set
	 * from the mm before it went, in pages) is the fallback. */
	p->min_flt = BPF_CORE_READ(task, min_flt) + BPF_CORE_READ(task, signal, min_flt) - p->min_flt_base;
	p->maj_flt = BPF_CORE_READ(task, maj_flt) + BPF_CORE_READ(task, signal, maj_flt) - p->maj_flt_base;
	maxrss = BPF_CORE_READ(task, signal, maxrss);
	mm = BPF_CORE_READ(task, mm);
	if (mm) {
		hw = BPF_CORE_READ(mm, hiwater_rss);
		rss = mm_rss_pages(mm);
		if (rss > hw)
			hw = rss;
		if (hw > maxrss)
			maxrss = hw;
	}
	p->peak_rss_pages = maxrss;
	/* The process's real start (CLOCK_MONOTONIC, like every osiprof time),
	 * not when osiprof first saw it. */
	p->start_ns = BPF_CORE_READ(task, group_leader, start_time);
	/* Its name as it ended (the leader's, PR_SET_NAME included). */
	BPF_CORE_READ_STR_INTO(&p->comm, task, group_leader, comm);
	p->exit_ns = now;
	p->cgid = bpf_get_current_cgroup_id();	/* where it ended */
	p->exit_code = BPF_CORE_READ(task, signal, group_exit_code) ?: BPF_CORE_READ(task, exit_code);
	p->flags |= OSP_PROC_EXITED;
	if (targ_phases || targ_window)
		phase_exit(tgid, now);
	/* Its final totals leave with the event; only then can the entry go.
	 * If the event was lost the entry stays (final, flagged exited) for
	 * the collector to read and reclaim. */
	if (targ_events) {
		if (!emit_exit(tgid, now, p))
			p->flags |= OSP_PROC_EVENT_LOST;
		else if (targ_reclaim)
			bpf_map_delete_elem(&procs, &tgid);
	}
}

/* sched_process_exit runs in the context of the exiting task. A target's
 * thread may have no storage (system-wide and raw_tp adopt threads at their
 * first call; one killed before it ran never made one), and it may be the
 * one that ends the process: the process is closed all the same. */
static __always_inline int on_exit(unsigned long long *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32, overflow = 0;
	struct osp_sched_stat *g = sched_stat();
	struct osp_proc *p;
	struct osp_task *t;
	bool group_dead;
	__u64 now;

	now = bpf_ktime_get_ns();
	t = bpf_task_storage_get(&tasks, task, NULL, 0);
	if (t)
		close_thread(t, now, g);
	/* Exactly one thread ends the group: the kernel's own decision where
	 * the tracepoint passes it. signal->live read here is 0 for every
	 * thread past its decrement, so threads exiting together (exit_group)
	 * could each take themselves for the last: end_process's claim then
	 * keeps the process's exit to one of them. */
	if (targ_exit_group_dead)
		group_dead = (bool)ctx[1];
	else
		group_dead = BPF_CORE_READ(task, signal, live.counter) == 0;

	/* The kernel's group_dead goes to the thread that decremented last,
	 * not to the last to get here: a sibling can arrive after its process
	 * was ended (and reclaimed). Its figures then belong to the exited. */
	p = bpf_map_lookup_elem(&procs, &tgid);
	if (!p) {
		if (!t)
			return 0;	/* not a target */
		if (targ_reclaim && !group_dead && !BPF_CORE_READ(task, signal, live.counter) &&
		    emit_late_thread(tgid, now, t))
			return 0;
		/* Global lifecycle counts never depend on the process map's size. */
		if (group_dead && g)
			g->process_exits++;
		/* A process that did not fit: its totals join the overflow entry. */
		p = bpf_map_lookup_elem(&procs, &overflow);
		if (p)
			fold_thread(p, t);
		return 0;
	}
	if (t && targ_reclaim && p->ended && emit_late_thread(tgid, now, t))
		return 0;
	if (t) {
		fold_thread(p, t);
	} else {
		if (g)
			g->c.exits++;
		__sync_fetch_and_add(&p->sched.exits, 1);
	}
	if (group_dead)
		end_process(task, tgid, now, p, g);
	return 0;
}

/* Each program in both flavours, tp_btf and raw_tp (userspace autoloads
 * one): same arguments, same body. */
#define BOTH_FLAVOURS(tp, name, call, args...)				\
	SEC("tp_btf/" #tp) int BPF_PROG(name##_btf, args) { return call; }	\
	SEC("raw_tp/" #tp) int BPF_PROG(name##_raw, args) { return call; }

BOTH_FLAVOURS(sys_enter, sys_enter, on_sys_enter(regs, id), struct pt_regs *regs, long id)
BOTH_FLAVOURS(sys_exit, sys_exit, on_sys_exit(ctx, regs, ret), struct pt_regs *regs, long ret)
BOTH_FLAVOURS(sched_process_exec, exec, on_exec(bprm),
	      struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
BOTH_FLAVOURS(sched_process_exit, exit, on_exit(ctx), struct task_struct *p)

/* Forks differ: only tp_btf can give the child storage at once. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(fork_btf, struct task_struct *parent, struct task_struct *child)
{
	return on_fork_btf(parent, child);
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(fork_raw, struct task_struct *parent, struct task_struct *child)
{
	return on_fork_raw(parent, child);
}

/* Snapshot of live target threads: userspace reads one osp_thread_rec per
 * thread that has storage. */
SEC("iter/task")
int dump_threads(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct mm_struct *mm;
	struct osp_task *t;
	__u64 mem[7] = {};
	__u32 ids[2];

	if (!task)
		return 0;
	t = bpf_task_storage_get(&tasks, task, NULL, 0);
	if (!t || (t->flags & OSP_TASK_EXITED))
		return 0;
	ids[0] = task->tgid;
	ids[1] = task->pid;
	mem[0] = task->min_flt;
	mem[1] = task->maj_flt;
	mem[2] = BPF_CORE_READ(task, signal, min_flt);
	mem[3] = BPF_CORE_READ(task, signal, maj_flt);
	mm = task->mm;
	if (mm) {
		mem[4] = mm_rss_pages(mm);
		mem[5] = BPF_CORE_READ(mm, hiwater_rss);
	}
	mem[6] = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id);
	bpf_seq_write(ctx->meta->seq, ids, sizeof(ids));
	bpf_seq_write(ctx->meta->seq, &t->sched, sizeof(t->sched));
	bpf_seq_write(ctx->meta->seq, &t->cats, sizeof(t->cats));
	bpf_seq_write(ctx->meta->seq, task->comm, sizeof(task->comm));
	bpf_seq_write(ctx->meta->seq, mem, sizeof(mem));
	return 0;
}

#endif
