// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* JSON sink: the documented report schema (README, "Report schema"). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <json-c/json.h>
#include "model/categories.h"
#include "model/report.h"
#include "sink/json_put.h"
#include "sink/sink.h"
#include "model/snapshot.h"
#include "model/syscalls.h"
#include "sink/text.h"

/* Counts and latency: every entry that has a histogram. */
static void add_latency(struct json_object *o, const struct figures *f)
{
	json_put_u64(o, "count", f->count);
	json_put_u64(o, "errors", f->errors);
	json_put_u64(o, "total_ns", f->total_ns);
	json_put_u64(o, "min_ns", f->min_ns);
	json_put_u64(o, "max_ns", f->max_ns);
	json_put_dbl(o, "mean_ns", f->mean_ns);
	json_put_dbl(o, "stddev_ns", f->stddev_ns);
	json_put_u64(o, "p50_ns", llround(f->p50_ns));
	json_put_u64(o, "p90_ns", llround(f->p90_ns));
	json_put_u64(o, "p99_ns", llround(f->p99_ns));
}

/* Figures common to totals, categories and syscalls. */
static void add_per_unit(struct json_object *o, const char *key, const struct per_unit *u)
{
	struct json_object *n = json_object_new_object();

	json_put_dbl(n, "calls", u->calls);
	json_put_dbl(n, "usec", u->usec);
	json_put_dbl(n, "bytes", u->bytes);
	json_object_object_add(o, key, n);
}

static void add_figures(struct json_object *o, const struct report *r, const struct report_row *row)
{
	add_latency(o, &row->f);
	json_put_dbl(o, "time_pct", row->time_pct);
	/* Off-CPU time inside these calls: null when not collected. */
	json_put_u64_if(o, "offcpu_ns", r->snap->sched_collected, row->f.offcpu_ns);
	json_put_u64(o, "bytes", row->f.bytes);
	if (r->per_kb)
		add_per_unit(o, "per_kb", &row->kb);
	if (r->per_iter)
		add_per_unit(o, "per_iteration", &row->iter);
}

/* Sizes of the successful data-moving calls, in bytes; null without any. */
static void add_io_size(struct json_object *o, const struct figures *f)
{
	struct json_object *n;

	if (!f->count) {
		json_object_object_add(o, "io_size", NULL);
		return;
	}
	n = json_object_new_object();
	json_put_u64(n, "count", f->count);
	json_put_u64(n, "min_bytes", f->min_ns);
	json_put_u64(n, "max_bytes", f->max_ns);
	json_put_dbl(n, "mean_bytes", f->mean_ns);
	json_put_u64(n, "p50_bytes", llround(f->p50_ns));
	json_put_u64(n, "p90_bytes", llround(f->p90_ns));
	json_put_u64(n, "p99_bytes", llround(f->p99_ns));
	json_object_object_add(o, "io_size", n);
}

/* Non-empty latency buckets: [lower_ns, upper_ns (exclusive), count]. */
static struct json_object *histogram_json(const struct slot_stats *st)
{
	struct json_object *arr = json_object_new_array(), *b;
	uint32_t i;

	for (i = 0; i < OSP_HIST_BUCKETS; i++) {
		if (!st->hist[i])
			continue;
		b = json_object_new_array();
		json_object_array_add(b, json_object_new_uint64(hist_bucket_lower(i)));
		json_object_array_add(b, json_object_new_uint64(i + 1 < OSP_HIST_BUCKETS ?
				      (int64_t)hist_bucket_upper(i) : (int64_t)st->max_ns + 1));
		json_object_array_add(b, json_object_new_uint64(st->hist[i]));
		json_object_array_add(arr, b);
	}
	return arr;
}

static struct json_object *host_json(void)
{
	struct json_object *o = json_object_new_object();
	char host[256] = "";
	struct utsname u;

	gethostname(host, sizeof(host) - 1);
	json_put_str(o, "hostname", host);
	if (!uname(&u)) {
		json_put_str(o, "kernel", u.release);
		json_put_str(o, "arch", u.machine);
	}
	json_put_s64(o, "cpus", sysconf(_SC_NPROCESSORS_ONLN));
	return o;
}

