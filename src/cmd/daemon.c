// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * osiprof daemon: long-running profiling of the whole system, some processes
 * or a cgroup. One event loop (epoll over a signalfd, a timerfd and the BPF
 * ring buffer); no work in signal handlers. Every interval the collector
 * reads the maps and the history ring records the delta; SIGUSR1 writes a
 * snapshot (totals since start + the ring), SIGHUP reopens the event log,
 * SIGTERM/SIGINT write a final snapshot and exit.
 */
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/signalfd.h>
#include <sys/statfs.h>
#include <bpf/libbpf.h>
#include "model/categories.h"
#include "cmd/cli.h"
#include "cmd/options.h"
#include "collect/collector.h"
#include "cmd/commands.h"
#include "serve/control.h"
#include "sink/events.h"
#include "base/cgroup.h"
#include "base/fs_trust.h"
#include "model/gpu.h"
#include "model/history.h"
#include "base/log.h"
#include "sink/metrics.h"
#include "serve/loop.h"
#include "cmd/timeline_out.h"
#include "collect/timeline_feed.h"
#include "model/timeline.h"
#include "serve/metrics_http.h"
#include "serve/output.h"
#include "serve/health.h"
#include "serve/notify.h"
#include "serve/pidfile.h"
#include "load/privilege.h"
#include "base/procfs.h"
#include "cmd/profile_opts.h"
#include "model/report.h"
#include "sink/sink.h"
#include "serve/snapdir.h"
#include "model/snapshot.h"
#include "model/tags.h"
#include "base/timefmt.h"
#include "load/tracer.h"

#define RINGBUF_BYTES		(4U << 20)
#define STACKS_RINGBUF_BYTES	(16U << 20)
#define EVENTS_PER_PASS		4096	/* then signals and timers get a turn */
#define BUDGET_SPENT		(-EBUSY)

struct daemon_env {
	struct profile_opts prof;	/* shared with record */
	bool all;
	struct pid_list targets;		/* -p */
	const char *cgroup;
	double interval_s;
	int history;
	const char *output_dir;
	const char *pidfile;
	const char *events;
	double slow_us;
	int keep;
	bool exit_when_gone;
	const char *listen;
	const char *textfile_dir;
	int metrics_syscalls;
	int metrics_cgroups;
	double timeline_s;		/* flight recorder: seconds kept, 0 = off */
	double timeline_us;
	int timeline_max;
	int stall_after;
};

