/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* What a sink needs to write a report: the snapshot, the taxonomy that names
 * its slots, and the facts of the run. Sinks never touch BPF. */
#ifndef OSP_REPORT_H
#define OSP_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "model/snapshot.h"
#include "model/tags.h"

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
};

struct report {
	const struct snapshot *snap;
	const struct taxonomy *tax;
	const struct run_info *run;
	struct slot_stats *cats;	/* every category's totals, by report_init */
	/* Totals minus every process and the exited ones: what targets did
	 * between the collector's process and global reads (0 in `record`).
	 * Signed in spirit: a negative value would be a bug, and shows. */
	struct proc_figures unattributed;
	/* What the figures cannot show, said in every sink. */
	char warnings[REPORT_MAX_WARNINGS][256];
	int nwarnings;
};

/* Computes the category totals every sink reads; -ENOMEM on failure. */
int report_init(struct report *r, const struct snapshot *snap, const struct taxonomy *tax,
		const struct run_info *run);
void report_fini(struct report *r);

/* Calls and µs per KB (1000 bytes, when bytes= is tagged) and per iteration
 * (when iterations= is). */
struct per_unit {
	bool kb, iter;
	double kb_calls, kb_usec, iter_calls, iter_usec;
	double kb_scale, iter_scale;	/* 1 / KB of footprint, 1 / iterations */
};
void report_per_unit(const struct report *r, uint64_t count, uint64_t total_ns, struct per_unit *u);


/* Shared by the sinks. Categories: all of them, those with calls first by
 * total time (*nactive of them), then the silent ones in taxonomy order.
 * Slots: those with calls, by total time. Return the count; *out is malloc'd. */
int report_sorted_categories(const struct report *r, int **out, int *nactive);
int report_sorted_slots(const struct report *r, int **out);
const char *errno_name(int err);
/* The name of a drop counter (enum osp_drop) in every sink. */
const char *drop_name(int drop);
/* Aggregates over the target processes (faults, RSS). */
struct memory_totals {
	uint64_t min_flt, maj_flt;
	uint64_t rss_bytes;		/* sum over live processes */
	uint64_t peak_rss_bytes;	/* largest single process */
};
void report_memory_totals(const struct report *r, struct memory_totals *m);
/* Indices of processes with syscalls, by syscall time; *out is malloc'd. */
int report_sorted_procs(const struct report *r, int **out);
uint64_t proc_syscall_count(const struct proc_figures *p);
uint64_t proc_syscall_ns(const struct proc_figures *p);

#endif