static struct json_object *config_json(const struct report *r)
{
	const struct run_info *run = r->run;
	struct json_object *o = json_object_new_object(), *a, *tags;
	char *line = NULL;
	size_t len = 0;
	FILE *m;
	int i;

	json_put_str(o, "mode", run->mode);
	a = json_object_new_array();
	for (i = 0; i < run->ntargets; i++)
		json_object_array_add(a, json_object_new_int(run->targets[i]));
	json_object_object_add(o, "targets", a);
	json_put_bool(o, "follow", run->follow);
	a = json_object_new_array();
	for (i = 0; i < run->cmd_argc; i++)
		json_object_array_add(a, json_utf8(run->cmd_argv[i], strlen(run->cmd_argv[i])));
	json_object_object_add(o, "command", a);
	m = open_memstream(&line, &len);
	if (m) {
		for (i = 0; i < run->argc; i++)
			fprintf(m, "%s%s", i ? " " : "", run->argv[i]);
		fclose(m);
		json_put_str(o, "command_line", line);
		free(line);
	}
	tags = json_object_new_object();
	for (i = 0; run->tags && i < run->tags->n; i++)
		json_put_str(tags, run->tags->items[i].key, run->tags->items[i].value);
	json_object_object_add(o, "tags", tags);
	json_put_str(o, "taxonomy", run->taxonomy_source);
	json_put_str(o, "osiprof_version", OSIPROF_VERSION);
	return o;
}

static struct json_object *window_json(const struct run_info *run)
{
	struct json_object *o = json_object_new_object();

	json_put_time(o, "start", run->start_ns);
	json_put_time(o, "end", run->end_ns);
	json_put_u64(o, "start_ns", run->start_ns);
	json_put_u64(o, "end_ns", run->end_ns);
	json_put_u64(o, "duration_ns", run->duration_ns);
	return o;
}

static struct json_object *self_json(const struct self_stats *s)
{
	struct json_object *o = json_object_new_object();

	json_put_str(o, "attach", s->attach_kind);
	json_put_u64(o, "bpf_programs", s->nprogs);
	json_put_bool(o, "bpf_stats_enabled", s->stats_enabled);
	/* Only meaningful while the kernel counts (kernel.bpf_stats_enabled). */
	json_put_u64_if(o, "bpf_run_time_ns", s->stats_enabled, s->run_time_ns);
	json_put_u64_if(o, "bpf_run_count", s->stats_enabled, s->run_cnt);
	json_put_u64(o, "map_bytes", s->map_bytes);
	json_put_u64(o, "rss_bytes", s->rss_bytes);
	return o;
}

static struct json_object *sched_json(const struct report *r)
{
	const struct snapshot *s = r->snap;
	const struct osp_sched_counters *c = &s->sched.c;
	struct json_object *o = json_object_new_object(), *n;

	json_put_bool(o, "collected", s->sched_collected);
	if (!s->sched_collected)
		return o;
	json_put_u64(o, "task_clock_ns", c->oncpu_ns);
	n = json_object_new_object();
	json_put_u64(n, "total", c->vol_switches + c->invol_switches);
	json_put_u64(n, "voluntary", c->vol_switches);
	json_put_u64(n, "involuntary", c->invol_switches);
	json_object_object_add(o, "context_switches", n);
	json_put_u64(o, "cpu_migrations", c->migrations);
	n = json_object_new_object();
	json_put_u64(n, "in_syscalls", c->offcpu_sys_ns);
	json_put_u64(n, "outside_syscalls", c->offcpu_ns);
	json_object_object_add(o, "offcpu_ns", n);
	n = json_object_new_object();
	json_put_u64(n, "count", c->runq_count);
	json_put_u64(n, "total_ns", c->runq_ns);
	json_put_dbl(n, "mean_ns", r->runq.mean_ns);
	json_put_u64(n, "p50_ns", llround(r->runq.p50_ns));
	json_put_u64(n, "p90_ns", llround(r->runq.p90_ns));
	json_put_u64(n, "p99_ns", llround(r->runq.p99_ns));
	json_object_object_add(o, "runqueue_latency", n);
	return o;
}

