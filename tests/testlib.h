/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Helpers for osiprof's tests: run commands, read reports. Kernel tests run
 * the real binary against real BPF; nothing here mocks the kernel. */
#ifndef OSP_TESTLIB_H
#define OSP_TESTLIB_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>

/* Build directory (make passes OUTPUT); binaries live there. */
static inline const char *build_dir(void)
{
	const char *o = getenv("OUTPUT");

	return o && *o ? o : "build";
}

static char test_tmpdir[256];

static inline const char *tmpdir(void)
{
	if (!test_tmpdir[0]) {
		/* Inside the suite's scratch root (tests/run.sh sets TMPDIR). */
		const char *root = getenv("TMPDIR");

		snprintf(test_tmpdir, sizeof(test_tmpdir), "%s/osiprof-test.XXXXXX",
			 root && *root ? root : "/tmp");
		if (!mkdtemp(test_tmpdir))
			abort();
	}
	return test_tmpdir;
}

/* Runs a shell command line (printf-style); stderr goes to tmpdir/stderr.
 * Returns the exit status, or 128+signal. */
static inline __attribute__((format(printf, 1, 2))) int sh(const char *fmt, ...)
{
	char cmd[8192], full[8400];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "cd %s/.. 2>/dev/null; %s 2>%s/stderr", build_dir(), cmd, tmpdir());
	st = system(full);
	if (st == -1)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Contents of the last sh() command's stderr (static buffer). */
static inline const char *last_stderr(void)
{
	static char buf[16384];
	char path[300];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/stderr", tmpdir());
	buf[0] = '\0';
	f = fopen(path, "r");
	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
	}
	return buf;
}

/* Running: exists and is not a zombie waiting for a parent to reap it. */
static inline int alive(pid_t pid)
{
	char path[64], buf[512], *p;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

/* How many loaded BPF programs have this name (anyone's). */
static inline int count_progs(const char *name)
{
	char cmd[256], buf[32] = "0";
	FILE *p;

	snprintf(cmd, sizeof(cmd), "bpftool prog show 2>/dev/null | grep -c ' name %s '", name);
	p = popen(cmd, "r");
	if (p) {
		if (!fgets(buf, sizeof(buf), p))
			buf[0] = '0';
		pclose(p);
	}
	return atoi(buf);
}

/* Whether one of the program ids listed in ids_file (one per line, as read
 * from a process's /proc/PID/fdinfo) is a program of this name, according
 * to `bpftool -j prog show` saved in progs_json. */
static inline int ids_have_prog(const char *progs_json, const char *ids_file, const char *name)
{
	struct json_object *all = json_object_from_file(progs_json);
	int found = 0, id;
	size_t i;
	FILE *f = fopen(ids_file, "r");

	while (f && all && fscanf(f, "%d", &id) == 1) {
		for (i = 0; i < json_object_array_length(all); i++) {
			struct json_object *p = json_object_array_get_idx(all, i), *v, *n;

			if (json_object_object_get_ex(p, "id", &v) && json_object_get_int(v) == id &&
			    json_object_object_get_ex(p, "name", &n) && !strcmp(json_object_get_string(n), name))
				found = 1;
		}
	}
	if (f)
		fclose(f);
	json_object_put(all);
	return found;
}

static inline const char *tpath(const char *name)
{
	static char bufs[8][300];
	static int i;

	i = (i + 1) % 8;
	snprintf(bufs[i], sizeof(bufs[i]), "%s/%s", tmpdir(), name);
	return bufs[i];
}

/* Background processes a test starts; the group teardown kills what is left
 * (a failed test must not leave a daemon running into the next ones). */
static pid_t tracked[64];
static int ntracked;

static inline void track_pid(pid_t pid)
{
	if (pid > 0 && ntracked < 64)
		tracked[ntracked++] = pid;
}

static inline int kill_tracked(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < ntracked; i++)
		if (alive(tracked[i]))
			kill(tracked[i], SIGKILL);
	return 0;
}

/* Starts a shell command in the background (stderr to tmpdir/NAME.log) and
 * returns its pid, tracked; 0 on failure. */
static inline pid_t start_bg(const char *name, const char *cmd)
{
	char path[400];
	pid_t pid = 0;
	FILE *f;

	if (sh("%s </dev/null >/dev/null 2>%s.log & echo $! > %s.pid", cmd, tpath(name), tpath(name)))
		return 0;
	snprintf(path, sizeof(path), "%s.pid", tpath(name));
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%d", &pid) != 1)
			pid = 0;
		fclose(f);
	}
	track_pid(pid);
	return pid;
}

static inline struct json_object *load_report(const char *path)
{
	struct json_object *j = json_object_from_file(path);

	if (!j)
		fail_msg("cannot parse report %s: %s", path, json_util_get_last_err());
	return j;
}

static inline struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

/* Entry with "name" == name in array arr, or NULL. */
static inline struct json_object *find_named(struct json_object *arr, const char *name)
{
	size_t i;

	for (i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);

		if (!strcmp(json_object_get_string(get(e, "name")), name))
			return e;
	}
	return NULL;
}

