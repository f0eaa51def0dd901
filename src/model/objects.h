/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The objects a process's fd-taking calls touched (--objects): files,
 * block and character devices, sockets, pipes, eventfds, epoll and other
 * anonymous files, by (process, device, inode), with their names. */
#ifndef OSP_OBJECTS_H
#define OSP_OBJECTS_H

#include <stddef.h>
#include <stdint.h>
#include "osiprof.h"

struct object_entry {
	struct osp_obj_key key;
	const char *kind;		/* "file", "block", "device", "socket", "pipe", "eventfd", "epoll", "anon" */
	char name[320];			/* "" until its name event arrived */
	struct osp_obj_stat st;
};

struct object_table {
	struct object_entry *v;
	size_t n, cap;
	int sorted;			/* by key: lookups bisect */
};

/* The entry of key (created, unnamed, when new); NULL when out of memory. */
struct object_entry *object_get(struct object_table *t, const struct osp_obj_key *key);
/* Names an entry from its BPF name event. */
void object_name(struct object_entry *e, const struct osp_ev_object *ev);
void object_table_free(struct object_table *t);
/* "/a/b/c" from n path components read in BPF, innermost first (objects'
 * names, and the files of --stacks' mapping events). */
void path_join(char *out, size_t len, const char (*comps)[OSP_OBJ_COMPONENT_MAX], uint32_t n);

#endif