static struct json_object *lifecycle_json(const struct snapshot *s)
{
	struct json_object *o = json_object_new_object();

	json_put_u64(o, "forks", s->sched.c.forks);
	json_put_u64(o, "threads_created", s->sched.c.threads);
	json_put_u64(o, "execs", s->sched.c.execs);
	json_put_u64(o, "thread_exits", s->sched.c.exits);
	json_put_u64(o, "process_exits", s->sched.process_exits);
	return o;
}

static struct json_object *memory_json(const struct report *r)
{
	const struct memory_totals *m = &r->memory;
	struct json_object *o = json_object_new_object(), *n;

	n = json_object_new_object();
	json_put_u64(n, "minor", m->min_flt);
	json_put_u64(n, "major", m->maj_flt);
	json_object_object_add(o, "page_faults", n);
	json_put_u64(o, "rss_bytes", m->rss_bytes);
	json_put_u64(o, "peak_rss_bytes", m->peak_rss_bytes);
	return o;
}

/* The summable figures of a process, of exited ones together, or of what
 * is unattributed. */
static void add_proc_figures(struct json_object *o, const struct report *r,
			     const struct report_proc *rp);

static struct json_object *process_json(const struct report *r, const struct report_proc *rp)
{
	struct json_object *o = json_object_new_object();
	const struct proc_figures *p = rp->p;

	json_put_u64(o, "pid", p->pid);
	json_put_u64(o, "ppid", p->ppid);
	json_put_str(o, "comm", p->pid ? p->comm : "[overflow]");
	json_put_bool(o, "alive", !(p->flags & OSP_PROC_EXITED));
	json_put_bool(o, "followed", p->flags & OSP_PROC_FOLLOWED);
	add_proc_figures(o, r, rp);
	json_put_u64(o, "rss_bytes", p->rss_bytes);
	json_put_u64(o, "peak_rss_bytes", p->peak_rss_bytes);
	return o;
}

static void add_proc_figures(struct json_object *o, const struct report *r,
			     const struct report_proc *rp)
{
	const struct proc_figures *p = rp->p;
	bool sched = r->snap->sched_collected;
	struct json_object *cats, *n;
	int c;

	json_put_u64(o, "syscalls", rp->syscalls);
	json_put_u64(o, "syscall_ns", rp->syscall_ns);
	cats = json_object_new_object();
	for (c = 0; c < r->tax->ncat; c++) {
		if (!p->cats.count[c])
			continue;
		n = json_object_new_object();
		json_put_u64(n, "count", p->cats.count[c]);
		json_put_u64(n, "total_ns", p->cats.total_ns[c]);
		json_put_u64(n, "bytes", p->cats.bytes[c]);
		json_object_object_add(cats, r->tax->names[c], n);
	}
	json_put_u64(o, "bytes", rp->bytes);
	json_object_object_add(o, "categories", cats);
	if (sched) {
		n = json_object_new_object();
		json_put_u64(n, "voluntary", p->sched.vol_switches);
		json_put_u64(n, "involuntary", p->sched.invol_switches);
		json_object_object_add(o, "context_switches", n);
	} else {
		json_object_object_add(o, "context_switches", NULL);
	}
	json_put_u64_if(o, "cpu_migrations", sched, p->sched.migrations);
	json_put_u64_if(o, "task_clock_ns", sched, p->sched.oncpu_ns);
	json_put_u64_if(o, "offcpu_ns", sched, p->sched.offcpu_ns + p->sched.offcpu_sys_ns);
	json_put_u64(o, "threads_created", p->sched.threads);
	json_put_u64(o, "forks", p->sched.forks);
	json_put_u64(o, "execs", p->sched.execs);
	n = json_object_new_object();
	json_put_u64(n, "minor", p->min_flt);
	json_put_u64(n, "major", p->maj_flt);
	json_object_object_add(o, "page_faults", n);
}

