/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The daemon's flight recorder: a fixed ring of the last N intervals, each a
 * compact delta (per category, per active syscall, scheduler counters)
 * computed from two cumulative snapshots, so no increment is lost between a
 * read and a reset: nothing is ever reset. */
#ifndef OSP_HISTORY_H
#define OSP_HISTORY_H

#include <stdint.h>

struct snapshot;
struct taxonomy;
struct history;
struct json_object;

struct history *history_new(int capacity);
/* Records the interval from the previous push (or creation) to snap. */
int history_push(struct history *h, const struct snapshot *snap, uint64_t start_real_ns,
		 uint64_t end_real_ns);
/* The intervals, oldest first, as a JSON array. */
struct json_object *history_to_json(const struct history *h, const struct taxonomy *tax,
				    int sched_collected);
void history_free(struct history *h);

#endif
