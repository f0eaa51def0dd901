// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "collect/proc_maps.h"

int proc_maps_add(struct proc_maps *m, uint64_t start, uint64_t end, uint64_t pgoff, uint32_t dev,
		  uint64_t ino, const char *path, bool exec)
{
	uint64_t low = start >= pgoff ? start - pgoff : start;
	struct mapping *e;
	size_t i;

	if (end <= start || !path || path[0] != '/')
		return 0;
	for (i = 0; i < m->n; i++) {
		e = &m->v[i];
		if (e->dev != dev || e->ino != ino)
			continue;
		if (low >= e->low && end <= e->high && (e->exec || !exec))
			return 0;
		e->low = low < e->low ? low : e->low;
		e->high = end > e->high ? end : e->high;
		e->exec |= exec;
		return 1;
	}
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 16;

		e = realloc(m->v, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		m->v = e;
		m->cap = cap;
	}
	e = &m->v[m->n];
	e->path = strdup(path);
	if (!e->path)
		return -ENOMEM;
	e->low = low;
	e->high = end;
	e->dev = dev;
	e->ino = ino;
	e->exec = exec;
	m->n++;
	return 1;
}

int proc_maps_parse(struct proc_maps *m, const char *text)
{
	unsigned long long start, end, off, ino;
	unsigned int maj, min;
	int at, changed = 0, r;
	const char *line, *nl;
	char path[4096], perms[8];

	for (line = text; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu %n", &start, &end, perms, &off, &maj, &min, &ino,
			   &at) < 7 || !ino)
			continue;
		snprintf(path, sizeof(path), "%.*s", (int)((nl ? nl : line + strlen(line)) - (line + at)), line + at);
		r = proc_maps_add(m, start, end, off, maj << 20 | min, ino, path, strchr(perms, 'x') != NULL);
		if (r < 0)
			return r;
		changed += r;
	}
	return changed;
}

static int cmp_low(const void *a, const void *b)
{
	const struct mapping *x = *(const struct mapping *const *)a, *y = *(const struct mapping *const *)b;

	return x->low < y->low ? -1 : x->low > y->low;
}

char *proc_maps_text(const struct proc_maps *m, size_t *len)
{
	const struct mapping **by = calloc(m->n ?: 1, sizeof(*by));
	size_t i, n = 0, used = 0;
	char *out = NULL;
	FILE *f;

	for (i = 0; by && i < m->n; i++)
		if (m->v[i].exec)
			by[n++] = &m->v[i];
	if (!by || !n || !(f = open_memstream(&out, &used))) {
		free(by);
		return NULL;
	}
	qsort(by, n, sizeof(*by), cmp_low);
	for (i = 0; i < n; i++)
		fprintf(f, "%" PRIx64 "-%" PRIx64 " r-xp 00000000 %02x:%02x %" PRIu64 " %s\n", by[i]->low,
			by[i]->high, by[i]->dev >> 20, by[i]->dev & 0xfffff, by[i]->ino, by[i]->path);
	free(by);
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	*len = used;
	return out;
}

int proc_maps_copy(struct proc_maps *dst, const struct proc_maps *src)
{
	size_t i;
	int r;

	for (i = 0; i < src->n; i++) {
		const struct mapping *e = &src->v[i];

		r = proc_maps_add(dst, e->low, e->high, 0, e->dev, e->ino, e->path, e->exec);
		if (r < 0)
			return r;
	}
	return 0;
}

void proc_maps_free(struct proc_maps *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->v[i].path);
	free(m->v);
	m->v = NULL;
	m->n = m->cap = 0;
}
