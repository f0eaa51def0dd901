// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include "model/categories.h"
#include "cmd/cli.h"
#include "base/log.h"
#include "cmd/profile_opts.h"
#include "load/tracer.h"

enum {
	OPT_TAG = 0x200, OPT_NO_FOLLOW, OPT_CATEGORIES, OPT_RAW_TP, OPT_MAX_PROCS, OPT_NO_SCHED,
	OPT_GPU_MAJORS,
};

static const struct argp_option profile_options[] = {
	{ "tag", OPT_TAG, "KEY=VALUE", 0, "Tag the report (repeatable); bytes= and iterations= add "
	  "per-KB and per-iteration figures; the daemon's metrics carry tags as labels" },
	{ "no-follow", OPT_NO_FOLLOW, NULL, 0, "Do not follow children created by fork/clone" },
	{ "no-sched", OPT_NO_SCHED, NULL, 0, "Do not load the scheduler programs (context switches, "
	  "off-CPU time, run-queue latency): lowest overhead" },
	{ "categories", OPT_CATEGORIES, "FILE", 0, "Replace the syscall taxonomy (format in the README)" },
	{ "max-processes", OPT_MAX_PROCS, "N", 0, "Processes tracked at once (record 8192, daemon "
	  "4096); more are counted in an overflow entry" },
	{ "gpu-majors", OPT_GPU_MAJORS, "LIST", 0, "Character-device majors that are GPUs "
	  "(default: the GPU drivers /proc/devices lists, none if it lists none); 'none' to turn GPU "
	  "attribution off" },
	{ "raw-tp", OPT_RAW_TP, NULL, 0, "Attach raw tracepoints even where tp_btf is available" },
	{ "verbose", 'v', NULL, 0, "More detail on stderr (repeatable)" },
	{},
};

static error_t profile_parse(int key, char *arg, struct argp_state *state)
{
	struct profile_opts *o = state->input;
	long v;

	switch (key) {
	case OPT_TAG:
		return tags_add(&o->tags, arg) ? EINVAL : 0;
	case OPT_NO_FOLLOW: o->follow = false; break;
	case OPT_NO_SCHED: o->sched = false; break;
	case OPT_CATEGORIES: o->categories = arg; break;
	case OPT_MAX_PROCS:
		if (cli_parse_int(arg, 1, 1 << 20, &v)) {
			err("bad --max-processes '%s': expected 1..1048576", arg);
			return EINVAL;
		}
		o->max_procs = (uint32_t)v;
		break;
	case OPT_GPU_MAJORS:
		if (gpu_majors_parse(arg, &o->gpu))
			return EINVAL;
		o->gpu_given = true;
		break;
	case OPT_RAW_TP: o->raw_tp = true; break;
	case 'v': log_more_verbose(); break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp profile_argp = {
	.options = profile_options,
	.parser = profile_parse,
};

const struct argp_child profile_children[] = {
	{ &profile_argp, 0, "Profiling options:", 0 },
	{},
};

void profile_opts_init(struct profile_opts *o, uint32_t max_procs)
{
	*o = (struct profile_opts){ .follow = true, .sched = true, .max_procs = max_procs };
}

int profile_opts_finish(struct profile_opts *o, struct taxonomy *tax)
{
	int err = o->categories ? taxonomy_load_file(tax, o->categories) : taxonomy_load_default(tax);

	if (!err && !o->gpu_given)
		gpu_majors_default(&o->gpu);
	return err;
}

void profile_opts_tracer(const struct profile_opts *o, const struct taxonomy *tax,
			 struct tracer_opts *t)
{
	t->follow = o->follow;
	t->sched = o->sched;
	t->force_raw_tp = o->raw_tp;
	t->max_procs = o->max_procs;
	t->gpu_majors = o->gpu.major;
	t->ngpu_majors = o->gpu.n;
	t->tax = tax;
}
