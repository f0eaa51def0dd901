// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include "collect/ksyms.h"
#include "collect/stacks.h"
#include "collect/unwind.h"
#include "load/tracer.h"
#include "model/objects.h"

/* --unwind fp: a kernel count's stacks, named once (the kernel's counts are
 * read again at every poll; their stacks never change). */
struct fp_named {
	struct osp_stack_key key;
	uint32_t *frames;		/* NULL: an empty slot */
	uint32_t nuser, nkernel;
};

struct stack_collector {
	struct snapshot *snap;
	struct unwinder *uw;
	struct ksyms *ksyms;
	int traces_fd, counts_fd;
	uint64_t ips[OSP_STACK_DEPTH];
	uint32_t frames[UNWIND_MAX_FRAMES + OSP_STACK_DEPTH];
	struct fp_named *named;		/* open addressing, a power of two */
	size_t nnamed, named_cap;
	bool incomplete;		/* a frame of the stack being named did not fit */
};

struct stack_collector *stack_collector_new(struct tracer *t, struct snapshot *snap,
					    const struct stack_settings *set)
{
	struct stack_collector *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->snap = snap;
	c->uw = unwinder_new();
	if (!c->uw) {
		free(c);
		return NULL;
	}
	if (set->kernel)
		c->ksyms = ksyms_load();
	c->traces_fd = tracer_map_fd(t, TRACER_MAP_STACK_TRACES);
	c->counts_fd = tracer_map_fd(t, TRACER_MAP_STACK_COUNTS);
	snap->stacks_collected = true;
	snap->stack_settings = *set;
	stack_table_init(&snap->stacks, set->max_stacks);
	return c;
}

static bool is_tracing_frame(const char *symbol)
{
	return symbol && (!strncmp(symbol, "bpf_prog_", 9) || !strncmp(symbol, "bpf_trace_run", 13) ||
			  !strncmp(symbol, "__bpf_trace_", 12));
}

/* Kernel frames of a stack-map id, innermost first, into c->frames[at..). */
static uint32_t kernel_frames(struct stack_collector *c, int32_t id, uint32_t at)
{
	struct stack_table *t = &c->snap->stacks;
	uint32_t i, n = 0;
	bool tracing = true;

	if (id < 0 || bpf_map_lookup_elem(c->traces_fd, &id, c->ips))
		return 0;
	for (i = 0; i < OSP_STACK_DEPTH && c->ips[i]; i++) {
		struct stack_frame f = { .module = "[kernel]", .path = "[kernel]", .kernel = true };
		long fid = stack_frame_find(t, true, "[kernel]", c->ips[i]);

		if (fid < 0) {
			f.offset = c->ips[i];
			f.symbol = (char *)ksyms_find(c->ksyms, c->ips[i], &f.sym_offset);
			fid = stack_frame_add(t, &f);
		}
		if (fid < 0) {
			c->incomplete = true;
			break;
		}
		/* The innermost frames are osiprof's own program and the
		 * tracepoint's trampoline: not the workload's. */
		if (tracing && is_tracing_frame(t->frames[fid].symbol))
			continue;
		tracing = false;
		c->frames[at + n++] = (uint32_t)fid;
	}
	return n;
}

/* User addresses, innermost first, into c->frames[0..). */
static uint32_t user_frames(struct stack_collector *c, uint32_t pid, const uint64_t *pcs, uint32_t n)
{
	uint32_t i, k = 0;

	for (i = 0; i < n; i++) {
		long fid = unwinder_frame(c->uw, pid, pcs[i], &c->snap->stacks);

		if (fid < 0) {
			c->incomplete = true;
			break;
		}
		c->frames[k++] = (uint32_t)fid;
	}
	return k;
}

