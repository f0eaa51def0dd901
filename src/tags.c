// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"
#include "tags.h"

static const char *const numeric_keys[] = { "bytes", "iterations" };

static bool is_numeric_key(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(numeric_keys) / sizeof(numeric_keys[0]); i++)
		if (!strcmp(key, numeric_keys[i]))
			return true;
	return false;
}

static bool parse_positive(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v == 0)
		return false;
	*out = v;
	return true;
}

int tags_add(struct tags *t, const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t klen;
	uint64_t num;
	int i;

	if (!eq || eq == arg || !eq[1]) {
		err("bad tag '%s': expected KEY=VALUE", arg);
		return -EINVAL;
	}
	klen = (size_t)(eq - arg);
	if (klen >= OSP_TAG_KEY_MAX || strlen(eq + 1) >= OSP_TAG_VALUE_MAX) {
		err("bad tag '%s': key or value too long", arg);
		return -EINVAL;
	}
	for (i = 0; i < (int)klen; i++) {
		char c = arg[i];

		if (!(isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-') ||
		    (i == 0 && !(isalpha((unsigned char)c) || c == '_'))) {
			err("bad tag '%s': keys are letters, digits, '_', '.', '-', starting with a letter", arg);
			return -EINVAL;
		}
	}
	if (t->n == OSP_MAX_TAGS) {
		err("bad tag '%s': at most %d tags", arg, OSP_MAX_TAGS);
		return -EINVAL;
	}
	memcpy(t->items[t->n].key, arg, klen);
	t->items[t->n].key[klen] = '\0';
	if (tags_get(t, t->items[t->n].key)) {
		err("bad tag '%s': '%s' given twice", arg, t->items[t->n].key);
		return -EINVAL;
	}
	if (is_numeric_key(t->items[t->n].key) && !parse_positive(eq + 1, &num)) {
		err("bad tag '%s': %s must be a positive integer", arg, t->items[t->n].key);
		return -EINVAL;
	}
	strcpy(t->items[t->n].value, eq + 1);
	t->n++;
	return 0;
}

const char *tags_get(const struct tags *t, const char *key)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->items[i].key, key))
			return t->items[i].value;
	return NULL;
}

bool tags_get_u64(const struct tags *t, const char *key, uint64_t *out)
{
	const char *v = tags_get(t, key);

	return v && parse_positive(v, out);
}
