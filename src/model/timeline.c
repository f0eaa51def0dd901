// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model/categories.h"
#include "model/snapshot.h"
#include "model/timeline.h"

#define TL_MAX_SAMPLES	100000

struct timeline *timeline_new(size_t max_events, uint64_t keep_ns, uint64_t threshold_ns)
{
	struct timeline *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->cap = max_events ?: 1;
	t->keep_ns = keep_ns;
	t->threshold_ns = threshold_ns;
	t->ring = calloc(t->cap, sizeof(*t->ring));
	t->ccap = TL_MAX_SAMPLES;
	t->counters = calloc(t->ccap, sizeof(*t->counters));
	if (!t->ring || !t->counters) {
		timeline_free(t);
		return NULL;
	}
	return t;
}

void timeline_free(struct timeline *t)
{
	if (!t)
		return;
	free(t->ring);
	free(t->counters);
	free(t);
}

void timeline_push(struct timeline *t, const struct tl_event *e)
{
	t->received++;
	if (t->n == t->cap) {
		t->head = (t->head + 1) % t->cap;
		t->n--;
		t->discarded++;
	}
	t->ring[(t->head + t->n++) % t->cap] = *e;
}

void timeline_expire(struct timeline *t, uint64_t now_ns)
{
	uint64_t oldest;

	if (!t->keep_ns || now_ns < t->keep_ns)
		return;
	oldest = now_ns - t->keep_ns;
	/* Pushed in arrival order, which is end order per CPU: close enough
	 * that the check of the oldest stops at the first recent one. */
	while (t->n && t->ring[t->head].ts_ns < oldest) {
		t->head = (t->head + 1) % t->cap;
		t->n--;
		t->discarded++;
	}
	while (t->cn && t->counters[t->chead].ts_ns < oldest) {
		t->chead = (t->chead + 1) % t->ccap;
		t->cn--;
	}
}

void timeline_sample(struct timeline *t, uint64_t ts_ns, const uint64_t *calls, int ncat,
		     uint64_t rss_bytes)
{
	struct tl_counter *c;

	if (t->cn == t->ccap) {
		t->chead = (t->chead + 1) % t->ccap;
		t->cn--;
	}
	c = &t->counters[(t->chead + t->cn++) % t->ccap];
	memset(c, 0, sizeof(*c));
	c->ts_ns = ts_ns;
	memcpy(c->calls, calls, (size_t)(ncat < OSP_MAX_CATEGORIES ? ncat : OSP_MAX_CATEGORIES) *
	       sizeof(*calls));
	c->rss_bytes = rss_bytes;
}

void timeline_sample_snapshot(struct timeline *t, const struct snapshot *s, const struct taxonomy *tax)
{
	struct slot_stats *cats = calloc(OSP_MAX_CATEGORIES, sizeof(*cats));
	uint64_t calls[OSP_MAX_CATEGORIES] = {0}, rss = 0;
	int c;

	if (!cats)
		return;
	snapshot_categories(s, tax, cats);
	for (c = 0; c < tax->ncat && c < OSP_MAX_CATEGORIES; c++)
		calls[c] = cats[c].count;
	for (c = 0; c < s->nprocs; c++)
		rss += s->procs[c].rss_bytes;
	timeline_sample(t, s->taken_ns, calls, tax->ncat, rss);
	free(cats);
}

size_t timeline_len(const struct timeline *t)
{
	return t->n;
}

const struct tl_event *timeline_at(const struct timeline *t, size_t i)
{
	return &t->ring[(t->head + i) % t->cap];
}

size_t timeline_samples(const struct timeline *t)
{
	return t->cn;
}

const struct tl_counter *timeline_sample_at(const struct timeline *t, size_t i)
{
	return &t->counters[(t->chead + i) % t->ccap];
}

static const struct timeline *sorting;	/* qsort has no context argument */

static int by_start(const void *a, const void *b)
{
	const struct tl_event *x = timeline_at(sorting, *(const size_t *)a);
	const struct tl_event *y = timeline_at(sorting, *(const size_t *)b);
	uint64_t sx = x->ts_ns - x->dur_ns, sy = y->ts_ns - y->dur_ns;

	if (sx != sy)
		return sx < sy ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

long timeline_order(const struct timeline *t, size_t **out)
{
	size_t i;

	*out = malloc((t->n ?: 1) * sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (i = 0; i < t->n; i++)
		(*out)[i] = i;
	sorting = t;
	qsort(*out, t->n, sizeof(**out), by_start);
	sorting = NULL;
	return (long)t->n;
}

long timeline_phase_spans(const struct timeline *t, uint64_t end_ns, struct tl_span **out)
{
	size_t *order, i, j;
	long n, k = 0;

	n = timeline_order(t, &order);
	*out = calloc((size_t)(n > 0 ? n : 1), sizeof(**out));
	if (n < 0 || !*out) {
		if (n >= 0)
			free(order);
		free(*out);
		*out = NULL;
		return -ENOMEM;
	}
	for (i = 0; i < (size_t)n; i++) {
		const struct tl_event *e = timeline_at(t, order[i]);
		struct tl_span *sp;

		if (e->kind != TL_PHASE)
			continue;
		sp = &(*out)[k++];
		*sp = (struct tl_span){ e->pid, e->slot, e->ts_ns, end_ns };
		/* Until the process's next mark or its exit. */
		for (j = i + 1; j < (size_t)n; j++) {
			const struct tl_event *x = timeline_at(t, order[j]);

			if (x->pid == e->pid && (x->kind == TL_PHASE || x->kind == TL_EXIT)) {
				sp->end_ns = x->ts_ns;
				break;
			}
		}
	}
	free(order);
	return k;
}
