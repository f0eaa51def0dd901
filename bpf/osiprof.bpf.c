// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * osiprof's BPF object: one compilation unit, so every program group shares
 * the maps of osiprof.bpf.h. (Separate objects joined by `bpftool gen object`
 * would be tidier, but Debian 12's bpftool 7.1 places extern maps at the
 * wrong .maps offsets.)
 *
 *   syscalls.bpf.h  raw_syscalls enter/exit, fork/exec/exit, the thread iterator
 *   sched.bpf.h     sched_switch, wakeups, migrations (loaded unless --no-sched)
 *   phases.bpf.h    the USDT phase marks (loaded with --phases or --window)
 */
#include "osiprof.bpf.h"
#include "phases.bpf.h"
#include "syscalls.bpf.h"
#include "sched.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";