/* A numeric field of a syscall (or category) entry; 0 if absent. */
static inline int64_t sys_field(struct json_object *r, const char *sys, const char *field)
{
	struct json_object *e = find_named(get(r, "syscalls"), sys);

	return e && get(e, field) ? json_object_get_int64(get(e, field)) : 0;
}

static inline int64_t cat_field(struct json_object *r, const char *cat, const char *field)
{
	struct json_object *e = find_named(get(r, "categories"), cat);

	return e && get(e, field) ? json_object_get_int64(get(e, field)) : 0;
}

static inline double cat_double(struct json_object *r, const char *cat, const char *field)
{
	struct json_object *e = find_named(get(r, "categories"), cat);

	return e && get(e, field) ? json_object_get_double(get(e, field)) : 0;
}

/* systemd-analyze verify on copies (in scratch) of the two units found in
 * dir, their ExecStart pointed at bin: verify wants the binary to exist. */
static inline int verify_units(const char *dir, const char *bin, const char *scratch)
{
	return sh("mkdir -p %s && for u in osiprof osiprof-metrics; do "
		  "sed \"s|/usr/bin/osiprof|%s|\" %s/$u.service > %s/$u.service; done && cd %s && "
		  "systemd-analyze verify --man=no ./osiprof.service ./osiprof-metrics.service",
		  scratch, bin, dir, scratch, scratch);
}

/* A daemon a test started: `osiprof daemon` with its own snapshot
 * directory, pidfile, stderr log, event log and exit-status file. */
struct daemon {
	pid_t pid;
	char dir[300];		/* snapshot directory */
	char pidfile[320];
	char log[320];		/* the daemon's stderr */
	char events[320];	/* --events */
	char rc[320];		/* its exit status, once it exited */
};

static inline void start_daemon(struct daemon *d, const char *name, const char *opts)
{
	FILE *f;
	int i;

	memset(d, 0, sizeof(*d));
	snprintf(d->dir, sizeof(d->dir), "%s", tpath(name));
	snprintf(d->pidfile, sizeof(d->pidfile), "%s.pid", d->dir);
	snprintf(d->log, sizeof(d->log), "%s.log", d->dir);
	snprintf(d->events, sizeof(d->events), "%s.jsonl", d->dir);
	snprintf(d->rc, sizeof(d->rc), "%s.rc", d->dir);
	assert_int_equal(sh("($OUTPUT/osiprof daemon -v --output-dir %s --pidfile %s --events %s %s </dev/null "
			    ">/dev/null 2>%s; echo $? > %s) &", d->dir, d->pidfile, d->events, opts,
			    d->log, d->rc), 0);
	for (i = 0; i < 400; i++) {
		if (!sh("grep -q attached %s", d->log) && (f = fopen(d->pidfile, "r"))) {
			if (fscanf(f, "%d", &d->pid) != 1)
				d->pid = 0;
			fclose(f);
			if (d->pid > 0) {
				track_pid(d->pid);
				return;
			}
		}
		usleep(25000);
	}
	sh("cat %s >&2", d->log);
	fail_msg("daemon %s did not start: %s", name, last_stderr());
}

/* Signals the daemon and waits until it is gone; 0 if it went. */
static inline int stop_daemon(struct daemon *d, int sig)
{
	int i;

	kill(d->pid, sig);
	for (i = 0; i < 400 && alive(d->pid); i++)
		usleep(25000);
	return alive(d->pid) ? -1 : 0;
}

/* Waits (at most wait_s) for the daemon's target to be gone and its last
 * exits to be read, stops the daemon and returns its final snapshot,
 * checked against the schema. */
static inline struct json_object *daemon_final_report(struct daemon *d, pid_t target, int wait_s)
{
	char path[340];
	int n;

	for (n = 0; n < wait_s * 40 && alive(target); n++)
		usleep(25000);
	assert_false(alive(target));
	usleep(500000);
	assert_int_equal(stop_daemon(d, SIGTERM), 0);
	snprintf(path, sizeof(path), "%s/latest.json", d->dir);
	assert_int_equal(sh("/usr/bin/python3 tests/validate_report.py %s", path), 0);
	return load_report(path);
}

/* The exit status of a daemon that has gone; -1 if unknown. */
static inline int daemon_status(const struct daemon *d)
{
	int i, rc = -1;
	FILE *f;

	for (i = 0; i < 200 && rc < 0; i++) {
		f = fopen(d->rc, "r");
		if (f) {
			if (fscanf(f, "%d", &rc) != 1)
				rc = -1;
			fclose(f);
		}
		if (rc < 0)
			usleep(10000);
	}
	return rc;
}

/* Runs `osiprof snapshot`; returns its status and the printed path. */
static inline int snapshot(const struct daemon *d, char *path, size_t len)
{
	char out[340];
	FILE *f;
	int rc;

	snprintf(out, sizeof(out), "%s.path", d->dir);
	rc = sh("$OUTPUT/osiprof snapshot --pidfile %s > %s", d->pidfile, out);
	path[0] = '\0';
	f = fopen(out, "r");
	if (f) {
		if (fgets(path, (int)len, f))
			path[strcspn(path, "\n")] = '\0';
		fclose(f);
	}
	return rc;
}

#endif
