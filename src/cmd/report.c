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
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include "cmd/commands.h"
#include "offline/jread.h"
#include "sink/text.h"
#include "base/log.h"

#define MAX_INPUTS	256
#define MAX_COLS	32

struct report_env {
	const char *paths[MAX_INPUTS];
	int npaths;
	const char *per;	/* "kb" or "iteration" */
	const char *format;
	const char *by;		/* one report: category, syscall, process or phase */
	bool diff;
};

static const struct argp_option report_options[] = {
	{ "per", 'p', "kb|iteration", 0, "Normalise per KB (default) or per iteration" },
	{ "format", 'f', "table|csv|json", 0, "Output format (default table)" },
	{ "by", 'b', "category|syscall|process|phase", 0, "One report: which breakdown (default category)" },
	{ "diff", 'd', NULL, 0, "Compare two reports: both values, delta and ratio, biggest change first" },
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
	case 'b':
		if (strcmp(arg, "category") && strcmp(arg, "syscall") && strcmp(arg, "process") &&
		    strcmp(arg, "phase")) {
			err("bad --by '%s': category, syscall, process or phase", arg);
			return EINVAL;
		}
		env->by = arg;
		break;
	case 'd': env->diff = true; break;
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
	.args_doc = "SWEEP_DIR | SUMMARY.json | REPORT.json... | --diff A.json B.json",
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
	double rss_kb[MAX_INPUTS];	/* measured peak RSS (median), NAN if unknown */
	char *row_header;
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

	if (stat(path, &st)) {
		err("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		if ((size_t)snprintf(p, sizeof(p), "%s/summary.json", path) >= sizeof(p)) {
			err("%s: path too long", path);
			return NULL;
		}
		path = p;
	}
	return jread_file(path);
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

static int from_summary(struct table *t, struct json_object *s, const char *per)
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

static int from_report(struct table *t, struct json_object *r, const char *path, const char *per)
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
static int one_report(struct json_object *r, const char *by, const char *fmt)
{
	struct json_object *arr, *out = json_object_new_array();
	const char *key = !strcmp(by, "category") ? "categories" : !strcmp(by, "syscall") ? "syscalls"
			: !strcmp(by, "process") ? "processes" : "phases";
	size_t i;

	arr = jarr(r, key);
	if (!strcmp(by, "phase")) {
		struct json_object *ph = jobj(r, key), *col = ph ? json_object_object_get(ph, "collected") : NULL;

		if (!json_object_is_type(col, json_type_boolean) || !json_object_get_boolean(col)) {
			err("this report has no phases (record it with --phases)");
			json_object_put(out);
			return 1;
		}
		arr = jarr(ph, "list");
	}
	if (!strcmp(fmt, "table")) {
		if (!strcmp(by, "process"))
			printf("%8s %-16s %10s %14s %10s %12s\n", "PID", "Command", "Calls", "Syscall ns",
			       "Faults", "Peak RSS kB");
		else if (!strcmp(by, "phase"))
			printf("%-24s %6s %14s %10s %14s\n", "Phase", "Marks", "Wall ns", "Calls", "Syscall ns");
		else
			printf("%8s %14s %10s %8s %12s %12s %12s  %s\n", "Time (%)", "Total ns", "Num Calls",
			       "Errors", "Avg ns", "Med ns", "P99 ns", "Name");
	} else if (!strcmp(fmt, "csv")) {
		printf("%s\n", !strcmp(by, "process") ? "pid,comm,syscalls,syscall_ns,page_faults,peak_rss_bytes"
		       : !strcmp(by, "phase") ? "phase,marks,wall_ns,calls,syscall_ns"
		       : "name,count,errors,total_ns,mean_ns,p50_ns,p99_ns,time_pct");
	}
	for (i = 0; i < jlen(arr); i++) {
		struct json_object *e = jat(arr, i), *pf, *t;

		if (!strcmp(by, "process")) {
			pf = jobj(e, "page_faults");
			if (!strcmp(fmt, "table"))
				printf("%8.0f %-16s %10.0f %14.0f %10.0f %12.0f\n", jnum(e, "pid"), jstr(e, "comm"),
				       jnum(e, "syscalls"), jnum(e, "syscall_ns"), jnum(pf, "minor") + jnum(pf, "major"),
				       jnum(e, "peak_rss_bytes") / 1024);
			else if (!strcmp(fmt, "csv"))
				printf("%.0f,%s,%.0f,%.0f,%.0f,%.0f\n", jnum(e, "pid"), jstr(e, "comm"),
				       jnum(e, "syscalls"), jnum(e, "syscall_ns"),
				       jnum(pf, "minor") + jnum(pf, "major"), jnum(e, "peak_rss_bytes"));
		} else if (!strcmp(by, "phase")) {
			t = jobj(e, "totals");
			if (!strcmp(fmt, "table"))
				printf("%-24s %6.0f %14.0f %10.0f %14.0f\n", jstr(e, "name"), jnum(e, "marks"),
				       jnum(e, "wall_ns"), jnum(t, "count"), jnum(t, "total_ns"));
			else if (!strcmp(fmt, "csv"))
				printf("%s,%.0f,%.0f,%.0f,%.0f\n", jstr(e, "name"), jnum(e, "marks"),
				       jnum(e, "wall_ns"), jnum(t, "count"), jnum(t, "total_ns"));
		} else {
			if (!(jnum(e, "count") > 0))
				continue;
			if (!strcmp(fmt, "table"))
				printf("%8.1f %14.0f %10.0f %8.0f %12.1f %12.0f %12.0f  %s%s%s%s\n",
				       jnum(e, "time_pct"), jnum(e, "total_ns"), jnum(e, "count"),
				       jnum(e, "errors"), jnum(e, "mean_ns"), jnum(e, "p50_ns"), jnum(e, "p99_ns"),
				       jstr(e, "name"), *jstr(e, "category") ? " (" : "", jstr(e, "category"),
				       *jstr(e, "category") ? ")" : "");
			else if (!strcmp(fmt, "csv"))
				printf("%s,%.0f,%.0f,%.0f,%.1f,%.0f,%.0f,%.3f\n", jstr(e, "name"), jnum(e, "count"),
				       jnum(e, "errors"), jnum(e, "total_ns"), jnum(e, "mean_ns"), jnum(e, "p50_ns"),
				       jnum(e, "p99_ns"), jnum(e, "time_pct"));
		}
		json_object_array_add(out, json_object_get(e));
	}
	if (!strcmp(fmt, "json"))
		puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY));
	json_object_put(out);
	return 0;
}

