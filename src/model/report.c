// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The report view: every figure, quantile, per-unit value and order a sink
 * prints, computed once from a snapshot. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/categories.h"
#include "model/gpu.h"
#include "model/report.h"
#include "model/syscalls.h"
#include "model/tags.h"
#include "model/snapshot.h"

/* out = totals - processes - exited, field by field (wrapping, on purpose). */
static void report_unattributed(const struct report *r, struct proc_figures *out)
{
	const struct snapshot *s = r->snap;
	struct proc_figures sum = s->exited.f;
	uint64_t *o, *x;
	size_t i;
	int c;

	for (c = 0; c < s->nprocs; c++)
		proc_figures_add(&sum, &s->procs[c]);
	memset(out, 0, sizeof(*out));
	for (c = 0; c < r->tax->ncat; c++) {
		out->cats.count[c] = r->cats[c].count - sum.cats.count[c];
		out->cats.total_ns[c] = r->cats[c].total_ns - sum.cats.total_ns[c];
		out->cats.bytes[c] = r->cats[c].bytes - sum.cats.bytes[c];
	}
	out->sched = s->sched.c;
	o = (uint64_t *)&out->sched;
	x = (uint64_t *)&sum.sched;
	for (i = 0; i < sizeof(out->sched) / sizeof(uint64_t); i++)
		o[i] -= x[i];
}

static void warn_of(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn_of(struct report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nwarnings == REPORT_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(r->warnings[r->nwarnings++], sizeof(r->warnings[0]), fmt, ap);
	va_end(ap);
}

/* Work osiprof sees only the edge of: said, never silently missing. */
static void report_warnings(struct report *r)
{
	const struct snapshot *s = r->snap;
	int enter = syscall_nr("io_uring_enter"), setup = syscall_nr("io_uring_setup");
	uint64_t ring = (enter >= 0 ? s->slots[enter].count : 0) + (setup >= 0 ? s->slots[setup].count : 0);

	if (s->slots[OSP_SLOT_COMPAT].count)
		warn_of(r, "%llu 32-bit (i386) syscalls: counted apart in the [i386] row (by name in its "
			"i386_calls), not in the categories they belong to",
			(unsigned long long)s->slots[OSP_SLOT_COMPAT].count);
	if (ring)
		warn_of(r, "io_uring used (%llu io_uring_setup/io_uring_enter calls): the operations "
			"submitted through it are not syscalls and are not counted here, so per-KB "
			"figures undercount its I/O", (unsigned long long)ring);
}

/* qsort has no context argument: sort (key, index) pairs instead. */
struct ranked {
	uint64_t key;
	int idx;
};

static int cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? 1 : -1;
	return x->idx - y->idx;
}

static void row_figures(const struct report *r, struct report_row *row, const struct slot_stats *st)
{
	uint64_t bytes = 0, iters = 0;
	double kb;

	row->st = st;
	figures_from_stats(st, &row->f);
	row->time_pct = r->totals.f.total_ns ? 100.0 * row->f.total_ns / r->totals.f.total_ns : 0;
	if (r->per_kb && tags_get_u64(r->run->tags, "bytes", &bytes)) {
		kb = bytes / OSP_KB;
		row->kb = (struct per_unit){ row->f.count / kb, row->f.total_ns / 1e3 / kb,
					     row->f.bytes / kb };
	}
	if (r->per_iter && tags_get_u64(r->run->tags, "iterations", &iters))
		row->iter = (struct per_unit){ (double)row->f.count / iters,
					       row->f.total_ns / 1e3 / iters,
					       (double)row->f.bytes / iters };
}

static struct report_proc proc_sums(const struct proc_figures *p)
{
	struct report_proc rp = { p };
	int c;

	for (c = 0; c < OSP_MAX_CATEGORIES; c++) {
		rp.syscalls += p->cats.count[c];
		rp.syscall_ns += p->cats.total_ns[c];
		rp.bytes += p->cats.bytes[c];
	}
	return rp;
}

