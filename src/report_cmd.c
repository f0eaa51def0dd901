// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * osiprof report: tables from saved reports. A sweep (its directory or
 * summary.json) or several reports give the seed experiments' tables: rows
 * are parameter values, columns categories, values calls and microseconds
 * per KB (or per iteration), medians over the repeated runs. One report
 * gives its per-category table.
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include "commands.h"
#include "log.h"

#define MAX_INPUTS	256
#define MAX_COLS	32

struct report_env {
	const char *paths[MAX_INPUTS];
	int npaths;
	const char *per;	/* "kb" or "iteration" */
	const char *format;
};

static const struct argp_option report_options[] = {
	{ "per", 'p', "kb|iteration", 0, "Normalise per KB (default) or per iteration" },
	{ "format", 'f', "table|csv|json", 0, "Output format (default table)" },
	{},
};

static error_t report_parse(int key, char *arg, struct argp_state *state)
{
	struct report_env *env = state->input;

	switch (key) {
	case 'p':
		if (strcmp(arg, "kb") && strcmp(arg, "iteration")) {
			err("bad --per '%s': kb or iteration", arg);
			return EINVAL;
		}
		env->per = arg;
		break;
	case 'f':
		if (strcmp(arg, "table") && strcmp(arg, "csv") && strcmp(arg, "json")) {
			err("unknown format '%s' (table, csv or json)", arg);
			return EINVAL;
		}
		env->format = arg;
		break;
	case ARGP_KEY_ARG:
		if (env->npaths == MAX_INPUTS) {
			err("at most %d reports", MAX_INPUTS);
			return EINVAL;
		}
		env->paths[env->npaths++] = arg;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp report_argp = {
	.options = report_options,
	.parser = report_parse,
	.args_doc = "SWEEP_DIR | SUMMARY.json | REPORT.json...",
	.doc = "Tables from saved reports: calls and microseconds per KB (or per iteration) by "
	       "category, one row per parameter value.",
};

/* The table being built: rows x categories, two metrics. */
struct table {
	char *rows[MAX_INPUTS];
	double sort_key[MAX_INPUTS];
	int nrows;
	char *cols[MAX_COLS];
	int ncols;
	double calls[MAX_INPUTS][MAX_COLS], usec[MAX_INPUTS][MAX_COLS];
	const char *row_header;
};

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

static struct json_object *load(const char *path)
{
	char p[PATH_MAX];
	struct stat st;
	struct json_object *j;

	if (stat(path, &st)) {
		err("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(p, sizeof(p), "%s/summary.json", path);
		path = p;
	}
	j = json_object_from_file(path);
	if (!j || !json_object_is_type(j, json_type_object)) {
		err("%s: not an osiprof report (%s)", path, j ? "not a JSON object" : "not JSON");
		json_object_put(j);
		return NULL;
	}
	return j;
}

static double median_of(struct json_object *cat, const char *metric)
{
	struct json_object *m, *v;

	if (!json_object_object_get_ex(cat, metric, &m) || !json_object_object_get_ex(m, "median", &v))
		return NAN;
	return json_object_get_double(v);
}

static int from_summary(struct table *t, struct json_object *s, const char *per)
{
	struct json_object *points, *params, *cats;
	char calls_m[32], usec_m[32], label[512];
	size_t i;
	int len;

	snprintf(calls_m, sizeof(calls_m), "calls_per_%s", per);
	snprintf(usec_m, sizeof(usec_m), "usec_per_%s", per);
	if (!json_object_object_get_ex(s, "points", &points))
		return -EINVAL;
	t->row_header = json_object_get_string(json_object_array_get_idx(
		json_object_object_get(s, "params"), 0));
	for (i = 0; i < json_object_array_length(points) && t->nrows < MAX_INPUTS; i++) {
		struct json_object *pt = json_object_array_get_idx(points, i);
		int r = t->nrows++;

		params = json_object_object_get(pt, "params");
		len = 0;
		label[0] = '\0';
		json_object_object_foreach(params, k, v) {
			(void)k;
			len += snprintf(label + len, sizeof(label) - len, "%s%s", len ? "," : "",
					json_object_get_string(v));
		}
		t->rows[r] = strdup(label);
		t->sort_key[r] = (double)r;
		cats = json_object_object_get(pt, "categories");
		json_object_object_foreach(cats, name, cat) {
			int c;

			if (isnan(median_of(cat, calls_m)))
				continue;
			if (median_of(cat, "count") <= 0)
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

static int from_report(struct table *t, struct json_object *r, const char *path, const char *per)
{
	struct json_object *cats, *tags, *v, *o;
	const char *key = !strcmp(per, "kb") ? "bytes" : "iterations";
	char obj[32];
	size_t i;
	int row = t->nrows++;

	snprintf(obj, sizeof(obj), "per_%s", per);
	tags = json_object_object_get(json_object_object_get(r, "config"), "tags");
	if (tags && json_object_object_get_ex(tags, key, &v)) {
		t->rows[row] = strdup(json_object_get_string(v));
		t->sort_key[row] = atof(json_object_get_string(v));
	} else {
		t->rows[row] = strdup(path);
		t->sort_key[row] = row;
	}
	t->row_header = key;
	cats = json_object_object_get(r, "categories");
	for (i = 0; i < json_object_array_length(cats); i++) {
		struct json_object *c = json_object_array_get_idx(cats, i);
		int col;

		if (json_object_get_int64(json_object_object_get(c, "count")) <= 0 ||
		    !json_object_object_get_ex(c, obj, &o))
			continue;
		col = col_of(t, json_object_get_string(json_object_object_get(c, "name")));
		if (col < 0)
			continue;
		t->calls[row][col] = json_object_get_double(json_object_object_get(o, "calls"));
		t->usec[row][col] = json_object_get_double(json_object_object_get(o, "usec"));
	}
	return 0;
}

static void print_table(const struct table *t, const char *title, double m[][MAX_COLS],
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
	printf("%s:\n\n    %-12s", title, t->row_header ?: "run");
	for (c = 0; c < t->ncols; c++)
		printf(" %12s", t->cols[c]);
	putchar('\n');
	for (r = 0; r < t->nrows; r++) {
		printf("    %-12s", t->rows[order[r]]);
		for (c = 0; c < t->ncols; c++) {
			if (isnan(m[order[r]][c]))
				printf(" %12s", "-");
			else
				printf(" %12.6g", m[order[r]][c]);
		}
		putchar('\n');
	}
	putchar('\n');
}

static void print_json(const struct table *t, const char *per, const int *order)
{
	struct json_object *root = json_object_new_object(), *rows = json_object_new_array();
	int r, c;

	json_object_object_add(root, "per", json_object_new_string(per));
	json_object_object_add(root, "row_key", json_object_new_string(t->row_header ?: "run"));
	for (r = 0; r < t->nrows; r++) {
		struct json_object *row = json_object_new_object(), *calls = json_object_new_object(),
				   *usec = json_object_new_object();

		json_object_object_add(row, "row", json_object_new_string(t->rows[order[r]]));
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

int cmd_report(int argc, char **argv)
{
	struct report_env env = { .per = "kb", .format = "table" };
	struct table *t = calloc(1, sizeof(*t));
	int i, j, ret = 1, order[MAX_INPUTS], version = -1;
	char title[64];

	if (!t)
		return 1;
	if (argp_parse(&report_argp, argc, argv, 0, NULL, &env)) {
		free(t);
		return 2;
	}
	if (!env.npaths) {
		err("give a sweep directory, a summary.json or reports (see --help)");
		free(t);
		return 2;
	}
	for (i = 0; i < env.npaths; i++) {
		struct json_object *in = load(env.paths[i]), *v;
		const char *kind = NULL;

		if (!in)
			goto out;
		if (json_object_object_get_ex(in, "kind", &v))
			kind = json_object_get_string(v);
		if (!json_object_object_get_ex(in, "schema_version", &v)) {
			err("%s: not an osiprof report (no schema_version)", env.paths[i]);
			json_object_put(in);
			goto out;
		}
		if (version >= 0 && json_object_get_int(v) != version) {
			err("%s: schema_version %d, but the first input has %d: cannot mix them",
			    env.paths[i], json_object_get_int(v), version);
			json_object_put(in);
			goto out;
		}
		version = json_object_get_int(v);
		if (kind && !strcmp(kind, "osiprof-sweep-summary")) {
			if (env.npaths > 1) {
				err("%s: a sweep summary is reported on its own", env.paths[i]);
				json_object_put(in);
				goto out;
			}
			from_summary(t, in, env.per);
		} else if (json_object_object_get_ex(in, "categories", &v)) {
			from_report(t, in, env.paths[i], env.per);
		} else {
			err("%s: not an osiprof report (no categories)", env.paths[i]);
			json_object_put(in);
			goto out;
		}
		json_object_put(in);
	}
	if (!t->ncols) {
		err("no per-%s figures: tag the runs with %s= (or sweep --param %s=...)", env.per,
		    !strcmp(env.per, "kb") ? "bytes" : "iterations",
		    !strcmp(env.per, "kb") ? "bytes" : "iterations");
		goto out;
	}
	/* Rows in parameter order (insertion sort: few rows). */
	for (i = 0; i < t->nrows; i++) {
		for (j = i; j > 0 && t->sort_key[order[j - 1]] > t->sort_key[i]; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	if (!strcmp(env.format, "json")) {
		print_json(t, env.per, order);
	} else {
		if (!strcmp(env.format, "csv"))
			printf("table,%s,category,value\n", t->row_header ?: "run");
		snprintf(title, sizeof(title), "syscall count / %s", !strcmp(env.per, "kb") ? "kilobyte" : "iteration");
		print_table(t, title, t->calls, env.format, order);
		snprintf(title, sizeof(title), "usec / %s", !strcmp(env.per, "kb") ? "kilobyte" : "iteration");
		print_table(t, title, t->usec, env.format, order);
	}
	ret = 0;
out:
	for (i = 0; i < t->nrows; i++)
		free(t->rows[i]);
	for (i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	free(t);
	return ret;
}
