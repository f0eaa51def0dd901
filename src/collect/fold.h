/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* One per-CPU statistics value, as the kernel copies it out (one entry per
 * possible CPU), folded into the snapshot's 64-bit slot. */
#ifndef OSP_FOLD_H
#define OSP_FOLD_H

#include <stdint.h>
#include "model/snapshot.h"
#include "osiprof.h"

/* Per CPU, what has been folded already: its 32-bit histogram as last read
 * and, after it, that histogram's sum. */
#define FOLD_STRIDE	(OSP_HIST_BUCKETS + 1)

/* Recomputes dst's cumulative figures from percpu[0..ncpus) and adds the
 * histogram increments since the last fold; last is ncpus * FOLD_STRIDE,
 * zeroed before the first. A CPU whose folded histogram already sums to its
 * count (mod 2^32) made no call since: its 260 buckets are skipped, so a
 * fold costs what changed. A read torn between count and histogram leaves
 * the sums unequal, and the next fold walks that CPU again. */
void fold_percpu(const struct osp_sys_stat *percpu, int ncpus, struct slot_stats *dst,
		 uint32_t *last);

#endif
