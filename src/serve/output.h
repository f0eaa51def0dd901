/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* A report destination. A new path or an existing regular file is written
 * atomically: a temporary file with a unique name beside it (O_EXCL,
 * O_NOFOLLOW, mode & ~umask), then rename. Anything else that exists (a
 * device such as /dev/null, a FIFO, /dev/stdout, a symlink) is written in
 * place and never replaced. Opening checks everything up front (directory,
 * ownership, writability) so no run is wasted on an output that cannot be
 * written. Every fd is close-on-exec: the profiled command never sees it. */
#ifndef OSP_OUTPUT_H
#define OSP_OUTPUT_H

#include <stdio.h>
#include <sys/types.h>

struct output {
	FILE *f;
	char *path;		/* NULL for stdout */
	char *tmp;		/* NULL when written in place */
};

/* path NULL or "-" means stdout. Logs one line on failure. */
int output_open(struct output *o, const char *path, mode_t mode);
/* Flushes, syncs and renames into place. If that fails the temporary file
 * is kept and its name logged: a finished run's report is never lost. */
int output_commit(struct output *o);
/* A late failure: closes, keeps the temporary file and logs its name. */
void output_keep(struct output *o);
/* Discards: removes the temporary file. */
void output_abort(struct output *o);
/* Creates a file with a unique name PREFIX.XXXXXXXX in dirfd (O_EXCL,
 * O_NOFOLLOW, O_CLOEXEC, mode & ~umask); the name goes to out. fd or -errno. */
int output_create_unique(int dirfd, const char *prefix, mode_t mode, char *out, size_t len);

#endif
