/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* One entry point per subcommand; each returns the process exit status. */
#ifndef OSP_COMMANDS_H
#define OSP_COMMANDS_H

int cmd_record(int argc, char **argv);
int cmd_daemon(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
