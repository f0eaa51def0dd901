// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "collect/collector.h"
#include "collect/cgroup_paths.h"
#include "collect/fold.h"
#include "collect/stacks.h"
#include "base/log.h"
#include "load/tracer.h"

struct collector {
	struct tracer *tracer;
	int ncpus;
	struct osp_sys_stat *percpu;	/* buffer for one per-CPU lookup */
	struct osp_touched *touched;	/* buffer for the per-CPU touched bitmaps */
	uint32_t *last_hist[OSP_NR_SLOTS];	/* per touched slot: [cpu][bucket], raw */
	uint32_t *last_io[OSP_MAX_CATEGORIES];	/* per category with I/O sizes, the same */
	struct osp_sched_stat *sched_percpu;
	uint32_t *last_runq;		/* [cpu][bucket] */
	struct snapshot *snap;
	long page_size;
	bool prune;
	uint32_t **gpu_last;		/* per GPU entry: [cpu][bucket] raw values */
	struct stack_collector *stacks;	/* --stacks */
	int (*drain)(void *ctx);	/* consumes pending exit events */
	void *drain_ctx;
	/* Late threads' figures (OSP_EV_LATE_THREAD), held until the next
	 * poll's thread read, which can no longer count them live. */
	struct proc_figures *late;
	int nlate;
};

#define LATE_MAX	1024

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
	c->touched = calloc(c->ncpus, sizeof(struct osp_touched));
	c->sched_percpu = calloc(c->ncpus, sizeof(struct osp_sched_stat));
	c->last_runq = calloc((size_t)c->ncpus * OSP_HIST_BUCKETS, sizeof(uint32_t));
	c->snap = snapshot_new();
	if (!c->percpu || !c->touched || !c->sched_percpu || !c->last_runq || !c->snap)
		goto err;
	c->snap->sched_collected = tracer_has_sched(t);
	c->snap->phases_collected = tracer_has_phases(t);
	c->snap->objects_collected = tracer_has_objects(t);
	c->page_size = sysconf(_SC_PAGESIZE);
	return c;
err:
	collector_free(c);
	return NULL;
}

/* I/O sizes of the categories that moved bytes (the touched bitmap again). */
static int read_io_sizes(struct collector *c)
{
	int fd = tracer_map_fd(c->tracer, TRACER_MAP_IO_SIZES), cpu;
	uint64_t bits = 0;
	uint32_t cat;

	for (cpu = 0; cpu < c->ncpus; cpu++)
		bits |= c->touched[cpu].io_cats;
	for (; bits; bits &= bits - 1) {
		cat = (uint32_t)__builtin_ctzll(bits);
		if (cat >= OSP_MAX_CATEGORIES)
			break;
		if (!c->last_io[cat] &&
		    !(c->last_io[cat] = calloc((size_t)c->ncpus * FOLD_STRIDE, sizeof(uint32_t))))
			return -ENOMEM;
		if (bpf_map_lookup_elem(fd, &cat, c->percpu))
			return -errno;
		fold_percpu(c->percpu, c->ncpus, &c->snap->io_sizes[cat], c->last_io[cat]);
		c->snap->poll_bytes += (uint64_t)c->ncpus * sizeof(struct osp_sys_stat);
	}
	return 0;
}

/* Per object: the map's cumulative figures (names come from events). */
static int read_objects(struct collector *c)
{
	int fd = tracer_map_fd(c->tracer, TRACER_MAP_OBJECTS);
	struct osp_obj_key key, next, *prev = NULL;
	struct object_entry *e;
	struct osp_obj_stat v;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &v))
			continue;
		e = object_get(&c->snap->objects, &key);
		if (!e)
			return -ENOMEM;
		e->st = v;
	}
	return 0;
}

int collector_enable_stacks(struct collector *c, const struct stack_settings *set)
{
	c->stacks = stack_collector_new(c->tracer, c->snap, set);
	return c->stacks ? 0 : -ENOMEM;
}

void collector_event(struct collector *c, const void *data, size_t len)
{
	const struct osp_ev_object *ev = data;
	struct object_entry *e;

	if (len < sizeof(ev->type))
		return;
	if (ev->type == OSP_EV_STACK || ev->type == OSP_EV_STACK_PID || ev->type == OSP_EV_MAPPING) {
		stack_collector_event(c->stacks, data, len);
		return;
	}
	if (len < sizeof(*ev) || ev->type != OSP_EV_OBJECT)
		return;
	e = object_get(&c->snap->objects, &ev->key);
	if (e)
		object_name(e, ev);
}