#define D struct daemon_env
OPT_TABLE(daemon_table, 0x100, NULL, OPT_CHILD(struct daemon_env, prof),
	{ "all", 'a', NULL, OPT_SET(D, all), .doc = "Profile the whole system (the default)" },
	{ "pid", 'p', "PID[,PID...]", OPT_CALL(D, targets, opt_pids),
	  .doc = "Profile these processes, their new threads and children" },
	{ "cgroup", 0, "PATH", OPT_STR(D, cgroup),
	  .doc = "Profile the tasks of a cgroup (v2) and its descendants" },
	{ "interval", 0, "SEC", OPT_NUM(D, interval_s, 0.05, 86400), .expect = "seconds, 0.05 to 86400",
	  .doc = "Collection interval (default 10)" },
	{ "history", 0, "N", OPT_INT(D, history, 1, 100000), .expect = "1 to 100000 intervals",
	  .doc = "Intervals kept in memory (default 60)" },
	{ "output-dir", 0, "DIR", OPT_STR(D, output_dir),
	  .doc = "Where snapshots go (default /var/lib/osiprof)" },
	{ "keep", 0, "N", OPT_INT(D, keep, 1, 1000000),
	  .doc = "Snapshots kept in DIR, oldest removed first (default 100)" },
	{ "pidfile", 0, "FILE", OPT_STR(D, pidfile),
	  .doc = "Pidfile, locked while running (default /run/osiprof/osiprof.pid)" },
	{ "events", 0, "FILE", OPT_STR(D, events),
	  .doc = "Append exec/exit/slow-syscall events to FILE as JSON Lines" },
	{ "slow-threshold", 0, "USEC", OPT_NUM(D, slow_us, 1, 1e12), .expect = "microseconds, 1 to 1e12",
	  .doc = "Log syscalls slower than USEC (needs --events)" },
	{ "listen", 0, "[ADDR:]PORT", OPT_STR(D, listen),
	  .doc = "Serve Prometheus /metrics (ADDR defaults to 127.0.0.1)" },
	{ "textfile", 0, "DIR", OPT_STR(D, textfile_dir),
	  .doc = "Write DIR/osiprof.prom every interval, for node_exporter's textfile collector" },
	{ "metrics-cgroups", 0, "N", OPT_INT(D, metrics_cgroups, 0, 1000),
	  .doc = "cgroup label on the per-category series for the N busiest cgroups, the rest "
		 "summed as cgroup=\"other\" (default 20, 0 for no label)" },
	{ "metrics-syscalls", 0, "N", OPT_INT(D, metrics_syscalls, 0, 512),
	  .doc = "Per-syscall series for the N busiest syscalls (default 20, 0 for none)" },
	{ "timeline-seconds", 0, "S", OPT_NUM(D, timeline_s, 0, 86400), .expect = "seconds, 0 to 86400",
	  .doc = "Flight recorder: keep the last S seconds of timeline events and write them beside "
		 "every snapshot as timeline-<stamp>.json (Chrome Trace Event JSON)" },
	{ "timeline-threshold", 0, "USEC", OPT_NUM(D, timeline_us, 0, 1e9),
	  .expect = "microseconds, 0 to 1e9",
	  .doc = "Syscalls and off-CPU spans at least this long are recorded (default 100)" },
	{ "timeline-max-events", 0, "N", OPT_INT(D, timeline_max, 1, 10000000),
	  .doc = "Events the flight recorder holds at most; older ones are discarded and counted "
		 "(default 100000)" },
	{ "exit-when-gone", 0, NULL, OPT_SET(D, exit_when_gone),
	  .doc = "With -p: exit once every named process has exited" },
	/* A test hook, documented in the README: the collector stops after N
	 * polls while everything else goes on (/healthz must notice). */
	{ "test-stall-after", 0, "N", OPT_INT(D, stall_after, 1, 1000000), .flags = OPTION_HIDDEN,
	  .doc = "Test hook: stop polling after N polls" },
);
#undef D

static const struct argp daemon_argp = {
	.options = daemon_table_argp_opts,
	.parser = daemon_table_parse,
	.children = profile_children,
	.args_doc = "",
	.doc = "Profile the whole system, some processes or a cgroup until stopped; write a "
	       "snapshot on SIGUSR1 (see 'osiprof snapshot').\v"
	       "Signals: SIGUSR1 writes a snapshot, SIGHUP reopens the event log, SIGTERM and "
	       "SIGINT write a final snapshot and exit. 'osiprof snapshot' asks over the control "
	       "socket beside the pidfile (osiprof.pid -> osiprof.sock) and gets the path back.\n"
	       "Example:\n"
	       "  osiprof daemon -a --interval 1 --output-dir /var/lib/osiprof --events /var/log/osiprof.jsonl",
};

struct daemon {
	struct daemon_env *env;
	int argc;
	char **argv;
	struct taxonomy tax;
	struct tracer *tracer;
	struct collector *collector;
	struct ring_buffer *rb;
	struct event_log *log;
	struct history *history;
	struct timeline *tl;		/* --timeline-seconds */
	struct snapdir *dir;
	int pidfile_fd;
	int ctl_fd;
	char ctl_path[PATH_MAX];
	struct metrics_server *http;
	uint64_t start_real, start_mono, last_interval_real, last_interval_mono;
	uint64_t seq, written, failed;
	double last_snapshot_time;
	int events_this_pass;
	bool root_alive[PID_LIST_MAX];
	uint64_t last_poll_ns, drops;	/* health: the last successful poll */
	double last_poll_time;		/* the same, Unix seconds */
	uint64_t watchdog_ns;		/* kick period; 0 without WatchdogSec= */
	uint64_t last_kick_ns;
	long polls;			/* for --test-stall-after */
};

