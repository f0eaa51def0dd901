/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Option parsers shared by the subcommands: each logs one line on error. */
#ifndef OSP_CLI_H
#define OSP_CLI_H

#include <argp.h>
#include <sys/types.h>

/* The whole string as a number in [min, max]; -EINVAL otherwise (the
 * caller words the error: it knows the option). */
int cli_parse_num(const char *s, double min, double max, double *out);
int cli_parse_int(const char *s, long min, long max, long *out);

/* "PID[,PID...]" appended to pids[*n] (at most max); -EINVAL if bad. */
int cli_parse_pids(const char *arg, pid_t *pids, int max, int *n);

/* From argp's ARGP_KEY_ARG: the command starts at this first non-option;
 * takes the rest of argv whole (its own options included). */
void cli_take_command(struct argp_state *state, char ***cmd, int *argc);

#endif
