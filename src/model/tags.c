// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "model/tags.h"

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

/* Label names osiprof's own series use: a tag may not take them. */
static const char *const reserved_keys[] = {
	"category", "syscall", "le", "kind", "where", "pid", "comm", "cause", "quantile",
	"device", "request", "cgroup",
};

static bool is_reserved(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(reserved_keys) / sizeof(reserved_keys[0]); i++)
		if (!strcmp(key, reserved_keys[i]))
			return true;
	return !strncmp(key, "__", 2);
}

int tags_add(struct tags *t, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char key[OSP_TAG_KEY_MAX];
	size_t klen, i;
	uint64_t num;

	if (!eq || eq == arg || !eq[1]) {
		err("bad tag '%.80s': expected KEY=VALUE", arg);
		return -EINVAL;
	}
	klen = (size_t)(eq - arg);
	if (klen >= OSP_TAG_KEY_MAX || strlen(eq + 1) >= OSP_TAG_VALUE_MAX) {
		err("bad tag '%.80s': key at most %d, value at most %d bytes", arg,
		    OSP_TAG_KEY_MAX - 1, OSP_TAG_VALUE_MAX - 1);
		return -EINVAL;
	}
	/* Keys become Prometheus label names: [a-zA-Z_][a-zA-Z0-9_]*. */
	for (i = 0; i < klen; i++) {
		unsigned char c = (unsigned char)arg[i];

		if (!(isascii(c) && (isalnum(c) || c == '_')) || (i == 0 && isdigit(c))) {
			err("bad tag '%.80s': keys are letters, digits and '_', not starting with a digit",
			    arg);
			return -EINVAL;
		}
	}
	memcpy(key, arg, klen);
	key[klen] = '\0';
	if (is_reserved(key)) {
		err("bad tag '%.80s': '%s' is a label osiprof's metrics use (or starts with '__')", arg, key);
		return -EINVAL;
	}
	if (t->n == OSP_MAX_TAGS) {
		err("bad tag '%.80s': at most %d tags", arg, OSP_MAX_TAGS);
		return -EINVAL;
	}
	if (tags_get(t, key)) {
		err("bad tag '%.80s': '%s' given twice", arg, key);
		return -EINVAL;
	}
	if (is_numeric_key(key) && !parse_positive(eq + 1, &num)) {
		err("bad tag '%.80s': %s must be a positive integer", arg, key);
		return -EINVAL;
	}
	memcpy(t->items[t->n].key, key, klen + 1);
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
