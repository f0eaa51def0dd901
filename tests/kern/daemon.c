// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * osiprof daemon against the real kernel: snapshots on demand with exact
 * figures, bursts of signals, process churn against a small process map,
 * clean detach on SIGTERM and SIGKILL, a full disk, targets that exit,
 * threads that die together, cgroup targeting, and bad options.
 */
#include "testlib.h"

#define OSIPROF "$OUTPUT/osiprof"
#define WORKLOAD "$OUTPUT/tests/workload"

static int setup(void **state)
{
	setenv("OUTPUT", build_dir(), 0);
	return 0;
}

static int valid_report(const char *path)
{
	return sh("/usr/bin/python3 tests/validate_report.py %s", path);
}

/* Sum of one category's counts over exit events (of comm, if given). */
static int64_t exit_sum(const char *events, const char *comm, const char *cat, int *nexits)
{
	static char line[1 << 16];
	int64_t sum = 0;
	FILE *f = fopen(events, "r");

	*nexits = 0;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		struct json_object *e = json_tokener_parse(line), *c;

		if (!e)
			fail_msg("%s: a line that is not complete JSON: %.80s", events, line);
		if (!strcmp(json_object_get_string(get(e, "type")), "exit") &&
		    (!comm || !strcmp(json_object_get_string(get(e, "comm")), comm))) {
			(*nexits)++;
			c = get(get(e, "categories"), cat);
			if (c)
				sum += json_object_get_int64(get(c, "count"));
		}
		json_object_put(e);
	}
	fclose(f);
	return sum;
}

static void test_snapshot_exact_counts(void **state)
{
	struct json_object *base, *r;
	int n, progs_before = count_progs("sys_enter_btf");
	char path[512];
	struct daemon d;

	/* What the workload does on its own, with nothing asked of it. */
	assert_int_equal(sh(OSIPROF " record -o %s -- " WORKLOAD, tpath("dbase.json")), 0);
	base = load_report(tpath("dbase.json"));

	start_daemon(&d, "d1", "-a --interval 0.2");
	assert_int_equal(sh(WORKLOAD " --writes 777 --futex-wakes 333"), 0);
	usleep(300000);
	assert_int_equal(snapshot(&d, path, sizeof(path)), 0);
	assert_int_equal(valid_report(path), 0);
	r = load_report(path);
	assert_true(sys_field(r, "write", "count") >= 777);
	assert_true(sys_field(r, "futex", "count") >= 333);
	assert_true(json_object_array_length(get(r, "intervals")) >= 1);
	assert_true(json_object_get_int64(get(get(r, "exited_processes"), "count")) >= 1);
	assert_int_equal(json_object_get_int64(get(get(r, "self"), "events_lost")), 0);
	/* The exit event carries the workload's exact totals. */
	assert_int_equal(exit_sum(d.events, "workload", "sync", &n), cat_field(base, "sync", "count") + 333);
	assert_int_equal(n, 1);
	assert_int_equal(exit_sum(d.events, "workload", "file_io", &n),
			 cat_field(base, "file_io", "count") + 777);
	json_object_put(r);
	json_object_put(base);

	/* SIGTERM: a final snapshot, then nothing of osiprof left in the kernel. */
	assert_int_equal(stop_daemon(&d, SIGTERM), 0);
	assert_int_equal(sh("grep -q '\"reason\":\"exit\"' %s/latest.json", d.dir), 0);
	assert_int_equal(valid_report(tpath("d1/latest.json")), 0);
	/* The kernel frees programs after their last reference (RCU-deferred). */
	for (n = 0; n < 100 && count_progs("sys_enter_btf") > progs_before; n++)
		usleep(50000);
	assert_int_equal(count_progs("sys_enter_btf"), progs_before);
	assert_int_not_equal(access(d.pidfile, F_OK), 0);
}

