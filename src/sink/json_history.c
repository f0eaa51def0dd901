// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The daemon's "intervals": the last N intervals, oldest first. */
#include <json-c/json.h>
#include "model/categories.h"
#include "model/history.h"
#include "model/syscalls.h"
#include "sink/json_put.h"
#include "sink/sink.h"

static void put_delta(struct json_object *o, const struct slot_delta *d)
{
	json_put_u64(o, "count", d->count);
	json_put_u64(o, "errors", d->errors);
	json_put_u64(o, "total_ns", d->total_ns);
}

static struct json_object *interval_json(const struct interval *iv, const struct taxonomy *tax,
					 bool sched)
{
	struct json_object *o = json_object_new_object(), *arr, *e, *x;
	char nrbuf[32];
	int i, c;

	json_put_time(o, "start", iv->start_ns);
	json_put_time(o, "end", iv->end_ns);
	json_put_u64(o, "duration_ns", iv->end_ns - iv->start_ns);
	x = json_object_new_object();
	put_delta(x, &iv->totals);
	json_object_object_add(o, "totals", x);
	arr = json_object_new_array();
	for (c = 0; c < tax->ncat; c++) {
		e = json_object_new_object();
		json_put_str(e, "name", tax->names[c]);
		put_delta(e, &iv->cats[c]);
		json_put_u64_if(e, "offcpu_ns", sched, iv->cats[c].offcpu_ns);
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "categories", arr);
	arr = json_object_new_array();
	for (i = 0; i < iv->nslots; i++) {
		const struct slot_delta *sd = &iv->slots[i];

		e = json_object_new_object();
		json_put_str(e, "name", slot_name_or_nr(sd->slot, nrbuf, sizeof(nrbuf)));
		json_put_str(e, "category", tax->names[tax->slot_cat[sd->slot]]);
		put_delta(e, sd);
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "syscalls", arr);
	if (sched) {
		x = json_object_new_object();
		json_put_u64(x, "context_switches", iv->sched.vol_switches + iv->sched.invol_switches);
		json_put_u64(x, "voluntary", iv->sched.vol_switches);
		json_put_u64(x, "involuntary", iv->sched.invol_switches);
		json_put_u64(x, "cpu_migrations", iv->sched.migrations);
		json_put_u64(x, "task_clock_ns", iv->sched.oncpu_ns);
		json_put_u64(x, "runqueue_ns", iv->sched.runq_ns);
		json_object_object_add(o, "sched", x);
	}
	x = json_object_new_object();
	json_put_u64(x, "forks", iv->sched.forks);
	json_put_u64(x, "execs", iv->sched.execs);
	json_put_u64(x, "thread_exits", iv->sched.exits);
	json_object_object_add(o, "lifecycle", x);
	return o;
}

struct json_object *history_json(const struct history *h, const struct taxonomy *tax, bool sched)
{
	struct json_object *arr = json_object_new_array();
	int i;

	for (i = 0; i < history_len(h); i++)
		json_object_array_add(arr, interval_json(history_at(h, i), tax, sched));
	return arr;
}