/* Per cgroup: where it is, what runs there, and its processes' sums. */
static struct json_object *cgroups_json(const struct report *r)
{
	struct json_object *arr = json_object_new_array(), *o;
	int i;

	for (i = 0; i < r->ncgroups; i++) {
		const struct report_cgroup *g = &r->cgroups[i];

		o = json_object_new_object();
		json_put_u64(o, "id", g->cg->id);
		json_put_str(o, "path", g->cg->path);
		json_put_str(o, "runtime", g->ci.runtime);
		json_put_str(o, "container_id", g->ci.id[0] ? g->ci.id : NULL);
		json_put_str(o, "pod_uid", g->ci.pod_uid[0] ? g->ci.pod_uid : NULL);
		json_put_u64(o, "processes", g->processes);
		add_proc_figures(o, r, &g->sums);
		json_object_array_add(arr, o);
	}
	return arr;
}

/* Files, sockets, pipes...: what the fd-taking calls of each process touched. */
static struct json_object *objects_json(const struct report *r)
{
	struct json_object *arr = json_object_new_array(), *o;
	char dev[24];
	int i;

	for (i = 0; i < r->nobjects; i++) {
		const struct object_entry *e = r->objects[i];

		o = json_object_new_object();
		json_put_str(o, "kind", e->kind);
		json_put_str(o, "name", e->name[0] ? e->name : "[unnamed]");
		json_put_u64(o, "pid", e->key.tgid);
		snprintf(dev, sizeof(dev), "%u:%u", e->key.dev >> 20, e->key.dev & 0xfffff);
		json_put_str(o, "device", dev);
		json_put_u64(o, "inode", e->key.ino);
		json_put_u64(o, "count", e->st.count);
		json_put_u64(o, "errors", e->st.errors);
		json_put_u64(o, "total_ns", e->st.total_ns);
		json_put_u64_if(o, "offcpu_ns", r->snap->sched_collected, e->st.offcpu_ns);
		json_put_u64(o, "bytes", e->st.bytes);
		json_object_array_add(arr, o);
	}
	return arr;
}

static struct json_object *frames_json(const struct stack_table *t, const uint32_t *ids, uint32_t n)
{
	struct json_object *arr = json_object_new_array(), *o;
	uint32_t i;

	for (i = 0; i < n; i++) {
		const struct stack_frame *f = &t->frames[ids[i]];

		o = json_object_new_object();
		json_put_str(o, "symbol", f->symbol);
		json_put_str(o, "module", f->module);
		json_put_u64(o, "offset", f->offset);
		if (f->symbol)
			json_put_u64(o, "symbol_offset", f->sym_offset);
		if (f->file) {
			json_put_str(o, "file", f->file);
			json_put_u64(o, "line", f->line);
		}
		json_object_array_add(arr, o);
	}
	return arr;
}

/* --stacks: where the captured calls came from. */
static struct json_object *stacks_json(const struct report *r)
{
	const struct stack_table *t = &r->snap->stacks;
	struct json_object *arr = json_object_new_array(), *o;
	int i;

	for (i = 0; i < r->nstacks; i++) {
		const struct report_stack *s = &r->stacks[i];

		o = json_object_new_object();
		json_put_str(o, "category", s->category);
		json_put_str(o, "syscall", s->syscall);
		json_put_u64(o, "pid", s->e->pid);
		json_put_str(o, "comm", s->e->comm);
		json_object_object_add(o, "frames", frames_json(t, s->e->frames, s->e->nuser));
		json_object_object_add(o, "kernel_frames",
				       frames_json(t, s->e->frames + s->e->nuser, s->e->nkernel));
		json_put_u64(o, "count", s->e->count);
		json_put_u64(o, "total_ns", s->e->total_ns);
		json_put_u64_if(o, "offcpu_ns", r->snap->sched_collected, s->e->offcpu_ns);
		json_object_array_add(arr, o);
	}
	return arr;
}

static struct json_object *stack_settings_json(const struct stack_settings *set)
{
	struct json_object *o = json_object_new_object();

