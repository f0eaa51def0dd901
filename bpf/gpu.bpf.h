/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* GPU attribution: ioctl and mmap on a character device whose major is in
 * the GPU set (from /proc/devices or --gpu-majors) move to the gpu pseudo
 * slots, with statistics per device and request. Compiled out (targ_gpu)
 * on hosts without GPU drivers. */
#ifndef OSIPROF_GPU_BPF_H
#define OSIPROF_GPU_BPF_H

#include "helpers.bpf.h"
#include "core_fixes.bpf.h"

/* Per device and request: entries are created on first use. */
static __always_inline void account_gpu(struct osp_task *t, __u64 d, long ret)
{
	struct osp_gpu_key key = { .rdev = t->gpu_rdev, .request = t->gpu_request,
				   .kind = t->slot == OSP_SLOT_GPU_MMAP ? OSP_GPU_MMAP : OSP_GPU_IOCTL };
	struct osp_sys_stat *s, *zero;
	__u32 z = 0;

	s = bpf_map_lookup_elem(&gpu_reqs, &key);
	if (!s) {
		zero = bpf_map_lookup_elem(&zero_stat, &z);
		if (!zero)
			return;
		/* -EEXIST (another CPU was first) is as good as success. */
		bpf_map_update_elem(&gpu_reqs, &key, zero, BPF_NOEXIST);
		s = bpf_map_lookup_elem(&gpu_reqs, &key);
		if (!s) {
			count_drop(OSP_DROP_GPU_MAP_FULL);
			return;
		}
	}
	stat_add(s, d, ret);
}

/* The dev_t of fd if it is a character device in the GPU set, else 0. */
static __always_inline __u32 gpu_device(int fd)
{
	struct file *f = fd_file(fd);
	struct inode *ino;
	__u32 major, rdev;
	__u8 *is_gpu;

	if (!f)
		return 0;
	ino = BPF_CORE_READ(f, f_inode);
	if (!ino || (BPF_CORE_READ(ino, i_mode) & OSP_S_IFMT) != OSP_S_IFCHR)
		return 0;
	rdev = BPF_CORE_READ(ino, i_rdev);
	major = rdev >> 20;
	is_gpu = bpf_map_lookup_elem(&gpu_majors, &major);
	return is_gpu && *is_gpu ? rdev : 0;
}

/* ioctl and mmap on a GPU device node get the gpu pseudo slots. */
static __always_inline __u32 classify(struct osp_task *t, struct pt_regs *regs, __u32 nr)
{
	__u32 rdev;

	if (nr == nr_ioctl) {
		rdev = gpu_device((int)syscall_arg(regs, 1));
		if (rdev) {
			t->gpu_rdev = rdev;
			t->gpu_request = (__u32)syscall_arg(regs, 2);
			return OSP_SLOT_GPU_IOCTL;
		}
	} else if (nr == nr_mmap) {
		rdev = gpu_device((int)syscall_arg(regs, 5));
		if (rdev) {
			t->gpu_rdev = rdev;
			t->gpu_request = 0;
			return OSP_SLOT_GPU_MMAP;
		}
	}
	return nr;
}

#endif
