/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Option parsers shared by the subcommands: each logs one line on error. */
#ifndef OSP_CLI_H
#define OSP_CLI_H

#include <sys/types.h>

/* "PID[,PID...]" appended to pids[*n] (at most max); -EINVAL if bad. */
int cli_parse_pids(const char *arg, pid_t *pids, int max, int *n);

#endif