/* Every category, busiest first, then the silent ones in taxonomy order
 * (so sweeps always see the same columns). */
static int view_categories(struct report *r)
{
	struct ranked rk[OSP_MAX_CATEGORIES];
	int c, i, n = 0;

	for (c = 0; c < r->tax->ncat; c++)
		if (r->cats[c].count)
			rk[n++] = (struct ranked){ r->cats[c].total_ns, c };
	r->nactive = n;
	qsort(rk, n, sizeof(*rk), cmp_ranked);
	for (c = 0; c < r->tax->ncat; c++)
		if (!r->cats[c].count)
			rk[n++] = (struct ranked){ 0, c };
	r->categories = calloc(n ?: 1, sizeof(*r->categories));
	if (!r->categories)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct report_row *row = &r->categories[i];

		row->name = row->category = r->tax->names[rk[i].idx];
		row->slot = row->nr = -1;
		row->cat = rk[i].idx;
		row_figures(r, row, &r->cats[rk[i].idx]);
		figures_from_stats(&r->snap->io_sizes[rk[i].idx], &row->io);
	}
	r->ncategories = n;
	return 0;
}

static int view_syscalls(struct report *r)
{
	struct ranked *rk = calloc(OSP_NR_SLOTS, sizeof(*rk));
	int s, i, n = 0;

	if (!rk)
		return -ENOMEM;
	for (s = 0; s < OSP_NR_SLOTS; s++)
		if (r->snap->slots[s].count)
			rk[n++] = (struct ranked){ r->snap->slots[s].total_ns, s };
	qsort(rk, n, sizeof(*rk), cmp_ranked);
	r->syscalls = calloc(n ?: 1, sizeof(*r->syscalls));
	for (i = 0; r->syscalls && i < n; i++) {
		struct report_row *row = &r->syscalls[i];

		s = rk[i].idx;
		row->slot = s;
		row->name = slot_name_or_nr(s, row->nrbuf, sizeof(row->nrbuf));
		row->nr = s < OSP_MAX_SYSCALL_NR ? s : syscall_nr(slot_name(s));
		row->cat = r->tax->slot_cat[s];
		row->category = r->tax->names[row->cat];
		row_figures(r, row, &r->snap->slots[s]);
	}
	r->nsyscalls = n;
	free(rk);
	return r->syscalls ? 0 : -ENOMEM;
}

/* Processes with syscalls (the overflow entry only when something landed
 * in it), by syscall time; faults and RSS summed over them. */
static int view_procs(struct report *r)
{
	const struct snapshot *s = r->snap;
	struct ranked *rk = calloc(s->nprocs ?: 1, sizeof(*rk));
	struct report_proc *all = calloc(s->nprocs ?: 1, sizeof(*all)), *sorted;
	struct memory_totals *m = &r->memory;
	int i, n = 0;

	sorted = r->procs = calloc(s->nprocs ?: 1, sizeof(*r->procs));
	if (!rk || !all || !sorted) {
		free(rk);
		free(all);
		return -ENOMEM;
	}
	for (i = 0; i < s->nprocs; i++) {
		const struct proc_figures *p = &s->procs[i];

		all[i] = proc_sums(p);
		if (p->pid || all[i].syscalls || p->sched.exits)
			rk[n++] = (struct ranked){ all[i].syscall_ns, i };
		m->min_flt += p->min_flt;
		m->maj_flt += p->maj_flt;
		m->rss_bytes += p->rss_bytes;
		if (p->peak_rss_bytes > m->peak_rss_bytes)
			m->peak_rss_bytes = p->peak_rss_bytes;
	}
	/* Reclaimed processes' faults count too (their peak is not "now"). */
	m->min_flt += s->exited.f.min_flt;
	m->maj_flt += s->exited.f.maj_flt;
	qsort(rk, n, sizeof(*rk), cmp_ranked);
	for (i = 0; i < n; i++)
		sorted[i] = all[rk[i].idx];
	r->nprocs = n;
	free(all);
	free(rk);
	return 0;
}

