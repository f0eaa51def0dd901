// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * osiprof record: profile a command (held before exec until attached), running
 * processes (-p) or the whole system (-a), then write one report. Wires the
 * stages together: tracer -> collector -> snapshot -> sink.
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <bpf/libbpf.h>
#include "model/categories.h"
#include "cmd/cli.h"
#include "cmd/options.h"
#include "model/gpu.h"
#include "collect/collector.h"
#include "cmd/commands.h"
#include "base/log.h"
#include "serve/output.h"
#include "load/privilege.h"
#include "cmd/profile_opts.h"
#include "model/report.h"
#include "sink/sink.h"
#include "cmd/spawn.h"
#include "model/tags.h"
#include "base/timefmt.h"
#include "load/tracer.h"
#include "serve/loop.h"
#include "cmd/timeline_out.h"
#include "sink/stacks_folded.h"
#include "sink/stacks_pprof.h"
#include "collect/timeline_feed.h"
#include "model/timeline.h"

#define TICK_MS		100
#define TIMELINE_RINGBUF_BYTES	(16u << 20)

struct record_env {
	struct profile_opts prof;	/* shared with the daemon */
	const char *output;
	const char *format;
	double duration_s;
	bool all;
	bool bpf_stats;
	bool phases;
	char window[2][OSP_PHASE_NAME_MAX];
	struct pid_list targets;		/* -p */
	const char *timeline;		/* --timeline FILE */
	double timeline_us;
	int timeline_max;
	bool objects;
	uint32_t max_objects;
	const char *folded, *folded_weight, *pprof;	/* --stacks outputs */
	char **cmd;
	int cmd_argc;
};

/* "BEGIN,END": two phase names. */
static int parse_window(void *field, const char *arg)
{
	char (*w)[OSP_PHASE_NAME_MAX] = field;
	const char *comma = strchr(arg, ',');

	if (!comma || comma == arg || !comma[1] || strchr(comma + 1, ',') ||
	    comma - arg >= OSP_PHASE_NAME_MAX || strlen(comma + 1) >= OSP_PHASE_NAME_MAX) {
		err("bad --window '%s': expected BEGIN,END (phase names, at most %d characters)",
		    arg, OSP_PHASE_NAME_MAX - 1);
		return -EINVAL;
	}
	snprintf(w[0], OSP_PHASE_NAME_MAX, "%.*s", (int)(comma - arg), arg);
	snprintf(w[1], OSP_PHASE_NAME_MAX, "%s", comma + 1);
	return 0;
}

static error_t take_command(void *input, char *arg, struct argp_state *state)
{
	struct record_env *env = input;

	(void)arg;
	cli_take_command(state, &env->cmd, &env->cmd_argc);
	return 0;
}