	json_put_str(o, "unwind", set->unwind == OSP_UNWIND_FP ? "fp" : "dwarf");
	json_put_dbl(o, "threshold_us", set->threshold_ns / 1e3);
	json_put_u64(o, "sample", set->sample);
	json_put_bool(o, "kernel_stacks", set->kernel);
	json_put_u64(o, "stack_bytes", set->stack_bytes);
	json_put_u64(o, "max_stacks", set->max_stacks);
	return o;
}

static struct json_object *exited_json(const struct report *r)
{
	struct json_object *o = json_object_new_object();
	const struct exited_sums *e = &r->snap->exited;

	json_put_u64(o, "count", e->processes);
	json_put_u64(o, "events_lost", e->events_lost);
	add_proc_figures(o, r, &r->exited);
	json_put_u64(o, "peak_rss_bytes", e->f.peak_rss_bytes);
	return o;
}

static struct json_object *gpu_entry(const struct report_gpu *g)
{
	struct json_object *e = json_object_new_object();

	json_put_str(e, "device", g->device);
	json_put_str(e, "name", g->name);
	return e;
}

/* ioctl and mmap on GPU devices: per device, and per device and request. */
static struct json_object *gpu_json(const struct report *r)
{
	struct json_object *o = json_object_new_object(), *arr, *e;
	char buf[32];
	int i;

	arr = json_object_new_array();
	for (i = 0; i < r->run->ngpu_majors; i++)
		json_object_array_add(arr, json_object_new_int(r->run->gpu_majors[i]));
	json_object_object_add(o, "majors", arr);
	arr = json_object_new_array();
	for (i = 0; i < r->ngpu_devices; i++) {
		const struct report_gpu *g = &r->gpu_devices[i];

		e = gpu_entry(g);
		json_put_u64(e, "ioctls", g->ioctls);
		json_put_u64(e, "mmaps", g->mmaps);
		add_latency(e, &g->f);
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "devices", arr);
	arr = json_object_new_array();
	for (i = 0; i < r->ngpu_requests; i++) {
		const struct report_gpu *g = &r->gpu_requests[i];

		e = gpu_entry(g);
		json_put_str(e, "call", g->key->kind == OSP_GPU_MMAP ? "mmap" : "ioctl");
		if (g->key->kind == OSP_GPU_IOCTL) {
			snprintf(buf, sizeof(buf), "0x%08x", g->key->request);
			json_put_str(e, "request", buf);
			json_put_str(e, "dir", g->ioc.dir);
			json_put_u64(e, "type", g->ioc.type);
			snprintf(buf, sizeof(buf), "%c", g->ioc.type >= 0x20 && g->ioc.type < 0x7f ?
				 (int)g->ioc.type : '?');
			json_put_str(e, "type_char", buf);
			json_put_s64(e, "nr", g->ioc.nr);
			json_put_u64(e, "size", g->ioc.size);
			json_put_str(e, "request_name", g->request_name);
		}
		add_latency(e, &g->f);
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "requests", arr);
	return o;
}

/* Every figure again, per phase the program marked (null if not asked for). */
static struct json_object *phases_json(const struct report *r)
{
	const struct snapshot *s = r->snap;
	struct json_object *o = json_object_new_object(), *arr, *e, *cats, *n, *w;
	int i, c;

