// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Numbers that add up, against the real kernel: per-process figures sum to
 * the totals under thread and process churn, threads dying together and in
 * -p mode; lifecycle counts
 * do not depend on the process map's size; restart codes have names; faults
 * match perf stat; 32-bit calls and io_uring are not silently misnamed or
 * lost; names are the kernel's current ones; odd names cannot break a
 * report; profiling does not change the process tree. (tests/run.sh also
 * runs the invariant checker over every report the suite writes.)
 */
#include <math.h>
#include "testlib.h"

#define OSIPROF "$OUTPUT/osiprof"
#define WORKLOAD "$OUTPUT/tests/workload"

static int setup(void **state)
{
	setenv("OUTPUT", build_dir(), 0);
	return 0;
}

static struct json_object *record_ok(const char *name, const char *opts, const char *cmd)
{
	char path[320];

	snprintf(path, sizeof(path), "%s", tpath(name));
	if (sh(OSIPROF " record -o %s %s -- %s", path, opts, cmd))
		fail_msg("osiprof record %s -- %s failed: %s", opts, cmd, last_stderr());
	return load_report(path);
}

/* Sum of a per-process figure (a nested key path of two levels at most). */
static int64_t proc_sum(struct json_object *r, const char *k1, const char *k2)
{
	struct json_object *procs = get(r, "processes");
	int64_t sum = 0;
	size_t i;

	for (i = 0; i < json_object_array_length(procs); i++) {
		struct json_object *v = get(json_object_array_get_idx(procs, i), k1);

		sum += json_object_get_int64(k2 ? get(v, k2) : v);
	}
	return sum;
}

static void test_processes_sum_to_totals_under_churn(void **state)
{
	struct json_object *r = record_ok("churn.json", "", WORKLOAD " --threads 40 --children 100 --per-task 5");
	struct json_object *sw = get(get(r, "sched"), "context_switches");

	/* Every thread's last switch-out included: the sums are exact. */
	assert_int_equal(proc_sum(r, "context_switches", "voluntary"),
			 json_object_get_int64(get(sw, "voluntary")));
	assert_int_equal(proc_sum(r, "context_switches", "involuntary"),
			 json_object_get_int64(get(sw, "involuntary")));
	assert_int_equal(proc_sum(r, "task_clock_ns", NULL),
			 json_object_get_int64(get(get(r, "sched"), "task_clock_ns")));
	assert_int_equal(proc_sum(r, "syscalls", NULL), json_object_get_int64(get(get(r, "totals"), "count")));
	assert_int_equal(json_object_get_int64(get(get(r, "unattributed"), "syscalls")), 0);
	assert_int_equal(json_object_get_int64(get(get(r, "lifecycle"), "process_exits")), 101);
	assert_int_equal(json_object_get_int64(get(get(r, "lifecycle"), "threads_created")), 40);
	json_object_put(r);
}

/* Threads dying together in exit_group, some before they ever ran: every
 * process ends once and none is left alive, in both flavours. */
static void test_threads_exiting_together_end_once(void **state)
{
	const char *flavour[] = { "", "--raw-tp" };
	struct json_object *r, *life, *procs;
	size_t i, k;

	for (k = 0; k < 2; k++) {
		r = record_ok(k ? "gx-raw.json" : "gx.json", flavour[k], WORKLOAD " --group-exits 40");
		life = get(r, "lifecycle");
		assert_int_equal(json_object_get_int64(get(life, "forks")), 40);
		assert_int_equal(json_object_get_int64(get(life, "threads_created")), 640);
		assert_int_equal(json_object_get_int64(get(life, "process_exits")), 41);
		assert_int_equal(json_object_get_int64(get(life, "thread_exits")), 640 + 41);
		procs = get(r, "processes");
		assert_int_equal(json_object_array_length(procs), 41);
		for (i = 0; i < json_object_array_length(procs); i++)
			assert_false(json_object_get_boolean(get(json_object_array_get_idx(procs, i), "alive")));
		assert_int_equal(proc_sum(r, "syscalls", NULL), json_object_get_int64(get(get(r, "totals"), "count")));
		json_object_put(r);
	}
}

static void test_pid_mode_never_exceeds_totals(void **state)
{
	struct json_object *r;
	pid_t p = start_bg("busy", WORKLOAD " --spin 3");

	assert_true(p > 0);
	usleep(200000);
	assert_int_equal(sh(OSIPROF " record -o %s -p %d --duration 0.5", tpath("pid.json"), p), 0);
	r = load_report(tpath("pid.json"));
	assert_true(json_object_get_int64(get(get(r, "totals"), "count")) > 1000);
	/* Read after the probes stopped: the busy process is exactly the total. */
	assert_int_equal(proc_sum(r, "syscalls", NULL), json_object_get_int64(get(get(r, "totals"), "count")));
	assert_int_equal(json_object_get_int64(get(get(r, "unattributed"), "syscalls")), 0);
	json_object_put(r);
	kill(p, SIGKILL);
}

