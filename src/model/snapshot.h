/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The in-memory model every sink reads: cumulative per-slot statistics with
 * 64-bit histograms, errno counts and drop counters. It knows nothing of BPF
 * maps (the collector fills it) nor of output formats (the sinks read it). */
#ifndef OSP_SNAPSHOT_H
#define OSP_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>
#include "osiprof.h"
#include "model/objects.h"
#include "model/stacks.h"

struct taxonomy;

struct slot_stats {
	uint64_t count;
	uint64_t errors;
	uint64_t total_ns;
	uint64_t min_ns;	/* 0 when count is 0 */
	uint64_t max_ns;
	uint64_t offcpu_ns;
	uint64_t bytes;		/* moved by the data-moving calls */
	long double sumsq;	/* sum of squared latencies, ns^2 */
	uint64_t hist[OSP_HIST_BUCKETS];
};

struct errno_count {
	uint32_t slot;
	uint32_t err;
	uint64_t count;
};

/* 32-bit calls by their i386 number (their figures are in OSP_SLOT_COMPAT). */
struct compat_count {
	uint32_t nr;
	uint64_t count;
};

/* One target process: its own totals (exited threads folded in BPF, live
 * threads added from the task iterator) and its memory figures. */
struct proc_figures {
	uint32_t pid;			/* 0: the overflow entry */
	uint32_t ppid;
	char comm[16];
	uint32_t flags;			/* OSP_PROC_* */
	struct osp_cat_totals cats;
	struct osp_sched_counters sched;
	uint64_t min_flt, maj_flt;
	uint64_t rss_bytes;		/* now (0 once exited) */
	uint64_t peak_rss_bytes;	/* the kernel's high-water mark */
	uint64_t start_ns, exit_ns;	/* CLOCK_MONOTONIC */
	uint64_t min_flt_base, maj_flt_base;	/* faults before the exec (not its own) */
	uint64_t cgid;			/* its cgroup v2 id (0: unknown) */
};

/* ioctl (by request) or mmap on one GPU device. */
struct gpu_req_stats {
	struct osp_gpu_key key;
	struct slot_stats st;
};

/* One phase: its name, how long processes were in it, and its figures. */
struct phase_figures {
	char name[OSP_PHASE_NAME_MAX];
	uint64_t wall_ns, marks;
	struct osp_phase_stat cat[OSP_MAX_CATEGORIES];
};

struct sched_totals {
	struct osp_sched_counters c;
	uint64_t process_exits;
	uint64_t runq_hist[OSP_HIST_BUCKETS];
};

/* Processes whose map entries were reclaimed (the daemon): their final
 * totals, from exit events or, when an event was lost, from the entry
 * itself before the collector removed it. */
struct exited_sums {
	uint64_t processes;
	uint64_t events_lost;		/* of them: the exit event was lost */
	struct proc_figures f;		/* pid 0; cats, sched and faults summed */
};

/* A cgroup the targets ran in: its id, path (as /proc/PID/cgroup shows it,
 * "" until resolved) and the sums of its reclaimed processes. */
#define SNAPSHOT_MAX_CGROUPS	4096
struct cgroup_entry {
	uint64_t id;
	char path[512];
	uint64_t exited_processes;
	struct proc_figures exited;	/* reclaimed processes' final figures */
};

struct snapshot {
	uint64_t taken_ns;		/* CLOCK_MONOTONIC when read */
	uint64_t poll_ns, poll_bytes;	/* the last read's cost: time, bytes copied */
	struct slot_stats slots[OSP_NR_SLOTS];
	/* Per category, sizes of successful data-moving calls: count, bytes
	 * (in total_ns), min, max and histogram, in bytes. */
	struct slot_stats io_sizes[OSP_MAX_CATEGORIES];
	struct errno_count *errnos;
	int nerrnos;
	struct compat_count compat[OSP_MAX_SYSCALL_NR];
	int ncompat;
	uint64_t drops[OSP_DROP_NR];
	bool sched_collected;
	struct sched_totals sched;	/* valid if sched_collected (lifecycle always) */
	struct proc_figures *procs;
	int nprocs;
	int *pid_index;			/* pid -> procs[] position, open addressing */
	int index_cap;			/* a power of two, >= 2 * nprocs */
	bool index_stale;		/* procs[] was rearranged: rebuild on lookup */
	struct exited_sums exited;
	struct cgroup_entry *cgroups;	/* every cgroup seen; beyond the bound, id 0 */
	int ncgroups, cgroups_cap;
	int *cg_index;			/* id -> cgroups[] position (snapshot_cgroup) */
	bool objects_collected;		/* --objects */
	struct object_table objects;
	bool stacks_collected;		/* --stacks */
	struct stack_settings stack_settings;
	struct stack_table stacks;
	struct gpu_req_stats *gpu;
	int ngpu;
	bool phases_collected;
	struct phase_figures phases[OSP_MAX_PHASES];	/* [id]; names empty if unused */
};

/* Figures derived from a slot_stats, as every sink prints them. */
struct figures {
	uint64_t count, errors, total_ns, min_ns, max_ns, offcpu_ns, bytes;
	double mean_ns, stddev_ns, p50_ns, p90_ns, p99_ns;
};

struct snapshot *snapshot_new(void);
void snapshot_free(struct snapshot *s);
int snapshot_add_errno(struct snapshot *s, uint32_t slot, uint32_t err, uint64_t count);

/* dst += src, exactly (counts, sums, min/max, buckets compose). */
void slot_stats_merge(struct slot_stats *dst, const struct slot_stats *src);
/* Every category's sum, in one pass over the slots: out[0..t->ncat). */
void snapshot_categories(const struct snapshot *s, const struct taxonomy *t, struct slot_stats *out);
void snapshot_totals(const struct snapshot *s, struct slot_stats *out);
void figures_from_stats(const struct slot_stats *st, struct figures *f);

/* The process with this pid, or NULL (hashed: O(1) per lookup). */
struct proc_figures *snapshot_proc(struct snapshot *s, uint32_t pid);
/* procs[] was rearranged or cut by the caller: the index is rebuilt. */
void snapshot_procs_changed(struct snapshot *s);
struct proc_figures *snapshot_add_proc(struct snapshot *s, uint32_t pid);
/* Moves a reclaimed process's final figures into s->exited (and drops the
 * entry of that pid, if the snapshot still has one). */
void snapshot_retire_proc(struct snapshot *s, const struct proc_figures *final, bool event_lost);
void snapshot_retire_late_thread(struct snapshot *s, const struct proc_figures *late);
/* The entry of a cgroup id (created; id 0 once the table is full), or NULL
 * when out of memory. */
struct cgroup_entry *snapshot_cgroup(struct snapshot *s, uint64_t id);
/* dst += src for the summable figures of a process (counts, times, faults). */
void proc_figures_add(struct proc_figures *dst, const struct proc_figures *src);

/* Histogram maths (exposed for tests). */
uint64_t hist_bucket_lower(uint32_t idx);
uint64_t hist_bucket_upper(uint32_t idx);	/* exclusive */
/* q in [0,1]; interpolated inside the bucket, clamped to [min, max]. */
double hist_quantile(const uint64_t *hist, uint64_t count, double q,
		     uint64_t min_ns, uint64_t max_ns);

#endif
