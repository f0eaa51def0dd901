// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Two saved reports side by side: what changed, largest time change first. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "offline/jread.h"
#include "offline/tables.h"
#include "sink/text.h"
#include "base/log.h"

#define DIFF_MAX	4096

struct change {
	char name[256];
	double a_count, b_count, a_ns, b_ns;
};

static int cmp_change(const void *x, const void *y)
{
	const struct change *a = x, *b = y;
	double da = fabs(a->b_ns - a->a_ns), db = fabs(b->b_ns - b->a_ns);

	if (da != db)
		return da < db ? 1 : -1;
	return strcmp(a->name, b->name);
}

/* A stack's key across runs (pids differ): its syscall and frames. */
static void stack_name(struct json_object *e, char *name, size_t len)
{
	int n = snprintf(name, len, "%s <- ", jstr(e, "syscall"));

	if (n > 0 && (size_t)n < len)
		stack_frames_text(jarr(e, "frames"), " <- ", name + n, len - (size_t)n);
}

/* Adds every entry of A's and B's arrays (categories, syscalls keyed by
 * name and category, stacks by syscall and frames, summed over processes)
 * to the change list. */
static int collect_changes(struct json_object *a, struct json_object *b, const char *key,
			   struct change *ch, int n, int max)
{
	struct json_object *side[2] = { jarr(a, key), jarr(b, key) };
	int s, k;
	size_t i;

	for (s = 0; s < 2; s++) {
		for (i = 0; i < jlen(side[s]); i++) {
			struct json_object *e = jat(side[s], i);
			char name[256];

			if (!strcmp(key, "stacks"))
				stack_name(e, name, sizeof(name));
			else if (!strcmp(key, "syscalls"))
				snprintf(name, sizeof(name), "%s (%s)", jstr(e, "name"), jstr(e, "category"));
			else
				snprintf(name, sizeof(name), "[%s]", jstr(e, "name"));
			for (k = 0; k < n && strcmp(ch[k].name, name); k++)
				;
			if (k == n) {
				if (n == max)
					return n;
				memset(&ch[n], 0, sizeof(ch[n]));
				snprintf(ch[n].name, sizeof(ch[n].name), "%s", name);
				n++;
			}
			if (s == 0) {
				ch[k].a_count += jnum(e, "count");
				ch[k].a_ns += jnum(e, "total_ns");
			} else {
				ch[k].b_count += jnum(e, "count");
				ch[k].b_ns += jnum(e, "total_ns");
			}
		}
	}
	return n;
}

int report_diff(struct json_object *a, struct json_object *b, const char *fmt)
{
	struct change *ch = calloc(DIFF_MAX, sizeof(*ch));
	struct json_object *out;
	int n, i;

	if (!ch)
		return 1;
	n = collect_changes(a, b, "categories", ch, 0, DIFF_MAX);
	n = collect_changes(a, b, "syscalls", ch, n, DIFF_MAX);
	n = collect_changes(a, b, "stacks", ch, n, DIFF_MAX);
	qsort(ch, n, sizeof(*ch), cmp_change);
	out = json_object_new_array();
	if (!strcmp(fmt, "table"))
		printf("%-32s %12s %12s %12s %8s %14s %14s %14s %8s\n", "Name", "Calls A", "Calls B",
		       "Delta", "Ratio", "Time A (ns)", "Time B (ns)", "Delta", "Ratio");
	else if (!strcmp(fmt, "csv"))
		puts("name,calls_a,calls_b,calls_delta,calls_ratio,ns_a,ns_b,ns_delta,ns_ratio");
	for (i = 0; i < n; i++) {
		const struct change *c = &ch[i];
		double cr = c->a_count ? c->b_count / c->a_count : NAN;
		double nr = c->a_ns ? c->b_ns / c->a_ns : NAN;
		struct json_object *e;

		if (!c->a_count && !c->b_count)
			continue;
		if (!strcmp(fmt, "table")) {
			printf("%-32s %12.0f %12.0f %+12.0f %8.3g %14.0f %14.0f %+14.0f %8.3g\n", c->name,
			       c->a_count, c->b_count, c->b_count - c->a_count, cr, c->a_ns, c->b_ns,
			       c->b_ns - c->a_ns, nr);
		} else if (!strcmp(fmt, "csv")) {
			printf("%s,%.0f,%.0f,%.0f,%.6g,%.0f,%.0f,%.0f,%.6g\n", c->name, c->a_count, c->b_count,
			       c->b_count - c->a_count, cr, c->a_ns, c->b_ns, c->b_ns - c->a_ns, nr);
		}
		e = json_object_new_object();
		json_object_object_add(e, "name", json_object_new_string(c->name));
		json_object_object_add(e, "calls_a", json_object_new_double(c->a_count));
		json_object_object_add(e, "calls_b", json_object_new_double(c->b_count));
		json_object_object_add(e, "calls_delta", json_object_new_double(c->b_count - c->a_count));
		json_object_object_add(e, "calls_ratio", isnan(cr) ? NULL : json_object_new_double(cr));
		json_object_object_add(e, "ns_a", json_object_new_double(c->a_ns));
		json_object_object_add(e, "ns_b", json_object_new_double(c->b_ns));
		json_object_object_add(e, "ns_delta", json_object_new_double(c->b_ns - c->a_ns));
		json_object_object_add(e, "ns_ratio", isnan(nr) ? NULL : json_object_new_double(nr));
		json_object_array_add(out, e);
	}
	if (!strcmp(fmt, "json"))
		puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY));
	json_object_put(out);
	free(ch);
	return 0;
}