static void test_sigkill_leaves_nothing(void **state)
{
	int i, before = count_progs("sys_enter_btf");
	struct daemon d;

	start_daemon(&d, "d2", "-a --interval 1");
	assert_int_equal(count_progs("sys_enter_btf"), before + 1);
	assert_int_equal(stop_daemon(&d, SIGKILL), 0);
	/* The kernel frees programs and maps with their last fd (RCU-deferred). */
	for (i = 0; i < 100 && count_progs("sys_enter_btf") > before; i++)
		usleep(50000);
	assert_int_equal(count_progs("sys_enter_btf"), before);
}

static void test_signal_burst(void **state)
{
	struct daemon d;
	char opts[300];
	int i;

	/* A quiet -p target keeps each snapshot small. */
	snprintf(opts, sizeof(opts), "-p %d --interval 0.2", start_bg("burst", "sleep 30"));
	start_daemon(&d, "d3", opts);
	for (i = 0; i < 10; i++)
		kill(d.pid, SIGUSR1);
	usleep(1500000);
	assert_true(alive(d.pid));	/* no crash */
	/* Every snapshot written is complete and valid. */
	assert_int_equal(sh("n=0; for f in %s/snapshot-*.json; do /usr/bin/python3 tests/validate_report.py "
			    "$f || exit 1; n=$((n+1)); done; [ $n -ge 1 ]", d.dir), 0);
	assert_int_equal(sh("ls %s | grep -c '\\.tmp' | grep -qx 0", d.dir), 0);
	assert_int_equal(stop_daemon(&d, SIGTERM), 0);
}

static void test_churn_stays_bounded(void **state)
{
	struct json_object *r, *procs;
	int64_t global, exited, live = 0;
	char path[300];
	struct daemon d;
	pid_t target;
	size_t i;
	int n;

	/* 5,000 short-lived processes against a 256-process map. */
	target = start_bg("churn", "sh -c 'sleep 1; exec " WORKLOAD " --children 5000 --per-task 1'");
	assert_true(target > 0);
	snprintf(path, sizeof(path), "-p %d --max-processes 256 --interval 0.5", target);
	start_daemon(&d, "d4", path);
	r = daemon_final_report(&d, target, 60);
	assert_int_equal(sys_field(r, "write", "count"), 5000);
	procs = get(r, "processes");
	assert_true(json_object_array_length(procs) <= 257);
	/* Exit events + live entries + the overflow entry = the global count. */
	global = cat_field(r, "file_io", "count");
	exited = exit_sum(d.events, NULL, "file_io", &n);
	for (i = 0; i < json_object_array_length(procs); i++) {
		struct json_object *c = get(get(json_object_array_get_idx(procs, i), "categories"), "file_io");

		if (c)
			live += json_object_get_int64(get(c, "count"));
	}
	if (exited + live != global)
		fail_msg("exit events %ld + live/overflow %ld != global %ld (%d exits)", (long)exited,
			 (long)live, (long)global, n);
	assert_true(n >= 1);
	assert_int_equal(json_object_get_int64(get(get(r, "self"), "events_lost")), 0);
	json_object_put(r);
}

static void test_full_filesystem(void **state)
{
	char path[512], first[512];
	struct daemon d;

	/* A 256 KiB disk; PID 1 as a quiet target keeps snapshots small. */
	assert_int_equal(sh("mkdir -p %s && mount -t tmpfs -o size=256k,mode=0750 tmpfs %s", tpath("full"),
			    tpath("full")), 0);
	start_daemon(&d, "full", "--interval 0.2 -p 1");
	assert_int_equal(snapshot(&d, first, sizeof(first)), 0);
	assert_int_equal(valid_report(first), 0);
	/* Fill the disk: the next snapshot fails, the previous one is intact. */
	sh("dd if=/dev/zero of=%s/filler bs=4k 2>/dev/null", d.dir);
	assert_int_not_equal(snapshot(&d, path, sizeof(path)), 0);
	assert_non_null(strstr(last_stderr(), "No space left on device"));
	assert_int_equal(sh("grep -q 'no new snapshot; nothing else was changed' %s", d.log), 0);
	assert_int_equal(valid_report(first), 0);
	assert_true(alive(d.pid));
	/* Space is back: snapshots work again. */
	assert_int_equal(sh("rm %s/filler", d.dir), 0);
	assert_int_equal(snapshot(&d, path, sizeof(path)), 0);
	assert_int_equal(valid_report(path), 0);
	assert_int_equal(stop_daemon(&d, SIGTERM), 0);
	sh("umount %s", d.dir);
}