static void test_lifecycle_does_not_depend_on_map_size(void **state)
{
	struct json_object *r = record_ok("small.json", "--max-processes 8",
					  WORKLOAD " --children 101 --per-task 1");

	assert_int_equal(json_object_get_int64(get(get(r, "lifecycle"), "process_exits")), 102);
	assert_int_equal(json_object_get_int64(get(get(r, "lifecycle"), "forks")), 101);
	assert_true(json_object_get_int64(get(get(r, "dropped"), "process_map_full")) > 0);
	json_object_put(r);
}

static void test_restart_codes_have_names(void **state)
{
	struct json_object *r = record_ok("restart.json", "",
		"sh -c 'sleep 0.4 & p=$!; sleep 0.1; kill -STOP $p; sleep 0.05; kill -CONT $p; wait $p'");
	struct json_object *sys = get(r, "syscalls");
	size_t i;
	int restarts = 0;

	for (i = 0; i < json_object_array_length(sys); i++) {
		struct json_object *e = json_object_array_get_idx(sys, i), *errnos = get(e, "errnos");

		json_object_object_foreach(errnos, name, v) {
			(void)v;
			if (!strcmp(name, "EUNKNOWN"))
				fail_msg("%s has an EUNKNOWN errno", json_object_get_string(get(e, "name")));
			if (!strncmp(name, "ERESTART", 8))
				restarts++;
		}
	}
	/* The stopped sleep's clock_nanosleep came back with a restart code. */
	assert_true(restarts > 0);
	json_object_put(r);
}

static void test_faults_match_perf_stat(void **state)
{
	struct json_object *r = record_ok("true.json", "", "/bin/true");
	int64_t ours = json_object_get_int64(get(get(get(r, "memory"), "page_faults"), "minor"));
	FILE *f;
	long perf = -1;

	json_object_put(r);
	assert_int_equal(sh("perf stat -x, -e minor-faults /bin/true 2>&1 >/dev/null | "
			    "awk -F, '/minor-faults/ { print $1 }' > %s", tpath("perf.txt")), 0);
	f = fopen(tpath("perf.txt"), "r");
	assert_non_null(f);
	if (fscanf(f, "%ld", &perf) != 1)
		perf = -1;
	fclose(f);
	assert_true(perf > 0);
	if (labs(ours - perf) > 5)
		fail_msg("/bin/true: osiprof %lld minor faults, perf stat %ld", (long long)ours, perf);
}

static void test_i386_calls_are_counted_apart(void **state)
{
	struct json_object *r = record_ok("i386.json", "", WORKLOAD " --int80 1000 --getppid 500");
	struct json_object *row = find_named(get(r, "syscalls"), "[i386]");

	assert_non_null(row);
	assert_int_equal(json_object_get_int64(get(row, "count")), 1000);
	assert_string_equal(json_object_get_string(get(row, "abi")), "i386");
	assert_int_equal(json_object_get_int64(get(get(row, "i386_calls"), "getpid")), 1000);
	assert_int_equal(sys_field(r, "writev", "count"), 0);	/* x86-64 nr 20 */
	assert_int_equal(sys_field(r, "getppid", "count"), 500);
	assert_non_null(strstr(json_object_to_json_string(get(r, "warnings")), "i386"));
	json_object_put(r);
}

static void test_io_uring_is_said(void **state)
{
	struct json_object *r = record_ok("uring.json", "", WORKLOAD " --uring-writes 1000");

	/* 1000 writes went through 10 io_uring_enter: not counted, but said. */
	assert_int_equal(sys_field(r, "io_uring_enter", "count"), 10);
	assert_non_null(strstr(json_object_to_json_string(get(r, "warnings")), "io_uring"));
	assert_non_null(strstr(last_stderr(), "io_uring used"));
	json_object_put(r);
}

