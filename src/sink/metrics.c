// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model/categories.h"
#include "sink/metrics.h"
#include "model/report.h"
#include "model/snapshot.h"
#include "sink/text.h"

struct out {
	FILE *f;
	bool om;		/* OpenMetrics: family names without _total, # EOF */
	char *labels;		/* constant labels from --tag, "" or "k=\"v\",..." */
};

/* Label values are valid UTF-8 with backslash, quote and newline escaped. */
static void put_escaped(FILE *f, const char *v)
{
	size_t n = strlen(v);
	char *clean = malloc(3 * n + 1), *s;

	if (!clean)
		return;
	for (s = text_utf8(v, n, clean, 3 * n + 1); *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n') {
			fputs("\\n", f);
			continue;
		}
		fputc(*s, f);
	}
	free(clean);
}

/* # HELP / # TYPE of a family; counters end in _total in the text format. */
static void family(struct out *o, const char *name, const char *type, const char *help)
{
	size_t n = strlen(name);
	int strip = o->om && !strcmp(type, "counter") && n > 6 && !strcmp(name + n - 6, "_total");

	fprintf(o->f, "# HELP %.*s %s\n", (int)(strip ? n - 6 : n), name, help);
	fprintf(o->f, "# TYPE %.*s %s\n", (int)(strip ? n - 6 : n), name, type);
}

/* One sample: name{const labels, extra labels} value. */
static void sample(struct out *o, const char *name, const char *labels, double v)
{
	const char *sep = o->labels[0] && labels && labels[0] ? "," : "";

	if (o->labels[0] || (labels && labels[0]))
		fprintf(o->f, "%s{%s%s%s} %.17g\n", name, o->labels, sep, labels ? labels : "", v);
	else
		fprintf(o->f, "%s %.17g\n", name, v);
}

/* k="v" with v escaped, into buf. */
static void label(char *buf, size_t len, const char *k, const char *v)
{
	FILE *m = fmemopen(buf, len, "w");

	buf[0] = '\0';
	if (!m)
		return;
	fprintf(m, "%s=\"", k);
	put_escaped(m, v);
	fputc('"', m);
	fclose(m);
	buf[len - 1] = '\0';
}

/* A latency histogram in seconds, le at powers of two from 128 ns to 2^34 ns
 * (~17 s): every osiprof bucket falls wholly below one of them. */
static void histogram(struct out *o, const char *name, const char *lbl, const uint64_t *hist,
		      uint64_t count)
{
	char l[512];
	uint64_t cum = 0;
	uint32_t b = 0;
	int k;

	for (k = 7; k <= 34; k++) {
		uint64_t edge = 1ULL << k;

		while (b < OSP_HIST_BUCKETS && hist_bucket_upper(b) <= edge)
			cum += hist[b++];
		snprintf(l, sizeof(l), "%s%sle=\"%.9g\"", lbl, lbl[0] ? "," : "", edge / 1e9);
		sample(o, name, l, (double)cum);
	}
	snprintf(l, sizeof(l), "%s%sle=\"+Inf\"", lbl, lbl[0] ? "," : "");
	sample(o, name, l, (double)count);
}

/* A category's figure: 0 calls, 1 seconds, 2 bytes. */
static double figure(uint64_t count, uint64_t ns, uint64_t bytes, int what)
{
	return what == 0 ? (double)count : what == 1 ? ns / 1e9 : (double)bytes;
}

/* A per-category family; with cgroups, one series per category for each of
 * the N busiest cgroups and one for cgroup="other" holding the rest (what
 * is unattributed too), so the series of a category always sum to it. */
static void per_category(struct out *o, const struct report *r, const struct metrics_extra *x,
			 const char *name, const char *help, int what)
{
	int n = r->ncgroups < x->max_cgroup_series ? r->ncgroups : x->max_cgroup_series, i, k;
	char l[512], g[600], both[1200];
	const struct report_row *c;

	family(o, name, "counter", help);
	for (k = 0; k < r->ncategories; k++) {
		uint64_t rest[3];

		c = &r->categories[k];
		label(l, sizeof(l), "category", c->name);
		if (!n) {
			sample(o, name, l, figure(c->f.count, c->f.total_ns, c->f.bytes, what));
			continue;
		}
		rest[0] = c->f.count;
		rest[1] = c->f.total_ns;
		rest[2] = c->f.bytes;
		for (i = 0; i < n; i++) {
			const struct osp_cat_totals *t = &r->cgroups[i].figures.cats;
			int ci = c->cat;

			label(g, sizeof(g), "cgroup", r->cgroups[i].cg->path);
			snprintf(both, sizeof(both), "%s,%s", l, g);
			sample(o, name, both, figure(t->count[ci], t->total_ns[ci], t->bytes[ci], what));
			rest[0] -= t->count[ci];
			rest[1] -= t->total_ns[ci];
			rest[2] -= t->bytes[ci];
		}
		snprintf(both, sizeof(both), "%s,cgroup=\"other\"", l);
		sample(o, name, both, figure(rest[0], rest[1], rest[2], what));
	}
}

