// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * osiprof record against the real kernel: the deterministic workload makes
 * known numbers of syscalls and the report must show exactly those numbers.
 */
#include <math.h>
#include "testlib.h"

#define OSIPROF "$OUTPUT/osiprof"
#define WORKLOAD "$OUTPUT/tests/workload"

static int setup(void **state)
{
	/* sh() commands expand $OUTPUT themselves. */
	setenv("OUTPUT", build_dir(), 0);
	return 0;
}

/* Record the workload with extra osiprof options; returns osiprof's status. */
static int record(const char *json, const char *opts, const char *wargs)
{
	return sh(OSIPROF " record -o %s %s -- " WORKLOAD " %s", json, opts, wargs);
}

static void expect_error(const char *args, const char *msg);

static struct json_object *record_ok(const char *name, const char *opts, const char *wargs)
{
	const char *path = tpath(name);
	int rc = record(path, opts, wargs);

	if (rc)
		fail_msg("osiprof record failed (%d): %s", rc, last_stderr());
	assert_int_equal(sh("/usr/bin/python3 tests/validate_report.py %s", path), 0);
	return load_report(path);
}

static void test_exact_counts(void **state)
{
	struct json_object *base = record_ok("base.json", "", "");
	struct json_object *r = record_ok("exact.json", "",
		"--writes 1000 --reads 500 --futex-wakes 300 --failed-opens 200 --mmaps 100");
	struct json_object *errnos;

	/* The static workload makes no write, read, futex or munmap of its own. */
	assert_int_equal(sys_field(r, "write", "count"), 1000);
	assert_int_equal(sys_field(r, "read", "count"), 500);
	assert_int_equal(sys_field(r, "futex", "count"), 300);
	assert_int_equal(sys_field(r, "munmap", "count"), 100);
	assert_int_equal(sys_field(r, "mmap", "count") - sys_field(base, "mmap", "count"), 100);
	/* openat: /dev/null and /dev/zero succeed, 200 fail with ENOENT. */
	assert_int_equal(sys_field(r, "openat", "count") - sys_field(base, "openat", "count"), 201);
	assert_int_equal(sys_field(r, "openat", "errors"), 200);
	assert_int_equal(sys_field(r, "write", "errors"), 0);
	errnos = get(find_named(get(r, "syscalls"), "openat"), "errnos");
	assert_non_null(errnos);
	assert_int_equal(json_object_get_int64(get(errnos, "ENOENT")), 200);
	assert_int_equal(json_object_object_length(errnos), 1);
	/* Categories are sums of their syscalls. */
	assert_int_equal(cat_field(r, "file_io", "count") - cat_field(base, "file_io", "count"),
			 1000 + 500 + 201 + 1 /* close */);
	assert_int_equal(cat_field(r, "file_io", "errors"), 200);
	assert_int_equal(cat_field(r, "sync", "count") - cat_field(base, "sync", "count"), 300);
	assert_int_equal(cat_field(r, "memory", "count") - cat_field(base, "memory", "count"), 200);
	assert_int_equal(json_object_get_int(get(r, "exit_status")), 0);
	/* Nothing was lost. */
	json_object_object_foreach(get(r, "dropped"), k, v) {
		(void)k;
		assert_int_equal(json_object_get_int64(v), 0);
	}
	json_object_put(base);
	json_object_put(r);
}

static void test_threads_and_children_followed(void **state)
{
	struct json_object *r = record_ok("follow.json", "",
		"--writes 10 --threads 4 --children 3 --per-task 50");

	assert_int_equal(sys_field(r, "write", "count"), 10 + 4 * 50 + 3 * 50);
	assert_int_equal(sys_field(r, "wait4", "count"), 3);
	/* exit_group never returns: counted when the process exits. */
	assert_int_equal(sys_field(r, "exit_group", "count"), 1 + 3);
	assert_int_equal(sys_field(r, "exit", "count"), 4);
	json_object_put(r);
}

static void test_no_follow_excludes_children(void **state)
{
	struct json_object *r = record_ok("nofollow.json", "--no-follow",
		"--writes 10 --threads 4 --children 3 --per-task 50");

	/* Threads belong to the process; forked children are not followed. */
	assert_int_equal(sys_field(r, "write", "count"), 10 + 4 * 50);
	assert_int_equal(sys_field(r, "exit_group", "count"), 1);
	assert_false(json_object_get_boolean(get(get(r, "config"), "follow")));
	json_object_put(r);
}

