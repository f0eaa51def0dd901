/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Phases: the profiled program marks them (include/osiprof/phase.h, a USDT
 * probe); phase_mark gives each name an id, remembers which phase each target
 * process is in and for how long, and opens or closes the --window. The
 * syscall programs ask phase_of() only when --phases or --window is on.
 */
#ifndef OSIPROF_PHASES_BPF_H
#define OSIPROF_PHASES_BPF_H

#include "helpers.bpf.h"
#include "core_fixes.bpf.h"
#include <bpf/usdt.bpf.h>

static __always_inline bool name_is(const char *name, const volatile char *want)
{
	int i;

	for (i = 0; i < OSP_PHASE_NAME_MAX; i++) {
		if (name[i] != want[i])
			return false;
		if (!name[i])
			return i > 0;
	}
	return true;
}

static __always_inline void close_span(__u32 ph, __u64 since, __u64 now)
{
	struct osp_phase_info *pi = bpf_map_lookup_elem(&phase_info, &ph);

	if (pi && since && now > since)
		__sync_fetch_and_add(&pi->wall_ns, now - since);
}

/* The calling process's phase; false if --window excludes this moment. */
static __always_inline bool phase_of(__u32 *phase)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct osp_proc_phase *pp = bpf_map_lookup_elem(&proc_phase, &tgid);

	*phase = pp ? pp->phase : 0;
	return !targ_window || (pp && pp->in_window);
}

static __always_inline void phase_account(__u32 phase, __u32 cat, __u64 d, long ret, __u64 off)
{
	__u32 key = phase * OSP_MAX_CATEGORIES + cat;
	struct osp_phase_stat *ps = bpf_map_lookup_elem(&phase_stats, &key);

	if (!ps)
		return;
	ps->count++;
	ps->total_ns += d;
	ps->offcpu_ns += off;
	if (syscall_failed(ret))
		ps->errors++;
}

/* The process is gone: its last phase's span ends now. */
static __always_inline void phase_exit(__u32 tgid, __u64 now)
{
	struct osp_proc_phase *pp = bpf_map_lookup_elem(&proc_phase, &tgid);

	if (!pp)
		return;
	close_span(pp->phase, __sync_lock_test_and_set(&pp->since_ns, 0), now);
	bpf_map_delete_elem(&proc_phase, &tgid);
}

SEC("usdt")
int BPF_USDT(phase_mark, const char *name)
{
	struct osp_proc_phase *pp, np = {};
	char buf[OSP_PHASE_NAME_MAX] = {};
	__u32 tgid = bpf_get_current_pid_tgid() >> 32, id, *idp;
	struct osp_phase_info *pi;
	__u64 now, old_since;
	__u32 old_phase;

	/* The probe is attached to the binary; only targets count. */
	if (!bpf_task_storage_get(&tasks, bpf_get_current_task_btf(), NULL, 0))
		return 0;
	bpf_probe_read_user_str(buf, sizeof(buf), name);
	idp = bpf_map_lookup_elem(&phase_ids, buf);
	if (idp) {
		id = *idp;
	} else {
		id = __sync_fetch_and_add(&next_phase_id, 1);
		if (id >= OSP_MAX_PHASES) {
			count_drop(OSP_DROP_PHASES_FULL);
			return 0;
		}
		if (bpf_map_update_elem(&phase_ids, buf, &id, BPF_NOEXIST)) {
			/* Another CPU named it first: use its id. */
			idp = bpf_map_lookup_elem(&phase_ids, buf);
			if (!idp)
				return 0;
			id = *idp;
		}
	}
	now = bpf_ktime_get_ns();
	pp = bpf_map_lookup_elem(&proc_phase, &tgid);
	if (!pp) {
		bpf_map_update_elem(&proc_phase, &tgid, &np, BPF_NOEXIST);
		pp = bpf_map_lookup_elem(&proc_phase, &tgid);
		if (!pp)
			return 0;
	}
	if (targ_window) {
		if (name_is(buf, window_begin))
			pp->in_window = 1;
		else if (name_is(buf, window_end))
			pp->in_window = 0;
	}
	/* Threads of one process may mark at once: each swap hands exactly one
	 * of them the span to close, so no time is counted twice. */
	old_since = __sync_lock_test_and_set(&pp->since_ns, now);
	old_phase = __sync_lock_test_and_set(&pp->phase, id);
	close_span(old_phase, old_since, now);
	pi = bpf_map_lookup_elem(&phase_info, &id);
	if (pi)
		__sync_fetch_and_add(&pi->marks, 1);
	if (targ_timeline)
		emit_instant(OSP_EV_PHASE, id, 0);
	return 0;
}

#endif
