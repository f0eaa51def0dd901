/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* One entry point per subcommand; each returns the process exit status.
 * main() has already blocked the signals the command handles; caller_mask is
 * the mask osiprof was started with, which children get back. */
#ifndef OSP_COMMANDS_H
#define OSP_COMMANDS_H

#include <signal.h>

int cmd_record(int argc, char **argv, const sigset_t *caller_mask);
int cmd_daemon(int argc, char **argv, const sigset_t *caller_mask);
int cmd_snapshot(int argc, char **argv, const sigset_t *caller_mask);
int cmd_health(int argc, char **argv, const sigset_t *caller_mask);
int cmd_sweep(int argc, char **argv, const sigset_t *caller_mask);
int cmd_report(int argc, char **argv, const sigset_t *caller_mask);

#endif
