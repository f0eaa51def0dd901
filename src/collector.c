// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "collector.h"
#include "log.h"
#include "tracer.h"

struct collector {
	struct tracer *tracer;
	int ncpus;
	struct osp_sys_stat *percpu;	/* buffer for one per-CPU lookup */
	uint32_t *last_hist;		/* [slot][cpu][bucket], raw 32-bit values */
	struct snapshot *snap;
};

struct collector *collector_new(struct tracer *t)
{
	struct collector *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->tracer = t;
	c->ncpus = libbpf_num_possible_cpus();
	if (c->ncpus <= 0)
		goto err;
	c->percpu = calloc(c->ncpus, sizeof(struct osp_sys_stat));
	c->last_hist = calloc((size_t)OSP_NR_SLOTS * c->ncpus * OSP_HIST_BUCKETS, sizeof(uint32_t));
	c->snap = snapshot_new();
	if (!c->percpu || !c->last_hist || !c->snap)
		goto err;
	return c;
err:
	collector_free(c);
	return NULL;
}

static void fold_slot(struct collector *c, uint32_t slot)
{
	struct slot_stats *dst = &c->snap->slots[slot];
	int cpu, b;

	/* Everything but the histogram is cumulative 64-bit: recompute. */
	dst->count = dst->errors = dst->total_ns = dst->offcpu_ns = 0;
	dst->min_ns = dst->max_ns = 0;
	dst->sumsq = 0;
	for (cpu = 0; cpu < c->ncpus; cpu++) {
		const struct osp_sys_stat *s = &c->percpu[cpu];
		uint32_t *last = &c->last_hist[((size_t)slot * c->ncpus + cpu) * OSP_HIST_BUCKETS];

		if (s->count) {
			if (!dst->count || s->min_ns < dst->min_ns)
				dst->min_ns = s->min_ns;
			if (s->max_ns > dst->max_ns)
				dst->max_ns = s->max_ns;
		}
		dst->count += s->count;
		dst->errors += s->errors;
		dst->total_ns += s->total_ns;
		dst->offcpu_ns += s->offcpu_ns;
		dst->sumsq += (long double)s->sumsq_hi * 18446744073709551616.0L + s->sumsq_lo;
		for (b = 0; b < OSP_HIST_BUCKETS; b++) {
			/* Unsigned difference is right across one wrap. */
			dst->hist[b] += (uint32_t)(s->hist[b] - last[b]);
			last[b] = s->hist[b];
		}
	}
}

static int read_errnos(struct collector *c)
{
	int fd = tracer_map_fd(c->tracer, TRACER_MAP_ERRNOS);
	struct osp_errno_key key, next, *prev = NULL;
	uint64_t *vals;
	int cpu, err = 0;

	vals = calloc(c->ncpus, sizeof(uint64_t));
	if (!vals)
		return -ENOMEM;
	c->snap->nerrnos = 0;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		uint64_t sum = 0;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, vals))
			continue;
		for (cpu = 0; cpu < c->ncpus; cpu++)
			sum += vals[cpu];
		if (key.slot < OSP_NR_SLOTS && sum) {
			err = snapshot_add_errno(c->snap, key.slot, key.err, sum);
			if (err)
				break;
		}
	}
	free(vals);
	return err;
}

static int read_drops(struct collector *c)
{
	int fd = tracer_map_fd(c->tracer, TRACER_MAP_DROPS);
	uint64_t *vals;
	uint32_t k;
	int cpu;

	vals = calloc(c->ncpus, sizeof(uint64_t));
	if (!vals)
		return -ENOMEM;
	for (k = 0; k < OSP_DROP_NR; k++) {
		c->snap->drops[k] = 0;
		if (bpf_map_lookup_elem(fd, &k, vals))
			continue;
		for (cpu = 0; cpu < c->ncpus; cpu++)
			c->snap->drops[k] += vals[cpu];
	}
	free(vals);
	return 0;
}

int collector_poll(struct collector *c)
{
	int fd = tracer_map_fd(c->tracer, TRACER_MAP_SYS_STATS);
	struct timespec ts;
	uint32_t slot;
	int err;

	for (slot = 0; slot < OSP_NR_SLOTS; slot++) {
		if (bpf_map_lookup_elem(fd, &slot, c->percpu)) {
			err = -errno;
			err("reading syscall statistics: %s", strerror(errno));
			return err;
		}
		fold_slot(c, slot);
	}
	err = read_errnos(c);
	if (!err)
		err = read_drops(c);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	c->snap->taken_ns = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	return err;
}

const struct snapshot *collector_snapshot(const struct collector *c)
{
	return c->snap;
}

void collector_free(struct collector *c)
{
	if (!c)
		return;
	snapshot_free(c->snap);
	free(c->last_hist);
	free(c->percpu);
	free(c);
}
