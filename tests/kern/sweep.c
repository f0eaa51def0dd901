// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * osiprof sweep and report: the footprint study's shapes on known
 * workloads (calls/KB constant when work grows with bytes, falling as 1/bytes
 * for a fixed cost), the tables, the plots, and bad inputs.
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

/* The summary's median of a metric for category cat at point i. */
static double median_at(struct json_object *s, int i, const char *cat, const char *metric, int *n)
{
	struct json_object *pt = json_object_array_get_idx(get(s, "points"), i);
	struct json_object *m = get(get(get(pt, "categories"), cat), metric);

	assert_non_null(m);
	*n = json_object_get_int(get(m, "n"));
	return json_object_get_double(get(m, "median"));
}

static void test_linear_work_is_constant_per_kb(void **state)
{
	struct json_object *s;
	double v[3];
	int i, n;

	assert_int_equal(sh(OSIPROF " sweep -o %s --param bytes=1000,2000,4000 --repeat 3 --warmup 1 "
			    "--no-sched -- " WORKLOAD " --writes {bytes}", tpath("lin")), 0);
	s = load_report(tpath("lin/summary.json"));
	for (i = 0; i < 3; i++) {
		v[i] = median_at(s, i, "file_io", "calls_per_kb", &n);
		assert_int_equal(n, 3);		/* the warm-up run is left out */
	}
	/* A few fixed calls ride on top: constant within 1 %. */
	assert_true(fabs(v[0] - v[2]) / v[2] < 0.01 && fabs(v[1] - v[2]) / v[2] < 0.01);
	/* One byte per write: bytes moved grow by exactly the 3000 more writes
	 * (the loader's reads of the same libraries ride on both). */
	assert_int_equal(median_at(s, 2, "file_io", "bytes", &n) - median_at(s, 0, "file_io", "bytes", &n),
			 3000);
	assert_true(median_at(s, 2, "file_io", "bytes_per_kb", &n) >= 1000);
	assert_int_equal(access(tpath("lin/p000-r00-warmup.json"), F_OK), 0);
	assert_int_equal(sh("/usr/bin/python3 tests/validate_report.py %s", tpath("lin/p002-r03.json")), 0);
	assert_int_equal(sh("grep -q '^1000,file_io,calls_per_kb,' %s", tpath("lin/summary.csv")), 0);
	json_object_put(s);
}

static void test_fixed_cost_falls_as_one_over_bytes(void **state)
{
	struct json_object *s;
	double small, big;
	int n;

	assert_int_equal(sh(OSIPROF " sweep -o %s --param bytes=1000,4000 --repeat 2 --warmup 0 "
			    "--no-sched -- " WORKLOAD " --writes 500", tpath("fix")), 0);
	s = load_report(tpath("fix/summary.json"));
	small = median_at(s, 0, "file_io", "calls_per_kb", &n);
	big = median_at(s, 1, "file_io", "calls_per_kb", &n);
	assert_true(fabs(small / big - 4.0) < 0.04);
	/* Counts themselves do not move. */
	assert_true(median_at(s, 0, "file_io", "count", &n) == median_at(s, 1, "file_io", "count", &n));
	json_object_put(s);
}

static void test_report_tables(void **state)
{
	struct json_object *j, *rows;

	assert_int_equal(sh(OSIPROF " report %s > %s", tpath("lin"), tpath("lin.txt")), 0);
	assert_int_equal(sh("grep -q 'syscall count / kilobyte' %s && grep -q 'usec / kilobyte' %s && "
			    "grep -Eq '^ +4000 +.*100[0-9]' %s", tpath("lin.txt"), tpath("lin.txt"),
			    tpath("lin.txt")), 0);
	assert_int_equal(sh(OSIPROF " report --format json %s > %s", tpath("lin"), tpath("lin-t.json")), 0);
	j = load_report(tpath("lin-t.json"));
	rows = get(j, "rows");
	assert_int_equal(json_object_array_length(rows), 3);
	assert_string_equal(json_object_get_string(get(json_object_array_get_idx(rows, 0), "row")), "1000");
	json_object_put(j);
	/* Several reports give the same table, one row per bytes value. */
	assert_int_equal(sh(OSIPROF " report %s %s | grep -Eq '^ +2000 '", tpath("lin/p001-r01.json"),
			    tpath("lin/p000-r01.json")), 0);
}