static void on_dwarf_stack(struct stack_collector *c, const struct osp_ev_stack *e, size_t len)
{
	struct stack_drops *d = &c->snap->stacks.drops;
	uint64_t pcs[UNWIND_MAX_FRAMES];
	struct stack_entry *s;
	uint32_t n, nuser, nkernel;
	char comm[sizeof(e->comm) + 1];

	if (len < sizeof(*e) || e->stack_len > len - sizeof(*e))
		return;
	memcpy(comm, e->comm, sizeof(e->comm));
	comm[sizeof(e->comm)] = '\0';
	switch (unwinder_unwind(c->uw, e->pid, e->tid, e->regs, e->stack, e->stack_len,
				pcs, UNWIND_MAX_FRAMES, &n)) {
	case UNWIND_OK: break;
	case UNWIND_NO_MAPPINGS: d->no_mappings++; break;
	case UNWIND_NO_STACK: d->stack_unreadable++; break;
	case UNWIND_FAILED:	/* a new image's entry point has no caller */
		if (!(e->slot == SYS_execve || e->slot == SYS_execveat))
			d->unwind_failed++;
		break;
	}
	c->incomplete = false;
	nuser = user_frames(c, e->pid, pcs, n);
	nkernel = kernel_frames(c, e->kstack, nuser);
	if (c->incomplete) {	/* the frame table is full: a cut stack would mislead */
		d->table_full++;
		return;
	}
	s = stack_get(&c->snap->stacks, e->pid, e->slot, comm, c->frames, nuser, nkernel);
	if (!s)
		return;
	s->count++;
	s->total_ns += e->latency_ns;
	s->offcpu_ns += e->offcpu_ns;
}

static void on_mapping(struct stack_collector *c, const struct osp_ev_mapping *m)
{
	char path[OSP_OBJ_COMPONENTS * OSP_OBJ_COMPONENT_MAX + 1];

	path_join(path, sizeof(path), m->components, m->ncomponents);
	unwinder_mapping(c->uw, m->pid, m->start, m->end, m->pgoff, m->dev, m->ino, path, m->exec);
}

static uint64_t thread_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void stack_collector_event(struct stack_collector *c, const void *data, size_t len)
{
	const struct osp_ev_slow *e = data;
	uint64_t t0;

	if (!c || len < sizeof(uint32_t))
		return;
	t0 = thread_ns();
	if (e->type == OSP_EV_STACK)
		on_dwarf_stack(c, data, len);
	else if (e->type == OSP_EV_STACK_PID && len >= sizeof(*e) && e->ret == 1)
		unwinder_exec(c->uw, e->pid);
	else if (e->type == OSP_EV_STACK_PID && len >= sizeof(*e) && e->ret == 2)
		unwinder_fork(c->uw, e->pid, e->slot);
	else if (e->type == OSP_EV_MAPPING && len >= sizeof(struct osp_ev_mapping))
		on_mapping(c, data);
	else if (e->type == OSP_EV_STACK_PID && len >= sizeof(*e))
		unwinder_refresh(c->uw, e->pid);	/* a new fp stack: maybe new mappings */
	c->snap->stacks.collect_ns += thread_ns() - t0;
}

static size_t key_hash(const struct osp_stack_key *k)
{
	uint64_t h = ((uint64_t)k->pid << 32 | k->slot) * 0x9e3779b97f4a7c15ULL;

	h ^= ((uint64_t)(uint32_t)k->ustack << 32 | (uint32_t)k->kstack) * 0xff51afd7ed558ccdULL;
	return (size_t)(h ^ (h >> 29));
}

static struct fp_named *named_slot(struct fp_named *v, size_t cap, const struct osp_stack_key *k)
{
	size_t h = key_hash(k) & (cap - 1);

	while (v[h].frames && memcmp(&v[h].key, k, sizeof(*k)))
		h = (h + 1) & (cap - 1);
	return &v[h];
}

static void named_clear(struct stack_collector *c)
{
	size_t i;

	for (i = 0; i < c->named_cap; i++)
		free(c->named[i].frames);
	free(c->named);
	c->named = NULL;
	c->nnamed = c->named_cap = 0;
}

/* Room for one more; the cache is dropped (and rebuilt) past four times
 * the table's bound: stacks of processes long gone are not kept. */
static bool named_reserve(struct stack_collector *c)
{
	size_t cap = c->named_cap ? 2 * c->named_cap : 1024, i;
	struct fp_named *v;

	if (c->nnamed > 4 * c->snap->stacks.max + 1024)
		named_clear(c);
	if (2 * (c->nnamed + 1) <= c->named_cap)
		return true;
	v = calloc(cap, sizeof(*v));
	if (!v)
		return false;
	for (i = 0; i < c->named_cap; i++)
		if (c->named[i].frames)
			*named_slot(v, cap, &c->named[i].key) = c->named[i];
	free(c->named);
	c->named = v;
	c->named_cap = cap;
	return true;
}