static void test_target_exit(void **state)
{
	char opts[64];
	struct daemon d;
	pid_t p;

	p = start_bg("short", "sleep 0.5");
	snprintf(opts, sizeof(opts), "-p %d --interval 0.1", p);
	start_daemon(&d, "d5", opts);
	usleep(1200000);
	/* Logged, and the daemon keeps running. */
	assert_int_equal(sh("grep -q 'target process %d exited' %s", p, d.log), 0);
	assert_true(alive(d.pid));
	assert_int_equal(stop_daemon(&d, SIGTERM), 0);

	/* With --exit-when-gone it stops by itself once its targets are gone. */
	p = start_bg("short2", "sleep 0.5");
	snprintf(opts, sizeof(opts), "-p %d --interval 0.1 --exit-when-gone", p);
	start_daemon(&d, "d6", opts);
	usleep(1500000);
	assert_false(alive(d.pid));
	assert_int_equal(valid_report(tpath("d6/latest.json")), 0);
}

/* 40 processes whose 16 threads die together in exit_group, some before
 * they ever ran (no task storage): in both flavours every process is closed
 * once, by one exit, none is left behind as alive, and a thread that gets to
 * its exit after its process was ended is counted with the exited. */
static void test_threads_exiting_together(void **state)
{
	const char *flavour[] = { "", "--raw-tp" };
	struct json_object *r, *procs, *life;
	int64_t created, exits, process_exits;
	char opts[128];
	struct daemon d;
	pid_t target;
	size_t i, k;
	int n;

	for (k = 0; k < 2; k++) {
		target = start_bg("gx", "sh -c 'sleep 1; exec " WORKLOAD " --group-exits 40'");
		assert_true(target > 0);
		snprintf(opts, sizeof(opts), "-p %d --interval 0.2 %s", target, flavour[k]);
		start_daemon(&d, k ? "d8raw" : "d8", opts);
		r = daemon_final_report(&d, target, 30);
		snprintf(opts, sizeof(opts), "%s/latest.json", d.dir);
		procs = get(r, "processes");
		for (i = 0; i < json_object_array_length(procs); i++) {
			struct json_object *p = json_object_array_get_idx(procs, i);

			if (json_object_get_int64(get(p, "pid")))
				fail_msg("%s: process %s left as alive", flavour[k],
					 json_object_to_json_string(get(p, "pid")));
			/* A thread that outlived its process's exit is its, not [overflow]'s. */
			if (json_object_get_int64(get(p, "syscalls")))
				fail_msg("%s: %s syscalls in the overflow entry", flavour[k],
					 json_object_to_json_string(get(p, "syscalls")));
		}
		exit_sum(d.events, "workload", "process", &n);
		assert_int_equal(n, 41);	/* the 40 and the workload itself, once each */
		/* Exit and late-thread lines hold every call: nothing is live. */
		assert_int_equal(sh("/usr/bin/python3 -c 'import json,sys; "
				    "ev=[json.loads(l) for l in open(sys.argv[1])]; r=json.load(open(sys.argv[2])); "
				    "s=sum(e[\"syscalls\"] for e in ev if e[\"type\"] in (\"exit\", \"late_thread\")); "
				    "assert s == r[\"totals\"][\"count\"], (s, r[\"totals\"][\"count\"])' %s %s",
				    d.events, opts), 0);
		life = get(r, "lifecycle");
		created = json_object_get_int64(get(life, "threads_created"));
		exits = json_object_get_int64(get(life, "thread_exits"));
		process_exits = json_object_get_int64(get(life, "process_exits"));
		assert_int_equal(created, 40 * 16);
		assert_int_equal(process_exits, json_object_get_int64(get(get(r, "exited_processes"), "count")));
		assert_int_equal(exits, created + process_exits);
		json_object_put(r);
	}
}

