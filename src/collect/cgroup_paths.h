/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* cgroup v2 ids (what BPF sees) to paths (what users and runtimes name). */
#ifndef OSP_CGROUP_PATHS_H
#define OSP_CGROUP_PATHS_H

struct snapshot;

/* Names every cgroup entry that has no path yet: one walk of the cgroup v2
 * hierarchy (its first mount in /proc/self/mountinfo) per call that has
 * some, matching directory inode numbers, which are the ids on v2. An id
 * the walk does not find (a cgroup already removed) is named "[removed]"
 * and not searched for again; id 0 (not known) is "[unknown]". */
void cgroup_paths_resolve(struct snapshot *s);

#endif
