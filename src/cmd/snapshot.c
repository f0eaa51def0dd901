// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * osiprof snapshot / osiprof health: ask a running daemon over its control
 * socket (control.h: both ends check each other's credentials) for a
 * snapshot (and print its path) or whether it still polls. No signal is
 * sent, so a stale or planted pidfile cannot make it hit another process.
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "serve/control.h"
#include "base/log.h"
#include "serve/pidfile.h"

struct snapshot_env {
	const char *pidfile;
	pid_t pid;
	double timeout_s;
};

static error_t set_pid(void *input, char *arg, struct argp_state *state)
{
	struct snapshot_env *env = input;
	long v;

	(void)state;
	if (cli_parse_int(arg, 1, INT_MAX, &v) || env->pid) {
		err("bad PID '%s'", arg);
		return EINVAL;
	}
	env->pid = (pid_t)v;
	return 0;
}

OPT_TABLE(snapshot_table, 0x100, set_pid, OPT_NO_CHILD,
	{ "pidfile", 'f', "FILE", OPT_STR(struct snapshot_env, pidfile),
	  .doc = "The daemon's pidfile (default /run/osiprof/osiprof.pid)" },
	{ "timeout", 't', "SEC", OPT_NUM(struct snapshot_env, timeout_s, 1e-3, 86400),
	  .expect = "seconds, 0.001 to 86400", .doc = "Give up after SEC seconds (default 10)" },
	{ "verbose", 'v', NULL, .kind = OK_CALL, .call = opt_verbose, .doc = "More detail on stderr" },
);

static const struct argp snapshot_argp = {
	.options = snapshot_table_argp_opts,
	.parser = snapshot_table_parse,
	.args_doc = "[PID]",
	.doc = "Ask a running osiprof daemon for a snapshot and print its path.\v"
	       "Examples:\n  osiprof snapshot\n  osiprof snapshot --pidfile /run/osiprof/osiprof.pid\n"
	       "  jq .categories \"$(osiprof snapshot 1234)\"",
};

static const struct argp health_argp = {
	.options = snapshot_table_argp_opts,
	.parser = snapshot_table_parse,
	.args_doc = "[PID]",
	.doc = "Ask a running osiprof daemon whether it is polling its maps: prints its answer, "
	       "exits 0 if it is, 1 if it has stalled or cannot be reached (for liveness probes).\v"
	       "Example:\n  osiprof health --pidfile /run/osiprof/osiprof.pid",
};

/* The daemon's control socket, and the user it may answer as. */
static int find_daemon(const struct snapshot_env *env, char *sock, size_t len, pid_t *pid,
		       uid_t *owner)
{
	int err;

	*owner = 0;
	if (env->pid) {
		char proc[32];
		struct stat st;

		*pid = env->pid;
		/* The process the user named may answer as its own user. */
		snprintf(proc, sizeof(proc), "/proc/%d", (int)*pid);
		*owner = stat(proc, &st) ? 0 : st.st_uid;
		if (control_path_of_pid(*pid, sock, len)) {
			err("PID %d is not a running osiprof daemon (or not ours to ask)", *pid);
			return -ESRCH;
		}
		return 0;
	}
	/* The pidfile names the process; the socket beside it is asked. */
	err = pidfile_read(env->pidfile, pid, owner, NULL, 0);
	if (err) {
		if (err != -EPERM)
			err("cannot read pidfile %s: %s (is the daemon running?)", env->pidfile,
			    strerror(-err));
		return err;
	}
	if (control_path_of(env->pidfile, sock, len)) {
		err("pidfile path %s is too long", env->pidfile);
		return -ENAMETOOLONG;
	}
	return 0;
}

/* Parses the command line, finds the daemon and asks it; the answer in reply. */
static int ask(const struct argp *argp, int argc, char **argv, const char *request,
	       char *reply, size_t len)
{
	struct snapshot_env env = { .pidfile = "/run/osiprof/osiprof.pid", .timeout_s = 10 };
	char sock[PATH_MAX];
	uid_t owner;
	pid_t pid = 0;

	opt_table_argp(&snapshot_table);
	if (argp_parse(argp, argc, argv, 0, NULL, &env))
		return 2;
	if (find_daemon(&env, sock, sizeof(sock), &pid, &owner) ||
	    control_request(sock, request, pid, owner, env.timeout_s, reply, len))
		return 1;
	return 0;
}

int cmd_snapshot(int argc, char **argv, const sigset_t *caller_mask)
{
	char reply[CONTROL_REPLY_MAX], *path;
	int ret = ask(&snapshot_argp, argc, argv, "snapshot", reply, sizeof(reply));

	if (ret)
		return ret;
	if (strncmp(reply, "ok ", 3)) {
		err("the daemon could not write a snapshot: %s",
		    strncmp(reply, "error ", 6) ? reply : reply + 6);
		return 1;
	}
	/* "ok SEQ PATH" */
	path = strchr(reply + 3, ' ');
	if (!path || !path[1]) {
		err("unexpected answer from the daemon: %s", reply);
		return 1;
	}
	printf("%s\n", path + 1);
	return 0;
}

int cmd_health(int argc, char **argv, const sigset_t *caller_mask)
{
	char reply[CONTROL_REPLY_MAX];
	int ret = ask(&health_argp, argc, argv, "health", reply, sizeof(reply));

	if (ret)
		return ret;
	printf("%s\n", reply);
	return strncmp(reply, "ok ", 3) ? 1 : 0;
}
