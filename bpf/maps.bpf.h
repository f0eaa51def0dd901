/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Every map and every load-time setting (const volatile, set by userspace
 * before load; targ_ prefixed) of osiprof's BPF object, and nothing else:
 * no logic lives here. Maps without max_entries are sized by userspace.
 */
#ifndef OSIPROF_MAPS_BPF_H
#define OSIPROF_MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "osiprof.h"

#define MAX_ERRNO	4095
#define EEXIST		17

const volatile bool targ_all = false;	/* system-wide: every task is a target */
const volatile bool targ_follow = true;	/* child processes of targets are targets */
const volatile bool targ_discover = false;	/* tasks without storage look up their tgid */
const volatile bool targ_reclaim = false;
const volatile bool targ_events = false;	/* exec/exit events to the ring buffer */
const volatile __u64 targ_slow_ns = 0;		/* slow-syscall events above this, 0 = off */
const volatile bool targ_timeline = false;	/* and off-CPU spans, forks, phase marks */
const volatile bool targ_objects = false;	/* per file/socket/pipe figures (objects) */
const volatile bool targ_cgroup = false;	/* targets: tasks under cgroup_filter[0] */
const volatile bool targ_gpu = false;		/* split ioctl/mmap on GPU devices off */
const volatile bool targ_tp_btf = false;	/* the tp_btf flavour is the one loaded */
const volatile __u32 self_tgid = 0;		/* osiprof itself: never adopted */
const volatile __u32 nr_ioctl = 0;		/* this architecture's syscall numbers */
const volatile __u32 nr_close = 3;
const volatile __u32 nr_mmap = 0;
/* sched_process_exit passes group_dead (6.16+): which thread ended it. */
const volatile bool targ_exit_group_dead = false;
/* rss_stat indices (the kernel's MM_*PAGES), from vmlinux BTF. */
const volatile int targ_mm_filepages = 0;
const volatile int targ_mm_anonpages = 1;
const volatile int targ_mm_shmempages = 3;

/* tgid -> process; key 0 collects processes that did not fit. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct osp_proc);
} procs SEC(".maps");

/* slot -> statistics, per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct osp_sys_stat);
} sys_stats SEC(".maps");

/* The slots each CPU has counted (osiprof.h); one entry, per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct osp_touched);
} touched SEC(".maps");

/* Per category, the sizes of successful data-moving calls (read, write,
 * send...): count, bytes in total_ns, smallest, largest and their
 * histogram (the latency buckets, in bytes). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, OSP_MAX_CATEGORIES);
	__type(key, __u32);
	__type(value, struct osp_sys_stat);
} io_sizes SEC(".maps");

/* (process, device, inode) -> figures of the fd-taking calls on it;
 * sized by --max-objects. Shared by all CPUs: atomic adds. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct osp_obj_key);
	__type(value, struct osp_obj_stat);
} objects SEC(".maps");

/* slot -> category, filled by userspace from the taxonomy. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OSP_NR_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} slot_cat SEC(".maps");

/* (slot, errno) -> failures, per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__type(key, struct osp_errno_key);
	__type(value, __u64);
} errnos SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct osp_sched_stat);
} sched_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, OSP_DROP_NR);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

/* char device major -> 1 if it is a GPU (from /proc/devices or --gpu-majors). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OSP_MAX_CHRDEV_MAJOR);
	__type(key, __u32);
	__type(value, __u8);
} gpu_majors SEC(".maps");

/* (device, request, kind) -> statistics, per CPU; entries appear on first use. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1024);
	__type(key, struct osp_gpu_key);
	__type(value, struct osp_sys_stat);
} gpu_reqs SEC(".maps");

/* An all-zero statistics value to create gpu_reqs entries from (too big
 * for the BPF stack); never written. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct osp_sys_stat);
} zero_stat SEC(".maps");

/* Discrete events for the daemon's log; sized by userspace. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
} events SEC(".maps");

/* ia32 syscall number -> calls, per CPU: 32-bit calls are numbered by the
 * i386 table, so they get one slot of their own and this breakdown. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, OSP_MAX_SYSCALL_NR);
	__type(key, __u32);
	__type(value, __u64);
} compat_nrs SEC(".maps");

/* The cgroup (v2) whose tasks are targets, with --cgroup. */
struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroup_filter SEC(".maps");

/* Only target threads have storage: its presence is the target filter. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct osp_task);
} tasks SEC(".maps");

/* --phases and --window (phases.bpf.h). */
const volatile bool targ_phases = false;
const volatile bool targ_window = false;
const volatile char window_begin[OSP_PHASE_NAME_MAX] = {};
const volatile char window_end[OSP_PHASE_NAME_MAX] = {};

__u32 next_phase_id = 1;		/* 0 is "before the first mark" */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4 * OSP_MAX_PHASES);
	__type(key, char[OSP_PHASE_NAME_MAX]);
	__type(value, __u32);
} phase_ids SEC(".maps");

/* tgid -> current phase; sized like the process map by userspace. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct osp_proc_phase);
} proc_phase SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, OSP_MAX_PHASES * OSP_MAX_CATEGORIES);
	__type(key, __u32);
	__type(value, struct osp_phase_stat);
} phase_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OSP_MAX_PHASES);
	__type(key, __u32);
	__type(value, struct osp_phase_info);
} phase_info SEC(".maps");

/* --stacks (stacks.bpf.h): how, from which latency, 1 in how many of all
 * calls besides, kernel stacks too, and how much user stack to copy. */
const volatile __u32 targ_stacks = OSP_UNWIND_OFF;
const volatile __u64 targ_stack_ns = 0;
const volatile __u32 targ_stack_sample = 0;
const volatile bool targ_kernel_stacks = false;
const volatile __u32 targ_stack_bytes = 8192;	/* a power of two, <= OSP_STACK_BYTES_MAX */

/* Stack-map ids -> frames (user and kernel); sized by userspace. */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, OSP_STACK_DEPTH * sizeof(__u64));
} stack_traces SEC(".maps");

/* --unwind fp: (process, slot, stacks) -> calls and time; sized by userspace. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct osp_stack_key);
	__type(value, struct osp_stack_stat);
} stack_counts SEC(".maps");

/* --stack-sample: calls since the last sampled one, per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} stack_tick SEC(".maps");

/* New process entries are built here: osp_proc is too big for the BPF stack.
 * Only the identity fields are ever written, so the counters stay zero. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct osp_proc);
} proc_scratch SEC(".maps");

#endif
