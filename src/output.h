/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* A report destination: stdout, or a file written atomically (temporary file
 * in the same directory, then rename). Opening checks writability up front so
 * no run is wasted on an output that cannot be written. */
#ifndef OSP_OUTPUT_H
#define OSP_OUTPUT_H

#include <stdio.h>
#include <sys/types.h>

struct output {
	FILE *f;
	char *path;		/* NULL for stdout */
	char *tmp;
};

/* path NULL or "-" means stdout. Logs one line on failure. */
int output_open(struct output *o, const char *path, mode_t mode);
/* Flushes, syncs and renames into place. */
int output_commit(struct output *o);
void output_abort(struct output *o);

#endif
