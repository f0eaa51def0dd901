/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The timeline trace of a run (record) or of the flight recorder (daemon). */
#ifndef OSP_TIMELINE_OUT_H
#define OSP_TIMELINE_OUT_H

#include <stdint.h>

struct snapshot;
struct taxonomy;
struct timeline;

/* The trace as text (malloc'd; NULL when out of memory): phase names and
 * ring-buffer losses from the snapshot, times from the run's start. */
char *timeline_render(const struct timeline *t, const struct snapshot *snap, const struct taxonomy *tax,
		      uint64_t start_mono_ns, uint64_t start_real_ns, const char *source);

#endif
