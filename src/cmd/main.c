// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* osiprof: how programs interact with the operating system. Dispatches to a
 * subcommand; each decides its own exit status. */
#include <argp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/commands.h"
#include "base/log.h"

/* The signals a command reads from its event loop (signalfd). They are
 * blocked before the command runs at all, so no thread it starts and no
 * moment of its start-up can be killed by one. */
#define MAX_SIGS 4

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv, const sigset_t *caller_mask);
	const char *help;
	int sigs[MAX_SIGS];
} commands[] = {
	{ "record", cmd_record, "profile a command, running processes or the whole system",
	  { SIGINT, SIGTERM, SIGCHLD } },
	{ "daemon", cmd_daemon, "profile continuously; write snapshots on SIGUSR1",
	  { SIGUSR1, SIGHUP, SIGTERM, SIGINT } },
	{ "snapshot", cmd_snapshot, "ask a running daemon for a snapshot and print its path" },
	{ "health", cmd_health, "ask a running daemon whether it is polling (exit 0 if so)" },
	{ "sweep", cmd_sweep, "run a command across parameter values, repeated, and summarise" },
	{ "report", cmd_report, "per-KB / per-iteration tables from a sweep or saved reports" },
};

static void block_signals(const int *sigs, sigset_t *caller_mask)
{
	sigset_t set;
	int i;

	sigemptyset(&set);
	for (i = 0; i < MAX_SIGS && sigs[i]; i++)
		sigaddset(&set, sigs[i]);
	sigprocmask(SIG_BLOCK, &set, caller_mask);
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: osiprof COMMAND [OPTIONS]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n'osiprof COMMAND --help' describes each; 'osiprof --version' prints the version.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("osiprof %s\n", OSIPROF_VERSION);
		return 0;
	}
	argp_err_exit_status = 2;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[1], commands[i].name)) {
			sigset_t caller_mask;
			char name[64];

			block_signals(commands[i].sigs, &caller_mask);
			/* Help, errors and the report's command line say "osiprof record". */
			snprintf(name, sizeof(name), "osiprof %s", commands[i].name);
			argv[1] = name;
			return commands[i].fn(argc - 1, argv + 1, &caller_mask);
		}
	}
	err("unknown command '%s' (see osiprof --help)", argv[1]);
	return 2;
}
