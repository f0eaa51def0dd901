/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The report view every sink reads: the snapshot, the taxonomy that names
 * its slots, and the facts of the run. Sinks never touch BPF. */
#ifndef OSP_REPORT_H
#define OSP_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "model/container.h"
#include "model/gpu.h"
#include "model/names.h"
#include "model/snapshot.h"
#include "model/tags.h"
#include "osiprof.h"

#define OSP_SCHEMA_VERSION	1
#define REPORT_MAX_WARNINGS	4
#define OSP_KB			1000.0	/* seeds/000: calls and µs per 1000 bytes */

struct taxonomy;

/* The profiler's own cost, as the loader measured it (a run fact). */
struct self_stats {
	uint64_t run_time_ns;		/* 0 unless kernel.bpf_stats_enabled */
	uint64_t run_cnt;
	uint64_t map_bytes;		/* memlock of osiprof's maps */
	int nprogs;
	bool stats_enabled;
	const char *attach_kind;	/* "tp_btf" or "raw_tp" */
	uint64_t rss_bytes;		/* osiprof's own resident memory */
};


struct history;

/* The daemon's own state, written in its snapshots. */
struct daemon_facts {
	int pid;
	uint64_t started_ns;		/* CLOCK_REALTIME */
	uint64_t uptime_ns;
	const char *reason;		/* what asked for this snapshot */
	double interval_s;
	int history_capacity;
	uint64_t snapshot_seq, snapshots_written, snapshot_failures;
	uint32_t max_processes;
	const char *event_log;		/* its path, or NULL */
	uint64_t event_lines_written, event_lines_lost;
	const struct history *history;	/* the last intervals */
};

struct run_info {
	const char *mode;		/* "command", "pid" or "system" */
	const pid_t *targets;
	int ntargets;
	bool follow;
	int argc;			/* osiprof's own command line */
	char *const *argv;
	int cmd_argc;			/* the profiled command, in "command" mode */
	char *const *cmd_argv;
	const struct tags *tags;
	uint64_t start_ns;		/* CLOCK_REALTIME */
	uint64_t end_ns;
	uint64_t duration_ns;		/* CLOCK_MONOTONIC difference */
	bool has_exit_status;
	int exit_status;
	const char *taxonomy_source;
	struct self_stats self;
	const uint32_t *gpu_majors;	/* the GPU set in force */
	int ngpu_majors;
	const char *window_begin;	/* --window, or NULL */
	const char *window_end;
	const struct daemon_facts *daemon;	/* daemon snapshots only, else NULL */
};

/* Calls, µs and bytes per KB of footprint (1000 bytes, when bytes= is
 * tagged) or per iteration (when iterations= is). */
struct per_unit {
	double calls, usec, bytes;
};

/* One line of a report: the totals, a category or a syscall, with every
 * figure a sink prints already computed. */
struct report_row {
	const char *name;		/* category or syscall name */
	const char *category;		/* the category (its own name for a category) */
	int slot;			/* syscall rows: the slot; -1 otherwise */
	int cat;			/* the category's taxonomy index; -1 for totals */
	long nr;			/* syscall rows: the x86-64 number, or -1 */
	const struct slot_stats *st;	/* the histogram behind the figures */
	struct figures f;
	double time_pct;		/* of all syscall time */
	struct per_unit kb, iter;	/* valid when report.per_kb / per_iter */
	/* Sizes of the successful data-moving calls (categories and totals):
	 * count, bytes (total_ns), min/max and quantiles, all in bytes. */
	struct figures io;
	char nrbuf[24];			/* storage for an unnamed syscall's name */
};

/* A process (or the exited ones together, or what is unattributed) with
 * its sums over categories. */
struct report_proc {
	const struct proc_figures *p;
	uint64_t syscalls, syscall_ns, bytes;
};

/* Aggregates over the target processes (faults, RSS). */
struct memory_totals {
	uint64_t min_flt, maj_flt;
	uint64_t rss_bytes;		/* sum over live processes */
	uint64_t peak_rss_bytes;	/* largest single process */
};

/* Run-queue latency, from the scheduler histogram. */
struct runq_figures {
	double mean_ns, p50_ns, p90_ns, p99_ns;
};

/* GPU calls: one device, or one (device, call, request). */
struct report_gpu {
	uint32_t rdev;
	char device[16];		/* "MAJOR:MINOR" */
	char name[64];			/* the driver /proc/devices gives, or "" */
	const struct osp_gpu_key *key;	/* requests only */
	const char *request_name;	/* requests only: a known ioctl's name, or NULL */
	struct ioc_fields ioc;		/* requests only: the request number decoded */
	uint64_t ioctls, mmaps;		/* devices only */
	struct figures f;
};

/* A cgroup the targets ran in: its live and reclaimed processes summed. */
struct report_cgroup {
	const struct cgroup_entry *cg;
	struct container_info ci;
	uint64_t processes;		/* live and exited */
	struct proc_figures figures;	/* their sums (faults, counts, times) */
	struct report_proc sums;	/* over figures' categories */
};

/* One phase that was marked, with its sums over categories. */
struct report_phase {
	int id;
	const struct phase_figures *pf;
	uint64_t count, errors, total_ns;
};

/* The report view: a snapshot with every figure, quantile, per-unit value
 * and order computed once (report_init), so sinks only render. */
/* A captured stack as sinks print it. */
struct report_stack {
	const struct stack_entry *e;
	int cat;			/* taxonomy index */
	const char *category, *syscall;
	long site;			/* stack_call_site(), or -1 */
	char nrbuf[24];			/* storage for an unnamed syscall's name */
};

struct report {
	const struct snapshot *snap;
	const struct taxonomy *tax;
	const struct run_info *run;
	struct slot_stats *cats;	/* every category's sums, by taxonomy index */
	bool per_kb, per_iter;		/* bytes= / iterations= tagged */
	struct report_row totals;
	struct report_row *categories;	/* busiest first, then the silent ones */
	int ncategories, nactive;	/* all of them; those with calls */
	struct report_row *syscalls;	/* those with calls, by total time */
	int nsyscalls;
	struct report_proc *procs;	/* with syscalls, by syscall time */
	int nprocs;
	struct report_proc exited;	/* reclaimed processes together */
	/* Totals minus every process and the exited ones: what targets did
	 * between the collector's process and global reads (0 in `record`).
	 * Signed in spirit: a negative value would be a bug, and shows. */
	struct proc_figures unattributed_figures;
	struct report_proc unattributed;
	struct memory_totals memory;
	struct runq_figures runq;
	struct report_gpu *gpu_devices, *gpu_requests;	/* requests by total time */
	int ngpu_devices, ngpu_requests;
	struct report_phase *phases;
	int nphases;
	struct report_cgroup *cgroups;	/* by syscall time */
	int ncgroups;
	const struct object_entry **objects;	/* --objects: those with calls, by time */
	int nobjects;
	struct report_stack *stacks;	/* --stacks: by total time */
	int nstacks;
	uint64_t stack_drops;		/* of dropped: the userspace stack losses */
	uint64_t dropped;		/* sum of every drop counter */
	/* What the figures cannot show, said in every sink. */
	char warnings[REPORT_MAX_WARNINGS][256];
	int nwarnings;
};

/* Computes the view; -ENOMEM on failure, with nothing left to free. */
int report_init(struct report *r, const struct snapshot *snap, const struct taxonomy *tax,
		const struct run_info *run);
void report_fini(struct report *r);


#endif
