/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Workload parameters given as --tag KEY=VALUE. "bytes" and "iterations" are
 * numeric and drive the per-KB and per-iteration normalisations. */
#ifndef OSP_TAGS_H
#define OSP_TAGS_H

#include <stdbool.h>
#include <stdint.h>

#define OSP_MAX_TAGS		64
#define OSP_TAG_KEY_MAX		64
#define OSP_TAG_VALUE_MAX	256

struct tag {
	char key[OSP_TAG_KEY_MAX];
	char value[OSP_TAG_VALUE_MAX];
};

struct tags {
	int n;
	struct tag items[OSP_MAX_TAGS];
};

/* Parses and appends "KEY=VALUE"; logs one line and returns -EINVAL if bad. */
int tags_add(struct tags *t, const char *arg);
const char *tags_get(const struct tags *t, const char *key);
/* Numeric value of a tag; false if absent. Validated by tags_add. */
bool tags_get_u64(const struct tags *t, const char *key, uint64_t *out);

#endif
