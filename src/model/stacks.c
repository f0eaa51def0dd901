// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/stacks.h"

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdULL;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
	while (s && *s)
		h = mix(h, (unsigned char)*s++);
	return h;
}

static uint64_t frame_hash(bool kernel, const char *path, uint64_t offset)
{
	return mix(hash_str(mix(0, kernel), path), offset);
}

static uint64_t stack_hash(uint32_t pid, uint32_t slot, const char *comm, const uint32_t *frames,
			   uint32_t nuser, uint32_t nkernel)
{
	uint64_t h = mix(mix(mix(mix(1, pid), slot), nuser), nkernel);
	uint32_t i;

	if (!pid)		/* reclaimed processes are told apart by name */
		h = hash_str(h, comm);
	for (i = 0; i < nuser + nkernel; i++)
		h = mix(h, frames[i]);
	return h;
}

/* Grows an open-addressing index of ints to hold 2 * n and rehashes. */
static int *index_grow(int *old, size_t *cap, size_t n, uint64_t (*hash_of)(const void *, size_t),
		       const void *items)
{
	size_t want = 64, i;
	int *idx;

	while (want < 2 * n)
		want *= 2;
	if (old && want <= *cap)
		return old;
	idx = malloc(want * sizeof(*idx));
	if (!idx)
		return NULL;
	memset(idx, -1, want * sizeof(*idx));
	for (i = 0; i + 1 < n; i++) {	/* the newest item is placed by the caller */
		size_t h = hash_of(items, i) & (want - 1);

		while (idx[h] >= 0)
			h = (h + 1) & (want - 1);
		idx[h] = (int)i;
	}
	free(old);
	*cap = want;
	return idx;
}

static uint64_t frame_hash_at(const void *items, size_t i)
{
	const struct stack_frame *f = &((const struct stack_frame *)items)[i];

	return frame_hash(f->kernel, f->path, f->offset);
}

static uint64_t entry_hash_at(const void *items, size_t i)
{
	return ((const struct stack_entry *)items)[i].hash;
}

void stack_table_init(struct stack_table *t, size_t max)
{
	memset(t, 0, sizeof(*t));
	t->max = max;
	t->max_frames = 32 * max;
}

static void frame_free(struct stack_frame *f)
{
	free(f->symbol);
	free(f->module);
	free(f->path);
	free(f->file);
}

void stack_table_free(struct stack_table *t)
{
	size_t i;

	for (i = 0; i < t->nframes; i++)
		frame_free(&t->frames[i]);
	for (i = 0; i < t->n; i++)
		free(t->v[i].frames);
	free(t->frames);
	free(t->frame_index);
	free(t->v);
	free(t->index);
	memset(t, 0, sizeof(*t));
}

