/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* A snapshot as Prometheus metrics (text format 0.0.4, or OpenMetrics 1.0).
 * Base units (seconds, bytes), _total counters, --tag values as constant
 * labels; per-syscall series are bounded (top N by calls), per-process
 * series only for -p targets. Reads the snapshot, never BPF maps. */
#ifndef OSP_METRICS_H
#define OSP_METRICS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct report;

struct metrics_extra {
	uint64_t snapshots_written;
	uint64_t snapshot_failures;	/* snapshots that could not be written */
	double last_snapshot_time;	/* Unix seconds, 0 = none yet */
	double last_poll_time;		/* Unix seconds of the last successful poll */
	int max_syscall_series;		/* per-syscall series: the N busiest */
	int max_cgroup_series;		/* cgroup label: the N busiest, the rest "other" */
	bool per_process;		/* series per target process (-p) */
};

/* Writes every metric to f; returns 0 or -EIO. */
int metrics_write(FILE *f, const struct report *r, const struct metrics_extra *x, bool openmetrics);

#endif