static int on_event(void *ctx, void *data, size_t len)
{
	struct daemon *d = ctx;

	/* An exit's final totals replace the process's entry in the model; a
	 * thread that outlived its process's exit joins them. */
	if (len >= sizeof(struct osp_ev_exit) &&
	    (*(const __u32 *)data == OSP_EV_EXIT || *(const __u32 *)data == OSP_EV_LATE_THREAD))
		collector_account_exit(d->collector, data);
	collector_event(d->collector, data, len);	/* --stacks */
	timeline_feed(d->tl, data, len);
	event_log_handle(d->log, data, len);	/* with its own slow threshold */
	/* A bounded pass: a flood cannot starve signals or timers. */
	return ++d->events_this_pass >= EVENTS_PER_PASS ? BUDGET_SPENT : 0;
}

static int drain_events(struct daemon *d)
{
	int n;

	d->events_this_pass = 0;
	n = ring_buffer__consume(d->rb);
	return n == BUDGET_SPENT ? 1 : n < 0 ? n : 0;
}

/* The collector's hook between its process and global reads: everything
 * queued by then, a bounded number of passes (a flood shows as unattributed
 * rather than stalling the loop). */
static int drain_all(void *ctx)
{
	int pass, n = 0;

	for (pass = 0; pass < 16; pass++) {
		n = drain_events(ctx);
		if (n <= 0)
			break;
	}
	return n < 0 ? n : 0;
}

static void fill_daemon_facts(struct daemon *d, const char *reason, struct daemon_facts *f)
{
	*f = (struct daemon_facts){
		.pid = getpid(), .started_ns = d->start_real,
		.uptime_ns = now_ns(CLOCK_MONOTONIC) - d->start_mono, .reason = reason,
		.interval_s = d->env->interval_s, .history_capacity = d->env->history,
		.snapshot_seq = d->seq, .snapshots_written = d->written, .snapshot_failures = d->failed,
		.max_processes = d->env->prof.max_procs, .event_log = d->env->events,
		.event_lines_written = event_log_written(d->log),
		.event_lines_lost = event_log_lines_lost(d->log), .history = d->history,
	};
}

/* The facts of this run, as every sink wants them. */
static void fill_run(struct daemon *d, struct run_info *run_out)
{
	struct run_info run = {};

	run.mode = d->env->cgroup ? "cgroup" : d->env->targets.n ? "pid" : "system";
	run.targets = d->env->targets.pids;
	run.ntargets = d->env->targets.n;
	run.follow = d->env->prof.follow && d->env->targets.n;
	run.argc = d->argc;
	run.argv = d->argv;
	run.tags = &d->env->prof.tags;
	run.start_ns = d->start_real;
	run.end_ns = now_ns(CLOCK_REALTIME);
	run.duration_ns = now_ns(CLOCK_MONOTONIC) - d->start_mono;
	run.taxonomy_source = d->env->prof.categories ?: "default";
	run.gpu_majors = d->env->prof.gpu.major;
	run.ngpu_majors = d->env->prof.gpu.n;
	tracer_self_stats(d->tracer, &run.self);
	*run_out = run;
}

