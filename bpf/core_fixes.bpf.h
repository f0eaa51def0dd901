/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Where kernels differ, in one place: each helper reads through CO-RE
 * relocations, guarded by field-existence checks, or with values userspace
 * read from the kernel's BTF (the MM_*PAGES indices). */
#ifndef OSIPROF_CORE_FIXES_BPF_H
#define OSIPROF_CORE_FIXES_BPF_H

#include "maps.bpf.h"

#define TS_COMPAT	0x0002	/* arch/x86/include/asm/thread_info.h */

/* Most tasks have no BPF local storage of anyone's: for them a single load
 * settles that they are not targets, without the storage lookup. */
static __always_inline bool no_local_storage(struct task_struct *task)
{
	return bpf_core_field_exists(task->bpf_storage) && !task->bpf_storage;
}

/* A syscall's argument n: tp_btf's pt_regs pointer is trusted, so a plain
 * load does; raw_tp's needs a probe read. */
#define syscall_arg(regs, n)							\
	(targ_tp_btf ? (__u64)PT_REGS_PARM##n##_SYSCALL(regs) : (__u64)PT_REGS_PARM##n##_CORE_SYSCALL(regs))

/* A 32-bit syscall (int 0x80, sysenter from ia32 code): x86 marks it in
 * thread_info.status. Other architectures' compat calls are not told
 * apart yet. */
static __always_inline bool compat_syscall(struct task_struct *task)
{
#ifdef __TARGET_ARCH_x86
	if (bpf_core_field_exists(task->thread_info.status))
		return task->thread_info.status & TS_COMPAT;
#endif
	return false;
}

/* Resident pages of an mm now: file + anon + shmem counters, whichever
 * layout the kernel has (percpu_counter array since 6.2, atomics before). */
static __always_inline __u64 mm_rss_pages(struct mm_struct *mm)
{
	/* The kernel's enum is anonymous (no CO-RE relocation can name it):
	 * userspace reads the enumerators' values from vmlinux BTF. */
	const int idx[] = { targ_mm_filepages, targ_mm_anonpages, targ_mm_shmempages };
	__u32 stat_size = bpf_core_field_size(mm->rss_stat);
	void *base = (void *)mm + bpf_core_field_offset(mm->rss_stat);
	__u32 stride, off;
	__s64 v, sum = 0;
	int i;

	if (stat_size == 4 * sizeof(long)) {	/* struct mm_rss_stat { atomic_long_t count[4]; } */
		stride = sizeof(long);
		off = 0;
	} else {				/* struct percpu_counter rss_stat[4] */
		stride = stat_size / 4;
		off = bpf_core_field_offset(struct percpu_counter, count);
	}
	for (i = 0; i < 3; i++) {
		v = 0;
		if (idx[i] < 0 || idx[i] >= 4)
			continue;
		bpf_probe_read_kernel(&v, sizeof(v), base + idx[i] * stride + off);
		if (v > 0)
			sum += v;
	}
	return (__u64)sum;
}

#endif