OPT_TABLE(record_table, 0x100, take_command, OPT_CHILD(struct record_env, prof),
	{ "output", 'o', "FILE", OPT_STR(struct record_env, output),
	  .doc = "Write the report to FILE (atomically); '-' is stdout" },
	{ "format", 0, "FMT", OPT_STR(struct record_env, format),
	  .doc = "table, json or csv (default: from FILE's extension; table on a terminal, json otherwise)" },
	{ "duration", 0, "SEC", OPT_NUM(struct record_env, duration_s, 1e-3, 1e7),
	  .expect = "seconds, 0.001 to 1e7",
	  .doc = "Stop after SEC seconds (a command is sent SIGTERM)" },
	{ "all", 'a', NULL, OPT_SET(struct record_env, all), .doc = "Profile the whole system" },
	{ "pid", 'p', "PID[,PID...]", OPT_CALL(struct record_env, targets, opt_pids),
	  .doc = "Profile running processes (and their new threads and children)" },
	{ "phases", 0, NULL, OPT_SET(struct record_env, phases),
	  .doc = "Break every figure down by the phases the program marks (include/osiprof/phase.h)" },
	{ "window", 0, "BEGIN,END", OPT_CALL(struct record_env, window, parse_window),
	  .doc = "Count only between the phase marks BEGIN and END" },
	{ "timeline", 0, "FILE", OPT_STR(struct record_env, timeline),
	  .doc = "Write a per-thread timeline (Chrome Trace Event JSON, for Perfetto UI) of slow "
		 "syscalls, off-CPU spans, forks, execs, exits and phases to FILE" },
	{ "timeline-threshold", 0, "USEC", OPT_NUM(struct record_env, timeline_us, 0, 1e9),
	  .expect = "microseconds, 0 to 1e9",
	  .doc = "Syscalls and off-CPU spans at least this long are on the timeline (default 100)" },
	{ "timeline-max-events", 0, "N", OPT_INT(struct record_env, timeline_max, 1, 100000000),
	  .doc = "Events the timeline keeps; older ones are discarded and counted (default 1000000)" },
	{ "objects", 0, NULL, OPT_SET(struct record_env, objects),
	  .doc = "Break the fd-taking calls down by the file, socket, pipe or device they used "
		 "(off by default: it costs an fd lookup per such call)" },
	{ "no-objects", 0, NULL, OPT_CLEAR(struct record_env, objects),
	  .doc = "No per-object breakdown (the default)" },
	{ "max-objects", 0, "N", OPT_U32(struct record_env, max_objects, 1, 1 << 20),
	  .doc = "Objects tracked with --objects (default 4096); beyond, dropped.object_map_full" },
	{ "folded", 0, "FILE", OPT_STR(struct record_env, folded),
	  .doc = "With --stacks: write the stacks as folded stacks (flamegraph.pl, inferno, "
		 "speedscope) to FILE" },
	{ "folded-weight", 0, "W", OPT_CHOICE(struct record_env, folded_weight, "time", "calls", "offcpu"),
	  .doc = "What a folded stack's number is: time (ns, the default), calls or offcpu (ns)" },
	{ "pprof", 0, "FILE", OPT_STR(struct record_env, pprof),
	  .doc = "With --stacks: write the stacks as a gzipped pprof profile (go tool pprof, "
		 "Pyroscope, Parca) to FILE" },
	{ "bpf-stats", 0, NULL, OPT_SET(struct record_env, bpf_stats),
	  .doc = "Have the kernel count BPF run time for the report's self section (costs ~20 ns per event)" },
);

static const struct argp record_argp = {
	.options = record_table_argp_opts,
	.parser = record_table_parse,
	.children = profile_children,
	.args_doc = "-a | -p PID[,PID...] | [--] COMMAND [ARGS...]",
	.doc = "Profile the syscalls of a command, running processes or the whole system.\v"
	       "Examples:\n"
	       "  osiprof record -- dd if=/dev/zero of=/dev/null bs=1 count=100000\n"
	       "  osiprof record -o run.json --tag bytes=1000000 -- ./bench --bytes 1000000\n"
	       "  osiprof record -p 1234 --duration 10\n"
	       "  osiprof record -a --duration 5 --format csv -o host.csv",
};

/* A thread id given to -p becomes its process (the target map is by tgid). */
static pid_t pid_to_tgid(pid_t pid)
{
	char path[64], line[256];
	pid_t tgid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

static int resolve_format(const struct record_env *env, enum report_format *fmt)
{
	const char *dot;

	if (env->format) {
		if (report_format_parse(env->format, fmt)) {
			err("unknown format '%s' (table, json or csv)", env->format);
			return -EINVAL;
		}
		return 0;
	}
	dot = env->output ? strrchr(env->output, '.') : NULL;
	if (dot && !strcmp(dot, ".json"))
		*fmt = FORMAT_JSON;
	else if (dot && !strcmp(dot, ".csv"))
		*fmt = FORMAT_CSV;
	else if (env->output && strcmp(env->output, "-"))
		*fmt = FORMAT_JSON;
	else
		*fmt = isatty(STDOUT_FILENO) ? FORMAT_TABLE : FORMAT_JSON;
	return 0;
}

struct loop_state {
	const struct record_env *env;
	struct tracer *tracer;
	struct collector *collector;
	const struct taxonomy *tax;
	struct ring_buffer *rb;		/* --timeline only */
	struct timeline *tl;
	pid_t child;
	int child_status;
	bool child_done;
	bool stop;
};

/* Reaps the command. Its descendants are not ours: osiprof changes nothing in
 * the process tree (an orphan goes to init as it would, an orphaned stopped
 * group gets its SIGHUP), and the BPF side sees their exits. */
static void reap(struct loop_state *ls)
{
	int status;

	if (!ls->child_done && waitpid(ls->child, &status, WNOHANG) == ls->child) {
		ls->child_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		ls->child_done = true;
	}
}

/* The run ends when the command has exited and so has every process it
 * started that is still followed (the process map knows which are alive). */
static bool tree_done(struct loop_state *ls)
{
	return ls->child_done && tracer_count_live_targets(ls->tracer) == 0;
}

static void on_signals(struct loop_state *ls, int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			continue;
		if (ls->child > 0 && !ls->child_done) {
			/* The terminal already sent SIGINT to the command's
			 * group; pass on SIGTERM. */
			if (si.ssi_signo == SIGTERM)
				kill(ls->child, SIGTERM);
		} else {
			ls->stop = true;
		}
	}
	if (ls->child > 0) {
		reap(ls);
		if (tree_done(ls))
			ls->stop = true;
	}
}

