// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "model/categories.h"
#include "model/names.h"
#include "model/syscalls.h"
#include "model/timeline.h"
#include "sink/json_put.h"
#include "sink/text.h"
#include "sink/timeline_json.h"

#define PHASE_TRACK(pid)	((1u << 30) + (pid))	/* a tid no thread has */
#define COUNTER_PID		0

static double us(const struct timeline_info *in, uint64_t mono_ns)
{
	return ((double)mono_ns - (double)in->start_mono_ns) / 1e3;
}

static struct json_object *ev(const char *ph, const char *name, uint32_t pid, uint32_t tid, double ts)
{
	struct json_object *o = json_object_new_object();

	json_put_str(o, "ph", ph);
	json_put_str(o, "name", name);
	json_put_u64(o, "pid", pid);
	json_put_u64(o, "tid", tid);
	json_put_dbl(o, "ts", ts);
	return o;
}

static void meta(struct json_object *arr, const char *what, uint32_t pid, uint32_t tid, const char *name)
{
	struct json_object *o = ev("M", what, pid, tid, 0), *a = json_object_new_object();

	json_object_object_del(o, "ts");
	json_put_str(a, "name", name);
	json_object_object_add(o, "args", a);
	json_object_array_add(arr, o);
}

/* "comm (id)", once per thread and process. */
static void name_tracks(struct json_object *arr, const struct timeline *t)
{
	uint32_t *seen = calloc(2 * timeline_len(t) + 1, sizeof(*seen));
	size_t i, j, n = 0;
	char name[96], comm[64];

	for (i = 0; seen && i < timeline_len(t); i++) {
		const struct tl_event *e = timeline_at(t, i);
		uint32_t ids[2] = { e->tid, e->pid | 0x80000000u };	/* thread, then process */
		int k;

		for (k = 0; k < 2; k++) {
			for (j = 0; j < n && seen[j] != ids[k]; j++)
				;
			if (j < n)
				continue;
			seen[n++] = ids[k];
			text_printable(e->comm, strnlen(e->comm, sizeof(e->comm)), comm, sizeof(comm));
			snprintf(name, sizeof(name), "%s (%u)", comm, k ? e->pid : e->tid);
			meta(arr, k ? "process_name" : "thread_name", e->pid, e->tid, name);
		}
	}
	free(seen);
}

static void syscall_slice(struct json_object *arr, const struct tl_event *e,
			  const struct timeline_info *in)
{
	const char *cat = e->slot < OSP_NR_SLOTS ? in->tax->names[in->tax->slot_cat[e->slot]] : "other";
	char nrbuf[32];
	struct json_object *o = ev("X", slot_name_or_nr(e->slot, nrbuf, sizeof(nrbuf)), e->pid, e->tid,
				   us(in, e->ts_ns - e->dur_ns)), *a = json_object_new_object();

	json_put_str(o, "cat", cat);
	json_put_dbl(o, "dur", e->dur_ns / 1e3);
	if (e->ret < 0 && e->ret >= -4095)
		json_put_str(a, "errno", errno_name((int)-e->ret));
	else
		json_put_s64(a, "ret", e->ret);
	if (syscall_takes_fd(e->slot))
		json_put_s64(a, "fd", e->arg0);
	if (syscall_moves_bytes(e->slot) && e->ret > 0)
		json_put_s64(a, "bytes", e->ret);
	json_put_u64(a, "offcpu_ns", e->offcpu_ns);
	json_put_u64(a, "dur_ns", e->dur_ns);
	json_object_object_add(o, "args", a);
	json_object_array_add(arr, o);
}

static void instant(struct json_object *arr, const struct tl_event *e, const struct timeline_info *in)
{
	char name[96];
	struct json_object *o, *a = json_object_new_object();

	switch (e->kind) {
	case TL_FORK:
		if (e->slot == e->pid)
			snprintf(name, sizeof(name), "thread %lld", (long long)e->ret);
		else
			snprintf(name, sizeof(name), "fork %u", e->slot);
		json_put_u64(a, "child_pid", e->slot);
		json_put_s64(a, "child_tid", e->ret);
		break;
	case TL_EXEC:
		snprintf(name, sizeof(name), "exec %s", e->text);
		json_put_str(a, "file", e->text);
		break;
	default:
		if (e->ret & 0x7f)
			snprintf(name, sizeof(name), "exit: signal %lld", (long long)(e->ret & 0x7f));
		else
			snprintf(name, sizeof(name), "exit %lld", (long long)((e->ret >> 8) & 0xff));
		json_put_s64(a, "wait_status", e->ret);
	}
	o = ev("i", name, e->pid, e->tid, us(in, e->ts_ns));
	json_put_str(o, "s", "t");
	json_put_str(o, "cat", "lifecycle");
	json_object_object_add(o, "args", a);
	json_object_array_add(arr, o);
}

