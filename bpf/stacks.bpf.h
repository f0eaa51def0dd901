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
 *          a new stack is announced so userspace reads new mappings.
 *   dwarf  the registers and the top --stack-bytes of the user stack go to
 *          the ring buffer, unwound in userspace from .eh_frame: code built
 *          without frame pointers (Debian's glibc among it) unwinds right.
 *
 * Either way userspace names addresses from the mapping events sent here
 * (a file mmap, and at exec the binary and interpreter), in order with the
 * stacks, so a process that lives milliseconds is named after its exit.
 */
#ifndef OSIPROF_STACKS_BPF_H
#define OSIPROF_STACKS_BPF_H

#include "helpers.bpf.h"
#include "objects.bpf.h"	/* name_path */

#define STK_MAP_ANONYMOUS	0x20
#define STK_PROT_EXEC		0x4
#define STK_AT_PHDR		3
#define STK_AT_BASE		7
#define STK_AUXV_PAIRS		28	/* mm->saved_auxv holds AT_VECTOR_SIZE words */
#define STK_VMA_STEPS		8	/* mappings of one file followed at exec */

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
	if (!v) {
		ret = bpf_map_update_elem(&stack_counts, &key, &one, BPF_NOEXIST);
		if (!ret) {
			if ((e = reserve_event(OSP_EV_STACK_PID))) {
				e->pid = key.pid;	/* new stack: its process may be new too */
				bpf_ringbuf_submit(e, 0);
			}
			return;
		}
		/* -EEXIST: another CPU created it in between; add to that. */
		v = ret == -EEXIST ? bpf_map_lookup_elem(&stack_counts, &key) : NULL;
	}
	if (v) {
		__sync_fetch_and_add(&v->count, 1);
		__sync_fetch_and_add(&v->total_ns, d);
		__sync_fetch_and_add(&v->offcpu_ns, off);
	} else {
		count_drop(OSP_DROP_STACK_MAP_FULL);
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

/* A global function (checked once): the mapping of a file into the
 * current process, named by its path. Scalars only. */
__noinline int emit_mapping(__u64 start, __u64 end, __u64 pgoff, __u64 file, __u32 exec)
{
	struct osp_ev_mapping *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	struct file *f = (struct file *)file;

	if (!e) {
		count_drop(OSP_DROP_RINGBUF);
		return 0;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->type = OSP_EV_MAPPING;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->start = start;
	e->end = end;
	e->pgoff = pgoff;
	e->exec = exec;
	e->ino = BPF_CORE_READ(f, f_inode, i_ino);
	e->dev = BPF_CORE_READ(f, f_inode, i_sb, s_dev);
	name_path(e->components, &e->ncomponents, f);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* A successful mmap of a file (the dynamic loader mapping a library, a
 * dlopen): its range and offset from the call's own arguments. */
static __always_inline void note_mmap(struct pt_regs *regs, long ret)
{
#if defined(__TARGET_ARCH_x86)
	long fd = (long)(int)PT_REGS_PARM5_CORE_SYSCALL(regs);
	__u64 flags = PT_REGS_PARM4_CORE_SYSCALL(regs), len = PT_REGS_PARM2_CORE_SYSCALL(regs);
	__u64 prot = PT_REGS_PARM3_CORE_SYSCALL(regs);
	__u64 pgoff = BPF_CORE_READ(regs, r9);
	struct file *f;

	if (fd < 0 || (flags & STK_MAP_ANONYMOUS) || (ret & 0xfff))
		return;
	f = fd_file(fd);
	if (f)
		emit_mapping((__u64)ret, (__u64)ret + len, pgoff, (__u64)f, !!(prot & STK_PROT_EXEC));
#endif
}

struct stk_vma {
	__u64 start, end, pgoff, file;
};

static long stk_vma_cb(struct task_struct *task, struct vm_area_struct *vma, void *ctx)
{
	struct stk_vma *w = ctx;

	w->start = vma->vm_start;
	w->end = vma->vm_end;
	w->pgoff = vma->vm_pgoff << 12;
	/* Read, not assigned: a scalar for emit_mapping, not a typed pointer. */
	if (bpf_probe_read_kernel(&w->file, sizeof(w->file), &vma->vm_file))
		w->file = 0;
	return 0;
}

/* The file mapped at addr, followed over its contiguous mappings. */
static __always_inline void send_vma_file(struct task_struct *task, __u64 addr)
{
	struct stk_vma w = {}, next;
	__u64 end;
	int i;

	if (!addr || bpf_find_vma(task, addr, stk_vma_cb, &w, 0) || !w.file)
		return;
	end = w.end;
	for (i = 0; i < STK_VMA_STEPS; i++) {
		next.file = 0;
		if (bpf_find_vma(task, end, stk_vma_cb, &next, 0) || next.file != w.file)
			break;
		end = next.end;
	}
	emit_mapping(w.start, end, w.pgoff, w.file, 1);
}

/* At exec the kernel has mapped the binary and its interpreter itself (no
 * mmap call to see): found from the auxiliary vector (AT_PHDR lies in the
 * binary's first mapping, AT_BASE is the interpreter's). */
static __always_inline void send_exec_mappings(void)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct mm_struct *mm = task->mm;
	__u64 phdr = 0, base = 0, type, val;
	int i;

	if (!mm)
		return;
	for (i = 0; i < STK_AUXV_PAIRS; i++) {
		type = BPF_CORE_READ(mm, saved_auxv[2 * i]);
		val = BPF_CORE_READ(mm, saved_auxv[2 * i + 1]);
		if (!type)
			break;
		if (type == STK_AT_PHDR)
			phdr = val;
		else if (type == STK_AT_BASE)
			base = val;
	}
	send_vma_file(task, phdr);
	send_vma_file(task, base);
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
	if (targ_kernel_stacks)
		t->blocked_kstack = 0;
}

#endif
