// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <string.h>
#include "model/categories.h"
#include "cmd/options.h"
#include "base/log.h"
#include "cmd/profile_opts.h"
#include "load/tracer.h"

#define STACK_THRESHOLD_US	10	/* every call that blocks, most that sleep or wait */
#define STACK_BYTES		8192
#define MAX_STACKS		8192

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
	{ "stacks", 0, NULL, OPT_SET(struct profile_opts, stacks),
	  .doc = "Capture the call stacks of slow syscalls (see --stack-threshold) and aggregate "
		 "them by process, syscall and stack: JSON stacks[], the table's top call sites, "
		 "--folded, --pprof" },
	{ "stack-threshold", 0, "USEC", OPT_NUM(struct profile_opts, stack_threshold_us, 0, 1e9),
	  .expect = "microseconds, 0 to 1e9",
	  .doc = "With --stacks: capture calls at least this slow (default 10; 0: every call)" },
	{ "stack-sample", 0, "N", OPT_U32(struct profile_opts, stack_sample, 1, 1 << 30),
	  .doc = "With --stacks: also capture 1 in N of all target calls, whatever their latency" },
	{ "unwind", 0, "MODE", OPT_CHOICE(struct profile_opts, unwind, "dwarf", "fp"),
	  .doc = "With --stacks: dwarf (default: registers and the stack top copied, unwound from "
		 ".eh_frame in userspace; works without frame pointers) or fp (frame pointers, "
		 "walked and counted in the kernel)" },
	{ "stack-bytes", 0, "N", OPT_U32(struct profile_opts, stack_bytes, 64, OSP_STACK_BYTES_MAX),
	  .doc = "With --unwind dwarf: bytes of user stack copied per captured call (default 8192, "
		 "a power of two up to 16384)" },
	{ "kernel-stacks", 0, NULL, OPT_SET(struct profile_opts, kernel_stacks),
	  .doc = "With --stacks: the kernel stack of each captured call too" },
	{ "max-stacks", 0, "N", OPT_U32(struct profile_opts, max_stacks, 16, 1 << 20),
	  .doc = "With --stacks: distinct stacks kept (default 8192); more are counted in "
		 "dropped.stack_table_full" },
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
	*o = (struct profile_opts){ .follow = true, .sched = true, .max_procs = max_procs,
				    .stack_threshold_us = STACK_THRESHOLD_US, .stack_bytes = STACK_BYTES,
				    .max_stacks = MAX_STACKS };
	opt_table_argp(&profile_table);
}

int profile_opts_finish(struct profile_opts *o, struct taxonomy *tax)
{
	int err = o->categories ? taxonomy_load_file(tax, o->categories) : taxonomy_load_default(tax);

	if (!err && !o->gpu_given)
		gpu_majors_default(&o->gpu);
	/* The stack options mean nothing without --stacks: one set alone is a
	 * mistake worth a line, not a silent no-op. */
	if (!err && !o->stacks && (o->stack_threshold_us != STACK_THRESHOLD_US || o->stack_sample ||
				   o->unwind || o->stack_bytes != STACK_BYTES || o->kernel_stacks ||
				   o->max_stacks != MAX_STACKS)) {
		err("--stack-threshold, --stack-sample, --unwind, --stack-bytes, --kernel-stacks and "
		    "--max-stacks need --stacks");
		return -EINVAL;
	}
	if (!err && (o->stack_bytes & (o->stack_bytes - 1))) {
		err("bad --stack-bytes '%u': expected a power of two, 64 to %u", o->stack_bytes,
		    OSP_STACK_BYTES_MAX);
		return -EINVAL;
	}
	if (o->stacks)
		o->stack = (struct stack_settings){
			.unwind = o->unwind && !strcmp(o->unwind, "fp") ? OSP_UNWIND_FP : OSP_UNWIND_DWARF,
			.threshold_ns = (uint64_t)(o->stack_threshold_us * 1000 + 0.5),
			.sample = o->stack_sample,
			.kernel = o->kernel_stacks,
			.stack_bytes = o->stack_bytes,
			.max_stacks = o->max_stacks,
		};
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
	t->unwind = o->stack.unwind;
	t->stack_ns = o->stack.threshold_ns;
	t->stack_sample = o->stack.sample;
	t->kernel_stacks = o->stack.kernel;
	t->stack_bytes = o->stack.stack_bytes;
	t->max_stacks = o->stack.max_stacks;
}