static void view_runq(struct report *r)
{
	const struct sched_totals *t = &r->snap->sched;
	uint64_t max = 0, n = t->c.runq_count;
	int b;

	for (b = 0; b < OSP_HIST_BUCKETS; b++)
		if (t->runq_hist[b])
			max = hist_bucket_upper(b) - 1;
	r->runq.mean_ns = n ? (double)t->c.runq_ns / n : 0;
	r->runq.p50_ns = hist_quantile(t->runq_hist, n, 0.50, 0, max);
	r->runq.p90_ns = hist_quantile(t->runq_hist, n, 0.90, 0, max);
	r->runq.p99_ns = hist_quantile(t->runq_hist, n, 0.99, 0, max);
}

static void gpu_names(struct report_gpu *g, uint32_t rdev)
{
	g->rdev = rdev;
	snprintf(g->device, sizeof(g->device), "%u:%u", rdev >> 20, rdev & 0xfffff);
	gpu_device_name(rdev, g->name, sizeof(g->name));
}

/* GPU calls per (device, request) by total time, and per device in the
 * order devices first appear. */
static int view_gpu(struct report *r)
{
	const struct snapshot *s = r->snap;
	struct ranked *rk = calloc(s->ngpu ?: 1, sizeof(*rk));
	struct slot_stats *dev = calloc(1, sizeof(*dev));
	int i, j, d;

	r->gpu_requests = calloc(s->ngpu ?: 1, sizeof(*r->gpu_requests));
	r->gpu_devices = calloc(s->ngpu ?: 1, sizeof(*r->gpu_devices));
	if (!rk || !dev || !r->gpu_requests || !r->gpu_devices) {
		free(rk);
		free(dev);
		return -ENOMEM;
	}
	for (i = 0; i < s->ngpu; i++)
		rk[i] = (struct ranked){ s->gpu[i].st.total_ns, i };
	qsort(rk, s->ngpu, sizeof(*rk), cmp_ranked);
	for (i = 0; i < s->ngpu; i++) {
		struct report_gpu *g = &r->gpu_requests[i];
		const struct gpu_req_stats *q = &s->gpu[rk[i].idx];

		gpu_names(g, q->key.rdev);
		g->key = &q->key;
		figures_from_stats(&q->st, &g->f);
		if (q->key.kind == OSP_GPU_IOCTL) {
			ioc_decode(q->key.request, &g->ioc);
			g->request_name = gpu_request_name(q->key.request);
		}
	}
	r->ngpu_requests = s->ngpu;
	for (i = 0; i < s->ngpu; i++) {
		uint32_t rdev = s->gpu[i].key.rdev;
		struct report_gpu *g;

		for (d = 0; d < r->ngpu_devices && r->gpu_devices[d].rdev != rdev; d++)
			;
		if (d < r->ngpu_devices)
			continue;
		g = &r->gpu_devices[r->ngpu_devices++];
		gpu_names(g, rdev);
		memset(dev, 0, sizeof(*dev));
		for (j = i; j < s->ngpu; j++) {
			if (s->gpu[j].key.rdev != rdev)
				continue;
			slot_stats_merge(dev, &s->gpu[j].st);
			if (s->gpu[j].key.kind == OSP_GPU_MMAP)
				g->mmaps += s->gpu[j].st.count;
			else
				g->ioctls += s->gpu[j].st.count;
		}
		figures_from_stats(dev, &g->f);
	}
	free(dev);
	free(rk);
	return 0;
}

