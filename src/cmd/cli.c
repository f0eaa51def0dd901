// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/cli.h"
#include "base/log.h"

int cli_parse_num(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= min && v <= max))
		return -EINVAL;
	*out = v;
	return 0;
}

int cli_parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int cli_parse_pids(const char *arg, pid_t *pids, int max, int *n)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	int ret = 0, before = *n;
	long v;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (cli_parse_int(tok, 1, INT_MAX, &v)) {
			err("bad PID '%s'", tok);
			ret = -EINVAL;
			break;
		}
		if (*n == max) {
			err("at most %d PIDs", max);
			ret = -EINVAL;
			break;
		}
		pids[(*n)++] = (pid_t)v;
	}
	if (!ret && *n == before) {
		err("bad PID list '%s'", arg);
		ret = -EINVAL;
	}
	free(copy);
	return ret;
}

void cli_take_command(struct argp_state *state, char ***cmd, int *argc)
{
	*cmd = &state->argv[state->next - 1];
	*argc = state->argc - state->next + 1;
	state->next = state->argc;
}
