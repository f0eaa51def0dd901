// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "collect/cgroup_paths.h"
#include "model/snapshot.h"

/* nftw has no context argument: the walk in progress. */
static struct {
	struct snapshot *snap;
	size_t mount_len;
	const char *root;	/* the mount's root in the hierarchy ("/" mostly) */
	int missing;
} walk;

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	int i;

	(void)ftw;
	if (type != FTW_D)
		return FTW_CONTINUE;
	for (i = 0; i < walk.snap->ncgroups; i++) {
		struct cgroup_entry *e = &walk.snap->cgroups[i];
		const char *rel = path + walk.mount_len;

		if (e->path[0] || e->id != (uint64_t)st->st_ino)
			continue;
		snprintf(e->path, sizeof(e->path), "%s%s%s", strcmp(walk.root, "/") ? walk.root : "",
			 *rel ? "" : "/", rel);
		if (--walk.missing == 0)
			return FTW_STOP;
	}
	return FTW_CONTINUE;
}

/* The first cgroup2 mount point and the hierarchy path it shows. */
static int cgroup2_mount(char *mnt, size_t mlen, char *root, size_t rlen)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096], r[PATH_MAX], m[PATH_MAX], *dash;
	int found = -1;

	if (!f)
		return -1;
	while (found && fgets(line, sizeof(line), f)) {
		dash = strstr(line, " - ");
		if (!dash || strncmp(dash + 3, "cgroup2 ", 8) ||
		    sscanf(line, "%*s %*s %*s %4095s %4095s", r, m) != 2)
			continue;
		snprintf(mnt, mlen, "%s", m);
		snprintf(root, rlen, "%s", r);
		found = 0;
	}
	fclose(f);
	return found;
}

void cgroup_paths_resolve(struct snapshot *s)
{
	char mnt[PATH_MAX], root[PATH_MAX];
	int i;

	walk = (typeof(walk)){ s, 0, root, 0 };
	for (i = 0; i < s->ncgroups; i++) {
		if (!s->cgroups[i].id && !s->cgroups[i].path[0])
			snprintf(s->cgroups[i].path, sizeof(s->cgroups[i].path), "[unknown]");
		else if (!s->cgroups[i].path[0])
			walk.missing++;
	}
	if (!walk.missing || cgroup2_mount(mnt, sizeof(mnt), root, sizeof(root)))
		goto name_rest;
	walk.mount_len = strlen(mnt);
	nftw(mnt, visit, 16, FTW_PHYS | FTW_MOUNT | FTW_ACTIONRETVAL);
name_rest:
	for (i = 0; i < s->ncgroups; i++)
		if (!s->cgroups[i].path[0])
			snprintf(s->cgroups[i].path, sizeof(s->cgroups[i].path), "[removed]");
}
