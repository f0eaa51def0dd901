/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The timeline as a Chrome Trace Event JSON document ("traceEvents"), which
 * Perfetto UI and chrome://tracing open: one track per thread, named
 * "comm (tid)" under its process; syscalls and off-CPU spans as complete
 * slices, phases as slices on the process's "phases" track, forks, execs
 * and exits as instants, syscalls per second per category and resident
 * memory as counters. Times are microseconds since the report's window
 * start (otherData says how to get back to CLOCK_MONOTONIC and wall time). */
#ifndef OSP_TIMELINE_JSON_H
#define OSP_TIMELINE_JSON_H

#include <stdint.h>
#include <stdio.h>

struct taxonomy;
struct timeline;

struct timeline_info {
	const struct taxonomy *tax;
	const char *const *phase_names;	/* by id; NULL or "" where unknown */
	int nphase_names;
	uint64_t start_mono_ns, start_real_ns;	/* the window's start */
	uint64_t end_mono_ns;
	uint64_t events_lost;		/* ring buffer full: dropped.events_lost */
	const char *source;		/* "record" or "daemon" */
};

int timeline_write_json(FILE *f, const struct timeline *t, const struct timeline_info *info);
/* The same document as text (malloc'd), or NULL when out of memory. */
char *timeline_json_text(const struct timeline *t, const struct timeline_info *info);

#endif
