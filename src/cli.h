/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Option parsers shared by the subcommands: each logs one line on error. */
#ifndef OSP_CLI_H
#define OSP_CLI_H

#include <argp.h>
#include <sys/types.h>

/* "PID[,PID...]" appended to pids[*n] (at most max); -EINVAL if bad. */
int cli_parse_pids(const char *arg, pid_t *pids, int max, int *n);

/* From argp's ARGP_KEY_ARG: the command starts at this first non-option;
 * takes the rest of argv whole (its own options included). */
void cli_take_command(struct argp_state *state, char ***cmd, int *argc);

#endif
