/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* --stacks, the collector's side: captured calls (dwarf: ring-buffer
 * records unwound here; fp: the kernel's counts read at each poll) into the
 * snapshot's stack table, every frame named. */
#ifndef OSP_COLLECT_STACKS_H
#define OSP_COLLECT_STACKS_H

#include <stddef.h>
#include "model/snapshot.h"

struct tracer;
struct stack_collector;

struct stack_collector *stack_collector_new(struct tracer *t, struct snapshot *snap,
					    const struct stack_settings *set);
/* A ring-buffer record: OSP_EV_STACK and OSP_EV_STACK_PID are taken,
 * anything else ignored. */
void stack_collector_event(struct stack_collector *c, const void *data, size_t len);
/* --unwind fp: the kernel's counts into the table. */
int stack_collector_poll(struct stack_collector *c);
/* Stacks of processes the snapshot no longer lists move to pid 0 (and
 * their kernel counts are deleted): the daemon stays bounded. */
void stack_collector_retire(struct stack_collector *c);
void stack_collector_free(struct stack_collector *c);

#endif
