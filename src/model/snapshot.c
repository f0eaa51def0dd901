// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "model/categories.h"
#include "model/snapshot.h"

struct snapshot *snapshot_new(void)
{
	return calloc(1, sizeof(struct snapshot));
}

void snapshot_free(struct snapshot *s)
{
	if (!s)
		return;
	free(s->errnos);
	free(s->pid_index);
	free(s->procs);
	free(s->gpu);
	free(s->cgroups);
	free(s->cg_index);
	object_table_free(&s->objects);
	stack_table_free(&s->stacks);
	free(s);
}

static unsigned int pid_hash(uint32_t pid, int cap)
{
	return (pid * 2654435761u) & (unsigned int)(cap - 1);
}

static void index_insert(struct snapshot *s, int pos)
{
	unsigned int h = pid_hash(s->procs[pos].pid, s->index_cap);

	while (s->pid_index[h] >= 0)
		h = (h + 1) & (unsigned int)(s->index_cap - 1);
	s->pid_index[h] = pos;
}

/* Rebuilds the index at a size with room to spare; false if out of memory. */
static bool reindex(struct snapshot *s)
{
	int cap = 64, i, *n;

	while (cap < 2 * (s->nprocs + 1))
		cap *= 2;
	if (cap != s->index_cap) {
		n = realloc(s->pid_index, (size_t)cap * sizeof(*n));
		if (!n)
			return false;
		s->pid_index = n;
		s->index_cap = cap;
	}
	for (i = 0; i < cap; i++)
		s->pid_index[i] = -1;
	for (i = 0; i < s->nprocs; i++)
		index_insert(s, i);
	s->index_stale = false;
	return true;
}

void snapshot_procs_changed(struct snapshot *s)
{
	s->index_stale = true;
}

struct proc_figures *snapshot_proc(struct snapshot *s, uint32_t pid)
{
	unsigned int h;
	int i;

	if ((s->index_stale || !s->pid_index) && !reindex(s)) {
		for (i = 0; i < s->nprocs; i++)	/* no memory for the index */
			if (s->procs[i].pid == pid)
				return &s->procs[i];
		return NULL;
	}
	for (h = pid_hash(pid, s->index_cap); s->pid_index[h] >= 0;
	     h = (h + 1) & (unsigned int)(s->index_cap - 1))
		if (s->procs[s->pid_index[h]].pid == pid)
			return &s->procs[s->pid_index[h]];
	return NULL;
}

struct proc_figures *snapshot_add_proc(struct snapshot *s, uint32_t pid)
{
	struct proc_figures *n = realloc(s->procs, (s->nprocs + 1) * sizeof(*n));

	if (!n)
		return NULL;
	s->procs = n;
	n = &s->procs[s->nprocs++];
	memset(n, 0, sizeof(*n));
	n->pid = pid;
	if (!s->index_stale && s->pid_index && 2 * s->nprocs <= s->index_cap)
		index_insert(s, s->nprocs - 1);
	else
		s->index_stale = true;
	return n;
}

void proc_figures_add(struct proc_figures *dst, const struct proc_figures *src)
{
	uint64_t *d = (uint64_t *)&dst->sched;
	const uint64_t *x = (const uint64_t *)&src->sched;
	size_t i;

	for (i = 0; i < sizeof(dst->sched) / sizeof(uint64_t); i++)
		d[i] += x[i];
	for (i = 0; i < OSP_MAX_CATEGORIES; i++) {
		dst->cats.count[i] += src->cats.count[i];
		dst->cats.total_ns[i] += src->cats.total_ns[i];
		dst->cats.bytes[i] += src->cats.bytes[i];
	}
	dst->min_flt += src->min_flt;
	dst->maj_flt += src->maj_flt;
}

/* Open addressing over every entry ever made: entries are never removed
 * and at most SNAPSHOT_MAX_CGROUPS, so the index never needs to grow. */
#define CG_INDEX_CAP	(2 * SNAPSHOT_MAX_CGROUPS)

struct cgroup_entry *snapshot_cgroup(struct snapshot *s, uint64_t id)
{
	unsigned int h = (unsigned int)((id * 0x9E3779B97F4A7C15ULL) >> 51) & (CG_INDEX_CAP - 1);
	struct cgroup_entry *n;
	int i, cap;

	if (!s->cg_index) {
		s->cg_index = malloc(CG_INDEX_CAP * sizeof(*s->cg_index));
		if (!s->cg_index)
			return NULL;
		for (i = 0; i < CG_INDEX_CAP; i++)
			s->cg_index[i] = -1;
	}
	for (; s->cg_index[h] >= 0; h = (h + 1) & (CG_INDEX_CAP - 1))
		if (s->cgroups[s->cg_index[h]].id == id)
			return &s->cgroups[s->cg_index[h]];
	if (s->ncgroups == SNAPSHOT_MAX_CGROUPS)
		return id ? snapshot_cgroup(s, 0) : NULL;
	if (s->ncgroups == s->cgroups_cap) {
		cap = s->cgroups_cap ? 2 * s->cgroups_cap : 16;
		n = realloc(s->cgroups, (size_t)cap * sizeof(*n));
		if (!n)
			return NULL;
		s->cgroups = n;
		s->cgroups_cap = cap;
	}
	n = &s->cgroups[s->ncgroups];
	memset(n, 0, sizeof(*n));
	n->id = id;
	s->cg_index[h] = s->ncgroups++;
	return n;
}