/* The slots in use: only those are copied out of the kernel, so a poll
 * costs what the targets touched, not every syscall number times CPUs. */
static int read_slots(struct collector *c)
{
	int fd = tracer_map_fd(c->tracer, TRACER_MAP_SYS_STATS), cpu, w;
	uint32_t zero = 0, slot;
	uint64_t bits;

	if (bpf_map_lookup_elem(tracer_map_fd(c->tracer, TRACER_MAP_TOUCHED), &zero, c->touched))
		return -errno;
	c->snap->poll_bytes = (uint64_t)c->ncpus * sizeof(struct osp_touched);
	for (w = 0; w < OSP_TOUCHED_WORDS; w++) {
		for (bits = 0, cpu = 0; cpu < c->ncpus; cpu++)
			bits |= c->touched[cpu].bits[w];
		for (; bits; bits &= bits - 1) {
			slot = (uint32_t)(w * 64 + __builtin_ctzll(bits));
			if (slot >= OSP_NR_SLOTS)
				break;
			if (!c->last_hist[slot] &&
			    !(c->last_hist[slot] = calloc((size_t)c->ncpus * FOLD_STRIDE, sizeof(uint32_t))))
				return -ENOMEM;
			if (bpf_map_lookup_elem(fd, &slot, c->percpu))
				return -errno;
			fold_percpu(c->percpu, c->ncpus, &c->snap->slots[slot], c->last_hist[slot]);
			c->snap->poll_bytes += (uint64_t)c->ncpus * sizeof(struct osp_sys_stat);
		}
	}
	return read_io_sizes(c);
}

/* Per GPU device and request; entries only ever appear (up to the map size). */
static int read_gpu(struct collector *c)
{
	int fd = tracer_map_fd(c->tracer, TRACER_MAP_GPU_REQS), i;
	struct osp_gpu_key key, next, *prev = NULL;
	struct gpu_req_stats *n;
	uint32_t **nl;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, c->percpu))
			continue;
		for (i = 0; i < c->snap->ngpu; i++)
			if (!memcmp(&c->snap->gpu[i].key, &key, sizeof(key)))
				break;
		if (i == c->snap->ngpu) {
			n = realloc(c->snap->gpu, (i + 1) * sizeof(*n));
			if (n)
				c->snap->gpu = n;
			nl = realloc(c->gpu_last, (i + 1) * sizeof(*nl));
			if (nl)
				c->gpu_last = nl;
			if (!n || !nl)
				return -ENOMEM;
			memset(&n[i], 0, sizeof(n[i]));
			n[i].key = key;
			nl[i] = calloc((size_t)c->ncpus * FOLD_STRIDE, sizeof(uint32_t));
			if (!nl[i])
				return -ENOMEM;
			c->snap->ngpu++;
		}
		fold_percpu(c->percpu, c->ncpus, &c->snap->gpu[i].st, c->gpu_last[i]);
	}
	return 0;
}

