// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model/categories.h"
#include "model/history.h"
#include "model/snapshot.h"

/* Cumulative values at the previous push. */
struct slot_cum {
	uint64_t count, errors, total_ns, offcpu_ns;
};

struct history {
	const struct taxonomy *tax;
	int cap, n, head;		/* head: next slot to write */
	struct interval *ring;
	struct slot_cum prev[OSP_NR_SLOTS];
	struct osp_sched_counters prev_sched;
};

struct history *history_new(int capacity, const struct taxonomy *tax)
{
	struct history *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->tax = tax;
	h->cap = capacity > 0 ? capacity : 1;
	h->ring = calloc(h->cap, sizeof(*h->ring));
	if (!h->ring) {
		free(h);
		return NULL;
	}
	return h;
}

static void delta_add(struct slot_delta *dst, const struct slot_delta *d)
{
	dst->count += d->count;
	dst->errors += d->errors;
	dst->total_ns += d->total_ns;
	dst->offcpu_ns += d->offcpu_ns;
}

int history_push(struct history *h, const struct snapshot *snap, uint64_t start_ns,
		 uint64_t end_ns)
{
	struct interval *iv = &h->ring[h->head];
	uint64_t *d, *cur, *prev;
	int s, n = 0;
	size_t i;

	free(iv->slots);
	memset(iv, 0, sizeof(*iv));
	iv->slots = calloc(OSP_NR_SLOTS, sizeof(*iv->slots));
	if (!iv->slots)
		return -ENOMEM;
	for (s = 0; s < OSP_NR_SLOTS; s++) {
		const struct slot_stats *st = &snap->slots[s];
		struct slot_cum *p = &h->prev[s];

		if (st->count != p->count) {
			struct slot_delta *sd = &iv->slots[n++], *c = &iv->cats[h->tax->slot_cat[s]];

			*sd = (struct slot_delta){ s, st->count - p->count, st->errors - p->errors,
				st->total_ns - p->total_ns, st->offcpu_ns - p->offcpu_ns };
			delta_add(c, sd);
			delta_add(&iv->totals, sd);
		}
		*p = (struct slot_cum){ st->count, st->errors, st->total_ns, st->offcpu_ns };
	}
	/* Keep only what was used: the ring stays small. */
	iv->slots = realloc(iv->slots, (n ?: 1) * sizeof(*iv->slots));
	iv->nslots = n;
	d = (uint64_t *)&iv->sched;
	cur = (uint64_t *)&snap->sched.c;
	prev = (uint64_t *)&h->prev_sched;
	for (i = 0; i < sizeof(iv->sched) / sizeof(uint64_t); i++)
		d[i] = cur[i] - prev[i];
	h->prev_sched = snap->sched.c;
	iv->start_ns = start_ns;
	iv->end_ns = end_ns;
	h->head = (h->head + 1) % h->cap;
	if (h->n < h->cap)
		h->n++;
	return 0;
}

int history_len(const struct history *h)
{
	return h->n;
}

const struct interval *history_at(const struct history *h, int i)
{
	return &h->ring[(h->head - h->n + i + h->cap) % h->cap];
}

void history_free(struct history *h)
{
	int i;

	if (!h)
		return;
	for (i = 0; i < h->cap; i++)
		free(h->ring[i].slots);
	free(h->ring);
	free(h);
}