static void test_report_diff_and_breakdowns(void **state)
{
	struct json_object *d, *e = NULL;
	size_t i;

	assert_int_equal(sh(OSIPROF " record -o %s -- " WORKLOAD " --writes 100 --futex-wakes 50",
			    tpath("a.json")), 0);
	assert_int_equal(sh(OSIPROF " record -o %s -- " WORKLOAD " --writes 400 --futex-wakes 50",
			    tpath("b.json")), 0);
	assert_int_equal(sh(OSIPROF " report --diff --format json %s %s > %s", tpath("a.json"),
			    tpath("b.json"), tpath("diff.json")), 0);
	d = load_report(tpath("diff.json"));
	for (i = 0; i < json_object_array_length(d); i++)
		if (!strcmp(json_object_get_string(get(json_object_array_get_idx(d, i), "name")),
			    "write (file_io)"))
			e = json_object_array_get_idx(d, i);
	assert_non_null(e);
	assert_true(json_object_get_double(get(e, "calls_a")) == 100);
	assert_true(json_object_get_double(get(e, "calls_b")) == 400);
	assert_true(json_object_get_double(get(e, "calls_delta")) == 300);
	assert_true(fabs(json_object_get_double(get(e, "calls_ratio")) - 4) < 1e-9);
	json_object_put(d);
	/* Unchanged futex calls: delta 0, ratio 1. */
	assert_int_equal(sh(OSIPROF " report --diff --format csv %s %s | grep -q '^futex (sync),50,50,0,1,'",
			    tpath("a.json"), tpath("b.json")), 0);
	/* One report, by syscall and by process. */
	assert_int_equal(sh(OSIPROF " report --by syscall %s | grep -Eq ' 400 .*write \\(file_io\\)$'",
			    tpath("b.json")), 0);
	assert_int_equal(sh(OSIPROF " report --by process --format csv %s | grep -q ',workload,'",
			    tpath("b.json")), 0);
	assert_int_not_equal(sh(OSIPROF " report --by phase %s", tpath("b.json")), 0);
	assert_non_null(strstr(last_stderr(), "no phases"));
}

static void test_plots(void **state)
{
	/* PNG and SVG, decoded: the stated size and not blank. */
	assert_int_equal(sh("/usr/bin/python3 tools/plot.py %s -o %s >/dev/null", tpath("lin"),
			    tpath("lin-plot")), 0);
	assert_int_equal(sh("/usr/bin/python3 -c \"import matplotlib.image as m, sys; a = m.imread('%s'); "
			    "sys.exit(0 if a.shape[:2] == (500, 1300) and a.std() > 0.01 else 1)\"",
			    tpath("lin-plot.png")), 0);
	assert_int_equal(sh("grep -q '<svg' %s", tpath("lin-plot.svg")), 0);
	assert_int_equal(sh("/usr/bin/python3 tools/plot.py --metric usec_per_kb --x peak_rss %s >/dev/null",
			    tpath("lin")), 0);
	/* One report: latency histograms per category. */
	assert_int_equal(sh("/usr/bin/python3 tools/plot.py %s -o %s >/dev/null", tpath("lin/p000-r01.json"),
			    tpath("hist")), 0);
	assert_int_equal(sh("/usr/bin/python3 -c \"import matplotlib.image as m, sys; a = m.imread('%s'); "
			    "sys.exit(0 if a.shape[:2] == (500, 1000) and a.std() > 0.01 else 1)\"",
			    tpath("hist.png")), 0);
	assert_int_not_equal(sh("/usr/bin/python3 tools/plot.py %s", tpath("notreport.json")), 0);
}

static void expect_error(const char *cmd, const char *msg)
{
	int rc = sh("%s", cmd);

	if (rc == 0 || rc >= 128 || !strstr(last_stderr(), msg))
		fail_msg("'%s': status %d, stderr '%s', expected '%s'", cmd, rc, last_stderr(), msg);
}

static void test_bad_inputs(void **state)
{
	char cmd[700];

	expect_error(OSIPROF " report /nonexistent.json", "/nonexistent.json");
	sh("echo '{\"hello\": 1}' > %s", tpath("notreport.json"));
	snprintf(cmd, sizeof(cmd), OSIPROF " report %s", tpath("notreport.json"));
	expect_error(cmd, "not an osiprof report");
	sh("sed 's/\"schema_version\":1/\"schema_version\":2/' %s > %s", tpath("lin/p000-r01.json"),
	   tpath("v2.json"));
	snprintf(cmd, sizeof(cmd), OSIPROF " report %s %s", tpath("lin/p000-r01.json"), tpath("v2.json"));
	expect_error(cmd, "cannot mix them");
	expect_error(OSIPROF " sweep --param bytes=1 -- true", "sweep needs -o DIR");
	expect_error(OSIPROF " sweep -o /tmp/x --param bytes -- true", "bad --param 'bytes'");
	expect_error(OSIPROF " sweep -o /tmp/x --param bytes=1 --tag bytes=2 -- true",
		     "'bytes' is both a --param and a --tag");
	expect_error(OSIPROF " report --per week x", "bad --per 'week'");
	snprintf(cmd, sizeof(cmd), OSIPROF " report --diff %s", tpath("lin/p000-r01.json"));
	expect_error(cmd, "--diff compares exactly two reports");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linear_work_is_constant_per_kb),
		cmocka_unit_test(test_fixed_cost_falls_as_one_over_bytes),
		cmocka_unit_test(test_report_tables),
		cmocka_unit_test(test_report_diff_and_breakdowns),
		cmocka_unit_test(test_plots),
		cmocka_unit_test(test_bad_inputs),
	};

	return cmocka_run_group_tests_name("sweep", tests, setup, NULL);
}