/* Phase names, spans and per-category figures (sums of per-CPU values). */
static int read_phases(struct collector *c)
{
	int ids = tracer_map_fd(c->tracer, TRACER_MAP_PHASE_IDS);
	int st = tracer_map_fd(c->tracer, TRACER_MAP_PHASE_STATS);
	int inf = tracer_map_fd(c->tracer, TRACER_MAP_PHASE_INFO);
	char key[OSP_PHASE_NAME_MAX], next[OSP_PHASE_NAME_MAX], *prev = NULL;
	struct osp_phase_stat *ps;
	struct osp_phase_info pi;
	uint32_t id, k, cat;
	int cpu;

	if (!c->snap->phases_collected)
		return 0;
	snprintf(c->snap->phases[0].name, OSP_PHASE_NAME_MAX, "(before the first mark)");
	while (!bpf_map_get_next_key(ids, prev, next)) {
		memcpy(key, next, sizeof(key));
		prev = key;
		if (!bpf_map_lookup_elem(ids, key, &id) && id < OSP_MAX_PHASES)
			memcpy(c->snap->phases[id].name, key, OSP_PHASE_NAME_MAX);
	}
	ps = calloc(c->ncpus, sizeof(*ps));
	if (!ps)
		return -ENOMEM;
	for (id = 0; id < OSP_MAX_PHASES; id++) {
		struct phase_figures *pf = &c->snap->phases[id];

		if (!bpf_map_lookup_elem(inf, &id, &pi)) {
			pf->wall_ns = pi.wall_ns;
			pf->marks = pi.marks;
		}
		for (cat = 0; cat < OSP_MAX_CATEGORIES; cat++) {
			k = id * OSP_MAX_CATEGORIES + cat;
			memset(&pf->cat[cat], 0, sizeof(pf->cat[cat]));
			if (bpf_map_lookup_elem(st, &k, ps))
				continue;
			for (cpu = 0; cpu < c->ncpus; cpu++) {
				pf->cat[cat].count += ps[cpu].count;
				pf->cat[cat].errors += ps[cpu].errors;
				pf->cat[cat].total_ns += ps[cpu].total_ns;
				pf->cat[cat].offcpu_ns += ps[cpu].offcpu_ns;
			}
		}
	}
	free(ps);
	return 0;
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

static int read_compat(struct collector *c)
{
	int fd = tracer_map_fd(c->tracer, TRACER_MAP_COMPAT_NRS), cpu;
	uint32_t key, next, *prev = NULL;
	uint64_t *vals = calloc(c->ncpus, sizeof(uint64_t));

	if (!vals)
		return -ENOMEM;
	c->snap->ncompat = 0;
	while (!bpf_map_get_next_key(fd, prev, &next) && c->snap->ncompat < OSP_MAX_SYSCALL_NR) {
		struct compat_count *cc = &c->snap->compat[c->snap->ncompat];

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, vals))
			continue;
		cc->nr = key;
		cc->count = 0;
		for (cpu = 0; cpu < c->ncpus; cpu++)
			cc->count += vals[cpu];
		c->snap->ncompat += cc->count > 0;
	}
	free(vals);
	return 0;
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

#define PROC_UNSEEN	(1U << 31)	/* not in the map at this read */
#define PROC_MEM_PENDING (1U << 30)	/* live: memory figures from its first thread record */

void collector_set_prune(struct collector *c, bool prune)
{
	c->prune = prune;
}

static void add_counters(struct osp_sched_counters *dst, const struct osp_sched_counters *src)
{
	uint64_t *d = (uint64_t *)dst;
	const uint64_t *x = (const uint64_t *)src;
	size_t i;

	for (i = 0; i < sizeof(*dst) / sizeof(uint64_t); i++)
		d[i] += x[i];
}

static void add_cats(struct osp_cat_totals *dst, const struct osp_cat_totals *src)
{
	int i;

	for (i = 0; i < OSP_MAX_CATEGORIES; i++) {
		dst->count[i] += src->count[i];
		dst->total_ns[i] += src->total_ns[i];
		dst->bytes[i] += src->bytes[i];
	}
}

static int read_sched(struct collector *c)
{
	int fd = tracer_map_fd(c->tracer, TRACER_MAP_SCHED_STATS);
	struct sched_totals *dst = &c->snap->sched;
	uint32_t zero = 0;
	int cpu, b;

	if (bpf_map_lookup_elem(fd, &zero, c->sched_percpu))
		return -errno;
	memset(&dst->c, 0, sizeof(dst->c));
	dst->process_exits = 0;
	for (cpu = 0; cpu < c->ncpus; cpu++) {
		const struct osp_sched_stat *s = &c->sched_percpu[cpu];
		uint32_t *last = &c->last_runq[(size_t)cpu * OSP_HIST_BUCKETS];

		add_counters(&dst->c, &s->c);
		dst->process_exits += s->process_exits;
		for (b = 0; b < OSP_HIST_BUCKETS; b++) {
			dst->runq_hist[b] += (uint32_t)(s->runq_hist[b] - last[b]);
			last[b] = s->runq_hist[b];
		}
	}
	return 0;
}

