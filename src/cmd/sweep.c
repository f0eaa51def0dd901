// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * osiprof sweep: one command run across parameter values, each point repeated,
 * every run an `osiprof record` report tagged with its values; warm-up runs
 * are recorded but left out of DIR/summary.json and DIR/summary.csv, which
 * hold the median and quartiles of every figure per point and category.
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <json-c/json.h>
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "base/fs_trust.h"
#include "offline/jread.h"
#include "base/log.h"
#include "serve/output.h"
#include "model/spread.h"
#include "model/tags.h"
#include "base/timefmt.h"

#define MAX_PARAMS	4
#define MAX_VALUES	64
#define MAX_RUNS	1000

struct param {
	char name[OSP_TAG_KEY_MAX];
	char *values[MAX_VALUES];
	int n;
};

struct sweep_env {
	struct param params[MAX_PARAMS];
	int nparams;
	int repeat, warmup;
	const char *dir;
	struct tags tags;
	bool no_sched;
	char **cmd;
	int cmd_argc;
};

/* Figures summarised per category: where they sit in a report's entry. */
static const struct metric {
	const char *name, *obj, *field;
} metrics[] = {
	{ "count", NULL, "count" },
	{ "errors", NULL, "errors" },
	{ "total_ns", NULL, "total_ns" },
	{ "offcpu_ns", NULL, "offcpu_ns" },
	{ "calls_per_kb", "per_kb", "calls" },
	{ "usec_per_kb", "per_kb", "usec" },
	{ "calls_per_iteration", "per_iteration", "calls" },
	{ "usec_per_iteration", "per_iteration", "usec" },
};
#define NMETRICS (sizeof(metrics) / sizeof(metrics[0]))

enum { OPT_PARAM = 0x100, OPT_REPEAT, OPT_WARMUP, OPT_TAG, OPT_NO_SCHED };

static const struct argp_option sweep_options[] = {
	{ "param", OPT_PARAM, "NAME=V1,V2,...", 0, "A parameter and its values; {NAME} in the "
	  "command is replaced by each (repeatable: every combination is run)" },
	{ "repeat", OPT_REPEAT, "N", 0, "Measured runs per point (default 5)" },
	{ "warmup", OPT_WARMUP, "W", 0, "Runs per point recorded first and left out (default 1)" },
	{ "tag", OPT_TAG, "KEY=VALUE", 0, "Tag every run (e.g. iterations=, model=)" },
	{ "output", 'o', "DIR", 0, "Directory for the runs and the summary (required)" },
	{ "no-sched", OPT_NO_SCHED, NULL, 0, "Record without the scheduler programs" },
	{ "verbose", 'v', NULL, 0, "More detail on stderr" },
	{},
};

static int add_param(struct sweep_env *env, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct param *p;
	char *copy, *tok, *save = NULL;

	if (env->nparams == MAX_PARAMS || !eq || eq == arg || !eq[1] ||
	    (size_t)(eq - arg) >= OSP_TAG_KEY_MAX) {
		err("bad --param '%s': expected NAME=V1,V2,... (at most %d parameters)", arg, MAX_PARAMS);
		return -EINVAL;
	}
	p = &env->params[env->nparams];
	memcpy(p->name, arg, eq - arg);
	p->name[eq - arg] = '\0';
	copy = strdup(eq + 1);
	for (tok = strtok_r(copy, ",", &save); tok && p->n < MAX_VALUES; tok = strtok_r(NULL, ",", &save))
		p->values[p->n++] = strdup(tok);
	free(copy);
	if (!p->n) {
		err("bad --param '%s': no values", arg);
		return -EINVAL;
	}
	env->nparams++;
	return 0;
}

