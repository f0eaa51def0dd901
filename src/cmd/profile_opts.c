// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include "model/categories.h"
#include "cmd/options.h"
#include "base/log.h"
#include "cmd/profile_opts.h"
#include "load/tracer.h"

static int parse_gpu_majors(void *field, const char *arg)
{
	struct profile_opts *o = field;

	if (gpu_majors_parse(arg, &o->gpu))
		return -EINVAL;
	o->gpu_given = true;
	return 0;
}

OPT_TABLE(profile_table, 0x200, NULL, OPT_NO_CHILD,
	{ "tag", 0, "KEY=VALUE", OPT_CALL(struct profile_opts, tags, opt_tag),
	  .doc = "Tag the report (repeatable); bytes= and iterations= add per-KB and per-iteration "
		 "figures; the daemon's metrics carry tags as labels" },
	{ "no-follow", 0, NULL, OPT_CLEAR(struct profile_opts, follow),
	  .doc = "Do not follow children created by fork/clone" },
	{ "no-sched", 0, NULL, OPT_CLEAR(struct profile_opts, sched),
	  .doc = "Do not load the scheduler programs (context switches, off-CPU time, run-queue "
		 "latency): lowest overhead" },
	{ "categories", 0, "FILE", OPT_STR(struct profile_opts, categories),
	  .doc = "Replace the syscall taxonomy (format in the README)" },
	{ "max-processes", 0, "N", OPT_U32(struct profile_opts, max_procs, 1, 1 << 20),
	  .doc = "Processes tracked at once (record 8192, daemon 4096); more are counted in an "
		 "overflow entry" },
	{ "gpu-majors", 0, "LIST", .kind = OK_CALL, .off = 0, .call = parse_gpu_majors,
	  .doc = "Character-device majors that are GPUs (default: the GPU drivers /proc/devices "
		 "lists, none if it lists none); 'none' to turn GPU attribution off" },
	{ "raw-tp", 0, NULL, OPT_SET(struct profile_opts, raw_tp),
	  .doc = "Attach raw tracepoints even where tp_btf is available" },
	{ "verbose", 'v', NULL, .kind = OK_CALL, .call = opt_verbose,
	  .doc = "More detail on stderr (repeatable)" },
);

static const struct argp profile_argp = {
	.options = profile_table_argp_opts,
	.parser = profile_table_parse,
};

const struct argp_child profile_children[] = {
	{ &profile_argp, 0, "Profiling options:", 0 },
	{},
};

void profile_opts_init(struct profile_opts *o, uint32_t max_procs)
{
	*o = (struct profile_opts){ .follow = true, .sched = true, .max_procs = max_procs };
	opt_table_argp(&profile_table);
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