/* Faults (since counting began) and RSS of a live process, from /proc. */
static void add_thread(const struct osp_thread_rec *rec, void *ctx)
{
	struct collector *c = ctx;
	struct proc_figures *p = snapshot_proc(c->snap, rec->tgid);

	/* Reclaiming, with room in the map: a process that began or ended
	 * between the map's read and the iterator's, not one that did not
	 * fit. Its own row until the next poll settles it. */
	if (!p && c->prune && !c->snap->drops[OSP_DROP_TARGETS_FULL] &&
	    (p = snapshot_add_proc(c->snap, rec->tgid))) {
		memcpy(p->comm, rec->comm, sizeof(p->comm));
		p->cgid = rec->cgid;
	}
	if (!p)
		p = snapshot_proc(c->snap, 0);	/* its process did not fit */
	if (!p)
		return;
	add_counters(&p->sched, &rec->sched);
	add_cats(&p->cats, &rec->cats);
	if (!p->pid || (p->flags & OSP_PROC_EXITED))
		return;
	/* Faults: every live thread's own, plus (once) its dead threads'. */
	p->min_flt += rec->min_flt;
	p->maj_flt += rec->maj_flt;
	if (p->flags & PROC_MEM_PENDING) {
		uint64_t rss = rec->rss_pages * c->page_size, hw = rec->hiwater_pages * c->page_size;

		p->min_flt += rec->sig_min_flt - p->min_flt_base;
		p->maj_flt += rec->sig_maj_flt - p->maj_flt_base;
		p->rss_bytes = rss;
		if (rss > hw)	/* the kernel raises hiwater lazily, as VmHWM shows it */
			hw = rss;
		if (hw > p->peak_rss_bytes)
			p->peak_rss_bytes = hw;
		p->flags &= ~PROC_MEM_PENDING;
	}
	/* Names change (PR_SET_NAME): the leader's current one is the process's. */
	if (rec->tid == rec->tgid && p->pid) {
		memcpy(p->comm, rec->comm, sizeof(p->comm));
		if (rec->cgid)
			p->cgid = rec->cgid;	/* moved since (cgroup.procs) */
	}
}

/* A process's figures as its map entry or exit event has them (faults and
 * peak RSS are final once it has exited; a live one's come from /proc). */
static void final_figures(const struct collector *c, uint32_t pid, const struct osp_proc *v,
			  struct proc_figures *f)
{
	memset(f, 0, sizeof(*f));
	f->pid = pid;
	f->ppid = v->ppid;
	memcpy(f->comm, v->comm, sizeof(f->comm));
	f->flags = v->flags;
	f->cats = v->cats;
	f->sched = v->sched;
	f->start_ns = v->start_ns;
	f->exit_ns = v->exit_ns;
	f->min_flt = v->min_flt;
	f->maj_flt = v->maj_flt;
	f->peak_rss_bytes = v->peak_rss_pages * c->page_size;
	f->cgid = v->cgid;
}

void collector_account_exit(struct collector *c, const struct osp_ev_exit *e)
{
	struct proc_figures f;

	final_figures(c, e->pid, &e->proc, &f);
	if (e->type != OSP_EV_LATE_THREAD) {
		snapshot_retire_proc(c->snap, &f, false);
		return;
	}
	/* The last thread read may have counted it live: its figures join
	 * the exited at the next poll, once it reads as gone. */
	if (!c->late)
		c->late = calloc(LATE_MAX, sizeof(*c->late));
	if (c->late && c->nlate < LATE_MAX)
		c->late[c->nlate++] = f;
	else	/* a flood: at once (this snapshot may count it live as well) */
		snapshot_retire_late_thread(c->snap, &f);
}

/* Late threads queued before this poll's thread read (the first n). */
static void retire_late(struct collector *c, int n)
{
	int i;

	if (!n)
		return;
	for (i = 0; i < n; i++)
		snapshot_retire_late_thread(c->snap, &c->late[i]);
	c->nlate -= n;
	memmove(c->late, c->late + n, (size_t)c->nlate * sizeof(*c->late));
}