/* Renders the metrics from the last collection for /metrics and --textfile. */
static void publish_metrics(struct daemon *d)
{
	struct metrics_extra x = { .snapshots_written = d->written, .snapshot_failures = d->failed,
				   .last_poll_time = d->last_poll_time,
				   .last_snapshot_time = d->last_snapshot_time,
				   .max_syscall_series = d->env->metrics_syscalls,
				   .max_cgroup_series = d->env->metrics_cgroups,
				   .per_process = d->env->targets.n > 0 };
	char *text = NULL, *om = NULL, path[PATH_MAX];
	size_t len = 0, om_len = 0;
	struct run_info run;
	struct output out;
	struct report rep;
	FILE *f, *g;
	int err;

	if (!d->http && !d->env->textfile_dir)
		return;
	fill_run(d, &run);
	if (report_init(&rep, collector_snapshot(d->collector), &d->tax, &run))
		return;
	f = open_memstream(&text, &len);
	g = open_memstream(&om, &om_len);
	err = !f || !g || metrics_write(f, &rep, &x, false) || metrics_write(g, &rep, &x, true);
	report_fini(&rep);
	if (f)
		fclose(f);
	if (g)
		fclose(g);
	if (err) {
		free(text);
		free(om);
		return;
	}
	if (d->env->textfile_dir) {
		/* node_exporter must never read half a file (output.c: temp + rename). */
		snprintf(path, sizeof(path), "%s/osiprof.prom", d->env->textfile_dir);
		if (!output_open(&out, path, 0644)) {
			fwrite(text, 1, len, out.f);
			output_commit(&out);
		}
	}
	if (d->http) {
		metrics_server_publish(d->http, text, len, om, om_len);
	} else {
		free(text);
		free(om);
	}
}

/* The flight recorder's last seconds, beside the snapshot just written. */
static void write_timeline(struct daemon *d)
{
	char *text, path[PATH_MAX];

	timeline_expire(d->tl, now_ns(CLOCK_MONOTONIC));
	text = timeline_render(d->tl, collector_snapshot(d->collector), &d->tax, d->start_mono,
			       d->start_real, "daemon");
	if (!text) {
		err("out of memory: no timeline beside this snapshot");
		return;
	}
	if (!snapdir_write_timeline(d->dir, text, path, sizeof(path)))
		info("timeline %s (%zu events)", path, timeline_len(d->tl));
	free(text);
}

/* Returns the snapshot's sequence number (its path in path), or a negative
 * errno. */
static int64_t write_snapshot(struct daemon *d, const char *reason, char *path, size_t len)
{
	struct daemon_facts facts;
	struct run_info run;
	struct report rep;
	const char *name;
	char *text;
	int err;

	err = collector_poll(d->collector);
	if (err)
		return err;
	fill_run(d, &run);
	fill_daemon_facts(d, reason, &facts);
	run.daemon = &facts;
	if (report_init(&rep, collector_snapshot(d->collector), &d->tax, &run))
		return -ENOMEM;
	text = report_json_text(&rep);
	report_fini(&rep);
	if (!text)
		return -ENOMEM;
	err = snapdir_write(d->dir, d->seq, text, &name);
	free(text);
	if (err) {
		d->failed++;
		publish_metrics(d);
		return err;
	}
	d->written++;
	d->last_snapshot_time = now_ns(CLOCK_REALTIME) / 1e9;
	snprintf(path, len, "%s/%s", snapdir_path(d->dir), name);
	info("snapshot %s", path);
	if (d->tl)
		write_timeline(d);
	publish_metrics(d);
	return (int64_t)d->seq++;
}

/* Stalled: three polls missed (a poll is due every tick), and at least 2 s. */
static uint64_t stale_ns(const struct daemon *d)
{
	double tick = d->env->interval_s < COLLECTOR_MAX_PERIOD_S ? d->env->interval_s
								 : COLLECTOR_MAX_PERIOD_S;

	return (uint64_t)((3 * tick > 2 ? 3 * tick : 2) * 1e9);
}