	json_put_bool(o, "collected", s->phases_collected);
	if (r->run->window_begin) {
		w = json_object_new_object();
		json_put_str(w, "begin", r->run->window_begin);
		json_put_str(w, "end", r->run->window_end);
		json_object_object_add(o, "window", w);
	} else {
		json_object_object_add(o, "window", NULL);
	}
	if (!s->phases_collected)
		return o;
	arr = json_object_new_array();
	for (i = 0; i < r->nphases; i++) {
		const struct report_phase *ph = &r->phases[i];
		const struct phase_figures *pf = ph->pf;

		e = json_object_new_object();
		json_put_str(e, "name", pf->name);
		json_put_u64(e, "id", ph->id);
		json_put_u64(e, "marks", pf->marks);
		json_put_u64(e, "wall_ns", pf->wall_ns);
		cats = json_object_new_object();
		for (c = 0; c < r->tax->ncat; c++) {
			const struct osp_phase_stat *st = &pf->cat[c];

			if (!st->count)
				continue;
			n = json_object_new_object();
			json_put_u64(n, "count", st->count);
			json_put_u64(n, "errors", st->errors);
			json_put_u64(n, "total_ns", st->total_ns);
			json_put_u64_if(n, "offcpu_ns", s->sched_collected, st->offcpu_ns);
			json_object_object_add(cats, r->tax->names[c], n);
		}
		n = json_object_new_object();
		json_put_u64(n, "count", ph->count);
		json_put_u64(n, "errors", ph->errors);
		json_put_u64(n, "total_ns", ph->total_ns);
		json_object_object_add(e, "totals", n);
		json_object_object_add(e, "categories", cats);
		json_object_array_add(arr, e);
	}
	json_object_object_add(o, "list", arr);
	return o;
}

/* The [i386] row: calls by their 32-bit names. */
static void compat_json(struct json_object *row, const struct snapshot *snap)
{
	struct json_object *calls = json_object_new_object();
	char name[32];
	int i;

	json_put_str(row, "abi", "i386");
	for (i = 0; i < snap->ncompat; i++) {
		const char *n = i386_syscall_name(snap->compat[i].nr);

		if (!n) {
			snprintf(name, sizeof(name), "syscall_%u", snap->compat[i].nr);
			n = name;
		}
		json_put_u64(calls, n, snap->compat[i].count);
	}
	json_object_object_add(row, "i386_calls", calls);
}

static struct json_object *daemon_json(const struct daemon_facts *d)
{
	struct json_object *o = json_object_new_object(), *e;

	json_put_s64(o, "pid", d->pid);
	json_put_time(o, "started", d->started_ns);
	json_put_u64(o, "uptime_ns", d->uptime_ns);
	json_put_str(o, "reason", d->reason);
	json_put_dbl(o, "interval_s", d->interval_s);
	json_put_s64(o, "history_capacity", d->history_capacity);
	json_put_u64(o, "snapshot_seq", d->snapshot_seq);
	json_put_u64(o, "snapshots_written", d->snapshots_written);
	json_put_u64(o, "snapshot_failures", d->snapshot_failures);
	json_put_u64(o, "max_processes", d->max_processes);
	e = json_object_new_object();
	json_put_str(e, "path", d->event_log);
	json_put_u64(e, "lines_written", d->event_lines_written);
	json_put_u64(e, "lines_lost", d->event_lines_lost);
	json_object_object_add(o, "event_log", e);
	return o;
}

static struct json_object *report_to_json(const struct report *r)
{
	struct json_object *root = json_object_new_object(), *arr, *o, *errnos;
	const struct snapshot *snap = r->snap;
	int i, e;

	if (!root)
		return NULL;
	json_put_u64(root, "schema_version", OSP_SCHEMA_VERSION);
	arr = json_object_new_array();
	for (i = 0; i < r->nwarnings; i++)
		json_object_array_add(arr, json_object_new_string(r->warnings[i]));
	json_object_object_add(root, "warnings", arr);
	json_object_object_add(root, "host", host_json());
	json_object_object_add(root, "config", config_json(r));
	json_object_object_add(root, "window", window_json(r->run));
	if (r->run->has_exit_status)
		json_put_s64(root, "exit_status", r->run->exit_status);

	o = json_object_new_object();
	add_figures(o, r, &r->totals);
	add_io_size(o, &r->totals.io);
	json_object_object_add(root, "totals", o);

	arr = json_object_new_array();
	for (i = 0; i < r->ncategories; i++) {
		o = json_object_new_object();
		json_put_str(o, "name", r->categories[i].name);
		add_figures(o, r, &r->categories[i]);
		add_io_size(o, &r->categories[i].io);
		json_object_object_add(o, "histogram", histogram_json(r->categories[i].st));
		json_object_array_add(arr, o);
	}
	json_object_object_add(root, "categories", arr);

