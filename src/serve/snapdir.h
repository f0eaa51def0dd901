/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The daemon's snapshot directory: each snapshot is written to a temporary
 * file with a unique name and renamed into place (a reader never sees half a
 * file, a full disk never destroys an earlier one), latest.json is a symlink
 * swapped atomically, and only the newest `keep` snapshots this daemon wrote
 * are kept (files of other runs or other programs are never touched). The
 * directory is reopened by path for every snapshot, so one deleted or
 * recreated under a running daemon is recreated and used again. */
#ifndef OSP_SNAPDIR_H
#define OSP_SNAPDIR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct snapdir;

struct snapdir *snapdir_open(const char *path, int keep);
/* Writes text as snapshot number seq; returns 0 and the file's name in
 * *name (valid until the next call), or a negative errno after logging. */
int snapdir_write(struct snapdir *d, uint64_t seq, const char *text, const char **name);
/* The timeline of the last snapshot, beside it as timeline-<its stamp>.json
 * (atomically; removed with it); its path in path. 0 or -errno (logged). */
int snapdir_write_timeline(struct snapdir *d, const char *text, char *path, size_t len);
const char *snapdir_path(const struct snapdir *d);
void snapdir_close(struct snapdir *d);

#endif
