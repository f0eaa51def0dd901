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

static void row(FILE *f, const struct report_row *rw, bool sched, const char *name)
{
	const struct figures *x = &rw->f;
	char b[8][32];

	fprintf(f, "%8.1f %12s %12s %10lu %8lu %10s %10s %10s %10s %10s %10s  %s\n",
		rw->time_pct, human_ns(x->total_ns, b[0], 32), sched ? human_ns(x->offcpu_ns, b[7], 32) : "-",
		x->count, x->errors,
		human_ns(x->mean_ns, b[1], 32), human_ns(x->p50_ns, b[2], 32),
		human_ns(x->p99_ns, b[3], 32), human_ns(x->min_ns, b[4], 32),
		human_ns(x->max_ns, b[5], 32), human_ns(x->stddev_ns, b[6], 32), name);
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
	const struct memory_totals *m = &r->memory;
	double secs = r->run->duration_ns / 1e9;
	char b[4][32];

	if (secs <= 0)
		secs = 1e-9;
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
		m->min_flt + m->maj_flt, human_count((m->min_flt + m->maj_flt) / secs, b[2], 32),
		m->min_flt, m->maj_flt);
	fprintf(f, "%16s      peak RSS (largest process)\n", human_bytes(m->peak_rss_bytes, b[3], 32));
	if (!s->sched_collected) {
		fputs("  (scheduler figures not collected: --no-sched, or no tp_btf)\n\n", f);
		return;
	}
	fprintf(f, "  off-CPU %s inside syscalls, %s outside; run-queue latency p50 %s, p99 %s (%llu waits)\n\n",
		human_ns(c->offcpu_sys_ns, b[0], 32), human_ns(c->offcpu_ns, b[1], 32),
		human_ns(r->runq.p50_ns, b[2], 32), human_ns(r->runq.p99_ns, b[3], 32),
		c->runq_count);
}

/* ioctl/mmap on GPU devices, by device and request, busiest first. */
static void gpu_block(FILE *f, const struct report *r)
{
	char b[3][32];
	int i;

	if (!r->ngpu_requests)
		return;
	fprintf(f, "\nGPU device calls:\n%10s %10s %8s %10s %10s  %-14s %-10s %s\n", "Total Time", "Num Calls",
		"Errors", "Avg", "Med", "Device", "Request", "Decoded");
	for (i = 0; i < r->ngpu_requests; i++) {
		const struct report_gpu *g = &r->gpu_requests[i];

		fprintf(f, "%10s %10lu %8lu %10s %10s  %-14s ", human_ns(g->f.total_ns, b[0], 32),
			g->f.count, g->f.errors, human_ns(g->f.mean_ns, b[1], 32),
			human_ns(g->f.p50_ns, b[2], 32), g->name[0] ? g->name : g->device);
		if (g->key->kind == OSP_GPU_MMAP) {
			fputs("mmap\n", f);
			continue;
		}
		fprintf(f, "0x%08x %s dir=%s type=0x%02x nr=0x%02x size=%u\n", g->key->request,
			g->request_name ?: "", g->ioc.dir, g->ioc.type, g->ioc.nr, g->ioc.size);
	}
}

/* Per phase: how long processes spent in it, and its syscalls by category. */
static void phases_block(FILE *f, const struct report *r)
{
	char b[2][32];
	int i, c;

	if (!r->snap->phases_collected)
		return;
	fputs("\nPhases (by the phase a process was in when each syscall returned):\n", f);
	if (r->run->window_begin)
		fprintf(f, "  counting only between marks '%s' and '%s'\n", r->run->window_begin,
			r->run->window_end);
	fprintf(f, "%-24s %6s %12s %10s %12s  %s\n", "Phase", "Marks", "Wall Time", "Calls",
		"Syscall Time", "By category (calls)");
	for (i = 0; i < r->nphases; i++) {
		const struct phase_figures *pf = r->phases[i].pf;

		if (!r->phases[i].count && !pf->marks)
			continue;
		fprintf(f, "%-24s %6lu %12s %10lu %12s ", pf->name, pf->marks,
			human_ns(pf->wall_ns, b[0], 32), r->phases[i].count,
			human_ns(r->phases[i].total_ns, b[1], 32));
		for (c = 0; c < r->tax->ncat; c++)
			if (pf->cat[c].count)
				fprintf(f, " %s=%llu", r->tax->names[c], pf->cat[c].count);
		fputc('\n', f);
	}
}

