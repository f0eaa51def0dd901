// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The overhead floor: empty programs on the tracepoints osiprof uses, in both
 * flavours, so the benchmark can subtract what merely having a BPF program
 * on raw_syscalls costs from what osiprof's work on top of it costs. And the
 * least any latency tracer can do: a clock read at entry, one at exit, the
 * difference summed per CPU ("two clock reads"). And that plus what a
 * per-thread tracer needs to find its thread's entry time: a task-storage
 * lookup at entry and one at exit ("+ two storage lookups"), so the table
 * shows which part of osiprof's cost is the bare mechanism and which is its
 * accounting.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("tp_btf/sys_enter")
int BPF_PROG(floor_enter_btf, struct pt_regs *regs, long id)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_exit_btf, struct pt_regs *regs, long ret)
{
	return 0;
}

SEC("raw_tp/sys_enter")
int BPF_PROG(floor_enter_raw, struct pt_regs *regs, long id)
{
	return 0;
}

SEC("raw_tp/sys_exit")
int BPF_PROG(floor_exit_raw, struct pt_regs *regs, long ret)
{
	return 0;
}

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64[2]);	/* entry time, summed latency */
} clock SEC(".maps");

SEC("tp_btf/sys_enter")
int BPF_PROG(clock_enter_btf, struct pt_regs *regs, long id)
{
	__u32 zero = 0;
	__u64 *v = bpf_map_lookup_elem(&clock, &zero);

	if (v)
		v[0] = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(clock_exit_btf, struct pt_regs *regs, long ret)
{
	__u32 zero = 0;
	__u64 *v = bpf_map_lookup_elem(&clock, &zero);

	if (v)
		v[1] += bpf_ktime_get_ns() - v[0];
	return 0;
}

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} start SEC(".maps");

SEC("tp_btf/sys_enter")
int BPF_PROG(storage_enter_btf, struct pt_regs *regs, long id)
{
	__u64 *t = bpf_task_storage_get(&start, bpf_get_current_task_btf(), NULL,
					BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (t)
		*t = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(storage_exit_btf, struct pt_regs *regs, long ret)
{
	__u64 *t = bpf_task_storage_get(&start, bpf_get_current_task_btf(), NULL, 0);
	__u32 zero = 0;
	__u64 *v;

	if (!t || !*t)
		return 0;
	v = bpf_map_lookup_elem(&clock, &zero);
	if (v)
		v[1] += bpf_ktime_get_ns() - *t;
	*t = 0;
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
