// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "model/categories.h"
#include "model/history.h"
#include "model/snapshot.h"
#include "model/syscalls.h"
#include "base/timefmt.h"

struct slot_delta {
	uint32_t slot;
	uint64_t count, errors, total_ns, offcpu_ns;
};

struct interval {
	uint64_t start_ns, end_ns;	/* CLOCK_REALTIME */
	struct osp_sched_counters sched;
	struct slot_delta *slots;	/* only slots with calls */
	int nslots;
};

/* Cumulative values at the previous push. */
struct slot_cum {
	uint64_t count, errors, total_ns, offcpu_ns;
};

struct history {
	int cap, n, head;		/* head: next slot to write */
	struct interval *ring;
	struct slot_cum prev[OSP_NR_SLOTS];
	struct osp_sched_counters prev_sched;
};

struct history *history_new(int capacity)
{
	struct history *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->cap = capacity > 0 ? capacity : 1;
	h->ring = calloc(h->cap, sizeof(*h->ring));
	if (!h->ring) {
		free(h);
		return NULL;
	}
	return h;
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

		if (st->count != p->count)
			iv->slots[n++] = (struct slot_delta){ s, st->count - p->count,
				st->errors - p->errors, st->total_ns - p->total_ns,
				st->offcpu_ns - p->offcpu_ns };
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

/* Counters are unsigned 64-bit: written as such, never as signed. */
static void put_int(struct json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

static void put_time(struct json_object *o, const char *k, uint64_t ns)
{
	char buf[ISO8601_LEN];

	iso8601(ns, buf, sizeof(buf));
	json_object_object_add(o, k, json_object_new_string(buf));
}

static struct json_object *interval_json(const struct interval *iv, const struct taxonomy *tax,
					 int sched)
{
	struct json_object *o = json_object_new_object(), *cats, *sys, *e, *x;
	uint64_t cc[OSP_MAX_CATEGORIES] = {0}, ce[OSP_MAX_CATEGORIES] = {0};
	uint64_t cn[OSP_MAX_CATEGORIES] = {0}, co[OSP_MAX_CATEGORIES] = {0};
	uint64_t tc = 0, te = 0, tn = 0;
	char nrbuf[32];
	int i, c;

	put_time(o, "start", iv->start_ns);
	put_time(o, "end", iv->end_ns);
	put_int(o, "duration_ns", iv->end_ns - iv->start_ns);
	sys = json_object_new_array();
	for (i = 0; i < iv->nslots; i++) {
		const struct slot_delta *sd = &iv->slots[i];

		c = tax->slot_cat[sd->slot];
		cc[c] += sd->count;
		ce[c] += sd->errors;
		cn[c] += sd->total_ns;
		co[c] += sd->offcpu_ns;
		tc += sd->count;
		te += sd->errors;
		tn += sd->total_ns;
		e = json_object_new_object();
		json_object_object_add(e, "name", json_object_new_string(
			slot_name_or_nr(sd->slot, nrbuf, sizeof(nrbuf))));
		json_object_object_add(e, "category", json_object_new_string(tax->names[c]));
		put_int(e, "count", sd->count);
		put_int(e, "errors", sd->errors);
		put_int(e, "total_ns", sd->total_ns);
		json_object_array_add(sys, e);
	}
	x = json_object_new_object();
	put_int(x, "count", tc);
	put_int(x, "errors", te);
	put_int(x, "total_ns", tn);
	json_object_object_add(o, "totals", x);
	cats = json_object_new_array();
	for (c = 0; c < tax->ncat; c++) {
		e = json_object_new_object();
		json_object_object_add(e, "name", json_object_new_string(tax->names[c]));
		put_int(e, "count", cc[c]);
		put_int(e, "errors", ce[c]);
		put_int(e, "total_ns", cn[c]);
		json_object_object_add(e, "offcpu_ns", sched ? json_object_new_uint64(co[c]) : NULL);
		json_object_array_add(cats, e);
	}
	json_object_object_add(o, "categories", cats);
	json_object_object_add(o, "syscalls", sys);
	if (sched) {
		x = json_object_new_object();
		put_int(x, "context_switches", iv->sched.vol_switches + iv->sched.invol_switches);
		put_int(x, "voluntary", iv->sched.vol_switches);
		put_int(x, "involuntary", iv->sched.invol_switches);
		put_int(x, "cpu_migrations", iv->sched.migrations);
		put_int(x, "task_clock_ns", iv->sched.oncpu_ns);
		put_int(x, "runqueue_ns", iv->sched.runq_ns);
		json_object_object_add(o, "sched", x);
	}
	x = json_object_new_object();
	put_int(x, "forks", iv->sched.forks);
	put_int(x, "execs", iv->sched.execs);
	put_int(x, "thread_exits", iv->sched.exits);
	json_object_object_add(o, "lifecycle", x);
	return o;
}

struct json_object *history_to_json(const struct history *h, const struct taxonomy *tax,
				    int sched_collected)
{
	struct json_object *arr = json_object_new_array();
	int i, idx;

	for (i = 0; i < h->n; i++) {
		idx = (h->head - h->n + i + h->cap) % h->cap;
		json_object_array_add(arr, interval_json(&h->ring[idx], tax, sched_collected));
	}
	return arr;
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