static void processes_block(FILE *f, const struct report *r)
{
	char b[3][32], name[80];
	int i, n = r->nprocs;

	if (n <= 1)
		return;
	fprintf(f, "\n%8s %-16s %10s %12s %10s %10s %12s\n", "PID", "Command", "Calls", "Syscall Time",
		"Switches", "Faults", "Peak RSS");
	for (i = 0; i < n && i < 15; i++) {
		const struct proc_figures *p = r->procs[i].p;

		fprintf(f, "%8u %-16s %10lu %12s %10s %10lu %12s\n", p->pid,
			p->pid ? text_printable(p->comm, sizeof(p->comm), name, sizeof(name)) : "[overflow]",
			r->procs[i].syscalls, human_ns(r->procs[i].syscall_ns, b[0], 32),
			r->snap->sched_collected ? (snprintf(b[1], 32, "%llu",
				p->sched.vol_switches + p->sched.invol_switches), b[1]) : "-",
			p->min_flt + p->maj_flt, human_bytes(p->peak_rss_bytes, b[2], 32));
	}
	if (n > 15)
		fprintf(f, "%8s (%d more processes in the JSON report)\n", "", n - 15);
}

/* Per cgroup, busiest first, with what the path says runs there. */
static void cgroups_block(FILE *f, const struct report *r)
{
	char b[2][32], who[64], path[1024];
	int i;

	if (r->ncgroups <= 1)
		return;
	fprintf(f, "\n%-20s %6s %10s %12s %12s  %s\n", "Container/unit", "Procs", "Calls", "Syscall Time",
		"Bytes", "Cgroup");
	for (i = 0; i < r->ncgroups && i < 15; i++) {
		const struct report_cgroup *g = &r->cgroups[i];

		snprintf(who, sizeof(who), "%s%s%.12s", g->ci.runtime ?: "-", g->ci.id[0] ? ":" : "",
			 g->ci.id);
		fprintf(f, "%-20s %6lu %10lu %12s %12s  %s\n", who, g->processes, g->sums.syscalls,
			human_ns(g->sums.syscall_ns, b[0], 32), human_bytes(g->sums.bytes, b[1], 32),
			text_printable(g->cg->path, strlen(g->cg->path), path, sizeof(path)));
	}
	if (r->ncgroups > 15)
		fprintf(f, "%20s (%d more cgroups in the JSON report)\n", "", r->ncgroups - 15);
}

/* The busiest objects (--objects). */
static void objects_block(FILE *f, const struct report *r)
{
	char b[3][32], name[400];
	int i;

	if (!r->nobjects)
		return;
	fprintf(f, "\nTop files and sockets:\n%12s %10s %8s %12s %12s %8s  %-8s %s\n", "Total Time",
		"Num Calls", "Errors", "Off-CPU", "Bytes", "PID", "Kind", "Name");
	for (i = 0; i < r->nobjects && i < 10; i++) {
		const struct object_entry *e = r->objects[i];

		fprintf(f, "%12s %10lu %8lu %12s %12s %8u  %-8s %s\n", human_ns(e->st.total_ns, b[0], 32),
			(unsigned long)e->st.count, (unsigned long)e->st.errors,
			r->snap->sched_collected ? human_ns(e->st.offcpu_ns, b[1], 32) : "-",
			human_bytes(e->st.bytes, b[2], 32), e->key.tgid, e->kind,
			text_printable(e->name, strlen(e->name), name, sizeof(name)));
	}
	if (r->nobjects > 10)
		fprintf(f, "%12s (%d more objects in the JSON report)\n", "", r->nobjects - 10);
}

/* One frame: "symbol (module) file:line" or "module+0xoffset". */
static void frame_line(FILE *f, const struct stack_frame *fr, const char *indent)
{
	char buf[320];

	fprintf(f, "%s%s", indent, stack_frame_name(fr, buf, sizeof(buf)));
	if (fr->symbol)
		fprintf(f, " (%s)", fr->module);
	if (fr->file)
		fprintf(f, " %s:%u", fr->file, fr->line);
	fputc('\n', f);
}

/* --stacks: per category, the five stacks that took the most time, each
 * named by its call site (the innermost frame outside libc), then its
 * frames. */
