/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The daemon's snapshot directory: each snapshot is written to a temporary
 * file and renamed into place (a reader never sees half a file, a full disk
 * never destroys the previous one), latest.json is a symlink swapped
 * atomically, and only the newest `keep` snapshots are kept. */
#ifndef OSP_SNAPDIR_H
#define OSP_SNAPDIR_H

#include <stdint.h>
#include <sys/types.h>

struct snapdir;

struct snapdir *snapdir_open(const char *path, int keep);
/* Writes text as snapshot number seq; returns 0 and the file's name in
 * *name (static), or a negative errno after logging. */
int snapdir_write(struct snapdir *d, uint64_t seq, const char *text, const char **name);
const char *snapdir_path(const struct snapdir *d);
void snapdir_close(struct snapdir *d);
/* The file name of snapshot seq of daemon pid, for `osiprof snapshot`. */
int snapdir_find(const char *dir, pid_t pid, uint64_t seq, char *out, size_t len);

#endif
