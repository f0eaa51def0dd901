/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The daemon's flight recorder: a fixed ring of the last N intervals, each a
 * compact delta (per category, per active syscall, scheduler counters)
 * computed from two cumulative snapshots, so no increment is lost between a
 * read and a reset: nothing is ever reset. */
#ifndef OSP_HISTORY_H
#define OSP_HISTORY_H

#include <stdint.h>
#include "osiprof.h"

struct snapshot;
struct taxonomy;
struct history;

struct slot_delta {
	uint32_t slot;			/* unused in category and total sums */
	uint64_t count, errors, total_ns, offcpu_ns;
};

struct interval {
	uint64_t start_ns, end_ns;	/* CLOCK_REALTIME */
	struct osp_sched_counters sched;
	struct slot_delta *slots;	/* only slots with calls */
	int nslots;
	struct slot_delta cats[OSP_MAX_CATEGORIES];	/* by taxonomy index */
	struct slot_delta totals;
};

/* tax names the slots' categories; it must outlive the history. */
struct history *history_new(int capacity, const struct taxonomy *tax);
/* Records the interval from the previous push (or creation) to snap. */
int history_push(struct history *h, const struct snapshot *snap, uint64_t start_real_ns,
		 uint64_t end_real_ns);
/* The intervals held, oldest (i = 0) first. */
int history_len(const struct history *h);
const struct interval *history_at(const struct history *h, int i);
void history_free(struct history *h);

#endif
