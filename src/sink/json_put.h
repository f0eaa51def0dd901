/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* How every JSON writer puts a value: counters as unsigned 64-bit, never
 * signed; doubles finite; strings valid UTF-8; times as ISO 8601; figures
 * not collected as null. */
#ifndef OSP_JSON_PUT_H
#define OSP_JSON_PUT_H

#include <stdbool.h>
#include <stdint.h>

struct json_object;

void json_put_u64(struct json_object *o, const char *k, uint64_t v);
void json_put_s64(struct json_object *o, const char *k, int64_t v);
void json_put_dbl(struct json_object *o, const char *k, double v);
void json_put_bool(struct json_object *o, const char *k, bool v);
void json_put_str(struct json_object *o, const char *k, const char *v);	/* NULL: null */
/* v, or null when the figure was not collected. */
void json_put_u64_if(struct json_object *o, const char *k, bool collected, uint64_t v);
/* A CLOCK_REALTIME time in ns as ISO 8601 text. */
void json_put_time(struct json_object *o, const char *k, uint64_t real_ns);

#endif
