/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Reads the BPF maps into a cumulative snapshot. The kernel's counters are
 * never reset; 32-bit histogram buckets are widened here from the difference
 * since the previous read, so the collector must poll at least every few
 * seconds (COLLECTOR_MAX_PERIOD_S) on a busy host. */
#ifndef OSP_COLLECTOR_H
#define OSP_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include "model/snapshot.h"

#define COLLECTOR_MAX_PERIOD_S	5

struct tracer;
struct collector;

struct collector *collector_new(struct tracer *t);
/* Reads every map; the snapshot then holds totals since attach. */
int collector_poll(struct collector *c);
const struct snapshot *collector_snapshot(const struct collector *c);
/* Forget processes whose entries BPF reclaimed (the daemon: their totals
 * went out as exit events), so the snapshot stays bounded. */
void collector_set_prune(struct collector *c, bool prune);
/* Called by every poll between reading the processes and the global maps:
 * the daemon drains its ring buffer there, so an exit never falls between
 * the two reads. */
void collector_set_drain(struct collector *c, int (*drain)(void *ctx), void *ctx);
/* A process's exit event: its final totals replace its entry. A late
 * thread's (OSP_EV_LATE_THREAD) join the exited at the next poll. */
void collector_account_exit(struct collector *c, const struct osp_ev_exit *e);
/* --stacks: captured calls go to the snapshot's stack table. */
int collector_enable_stacks(struct collector *c, const struct stack_settings *set);
/* A ring-buffer record the snapshot takes: an object's name (--objects),
 * a captured stack (--stacks); others are ignored. */
void collector_event(struct collector *c, const void *data, size_t len);
void collector_free(struct collector *c);

#endif
