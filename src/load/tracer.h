/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The BPF side's lifecycle: open, size and configure, load, attach, add
 * targets, detach. Opaque; the collector reads maps through tracer_map_fd()
 * and live threads through tracer_read_threads(). */
#ifndef OSP_TRACER_H
#define OSP_TRACER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "osiprof.h"
#include "model/report.h"

struct tracer;
struct taxonomy;

struct tracer_opts {
	bool all;			/* system-wide, no target filter */
	bool follow;			/* follow forks of targets */
	bool sched;			/* load the scheduler programs */
	bool reclaim;			/* drop a process's entry once it has exited */
	bool events;			/* exec/exit events to the ring buffer */
	uint64_t slow_ns;		/* slow-syscall events above this; 0 = off */
	bool timeline;			/* and off-CPU spans, forks, phase marks (slow_ns too) */
	uint32_t max_objects;		/* per-object figures for this many; 0 = off */
	uint32_t ringbuf_bytes;		/* ring buffer size (power of 2, >= page) */
	uint32_t unwind;		/* --stacks: enum osp_unwind; OSP_UNWIND_OFF = none */
	uint64_t stack_ns;		/* capture calls this slow */
	uint32_t stack_sample;		/* and 1 in this many of all calls; 0 = none */
	bool kernel_stacks;
	uint32_t stack_bytes;		/* dwarf: user stack copied per call (a power of 2) */
	uint32_t max_stacks;		/* distinct stacks the maps hold */
	int cgroup_fd;			/* targets: tasks in this cgroup (v2); -1 = none */
	const uint32_t *gpu_majors;	/* char device majors that are GPUs */
	int ngpu_majors;
	bool phases;			/* break figures down by USDT phase marks */
	const char *window_begin;	/* count only between these marks */
	const char *window_end;
	uint32_t max_procs;		/* size of the process map */
	uint32_t max_errnos;		/* size of the (slot, errno) map */
	bool force_raw_tp;		/* skip tp_btf even where BTF allows it */
	const struct taxonomy *tax;	/* slot -> category, pushed before attach */
};

enum tracer_map { TRACER_MAP_SYS_STATS, TRACER_MAP_ERRNOS, TRACER_MAP_DROPS,
		  TRACER_MAP_PROCS, TRACER_MAP_SCHED_STATS, TRACER_MAP_GPU_REQS,
		  TRACER_MAP_PHASE_IDS, TRACER_MAP_PHASE_STATS, TRACER_MAP_PHASE_INFO,
		  TRACER_MAP_COMPAT_NRS, TRACER_MAP_TOUCHED, TRACER_MAP_IO_SIZES,
		  TRACER_MAP_OBJECTS, TRACER_MAP_STACK_TRACES, TRACER_MAP_STACK_COUNTS };


/* Routes libbpf's messages through osiprof's log levels. */
void log_attach_libbpf(void);
/* Checks BTF and privileges first and logs one clear line on failure. */
int tracer_check_environment(void);
struct tracer *tracer_open_and_load(const struct tracer_opts *opts);
/* Whether the scheduler programs are loaded (asked for, and tp_btf works). */
bool tracer_has_sched(const struct tracer *t);
int tracer_attach(struct tracer *t);
/* Adds a process (by tgid) and all its threads to the target set; -ESRCH if
 * it does not exist. Call it after tracer_attach so that threads created
 * meanwhile are caught by the fork program or the rescan. command: osiprof
 * started it and it has yet to exec (its faults count from the exec). */
int tracer_add_target(struct tracer *t, pid_t tgid, bool command);
/* Attaches the phase program to the osiprof:phase probes of binary (for
 * every process running it; only targets count). */
int tracer_attach_phases(struct tracer *t, const char *binary);
bool tracer_has_phases(const struct tracer *t);
bool tracer_has_objects(const struct tracer *t);
/* Target processes that have not exited. */
int tracer_count_live_targets(struct tracer *t);
/* Calls fn for every live target thread (BPF task iterator). */
int tracer_read_threads(struct tracer *t, void (*fn)(const struct osp_thread_rec *, void *),
			void *ctx);
/* Detaches every probe (the maps and the thread iterator stay): nothing
 * changes any more, so a last read is consistent across all maps. */
void tracer_stop_probes(struct tracer *t);
int tracer_map_fd(struct tracer *t, enum tracer_map m);
/* The event ring buffer's map fd (for ring_buffer__new). */
int tracer_events_fd(struct tracer *t);
int tracer_self_stats(struct tracer *t, struct self_stats *out);
/* Has the kernel count BPF run time while the returned fd is open. */
int tracer_enable_run_stats(void);
void tracer_destroy(struct tracer *t);

#endif