static void phases(struct json_object *arr, const struct timeline *t, const struct timeline_info *in)
{
	struct tl_span *sp;
	long n = timeline_phase_spans(t, in->end_mono_ns, &sp), i, k;
	char name[64];

	for (i = 0; i < n; i++) {
		const char *pn = (int)sp[i].phase < in->nphase_names && in->phase_names[sp[i].phase] &&
				 in->phase_names[sp[i].phase][0] ? in->phase_names[sp[i].phase] : NULL;
		struct json_object *o;

		if (!pn)
			snprintf(name, sizeof(name), "phase %u", sp[i].phase);
		o = ev("X", pn ?: name, sp[i].pid, PHASE_TRACK(sp[i].pid), us(in, sp[i].start_ns));
		json_put_str(o, "cat", "phase");
		json_put_dbl(o, "dur", (sp[i].end_ns - sp[i].start_ns) / 1e3);
		json_object_array_add(arr, o);
		for (k = 0; k < i && sp[k].pid != sp[i].pid; k++)
			;
		if (k == i)
			meta(arr, "thread_name", sp[i].pid, PHASE_TRACK(sp[i].pid), "phases");
	}
	free(sp);
}

/* Syscalls per second per category over each interval, and RSS. */
static void counters(struct json_object *arr, const struct timeline *t, const struct timeline_info *in)
{
	size_t i;
	int c;

	if (timeline_samples(t))
		meta(arr, "process_name", COUNTER_PID, 0, "osiprof counters");
	for (i = 1; i < timeline_samples(t); i++) {
		const struct tl_counter *a = timeline_sample_at(t, i - 1), *b = timeline_sample_at(t, i);
		double secs = (b->ts_ns - a->ts_ns) / 1e9;
		struct json_object *o, *args;

		if (secs <= 0)
			continue;
		o = ev("C", "syscalls/s", COUNTER_PID, 0, us(in, a->ts_ns));
		args = json_object_new_object();
		for (c = 0; c < in->tax->ncat; c++)
			if (b->calls[c] != a->calls[c])
				json_put_dbl(args, in->tax->names[c], (b->calls[c] - a->calls[c]) / secs);
		json_object_object_add(o, "args", args);
		json_object_array_add(arr, o);
		o = ev("C", "resident bytes", COUNTER_PID, 0, us(in, b->ts_ns));
		args = json_object_new_object();
		json_put_u64(args, "rss", b->rss_bytes);
		json_object_object_add(o, "args", args);
		json_object_array_add(arr, o);
	}
}

int timeline_write_json(FILE *f, const struct timeline *t, const struct timeline_info *in)
{
	struct json_object *root = json_object_new_object(), *arr = json_object_new_array(), *o, *x;
	size_t *order = NULL, i;
	long n = timeline_order(t, &order);

	if (n < 0) {
		json_object_put(root);
		json_object_put(arr);
		return -ENOMEM;
	}
	name_tracks(arr, t);
	for (i = 0; i < (size_t)n; i++) {
		const struct tl_event *e = timeline_at(t, order[i]);

		if (e->kind == TL_SYSCALL) {
			syscall_slice(arr, e, in);
		} else if (e->kind == TL_OFFCPU) {
			o = ev("X", e->slot ? "off-CPU (preempted)" : "off-CPU (blocked)", e->pid, e->tid,
			       us(in, e->ts_ns - e->dur_ns));
			json_put_str(o, "cat", "offcpu");
			json_put_dbl(o, "dur", e->dur_ns / 1e3);
			json_object_array_add(arr, o);
		} else if (e->kind != TL_PHASE) {
			instant(arr, e, in);
		}
	}
	free(order);
	phases(arr, t, in);
	counters(arr, t, in);
	json_object_object_add(root, "traceEvents", arr);
	json_put_str(root, "displayTimeUnit", "ns");
	x = json_object_new_object();
	json_put_str(x, "source", in->source);
	json_put_str(x, "clock", "ts is microseconds since window_start_mono_ns (CLOCK_MONOTONIC); "
		     "wall time = window_start_realtime_ns + ts * 1000");
	json_put_u64(x, "window_start_mono_ns", in->start_mono_ns);
	json_put_u64(x, "window_start_realtime_ns", in->start_real_ns);
	json_put_u64(x, "threshold_ns", t->threshold_ns);
	json_put_u64(x, "events_received", t->received);
	json_put_u64(x, "events_kept", timeline_len(t));
	json_put_u64(x, "events_discarded", t->discarded);
	json_put_u64(x, "events_lost", in->events_lost);
	json_put_u64(x, "keep_ns", t->keep_ns);
	json_object_object_add(root, "otherData", x);
	json_c_set_serialization_double_format("%.15g", JSON_C_OPTION_GLOBAL);
	fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), f);
	fputc('\n', f);
	json_object_put(root);
	return ferror(f) ? -EIO : 0;
}

char *timeline_json_text(const struct timeline *t, const struct timeline_info *info)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		return NULL;
	if (timeline_write_json(m, t, info) | fclose(m)) {
		free(text);
		return NULL;
	}
	return text;
}
