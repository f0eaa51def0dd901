// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <math.h>
#include <string.h>
#include <json-c/json.h>
#include "base/timefmt.h"
#include "sink/json_put.h"
#include "sink/text.h"

void json_put_u64(struct json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

void json_put_s64(struct json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

void json_put_dbl(struct json_object *o, const char *k, double v)
{
	json_object_object_add(o, k, json_object_new_double(isfinite(v) ? v : 0));
}

void json_put_bool(struct json_object *o, const char *k, bool v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

void json_put_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, v ? json_utf8(v, strlen(v)) : NULL);
}

void json_put_u64_if(struct json_object *o, const char *k, bool collected, uint64_t v)
{
	json_object_object_add(o, k, collected ? json_object_new_uint64(v) : NULL);
}

void json_put_time(struct json_object *o, const char *k, uint64_t real_ns)
{
	char buf[ISO8601_LEN];

	iso8601(real_ns, buf, sizeof(buf));
	json_object_object_add(o, k, json_object_new_string(buf));
}