static int on_tick(struct loop_state *ls, uint64_t start, uint64_t *last_poll)
{
	const struct record_env *env = ls->env;
	uint64_t now = now_ns(CLOCK_MONOTONIC);
	int ret = 0;

	if (env->duration_s > 0 && now - start >= env->duration_s * 1e9) {
		if (ls->child > 0 && !ls->child_done)
			kill(ls->child, SIGTERM);
		else
			ls->stop = true;
	}
	if (ls->child > 0 && tree_done(ls))
		ls->stop = true;
	if (env->targets.n && !env->all && tracer_count_live_targets(ls->tracer) == 0) {
		info("every target process has exited");
		ls->stop = true;
	}
	/* Keep 32-bit histogram buckets from wrapping twice. */
	if (now - *last_poll >= 1000000000ULL) {
		ret = collector_poll(ls->collector);
		if (ret)
			ls->stop = true;
		else if (ls->tl)
			timeline_sample_snapshot(ls->tl, collector_snapshot(ls->collector), ls->tax);
		*last_poll = now;
	}
	return ret;
}

static int event_loop(struct loop_state *ls, int sfd)
{
	uint64_t start = now_ns(CLOCK_MONOTONIC), last_poll = start;
	int fds[2] = { sfd, ls->rb ? ring_buffer__epoll_fd(ls->rb) : -1 };
	int n, i, ready[4], ret;
	struct loop l;

	ret = loop_open(&l, TICK_MS / 1e3, fds, 2);
	if (ret)
		goto out;
	if (ls->child > 0) {
		reap(ls);	/* it may already be gone */
		ls->stop = tree_done(ls);
	}
	while (!ls->stop) {
		n = loop_wait(&l, ready, 4);
		if (n < 0) {
			ret = n;
			break;
		}
		for (i = 0; i < n; i++) {
			if (ready[i] == sfd)
				on_signals(ls, sfd);
			else if (ready[i] == fds[1])
				ring_buffer__consume(ls->rb);
			else
				ret = on_tick(ls, start, &last_poll);
		}
	}
out:
	loop_close(&l);
	return ret;
}

static int validate(struct record_env *env)
{
	int modes = env->all + (env->targets.n > 0) + (env->cmd_argc > 0);
	int i;

	if (modes != 1) {
		err(modes ? "give only one of -a, -p PID or a command"
			  : "nothing to profile: give -a, -p PID or -- COMMAND (see --help)");
		return -EINVAL;
	}
	for (i = 0; i < env->targets.n; i++) {
		pid_t tgid = pid_to_tgid(env->targets.pids[i]);

		if (tgid <= 0) {
			err("no process with PID %d", env->targets.pids[i]);
			return -ESRCH;
		}
		env->targets.pids[i] = tgid;
	}
	return 0;
}

/* Starts the command held before exec, attaches every program, drops
 * privileges and marks the targets. 0, or the exit code to leave with. */
