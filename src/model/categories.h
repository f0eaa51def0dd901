/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The taxonomy: which category each syscall slot belongs to. It is data
 * (src/default.categories or --categories FILE), parsed here and pushed into
 * the BPF side before attach. */
#ifndef OSP_CATEGORIES_H
#define OSP_CATEGORIES_H

#include <stdint.h>
#include "osiprof.h"

#define OSP_CATEGORY_NAME_MAX	32

struct taxonomy {
	int ncat;
	int other;			/* id of "other" */
	int gpu;			/* id of "gpu" */
	char names[OSP_MAX_CATEGORIES][OSP_CATEGORY_NAME_MAX];
	uint8_t slot_cat[OSP_NR_SLOTS];
};

/* Both return 0, or -EINVAL/-errno after printing "ORIGIN:LINE: problem". */
int taxonomy_load_default(struct taxonomy *t);
int taxonomy_load_file(struct taxonomy *t, const char *path);
/* strict: unknown syscall names are errors unless marked optional with '?'. */
int taxonomy_parse(struct taxonomy *t, const char *text, const char *origin, int strict);
int taxonomy_find(const struct taxonomy *t, const char *name);

#endif