static void test_names_are_the_kernels(void **state)
{
	struct json_object *r = record_ok("name.json", "", WORKLOAD " --name renamed --writes 3");
	pid_t p;

	assert_string_equal(json_object_get_string(get(json_object_array_get_idx(get(r, "processes"), 0),
							  "comm")), "renamed");
	json_object_put(r);
	/* A -p target named with a backslash keeps it, unescaped. */
	assert_int_equal(sh("cp $OUTPUT/tests/workload %s", tpath("a\\\\b")), 0);
	p = start_bg("bs", tpath("a\\\\b --spin 3"));
	assert_true(p > 0);
	usleep(200000);
	assert_int_equal(sh(OSIPROF " record -o %s -p %d --duration 0.2", tpath("bs.json"), p), 0);
	r = load_report(tpath("bs.json"));
	assert_string_equal(json_object_get_string(get(json_object_array_get_idx(get(r, "processes"), 0),
							  "comm")), "a\\b");
	json_object_put(r);
	kill(p, SIGKILL);
}

static void test_odd_names_never_break_a_report(void **state)
{
	/* Two processes, so the table lists them by name. */
	const char *odd = WORKLOAD " --name 'x\\xff\\x1b[31m,\"y' --writes 2 --children 1 --per-task 1";

	/* Strict UTF-8 JSON (the invariant checker re-reads it too). */
	assert_int_equal(sh(OSIPROF " record -o %s -- %s && python3 -c 'import json,sys; "
			    "json.loads(open(sys.argv[1], \"rb\").read().decode(\"utf-8\"))' %s",
			    tpath("odd.json"), odd, tpath("odd.json")), 0);
	/* No escape sequence reaches the terminal; CSV columns stay in place. */
	assert_int_equal(sh(OSIPROF " record --format table -o %s -- %s && ! grep -q $(printf '\\033') %s && "
			    "grep -qF 'x\\xff\\x1b[31m' %s", tpath("odd.txt"), odd, tpath("odd.txt"), tpath("odd.txt")), 0);
	assert_int_equal(sh(OSIPROF " record --format csv -o %s -- %s && python3 -c 'import csv,sys; "
			    "rows=list(csv.reader(open(sys.argv[1]))); assert len({len(r) for r in rows}) == 1' %s",
			    tpath("odd.csv"), odd, tpath("odd.csv")), 0);
}

static void test_prometheus_labels_stay_valid(void **state)
{
	char opts[300];
	struct daemon d;
	pid_t p = start_bg("oddp", WORKLOAD " --name 'q\\xff\"\\x0a' --spin 4");
	int i;

	assert_true(p > 0);
	usleep(200000);
	snprintf(opts, sizeof(opts), "--interval 0.2 -p %d --listen 127.0.0.1:19241 "
		 "--tag 'note=a\"b\\c'", p);
	start_daemon(&d, "prom", opts);
	for (i = 0; i < 100 && sh("curl -sf -o /dev/null http://127.0.0.1:19241/metrics"); i++)
		usleep(100000);
	assert_int_equal(sh("curl -sf http://127.0.0.1:19241/metrics | promtool check metrics"), 0);
	assert_int_equal(sh("curl -sf http://127.0.0.1:19241/metrics | grep -q '^osiprof_syscall_bytes_total{'"), 0);
	assert_int_equal(sh("curl -sf http://127.0.0.1:19241/metrics | grep -q 'note=\"a\\\\\"b\\\\\\\\c\"'"), 0);
	assert_int_equal(stop_daemon(&d, SIGTERM), 0);
	kill(p, SIGKILL);
	/* Labels osiprof uses, or that are not label names, are refused. */
	assert_int_equal(sh(OSIPROF " daemon -a --tag category=x --output-dir %s --pidfile %s",
			    tpath("x"), tpath("x.pid")), 2);
	assert_int_equal(sh(OSIPROF " record --tag my.key=x -o /dev/null -- true"), 2);
}

static void test_exit_events_carry_real_lifetime(void **state)
{
	struct daemon d;
	char line[8192];
	int found = 0;
	FILE *f;

	start_daemon(&d, "life", "--interval 0.2 -a");
	assert_int_equal(sh(WORKLOAD " --name lifetimer --sleeps 1:500000"), 0);
	usleep(300000);
	assert_int_equal(stop_daemon(&d, SIGTERM), 0);
	f = fopen(d.events, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		struct json_object *e = json_tokener_parse(line);

		if (e && !strcmp(json_object_get_string(get(e, "type")), "exit") &&
		    !strcmp(json_object_get_string(get(e, "comm")), "lifetimer")) {
			int64_t ns = json_object_get_int64(get(e, "lifetime_ns"));

			found = 1;
			if (ns < 500000000 || ns > 5000000000LL)
				fail_msg("a 0.5 s process lived %lld ns by its exit event", (long long)ns);
		}
		json_object_put(e);
	}
	fclose(f);
	assert_true(found);
}