static void call_sites_block(FILE *f, const struct report *r)
{
	const struct stack_table *t = &r->snap->stacks;
	char b[32], name[320];
	int c, i, shown;
	uint32_t k;

	if (!r->snap->stacks_collected)
		return;
	fprintf(f, "\nTop call sites (--stacks, calls of at least %.0f us%s):\n",
		r->snap->stack_settings.threshold_ns / 1e3, r->snap->stack_settings.sample ? ", and sampled" : "");
	if (!r->nstacks)
		fprintf(f, "  none captured\n");
	for (c = 0; c < r->ncategories; c++) {
		for (i = 0, shown = 0; i < r->nstacks && shown < 5; i++) {
			const struct report_stack *s = &r->stacks[i];

			if (s->cat != r->categories[c].cat)
				continue;
			if (!shown++)
				fprintf(f, "  %s:\n", r->categories[c].category);
			fprintf(f, "  %12s %8lu  %s  %s [%u %s]\n", human_ns(s->e->total_ns, b, sizeof(b)),
				(unsigned long)s->e->count, s->syscall,
				s->site >= 0 ? stack_frame_name(&t->frames[s->site], name, sizeof(name)) : "?",
				s->e->pid, s->e->comm);
			for (k = 0; k < s->e->nuser + s->e->nkernel && k < 8; k++)
				frame_line(f, &t->frames[s->e->frames[k]], "                 ");
			if (s->e->nuser + s->e->nkernel > 8)
				fprintf(f, "                 (%u more frames)\n", s->e->nuser + s->e->nkernel - 8);
		}
	}
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

static void per_unit_block(FILE *f, const struct report *r)
{
	int i;

	if (!r->per_kb && !r->per_iter)
		return;
	fprintf(f, "\n%-14s", "Category");
	if (r->per_kb)
		fprintf(f, " %14s %14s", "calls/KB", "usec/KB");
	if (r->per_iter)
		fprintf(f, " %14s %14s", "calls/iter", "usec/iter");
	fputc('\n', f);
	for (i = 0; i < r->nactive; i++) {
		const struct report_row *rw = &r->categories[i];

		fprintf(f, "%-14s", rw->name);
		if (r->per_kb)	/* 4 significant digits */
			fprintf(f, " %14.4g %14.4g", rw->kb.calls, rw->kb.usec);
		if (r->per_iter)
			fprintf(f, " %14.4g %14.4g", rw->iter.calls, rw->iter.usec);
		fputc('\n', f);
	}
}

/* Bytes moved and I/O sizes, per category that moved any. */
static void io_block(FILE *f, const struct report *r)
{
	char b[32];
	int i;

	if (!r->totals.io.count)
		return;
	fprintf(f, "\n%-14s %12s %10s %10s %10s %10s %10s  (sizes in bytes)\n", "Category", "Bytes",
		"I/O calls", "Min", "Med", "P99", "Max");
	for (i = 0; i < r->nactive; i++) {
		const struct figures *io = &r->categories[i].io;

		if (!io->count)
			continue;
		fprintf(f, "%-14s %12s %10lu %10.0f %10.0f %10.0f %10lu\n", r->categories[i].name,
			human_bytes(r->categories[i].f.bytes, b, sizeof(b)), io->count, (double)io->min_ns,
			io->p50_ns, io->p99_ns, io->max_ns);
	}
}

int report_write_table(FILE *f, const struct report *r)
{
	const struct snapshot *snap = r->snap;
	bool sched = snap->sched_collected;
	char name[96], buf[32];
	int i, j;

	run_header(f, r);
	fprintf(f, "%lu syscalls, %lu failed, %s in the kernel\n", r->totals.f.count,
		r->totals.f.errors, human_ns(r->totals.f.total_ns, buf, sizeof(buf)));
	for (i = 0; i < r->nwarnings; i++)
		fprintf(f, "warning: %s\n", r->warnings[i]);
	fputc('\n', f);

	perf_stat_block(f, r);
	header(f, "Category");
	for (i = 0; i < r->nactive; i++)
		row(f, &r->categories[i], sched, r->categories[i].name);
	per_unit_block(f, r);
	io_block(f, r);

	fputc('\n', f);
	header(f, "Syscall (category)");
	for (i = 0; i < r->nsyscalls; i++) {
		snprintf(name, sizeof(name), "%s (%s)", r->syscalls[i].name, r->syscalls[i].category);
		row(f, &r->syscalls[i], sched, name);
	}

	if (snap->nerrnos) {
		fputs("\nErrors:\n", f);
		for (i = 0; i < r->nsyscalls; i++)
			for (j = 0; j < snap->nerrnos; j++)
				if (snap->errnos[j].slot == (uint32_t)r->syscalls[i].slot)
					fprintf(f, "  %-20s %-16s %10lu\n", r->syscalls[i].name,
						errno_name(snap->errnos[j].err), snap->errnos[j].count);
	}
	gpu_block(f, r);
	phases_block(f, r);
	processes_block(f, r);
	cgroups_block(f, r);
	objects_block(f, r);
	call_sites_block(f, r);
	if (r->dropped)
		fprintf(f, "\nWARNING: %lu events were not recorded (see \"dropped\" in the JSON report)\n",
			r->dropped);
	return ferror(f) ? -EIO : 0;
}
