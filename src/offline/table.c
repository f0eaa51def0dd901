// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The seed experiments' tables from saved reports or a sweep summary: rows
 * are runs or parameter values, columns categories, values calls and
 * microseconds per KB (or per iteration), medians over repeated runs. */
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

static int col_of(struct table *t, const char *name)
{
	int c;

	for (c = 0; c < t->ncols; c++)
		if (!strcmp(t->cols[c], name))
			return c;
	if (t->ncols == MAX_COLS)
		return -1;
	t->cols[t->ncols] = strdup(name);
	for (c = 0; c < MAX_INPUTS; c++)
		t->calls[c][t->ncols] = t->usec[c][t->ncols] = NAN;
	return t->ncols++;
}

/* Appends text to a bounded buffer; a long label is cut, never overrun. */
static void append(char *buf, size_t size, size_t *len, const char *sep, const char *text)
{
	int n;

	if (*len >= size - 1)
		return;
	n = snprintf(buf + *len, size - *len, "%s%s", *len ? sep : "", text);
	*len = n < 0 ? *len : *len + (size_t)n >= size ? size - 1 : *len + (size_t)n;
}

static double median_of(struct json_object *cat, const char *metric)
{
	return jnum(jobj(cat, metric), "median");
}

int table_from_summary(struct table *t, struct json_object *s, const char *per)
{
	struct json_object *points, *params, *cats;
	char calls_m[32], usec_m[32], label[512];
	size_t i, len;

	snprintf(calls_m, sizeof(calls_m), "calls_per_%s", per);
	snprintf(usec_m, sizeof(usec_m), "usec_per_%s", per);
	points = jarr(s, "points");
	if (!points)
		return -EINVAL;
	/* A copy: the summary is freed before the table is printed. */
	free(t->row_header);
	t->row_header = strdup(jscalar(jat(jarr(s, "params"), 0)));
	for (i = 0; i < jlen(points) && t->nrows < MAX_INPUTS; i++) {
		struct json_object *pt = jat(points, i);
		int r = t->nrows++;

		params = jobj(pt, "params");
		len = 0;
		label[0] = '\0';
		if (params) {
			json_object_object_foreach(params, k, v) {
				(void)k;
				append(label, sizeof(label), &len, ",", jscalar(v));
			}
		}
		t->rows[r] = strdup(label);
		t->sort_key[r] = (double)r;
		t->rss_kb[r] = median_of(jobj(pt, "memory"), "peak_rss_bytes") / 1024;
		cats = jobj(pt, "categories");
		if (!cats)
			continue;
		json_object_object_foreach(cats, name, cat) {
			int c;

			if (isnan(median_of(cat, calls_m)))
				continue;
			if (!(median_of(cat, "count") > 0))
				continue;
			c = col_of(t, name);
			if (c < 0)
				continue;
			t->calls[r][c] = median_of(cat, calls_m);
			t->usec[r][c] = median_of(cat, usec_m);
		}
	}
	return 0;
}

int table_from_report(struct table *t, struct json_object *r, const char *path, const char *per)
{
	struct json_object *cats, *tags, *v;
	const char *key = !strcmp(per, "kb") ? "bytes" : "iterations";
	char obj[32];
	size_t i;
	int row;

	if (t->nrows == MAX_INPUTS)
		return -E2BIG;
	row = t->nrows++;
	snprintf(obj, sizeof(obj), "per_%s", per);
	t->rss_kb[row] = jnum(jobj(r, "memory"), "peak_rss_bytes") / 1024;
	tags = jobj(jobj(r, "config"), "tags");
	v = tags ? json_object_object_get(tags, key) : NULL;
	if (v && *jscalar(v)) {
		t->rows[row] = strdup(jscalar(v));
		t->sort_key[row] = atof(jscalar(v));
	} else {
		t->rows[row] = strdup(path);
		t->sort_key[row] = row;
	}
	free(t->row_header);
	t->row_header = strdup(key);
	cats = jarr(r, "categories");
	for (i = 0; i < jlen(cats); i++) {
		struct json_object *c = jat(cats, i), *o = jobj(c, obj);
		int col;

		if (!(jnum(c, "count") > 0) || !o || !*jstr(c, "name"))
			continue;
		col = col_of(t, jstr(c, "name"));
		if (col < 0)
			continue;
		t->calls[row][col] = jnum(o, "calls");
		t->usec[row][col] = jnum(o, "usec");
	}
	return 0;
}

void table_print(const struct table *t, const char *title, double m[][MAX_COLS],
			const char *fmt, const int *order)
{
	int r, c;

	if (!strcmp(fmt, "csv")) {
		for (r = 0; r < t->nrows; r++)
			for (c = 0; c < t->ncols; c++)
				if (!isnan(m[order[r]][c]))
					printf("%s,%s,%s,%.6g\n", title, t->rows[order[r]], t->cols[c],
					       m[order[r]][c]);
		return;
	}
	/* peak RSS in KiB (1024 bytes: the kernel's unit), per-KB figures per
	 * 1000 bytes (the seed experiments'): the headers say which. */
	printf("%s:\n\n    %-12s %14s", title, t->row_header ?: "run", "peak_rss_KiB");
	for (c = 0; c < t->ncols; c++)
		printf(" %12s", t->cols[c]);
	putchar('\n');
	for (r = 0; r < t->nrows; r++) {
		char label[64];

		/* Cut, and never let a label shift the columns or reach the terminal raw. */
		text_printable(t->rows[order[r]], strlen(t->rows[order[r]]), label, 13);
		if (isnan(t->rss_kb[order[r]]))
			printf("    %-12s %14s", label, "-");
		else
			printf("    %-12s %14.0f", label, t->rss_kb[order[r]]);
		for (c = 0; c < t->ncols; c++) {
			if (isnan(m[order[r]][c]))
				printf(" %12s", "-");
			else
				printf(" %12.4g", m[order[r]][c]);	/* 4 significant digits */
		}
		putchar('\n');
	}
	putchar('\n');
}

void table_print_json(const struct table *t, const char *per, const int *order)
{
	struct json_object *root = json_object_new_object(), *rows = json_object_new_array();
	int r, c;

	json_object_object_add(root, "per", json_object_new_string(per));
	json_object_object_add(root, "row_key", json_object_new_string(t->row_header ?: "run"));
	for (r = 0; r < t->nrows; r++) {
		struct json_object *row = json_object_new_object(), *calls = json_object_new_object(),
				   *usec = json_object_new_object();

		json_object_object_add(row, "row", json_object_new_string(t->rows[order[r]]));
		json_object_object_add(row, "peak_rss_kib", isnan(t->rss_kb[order[r]]) ? NULL :
				       json_object_new_double(t->rss_kb[order[r]]));
		for (c = 0; c < t->ncols; c++) {
			if (isnan(t->calls[order[r]][c]))
				continue;
			json_object_object_add(calls, t->cols[c], json_object_new_double(t->calls[order[r]][c]));
			json_object_object_add(usec, t->cols[c], json_object_new_double(t->usec[order[r]][c]));
		}
		json_object_object_add(row, "calls", calls);
		json_object_object_add(row, "usec", usec);
		json_object_array_add(rows, row);
	}
	json_object_object_add(root, "rows", rows);
	puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY));
	json_object_put(root);
}

/* One report, one breakdown: an osrt_sum-like table (or CSV/JSON rows). */
void table_free(struct table *t)
{
	int i;

	if (!t)
		return;
	for (i = 0; i < t->nrows; i++)
		free(t->rows[i]);
	for (i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	free(t->row_header);
	free(t);
}
