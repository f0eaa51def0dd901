// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "offline/jread.h"
#include "base/log.h"

#define MAX_DEPTH	64

static int only_space(const char *s, size_t n)
{
	while (n--)
		if (!strchr(" \t\r\n", *s++))
			return 0;
	return 1;
}

struct json_object *jread_text(const char *text, size_t len, const char **why)
{
	struct json_tokener *tok;
	struct json_object *j;

	if (memchr(text, '\0', len)) {
		*why = "contains a NUL byte";
		return NULL;
	}
	if (len > JREAD_MAX_BYTES || len > (size_t)INT32_MAX) {
		*why = "too large";
		return NULL;
	}
	tok = json_tokener_new_ex(MAX_DEPTH);
	if (!tok) {
		*why = "out of memory";
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	j = json_tokener_parse_ex(tok, text, (int)len);
	if (!j || json_tokener_get_error(tok) != json_tokener_success) {
		*why = json_tokener_get_error(tok) == json_tokener_continue ? "truncated JSON"
			: json_tokener_error_desc(json_tokener_get_error(tok));
		json_object_put(j);
		j = NULL;
	} else if (!only_space(text + json_tokener_get_parse_end(tok),
			       len - json_tokener_get_parse_end(tok))) {
		*why = "text after the JSON value";
		json_object_put(j);
		j = NULL;
	} else if (!json_object_is_type(j, json_type_object)) {
		*why = "not a JSON object";
		json_object_put(j);
		j = NULL;
	}
	json_tokener_free(tok);
	return j;
}

struct json_object *jread_file(const char *path)
{
	struct json_object *j = NULL;
	const char *why = NULL;
	struct stat st;
	char *buf = NULL;
	size_t off = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		err("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st))
		why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	else if ((unsigned long long)st.st_size > JREAD_MAX_BYTES)
		why = "larger than 256 MiB";
	else if (!(buf = malloc((size_t)st.st_size + 1)))
		why = "out of memory";
	while (!why && off < (size_t)st.st_size) {
		n = read(fd, buf + off, (size_t)st.st_size - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			why = n < 0 ? strerror(errno) : "changed while being read";
			break;
		}
		off += (size_t)n;
	}
	close(fd);
	if (!why) {
		buf[off] = '\0';
		j = jread_text(buf, off, &why);
	}
	if (!j)
		err("%s: not an osiprof report (%s)", path, why);
	free(buf);
	return j;
}

static struct json_object *member(struct json_object *o, const char *key, enum json_type type)
{
	struct json_object *v;

	if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, type))
		return NULL;
	return v;
}

struct json_object *jobj(struct json_object *o, const char *key)
{
	return member(o, key, json_type_object);
}

struct json_object *jarr(struct json_object *o, const char *key)
{
	return member(o, key, json_type_array);
}

size_t jlen(struct json_object *arr)
{
	return json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
}

struct json_object *jat(struct json_object *arr, size_t i)
{
	return i < jlen(arr) ? json_object_array_get_idx(arr, i) : NULL;
}

double jnum(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
		return NAN;
	if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))
		return json_object_get_double(v);
	return NAN;
}

const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key, json_type_string);

	return v ? json_object_get_string(v) : "";
}

const char *jscalar(struct json_object *v)
{
	if (json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array) || !v)
		return "";
	return json_object_get_string(v);
}