static void test_busy_unrelated_process_not_counted(void **state)
{
	struct json_object *r;

	/* A getppid storm next door must not leak into the target's figures. */
	assert_int_equal(sh(WORKLOAD " --spin 4 & echo $! > %s", tpath("spin.pid")), 0);
	usleep(200000);
	r = record_ok("unrelated.json", "", "--getppid 1000");
	sh("kill $(cat %s) 2>/dev/null; wait", tpath("spin.pid"));
	assert_int_equal(sys_field(r, "getppid", "count"), 1000);
	json_object_put(r);
}

static void test_raw_tp_fallback_is_exact(void **state)
{
	struct json_object *r = record_ok("rawtp.json", "--raw-tp",
		"--writes 700 --children 2 --per-task 5 --failed-opens 7");

	assert_string_equal(json_object_get_string(get(get(r, "self"), "attach")), "raw_tp");
	assert_int_equal(sys_field(r, "write", "count"), 710);
	assert_int_equal(sys_field(r, "openat", "errors"), 7);
	assert_int_equal(sys_field(r, "exit_group", "count"), 3);
	json_object_put(r);
}

/* Parses strace -c output: name -> (calls, errors). */
static int strace_counts(const char *path, char names[][32], long *calls, long *errs, int max)
{
	char line[512], name[64];
	double pct, secs;
	long usecs, c, e;
	FILE *f = fopen(path, "r");
	int n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) && n < max) {
		if (sscanf(line, "%lf %lf %ld %ld %ld %63s", &pct, &secs, &usecs, &c, &e, name) == 6) {
			errs[n] = e;
		} else if (sscanf(line, "%lf %lf %ld %ld %63s", &pct, &secs, &usecs, &c, name) == 5) {
			errs[n] = 0;
		} else {
			continue;
		}
		if (!strcmp(name, "total"))
			continue;
		snprintf(names[n], 32, "%s", name);
		calls[n++] = c;
	}
	fclose(f);
	return n;
}

static void compare_with_strace(const char *cmd, const char *tag)
{
	char names[128][32], json[64], st[64];
	long calls[128], errs[128];
	struct json_object *r;
	int i, n;

	snprintf(json, sizeof(json), "%s.json", tag);
	snprintf(st, sizeof(st), "%s.strace", tag);
	assert_int_equal(sh("strace -f -c -o %s %s >/dev/null 2>&1", tpath(st), cmd), 0);
	assert_int_equal(sh(OSIPROF " record -o %s -- %s >/dev/null", tpath(json), cmd), 0);
	r = load_report(tpath(json));
	n = strace_counts(tpath(st), names, calls, errs, 128);
	assert_true(n >= 10);
	for (i = 0; i < n; i++) {
		if (sys_field(r, names[i], "count") != calls[i] ||
		    sys_field(r, names[i], "errors") != errs[i])
			fail_msg("%s: %s: strace %ld calls/%ld errors, osiprof %ld/%ld", tag, names[i],
				 calls[i], errs[i], (long)sys_field(r, names[i], "count"),
				 (long)sys_field(r, names[i], "errors"));
	}
	json_object_put(r);
}

static void test_strace_crosscheck(void **state)
{
	/* Identical counts for every syscall strace sees (strace -c leaves out
	 * exit_group, which never returns; osiprof counts it too). */
	compare_with_strace(WORKLOAD " --writes 300 --reads 200 --futex-wakes 50 "
			    "--failed-opens 30 --mmaps 20 --children 4 --per-task 25", "xcheck");
}

