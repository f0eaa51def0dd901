// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* A sweep's summary: per point and category, the median and quartiles of
 * every figure over the point's runs (JSON and CSV), read from the runs'
 * saved reports. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "model/spread.h"
#include "offline/jread.h"
#include "offline/summary.h"

/* Figures summarised per category: where they sit in a report's entry. */
static const struct metric {
	const char *name, *obj, *field;
} metrics[] = {
	{ "count", NULL, "count" },
	{ "errors", NULL, "errors" },
	{ "total_ns", NULL, "total_ns" },
	{ "offcpu_ns", NULL, "offcpu_ns" },
	{ "bytes", NULL, "bytes" },
	{ "calls_per_kb", "per_kb", "calls" },
	{ "usec_per_kb", "per_kb", "usec" },
	{ "bytes_per_kb", "per_kb", "bytes" },
	{ "calls_per_iteration", "per_iteration", "calls" },
	{ "usec_per_iteration", "per_iteration", "usec" },
	{ "bytes_per_iteration", "per_iteration", "bytes" },
};
#define NMETRICS (sizeof(metrics) / sizeof(metrics[0]))

static struct json_object *spread_json(double *v, int n)
{
	struct json_object *o = json_object_new_object();
	struct spread s;

	spread_of(v, n, &s);
	json_object_object_add(o, "median", json_object_new_double(s.median));
	json_object_object_add(o, "q1", json_object_new_double(s.q1));
	json_object_object_add(o, "q3", json_object_new_double(s.q3));
	json_object_object_add(o, "n", json_object_new_int(s.n));
	return o;
}

/* A category's metric in one report, if it has it. */
static bool metric_of(struct json_object *cat, const struct metric *m, double *out)
{
	double v = jnum(m->obj ? jobj(cat, m->obj) : cat, m->field);

	if (isnan(v))
		return false;
	*out = v;
	return true;
}

static struct json_object *category_of(struct json_object *run, const char *name)
{
	struct json_object *arr = jarr(run, "categories");
	size_t k;

	for (k = 0; k < jlen(arr); k++)
		if (!strcmp(jstr(jat(arr, k), "name"), name))
			return jat(arr, k);
	return NULL;
}

/* The point's summary: per category and metric, the spread over its runs. */
static struct json_object *summarise_point(struct json_object **runs, int nruns, FILE *csv,
					   const char *point_csv)
{
	struct json_object *cats = json_object_new_object(), *first;
	double *vals = calloc(nruns ?: 1, sizeof(double));
	size_t c, m;
	int r, n;

	first = nruns ? jarr(runs[0], "categories") : NULL;
	for (c = 0; vals && c < jlen(first); c++) {
		const char *name = jstr(jat(first, c), "name");
		struct json_object *co = json_object_new_object();
		struct spread sp;

		for (m = 0; m < NMETRICS; m++) {
			for (r = 0, n = 0; r < nruns; r++) {
				struct json_object *e = category_of(runs[r], name);

				if (e && metric_of(e, &metrics[m], &vals[n]))
					n++;
			}
			if (!n)
				continue;
			json_object_object_add(co, metrics[m].name, spread_json(vals, n));
			spread_of(vals, n, &sp);
			fprintf(csv, "%s,%s,%s,%.10g,%.10g,%.10g,%d\n", point_csv, name,
				metrics[m].name, sp.median, sp.q1, sp.q3, n);
		}
		json_object_object_add(cats, name, co);
	}
	free(vals);
	return cats;
}

/* The measured footprint (peak RSS of the largest process), an axis next
 * to the declared one. */
static struct json_object *memory_spread(struct json_object **runs, int nruns)
{
	struct json_object *o = json_object_new_object();
	double *vals = calloc(nruns ?: 1, sizeof(double)), v;
	int r, n = 0;

	for (r = 0; vals && r < nruns; r++)
		if (!isnan(v = jnum(jobj(runs[r], "memory"), "peak_rss_bytes")))
			vals[n++] = v;
	if (n)
		json_object_object_add(o, "peak_rss_bytes", spread_json(vals, n));
	free(vals);
	return o;
}

struct json_object *summary_new(const char *const *params, int nparams, char *const *cmd,
				int cmd_argc, int repeat, int warmup)
{
	struct json_object *summary = json_object_new_object(), *a;
	int i;

	json_object_object_add(summary, "kind", json_object_new_string("osiprof-sweep-summary"));
	json_object_object_add(summary, "schema_version", json_object_new_int(1));
	a = json_object_new_array();
	for (i = 0; i < nparams; i++)
		json_object_array_add(a, json_object_new_string(params[i]));
	json_object_object_add(summary, "params", a);
	a = json_object_new_array();
	for (i = 0; i < cmd_argc; i++)
		json_object_array_add(a, json_object_new_string(cmd[i]));
	json_object_object_add(summary, "command", a);
	json_object_object_add(summary, "repeat", json_object_new_int(repeat));
	json_object_object_add(summary, "warmup", json_object_new_int(warmup));
	json_object_object_add(summary, "points", json_object_new_array());
	return summary;
}

void summary_csv_header(FILE *csv, const char *const *params, int nparams)
{
	int i;

	for (i = 0; i < nparams; i++)
		fprintf(csv, "%s,", params[i]);
	fputs("category,metric,median,q1,q3,n\n", csv);
}

void summary_add_point(struct json_object *summary, const struct summary_point *p, FILE *csv)
{
	struct json_object *pt = json_object_new_object(), *o;
	char point_csv[1024];
	int i, len = 0;

	o = json_object_new_object();
	for (i = 0; i < p->nparams; i++) {
		json_object_object_add(o, p->params[i], json_object_new_string(p->values[i]));
		len += snprintf(point_csv + len, sizeof(point_csv) - len, "%s%s", i ? "," : "",
				p->values[i]);
		if (len >= (int)sizeof(point_csv))
			len = (int)sizeof(point_csv) - 1;	/* cut, never overrun */
	}
	json_object_object_add(pt, "params", o);
	o = json_object_new_array();
	for (i = 0; i < p->nfiles; i++)
		json_object_array_add(o, json_object_new_string(p->files[i]));
	json_object_object_add(pt, "runs", o);
	json_object_object_add(pt, "failed_runs", json_object_new_int(p->failed));
	json_object_object_add(pt, "categories", summarise_point(p->runs, p->nruns, csv, point_csv));
	json_object_object_add(pt, "memory", memory_spread(p->runs, p->nruns));
	json_object_array_add(json_object_object_get(summary, "points"), pt);
}

int summary_write(FILE *f, struct json_object *summary)
{
	fputs(json_object_to_json_string_ext(summary, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE), f);
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}