/* The named stacks of a kernel count, resolved on first sight. */
static const struct fp_named *fp_named(struct stack_collector *c, const struct osp_stack_key *k)
{
	uint32_t n = 0, nuser = 0, nkernel;
	struct fp_named *e;

	if (c->named_cap && (e = named_slot(c->named, c->named_cap, k))->frames)
		return e;
	c->incomplete = false;
	if (k->ustack >= 0 && !bpf_map_lookup_elem(c->traces_fd, &k->ustack, c->ips)) {
		uint64_t pcs[OSP_STACK_DEPTH];

		for (n = 0; n < OSP_STACK_DEPTH && c->ips[n]; n++)
			pcs[n] = n ? c->ips[n] - 1 : c->ips[n];	/* return addresses: the call */
		unwinder_remember(c->uw, k->pid);
		nuser = user_frames(c, k->pid, pcs, n);
	}
	nkernel = kernel_frames(c, k->kstack, nuser);
	if (c->incomplete || !named_reserve(c))
		return NULL;
	e = named_slot(c->named, c->named_cap, k);
	e->frames = malloc((nuser + nkernel ?: 1) * sizeof(*e->frames));
	if (!e->frames)
		return NULL;
	memcpy(e->frames, c->frames, (nuser + nkernel) * sizeof(*e->frames));
	e->key = *k;
	e->nuser = nuser;
	e->nkernel = nkernel;
	c->nnamed++;
	return e;
}

/* One kernel count: its stacks named, its figures (cumulative) set. */
static int set_fp_entry(struct stack_collector *c, const struct osp_stack_key *k,
			const struct osp_stack_stat *v)
{
	const struct proc_figures *p = snapshot_proc(c->snap, k->pid);
	const struct fp_named *nm = fp_named(c, k);
	struct stack_entry *s;

	if (!nm && c->incomplete) {	/* the frame table is full */
		c->snap->stacks.drops.table_full++;
		return 0;
	}
	if (!nm)
		return -ENOMEM;
	s = stack_get(&c->snap->stacks, k->pid, k->slot, p ? p->comm : "", nm->frames, nm->nuser,
		      nm->nkernel);
	if (!s)
		return 0;
	s->count = v->count;
	s->total_ns = v->total_ns;
	s->offcpu_ns = v->offcpu_ns;
	return 0;
}

int stack_collector_poll(struct stack_collector *c)
{
	struct osp_stack_key k, next, *prev = NULL;
	struct osp_stack_stat v;
	uint64_t t0;
	int err;

	if (!c || c->snap->stack_settings.unwind != OSP_UNWIND_FP)
		return 0;
	t0 = thread_ns();
	/* Every poll offers the kernel's entries again: what does not fit is
	 * counted afresh. */
	c->snap->stacks.drops.table_full = 0;
	while (!bpf_map_get_next_key(c->counts_fd, prev, &next)) {
		k = next;
		prev = &k;
		if (bpf_map_lookup_elem(c->counts_fd, &k, &v))
			continue;	/* deleted meanwhile */
		if ((err = set_fp_entry(c, &k, &v)))
			goto out;
	}
	err = errno == ENOENT ? 0 : -errno;
out:
	c->snap->stacks.collect_ns += thread_ns() - t0;
	return err;
}

static bool is_gone(uint32_t pid, void *ctx)
{
	return !snapshot_proc(ctx, pid);
}

void stack_collector_retire(struct stack_collector *c)
{
	struct osp_stack_key k, next, *prev = NULL;

	if (!c)
		return;
	if (c->snap->stack_settings.unwind == OSP_UNWIND_FP) {
		while (!bpf_map_get_next_key(c->counts_fd, prev, &next)) {
			k = next;
			if (is_gone(k.pid, c->snap) && !bpf_map_delete_elem(c->counts_fd, &k))
				continue;	/* deleted: next from the same place */
			prev = &k;
		}
	}
	stack_table_retire(&c->snap->stacks, is_gone, c->snap);
}

void stack_collector_free(struct stack_collector *c)
{
	if (!c)
		return;
	named_clear(c);
	unwinder_free(c->uw);
	ksyms_free(c->ksyms);
	free(c);
}
