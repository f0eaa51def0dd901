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
#include "cmd/options.h"
#include "cmd/commands.h"
#include "base/fs_trust.h"
#include "offline/jread.h"
#include "offline/summary.h"
#include "base/log.h"
#include "serve/output.h"
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

static int add_param(void *field, const char *arg)
{
	struct sweep_env *env = field;
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

static error_t take_command(void *input, char *arg, struct argp_state *state)
{
	struct sweep_env *env = input;

	(void)arg;
	cli_take_command(state, &env->cmd, &env->cmd_argc);
	return 0;
}

#define S struct sweep_env
OPT_TABLE(sweep_table, 0x100, take_command, OPT_NO_CHILD,
	{ "param", 0, "NAME=V1,V2,...", .kind = OK_CALL, .call = add_param,
	  .doc = "A parameter and its values; {NAME} in the command is replaced by each "
		 "(repeatable: every combination is run)" },
	{ "repeat", 0, "N", OPT_INT(S, repeat, 1, MAX_RUNS),
	  .doc = "Measured runs per point (default 5)" },
	{ "warmup", 0, "W", OPT_INT(S, warmup, 0, MAX_RUNS),
	  .doc = "Runs per point recorded first and left out (default 1)" },
	{ "tag", 0, "KEY=VALUE", OPT_CALL(S, tags, opt_tag),
	  .doc = "Tag every run (e.g. iterations=, model=)" },
	{ "output", 'o', "DIR", OPT_STR(S, dir),
	  .doc = "Directory for the runs and the summary (required)" },
	{ "no-sched", 0, NULL, OPT_SET(S, no_sched), .doc = "Record without the scheduler programs" },
	{ "verbose", 'v', NULL, .kind = OK_CALL, .call = opt_verbose, .doc = "More detail on stderr" },
);
#undef S

static const struct argp sweep_argp = {
	.options = sweep_table_argp_opts,
	.parser = sweep_table_parse,
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

	opt_table_argp(&sweep_table);
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
	int idx[MAX_PARAMS] = {0}, npoints = 1, point, run, i, failed_total = 0;
	const char *names[MAX_PARAMS], *values[MAX_PARAMS];
	uint64_t start = now_ns(CLOCK_MONOTONIC);
	int runs_per_point, done = 0, total;
	bool tty = isatty(STDERR_FILENO);
	struct output csv_out, json_out;
	struct json_object *summary;
	char path[PATH_MAX];
	int dfd, ret;

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
		names[i] = env->params[i].name;
	}
	dfd = fs_open_dir(env->dir, "sweep directory", 1, 0777);
	if (dfd < 0)
		return 1;
	close(dfd);
	/* Unique temporaries, renamed at the end; close-on-exec, so no run sees them. */
	snprintf(path, sizeof(path), "%s/summary.csv", env->dir);
	if (output_open(&csv_out, path, 0666))
		return 1;
	summary_csv_header(csv_out.f, names, env->nparams);
	runs_per_point = env->warmup + env->repeat;
	total = npoints * runs_per_point;
	summary = summary_new(names, env->nparams, env->cmd, env->cmd_argc, env->repeat, env->warmup);

	for (point = 0; point < npoints; point++) {
		struct json_object *runs[MAX_RUNS];
		char *files[2 * MAX_RUNS];	/* warm-ups and measured runs */
		struct summary_point sp = { names, values, env->nparams, (const char *const *)files,
					    0, 0, runs, 0 };

		/* idx = the point's value index per parameter (last varies fastest). */
		for (i = env->nparams - 1, run = point; i >= 0; i--) {
			idx[i] = run % env->params[i].n;
			run /= env->params[i].n;
			values[i] = env->params[i].values[idx[i]];
		}
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
				for (i = 0; i < sp.nfiles; i++)
					free(files[i]);
				for (i = 0; i < sp.nruns; i++)
					json_object_put(runs[i]);
				return 1;
			}
			if (rc)
				sp.failed++;
			files[sp.nfiles] = strdup(path + strlen(env->dir) + 1);
			if (files[sp.nfiles])
				sp.nfiles++;
			if (!warm && (runs[sp.nruns] = jread_file(path)))
				sp.nruns++;
		}
		failed_total += sp.failed;
		summary_add_point(summary, &sp, csv_out.f);
		for (i = 0; i < sp.nfiles; i++)
			free(files[i]);
		for (i = 0; i < sp.nruns; i++)
			json_object_put(runs[i]);
	}
	if (tty)
		fputc('\n', stderr);

	ret = output_commit(&csv_out);
	snprintf(path, sizeof(path), "%s/summary.json", env->dir);
	if (!ret && !(ret = output_open(&json_out, path, 0666))) {
		summary_write(json_out.f, summary);
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