static int start(struct record_env *env, struct loop_state *ls, struct spawned *sp,
		 const char *path, const sigset_t *caller_mask)
{
	int ret = 0, i;

	if (env->cmd_argc) {
		ret = spawn_held(path, env->cmd, caller_mask, sp);
		if (ret) {
			err("fork: %s", strerror(-ret));
			return 1;
		}
		ls->child = sp->pid;
		ret = spawn_wait_held(sp);
		if (ret) {
			err("waiting for %s to be ready: %s", env->cmd[0], strerror(-ret));
			return 1;
		}
	}
	if (tracer_attach(ls->tracer))
		return 1;
	if (env->phases || env->window[0][0]) {
		char exe[PATH_MAX];

		/* The probes live in the program's binary: the command, or -p's exe. */
		if (!env->cmd_argc) {
			char link[64];
			ssize_t n;

			snprintf(link, sizeof(link), "/proc/%d/exe", env->targets.pids[0]);
			n = readlink(link, exe, sizeof(exe) - 1);
			exe[n > 0 ? n : 0] = '\0';
		}
		if (tracer_attach_phases(ls->tracer, env->cmd_argc ? path : exe))
			return 1;
	}
	/* Everything is attached: no capability is needed any more. */
	if (privilege_drop(env->prof.stacks))
		return 1;
	if (env->cmd_argc)
		ret = tracer_add_target(ls->tracer, sp->pid, true);
	for (i = 0; i < env->targets.n && !ret; i++) {
		ret = tracer_add_target(ls->tracer, env->targets.pids[i], false);
		if (ret == -ESRCH)
			err("no process with PID %d (or it exited while osiprof attached)", env->targets.pids[i]);
	}
	if (ret && ret != -ESRCH)
		err("adding targets: %s", strerror(-ret));
	return ret == -ESRCH ? 2 : ret ? 1 : 0;
}

static int on_event(void *ctx, void *data, size_t len)
{
	struct loop_state *ls = ctx;

	timeline_feed(ls->tl, data, len);
	collector_event(ls->collector, data, len);
	return 0;
}

/* Everything still queued, a last sample, and the trace, atomically. */
static int write_timeline(struct loop_state *ls, struct output *out, uint64_t start_mono,
			  uint64_t start_real)
{
	const struct snapshot *snap = collector_snapshot(ls->collector);
	char *text;
	int ret;

	ring_buffer__consume(ls->rb);
	timeline_sample_snapshot(ls->tl, snap, ls->tax);
	text = timeline_render(ls->tl, snap, ls->tax, start_mono, start_real, "record");
	if (!text) {
		err("out of memory");
		return 1;
	}
	ret = fputs(text, out->f) < 0 ? -EIO : 0;
	free(text);
	if (ret) {
		err("writing the timeline: %s", strerror(errno));
		output_keep(out);
		return 1;
	}
	if (output_commit(out))
		return 1;
	info("wrote %s (%zu events, %lu discarded, %lu lost)", ls->env->timeline, timeline_len(ls->tl),
	     ls->tl->discarded, snap->drops[OSP_DROP_RINGBUF]);
	return 0;
}

/* The facts of the run the report states, beside what start measured. */
static void fill_run(const struct record_env *env, const struct loop_state *ls, int argc,
		     char **argv, struct run_info *run)
{
	run->mode = env->cmd_argc ? "command" : env->all ? "system" : "pid";
	run->targets = env->cmd_argc ? &ls->child : env->targets.pids;
	run->ntargets = env->cmd_argc ? 1 : env->targets.n;
	run->follow = env->prof.follow && !env->all;
	run->argc = argc;
	run->argv = argv;
	run->cmd_argc = env->cmd_argc;
	run->cmd_argv = env->cmd;
	run->tags = &env->prof.tags;
	run->has_exit_status = env->cmd_argc > 0;
	run->exit_status = ls->child_status;
	run->taxonomy_source = env->prof.categories ?: "default";
	run->gpu_majors = env->prof.gpu.major;
	run->ngpu_majors = env->prof.gpu.n;
	run->window_begin = env->window[0][0] ? env->window[0] : NULL;
	run->window_end = env->window[0][0] ? env->window[1] : NULL;
}

/* 0 once the report is written and committed; 1 after saying why. */
/* --folded and --pprof, from the report's view of the stacks. */
static int write_stack_outputs(const struct record_env *env, const struct report *rep,
			       struct output *folded, struct output *pprof)
{
	enum folded_weight w = !env->folded_weight || !strcmp(env->folded_weight, "time") ? FOLDED_TIME :
			       !strcmp(env->folded_weight, "calls") ? FOLDED_CALLS : FOLDED_OFFCPU;

