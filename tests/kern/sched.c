// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The scheduler and memory view against the real kernel: sleeps, futex
 * ping-pong, CPU contention, page touching and fork/exec churn, each with
 * the figure it must produce.
 */
#include "testlib.h"

#define OSIPROF "$OUTPUT/osiprof"
#define WORKLOAD "$OUTPUT/tests/workload"

static int setup(void **state)
{
	setenv("OUTPUT", build_dir(), 0);
	return 0;
}

static struct json_object *record_ok(const char *name, const char *opts, const char *wargs)
{
	const char *path = tpath(name);
	int rc = sh(OSIPROF " record -o %s %s -- " WORKLOAD " %s", path, opts, wargs);

	if (rc)
		fail_msg("osiprof record failed (%d): %s", rc, last_stderr());
	assert_int_equal(sh("/usr/bin/python3 tests/validate_report.py %s", path), 0);
	return load_report(path);
}

static int64_t sched_field(struct json_object *r, const char *obj, const char *field)
{
	struct json_object *o = get(get(r, "sched"), obj);

	if (!field)
		return json_object_get_int64(o);
	return json_object_get_int64(get(o, field));
}

static void test_sleeps_are_offcpu_in_sleep(void **state)
{
	struct json_object *r = record_ok("sleeps.json", "", "--sleeps 20:5000");
	int64_t off = cat_field(r, "sleep", "offcpu_ns"), total = cat_field(r, "sleep", "total_ns");

	assert_true(json_object_get_boolean(get(get(r, "sched"), "collected")));
	assert_true(sched_field(r, "context_switches", "voluntary") >= 20);
	/* Each 5 ms sleep is spent switched out, within scheduling slack. */
	assert_true(off >= 20 * 5000000LL);
	assert_true(off <= total);
	assert_true(off <= 20 * 5000000LL * 1.2 + 20000000LL);
	assert_int_equal(sys_field(r, "nanosleep", "offcpu_ns"), off);
	json_object_put(r);
}

static void test_pingpong_offcpu_in_futex(void **state)
{
	struct json_object *r = record_ok("pingpong.json", "", "--pingpong 2000");
	int64_t futex_off = sys_field(r, "futex", "offcpu_ns");
	int64_t in_sys = sched_field(r, "offcpu_ns", "in_syscalls");

	assert_true(futex_off > 0);
	assert_int_equal(cat_field(r, "sync", "offcpu_ns"), futex_off);
	/* Blocking happens in futex waits: most off-CPU time inside syscalls is there. */
	assert_true(futex_off >= in_sys / 2);
	assert_true(sched_field(r, "context_switches", "voluntary") >= 1000);
	json_object_put(r);
}

static void test_contention_preempts_and_queues(void **state)
{
	struct json_object *r = record_ok("contention.json", "", "--pinned-spin 0.6");

	assert_true(sched_field(r, "context_switches", "involuntary") > 0);
	assert_true(sched_field(r, "runqueue_latency", "count") > 0);
	assert_true(sched_field(r, "runqueue_latency", "p50_ns") > 0);
	assert_true(sched_field(r, "runqueue_latency", "total_ns") > 0);
	/* Both spinners on one CPU: about one CPU's worth of task-clock. */
	assert_true(sched_field(r, "task_clock_ns", NULL) >= 500000000LL);
	json_object_put(r);
}

static void test_page_faults_and_peak_rss(void **state)
{
	struct json_object *r = record_ok("pages.json", "", "--touch-pages 5000");
	struct json_object *mem = get(r, "memory");
	struct json_object *p = json_object_array_get_idx(get(r, "processes"), 0);

	assert_true(json_object_get_int64(get(get(mem, "page_faults"), "minor")) >= 5000);
	assert_true(json_object_get_int64(get(mem, "peak_rss_bytes")) >= 5000LL * 4096);
	assert_true(json_object_get_int64(get(get(p, "page_faults"), "minor")) >= 5000);
	assert_true(json_object_get_int64(get(p, "peak_rss_bytes")) >= 5000LL * 4096);
	assert_false(json_object_get_boolean(get(p, "alive")));
	json_object_put(r);
}

static void test_lifecycle_counts_exact(void **state)
{
	struct json_object *r = record_ok("forkexec.json", "", "--fork-exec 7 --threads 3");
	struct json_object *lc = get(r, "lifecycle");

	assert_int_equal(json_object_get_int64(get(lc, "forks")), 7);
	assert_int_equal(json_object_get_int64(get(lc, "threads_created")), 3);
	/* The workload's own exec counts too: it is the first call seen. */
	assert_int_equal(json_object_get_int64(get(lc, "execs")), 7 + 1);
	assert_int_equal(json_object_get_int64(get(lc, "process_exits")), 7 + 1);
	assert_int_equal(json_object_get_int64(get(lc, "thread_exits")), 7 + 1 + 3);
	assert_int_equal(json_object_array_length(get(r, "processes")), 8);
	json_object_put(r);
}

