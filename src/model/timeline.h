/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* When things happened: a bounded ring of timeline events (syscalls at or
 * above a threshold, off-CPU spans outside syscalls, forks, execs, exits,
 * phase marks) and per-interval counter samples. `record --timeline` keeps
 * the whole run up to its bound; the daemon's flight recorder keeps the
 * last seconds. What the bound or the age pushes out is counted. */
#ifndef OSP_TIMELINE_H
#define OSP_TIMELINE_H

#include <stddef.h>
#include <stdint.h>
#include "osiprof.h"

enum tl_kind { TL_SYSCALL, TL_OFFCPU, TL_FORK, TL_EXEC, TL_EXIT, TL_PHASE };

struct tl_event {
	uint64_t ts_ns;			/* CLOCK_MONOTONIC: a span's end, or the instant */
	uint64_t dur_ns;		/* spans */
	uint32_t kind, pid, tid;
	uint32_t slot;			/* syscall: slot; off-CPU: 1 if preempted;
					 * phase: its id; fork: the child's tgid */
	int64_t ret;			/* syscall: return value; fork: the child's tid;
					 * exit: the exit code (wait status) */
	int64_t arg0;			/* syscall: first argument */
	uint64_t offcpu_ns;		/* syscall: switched out inside it */
	char comm[16];
	char text[48];			/* exec: the file's name (its tail) */
};

struct tl_counter {
	uint64_t ts_ns;
	uint64_t calls[OSP_MAX_CATEGORIES];	/* cumulative, by taxonomy index */
	uint64_t rss_bytes;		/* live targets */
};

struct timeline {
	struct tl_event *ring;
	size_t cap, head, n;		/* head: the oldest */
	uint64_t keep_ns;		/* 0: by the bound only */
	uint64_t threshold_ns;		/* syscalls and off-CPU spans at or above */
	uint64_t received;		/* every event offered */
	uint64_t discarded;		/* pushed out by the bound or by age */
	struct tl_counter *counters;
	size_t ccap, chead, cn;
};

struct timeline *timeline_new(size_t max_events, uint64_t keep_ns, uint64_t threshold_ns);
void timeline_free(struct timeline *t);
/* Keeps e; when full, the oldest goes (and is counted). */
void timeline_push(struct timeline *t, const struct tl_event *e);
/* Drops events and samples that ended before now - keep_ns (counted). */
void timeline_expire(struct timeline *t, uint64_t now_ns);
void timeline_sample(struct timeline *t, uint64_t ts_ns, const uint64_t *calls, int ncat,
		     uint64_t rss_bytes);
struct snapshot;
struct taxonomy;
/* A counter sample from a snapshot: calls per category, live RSS. */
void timeline_sample_snapshot(struct timeline *t, const struct snapshot *s, const struct taxonomy *tax);
size_t timeline_len(const struct timeline *t);
const struct tl_event *timeline_at(const struct timeline *t, size_t i);	/* oldest first */
size_t timeline_samples(const struct timeline *t);
const struct tl_counter *timeline_sample_at(const struct timeline *t, size_t i);
/* Indices of the events by start time (ts - dur), then thread: *out is
 * malloc'd; returns how many, or -ENOMEM. */
long timeline_order(const struct timeline *t, size_t **out);

/* A process's phase, from its mark to its next mark, its exit or end_ns. */
struct tl_span {
	uint32_t pid, phase;
	uint64_t start_ns, end_ns;
};
/* Every phase span the marks held give; *out is malloc'd; returns how
 * many, or -ENOMEM. */
long timeline_phase_spans(const struct timeline *t, uint64_t end_ns, struct tl_span **out);

#endif