	if (folded->f && stacks_write_folded(folded->f, rep, w)) {
		err("writing %s: %s", env->folded, strerror(errno));
		output_keep(folded);
		return 1;
	}
	if (folded->f && output_commit(folded))
		return 1;
	if (pprof->f && stacks_write_pprof(pprof->f, rep)) {
		err("writing %s: %s", env->pprof, strerror(errno));
		output_keep(pprof);
		return 1;
	}
	return pprof->f && output_commit(pprof) ? 1 : 0;
}

static int write_report(const struct record_env *env, const struct snapshot *snap,
			const struct taxonomy *tax, const struct run_info *run, enum report_format fmt,
			struct output *out, struct output *folded, struct output *pprof)
{
	struct report rep;
	int i, ret;

	if (report_init(&rep, snap, tax, run)) {
		err("out of memory");
		return 1;
	}
	/* Said on stderr too: a JSON report's reader may not look. */
	for (i = 0; i < rep.nwarnings && fmt != FORMAT_TABLE; i++)
		warn("%s", rep.warnings[i]);
	ret = report_write(out->f, fmt, &rep);
	if (ret) {
		err("writing the report: %s", strerror(errno));
		output_keep(out);
		report_fini(&rep);
		return 1;
	}
	ret = output_commit(out) ? 1 : write_stack_outputs(env, &rep, folded, pprof);
	report_fini(&rep);
	return ret;
}