static void test_process_totals_add_up(void **state)
{
	struct json_object *r = record_ok("procs.json", "", "--writes 100 --children 4 --per-task 25 "
					  "--threads 2 --fork-exec 2");
	struct json_object *procs = get(r, "processes"), *cats = get(r, "categories");
	size_t i, j;

	/* Every category's count is the sum over processes: nothing lost,
	 * nothing counted twice between exited and live threads. */
	for (i = 0; i < json_object_array_length(cats); i++) {
		struct json_object *c = json_object_array_get_idx(cats, i);
		const char *name = json_object_get_string(get(c, "name"));
		int64_t sum = 0;

		for (j = 0; j < json_object_array_length(procs); j++) {
			struct json_object *pc = get(get(json_object_array_get_idx(procs, j), "categories"), name);

			if (pc)
				sum += json_object_get_int64(get(pc, "count"));
		}
		if (sum != json_object_get_int64(get(c, "count")))
			fail_msg("category %s: processes sum to %ld, total %ld", name, (long)sum,
				 (long)json_object_get_int64(get(c, "count")));
	}
	json_object_put(r);
}

static void test_live_process_seen_by_iterator(void **state)
{
	struct json_object *r, *p;
	int rc;

	/* -p on a process still running at the end: its live threads' totals
	 * come from the task iterator, and its RSS is sampled from /proc. */
	assert_int_equal(sh(WORKLOAD " --sleeps 30:100000 --writes 0 & echo $! > %s",
			    tpath("live.pid")), 0);
	rc = sh(OSIPROF " record -p $(cat %s) --duration 1 -o %s", tpath("live.pid"), tpath("live.json"));
	sh("kill $(cat %s)", tpath("live.pid"));
	assert_int_equal(rc, 0);
	r = load_report(tpath("live.json"));
	p = json_object_array_get_idx(get(r, "processes"), 0);
	assert_non_null(p);
	assert_true(json_object_get_boolean(get(p, "alive")));
	assert_true(json_object_get_int64(get(get(get(p, "categories"), "sleep"), "count")) >= 5);
	assert_int_equal(json_object_get_int64(get(get(get(p, "categories"), "sleep"), "count")),
			 cat_field(r, "sleep", "count"));
	assert_true(json_object_get_int64(get(p, "rss_bytes")) > 0);
	json_object_put(r);
}

/* Runs osiprof record with opts; from inside the recorded tree, saves the
 * kernel's programs and the ids of those osiprof (the shell's parent) holds. */
static void progs_while_recording(const char *opts, const char *json, const char *progs,
				  const char *ids)
{
	assert_int_equal(sh(OSIPROF " record %s -o %s -- sh -c 'bpftool -j prog show > %s; "
			    "grep -h ^prog_id /proc/$PPID/fdinfo/* | cut -f2 | sort -u > %s'",
			    opts, json, progs, ids), 0);
}

static void test_no_sched_loads_no_sched_programs(void **state)
{
	struct json_object *r;

	progs_while_recording("--no-sched", tpath("nosched.json"), tpath("progs-nosched.json"),
			      tpath("ids-nosched"));
	assert_true(ids_have_prog(tpath("progs-nosched.json"), tpath("ids-nosched"), "sys_enter_btf"));
	assert_false(ids_have_prog(tpath("progs-nosched.json"), tpath("ids-nosched"), "sched_switch_btf"));
	assert_false(ids_have_prog(tpath("progs-nosched.json"), tpath("ids-nosched"), "sched_wakeup_btf"));
	progs_while_recording("", tpath("sched.json"), tpath("progs-sched.json"), tpath("ids-sched"));
	assert_true(ids_have_prog(tpath("progs-sched.json"), tpath("ids-sched"), "sched_switch_btf"));

	r = load_report(tpath("nosched.json"));
	assert_false(json_object_get_boolean(get(get(r, "sched"), "collected")));
	assert_null(get(get(r, "sched"), "context_switches"));
	assert_null(get(find_named(get(r, "categories"), "file_io"), "offcpu_ns"));
	assert_int_equal(sh("/usr/bin/python3 tests/validate_report.py %s", tpath("nosched.json")), 0);
	json_object_put(r);
	assert_int_equal(sh(OSIPROF " record --no-sched --format table -- true | grep -q 'not collected'"), 0);
}

static void test_table_has_perf_stat_block(void **state)
{
	assert_int_equal(sh(OSIPROF " record --format table -- " WORKLOAD " --sleeps 3:1000 > %s",
			    tpath("stat.txt")), 0);
	assert_int_equal(sh("grep -q 'task-clock' %s && grep -q 'context-switches' %s && "
			    "grep -q 'cpu-migrations' %s && grep -q 'page-faults' %s && grep -q 'Off-CPU' %s",
			    tpath("stat.txt"), tpath("stat.txt"), tpath("stat.txt"), tpath("stat.txt"),
			    tpath("stat.txt")), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sleeps_are_offcpu_in_sleep),
		cmocka_unit_test(test_pingpong_offcpu_in_futex),
		cmocka_unit_test(test_contention_preempts_and_queues),
		cmocka_unit_test(test_page_faults_and_peak_rss),
		cmocka_unit_test(test_lifecycle_counts_exact),
		cmocka_unit_test(test_process_totals_add_up),
		cmocka_unit_test(test_live_process_seen_by_iterator),
		cmocka_unit_test(test_no_sched_loads_no_sched_programs),
		cmocka_unit_test(test_table_has_perf_stat_block),
	};

	return cmocka_run_group_tests_name("sched", tests, setup, NULL);
}