struct change {
	char name[96];
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

/* Adds every entry of A's and B's arrays (categories, or syscalls keyed by
 * name and category) to the change list. */
static int collect_changes(struct json_object *a, struct json_object *b, const char *key,
			   struct change *ch, int n, int max)
{
	struct json_object *side[2] = { jarr(a, key), jarr(b, key) };
	int s, k;
	size_t i;

	for (s = 0; s < 2; s++) {
		for (i = 0; i < jlen(side[s]); i++) {
			struct json_object *e = jat(side[s], i);
			char name[96];

			if (!strcmp(key, "syscalls"))
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
				ch[k].a_count = jnum(e, "count");
				ch[k].a_ns = jnum(e, "total_ns");
			} else {
				ch[k].b_count = jnum(e, "count");
				ch[k].b_ns = jnum(e, "total_ns");
			}
		}
	}
	return n;
}

static int diff_reports(struct json_object *a, struct json_object *b, const char *fmt)
{
	struct change *ch = calloc(1024, sizeof(*ch));
	struct json_object *out;
	int n, i;

	if (!ch)
		return 1;
	n = collect_changes(a, b, "categories", ch, 0, 1024);
	n = collect_changes(a, b, "syscalls", ch, n, 1024);
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

int cmd_report(int argc, char **argv, const sigset_t *caller_mask)
{
	struct report_env env = { .per = "kb", .format = "table" };
	struct table *t = calloc(1, sizeof(*t));
	int i, j, ret = 1, order[MAX_INPUTS], version = -1, nreports = 0;
	struct json_object *reports[2] = { NULL, NULL };
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
	if (env.diff && env.npaths != 2) {
		err("--diff compares exactly two reports");
		free(t);
		return 2;
	}
	for (i = 0; i < env.npaths; i++) {
		struct json_object *in = load(env.paths[i]), *v;
		const char *kind = NULL;

		if (!in)
			goto out;
		kind = jstr(in, "kind");
		v = json_object_object_get(in, "schema_version");
		if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 1 ||
		    json_object_get_int64(v) > 1000) {
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
		if (!strcmp(kind, "osiprof-sweep-summary")) {
			if (env.npaths > 1) {
				err("%s: a sweep summary is reported on its own", env.paths[i]);
				json_object_put(in);
				goto out;
			}
			if (from_summary(t, in, env.per)) {
				err("%s: not a sweep summary (no points)", env.paths[i]);
				json_object_put(in);
				goto out;
			}
		} else if (jarr(in, "categories")) {
			from_report(t, in, env.paths[i], env.per);
			if (nreports < 2)
				reports[nreports++] = json_object_get(in);
		} else {
			err("%s: not an osiprof report (no categories)", env.paths[i]);
			json_object_put(in);
			goto out;
		}
		json_object_put(in);
	}
	if (env.diff) {
		if (nreports != 2) {
			err("--diff compares two reports, not sweep summaries");
			goto out;
		}
		ret = diff_reports(reports[0], reports[1], env.format);
		goto out;
	}
	if (nreports == 1 && env.npaths == 1 && (env.by || !t->ncols)) {
		ret = one_report(reports[0], env.by ?: "category", env.format);
		goto out;
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
	json_object_put(reports[0]);
	json_object_put(reports[1]);
	for (i = 0; i < t->nrows; i++)
		free(t->rows[i]);
	for (i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	free(t->row_header);
	free(t);
	return ret;
}
