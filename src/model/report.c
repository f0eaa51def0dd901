// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Helpers shared by the report sinks, and format dispatch. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/categories.h"
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

int report_init(struct report *r, const struct snapshot *snap, const struct taxonomy *tax,
		const struct run_info *run)
{
	*r = (struct report){ snap, tax, run, calloc(tax->ncat ?: 1, sizeof(struct slot_stats)) };
	if (!r->cats)
		return -ENOMEM;
	snapshot_categories(snap, tax, r->cats);
	report_unattributed(r, &r->unattributed);
	report_warnings(r);
	return 0;
}

void report_fini(struct report *r)
{
	free(r->cats);
	r->cats = NULL;
}

void report_per_unit(const struct report *r, uint64_t count, uint64_t total_ns, struct per_unit *u)
{
	uint64_t bytes = 0, iters = 0;

	memset(u, 0, sizeof(*u));
	u->kb = r->run->tags && tags_get_u64(r->run->tags, "bytes", &bytes);
	u->iter = r->run->tags && tags_get_u64(r->run->tags, "iterations", &iters);
	if (u->kb) {
		u->kb_scale = 1 / (bytes / OSP_KB);
		u->kb_calls = count * u->kb_scale;
		u->kb_usec = total_ns / 1e3 * u->kb_scale;
	}
	if (u->iter) {
		u->iter_scale = 1.0 / iters;
		u->iter_calls = count * u->iter_scale;
		u->iter_usec = total_ns / 1e3 * u->iter_scale;
	}
}

/* What each drop counter is called in every sink. */
static const char *const drop_names[OSP_DROP_NR] = {
	[OSP_DROP_TARGETS_FULL] = "process_map_full",
	[OSP_DROP_ERRNO_FULL] = "errno_map_full",
	[OSP_DROP_TASK_STORAGE] = "task_storage_failed",
	[OSP_DROP_BAD_SYSCALL_NR] = "bad_syscall_nr",
	[OSP_DROP_RINGBUF] = "events_lost",
	[OSP_DROP_GPU_MAP_FULL] = "gpu_map_full",
	[OSP_DROP_PHASES_FULL] = "phases_full",
	[OSP_DROP_COMPAT_FULL] = "compat_map_full",
};

const char *drop_name(int drop)
{
	return drop >= 0 && drop < OSP_DROP_NR && drop_names[drop] ? drop_names[drop] : "unnamed";
}

/* Codes the kernel uses internally (include/linux/errno.h) that can still
 * reach a syscall's return value as tracepoints see it: a restarted call
 * returns ERESTARTSYS and friends before the signal code rewrites them.
 * Named as strace names them. */
static const char *const kernel_errnos[] = {
	[512 - 512] = "ERESTARTSYS", [513 - 512] = "ERESTARTNOINTR",
	[514 - 512] = "ERESTARTNOHAND", [515 - 512] = "ENOIOCTLCMD",
	[516 - 512] = "ERESTART_RESTARTBLOCK", [517 - 512] = "EPROBE_DEFER",
	[518 - 512] = "EOPENSTALE", [519 - 512] = "ENOPARAM",
	[521 - 512] = "EBADHANDLE", [522 - 512] = "ENOTSYNC",
	[523 - 512] = "EBADCOOKIE", [524 - 512] = "ENOTSUPP",
	[525 - 512] = "ETOOSMALL", [526 - 512] = "ESERVERFAULT",
	[527 - 512] = "EBADTYPE", [528 - 512] = "EJUKEBOX",
	[529 - 512] = "EIOCBQUEUED", [530 - 512] = "ERECALLCONFLICT",
	[531 - 512] = "ENOGRACE",
};

const char *errno_name(int err)
{
	static __thread char other[24];
	const char *n = strerrorname_np(err);

	if (n)
		return n;
	if (err >= 512 && err - 512 < (int)(sizeof(kernel_errnos) / sizeof(kernel_errnos[0])) &&
	    kernel_errnos[err - 512])
		return kernel_errnos[err - 512];
	/* Never one name for two codes: each keeps its number. */
	snprintf(other, sizeof(other), "E%d", err);
	return other;
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

/* Sorts rk[0..nsort) by key, keeps rk[nsort..n) in place, and returns the
 * indices in *out (malloc'd). Frees rk. */
static int to_order(struct ranked *rk, int nsort, int n, int **out)
{
	int i;

	qsort(rk, nsort, sizeof(*rk), cmp_ranked);
	*out = malloc((n ?: 1) * sizeof(int));
	if (*out)
		for (i = 0; i < n; i++)
			(*out)[i] = rk[i].idx;
	free(rk);
	return *out ? n : -ENOMEM;
}

int report_sorted_categories(const struct report *r, int **out, int *nactive)
{
	struct ranked *rk = calloc(OSP_MAX_CATEGORIES, sizeof(*rk));
	int c, n = 0;

	if (!rk)
		return -ENOMEM;
	for (c = 0; c < r->tax->ncat; c++)
		if (r->cats[c].count)
			rk[n++] = (struct ranked){ r->cats[c].total_ns, c };
	*nactive = n;
	/* Silent categories follow, in taxonomy order. */
	for (c = 0; c < r->tax->ncat; c++)
		if (!r->cats[c].count)
			rk[n++] = (struct ranked){ 0, c };
	return to_order(rk, *nactive, n, out);
}

int report_sorted_slots(const struct report *r, int **out)
{
	struct ranked *rk = calloc(OSP_NR_SLOTS, sizeof(*rk));
	int s, n = 0;

	if (!rk)
		return -ENOMEM;
	for (s = 0; s < OSP_NR_SLOTS; s++)
		if (r->snap->slots[s].count)
			rk[n++] = (struct ranked){ r->snap->slots[s].total_ns, s };
	return to_order(rk, n, n, out);
}

void report_memory_totals(const struct report *r, struct memory_totals *m)
{
	int i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < r->snap->nprocs; i++) {
		const struct proc_figures *p = &r->snap->procs[i];

		m->min_flt += p->min_flt;
		m->maj_flt += p->maj_flt;
		m->rss_bytes += p->rss_bytes;
		if (p->peak_rss_bytes > m->peak_rss_bytes)
			m->peak_rss_bytes = p->peak_rss_bytes;
	}
	/* Reclaimed processes' faults count too (their peak is not "now"). */
	m->min_flt += r->snap->exited.f.min_flt;
	m->maj_flt += r->snap->exited.f.maj_flt;
}

uint64_t proc_syscall_count(const struct proc_figures *p)
{
	uint64_t n = 0;
	int c;

	for (c = 0; c < OSP_MAX_CATEGORIES; c++)
		n += p->cats.count[c];
	return n;
}

uint64_t proc_syscall_ns(const struct proc_figures *p)
{
	uint64_t n = 0;
	int c;

	for (c = 0; c < OSP_MAX_CATEGORIES; c++)
		n += p->cats.total_ns[c];
	return n;
}

int report_sorted_procs(const struct report *r, int **out)
{
	struct ranked *rk = calloc(r->snap->nprocs ?: 1, sizeof(*rk));
	int i, n = 0;

	if (!rk)
		return -ENOMEM;
	for (i = 0; i < r->snap->nprocs; i++) {
		const struct proc_figures *p = &r->snap->procs[i];

		/* The overflow entry only when something landed in it. */
		if (p->pid || proc_syscall_count(p) || p->sched.exits)
			rk[n++] = (struct ranked){ proc_syscall_ns(p), i };
	}
	return to_order(rk, n, n, out);
}
