// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "model/categories.h"
#include "base/log.h"
#include "model/syscalls.h"

static const char default_text[] =
#include "default_categories.h"
	;

int taxonomy_find(const struct taxonomy *t, const char *name)
{
	int i;

	for (i = 0; i < t->ncat; i++)
		if (!strcmp(t->names[i], name))
			return i;
	return -1;
}

static int add_category(struct taxonomy *t, const char *name)
{
	int id = taxonomy_find(t, name);

	if (id >= 0)
		return id;
	if (t->ncat == OSP_MAX_CATEGORIES)
		return -ENOSPC;
	snprintf(t->names[t->ncat], OSP_CATEGORY_NAME_MAX, "%s", name);
	return t->ncat++;
}

static int valid_name(const char *s)
{
	if (!*s || strlen(s) >= OSP_CATEGORY_NAME_MAX)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '/')
			return 0;
	return 1;
}

/* Parse one "CATEGORY: SYSCALL..." line (comment already stripped). */
static int parse_line(struct taxonomy *t, uint8_t *assigned, char *line,
		      const char *origin, int lineno, int strict)
{
	char *colon, *name, *tok, *save = NULL;
	int cat, nr;

	colon = strchr(line, ':');
	if (!colon) {
		err("%s:%d: expected 'CATEGORY: SYSCALL...'", origin, lineno);
		return -EINVAL;
	}
	*colon = '\0';
	name = strtok_r(line, " \t", &save);
	if (!name || strtok_r(NULL, " \t", &save) || !valid_name(name)) {
		err("%s:%d: bad category name (letters, digits, '_', '-', '/'; at most %d)",
		    origin, lineno, OSP_CATEGORY_NAME_MAX - 1);
		return -EINVAL;
	}
	cat = add_category(t, name);
	if (cat < 0) {
		err("%s:%d: more than %d categories", origin, lineno, OSP_MAX_CATEGORIES);
		return cat;
	}
	for (tok = strtok_r(colon + 1, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		int optional = tok[0] == '?';

		nr = syscall_nr(tok + optional);
		if (nr < 0) {
			if (optional || !strict)
				continue;
			err("%s:%d: unknown syscall '%.64s' (prefix it with '?' if it is optional)",
			    origin, lineno, tok);
			return -EINVAL;
		}
		if (assigned[nr]) {
			err("%s:%d: syscall '%.64s' is listed twice", origin, lineno, tok + optional);
			return -EINVAL;
		}
		assigned[nr] = 1;
		t->slot_cat[nr] = (uint8_t)cat;
	}
	return 0;
}

int taxonomy_parse(struct taxonomy *t, const char *text, const char *origin, int strict)
{
	uint8_t assigned[OSP_NR_SLOTS] = {0};
	char *copy, *line, *next, *hash;
	int lineno = 0, err = 0, i;

	memset(t, 0, sizeof(*t));
	copy = strdup(text);
	if (!copy)
		return -ENOMEM;
	for (line = copy; line && !err; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		if (strspn(line, " \t\r") == strlen(line))
			continue;
		line[strcspn(line, "\r")] = '\0';
		err = parse_line(t, assigned, line, origin, lineno, strict);
	}
	free(copy);
	if (err)
		return err;

	t->gpu = add_category(t, "gpu");
	t->other = add_category(t, "other");
	if (t->gpu < 0 || t->other < 0) {
		err("%s: more than %d categories (with 'gpu' and 'other')", origin, OSP_MAX_CATEGORIES);
		return -EINVAL;
	}
	for (i = 0; i < OSP_MAX_SYSCALL_NR; i++)
		if (!assigned[i])
			t->slot_cat[i] = (uint8_t)t->other;
	t->slot_cat[OSP_SLOT_GPU_IOCTL] = (uint8_t)t->gpu;
	t->slot_cat[OSP_SLOT_GPU_MMAP] = (uint8_t)t->gpu;
	t->slot_cat[OSP_SLOT_COMPAT] = (uint8_t)t->other;	/* not named by our table */
	return 0;
}

int taxonomy_load_default(struct taxonomy *t)
{
	/* Lenient: the default names syscalls of every architecture. */
	return taxonomy_parse(t, default_text, "default taxonomy", 0);
}

#define TAXONOMY_MAX_BYTES	(1 << 20)

int taxonomy_load_file(struct taxonomy *t, const char *path)
{
	char *buf = malloc(TAXONOMY_MAX_BYTES + 1);
	size_t len = 0;
	ssize_t n;
	int fd, ret = 0;

	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		err("%s: %s", path, strerror(errno));
		free(buf);
		return ret;
	}
	/* Bounded: a device such as /dev/zero is refused, not read forever. */
	while (len <= TAXONOMY_MAX_BYTES) {
		n = read(fd, buf + len, TAXONOMY_MAX_BYTES + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			err("%s: %s", path, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (!ret && len > TAXONOMY_MAX_BYTES) {
		err("%s: larger than %d bytes; not a taxonomy", path, TAXONOMY_MAX_BYTES);
		ret = -EFBIG;
	} else if (!ret && memchr(buf, '\0', len)) {
		err("%s: contains a NUL byte at offset %zu; not a text file", path,
		    (size_t)((char *)memchr(buf, '\0', len) - buf));
		ret = -EINVAL;
	}
	if (!ret) {
		buf[len] = '\0';
		ret = taxonomy_parse(t, buf, path, 1);
	}
	free(buf);
	return ret;
}
