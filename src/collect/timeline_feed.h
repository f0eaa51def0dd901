/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Ring-buffer events into the timeline model. */
#ifndef OSP_TIMELINE_FEED_H
#define OSP_TIMELINE_FEED_H

#include <stddef.h>

struct timeline;

/* Keeps the event if it is a timeline one: a syscall or off-CPU span at or
 * above t->threshold_ns, a fork, exec, exit or phase mark. */
void timeline_feed(struct timeline *t, const void *data, size_t len);

#endif