static void test_sleep_after_a_wakeup_is_not_runqueue_time(void **state)
{
	struct json_object *r = record_ok("runq.json", "", WORKLOAD " --woken-running 5");
	struct json_object *rq = get(get(r, "sched"), "runqueue_latency");
	int64_t total = json_object_get_int64(get(rq, "total_ns"));

	/* 5 x 100 ms sleeps follow a wake-up that found the thread running.
	 * Stale wake stamps made this 30+ ms on the previous code; a correct
	 * count is well under a millisecond on an idle machine. */
	if (total > 20000000)
		fail_msg("run-queue latency %lld ns: sleeps were counted as waiting for a CPU",
			 (long long)total);
	assert_true(json_object_get_int64(get(get(get(r, "sched"), "offcpu_ns"), "in_syscalls")) >= 500000000);
	json_object_put(r);
}

static void test_bytes_moved(void **state)
{
	struct json_object *r = record_ok("bytes.json", "--tag bytes=4096000",
		"dd if=/dev/zero of=$TMPDIR/bytes.out bs=4096 count=1000 status=none");
	struct json_object *io = find_named(get(r, "categories"), "file_io");
	int64_t rd = sys_field(r, "read", "bytes"), wr = sys_field(r, "write", "bytes");

	/* Every successful write moved its 4096 bytes, reads at least as much. */
	assert_int_equal(sys_field(r, "write", "count"), 1000);
	assert_int_equal(wr, 4096000);
	assert_true(rd >= 4096000);
	assert_int_equal(cat_field(r, "file_io", "bytes"), rd + wr + sys_field(r, "pread64", "bytes"));
	/* Per KB of the tagged footprint (KB = 1000 bytes). */
	assert_true(fabs(json_object_get_double(get(get(io, "per_kb"), "bytes")) -
			 cat_field(r, "file_io", "bytes") / 4096.0) < 1e-6 * cat_field(r, "file_io", "bytes"));
	/* Sizes: dd's 1000 writes and 1000 reads of 4096 bytes dominate. */
	assert_int_equal(json_object_get_int64(get(get(io, "io_size"), "p50_bytes")), 4096);
	assert_int_equal(json_object_get_int64(get(get(io, "io_size"), "max_bytes")), 4096);
	assert_true(json_object_get_int64(get(get(io, "io_size"), "count")) >= 2000);
	/* Calls that move no data count none; dd is the one process. */
	assert_int_equal(sys_field(r, "openat", "bytes"), 0);
	assert_int_equal(json_object_get_int64(get(json_object_array_get_idx(get(r, "processes"), 0), "bytes")),
			 json_object_get_int64(get(get(r, "totals"), "bytes")));
	json_object_put(r);
}

static void test_process_tree_is_unchanged(void **state)
{
	/* An orphan's new parent is whatever it would be without osiprof. */
#define ORPHAN "sh -c 'sh -c \"sleep 0.3; grep PPid /proc/\\$\\$/status > %s\" & exit 0'"
	char plain[600], rec[600];
	int i;

	snprintf(plain, sizeof(plain), ORPHAN, tpath("ppid.plain"));
	snprintf(rec, sizeof(rec), ORPHAN, tpath("ppid.rec"));
	assert_int_equal(sh("%s", plain), 0);
	assert_int_equal(sh(OSIPROF " record -o %s -- %s", tpath("tree.json"), rec), 0);
	/* record waited for the orphan: it was a followed process still alive. */
	for (i = 0; i < 50 && access(tpath("ppid.plain"), F_OK); i++)
		usleep(100000);
	assert_int_equal(access(tpath("ppid.rec"), F_OK), 0);
	assert_int_equal(sh("diff %s %s", tpath("ppid.plain"), tpath("ppid.rec")), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_processes_sum_to_totals_under_churn),
		cmocka_unit_test(test_threads_exiting_together_end_once),
		cmocka_unit_test(test_pid_mode_never_exceeds_totals),
		cmocka_unit_test(test_lifecycle_does_not_depend_on_map_size),
		cmocka_unit_test(test_restart_codes_have_names),
		cmocka_unit_test(test_faults_match_perf_stat),
		cmocka_unit_test(test_i386_calls_are_counted_apart),
		cmocka_unit_test(test_io_uring_is_said),
		cmocka_unit_test(test_names_are_the_kernels),
		cmocka_unit_test(test_odd_names_never_break_a_report),
		cmocka_unit_test(test_prometheus_labels_stay_valid),
		cmocka_unit_test(test_exit_events_carry_real_lifetime),
		cmocka_unit_test(test_sleep_after_a_wakeup_is_not_runqueue_time),
		cmocka_unit_test(test_bytes_moved),
		cmocka_unit_test(test_process_tree_is_unchanged),
	};

	return cmocka_run_group_tests_name("sums", tests, setup, kill_tracked);
}