static int view_phases(struct report *r)
{
	int id, c;

	r->phases = calloc(OSP_MAX_PHASES, sizeof(*r->phases));
	if (!r->phases)
		return -ENOMEM;
	for (id = 0; r->snap->phases_collected && id < OSP_MAX_PHASES; id++) {
		const struct phase_figures *pf = &r->snap->phases[id];
		struct report_phase *ph = &r->phases[r->nphases];

		if (!pf->name[0])
			continue;
		*ph = (struct report_phase){ id, pf };
		for (c = 0; c < r->tax->ncat; c++) {
			ph->count += pf->cat[c].count;
			ph->errors += pf->cat[c].errors;
			ph->total_ns += pf->cat[c].total_ns;
		}
		r->nphases++;
	}
	return 0;
}

static int cmp_cgroup_ns(const void *a, const void *b)
{
	const struct report_cgroup *x = a, *y = b;

	if (x->sums.syscall_ns != y->sums.syscall_ns)
		return x->sums.syscall_ns < y->sums.syscall_ns ? 1 : -1;
	return x->cg->id < y->cg->id ? -1 : x->cg->id > y->cg->id;
}

static int cmp_cgroup_id(const void *a, const void *b)
{
	const struct report_cgroup *x = a, *y = b;

	return x->cg->id < y->cg->id ? -1 : x->cg->id > y->cg->id;
}

/* Every cgroup's processes, live (each in the cgroup it is in now) and
 * reclaimed; the overflow entry's go to id 0, "[unknown]". */
static int view_cgroups(struct report *r)
{
	const struct snapshot *s = r->snap;
	struct report_cgroup *rows = calloc(s->ncgroups ?: 1, sizeof(*rows)), key, *hit;
	struct cgroup_entry probe;
	int i, n = 0;

	if (!rows)
		return -ENOMEM;
	for (i = 0; i < s->ncgroups; i++) {
		rows[i].cg = &s->cgroups[i];
		rows[i].figures = s->cgroups[i].exited;
		rows[i].processes = s->cgroups[i].exited_processes;
		container_of_cgroup(s->cgroups[i].path, &rows[i].ci);
	}
	qsort(rows, s->ncgroups, sizeof(*rows), cmp_cgroup_id);
	key.cg = &probe;
	for (i = 0; i < s->nprocs; i++) {
		const struct proc_figures *p = &s->procs[i];

		probe.id = p->pid ? p->cgid : 0;
		hit = bsearch(&key, rows, s->ncgroups, sizeof(*rows), cmp_cgroup_id);
		if (!hit) {
			probe.id = 0;
			hit = bsearch(&key, rows, s->ncgroups, sizeof(*rows), cmp_cgroup_id);
		}
		if (hit) {
			proc_figures_add(&hit->figures, p);
			hit->processes += p->pid != 0;	/* the overflow entry is none */
		}
	}
	for (i = 0; i < s->ncgroups; i++) {
		rows[i].sums = proc_sums(&rows[i].figures);
		if (rows[i].processes || rows[i].sums.syscalls)
			rows[n++] = rows[i];
	}
	qsort(rows, n, sizeof(*rows), cmp_cgroup_ns);
	/* sums.p points into its own row: aimed once the rows stop moving. */
	for (i = 0; i < n; i++)
		rows[i].sums.p = &rows[i].figures;
	r->cgroups = rows;
	r->ncgroups = n;
	return 0;
}

static int cmp_object_ns(const void *a, const void *b)
{
	const struct object_entry *x = *(const struct object_entry *const *)a;
	const struct object_entry *y = *(const struct object_entry *const *)b;

	if (x->st.total_ns != y->st.total_ns)
		return x->st.total_ns < y->st.total_ns ? 1 : -1;
	return x->key.tgid < y->key.tgid ? -1 : x->key.tgid > y->key.tgid;
}

static int view_objects(struct report *r)
{
	const struct object_table *t = &r->snap->objects;
	size_t i;

	r->objects = calloc(t->n ?: 1, sizeof(*r->objects));
	if (!r->objects)
		return -ENOMEM;
	for (i = 0; i < t->n; i++)
		if (t->v[i].st.count)
			r->objects[r->nobjects++] = &t->v[i];
	qsort(r->objects, r->nobjects, sizeof(*r->objects), cmp_object_ns);
	return 0;
}

