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
#include "cmd/options.h"
#include "offline/jread.h"
#include "offline/tables.h"
#include "sink/text.h"
#include "base/log.h"

struct report_env {
	const char *paths[MAX_INPUTS];
	int npaths;
	const char *per;	/* "kb" or "iteration" */
	const char *format;
	const char *by;		/* one report: category, syscall, process or phase */
	bool diff;
};

static error_t add_input(void *input, char *arg, struct argp_state *state)
{
	struct report_env *env = input;

	(void)state;
	if (env->npaths == MAX_INPUTS) {
		err("at most %d reports", MAX_INPUTS);
		return EINVAL;
	}
	env->paths[env->npaths++] = arg;
	return 0;
}

OPT_TABLE(report_table, 0x100, add_input, OPT_NO_CHILD,
	{ "per", 'p', "kb|iteration", OPT_CHOICE(struct report_env, per, "kb", "iteration"),
	  .doc = "Normalise per KB (default) or per iteration" },
	{ "format", 'f', "table|csv|json", OPT_CHOICE(struct report_env, format, "table", "csv", "json"),
	  .doc = "Output format (default table)" },
	{ "by", 'b', "category|syscall|process|phase|cgroup|object|stack",
	  OPT_CHOICE(struct report_env, by, "category", "syscall", "process", "phase", "cgroup", "object",
		     "stack"),
	  .doc = "One report: which breakdown (default category)" },
	{ "diff", 'd', NULL, OPT_SET(struct report_env, diff),
	  .doc = "Compare two reports: both values, delta and ratio, biggest change first" },
);

static const struct argp report_argp = {
	.options = report_table_argp_opts,
	.parser = report_table_parse,
	.args_doc = "SWEEP_DIR | SUMMARY.json | REPORT.json... | --diff A.json B.json",
	.doc = "Tables from saved reports: calls and microseconds per KB (or per iteration) by "
	       "category, one row per parameter value.",
};

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

int cmd_report(int argc, char **argv, const sigset_t *caller_mask)
{
	struct report_env env = { .per = "kb", .format = "table" };
	struct table *t = calloc(1, sizeof(*t));
	int i, j, ret = 1, order[MAX_INPUTS], version = -1, nreports = 0;
	struct json_object *reports[2] = { NULL, NULL };
	char title[64];

	if (!t)
		return 1;
	opt_table_argp(&report_table);
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
			if (table_from_summary(t, in, env.per)) {
				err("%s: not a sweep summary (no points)", env.paths[i]);
				json_object_put(in);
				goto out;
			}
		} else if (jarr(in, "categories")) {
			table_from_report(t, in, env.paths[i], env.per);
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
		ret = report_diff(reports[0], reports[1], env.format);
		goto out;
	}
	if (nreports == 1 && env.npaths == 1 && (env.by || !t->ncols)) {
		ret = report_by(reports[0], env.by ?: "category", env.format);
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
		table_print_json(t, env.per, order);
	} else {
		if (!strcmp(env.format, "csv"))
			printf("table,%s,category,value\n", t->row_header ?: "run");
		snprintf(title, sizeof(title), "syscall count / %s", !strcmp(env.per, "kb") ? "kilobyte" : "iteration");
		table_print(t, title, t->calls, env.format, order);
		snprintf(title, sizeof(title), "usec / %s", !strcmp(env.per, "kb") ? "kilobyte" : "iteration");
		table_print(t, title, t->usec, env.format, order);
	}
	ret = 0;
out:
	json_object_put(reports[0]);
	json_object_put(reports[1]);
	table_free(t);
	return ret;
}
