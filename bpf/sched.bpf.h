/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * osiprof's scheduler programs: where a target's time goes when it is not
 * running. Same discipline as the syscall programs: a target is a task with
 * storage, counters live in that storage and in one per-CPU entry.
 *
 * sched_switch closes the previous task's on-CPU interval and opens its
 * off-CPU one (voluntary if it blocked, involuntary if it was preempted and
 * so is runnable again at once), and does the reverse for the next task:
 * off-CPU time inside a syscall is charged to that syscall (sys_exit moves it
 * into the slot's offcpu_ns), time off-CPU elsewhere to the thread, and the
 * wait since it became runnable is run-queue latency. sched_wakeup(_new)
 * marks when a blocked task became runnable; sched_migrate_task counts CPU
 * migrations.
 *
 * Only tp_btf flavours: without typed task pointers there is no cheap way to
 * reach another task's storage, so userspace reports the section as not
 * collected rather than guessing.
 */
#ifndef OSIPROF_SCHED_BPF_H
#define OSIPROF_SCHED_BPF_H

#include "helpers.bpf.h"
#include "core_fixes.bpf.h"
#include "stacks.bpf.h"

#define TASK_RUNNING	0

/* The global counters are updated before the thread's own, so a reader that
 * takes threads first and the globals after never sees a thread ahead of
 * the totals. */
static __always_inline void switch_out(struct osp_task *t, bool preempt, unsigned int prev_state,
				       __u64 now, struct osp_sched_stat *g)
{
	__u64 ran = t->on_ns ? now - t->on_ns : 0;

	t->on_ns = 0;
	t->off_ns = now;
	if (g)
		g->c.oncpu_ns += ran;
	t->sched.oncpu_ns += ran;
	/* As the kernel's nvcsw/nivcsw: voluntary only if it blocked. */
	if (!preempt && prev_state != TASK_RUNNING) {
		if (g)
			g->c.vol_switches++;
		t->sched.vol_switches++;
		t->wake_ns = 0;		/* a wake-up seen while it still ran is void */
		t->flags &= ~OSP_TASK_PREEMPTED;
	} else {
		if (g)
			g->c.invol_switches++;
		t->sched.invol_switches++;
		t->wake_ns = now;	/* still runnable: waiting from now */
		t->flags |= OSP_TASK_PREEMPTED;
	}
}

/* The timeline's off-CPU span outside a syscall, ending now. */
static __always_inline void emit_offcpu(struct osp_task *t, struct task_struct *task, __u64 now,
					__u64 off)
{
	struct osp_ev_slow *e = reserve_event(OSP_EV_OFFCPU);

	if (!e)
		return;
	e->pid = BPF_CORE_READ(task, tgid);
	e->tid = BPF_CORE_READ(task, pid);
	e->slot = !!(t->flags & OSP_TASK_PREEMPTED);
	e->ts_ns = now;
	e->latency_ns = off;
	BPF_CORE_READ_STR_INTO(&e->comm, task, comm);
	bpf_ringbuf_submit(e, 0);
}

static __always_inline void switch_in(struct osp_task *t, struct task_struct *task, __u64 now,
				      struct osp_sched_stat *g)
{
	__u64 off, wait;
	__u32 b;

	t->on_ns = now;
	if (t->off_ns) {
		off = now - t->off_ns;
		t->off_ns = 0;
		if (t->start_ns) {
			if (g)
				g->c.offcpu_sys_ns += off;
			t->sys_offcpu_ns += off;	/* charged to the syscall at its exit */
			t->sched.offcpu_sys_ns += off;
		} else {
			if (g)
				g->c.offcpu_ns += off;
			t->sched.offcpu_ns += off;
			if (targ_timeline && off >= targ_slow_ns)
				emit_offcpu(t, task, now, off);
		}
	}
	if (t->wake_ns) {
		wait = now - t->wake_ns;
		t->wake_ns = 0;
		if (g) {
			g->c.runq_ns += wait;
			g->c.runq_count++;
			b = osp_hist_bucket(wait);
			if (b < OSP_HIST_BUCKETS)
				g->runq_hist[b]++;
		}
		t->sched.runq_ns += wait;
		t->sched.runq_count++;
	}
}

SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	struct osp_sched_stat *g = NULL;
	struct osp_task *pt, *nt;
	__u64 now = 0;

	/* Two separate tests: clang would merge "!pt && !nt" into an OR of
	 * two pointers, which the verifier refuses. Time and the per-CPU entry
	 * are fetched once, and only when a target is involved. */
	/* A thread that has exited was folded into its process: its last
	 * switch-out is counted nowhere, so per-process figures sum to the
	 * totals exactly. */
	pt = no_local_storage(prev) ? NULL : bpf_task_storage_get(&tasks, prev, NULL, 0);
	if (pt && !(pt->flags & OSP_TASK_EXITED)) {
		now = bpf_ktime_get_ns();
		g = sched_stat();
		switch_out(pt, preempt, prev_state, now, g);
		if (!preempt && prev_state != TASK_RUNNING)
			note_blocked_kstack(ctx, pt);
	}
	/* Nor its switch-ins: a switch-in missed before its exit (a storage
	 * lookup refused while the CPU's storage lock is busy) leaves an
	 * off-CPU start that a later one would count after the fold. */
	nt = no_local_storage(next) ? NULL : bpf_task_storage_get(&tasks, next, NULL, 0);
	if (nt && !(nt->flags & OSP_TASK_EXITED)) {
		if (!now) {
			now = bpf_ktime_get_ns();
			g = sched_stat();
		}
		switch_in(nt, next, now, g);
	}
	return 0;
}

static __always_inline int on_wakeup(struct task_struct *p)
{
	struct osp_task *t = bpf_task_storage_get(&tasks, p, NULL, 0);

	/* A task still on its CPU (woken before it got to block) is not
	 * waiting for one: only a switched-out task starts run-queue time. */
	if (t && !t->wake_ns && !t->on_ns && !(t->flags & OSP_TASK_EXITED))
		t->wake_ns = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(sched_wakeup_btf, struct task_struct *p)
{
	return on_wakeup(p);
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(sched_wakeup_new_btf, struct task_struct *p)
{
	return on_wakeup(p);
}

SEC("tp_btf/sched_migrate_task")
int BPF_PROG(sched_migrate_btf, struct task_struct *p, int dest_cpu)
{
	struct osp_task *t = bpf_task_storage_get(&tasks, p, NULL, 0);
	struct osp_sched_stat *g;

	if (!t || (t->flags & OSP_TASK_EXITED))
		return 0;
	g = sched_stat();
	if (g)
		g->c.migrations++;
	t->sched.migrations++;
	return 0;
}

#endif