void snapshot_retire_proc(struct snapshot *s, const struct proc_figures *final, bool event_lost)
{
	struct proc_figures *p = snapshot_proc(s, final->pid);
	struct cgroup_entry *cg = snapshot_cgroup(s, final->cgid);

	proc_figures_add(&s->exited.f, final);
	s->exited.processes++;
	s->exited.events_lost += event_lost;
	if (final->peak_rss_bytes > s->exited.f.peak_rss_bytes)
		s->exited.f.peak_rss_bytes = final->peak_rss_bytes;
	if (cg) {
		proc_figures_add(&cg->exited, final);
		cg->exited_processes++;
	}
	if (p) {
		*p = s->procs[--s->nprocs];
		s->index_stale = true;
	}
}

/* A thread that ended after its process did: its figures join the exited
 * (the process is counted once, by its own exit). */
void snapshot_retire_late_thread(struct snapshot *s, const struct proc_figures *late)
{
	struct cgroup_entry *cg = snapshot_cgroup(s, late->cgid);

	proc_figures_add(&s->exited.f, late);
	if (cg)
		proc_figures_add(&cg->exited, late);
}

int snapshot_add_errno(struct snapshot *s, uint32_t slot, uint32_t err, uint64_t count)
{
	struct errno_count *n;
	int i;

	for (i = 0; i < s->nerrnos; i++) {
		if (s->errnos[i].slot == slot && s->errnos[i].err == err) {
			s->errnos[i].count += count;
			return 0;
		}
	}
	n = realloc(s->errnos, (s->nerrnos + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	s->errnos = n;
	s->errnos[s->nerrnos++] = (struct errno_count){ slot, err, count };
	return 0;
}

void slot_stats_merge(struct slot_stats *dst, const struct slot_stats *src)
{
	int i;

	if (!src->count)
		return;
	if (!dst->count || src->min_ns < dst->min_ns)
		dst->min_ns = src->min_ns;
	if (src->max_ns > dst->max_ns)
		dst->max_ns = src->max_ns;
	dst->count += src->count;
	dst->errors += src->errors;
	dst->total_ns += src->total_ns;
	dst->offcpu_ns += src->offcpu_ns;
	dst->bytes += src->bytes;
	dst->sumsq += src->sumsq;
	for (i = 0; i < OSP_HIST_BUCKETS; i++)
		dst->hist[i] += src->hist[i];
}

void snapshot_categories(const struct snapshot *s, const struct taxonomy *t, struct slot_stats *out)
{
	int i;

	memset(out, 0, sizeof(*out) * t->ncat);
	for (i = 0; i < OSP_NR_SLOTS; i++)
		if (s->slots[i].count)
			slot_stats_merge(&out[t->slot_cat[i]], &s->slots[i]);
}

void snapshot_totals(const struct snapshot *s, struct slot_stats *out)
{
	int i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < OSP_NR_SLOTS; i++)
		slot_stats_merge(out, &s->slots[i]);
}

uint64_t hist_bucket_lower(uint32_t idx)
{
	uint32_t k, sub;

	if (idx < 2 * OSP_HIST_SUB)
		return idx;
	k = idx / OSP_HIST_SUB + OSP_HIST_SUB_BITS - 1;
	sub = idx % OSP_HIST_SUB;
	return (uint64_t)(OSP_HIST_SUB + sub) << (k - OSP_HIST_SUB_BITS);
}

uint64_t hist_bucket_upper(uint32_t idx)
{
	if (idx + 1 >= OSP_HIST_BUCKETS)
		return UINT64_MAX;
	return hist_bucket_lower(idx + 1);
}

double hist_quantile(const uint64_t *hist, uint64_t count, double q,
		     uint64_t min_ns, uint64_t max_ns)
{
	double rank, lo, hi, v;
	uint64_t seen = 0;
	uint32_t i;

	if (!count)
		return 0;
	/* Rank of the q-quantile among count samples (1-based, nearest rank). */
	rank = q * (double)count;
	if (rank < 1)
		rank = 1;
	for (i = 0; i < OSP_HIST_BUCKETS; i++) {
		if (!hist[i])
			continue;
		if ((double)(seen + hist[i]) >= rank)
			break;
		seen += hist[i];
	}
	if (i == OSP_HIST_BUCKETS)
		return (double)max_ns;
	lo = (double)hist_bucket_lower(i);
	hi = i + 1 >= OSP_HIST_BUCKETS ? (double)max_ns + 1 : (double)hist_bucket_upper(i);
	/* The bucket's samples are spread evenly across its width. */
	v = lo + (hi - lo) * ((rank - (double)seen - 0.5) / (double)hist[i]);
	if (v < (double)min_ns)
		v = (double)min_ns;
	if (v > (double)max_ns)
		v = (double)max_ns;
	return v;
}

void figures_from_stats(const struct slot_stats *st, struct figures *f)
{
	long double mean, var;

	memset(f, 0, sizeof(*f));
	f->count = st->count;
	f->errors = st->errors;
	f->total_ns = st->total_ns;
	f->min_ns = st->min_ns;
	f->max_ns = st->max_ns;
	f->offcpu_ns = st->offcpu_ns;
	f->bytes = st->bytes;
	if (!st->count)
		return;
	mean = (long double)st->total_ns / st->count;
	f->mean_ns = (double)mean;
	/* Sample standard deviation, as osrt_sum and strace print it. */
	if (st->count > 1) {
		var = (st->sumsq - st->count * mean * mean) / (st->count - 1);
		f->stddev_ns = var > 0 ? sqrt((double)var) : 0;
	}
	f->p50_ns = hist_quantile(st->hist, st->count, 0.50, st->min_ns, st->max_ns);
	f->p90_ns = hist_quantile(st->hist, st->count, 0.90, st->min_ns, st->max_ns);
	f->p99_ns = hist_quantile(st->hist, st->count, 0.99, st->min_ns, st->max_ns);
}
