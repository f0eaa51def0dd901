// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * osiprof's BPF object: one compilation unit, so every program group shares
 * the maps of maps.bpf.h. (Separate objects joined by `bpftool gen object`
 * would be tidier, but Debian 12's bpftool 7.1 places extern maps at the
 * wrong .maps offsets.)
 *
 *   maps.bpf.h        every map and load-time setting, no logic
 *   helpers.bpf.h     drop counters, the statistics update
 *   core_fixes.bpf.h  where kernels differ (CO-RE guards, BTF-read values)
 *   syscalls.bpf.h    raw_syscalls enter/exit, fork/exec/exit, the thread iterator
 *   gpu.bpf.h         ioctl/mmap on GPU devices (compiled out without GPUs)
 *   sched.bpf.h       sched_switch, wakeups, migrations (loaded unless --no-sched)
 *   phases.bpf.h      the USDT phase marks (loaded with --phases or --window)
 *   stacks.bpf.h      --stacks: user and kernel stacks of slow or sampled calls
 */
#include "maps.bpf.h"
#include "helpers.bpf.h"
#include "core_fixes.bpf.h"
#include "phases.bpf.h"
#include "gpu.bpf.h"
#include "syscalls.bpf.h"
#include "sched.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";