static void test_cgroup_targets(void **state)
{
	char cg[300], opts[400], job[64];
	struct daemon d;
	int n;

	/* Every cgroup2 mount shows the one hierarchy: a name of our own. */
	snprintf(job, sizeof(job), "osiprof-test-%d", getpid());
	snprintf(cg, sizeof(cg), "%s", tpath("cg2"));
	assert_int_equal(sh("mkdir -p %s && mount -t cgroup2 none %s && mkdir %s/%s", cg, cg, cg, job), 0);
	snprintf(opts, sizeof(opts), "--cgroup %s/%s --interval 0.2", cg, job);
	start_daemon(&d, "d7", opts);
	/* One workload inside the cgroup, one outside. */
	n = sh("sh -c 'echo $$ > %s/%s/cgroup.procs; exec " WORKLOAD " --writes 555'", cg, job);
	n |= sh(WORKLOAD " --writes 444");
	usleep(300000);
	n |= stop_daemon(&d, SIGTERM);
	sh("rmdir %s/%s; umount %s", cg, job, cg);
	assert_int_equal(n, 0);
	assert_true(exit_sum(d.events, "workload", "file_io", &n) >= 555);
	assert_true(exit_sum(d.events, "workload", "file_io", &n) < 555 + 444);
	assert_int_equal(n, 1);
	assert_int_equal(sh("grep -q '\"mode\":\"cgroup\"' %s/latest.json", d.dir), 0);
}

/* The cgroups[] entry whose path ends in name, or NULL. */
static struct json_object *cgroup_named(struct json_object *r, const char *name)
{
	struct json_object *arr = get(r, "cgroups");
	size_t i, n = strlen(name);

	for (i = 0; i < json_object_array_length(arr); i++) {
		const char *p = json_object_get_string(get(json_object_array_get_idx(arr, i), "path"));

		if (strlen(p) >= n && !strcmp(p + strlen(p) - n, name))
			return json_object_array_get_idx(arr, i);
	}
	return NULL;
}

static int64_t cgroup_file_io(struct json_object *cg)
{
	return json_object_get_int64(get(get(get(cg, "categories"), "file_io"), "count"));
}

/* Three jobs in three cgroups of their own, one named as docker names its
 * scopes: per cgroup, exact counts (the same program with 555, 444 and no
 * writes), the container ID read from the path, and a bounded label. */
