// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Table sink, modelled on Nsight Systems' osrt_sum: one block per category
 * and one per syscall, sorted by total time, in human units. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model/categories.h"
#include "model/gpu.h"
#include "model/report.h"
#include "sink/sink.h"
#include "model/snapshot.h"
#include "model/syscalls.h"
#include "sink/text.h"

static const char *human_ns(double ns, char *buf, size_t len)
{
	if (ns < 1e3)
		snprintf(buf, len, "%.0f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.2f us", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.2f ms", ns / 1e6);
	else
		snprintf(buf, len, "%.3f s", ns / 1e9);
	return buf;
}

static void header(FILE *f, const char *what)
{
	fprintf(f, "%8s %12s %12s %10s %8s %10s %10s %10s %10s %10s %10s  %s\n",
		"Time (%)", "Total Time", "Off-CPU", "Num Calls", "Errors", "Avg", "Med", "P99",
		"Min", "Max", "StdDev", what);
	fprintf(f, "%8s %12s %12s %10s %8s %10s %10s %10s %10s %10s %10s  %s\n",
		"--------", "----------", "-------", "---------", "------", "---", "---", "---",
		"---", "---", "------", "----");
}

static void row(FILE *f, const struct slot_stats *st, uint64_t all_ns, bool sched,
		const char *name)
{
	char b[8][32];
	struct figures x;

	figures_from_stats(st, &x);
	fprintf(f, "%8.1f %12s %12s %10lu %8lu %10s %10s %10s %10s %10s %10s  %s\n",
		all_ns ? 100.0 * x.total_ns / all_ns : 0.0,
		human_ns(x.total_ns, b[0], 32), sched ? human_ns(x.offcpu_ns, b[7], 32) : "-",
		x.count, x.errors,
		human_ns(x.mean_ns, b[1], 32), human_ns(x.p50_ns, b[2], 32),
		human_ns(x.p99_ns, b[3], 32), human_ns(x.min_ns, b[4], 32),
		human_ns(x.max_ns, b[5], 32), human_ns(x.stddev_ns, b[6], 32), name);
}

static const char *human_count(double v, char *buf, size_t len)
{
	if (v >= 1e9)
		snprintf(buf, len, "%.3f G", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, len, "%.3f M", v / 1e6);
	else if (v >= 1e3)
		snprintf(buf, len, "%.3f K", v / 1e3);
	else
		snprintf(buf, len, "%.3f", v);
	return buf;
}

static const char *human_bytes(uint64_t v, char *buf, size_t len)
{
	if (v >= 1ULL << 30)
		snprintf(buf, len, "%.2f GiB", v / (double)(1ULL << 30));
	else if (v >= 1ULL << 20)
		snprintf(buf, len, "%.2f MiB", v / (double)(1ULL << 20));
	else
		snprintf(buf, len, "%.1f KiB", v / 1024.0);
	return buf;
}

/* perf stat's block, for the target processes, with rates per second. */
static void perf_stat_block(FILE *f, const struct report *r)
{
	const struct snapshot *s = r->snap;
	const struct osp_sched_counters *c = &s->sched.c;
	double secs = r->run->duration_ns / 1e9;
	struct memory_totals m;
	char b[4][32];
	uint64_t max = 0;
	int i;

	if (secs <= 0)
		secs = 1e-9;
	report_memory_totals(r, &m);
	fputs(" Performance counter-style summary of the targets:\n", f);
	if (s->sched_collected) {
		uint64_t sw = c->vol_switches + c->invol_switches;

		fprintf(f, "%16.2f msec task-clock          # %8.3f CPUs utilized\n",
			c->oncpu_ns / 1e6, c->oncpu_ns / 1e9 / secs);
		fprintf(f, "%16lu      context-switches    # %10s/sec  (%llu voluntary, %llu involuntary)\n",
			sw, human_count(sw / secs, b[0], 32), c->vol_switches, c->invol_switches);
		fprintf(f, "%16llu      cpu-migrations      # %10s/sec\n", c->migrations,
			human_count(c->migrations / secs, b[1], 32));
	}
	fprintf(f, "%16lu      page-faults         # %10s/sec  (%lu minor, %lu major)\n",
		m.min_flt + m.maj_flt, human_count((m.min_flt + m.maj_flt) / secs, b[2], 32),
		m.min_flt, m.maj_flt);
	fprintf(f, "%16s      peak RSS (largest process)\n", human_bytes(m.peak_rss_bytes, b[3], 32));
	if (!s->sched_collected) {
		fputs("  (scheduler figures not collected: --no-sched, or no tp_btf)\n\n", f);
		return;
	}
	for (i = 0; i < OSP_HIST_BUCKETS; i++)
		if (s->sched.runq_hist[i])
			max = hist_bucket_upper(i) - 1;
	fprintf(f, "  off-CPU %s inside syscalls, %s outside; run-queue latency p50 %s, p99 %s (%llu waits)\n\n",
		human_ns(c->offcpu_sys_ns, b[0], 32), human_ns(c->offcpu_ns, b[1], 32),
		human_ns(hist_quantile(s->sched.runq_hist, c->runq_count, 0.5, 0, max), b[2], 32),
		human_ns(hist_quantile(s->sched.runq_hist, c->runq_count, 0.99, 0, max), b[3], 32),
		c->runq_count);
}

/* ioctl/mmap on GPU devices, by device and request, busiest first. */
static void gpu_block(FILE *f, const struct report *r)
{
	const struct snapshot *s = r->snap;
	char name[256], b[3][32];
	struct ioc_fields io;
	struct figures x;
	int i, j, best;
	bool *done;

	if (!s->ngpu)
		return;
	done = calloc(s->ngpu, sizeof(*done));
	if (!done)
		return;
	fprintf(f, "\nGPU device calls:\n%10s %10s %8s %10s %10s  %-14s %-10s %s\n", "Total Time", "Num Calls",
		"Errors", "Avg", "Med", "Device", "Request", "Decoded");
	for (i = 0; i < s->ngpu; i++) {
		for (best = -1, j = 0; j < s->ngpu; j++)
			if (!done[j] && (best < 0 || s->gpu[j].st.total_ns > s->gpu[best].st.total_ns))
				best = j;
		done[best] = true;
		figures_from_stats(&s->gpu[best].st, &x);
		gpu_device_name(s->gpu[best].key.rdev, name, sizeof(name));
		if (!name[0])
			snprintf(name, sizeof(name), "%u:%u", s->gpu[best].key.rdev >> 20,
				 s->gpu[best].key.rdev & 0xfffff);
		fprintf(f, "%10s %10lu %8lu %10s %10s  %-14s ", human_ns(x.total_ns, b[0], 32), x.count,
			x.errors, human_ns(x.mean_ns, b[1], 32), human_ns(x.p50_ns, b[2], 32), name);
		if (s->gpu[best].key.kind == OSP_GPU_MMAP) {
			fputs("mmap\n", f);
			continue;
		}
		ioc_decode(s->gpu[best].key.request, &io);
		fprintf(f, "0x%08x %s dir=%s type=0x%02x nr=0x%02x size=%u\n", s->gpu[best].key.request,
			gpu_request_name(s->gpu[best].key.request) ?: "", io.dir, io.type, io.nr, io.size);
	}
	free(done);
}

/* Per phase: how long processes spent in it, and its syscalls by category. */
static void phases_block(FILE *f, const struct report *r)
{
	const struct snapshot *s = r->snap;
	char b[2][32];
	int id, c;

	if (!s->phases_collected)
		return;
	fputs("\nPhases (by the phase a process was in when each syscall returned):\n", f);
	if (r->run->window_begin)
		fprintf(f, "  counting only between marks '%s' and '%s'\n", r->run->window_begin,
			r->run->window_end);
	fprintf(f, "%-24s %6s %12s %10s %12s  %s\n", "Phase", "Marks", "Wall Time", "Calls",
		"Syscall Time", "By category (calls)");
	for (id = 0; id < OSP_MAX_PHASES; id++) {
		const struct phase_figures *pf = &s->phases[id];
		uint64_t calls = 0, ns = 0;

		if (!pf->name[0])
			continue;
		for (c = 0; c < r->tax->ncat; c++) {
			calls += pf->cat[c].count;
			ns += pf->cat[c].total_ns;
		}
		if (!calls && !pf->marks)
			continue;
		fprintf(f, "%-24s %6lu %12s %10lu %12s ", pf->name, pf->marks,
			human_ns(pf->wall_ns, b[0], 32), calls, human_ns(ns, b[1], 32));
		for (c = 0; c < r->tax->ncat; c++)
			if (pf->cat[c].count)
				fprintf(f, " %s=%llu", r->tax->names[c], pf->cat[c].count);
		fputc('\n', f);
	}
}

static void processes_block(FILE *f, const struct report *r)
{
	int i, n, *order = NULL;
	char b[3][32], name[80];

	n = report_sorted_procs(r, &order);
	if (n <= 1) {
		free(order);
		return;
	}
	fprintf(f, "\n%8s %-16s %10s %12s %10s %10s %12s\n", "PID", "Command", "Calls", "Syscall Time",
		"Switches", "Faults", "Peak RSS");
	for (i = 0; i < n && i < 15; i++) {
		const struct proc_figures *p = &r->snap->procs[order[i]];

		fprintf(f, "%8u %-16s %10lu %12s %10s %10lu %12s\n", p->pid,
			p->pid ? text_printable(p->comm, sizeof(p->comm), name, sizeof(name)) : "[overflow]",
			proc_syscall_count(p),
			human_ns(proc_syscall_ns(p), b[0], 32),
			r->snap->sched_collected ? (snprintf(b[1], 32, "%llu",
				p->sched.vol_switches + p->sched.invol_switches), b[1]) : "-",
			p->min_flt + p->maj_flt, human_bytes(p->peak_rss_bytes, b[2], 32));
	}
	if (n > 15)
		fprintf(f, "%8s (%d more processes in the JSON report)\n", "", n - 15);
	free(order);
}

static void run_header(FILE *f, const struct report *r)
{
	const struct run_info *run = r->run;
	char b[32], text[1024];
	int i;

	fprintf(f, "osiprof: %s", run->mode);
	if (run->cmd_argc) {
		fputs(" '", f);
		for (i = 0; i < run->cmd_argc; i++)
			fprintf(f, "%s%s", i ? " " : "", text_printable(run->cmd_argv[i], strlen(run->cmd_argv[i]),
									 text, sizeof(text)));
		fputc('\'', f);
	}
	/* The mode already says "pid": the list follows it. */
	for (i = 0; !run->cmd_argc && i < run->ntargets; i++)
		fprintf(f, "%s%d", i ? "," : " ", run->targets[i]);
	fprintf(f, ", %s", human_ns(run->duration_ns, b, sizeof(b)));
	if (run->has_exit_status)
		fprintf(f, ", exit status %d", run->exit_status);
	fputc('\n', f);
	if (run->tags && run->tags->n) {
		fputs("tags:", f);
		for (i = 0; i < run->tags->n; i++)
			fprintf(f, " %s=%s", run->tags->items[i].key,
				text_printable(run->tags->items[i].value, strlen(run->tags->items[i].value),
					       text, sizeof(text)));
		fputc('\n', f);
	}
}

static void per_unit_block(FILE *f, const struct report *r, const int *order, int n)
{
	struct per_unit u;
	int i;

	report_per_unit(r, 0, 0, &u);
	if (!u.kb && !u.iter)
		return;
	fprintf(f, "\n%-14s", "Category");
	if (u.kb)
		fprintf(f, " %14s %14s", "calls/KB", "usec/KB");
	if (u.iter)
		fprintf(f, " %14s %14s", "calls/iter", "usec/iter");
	fputc('\n', f);
	for (i = 0; i < n; i++) {
		const struct slot_stats *st = &r->cats[order[i]];

		report_per_unit(r, st->count, st->total_ns, &u);
		fprintf(f, "%-14s", r->tax->names[order[i]]);
		if (u.kb)
			fprintf(f, " %14.4g %14.4g", u.kb_calls, u.kb_usec);	/* 4 significant digits */
		if (u.iter)
			fprintf(f, " %14.4g %14.4g", u.iter_calls, u.iter_usec);
		fputc('\n', f);
	}
}

int report_write_table(FILE *f, const struct report *r)
{
	const struct snapshot *snap = r->snap;
	struct slot_stats *st = malloc(sizeof(*st));
	int i, j, n, nactive, *order = NULL;
	char name[96], nrbuf[32];
	uint64_t all_ns, dropped = 0;

	if (!st)
		return -ENOMEM;
	run_header(f, r);
	snapshot_totals(snap, st);
	all_ns = st->total_ns;
	fprintf(f, "%lu syscalls, %lu failed, %s in the kernel\n", st->count, st->errors,
		human_ns(all_ns, nrbuf, sizeof(nrbuf)));
	for (i = 0; i < r->nwarnings; i++)
		fprintf(f, "warning: %s\n", r->warnings[i]);
	fputc('\n', f);

	perf_stat_block(f, r);
	n = report_sorted_categories(r, &order, &nactive);
	header(f, "Category");
	for (i = 0; i < nactive; i++)
		row(f, &r->cats[order[i]], all_ns, snap->sched_collected, r->tax->names[order[i]]);
	per_unit_block(f, r, order, nactive);
	free(order);

	fputc('\n', f);
	n = report_sorted_slots(r, &order);
	header(f, "Syscall (category)");
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s (%s)", slot_name_or_nr(order[i], nrbuf, sizeof(nrbuf)),
			 r->tax->names[r->tax->slot_cat[order[i]]]);
		row(f, &snap->slots[order[i]], all_ns, snap->sched_collected, name);
	}

	if (snap->nerrnos) {
		fputs("\nErrors:\n", f);
		for (i = 0; i < n; i++)
			for (j = 0; j < snap->nerrnos; j++)
				if (snap->errnos[j].slot == (uint32_t)order[i])
					fprintf(f, "  %-20s %-16s %10lu\n",
						slot_name_or_nr(order[i], nrbuf, sizeof(nrbuf)),
						errno_name(snap->errnos[j].err), snap->errnos[j].count);
	}
	free(order);
	gpu_block(f, r);
	phases_block(f, r);
	processes_block(f, r);
	for (i = 0; i < OSP_DROP_NR; i++)
		dropped += snap->drops[i];
	if (dropped)
		fprintf(f, "\nWARNING: %lu events were not recorded (see \"dropped\" in the JSON report)\n",
			dropped);
	free(st);
	return ferror(f) ? -EIO : 0;
}