static void test_dd_matches_strace(void **state)
{
	struct json_object *r;

	compare_with_strace("dd if=/dev/zero of=/dev/null bs=1 count=20000", "dd");
	r = load_report(tpath("dd.json"));
	assert_true(sys_field(r, "read", "count") >= 20000);
	assert_string_equal(json_object_get_string(get(find_named(get(r, "syscalls"), "read"),
						       "category")), "file_io");
	json_object_put(r);
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void test_latency_matches_truth(void **state)
{
	struct json_object *r = record_ok("sleep.json", "",
		"--sleeps 20:2000 --latency-file $TMPDIR/osiprof-test-lat.txt");
	struct json_object *e = find_named(get(r, "syscalls"), "nanosleep");
	double lat[20], mean = 0, p50, p99, min, max;
	FILE *f = fopen(tpath("../osiprof-test-lat.txt"), "r");
	int i;

	assert_non_null(e);
	assert_non_null(f);
	for (i = 0; i < 20; i++) {
		assert_int_equal(fscanf(f, "%lf", &lat[i]), 1);
		mean += lat[i] / 20;
	}
	fclose(f);
	qsort(lat, 20, sizeof(double), cmp_dbl);
	assert_int_equal(json_object_get_int64(get(e, "count")), 20);
	p50 = (double)json_object_get_int64(get(e, "p50_ns"));
	p99 = (double)json_object_get_int64(get(e, "p99_ns"));
	min = (double)json_object_get_int64(get(e, "min_ns"));
	max = (double)json_object_get_int64(get(e, "max_ns"));
	/* Against the latencies the workload itself measured around each call. */
	assert_true(fabs(json_object_get_double(get(e, "mean_ns")) - mean) / mean < 0.10);
	assert_true(fabs(p50 - (lat[9] + lat[10]) / 2) / lat[9] < 0.10);
	assert_true(fabs(p99 - lat[19]) / lat[19] < 0.10);
	/* And against the request: never shorter, and 2 ms plus scheduling slack. */
	assert_true(min >= 2000000);
	assert_true(p50 < 2000000 * 1.10 + 1000000);
	assert_true(min <= p50 && p50 <= p99 && p99 <= max);
	assert_int_equal(cat_field(r, "sleep", "count"), 20);
	json_object_put(r);
}

static void test_tags_and_normalisation(void **state)
{
	struct json_object *r = record_ok("tags.json",
		"--tag bytes=2000000 --tag iterations=100 --tag model=kernels", "--writes 4000");
	struct json_object *tags = get(get(r, "config"), "tags");
	struct json_object *fio = find_named(get(r, "categories"), "file_io");
	double count = (double)json_object_get_int64(get(fio, "count"));
	double total_us = json_object_get_int64(get(fio, "total_ns")) / 1e3;

	assert_string_equal(json_object_get_string(get(tags, "model")), "kernels");
	assert_string_equal(json_object_get_string(get(tags, "bytes")), "2000000");
	/* KB = 1000 bytes, as in the seeds' tables. */
	assert_true(fabs(json_object_get_double(get(get(fio, "per_kb"), "calls")) - count / 2000) < 1e-6);
	assert_true(fabs(json_object_get_double(get(get(fio, "per_kb"), "usec")) - total_us / 2000) < 1e-3);
	assert_true(fabs(json_object_get_double(get(get(fio, "per_iteration"), "calls")) - count / 100) < 1e-6);
	json_object_put(r);
}

static void test_formats(void **state)
{
	char line[512];
	int found = 0;
	FILE *f;

	assert_int_equal(sh(OSIPROF " record --format csv -o %s -- " WORKLOAD " --writes 321",
			    tpath("r.csv")), 0);
	f = fopen(tpath("r.csv"), "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	assert_non_null(strstr(line, "level,name,category,count,errors,total_ns"));
	while (fgets(line, sizeof(line), f))
		found |= !strncmp(line, "syscall,write,file_io,321,0,", 28);
	fclose(f);
	assert_true(found);

	assert_int_equal(sh(OSIPROF " record --format table -- " WORKLOAD " --writes 321 > %s",
			    tpath("r.txt")), 0);
	/* Time %, Total Time, Off-CPU, Num Calls, Errors ... Name */
	assert_int_equal(sh("grep -Eq '^ +[0-9.]+ +[0-9.]+ [mun]?s +[0-9.]+ [mun]?s +321 +0 .*write \\(file_io\\)$' %s",
			    tpath("r.txt")), 0);
	assert_int_equal(sh("grep -q 'Time (%%)' %s && grep -q 'Category' %s",
			    tpath("r.txt"), tpath("r.txt")), 0);
}

static void test_custom_categories(void **state)
{
	struct json_object *r;
	FILE *f = fopen(tpath("my.categories"), "w");

	assert_non_null(f);
	fputs("# two buckets\nwrites: write pwrite64\nlocks: futex\n", f);
	fclose(f);
	assert_int_equal(sh(OSIPROF " record -o %s --categories %s -- " WORKLOAD " --writes 42 --futex-wakes 7",
			    tpath("custom.json"), tpath("my.categories")), 0);
	r = load_report(tpath("custom.json"));
	assert_int_equal(cat_field(r, "writes", "count"), 42);
	assert_int_equal(cat_field(r, "locks", "count"), 7);
	assert_null(find_named(get(r, "categories"), "file_io"));
	json_object_put(r);

	f = fopen(tpath("bad.categories"), "w");
	fputs("writes: write\nthis line is bad\n", f);
	fclose(f);
	assert_int_not_equal(sh(OSIPROF " record --categories %s -- true", tpath("bad.categories")), 0);
	assert_non_null(strstr(last_stderr(), "bad.categories:2:"));
}

static void test_exit_status_passthrough(void **state)
{
	assert_int_equal(sh(OSIPROF " record -o /dev/null -- sh -c 'exit 3'"), 3);
	assert_int_equal(sh(OSIPROF " record -o /dev/null -- sh -c 'kill -TERM $$'"), 128 + 15);
	assert_int_equal(sh(OSIPROF " record -o /dev/null -- no-such-command-osiprof"), 127);
	assert_non_null(strstr(last_stderr(), "no-such-command-osiprof: command not found"));
	assert_int_equal(sh(OSIPROF " record -o /dev/null -- /etc/passwd"), 126);
}

static void expect_error(const char *args, const char *msg)
{
	int rc = sh(OSIPROF " record %s", args);
	const char *e = last_stderr();

	if (rc == 0 || rc >= 128 || !strstr(e, msg))
		fail_msg("'record %s': status %d, stderr '%s', expected '%s'", args, rc, e, msg);
	/* One clear line, no crash. */
	if (strchr(e, '\n') != e + strlen(e) - 1)
		fail_msg("'record %s': expected one line, got '%s'", args, e);
}

static void test_bad_inputs(void **state)
{
	char marker[300], args[600];

	expect_error("-p 999999999", "no process with PID 999999999");
	expect_error("-p 12x", "bad PID '12x'");
	expect_error("--tag bytes -- true", "bad tag 'bytes'");
	expect_error("--tag bytes=lots -- true", "bytes must be a positive integer");
	expect_error("--format xml -- true", "unknown format 'xml'");
	expect_error("--duration -1 -a", "bad --duration");
	expect_error("", "nothing to profile");
	expect_error("-a -- true", "give only one of");
	expect_error("--categories /nonexistent.categories -- true", "/nonexistent.categories");

	/* An unwritable output is refused before the workload runs. */
	snprintf(marker, sizeof(marker), "%s", tpath("must-not-exist"));
	snprintf(args, sizeof(args), "-o /nonexistent/dir/r.json -- touch %s", marker);
	expect_error(args, "cannot write /nonexistent/dir/r.json");
	assert_int_not_equal(access(marker, F_OK), 0);

	/* No privilege: an unprivileged user gets told which capabilities. */
	expect_error("--help >/dev/null; setpriv --reuid=65534 --regid=65534 --clear-groups "
		     "--inh-caps=-all --bounding-set=-all $OUTPUT/osiprof record -- true",
		     "needs CAP_BPF and CAP_PERFMON: missing CAP_BPF and CAP_PERFMON");

	/* A zombie (its parent never reaps it): it has exited, so it is no
	 * target; waiting for an exit long past would never end. */
	assert_int_equal(sh("sh -c 'sleep 0 & echo $! > %s; exec sleep 5' >/dev/null 2>&1 & sleep 0.5",
			    tpath("zombie.pid")), 0);
	{
		FILE *f = fopen(tpath("zombie.pid"), "r");
		int zpid = 0;

		assert_non_null(f);
		assert_int_equal(fscanf(f, "%d", &zpid), 1);
		fclose(f);
		snprintf(args, sizeof(args), "-p %d -o %s", zpid, tpath("zombie.json"));
		snprintf(marker, sizeof(marker), "no process with PID %d (or it exited while osiprof attached)", zpid);
		expect_error(args, marker);
	}

	/* No BTF: hide it in a private mount namespace. */
	expect_error("--help >/dev/null; unshare -m sh -c 'mount -t tmpfs none /sys/kernel/btf && "
		     "$OUTPUT/osiprof record -- true'", "no kernel BTF at /sys/kernel/btf/vmlinux");
}

static void test_pid_mode_follows_and_ends(void **state)
{
	struct json_object *r;
	int rc;

	/* The shell waits, runs a child, then becomes the workload (same PID):
	 * osiprof attached to it counts the writes and stops when it exits. */
	assert_int_equal(sh("sh -c 'sleep 1; /bin/true; exec " WORKLOAD " --writes 777 --children 2 "
			    "--per-task 11' & echo $! > %s", tpath("pidmode.pid")), 0);
	rc = sh(OSIPROF " record -o %s -p $(cat %s)", tpath("pid.json"), tpath("pidmode.pid"));
	if (rc)
		fail_msg("record -p failed (%d): %s", rc, last_stderr());
	r = load_report(tpath("pid.json"));
	assert_int_equal(sys_field(r, "write", "count"), 777 + 2 * 11);
	assert_true(sys_field(r, "execve", "count") >= 2);	/* /bin/true and the exec */
	assert_string_equal(json_object_get_string(get(get(r, "config"), "mode")), "pid");
	assert_null(get(r, "exit_status"));
	json_object_put(r);
}

static struct json_object *phase_named(struct json_object *r, const char *name)
{
	return find_named(get(get(r, "phases"), "list"), name);
}

static int64_t phase_cat(struct json_object *r, const char *phase, const char *cat)
{
	struct json_object *c = get(get(phase_named(r, phase), "categories"), cat);

	return c ? json_object_get_int64(get(c, "count")) : 0;
}

static void test_phases_exact(void **state)
{
	struct json_object *r = record_ok("phases.json", "--phases", "--phases 300:200");

	assert_true(json_object_get_boolean(get(get(r, "phases"), "collected")));
	/* Phase A only writes, phase B only wakes futexes. */
	assert_int_equal(phase_cat(r, "A", "file_io"), 300);
	assert_int_equal(phase_cat(r, "A", "sync"), 0);
	assert_int_equal(phase_cat(r, "B", "sync"), 200);
	assert_int_equal(phase_cat(r, "B", "file_io"), 0);
	assert_int_equal(json_object_get_int64(get(phase_named(r, "A"), "marks")), 1);
	assert_true(json_object_get_int64(get(phase_named(r, "A"), "wall_ns")) > 0);
	assert_non_null(phase_named(r, "end"));		/* exit_group happens there */
	assert_int_equal(phase_cat(r, "end", "process"), 1);
	/* Phases partition the whole: their counts add up to the totals. */
	assert_int_equal(phase_cat(r, "(before the first mark)", "file_io") + phase_cat(r, "A", "file_io") +
			 phase_cat(r, "B", "file_io") + phase_cat(r, "end", "file_io"),
			 cat_field(r, "file_io", "count"));
	json_object_put(r);
}

static void test_window_counts_only_inside(void **state)
{
	struct json_object *r = record_ok("window.json", "--window A,B", "--phases 300:200 --writes 50");

	/* Only what phase A did: its 300 writes; not the 50 before, nor B's futexes. */
	assert_int_equal(sys_field(r, "write", "count"), 300);
	assert_int_equal(sys_field(r, "futex", "count"), 0);
	assert_string_equal(json_object_get_string(get(get(get(r, "phases"), "window"), "begin")), "A");
	json_object_put(r);
	expect_error("--window A -- true", "bad --window 'A'");
	expect_error("--phases -- /bin/true", "has no osiprof:phase probes");
}

static void test_system_wide(void **state)
{
	struct json_object *r;

	assert_int_equal(sh("(sleep 0.7; " WORKLOAD " --writes 5000) & "
			    OSIPROF " record -a --duration 2 -o %s; wait", tpath("all.json")), 0);
	r = load_report(tpath("all.json"));
	assert_true(sys_field(r, "write", "count") >= 5000);
	assert_string_equal(json_object_get_string(get(get(r, "config"), "mode")), "system");
	assert_true(json_object_get_int64(get(get(r, "window"), "duration_ns")) >= 2000000000LL);
	json_object_put(r);
}

/* --bpf-stats turns the kernel's counting on for the run: the self section
 * has the programs' run count and time (the sysctl itself stays 0). */
static void test_bpf_stats(void **state)
{
	struct json_object *r = record_ok("stats.json", "--bpf-stats --no-sched", "--writes 1000");
	struct json_object *self = get(r, "self");

	assert_true(json_object_get_boolean(get(self, "bpf_stats_enabled")));
	/* An entry and an exit program ran for every counted call at least. */
	assert_true(json_object_get_int64(get(self, "bpf_run_count")) >=
		    2 * json_object_get_int64(get(get(r, "totals"), "count")));
	assert_true(json_object_get_int64(get(self, "bpf_run_time_ns")) > 0);
	json_object_put(r);
}

/* The object named name of the process pid, or NULL. */
static struct json_object *object_named(struct json_object *r, const char *name, int64_t count)
{
	struct json_object *arr = get(r, "objects");
	size_t i;

	for (i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *o = json_object_array_get_idx(arr, i);

		if (!strcmp(json_object_get_string(get(o, "name")), name) &&
		    (count < 0 || json_object_get_int64(get(o, "count")) == count))
			return o;
	}
	return NULL;
}

/* --objects: a file written 300 times and deleted, a unix and a TCP
 * socket each given 100 bytes, and a pipe a child inherited: each object
 * with its exact calls and bytes under the name it had. */
static void test_objects(void **state)
{
	struct json_object *r, *o;
	char name[400], port[16] = "";
	FILE *f;
	size_t i;
	int kinds = 0;

	assert_int_equal(sh(OSIPROF " record --objects -o %s -- " WORKLOAD " --objects %s > %s", tpath("obj.json"),
			    tmpdir(), tpath("port")), 0);
	assert_int_equal(sh("/usr/bin/python3 tests/validate_report.py %s", tpath("obj.json")), 0);
	f = fopen(tpath("port"), "r");
	assert_non_null(f);
	assert_non_null(fgets(port, sizeof(port), f));
	fclose(f);
	port[strcspn(port, "\n")] = '\0';
	r = load_report(tpath("obj.json"));
	assert_true(json_object_get_boolean(get(r, "objects_collected")));
	/* 300 writes and the close, by the name the file had before unlink. */
	snprintf(name, sizeof(name), "%s/a.tmp", tmpdir());
	o = object_named(r, name, -1);
	assert_non_null(o);
	assert_string_equal(json_object_get_string(get(o, "kind")), "file");
	assert_int_equal(json_object_get_int64(get(o, "count")), 301);
	assert_int_equal(json_object_get_int64(get(o, "bytes")), 3000);
	/* Clients: connect, 100 one-byte writes, close. */
	snprintf(name, sizeof(name), "tcp 127.0.0.1:%s", port);
	o = object_named(r, name, 102);
	assert_non_null(o);
	assert_int_equal(json_object_get_int64(get(o, "bytes")), 100);
	snprintf(name, sizeof(name), "unix %s/u.sock", tmpdir());
	o = object_named(r, name, 102);
	assert_non_null(o);
	assert_int_equal(json_object_get_int64(get(o, "bytes")), 100);
	assert_string_equal(json_object_get_string(get(o, "kind")), "socket");
	/* The child's inherited pipe: its 5 writes. */
	for (i = 0; i < json_object_array_length(get(r, "objects")); i++) {
		o = json_object_array_get_idx(get(r, "objects"), i);
		if (!strcmp(json_object_get_string(get(o, "kind")), "pipe") &&
		    json_object_get_int64(get(o, "count")) == 5 && json_object_get_int64(get(o, "bytes")) == 5)
			kinds++;
	}
	assert_true(kinds >= 1);
	json_object_put(r);
	/* Off by default: no objects, nothing collected. */
	r = record_ok("noobj.json", "", "--writes 10");
	assert_false(json_object_get_boolean(get(r, "objects_collected")));
	assert_int_equal(json_object_array_length(get(r, "objects")), 0);
	json_object_put(r);
	assert_int_equal(sh(OSIPROF " report --by object --format csv %s | grep -q '^file,'", tpath("obj.json")), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_counts),
		cmocka_unit_test(test_threads_and_children_followed),
		cmocka_unit_test(test_no_follow_excludes_children),
		cmocka_unit_test(test_busy_unrelated_process_not_counted),
		cmocka_unit_test(test_raw_tp_fallback_is_exact),
		cmocka_unit_test(test_strace_crosscheck),
		cmocka_unit_test(test_dd_matches_strace),
		cmocka_unit_test(test_latency_matches_truth),
		cmocka_unit_test(test_tags_and_normalisation),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_custom_categories),
		cmocka_unit_test(test_exit_status_passthrough),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_pid_mode_follows_and_ends),
		cmocka_unit_test(test_phases_exact),
		cmocka_unit_test(test_window_counts_only_inside),
		cmocka_unit_test(test_system_wide),
		cmocka_unit_test(test_bpf_stats),
		cmocka_unit_test(test_objects),
	};

	return cmocka_run_group_tests_name("record", tests, setup, NULL);
}
