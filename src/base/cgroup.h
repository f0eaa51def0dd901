/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* cgroup v2 directories. */
#ifndef OSP_CGROUP_H
#define OSP_CGROUP_H

/* An fd of the cgroup v2 directory at path, or -1 after logging why. */
int cgroup_open(const char *path);

#endif
