// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* profile.proto written by hand: a few message types, varints and
 * length-delimited fields, then gzip (zlib). One location and one function
 * per interned frame, one mapping per module. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "sink/stacks_pprof.h"

struct buf {
	uint8_t *p;
	size_t n, cap;
	bool oom;
};

static void put_bytes(struct buf *b, const void *d, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		uint8_t *p;

		while (cap < b->n + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, d, n);
	b->n += n;
}

static void put_varint(struct buf *b, uint64_t v)
{
	uint8_t x[10];
	int n = 0;

	do {
		x[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	put_bytes(b, x, n);
}

static void put_uint(struct buf *b, int field, uint64_t v)
{
	put_varint(b, (uint64_t)field << 3);
	put_varint(b, v);
}

static void put_msg(struct buf *b, int field, struct buf *m)
{
	put_varint(b, (uint64_t)field << 3 | 2);
	put_varint(b, m->n);
	put_bytes(b, m->p, m->n);
	b->oom |= m->oom;
	m->n = 0;
	m->oom = false;
}

/* The string table, interned (index 0 is ""). */
struct strings {
	char **v;
	size_t n, cap;
	size_t *index;		/* hash -> v[] + 1; 0: empty */
	size_t index_cap;
	bool oom;
};

static uint64_t str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static bool strings_grow(struct strings *st)
{
	size_t cap = st->index_cap ? 2 * st->index_cap : 1024, i, h;
	size_t *idx = calloc(cap, sizeof(*idx));

	if (!idx)
		return false;
	for (i = 0; i < st->n; i++) {
		for (h = str_hash(st->v[i]) & (cap - 1); idx[h]; h = (h + 1) & (cap - 1))
			;
		idx[h] = i + 1;
	}
	free(st->index);
	st->index = idx;
	st->index_cap = cap;
	return true;
}

static uint64_t str_id(struct strings *st, const char *s)
{
	size_t h;
	char **v;

	if (!s)
		s = "";
	if (2 * (st->n + 1) > st->index_cap && !strings_grow(st)) {
		st->oom = true;
		return 0;
	}
	for (h = str_hash(s) & (st->index_cap - 1); st->index[h]; h = (h + 1) & (st->index_cap - 1))
		if (!strcmp(st->v[st->index[h] - 1], s))
			return st->index[h] - 1;
	if (st->n == st->cap) {
		v = realloc(st->v, (st->cap = st->cap ? 2 * st->cap : 256) * sizeof(*v));
		if (!v) {
			st->oom = true;
			return 0;
		}
		st->v = v;
	}
	if (!(st->v[st->n] = strdup(s))) {
		st->oom = true;
		return 0;
	}
	st->index[h] = ++st->n;
	return st->n - 1;
}

static void strings_free(struct strings *st)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		free(st->v[i]);
	free(st->v);
	free(st->index);
}

static void value_type(struct buf *b, struct buf *m, int field, struct strings *st, const char *type,
		       const char *unit)
{
	put_uint(m, 1, str_id(st, type));
	put_uint(m, 2, str_id(st, unit));
	put_msg(b, field, m);
}

static void label(struct buf *s, struct buf *m, struct strings *st, const char *key, const char *str,
		  uint64_t num)
{
	put_uint(m, 1, str_id(st, key));
	if (str)
		put_uint(m, 2, str_id(st, str));
	else
		put_uint(m, 3, num);
	put_msg(s, 3, m);
}

static void samples(struct buf *b, const struct report *r, struct strings *st)
{
	struct buf s = { 0 }, m = { 0 }, packed = { 0 };
	int i;

	for (i = 0; i < r->nstacks; i++) {
		const struct stack_entry *e = r->stacks[i].e;
		uint32_t k;

		/* Leaf first: kernel frames, then user frames, innermost first. */
		for (k = e->nuser; k < e->nuser + e->nkernel; k++)
			put_varint(&packed, e->frames[k] + 1ULL);
		for (k = 0; k < e->nuser; k++)
			put_varint(&packed, e->frames[k] + 1ULL);
		put_msg(&s, 1, &packed);
		put_varint(&packed, e->count);
		put_varint(&packed, e->total_ns);
		put_varint(&packed, e->offcpu_ns);
		put_msg(&s, 2, &packed);
		label(&s, &m, st, "category", r->stacks[i].category, 0);
		label(&s, &m, st, "syscall", r->stacks[i].syscall, 0);
		label(&s, &m, st, "pid", NULL, e->pid);
		label(&s, &m, st, "comm", e->comm, 0);
		put_msg(b, 2, &s);
	}
	free(s.p);
	free(m.p);
	free(packed.p);
}

/* Mappings (one per module path: its id is the path's string id), then a
 * function and a location per frame. */
static void frames(struct buf *b, const struct stack_table *t, struct strings *st)
{
	struct buf m = { 0 }, line = { 0 };
	uint8_t *mapped = NULL;		/* by the path's string id: its mapping is out */
	size_t i, nmapped = 0;

	for (i = 0; i < t->nframes; i++) {
		const struct stack_frame *f = &t->frames[i];
		uint64_t path = str_id(st, f->path), fname;
		char name[320];

		if (path >= nmapped) {
			uint8_t *n = realloc(mapped, st->n + 64);

			if (!n) {
				b->oom = true;
				break;
			}
			memset(n + nmapped, 0, st->n + 64 - nmapped);
			mapped = n;
			nmapped = st->n + 64;
		}
		if (!mapped[path]) {
			mapped[path] = 1;
			put_uint(&m, 1, path + 1);
			put_uint(&m, 5, path);
			put_uint(&m, 7, 1);		/* has_functions */
			put_msg(b, 3, &m);
		}
		put_uint(&line, 1, i + 1);		/* function_id */
		put_uint(&line, 2, f->line);
		put_uint(&m, 1, i + 1);
		put_uint(&m, 2, path + 1);
		put_uint(&m, 3, f->offset);
		put_msg(&m, 4, &line);
		put_msg(b, 4, &m);
		fname = str_id(st, stack_frame_name(f, name, sizeof(name)));
		put_uint(&m, 1, i + 1);
		put_uint(&m, 2, fname);
		put_uint(&m, 3, fname);		/* system_name: the same */
		put_uint(&m, 4, str_id(st, f->file));
		put_msg(b, 5, &m);
	}
	free(mapped);
	free(m.p);
	free(line.p);
}

static int gzip_out(FILE *f, const struct buf *b)
{
	uint8_t out[65536];
	z_stream z = { 0 };
	int ret;

	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	z.next_in = b->p;
	z.avail_in = (uInt)b->n;
	do {
		z.next_out = out;
		z.avail_out = sizeof(out);
		ret = deflate(&z, Z_FINISH);
		if (ret == Z_STREAM_ERROR ||
		    fwrite(out, 1, sizeof(out) - z.avail_out, f) != sizeof(out) - z.avail_out) {
			deflateEnd(&z);
			return -1;
		}
	} while (ret != Z_STREAM_END);
	deflateEnd(&z);
	return 0;
}

int stacks_write_pprof(FILE *f, const struct report *r)
{
	struct strings st = { 0 };
	struct buf b = { 0 }, m = { 0 };
	uint64_t i;
	int ret;

	str_id(&st, "");
	value_type(&b, &m, 1, &st, "calls", "count");
	value_type(&b, &m, 1, &st, "time", "nanoseconds");
	value_type(&b, &m, 1, &st, "offcpu", "nanoseconds");
	samples(&b, r, &st);
	frames(&b, &r->snap->stacks, &st);
	for (i = 0; i < st.n; i++) {
		put_varint(&b, 6 << 3 | 2);
		put_varint(&b, strlen(st.v[i]));
		put_bytes(&b, st.v[i], strlen(st.v[i]));
	}
	put_uint(&b, 9, r->run->start_ns);
	put_uint(&b, 10, r->run->duration_ns);
	value_type(&b, &m, 11, &st, "calls", "count");	/* period_type: every captured call */
	put_uint(&b, 12, 1);
	ret = b.oom || m.oom || st.oom ? (errno = ENOMEM, -1) : gzip_out(f, &b);
	free(b.p);
	free(m.p);
	strings_free(&st);
	return ret;
}