int metrics_write(FILE *f, const struct report *r, const struct metrics_extra *x, bool openmetrics)
{
	const struct snapshot *s = r->snap;
	const struct report_row *c;
	struct out o = { .f = f, .om = openmetrics };
	char l[512], l2[256], pid[32];
	int i;
	size_t len = 0;
	FILE *lf;

	/* Tags as constant labels, whole however long (keys were checked at
	 * parse time to be label names osiprof does not use itself). */
	lf = open_memstream(&o.labels, &len);
	if (!lf)
		return -ENOMEM;
	for (i = 0; r->run->tags && i < r->run->tags->n; i++) {
		fprintf(lf, "%s%s=\"", i ? "," : "", r->run->tags->items[i].key);
		put_escaped(lf, r->run->tags->items[i].value);
		fputc('"', lf);
	}
	if (fclose(lf))
		return -ENOMEM;

	per_category(&o, r, x, "osiprof_syscalls_total", "Syscalls made by the targets, by category.", 0);
	family(&o, "osiprof_syscall_failures_total", "counter", "Syscalls that returned an error, by category.");
	for (c = r->categories; c < r->categories + r->ncategories; c++) {
		label(l, sizeof(l), "category", c->name);
		sample(&o, "osiprof_syscall_failures_total", l, (double)c->f.errors);
	}
	per_category(&o, r, x, "osiprof_syscall_seconds_total", "Time spent in syscalls, by category.", 1);
	per_category(&o, r, x, "osiprof_syscall_bytes_total",
		     "Bytes moved by the data-moving syscalls (read, write, send...), by category.", 2);
	if (s->sched_collected) {
		family(&o, "osiprof_syscall_offcpu_seconds_total", "counter",
		       "Time switched out inside syscalls, by category.");
		for (c = r->categories; c < r->categories + r->ncategories; c++) {
			label(l, sizeof(l), "category", c->name);
			sample(&o, "osiprof_syscall_offcpu_seconds_total", l, c->f.offcpu_ns / 1e9);
		}
	}
	family(&o, "osiprof_syscall_latency_seconds", "histogram", "Syscall latency, by category.");
	for (c = r->categories; c < r->categories + r->nactive; c++) {
		label(l, sizeof(l), "category", c->name);
		histogram(&o, "osiprof_syscall_latency_seconds_bucket", l, c->st->hist, c->f.count);
		sample(&o, "osiprof_syscall_latency_seconds_sum", l, c->f.total_ns / 1e9);
		sample(&o, "osiprof_syscall_latency_seconds_count", l, (double)c->f.count);
	}

	/* Per syscall, bounded: the busiest N by time. */
	if (x->max_syscall_series > 0) {
		family(&o, "osiprof_syscall_calls_total", "counter",
		       "Calls of the busiest syscalls (bounded by --metrics-syscalls).");
		for (i = 0; i < r->nsyscalls && i < x->max_syscall_series; i++) {
			char both[800];

			label(l, sizeof(l), "syscall", r->syscalls[i].name);
			label(l2, sizeof(l2), "category", r->syscalls[i].category);
			snprintf(both, sizeof(both), "%s,%s", l, l2);
			sample(&o, "osiprof_syscall_calls_total", both, (double)r->syscalls[i].f.count);
		}
	}

	if (s->sched_collected) {
		const struct osp_sched_counters *sc = &s->sched.c;

		family(&o, "osiprof_context_switches_total", "counter", "Context switches of the targets, by kind.");
		sample(&o, "osiprof_context_switches_total", "kind=\"voluntary\"", (double)sc->vol_switches);
		sample(&o, "osiprof_context_switches_total", "kind=\"involuntary\"", (double)sc->invol_switches);
		family(&o, "osiprof_cpu_migrations_total", "counter", "CPU migrations of the targets.");
		sample(&o, "osiprof_cpu_migrations_total", "", (double)sc->migrations);
		family(&o, "osiprof_task_clock_seconds_total", "counter", "Time the targets ran on a CPU.");
		sample(&o, "osiprof_task_clock_seconds_total", "", sc->oncpu_ns / 1e9);
		family(&o, "osiprof_offcpu_seconds_total", "counter", "Time the targets were switched out, by where.");
		sample(&o, "osiprof_offcpu_seconds_total", "where=\"in_syscalls\"", sc->offcpu_sys_ns / 1e9);
		sample(&o, "osiprof_offcpu_seconds_total", "where=\"outside_syscalls\"", sc->offcpu_ns / 1e9);
		family(&o, "osiprof_runqueue_latency_seconds", "histogram", "From runnable to running.");
		histogram(&o, "osiprof_runqueue_latency_seconds_bucket", "", s->sched.runq_hist,
			  sc->runq_count);
		sample(&o, "osiprof_runqueue_latency_seconds_sum", "", sc->runq_ns / 1e9);
		sample(&o, "osiprof_runqueue_latency_seconds_count", "", (double)sc->runq_count);
	}
	family(&o, "osiprof_page_faults_total", "counter", "Page faults of the target processes, by kind.");
	sample(&o, "osiprof_page_faults_total", "kind=\"minor\"", (double)r->memory.min_flt);
	sample(&o, "osiprof_page_faults_total", "kind=\"major\"", (double)r->memory.maj_flt);
	family(&o, "osiprof_target_resident_bytes", "gauge", "Resident memory of the live target processes.");
	sample(&o, "osiprof_target_resident_bytes", "", (double)r->memory.rss_bytes);
	if (x->per_process) {
		family(&o, "osiprof_process_peak_resident_bytes", "gauge", "Peak RSS of each -p target process.");
		for (i = 0; i < s->nprocs; i++) {
			const struct proc_figures *p = &s->procs[i];
			char both[800];

			if (!(p->flags & OSP_PROC_ROOT) || !p->pid)
				continue;
			snprintf(pid, sizeof(pid), "%u", p->pid);
			label(l, sizeof(l), "pid", pid);
			label(l2, sizeof(l2), "comm", p->comm);
			snprintf(both, sizeof(both), "%s,%s", l, l2);
			sample(&o, "osiprof_process_peak_resident_bytes", both, (double)p->peak_rss_bytes);
		}
	}

	/* The profiler's own cost and health. */
	family(&o, "osiprof_dropped_total", "counter", "Events the BPF side could not record, by cause.");
	for (i = 0; i < OSP_DROP_NR; i++) {
		label(l, sizeof(l), "cause", drop_name(i));
		sample(&o, "osiprof_dropped_total", l, (double)s->drops[i]);
	}
	if (s->stacks_collected) {	/* userspace's own losses, as the JSON names them */
		const struct stack_drops *sd = &s->stacks.drops;
		const struct { const char *cause; uint64_t n; } st[] = {
			{ "stack_table_full", sd->table_full }, { "stack_unwind_no_mappings", sd->no_mappings },
			{ "stack_unwind_no_stack", sd->stack_unreadable }, { "stack_unwind_failed", sd->unwind_failed },
		};

		for (i = 0; i < 4; i++) {
			label(l, sizeof(l), "cause", st[i].cause);
			sample(&o, "osiprof_dropped_total", l, (double)st[i].n);
		}
	}
	family(&o, "osiprof_bpf_map_bytes", "gauge", "Kernel memory charged for osiprof's BPF maps.");
	sample(&o, "osiprof_bpf_map_bytes", "", (double)r->run->self.map_bytes);
	family(&o, "osiprof_resident_bytes", "gauge", "osiprof's own resident memory.");
	sample(&o, "osiprof_resident_bytes", "", (double)r->run->self.rss_bytes);
	if (r->run->self.stats_enabled) {
		family(&o, "osiprof_bpf_run_seconds_total", "counter", "Time the kernel spent in osiprof's BPF programs.");
		sample(&o, "osiprof_bpf_run_seconds_total", "", r->run->self.run_time_ns / 1e9);
	}
	family(&o, "osiprof_snapshots_total", "counter", "Snapshots written.");
	sample(&o, "osiprof_snapshots_total", "", (double)x->snapshots_written);
	family(&o, "osiprof_snapshot_failures_total", "counter", "Snapshots that could not be written.");
	sample(&o, "osiprof_snapshot_failures_total", "", (double)x->snapshot_failures);
	family(&o, "osiprof_last_snapshot_timestamp_seconds", "gauge", "When the last snapshot was written (Unix time).");
	sample(&o, "osiprof_last_snapshot_timestamp_seconds", "", x->last_snapshot_time);
	family(&o, "osiprof_last_poll_timestamp_seconds", "gauge", "When the maps were last read (Unix time).");
	sample(&o, "osiprof_last_poll_timestamp_seconds", "", x->last_poll_time);
	family(&o, "osiprof_uptime_seconds", "gauge", "Seconds since the daemon attached.");
	sample(&o, "osiprof_uptime_seconds", "", r->run->duration_ns / 1e9);
	if (o.om)
		fputs("# EOF\n", f);
	free(o.labels);
	return ferror(f) ? -EIO : 0;
}
