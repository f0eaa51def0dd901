// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "collect/ksyms.h"

struct ksym {
	uint64_t addr;
	char *name;
};

struct ksyms {
	struct ksym *v;
	size_t n;
};

static int cmp_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

struct ksyms *ksyms_load(void)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	struct ksyms *k = calloc(1, sizeof(*k));
	char line[512], name[256], type;
	unsigned long long addr;
	size_t cap = 0;

	if (!f || !k) {
		warn("kernel stack frames are not named: /proc/kallsyms: %s", strerror(errno));
		goto fail;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 || !addr)
			continue;
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			continue;
		if (k->n == cap) {
			struct ksym *n = realloc(k->v, (cap = cap ? 2 * cap : 65536) * sizeof(*n));

			if (!n)
				goto fail;
			k->v = n;
		}
		k->v[k->n].addr = addr;
		if (!(k->v[k->n].name = strdup(name)))
			goto fail;
		k->n++;
	}
	fclose(f);
	if (!k->n) {
		warn("kernel stack frames are not named: /proc/kallsyms shows no addresses");
		ksyms_free(k);
		return NULL;
	}
	qsort(k->v, k->n, sizeof(*k->v), cmp_addr);
	return k;
fail:
	if (f)
		fclose(f);
	ksyms_free(k);
	return NULL;
}

const char *ksyms_find(const struct ksyms *k, uint64_t addr, uint64_t *offset)
{
	size_t lo = 0, hi;

	if (!k || !k->n || addr < k->v[0].addr)
		return NULL;
	hi = k->n;
	while (hi - lo > 1) {		/* the last symbol at or below addr */
		size_t mid = lo + (hi - lo) / 2;

		if (k->v[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - k->v[lo].addr;
	return k->v[lo].name;
}

void ksyms_free(struct ksyms *k)
{
	size_t i;

	if (!k)
		return;
	for (i = 0; i < k->n; i++)
		free(k->v[i].name);
	free(k->v);
	free(k);
}