	arr = json_object_new_array();
	for (i = 0; i < r->nsyscalls; i++) {
		const struct report_row *row = &r->syscalls[i];

		o = json_object_new_object();
		json_put_str(o, "name", row->name);
		json_put_s64(o, "nr", row->nr);
		json_put_str(o, "category", row->category);
		add_figures(o, r, row);
		errnos = json_object_new_object();
		for (e = 0; e < snap->nerrnos; e++)
			if (snap->errnos[e].slot == (uint32_t)row->slot)
				json_put_u64(errnos, errno_name(snap->errnos[e].err), snap->errnos[e].count);
		json_object_object_add(o, "errnos", errnos);
		if (row->slot == OSP_SLOT_COMPAT)
			compat_json(o, snap);
		json_object_array_add(arr, o);
	}
	json_object_object_add(root, "syscalls", arr);

	json_object_object_add(root, "sched", sched_json(r));
	json_object_object_add(root, "lifecycle", lifecycle_json(snap));
	json_object_object_add(root, "gpu", gpu_json(r));
	json_object_object_add(root, "phases", phases_json(r));
	json_object_object_add(root, "memory", memory_json(r));
	arr = json_object_new_array();
	for (i = 0; i < r->nprocs; i++)
		json_object_array_add(arr, process_json(r, &r->procs[i]));
	json_object_object_add(root, "processes", arr);
	json_object_object_add(root, "exited_processes", exited_json(r));
	json_object_object_add(root, "cgroups", cgroups_json(r));
	json_put_bool(root, "objects_collected", r->snap->objects_collected);
	json_object_object_add(root, "objects", objects_json(r));
	json_put_bool(root, "stacks_collected", snap->stacks_collected);
	if (snap->stacks_collected)
		json_object_object_add(root, "stack_settings", stack_settings_json(&snap->stack_settings));
	json_object_object_add(root, "stacks", stacks_json(r));
	o = json_object_new_object();
	add_proc_figures(o, r, &r->unattributed);
	json_object_object_add(root, "unattributed", o);

	o = json_object_new_object();
	for (i = 0; i < OSP_DROP_NR; i++)	/* a drop without a name still shows */
		json_put_u64(o, drop_name(i), snap->drops[i]);
	json_put_u64(o, "stack_table_full", snap->stacks.drops.table_full);
	json_put_u64(o, "stack_unwind_no_mappings", snap->stacks.drops.no_mappings);
	json_put_u64(o, "stack_unwind_no_stack", snap->stacks.drops.stack_unreadable);
	json_put_u64(o, "stack_unwind_failed", snap->stacks.drops.unwind_failed);
	json_object_object_add(root, "dropped", o);
	o = self_json(&r->run->self);
	json_put_u64(o, "poll_bytes", snap->poll_bytes);
	json_put_u64(o, "poll_ns", snap->poll_ns);
	json_put_u64_if(o, "stack_collect_ns", snap->stacks_collected, snap->stacks.collect_ns);
	json_put_u64(o, "events_lost", snap->drops[OSP_DROP_RINGBUF]);
	json_put_u64(o, "map_full_failures", snap->drops[OSP_DROP_TARGETS_FULL] +
		snap->drops[OSP_DROP_ERRNO_FULL] + snap->drops[OSP_DROP_TASK_STORAGE]);
	json_object_object_add(root, "self", o);
	if (r->run->daemon) {
		json_object_object_add(root, "intervals", history_json(r->run->daemon->history, r->tax,
								       snap->sched_collected));
		json_object_object_add(root, "daemon", daemon_json(r->run->daemon));
	}
	return root;
}

char *report_json_text(const struct report *r)
{
	struct json_object *root = report_to_json(r);
	char *text;

	if (!root)
		return NULL;
	json_c_set_serialization_double_format("%.10g", JSON_C_OPTION_GLOBAL);
	text = strdup(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return text;
}

int report_write_json(FILE *f, const struct report *r)
{
	char *text = report_json_text(r);

	if (!text)
		return -ENOMEM;
	fputs(text, f);
	fputc('\n', f);
	free(text);
	return ferror(f) ? -EIO : 0;
}
