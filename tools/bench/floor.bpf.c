// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The overhead floor: empty programs on the tracepoints osiprof uses, in both
 * flavours, so the benchmark can subtract what merely having a BPF program
 * on raw_syscalls costs from what osiprof's work on top of it costs.
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

char LICENSE[] SEC("license") = "Dual BSD/GPL";