long stack_frame_find(const struct stack_table *t, bool kernel, const char *path, uint64_t offset)
{
	size_t h;

	if (!t->frame_index_cap)
		return -1;
	h = frame_hash(kernel, path, offset) & (t->frame_index_cap - 1);
	for (; t->frame_index[h] >= 0; h = (h + 1) & (t->frame_index_cap - 1)) {
		const struct stack_frame *f = &t->frames[t->frame_index[h]];

		if (f->kernel == kernel && f->offset == offset && !strcmp(f->path, path))
			return t->frame_index[h];
	}
	return -1;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

long stack_frame_add(struct stack_table *t, const struct stack_frame *f)
{
	struct stack_frame *n;
	int *idx;
	size_t h;

	if (t->nframes >= t->max_frames)
		return -1;
	if (t->nframes == t->frames_cap) {
		size_t cap = t->frames_cap ? 2 * t->frames_cap : 256;

		n = realloc(t->frames, cap * sizeof(*n));
		if (!n)
			return -1;
		t->frames = n;
		t->frames_cap = cap;
	}
	n = &t->frames[t->nframes];
	*n = *f;
	n->symbol = dup_or_null(f->symbol);
	n->module = strdup(f->module ? f->module : "[unknown]");
	n->path = strdup(f->path ? f->path : "");
	n->file = dup_or_null(f->file);
	if (!n->module || !n->path || (f->symbol && !n->symbol) || (f->file && !n->file)) {
		frame_free(n);
		return -1;
	}
	t->nframes++;
	idx = index_grow(t->frame_index, &t->frame_index_cap, t->nframes, frame_hash_at, t->frames);
	if (!idx) {
		frame_free(&t->frames[--t->nframes]);
		return -1;
	}
	t->frame_index = idx;
	h = frame_hash(n->kernel, n->path, n->offset) & (t->frame_index_cap - 1);
	while (idx[h] >= 0)
		h = (h + 1) & (t->frame_index_cap - 1);
	idx[h] = (int)(t->nframes - 1);
	return (long)(t->nframes - 1);
}

static bool same_stack(const struct stack_entry *e, uint32_t pid, uint32_t slot, const char *comm,
		       const uint32_t *frames, uint32_t nuser, uint32_t nkernel)
{
	return e->pid == pid && e->slot == slot && e->nuser == nuser && e->nkernel == nkernel &&
	       (pid || !strncmp(e->comm, comm, sizeof(e->comm))) &&
	       !memcmp(e->frames, frames, (nuser + nkernel) * sizeof(*frames));
}

static void index_put(struct stack_table *t, size_t i)
{
	size_t h = t->v[i].hash & (t->index_cap - 1);

	while (t->index[h] >= 0)
		h = (h + 1) & (t->index_cap - 1);
	t->index[h] = (int)i;
}

struct stack_entry *stack_get(struct stack_table *t, uint32_t pid, uint32_t slot, const char *comm,
			      const uint32_t *frames, uint32_t nuser, uint32_t nkernel)
{
	uint64_t hash = stack_hash(pid, slot, comm, frames, nuser, nkernel);
	struct stack_entry *e;
	int *idx;
	size_t h;

	if (t->index_cap) {
		for (h = hash & (t->index_cap - 1); t->index[h] >= 0; h = (h + 1) & (t->index_cap - 1)) {
			e = &t->v[t->index[h]];
			if (e->hash == hash && same_stack(e, pid, slot, comm, frames, nuser, nkernel))
				return e;
		}
	}
	if (t->n >= t->max) {
		t->drops.table_full++;
		return NULL;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;

		e = realloc(t->v, cap * sizeof(*e));
		if (!e)
			return NULL;
		t->v = e;
		t->cap = cap;
	}
	e = &t->v[t->n];
	memset(e, 0, sizeof(*e));
	e->frames = malloc((nuser + nkernel ?: 1) * sizeof(*frames));
	if (!e->frames)
		return NULL;
	memcpy(e->frames, frames, (nuser + nkernel) * sizeof(*frames));
	e->pid = pid;
	e->slot = slot;
	snprintf(e->comm, sizeof(e->comm), "%s", comm);
	e->nuser = nuser;
	e->nkernel = nkernel;
	e->hash = hash;
	t->n++;
	idx = index_grow(t->index, &t->index_cap, t->n, entry_hash_at, t->v);
	if (!idx) {
		free(t->v[--t->n].frames);
		return NULL;
	}
	t->index = idx;
	index_put(t, t->n - 1);
	return e;
}

void stack_table_retire(struct stack_table *t, bool (*gone)(uint32_t pid, void *ctx), void *ctx)
{
	size_t i, kept = 0, moved = 0;
	struct stack_entry *e;

	for (i = 0; i < t->n; i++) {
		if (t->v[i].pid && gone(t->v[i].pid, ctx)) {
			t->v[i].pid = 0;
			t->v[i].hash = stack_hash(0, t->v[i].slot, t->v[i].comm, t->v[i].frames,
						  t->v[i].nuser, t->v[i].nkernel);
			moved++;
		}
	}
	if (!moved)
		return;
	/* Re-index from scratch, merging entries that became equal. */
	memset(t->index, -1, t->index_cap * sizeof(*t->index));
	for (i = 0; i < t->n; i++) {
		struct stack_entry *cur = &t->v[i];
		size_t h = cur->hash & (t->index_cap - 1);

		for (e = NULL; t->index[h] >= 0; h = (h + 1) & (t->index_cap - 1)) {
			e = &t->v[t->index[h]];
			if (e->hash == cur->hash &&
			    same_stack(e, cur->pid, cur->slot, cur->comm, cur->frames, cur->nuser, cur->nkernel))
				break;
			e = NULL;
		}
		if (e) {
			e->count += cur->count;
			e->total_ns += cur->total_ns;
			e->offcpu_ns += cur->offcpu_ns;
			free(cur->frames);
			continue;
		}
		t->v[kept] = *cur;
		t->index[h] = (int)kept++;
	}
	t->n = kept;
}

/* The C library, its threads library and the dynamic loader: the wrappers a
 * syscall is made through, not the code that wanted it. */
static bool is_libc(const char *module)
{
	static const char *const prefixes[] = { "libc.so", "libc-", "libpthread", "ld-linux", "ld-musl",
						"libc.musl", "[vdso]" };
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(module, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

long stack_call_site(const struct stack_table *t, const struct stack_entry *e)
{
	uint32_t i;

	for (i = 0; i < e->nuser; i++)
		if (!is_libc(t->frames[e->frames[i]].module))
			return e->frames[i];
	return e->nuser + e->nkernel ? (long)e->frames[0] : -1;
}

const char *stack_frame_name(const struct stack_frame *f, char *buf, size_t len)
{
	if (f->symbol)
		return f->symbol;
	snprintf(buf, len, "%s+0x%" PRIx64, f->module, f->offset);
	return buf;
}
