// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/objects.h"

static int cmp_key(const void *a, const void *b)
{
	const struct osp_obj_key *x = a, *y = b;

	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

struct object_entry *object_get(struct object_table *t, const struct osp_obj_key *key)
{
	struct object_entry *e = NULL, *n;

	if (!t->sorted && t->n > 1)
		qsort(t->v, t->n, sizeof(*t->v), cmp_key);	/* key is the first member */
	t->sorted = 1;
	if (t->n)
		e = bsearch(key, t->v, t->n, sizeof(*t->v), cmp_key);
	if (e)
		return e;
	if (t->n == t->cap) {
		n = realloc(t->v, (t->cap ? t->cap * 2 : 64) * sizeof(*n));
		if (!n)
			return NULL;
		t->v = n;
		t->cap = t->cap ? t->cap * 2 : 64;
	}
	e = &t->v[t->n++];
	memset(e, 0, sizeof(*e));
	e->key = *key;
	e->kind = "anon";
	t->sorted = 0;
	return e;
}

void path_join(char *out, size_t len, const char (*comps)[OSP_OBJ_COMPONENT_MAX], uint32_t n)
{
	size_t used = 0;
	int i;

	out[0] = '\0';
	for (i = (int)n - 1; i >= 0 && i < OSP_OBJ_COMPONENTS && used < len; i--)
		used += snprintf(out + used, len - used, "/%.*s", OSP_OBJ_COMPONENT_MAX, comps[i]);
	if (!n)
		snprintf(out, len, "/");
}

void object_name(struct object_entry *e, const struct osp_ev_object *ev)
{
	static const char *const kinds[] = { [OSP_OBJ_FILE] = "file", [OSP_OBJ_BLOCK] = "block",
		[OSP_OBJ_DEVICE] = "device", [OSP_OBJ_PIPE] = "pipe", [OSP_OBJ_SOCKET] = "socket",
		[OSP_OBJ_ANON] = "anon" };
	const unsigned char *a = (const unsigned char *)&ev->peer_addr;
	const char *proto = ev->sotype == 1 ? "tcp" : ev->sotype == 2 ? "udp" : "inet";
	char path[2 * OSP_OBJ_COMPONENT_MAX + 1];

	e->kind = ev->kind < sizeof(kinds) / sizeof(kinds[0]) && kinds[ev->kind] ? kinds[ev->kind] : "anon";
	switch (ev->kind) {
	case OSP_OBJ_FILE:
	case OSP_OBJ_BLOCK:
	case OSP_OBJ_DEVICE:
		path_join(e->name, sizeof(e->name), ev->components, ev->ncomponents);
		break;
	case OSP_OBJ_PIPE:
		snprintf(e->name, sizeof(e->name), "pipe:[%llu]", (unsigned long long)ev->key.ino);
		break;
	case OSP_OBJ_SOCKET:
		memcpy(path, ev->components[0], sizeof(path) - 1);
		path[sizeof(path) - 1] = '\0';
		if (ev->family == 2 && ev->peer_port)
			snprintf(e->name, sizeof(e->name), "%s %u.%u.%u.%u:%u", proto, a[0], a[1], a[2], a[3],
				 ev->peer_port);
		else if (ev->family == 2)
			snprintf(e->name, sizeof(e->name), "%s %u.%u.%u.%u:%u (local, not connected)", proto,
				 a[0], a[1], a[2], a[3], ev->local_port);
		else if (ev->family == 1)
			snprintf(e->name, sizeof(e->name), "unix %s", ev->ncomponents && path[0] ? path
				 : ev->ncomponents ? "@(abstract)" : "(unnamed)");
		else
			snprintf(e->name, sizeof(e->name), "socket (family %u)", ev->family);
		break;
	default:
		if (!strncmp(ev->components[0], "[eventfd]", 9))
			e->kind = "eventfd";
		else if (!strncmp(ev->components[0], "[eventpoll]", 11))
			e->kind = "epoll";
		snprintf(e->name, sizeof(e->name), "anon_inode:%.*s", OSP_OBJ_COMPONENT_MAX, ev->components[0]);
	}
}

void object_table_free(struct object_table *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}
