/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The options every profiling command shares (record, daemon): what to load,
 * how big, which taxonomy and GPU set, tags, verbosity. An argp child. */
#ifndef OSP_PROFILE_OPTS_H
#define OSP_PROFILE_OPTS_H

#include <argp.h>
#include <stdbool.h>
#include <stdint.h>
#include "model/gpu.h"
#include "model/stacks.h"
#include "model/tags.h"

struct taxonomy;
struct tracer_opts;

struct profile_opts {
	const char *categories;		/* --categories FILE, or NULL */
	bool follow, sched, raw_tp;
	uint32_t max_procs;
	struct gpu_majors gpu;
	bool gpu_given;
	struct tags tags;
	bool stacks;			/* --stacks and its settings */
	const char *unwind;
	double stack_threshold_us;
	uint32_t stack_sample, stack_bytes, max_stacks;
	bool kernel_stacks;
	struct stack_settings stack;	/* decided by profile_opts_finish */
};

/* For a command's struct argp: .children = profile_children. */
extern const struct argp_child profile_children[];

/* Defaults: follow children, load the scheduler programs, max_procs. */
void profile_opts_init(struct profile_opts *o, uint32_t max_procs);
/* After parsing: the taxonomy, and the machine's GPU set unless
 * --gpu-majors named one. Logs one line; -errno on failure. */
int profile_opts_finish(struct profile_opts *o, struct taxonomy *tax);
/* The tracer options these decide. */
void profile_opts_tracer(const struct profile_opts *o, const struct taxonomy *tax,
			 struct tracer_opts *t);

#endif
