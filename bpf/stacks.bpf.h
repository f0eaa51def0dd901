/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --stacks: where a target's slow (or sampled) syscalls come from.
 *
 * Called from sys_exit, where the latency is known, for the calls that
 * qualify; every other call pays one compare (nothing at all without
 * --stacks: targ_stacks is a load-time constant). The user registers are
 * the syscall's own pt_regs, so the stack is the caller's as it was at the
 * syscall instruction.
 *
 *   fp     the kernel walks frame pointers (bpf_get_stackid) and the counts
 *          are kept here, per (process, slot, user stack, kernel stack);
 *          a process's first stack is announced so userspace reads its
 *          mappings while it lives.
 *   dwarf  the registers and the top --stack-bytes of the user stack go to
 *          the ring buffer, unwound in userspace from .eh_frame: code built
 *          without frame pointers (Debian's glibc among it) unwinds right.
 */
#ifndef OSIPROF_STACKS_BPF_H
#define OSIPROF_STACKS_BPF_H

#include "helpers.bpf.h"

/* 1 in targ_stack_sample calls, counted per CPU. */
static __always_inline bool stack_sampled(void)
{
	__u32 zero = 0, *n;

	if (!targ_stack_sample)
		return false;
	n = bpf_map_lookup_elem(&stack_tick, &zero);
	if (!n || ++*n < targ_stack_sample)
		return false;
	*n = 0;
	return true;
}

/* --kernel-stacks: where a target's call blocks, taken at its first
 * switch-out inside the call (as offcputime does; at sys_exit the kernel
 * stack is only the exit path). */
static __always_inline void note_blocked_kstack(void *ctx, struct osp_task *t)
{
	long id;

	if (!targ_kernel_stacks || !t->start_ns || t->blocked_kstack)
		return;
	id = bpf_get_stackid(ctx, &stack_traces, 0);
	if (id < 0)
		count_drop(OSP_DROP_STACK_MAP_FULL);
	else
		t->blocked_kstack = (__u32)id + 1;
}

/* The kernel stack of the call now ending (-1: none, it did not block). */
static __always_inline __s32 kernel_stack(struct osp_task *t)
{
	return targ_kernel_stacks && t->blocked_kstack ? (__s32)(t->blocked_kstack - 1) : -1;
}

static __always_inline void count_fp_stack(void *ctx, struct osp_task *t, __u64 d, __u64 off)
{
	struct osp_stack_key key = { .pid = bpf_get_current_pid_tgid() >> 32, .slot = t->slot };
	struct osp_stack_stat one = { 1, d, off }, *v;
	struct osp_ev_slow *e;
	long id, ret;

	id = bpf_get_stackid(ctx, &stack_traces, BPF_F_USER_STACK);
	if (id < 0 && id != -EFAULT) {	/* -EFAULT: no user stack at all */
		count_drop(OSP_DROP_STACK_MAP_FULL);
		return;
	}
	key.ustack = id < 0 ? -1 : (__s32)id;
	key.kstack = kernel_stack(t);
	v = bpf_map_lookup_elem(&stack_counts, &key);
	if (v) {
		__sync_fetch_and_add(&v->count, 1);
		__sync_fetch_and_add(&v->total_ns, d);
		__sync_fetch_and_add(&v->offcpu_ns, off);
		return;
	}
	ret = bpf_map_update_elem(&stack_counts, &key, &one, BPF_NOEXIST);
	if (ret == -EEXIST && (v = bpf_map_lookup_elem(&stack_counts, &key))) {
		__sync_fetch_and_add(&v->count, 1);
		__sync_fetch_and_add(&v->total_ns, d);
		__sync_fetch_and_add(&v->offcpu_ns, off);
	} else if (ret) {
		count_drop(OSP_DROP_STACK_MAP_FULL);
	} else if ((e = reserve_event(OSP_EV_STACK_PID))) {
		e->pid = key.pid;	/* new stack: its process may be new too */
		bpf_ringbuf_submit(e, 0);
	}
}

static __always_inline void send_dwarf_stack(struct osp_task *t, struct pt_regs *regs, __u64 d,
					     __u64 off)
{
	__u32 size = sizeof(struct osp_ev_stack) + targ_stack_bytes, n = targ_stack_bytes;
	__u64 id = bpf_get_current_pid_tgid(), sp;
	struct osp_ev_stack *e;
	int i;

	if (targ_stack_bytes > OSP_STACK_BYTES_MAX)
		return;
	e = bpf_ringbuf_reserve(&events, size, 0);
	if (!e) {
		count_drop(OSP_DROP_RINGBUF);
		return;
	}
	e->type = OSP_EV_STACK;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->slot = t->slot;
	e->latency_ns = d;
	e->offcpu_ns = off;
	e->kstack = kernel_stack(t);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (bpf_probe_read_kernel(e->regs, bpf_core_type_size(struct pt_regs) < OSP_REGS_BYTES ?
				  bpf_core_type_size(struct pt_regs) : OSP_REGS_BYTES, regs))
		__builtin_memset(e->regs, 0, sizeof(e->regs));
	sp = BPF_CORE_READ(regs, sp);
	/* The stack may end (its mapping) less than --stack-bytes above sp:
	 * halve until the read fits, as much as can be had. */
	for (i = 0; i < 5; i++, n >>= 1)
		if (!bpf_probe_read_user(e->stack, n, (void *)sp))
			break;
	e->stack_len = i < 5 ? n : 0;
	bpf_ringbuf_submit(e, 0);
}

/* A finished target call of d ns (off of them off-CPU): captured if slow
 * enough or sampled. */
static __always_inline void capture_stack(void *ctx, struct pt_regs *regs, struct osp_task *t,
					  __u64 d, __u64 off)
{
	if (d >= targ_stack_ns || stack_sampled()) {
		if (targ_stacks == OSP_UNWIND_FP)
			count_fp_stack(ctx, t, d, off);
		else
			send_dwarf_stack(t, regs, d, off);
	}
	t->blocked_kstack = 0;
}

#endif