/* `osiprof snapshot` or `osiprof health` connected. */
static void on_control(struct daemon *d)
{
	char path[PATH_MAX], line[CONTROL_REPLY_MAX], req[64];
	int64_t seq;
	int cfd;

	while ((cfd = control_accept(d->ctl_fd, req, sizeof(req))) >= 0) {
		if (!strcmp(req, "health")) {
			health_line(line, sizeof(line), d->last_poll_ns, stale_ns(d), d->drops);
		} else if (!strcmp(req, "snapshot")) {
			seq = write_snapshot(d, "request", path, sizeof(path));
			if (seq < 0)
				snprintf(line, sizeof(line), "error %s\n", strerror((int)-seq));
			else
				snprintf(line, sizeof(line), "ok %lld %s\n", (long long)seq, path);
		} else {
			snprintf(line, sizeof(line), "error unknown request '%.40s'\n", req);
		}
		control_reply(cfd, line);
	}
}

/* Health: every successful poll; a stalled collector shows in /healthz
 * and starves the watchdog. */
static void healthy(struct daemon *d, uint64_t mono)
{
	const struct snapshot *s = collector_snapshot(d->collector);
	uint64_t drops = 0;
	int i;

	for (i = 0; i < OSP_DROP_NR; i++)
		drops += s->drops[i];
	d->last_poll_ns = mono;
	d->last_poll_time = now_ns(CLOCK_REALTIME) / 1e9;
	d->drops = drops;
	metrics_server_health(d->http, mono, stale_ns(d), drops);
	if (d->watchdog_ns && mono - d->last_kick_ns >= d->watchdog_ns / 2) {
		notify_watchdog();
		d->last_kick_ns = mono;
	}
}

static void on_tick(struct daemon *d, bool *stop)
{
	uint64_t mono = now_ns(CLOCK_MONOTONIC), real = now_ns(CLOCK_REALTIME);
	int i, alive = 0;

	/* Test hook (--test-stall-after): the collector path stops here. */
	if (d->env->stall_after && ++d->polls > d->env->stall_after)
		return;
	if (collector_poll(d->collector))
		return;
	healthy(d, mono);
	publish_metrics(d);
	if (d->tl) {
		timeline_sample_snapshot(d->tl, collector_snapshot(d->collector), &d->tax);
		timeline_expire(d->tl, mono);
	}
	if (mono - d->last_interval_mono >= (uint64_t)(d->env->interval_s * 1e9) - 1000000) {
		history_push(d->history, collector_snapshot(d->collector), d->last_interval_real, real);
		d->last_interval_real = real;
		d->last_interval_mono = mono;
	}
	for (i = 0; i < d->env->targets.n; i++) {
		if (d->root_alive[i] && procfs_exited(d->env->targets.pids[i])) {
			d->root_alive[i] = false;
			info("target process %d exited", d->env->targets.pids[i]);
		}
		alive += d->root_alive[i];
	}
	if (d->env->targets.n && !alive && d->env->exit_when_gone) {
		info("every target process has exited");
		*stop = true;
	}
}

static void on_signal(struct daemon *d, const struct signalfd_siginfo *si, bool *stop)
{
	char path[PATH_MAX];

	switch (si->ssi_signo) {
	case SIGUSR1:
		/* No answer to a signal (its sender cannot be verified): the
		 * control socket answers `osiprof snapshot`. */
		write_snapshot(d, "signal", path, sizeof(path));
		break;
	case SIGHUP:
		event_log_reopen(d->log);
		break;
	case SIGTERM:
	case SIGINT:
		info("%s: writing the final snapshot", strsignal((int)si->ssi_signo));
		*stop = true;
		break;
	}
}