static error_t sweep_parse(int key, char *arg, struct argp_state *state)
{
	struct sweep_env *env = state->input;
	long v;

	switch (key) {
	case OPT_PARAM:
		return add_param(env, arg) ? EINVAL : 0;
	case OPT_REPEAT:
	case OPT_WARMUP:
		if (cli_parse_int(arg, key == OPT_REPEAT, MAX_RUNS, &v)) {
			err("bad --%s '%s'", key == OPT_REPEAT ? "repeat" : "warmup", arg);
			return EINVAL;
		}
		*(key == OPT_REPEAT ? &env->repeat : &env->warmup) = (int)v;
		break;
	case OPT_TAG:
		return tags_add(&env->tags, arg) ? EINVAL : 0;
	case 'o': env->dir = arg; break;
	case OPT_NO_SCHED: env->no_sched = true; break;
	case 'v': log_more_verbose(); break;
	case ARGP_KEY_ARG:
		cli_take_command(state, &env->cmd, &env->cmd_argc);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp sweep_argp = {
	.options = sweep_options,
	.parser = sweep_parse,
	.args_doc = "-o DIR --param NAME=V1,V2,... -- COMMAND [ARGS...]",
	.doc = "Run a command across parameter values, repeated, each run recorded; summarise "
	       "medians and quartiles per point and category.\v"
	       "Example (the footprint study of the seed experiments):\n"
	       "  osiprof sweep -o sweep --param bytes=1000000,2500000,5000000,7500000,10000000 \\\n"
	       "      --tag iterations=1000 --repeat 5 -- build/footprint --bytes {bytes} --iterations 1000\n"
	       "  osiprof report sweep",
};

/* cmd with every {NAME} replaced by the point's value. */
static char **substitute(const struct sweep_env *env, const int *idx)
{
	char **argv = calloc(env->cmd_argc + 1, sizeof(char *));
	int a, p;

	for (a = 0; argv && a < env->cmd_argc; a++) {
		char *s = strdup(env->cmd[a]);

		for (p = 0; s && p < env->nparams; p++) {
			char pat[OSP_TAG_KEY_MAX + 2], *hit, *n;
			const char *val = env->params[p].values[idx[p]];

			snprintf(pat, sizeof(pat), "{%s}", env->params[p].name);
			while ((hit = strstr(s, pat))) {
				if (asprintf(&n, "%.*s%s%s", (int)(hit - s), s, val, hit + strlen(pat)) < 0)
					n = NULL;
				free(s);
				s = n;
				if (!s)
					break;
			}
		}
		argv[a] = s;
	}
	return argv;
}

/* Runs one `osiprof record`; returns the command's status, or -1 if osiprof
 * itself produced no report. */
static int run_once(const struct sweep_env *env, const int *idx, bool warmup, int run,
		    const char *out)
{
	/* Every tag as its own KEY=VALUE string: the point's parameters, the
	 * run's place, then the user's tags. */
	char tagbuf[MAX_PARAMS + 2 + OSP_MAX_TAGS][OSP_TAG_KEY_MAX + OSP_TAG_VALUE_MAX + 2];
	char **argv, **rec;
	int n = 0, i, status = 0, nt = 0, ret = -1;
	struct stat st;
	pid_t pid;

	argv = substitute(env, idx);
	rec = calloc(env->cmd_argc + 2 * (env->nparams + env->tags.n + 3) + 8, sizeof(char *));
	if (!argv || !rec)
		goto out;
	for (i = 0; i < env->nparams; i++)
		snprintf(tagbuf[nt++], sizeof(tagbuf[0]), "%s=%s", env->params[i].name,
			 env->params[i].values[idx[i]]);
	snprintf(tagbuf[nt++], sizeof(tagbuf[0]), "sweep_run=%d", run);
	snprintf(tagbuf[nt++], sizeof(tagbuf[0]), "sweep_warmup=%d", warmup);
	for (i = 0; i < env->tags.n; i++)
		snprintf(tagbuf[nt++], sizeof(tagbuf[0]), "%s=%s", env->tags.items[i].key,
			 env->tags.items[i].value);
	rec[n++] = "osiprof";
	rec[n++] = "record";
	rec[n++] = "-o";
	rec[n++] = (char *)out;
	if (env->no_sched)
		rec[n++] = "--no-sched";
	for (i = 0; i < nt; i++) {
		rec[n++] = "--tag";
		rec[n++] = tagbuf[i];
	}
	rec[n++] = "--";
	for (i = 0; i < env->cmd_argc; i++)
		rec[n++] = argv[i];
	unlink(out);
	pid = fork();
	if (pid == 0) {
		/* The command's own output would garble the progress line. */
		if (isatty(STDOUT_FILENO) && !freopen("/dev/null", "w", stdout))
			_exit(127);
		execv("/proc/self/exe", rec);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || stat(out, &st))
		goto out;
	ret = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
out:
	for (i = 0; argv && i < env->cmd_argc; i++)
		free(argv[i]);
	free(argv);
	free(rec);
	return ret;
}

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

static void free_params(struct sweep_env *env)
{
	int i, v;

	for (i = 0; i < MAX_PARAMS; i++)
		for (v = 0; v < env->params[i].n; v++)
			free(env->params[i].values[v]);
}

static int sweep(const struct sweep_env *env);

int cmd_sweep(int argc, char **argv, const sigset_t *caller_mask)
{
	struct sweep_env env = { .repeat = 5, .warmup = 1 };
	int ret;

	if (argp_parse(&sweep_argp, argc, argv, ARGP_IN_ORDER, NULL, &env)) {
		free_params(&env);
		return 2;
	}
	ret = sweep(&env);
	free_params(&env);
	return ret;
}

static int sweep(const struct sweep_env *env)
{
	struct json_object *summary, *points, *pt, *pv, *files;
	int idx[MAX_PARAMS] = {0}, npoints = 1, point, run, i, failed_total = 0;
	int runs_per_point, done = 0, total;
	char path[PATH_MAX], pointcsv[1024];
	struct output csv_out, json_out;
	int dfd, ret;
	uint64_t start = now_ns(CLOCK_MONOTONIC);
	bool tty = isatty(STDERR_FILENO);
	FILE *csv;

	if (!env->dir || !env->nparams || !env->cmd_argc) {
		err("sweep needs -o DIR, at least one --param and a command (see --help)");
		return 2;
	}
	for (i = 0; i < env->nparams; i++) {
		if (tags_get(&env->tags, env->params[i].name)) {
			err("'%s' is both a --param and a --tag", env->params[i].name);
			return 2;
		}
		npoints *= env->params[i].n;
	}
	dfd = fs_open_dir(env->dir, "sweep directory", 1, 0777);
	if (dfd < 0)
		return 1;
	close(dfd);
	/* Unique temporaries, renamed at the end; close-on-exec, so no run sees them. */
	snprintf(path, sizeof(path), "%s/summary.csv", env->dir);
	if (output_open(&csv_out, path, 0666))
		return 1;
	csv = csv_out.f;
	for (i = 0; i < env->nparams; i++)
		fprintf(csv, "%s,", env->params[i].name);
	fputs("category,metric,median,q1,q3,n\n", csv);

	runs_per_point = env->warmup + env->repeat;
	total = npoints * runs_per_point;
	summary = json_object_new_object();
	json_object_object_add(summary, "kind", json_object_new_string("osiprof-sweep-summary"));
	json_object_object_add(summary, "schema_version", json_object_new_int(1));
	pv = json_object_new_array();
	for (i = 0; i < env->nparams; i++)
		json_object_array_add(pv, json_object_new_string(env->params[i].name));
	json_object_object_add(summary, "params", pv);
	pv = json_object_new_array();
	for (i = 0; i < env->cmd_argc; i++)
		json_object_array_add(pv, json_object_new_string(env->cmd[i]));
	json_object_object_add(summary, "command", pv);
	json_object_object_add(summary, "repeat", json_object_new_int(env->repeat));
	json_object_object_add(summary, "warmup", json_object_new_int(env->warmup));
	points = json_object_new_array();

	for (point = 0; point < npoints; point++) {
		struct json_object *runs[MAX_RUNS];
		int nruns = 0, failed = 0, len = 0;

		/* idx = the point's value index per parameter (last varies fastest). */
		for (i = env->nparams - 1, run = point; i >= 0; i--) {
			idx[i] = run % env->params[i].n;
			run /= env->params[i].n;
		}
		pt = json_object_new_object();
		pv = json_object_new_object();
		for (i = 0; i < env->nparams; i++) {
			json_object_object_add(pv, env->params[i].name,
					       json_object_new_string(env->params[i].values[idx[i]]));
			len += snprintf(pointcsv + len, sizeof(pointcsv) - len, "%s%s", i ? "," : "",
					env->params[i].values[idx[i]]);
			if (len >= (int)sizeof(pointcsv))
				len = (int)sizeof(pointcsv) - 1;	/* cut, never overrun */
		}
		json_object_object_add(pt, "params", pv);
		files = json_object_new_array();
		for (run = 0; run < runs_per_point; run++) {
			bool warm = run < env->warmup;
			int rc;

			snprintf(path, sizeof(path), "%s/p%03d-r%02d%s.json", env->dir, point, run,
				 warm ? "-warmup" : "");
			if (tty) {
				double el = (now_ns(CLOCK_MONOTONIC) - start) / 1e9;

				fprintf(stderr, "\rpoint %d/%d, run %d/%d, %.0f s elapsed, ~%.0f s left   ",
					point + 1, npoints, run + 1, runs_per_point, el,
					done ? el / done * (total - done) : 0.0);
			}
			rc = run_once(env, idx, warm, run, path);
			done++;
			if (rc < 0) {
				if (tty)
					fputc('\n', stderr);
				err("osiprof record failed for %s (see the message above)", path);
				output_abort(&csv_out);
				json_object_put(summary);
				return 1;
			}
			if (rc)
				failed++;
			json_object_array_add(files, json_object_new_string(path + strlen(env->dir) + 1));
			if (!warm && nruns < MAX_RUNS && (runs[nruns] = jread_file(path)))
				nruns++;
		}
		json_object_object_add(pt, "runs", files);
		json_object_object_add(pt, "failed_runs", json_object_new_int(failed));
		failed_total += failed;
		json_object_object_add(pt, "categories", summarise_point(runs, nruns, csv, pointcsv));
		json_object_object_add(pt, "memory", memory_spread(runs, nruns));
		for (i = 0; i < nruns; i++)
			json_object_put(runs[i]);
		json_object_array_add(points, pt);
	}
	if (tty)
		fputc('\n', stderr);
	json_object_object_add(summary, "points", points);

	ret = output_commit(&csv_out);
	snprintf(path, sizeof(path), "%s/summary.json", env->dir);
	if (!ret && !(ret = output_open(&json_out, path, 0666))) {
		fputs(json_object_to_json_string_ext(summary, JSON_C_TO_STRING_PRETTY |
						     JSON_C_TO_STRING_NOSLASHESCAPE), json_out.f);
		fputc('\n', json_out.f);
		ret = output_commit(&json_out);
	}
	json_object_put(summary);
	if (ret)
		return 1;
	if (failed_total)
		warn("%d runs exited non-zero (counted in failed_runs)", failed_total);
	info("wrote %s", path);
	return 0;
}