/* Processes: exited threads from the map, live threads from the iterator. */
static int read_procs(struct collector *c)
{
	int fd = tracer_map_fd(c->tracer, TRACER_MAP_PROCS);
	uint32_t key, next, *prev = NULL;
	struct proc_figures *pf, f;
	uint64_t peak_seen;
	struct osp_proc v;
	int i, n, err;

	for (i = 0; i < c->snap->nprocs; i++)
		c->snap->procs[i].flags |= PROC_UNSEEN;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &v))
			continue;
		/* Reclaiming, and its exit event was lost: the entry itself
		 * carries the final totals. Whoever deletes it counts it. */
		if (c->prune && key && (v.flags & OSP_PROC_EVENT_LOST)) {
			if (!bpf_map_delete_elem(fd, &key)) {
				final_figures(c, key, &v, &f);
				snapshot_retire_proc(c->snap, &f, true);
			}
			continue;
		}
		pf = snapshot_proc(c->snap, key);
		if (!pf && !(pf = snapshot_add_proc(c->snap, key)))
			return -ENOMEM;
		peak_seen = pf->peak_rss_bytes;
		final_figures(c, key, &v, pf);	/* flags: also clears PROC_UNSEEN */
		if (!(v.flags & OSP_PROC_EXITED) && key) {
			pf->flags |= PROC_MEM_PENDING;
			pf->min_flt_base = v.min_flt_base;
			pf->maj_flt_base = v.maj_flt_base;
		}
		if (peak_seen > pf->peak_rss_bytes)
			pf->peak_rss_bytes = peak_seen;
	}
	/* Entries reclaimed in BPF: dropped (daemon) or kept with their last figures. */
	for (i = 0, n = 0; i < c->snap->nprocs; i++) {
		struct proc_figures *p = &c->snap->procs[i];

		if (c->prune && (p->flags & PROC_UNSEEN))
			continue;
		p->flags &= ~PROC_UNSEEN;
		c->snap->procs[n++] = *p;
	}
	if (c->snap->nprocs != n)
		snapshot_procs_changed(c->snap);
	c->snap->nprocs = n;
	err = tracer_read_threads(c->tracer, add_thread, c);
	for (i = 0; i < c->snap->nprocs; i++) {
		struct proc_figures *p = &c->snap->procs[i];

		if (!snapshot_cgroup(c->snap, p->pid ? p->cgid : 0))
			return -ENOMEM;
		/* A process between its last thread's exit and the map's
		 * update has no thread record: no memory figures this time. */
		p->flags &= ~PROC_MEM_PENDING;
		if ((int64_t)p->min_flt < 0)
			p->min_flt = 0;
		if ((int64_t)p->maj_flt < 0)
			p->maj_flt = 0;
	}
	return err;
}

void collector_set_drain(struct collector *c, int (*drain)(void *ctx), void *ctx)
{
	c->drain = drain;
	c->drain_ctx = ctx;
}

/* Order matters: processes and threads first, then the exit events queued
 * meanwhile, then the global figures. BPF adds to a global counter before
 * it adds to a thread's, so no process can ever be ahead of the totals; what
 * targets did between the two reads shows as the report's "unattributed"
 * (none at all once the probes are detached, as at the end of `record`). */
int collector_poll(struct collector *c)
{
	struct timespec ts, t0;
	uint32_t slot;
	int err, nlate;

	clock_gettime(CLOCK_MONOTONIC, &t0);

	nlate = c->nlate;
	err = read_procs(c);
	if (!err)
		retire_late(c, nlate);
	if (!err && c->drain)
		err = c->drain(c->drain_ctx);
	if (!err)
		err = read_sched(c);
	if (!err)
		err = read_drops(c);
	if (!err)
		err = read_errnos(c);
	if (!err)
		err = read_compat(c);
	if (!err && (err = read_slots(c)))
		err("reading syscall statistics: %s", strerror(-err));
	/* A slot's failures are the sum of its errnos, read once: the two can
	 * then never disagree. Only when the errno map overflowed do the
	 * kernel's own counts stand (and dropped.errno_map_full says why). */
	if (!err && !c->snap->drops[OSP_DROP_ERRNO_FULL]) {
		for (slot = 0; slot < OSP_NR_SLOTS; slot++)
			c->snap->slots[slot].errors = 0;
		for (slot = 0; slot < (uint32_t)c->snap->nerrnos; slot++)
			c->snap->slots[c->snap->errnos[slot].slot].errors += c->snap->errnos[slot].count;
	}
	if (!err)
		err = read_gpu(c);
	if (!err)
		err = read_phases(c);
	if (!err && c->snap->objects_collected)
		err = read_objects(c);
	if (!err && c->stacks) {
		err = stack_collector_poll(c->stacks);
		if (!err && c->prune)
			stack_collector_retire(c->stacks);
	}
	if (err)
		err("reading BPF maps: %s", strerror(-err));
	else
		cgroup_paths_resolve(c->snap);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	c->snap->taken_ns = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	c->snap->poll_ns = c->snap->taken_ns - ((uint64_t)t0.tv_sec * 1000000000ULL + t0.tv_nsec);
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
	for (int i = 0; c->snap && i < c->snap->ngpu; i++)
		free(c->gpu_last[i]);
	free(c->gpu_last);
	stack_collector_free(c->stacks);
	free(c->late);
	snapshot_free(c->snap);
	free(c->last_runq);
	free(c->sched_percpu);
	for (int i = 0; i < OSP_NR_SLOTS; i++)
		free(c->last_hist[i]);
	for (int i = 0; i < OSP_MAX_CATEGORIES; i++)
		free(c->last_io[i]);
	free(c->touched);
	free(c->percpu);
	free(c);
}