static int event_loop(struct daemon *d, int sfd)
{
	double tick_s = d->env->interval_s < COLLECTOR_MAX_PERIOD_S ? d->env->interval_s
								   : COLLECTOR_MAX_PERIOD_S;
	int fds[] = { sfd, ring_buffer__epoll_fd(d->rb), d->ctl_fd };
	int n, i, ready[8], ret;
	bool stop = false;
	struct loop l;

	ret = loop_open(&l, tick_s, fds, 3);
	while (!ret && !stop) {
		n = loop_wait(&l, ready, 8);
		if (n < 0) {
			ret = n;
			break;
		}
		for (i = 0; i < n && !stop; i++) {
			if (ready[i] == sfd) {
				struct signalfd_siginfo si;

				while (!stop && read(sfd, &si, sizeof(si)) == sizeof(si))
					on_signal(d, &si, &stop);
			} else if (ready[i] == l.tfd) {
				on_tick(d, &stop);
			} else if (ready[i] == fds[1]) {
				drain_events(d);
			} else if (ready[i] == d->ctl_fd) {
				on_control(d);
			}
		}
	}
	loop_close(&l);
	return ret;
}

/* The snapshot directory, pidfile, control socket, event log, history,
 * textfile directory and HTTP port: all refused before anything attaches. */
static int open_outputs(struct daemon *d)
{
	d->dir = snapdir_open(d->env->output_dir, d->env->keep);
	if (!d->dir)
		return -1;
	d->pidfile_fd = pidfile_acquire(d->env->pidfile, snapdir_path(d->dir));
	if (d->pidfile_fd < 0)
		return -1;
	if (control_path_of(d->env->pidfile, d->ctl_path, sizeof(d->ctl_path))) {
		err("pidfile path %s is too long", d->env->pidfile);
		return -1;
	}
	d->ctl_fd = control_listen(d->ctl_path);
	if (d->ctl_fd < 0)
		return -1;
	d->log = event_log_open(d->env->events, &d->tax, (uint64_t)(d->env->slow_us * 1000));
	d->history = history_new(d->env->history, &d->tax);
	if (d->env->timeline_s > 0)
		d->tl = timeline_new((size_t)d->env->timeline_max, (uint64_t)(d->env->timeline_s * 1e9),
				     (uint64_t)(d->env->timeline_us * 1000));
	if (!d->log || !d->history || (d->env->timeline_s > 0 && !d->tl))
		return -1;
	if (d->env->textfile_dir) {
		int tfd = fs_open_dir(d->env->textfile_dir, "--textfile directory", 1, 0755);

		if (tfd < 0)
			return -1;
		close(tfd);
	}
	/* Bound now (a busy port is refused at once); served after the drop. */
	if (d->env->listen && !(d->http = metrics_server_open(d->env->listen)))
		return -1;
	return 0;
}

/* Loads and attaches the programs, drops privileges, marks the targets. */
static int attach(struct daemon *d, int cgfd, int *sfd)
{
	struct tracer_opts topts;
	sigset_t mask;
	int i;

	log_attach_libbpf();
	topts = (struct tracer_opts){ .all = !d->env->targets.n && !d->env->cgroup, .reclaim = true,
				      .events = true, .slow_ns = (uint64_t)(d->env->slow_us * 1000),
				      .ringbuf_bytes = RINGBUF_BYTES, .cgroup_fd = cgfd,
				      .max_errnos = 4096, .timeline = d->tl != NULL };
	if (d->tl) {	/* one capture: the lower of the two thresholds */
		uint64_t t = (uint64_t)(d->env->timeline_us * 1000) ?: 1;

		if (!topts.slow_ns || t < topts.slow_ns)
			topts.slow_ns = t;
	}
	if (d->env->prof.stacks)	/* dwarf records carry the stack top */
		topts.ringbuf_bytes = STACKS_RINGBUF_BYTES;
	profile_opts_tracer(&d->env->prof, &d->tax, &topts);
	d->tracer = tracer_open_and_load(&topts);
	if (!d->tracer)
		return -1;
	d->collector = collector_new(d->tracer);
	d->rb = ring_buffer__new(tracer_events_fd(d->tracer), on_event, d, NULL);
	if (!d->collector || !d->rb ||
	    (d->env->prof.stacks && collector_enable_stacks(d->collector, &d->env->prof.stack))) {
		err("setting up the collector: %s", strerror(errno));
		return -1;
	}
	collector_set_prune(d->collector, true);
	collector_set_drain(d->collector, drain_all, d);

	/* Signals are read from the loop, never handled asynchronously; main()
	 * blocked them before the pidfile, the HTTP thread or anything else. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	*sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (*sfd < 0 || tracer_attach(d->tracer))
		return -1;
	/* Attached: no capability is needed any more, and none is kept while
	 * HTTP requests, control requests and other processes' /proc are read. */
	if (privilege_drop(d->env->prof.stacks) || metrics_server_start(d->http))
		return -1;
	for (i = 0; i < d->env->targets.n; i++) {
		int err = tracer_add_target(d->tracer, d->env->targets.pids[i], false);

		if (err == -ESRCH) {
			warn("target process %d exited before attach", d->env->targets.pids[i]);
			d->root_alive[i] = false;
		} else if (err) {
			err("adding target %d: %s", d->env->targets.pids[i], strerror(-err));
			return -1;
		}
	}
	return 0;
}

