// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "base/log.h"
#include "cmd/cli.h"
#include "cmd/options.h"
#include "model/tags.h"

static int key_of(const struct opt_table *t, int i)
{
	return t->opts[i].key ?: t->base + i;
}

const struct argp_option *opt_table_argp(struct opt_table *t)
{
	int i;

	for (i = 0; i < t->n; i++)
		t->argp[i] = (struct argp_option){ t->opts[i].name, key_of(t, i), t->opts[i].arg,
						   t->opts[i].flags, t->opts[i].doc };
	memset(&t->argp[t->n], 0, sizeof(t->argp[t->n]));
	return t->argp;
}

static void choices_text(const struct opt *o, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; o->choices[i] && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? (o->choices[i + 1] ? ", " : " or ") : "",
				 o->choices[i]);
}

static int set_value(const struct opt *o, char *arg, void *field)
{
	char expect[128];
	double d;
	long v;
	int i;

	switch (o->kind) {
	case OK_SET: *(bool *)field = true; return 0;
	case OK_CLEAR: *(bool *)field = false; return 0;
	case OK_STR: *(const char **)field = arg; return 0;
	case OK_CALL: return o->call(field, arg) ? -EINVAL : 0;
	case OK_CHOICE:
		for (i = 0; o->choices[i]; i++)
			if (!strcmp(arg, o->choices[i])) {
				*(const char **)field = o->choices[i];
				return 0;
			}
		choices_text(o, expect, sizeof(expect));
		err("bad --%s '%s': expected %s", o->name, arg, expect);
		return -EINVAL;
	case OK_INT:
	case OK_U32:
		if (!cli_parse_int(arg, (long)o->min, (long)o->max, &v)) {
			if (o->kind == OK_INT)
				*(int *)field = (int)v;
			else
				*(uint32_t *)field = (uint32_t)v;
			return 0;
		}
		break;
	case OK_NUM:
		if (!cli_parse_num(arg, o->min, o->max, &d)) {
			*(double *)field = d;
			return 0;
		}
		break;
	}
	if (o->expect)
		snprintf(expect, sizeof(expect), "%s", o->expect);
	else if (o->kind == OK_NUM)
		snprintf(expect, sizeof(expect), "%g to %g", o->min, o->max);
	else
		snprintf(expect, sizeof(expect), "an integer, %ld to %ld", (long)o->min, (long)o->max);
	err("bad --%s '%s': expected %s", o->name, arg, expect);
	return -EINVAL;
}

error_t opt_table_parse(const struct opt_table *t, int key, char *arg, struct argp_state *state)
{
	char *input = state->input;
	int i;

	for (i = 0; i < t->n; i++)
		if (key_of(t, i) == key)
			return set_value(&t->opts[i], arg, input + t->opts[i].off) ? EINVAL : 0;
	if (key == ARGP_KEY_INIT && t->child_off >= 0) {
		state->child_inputs[0] = input + t->child_off;
		return 0;
	}
	if (key != ARGP_KEY_ARG)
		return ARGP_ERR_UNKNOWN;
	if (t->on_arg)
		return t->on_arg(input, arg, state);
	err("unexpected argument '%s'", arg);
	return EINVAL;
}

int opt_pids(void *field, const char *arg)
{
	struct pid_list *l = field;

	return cli_parse_pids(arg, l->pids, PID_LIST_MAX, &l->n);
}

int opt_tag(void *field, const char *arg)
{
	return tags_add(field, arg);
}

int opt_verbose(void *field, const char *arg)
{
	(void)field;
	(void)arg;
	log_more_verbose();
	return 0;
}