int cmd_record(int argc, char **argv, const sigset_t *caller_mask)
{
	struct record_env env = { .timeline_us = 100, .timeline_max = 1000000, .max_objects = 4096 };
	struct tracer_opts topts = {};
	struct loop_state ls = { .env = &env, .child = -1 };
	struct spawned sp = { .pid = -1, .go_fd = -1, .err_fd = -1 };
	struct run_info run = {};
	struct output out, tl_out = {}, folded_out = {}, pprof_out = {};
	struct taxonomy tax;
	enum report_format fmt;
	sigset_t mask;
	char path[PATH_MAX];
	uint64_t mono_start;
	int sfd = -1, stats_fd = -1, ret;

	profile_opts_init(&env.prof, 8192);
	opt_table_argp(&record_table);
	if (argp_parse(&record_argp, argc, argv, ARGP_IN_ORDER, NULL, &env))
		return 2;
	if (validate(&env) || resolve_format(&env, &fmt))
		return 2;
	if ((env.phases || env.window[0][0]) && env.all) {
		err("--phases and --window need a command or -p (the probes are in its binary)");
		return 2;
	}
	if (profile_opts_finish(&env.prof, &tax))
		return 2;
	if (env.cmd_argc) {
		ret = spawn_resolve(env.cmd[0], path, sizeof(path));
		if (ret) {
			err("%s: %s", env.cmd[0], ret == -ENOENT ? "command not found" : strerror(-ret));
			return ret == -ENOENT ? 127 : 126;
		}
	}
	if (tracer_check_environment())
		return 1;
	/* Before anything runs: an unwritable output must not waste a run. */
	if (output_open(&out, env.output, 0666))
		return 1;
	if ((env.folded || env.pprof || env.folded_weight) && !env.prof.stacks) {
		err("--folded, --folded-weight and --pprof need --stacks");
		output_abort(&out);
		return 2;
	}
	if ((env.timeline && output_open(&tl_out, env.timeline, 0666)) ||
	    (env.folded && output_open(&folded_out, env.folded, 0666)) ||
	    (env.pprof && output_open(&pprof_out, env.pprof, 0666))) {
		ret = 1;
		goto out_abort;
	}

	log_attach_libbpf();
	topts = (struct tracer_opts){ .all = env.all, .max_errnos = 4096, .cgroup_fd = -1,
				      .phases = env.phases,
				      .window_begin = env.window[0][0] ? env.window[0] : NULL,
				      .window_end = env.window[0][0] ? env.window[1] : NULL };
	if (env.objects) {
		topts.max_objects = env.max_objects;
		topts.ringbuf_bytes = TIMELINE_RINGBUF_BYTES;
	}
	if (env.timeline) {
		/* One capture path: the slow-call events, with the timeline's own. */
		topts.events = topts.timeline = true;
		topts.slow_ns = (uint64_t)(env.timeline_us * 1000) ?: 1;
		topts.ringbuf_bytes = TIMELINE_RINGBUF_BYTES;
	}
	if (env.prof.stacks)	/* dwarf records carry the stack top: room for ~1800 */
		topts.ringbuf_bytes = TIMELINE_RINGBUF_BYTES;
	profile_opts_tracer(&env.prof, &tax, &topts);
	ls.tracer = tracer_open_and_load(&topts);
	if (!ls.tracer) {
		ret = 1;
		goto out_abort;
	}
	ls.collector = collector_new(ls.tracer);
	ls.tax = &tax;
	if (env.timeline)
		ls.tl = timeline_new((size_t)env.timeline_max, 0, (uint64_t)(env.timeline_us * 1000));
	if (env.timeline || env.objects || env.prof.stacks)
		ls.rb = ring_buffer__new(tracer_events_fd(ls.tracer), on_event, &ls, NULL);
	if (!ls.collector || (env.timeline && !ls.tl) ||
	    ((env.timeline || env.objects || env.prof.stacks) && !ls.rb) ||
	    (env.prof.stacks && collector_enable_stacks(ls.collector, &env.prof.stack))) {
		err("out of memory");
		ret = 1;
		goto out_tracer;
	}

	/* main() blocked these before anything started; the loop reads them. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGCHLD);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		err("signalfd: %s", strerror(errno));
		ret = 1;
		goto out_collector;
	}
	if (env.bpf_stats) {
		stats_fd = tracer_enable_run_stats();
		if (stats_fd < 0)
			warn("cannot enable BPF run-time statistics: %s", strerror(-stats_fd));
	}
	ret = start(&env, &ls, &sp, path, caller_mask);
	if (ret)
		goto out_child;
	run.start_ns = now_ns(CLOCK_REALTIME);
	mono_start = now_ns(CLOCK_MONOTONIC);
	info("attached (%s)", env.all ? "system-wide" : env.cmd_argc ? env.cmd[0] : "pid targets");
	if (env.cmd_argc) {
		ret = spawn_release(&sp);
		if (ret) {
			err("%s: %s", env.cmd[0], strerror(-ret));
			ret = ret == -ENOENT ? 127 : 126;
			goto out_child;
		}
	}

	ret = event_loop(&ls, sfd);
	run.end_ns = now_ns(CLOCK_REALTIME);
	run.duration_ns = now_ns(CLOCK_MONOTONIC) - mono_start;
	tracer_self_stats(ls.tracer, &run.self);
	/* Frozen, so the last read adds up exactly across every map. */
	tracer_stop_probes(ls.tracer);
	if (ls.rb)	/* every name and timeline event still queued */
		ring_buffer__consume(ls.rb);
	if (!ret)
		ret = collector_poll(ls.collector);
	if (ret) {
		ret = 1;
		goto out_child;
	}
	fill_run(&env, &ls, argc, argv, &run);
	ret = write_report(&env, collector_snapshot(ls.collector), &tax, &run, fmt, &out, &folded_out,
			   &pprof_out);
	if (!ret && env.timeline)
		ret = write_timeline(&ls, &tl_out, mono_start, run.start_ns);
	if (ret)
		goto out_child;
	ret = env.cmd_argc ? ls.child_status : 0;
	if (env.output && strcmp(env.output, "-"))
		info("wrote %s", env.output);
	goto out_signals;

out_child:
	if (env.cmd_argc && !ls.child_done)
		spawn_cancel(&sp);
out_signals:
	if (stats_fd >= 0)
		close(stats_fd);
	close(sfd);
out_collector:
	collector_free(ls.collector);
out_tracer:
	ring_buffer__free(ls.rb);
	timeline_free(ls.tl);
	tracer_destroy(ls.tracer);
out_abort:
	if (out.f)
		output_abort(&out);
	if (tl_out.f)
		output_abort(&tl_out);
	if (folded_out.f)
		output_abort(&folded_out);
	if (pprof_out.f)
		output_abort(&pprof_out);
	return ret;
}