static void test_cgroups_breakdown(void **state)
{
	const char *id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char cg[300], base[400], opts[200], path[400], name[3][120];
	struct json_object *r, *a, *b, *c;
	const char *writes[3] = { "555", "444", "0" };
	struct daemon d;
	int i, n = 0;

	snprintf(cg, sizeof(cg), "%s", tpath("cg3"));
	snprintf(base, sizeof(base), "%s/osiprof-cg-%d", cg, getpid());
	snprintf(name[0], sizeof(name[0]), "docker-%s.scope", id);
	snprintf(name[1], sizeof(name[1]), "job-b");
	snprintf(name[2], sizeof(name[2]), "job-c");
	assert_int_equal(sh("mkdir -p %s && mount -t cgroup2 none %s && mkdir %s %s/%s %s/%s %s/%s", cg, cg,
			    base, base, name[0], base, name[1], base, name[2]), 0);
	snprintf(opts, sizeof(opts), "-a --interval 0.2 --listen 127.0.0.1:19262 --metrics-cgroups 1");
	start_daemon(&d, "d8", opts);
	for (i = 0; i < 3; i++)
		n |= sh("sh -c 'echo $$ > %s/%s/cgroup.procs; exec " WORKLOAD " --writes %s'", base, name[i],
			writes[i]);
	usleep(500000);
	n |= snapshot(&d, path, sizeof(path));
	/* One labelled cgroup and "other", for every category. */
	n |= sh("curl -sf http://127.0.0.1:19262/metrics > %s", tpath("cg.prom"));
	n |= stop_daemon(&d, SIGTERM);
	for (i = 0; i < 3; i++)
		sh("rmdir %s/%s", base, name[i]);
	sh("rmdir %s; umount %s", base, cg);
	assert_int_equal(n, 0);
	assert_int_equal(sh("promtool check metrics < %s", tpath("cg.prom")), 0);
	assert_int_equal(sh("test $(grep -c '^osiprof_syscalls_total{category=\"file_io\",cgroup=' %s) -eq 2",
			    tpath("cg.prom")), 0);
	assert_int_equal(sh("grep -q '^osiprof_syscalls_total{category=\"file_io\",cgroup=\"other\"} ' %s",
			    tpath("cg.prom")), 0);
	r = load_report(path);
	a = cgroup_named(r, name[0]);
	b = cgroup_named(r, name[1]);
	c = cgroup_named(r, name[2]);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_int_equal(cgroup_file_io(a) - cgroup_file_io(c), 555);
	assert_int_equal(cgroup_file_io(b) - cgroup_file_io(c), 444);
	assert_int_equal(json_object_get_int64(get(a, "processes")), 1);
	assert_string_equal(json_object_get_string(get(a, "runtime")), "docker");
	assert_string_equal(json_object_get_string(get(a, "container_id")), id);
	assert_null(get(b, "container_id"));
	json_object_put(r);
	/* And offline, by cgroup. */
	assert_int_equal(sh(OSIPROF " report --by cgroup --format csv %s | grep -q ',docker,%s,'", path, id), 0);
}

static void expect_error(const char *args, const char *msg)
{
	int rc = sh(OSIPROF " %s", args);

	if (rc == 0 || rc >= 128 || !strstr(last_stderr(), msg))
		fail_msg("'%s': status %d, stderr '%s', expected '%s'", args, rc, last_stderr(), msg);
}

static void test_bad_options(void **state)
{
	struct daemon d;
	char args[700];

	expect_error("daemon --interval 0", "bad --interval");
	expect_error("daemon --slow-threshold 100", "--slow-threshold needs --events");
	expect_error("daemon -a -p 1", "give only one of");
	expect_error("daemon --cgroup /nonexistent-cgroup", "cannot open cgroup");
	expect_error("daemon --cgroup /tmp", "is not a cgroup v2 directory");
	expect_error("daemon -p 999999999", "no process with PID 999999999");
	expect_error("daemon --output-dir /proc/osiprof --pidfile /tmp/x.pid", "output directory");
	expect_error("snapshot --pidfile /nonexistent.pid", "cannot read pidfile");
	expect_error("snapshot 1", "not a running osiprof daemon");

	/* A second daemon on the same pidfile is refused, naming the first. */
	start_daemon(&d, "d8", "-a --interval 1");
	snprintf(args, sizeof(args), "daemon --output-dir %s --pidfile %s", d.dir, d.pidfile);
	snprintf(d.events, sizeof(d.events), "another osiprof daemon (PID %d) holds %s", d.pid, d.pidfile);
	expect_error(args, d.events);
	assert_int_equal(stop_daemon(&d, SIGTERM), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot_exact_counts),
		cmocka_unit_test(test_sigkill_leaves_nothing),
		cmocka_unit_test(test_signal_burst),
		cmocka_unit_test(test_churn_stays_bounded),
		cmocka_unit_test(test_full_filesystem),
		cmocka_unit_test(test_target_exit),
		cmocka_unit_test(test_threads_exiting_together),
		cmocka_unit_test(test_cgroup_targets),
		cmocka_unit_test(test_cgroups_breakdown),
		cmocka_unit_test(test_bad_options),
	};

	return cmocka_run_group_tests_name("daemon", tests, setup, kill_tracked);
}