static int cmp_stack_ns(const void *a, const void *b)
{
	const struct stack_entry *x = ((const struct report_stack *)a)->e;
	const struct stack_entry *y = ((const struct report_stack *)b)->e;

	if (x->total_ns != y->total_ns)
		return x->total_ns < y->total_ns ? 1 : -1;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int view_stacks(struct report *r)
{
	const struct stack_table *t = &r->snap->stacks;
	int i;

	r->stacks = calloc(t->n ?: 1, sizeof(*r->stacks));
	if (!r->stacks)
		return -ENOMEM;
	for (i = 0; i < (int)t->n; i++)
		if (t->v[i].count)
			r->stacks[r->nstacks++].e = &t->v[i];
	qsort(r->stacks, r->nstacks, sizeof(*r->stacks), cmp_stack_ns);
	/* Named in place once sorted: syscall may point into the row itself. */
	for (i = 0; i < r->nstacks; i++) {
		struct report_stack *s = &r->stacks[i];
		uint32_t slot = s->e->slot < OSP_NR_SLOTS ? s->e->slot : 0;

		s->cat = r->tax->slot_cat[slot];
		s->category = r->tax->names[s->cat];
		s->syscall = slot_name_or_nr(slot, s->nrbuf, sizeof(s->nrbuf));
		s->site = stack_call_site(t, s->e);
	}
	return 0;
}

int report_init(struct report *r, const struct snapshot *snap, const struct taxonomy *tax,
		const struct run_info *run)
{
	struct slot_stats *all = malloc(sizeof(*all));
	int i, err;

	*r = (struct report){ snap, tax, run, calloc(tax->ncat ?: 1, sizeof(struct slot_stats)) };
	if (!r->cats || !all) {
		free(all);
		report_fini(r);
		return -ENOMEM;
	}
	r->per_kb = run->tags && tags_get_u64(run->tags, "bytes", &(uint64_t){ 0 });
	r->per_iter = run->tags && tags_get_u64(run->tags, "iterations", &(uint64_t){ 0 });
	snapshot_categories(snap, tax, r->cats);
	snapshot_totals(snap, all);
	r->totals.name = r->totals.category = "total";
	r->totals.slot = r->totals.nr = r->totals.cat = -1;
	figures_from_stats(all, &r->totals.f);
	row_figures(r, &r->totals, all);
	r->totals.st = NULL;		/* all is freed below: totals keep no histogram */
	memset(all, 0, sizeof(*all));
	for (i = 0; i < tax->ncat; i++)
		slot_stats_merge(all, &snap->io_sizes[i]);
	figures_from_stats(all, &r->totals.io);
	free(all);
	report_unattributed(r, &r->unattributed_figures);
	r->unattributed = proc_sums(&r->unattributed_figures);
	r->exited = proc_sums(&snap->exited.f);
	view_runq(r);
	for (i = 0; i < OSP_DROP_NR; i++)
		r->dropped += snap->drops[i];
	r->stack_drops = snap->stacks.drops.table_full + snap->stacks.drops.no_mappings +
			 snap->stacks.drops.stack_unreadable + snap->stacks.drops.unwind_failed;
	r->dropped += r->stack_drops;
	report_warnings(r);
	err = view_categories(r);
	err = err ?: view_syscalls(r);
	err = err ?: view_procs(r);
	err = err ?: view_gpu(r);
	err = err ?: view_phases(r);
	err = err ?: view_cgroups(r);
	err = err ?: view_objects(r);
	err = err ?: view_stacks(r);
	if (err)
		report_fini(r);
	return err;
}

void report_fini(struct report *r)
{
	free(r->cats);
	free(r->categories);
	free(r->syscalls);
	free(r->procs);
	free(r->gpu_devices);
	free(r->gpu_requests);
	free(r->phases);
	free(r->cgroups);
	free(r->objects);
	free(r->stacks);
	memset(r, 0, sizeof(*r));
}