int cmd_daemon(int argc, char **argv, const sigset_t *caller_mask)
{
	struct daemon_env env = { .interval_s = 10, .history = 60, .output_dir = "/var/lib/osiprof",
				  .metrics_syscalls = 20, .metrics_cgroups = 20,
				  .timeline_us = 100, .timeline_max = 100000,
				  .pidfile = "/run/osiprof/osiprof.pid", .keep = 100 };
	struct daemon d = { .env = &env, .argc = argc, .argv = argv, .pidfile_fd = -1, .ctl_fd = -1 };
	int sfd = -1, cgfd = -1, ret = 1, i;
	char path[PATH_MAX];

	profile_opts_init(&env.prof, 4096);
	opt_table_argp(&daemon_table);
	if (argp_parse(&daemon_argp, argc, argv, 0, NULL, &env))
		return 2;
	if (env.all + (env.targets.n > 0) + (env.cgroup != NULL) > 1) {
		err("give only one of -a, -p PID or --cgroup PATH");
		return 2;
	}
	if (env.slow_us > 0 && !env.events) {
		err("--slow-threshold needs --events FILE");
		return 2;
	}
	for (i = 0; i < env.targets.n; i++) {
		if (kill(env.targets.pids[i], 0) && errno == ESRCH) {
			err("no process with PID %d", env.targets.pids[i]);
			return 2;
		}
		d.root_alive[i] = true;
	}
	if (profile_opts_finish(&env.prof, &d.tax))
		return 2;
	if (env.cgroup && (cgfd = cgroup_open(env.cgroup)) < 0)
		return 2;
	if (tracer_check_environment())
		goto out;
	if (open_outputs(&d) || attach(&d, cgfd, &sfd))
		goto out;
	d.start_real = d.last_interval_real = now_ns(CLOCK_REALTIME);
	d.start_mono = d.last_interval_mono = now_ns(CLOCK_MONOTONIC);
	info("attached (%s); snapshots in %s", env.cgroup ? env.cgroup : env.targets.n ? "pid targets"
					      : "system-wide", snapdir_path(d.dir));
	notify_watchdog_setup(&d.watchdog_ns);
	notify_ready("attached");

	ret = event_loop(&d, sfd) ? 1 : 0;
	notify_stopping();
	if (write_snapshot(&d, "exit", path, sizeof(path)) < 0)
		ret = 1;
out:
	if (sfd >= 0)
		close(sfd);
	metrics_server_stop(d.http);
	ring_buffer__free(d.rb);
	collector_free(d.collector);
	tracer_destroy(d.tracer);
	history_free(d.history);
	timeline_free(d.tl);
	event_log_close(d.log);
	if (d.ctl_fd >= 0) {
		unlink(d.ctl_path);
		close(d.ctl_fd);
	}
	pidfile_release(d.pidfile_fd, env.pidfile);
	snapdir_close(d.dir);
	if (cgfd >= 0)
		close(cgfd);
	return ret;
}
