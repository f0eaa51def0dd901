// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * osiprof snapshot: asks a running daemon for a snapshot (SIGUSR1 sent with
 * sigqueue), waits for its answer (SIGUSR2 carrying the snapshot's sequence
 * number, or -errno), and prints the snapshot's path.
 */
#include <argp.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli.h"
#include "commands.h"
#include "log.h"
#include "pidfile.h"
#include "snapdir.h"

struct snapshot_env {
	const char *pidfile;
	pid_t pid;
	double timeout_s;
};

static const struct argp_option snapshot_options[] = {
	{ "pidfile", 'f', "FILE", 0, "The daemon's pidfile (default /run/osiprof/osiprof.pid)" },
	{ "timeout", 't', "SEC", 0, "Give up after SEC seconds (default 10)" },
	{ "verbose", 'v', NULL, 0, "More detail on stderr" },
	{},
};

static error_t snapshot_parse(int key, char *arg, struct argp_state *state)
{
	struct snapshot_env *env = state->input;
	long v;

	switch (key) {
	case 'f': env->pidfile = arg; break;
	case 't':
		if (cli_parse_num(arg, 1e-3, 86400, &env->timeout_s)) {
			err("bad --timeout '%s'", arg);
			return EINVAL;
		}
		break;
	case 'v': log_more_verbose(); break;
	case ARGP_KEY_ARG:
		if (cli_parse_int(arg, 1, INT_MAX, &v) || env->pid) {
			err("bad PID '%s'", arg);
			return EINVAL;
		}
		env->pid = (pid_t)v;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp snapshot_argp = {
	.options = snapshot_options,
	.parser = snapshot_parse,
	.args_doc = "[PID]",
	.doc = "Ask a running osiprof daemon for a snapshot and print its path.\v"
	       "Examples:\n  osiprof snapshot\n  osiprof snapshot --pidfile /run/osiprof/osiprof.pid\n"
	       "  jq .categories \"$(osiprof snapshot 1234)\"",
};

/* Without a pidfile: the daemon keeps its snapshot directory open. */
static int dir_of_pid(pid_t pid, char *out, size_t len)
{
	char path[PATH_MAX], fdpath[64];
	struct dirent *de;
	struct stat st;
	DIR *d;
	int ret = -ENOENT;
	ssize_t n;

	snprintf(fdpath, sizeof(fdpath), "/proc/%d/fd", pid);
	d = opendir(fdpath);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		snprintf(path, sizeof(path), "%s/%s", fdpath, de->d_name);
		if (de->d_name[0] == '.' || stat(path, &st) || !S_ISDIR(st.st_mode))
			continue;
		n = readlink(path, out, len - 1);
		if (n > 0) {
			out[n] = '\0';
			ret = 0;
			break;
		}
	}
	closedir(d);
	return ret;
}

int cmd_snapshot(int argc, char **argv)
{
	struct snapshot_env env = { .pidfile = "/run/osiprof/osiprof.pid", .timeout_s = 10 };
	char dir[PATH_MAX], file[PATH_MAX];
	struct timespec start, now, wait = { 1, 0 };
	union sigval ask = { .sival_int = 0 };
	sigset_t mask;
	siginfo_t si;
	pid_t pid;
	double left;
	int err;

	if (argp_parse(&snapshot_argp, argc, argv, 0, NULL, &env))
		return 2;
	if (env.pid) {
		pid = env.pid;
		if (dir_of_pid(pid, dir, sizeof(dir))) {
			err("PID %d is not a running osiprof daemon (or not ours to ask)", pid);
			return 1;
		}
	} else {
		err = pidfile_read(env.pidfile, &pid, dir, sizeof(dir));
		if (err) {
			err("cannot read pidfile %s: %s (is the daemon running?)", env.pidfile,
			    strerror(-err));
			return 1;
		}
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR2);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		/* Ask (again: two requests at once may merge into one signal). */
		if (sigqueue(pid, SIGUSR1, ask)) {
			err("cannot signal daemon %d: %s", pid, strerror(errno));
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = env.timeout_s - (now.tv_sec - start.tv_sec) - (now.tv_nsec - start.tv_nsec) / 1e9;
		if (left <= 0)
			break;
		if (left < 1) {
			wait.tv_sec = 0;
			wait.tv_nsec = (long)(left * 1e9);
		}
		if (sigtimedwait(&mask, &si, &wait) == SIGUSR2 && si.si_pid == pid) {
			if (si.si_value.sival_int < 0) {
				err("the daemon could not write a snapshot: %s", strerror(-si.si_value.sival_int));
				return 1;
			}
			err = snapdir_find(dir, pid, (uint64_t)si.si_value.sival_int, file, sizeof(file));
			if (err) {
				err("snapshot %d of daemon %d not found in %s", si.si_value.sival_int, pid, dir);
				return 1;
			}
			printf("%s\n", file);
			return 0;
		}
	}
	err("no snapshot from daemon %d within %.1f s", pid, env.timeout_s);
	return 1;
}
