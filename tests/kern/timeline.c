// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The timeline against the real kernel: a two-thread sleep/pipe workload
 * gives exactly its slices, in order, matched in time; phases span their
 * calls; the daemon's flight recorder keeps the last seconds, bounded, with
 * exact drop counts; the trace validates and plots.
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

/* The X slices named name (any name if NULL) of thread tid (any if 0). */
static int slices(struct json_object *tr, const char *name, int64_t tid, double *ts, double *dur, int max)
{
	struct json_object *ev = get(tr, "traceEvents");
	size_t i;
	int n = 0;

	for (i = 0; i < json_object_array_length(ev); i++) {
		struct json_object *e = json_object_array_get_idx(ev, i);

		if (strcmp(json_object_get_string(get(e, "ph")), "X") ||
		    (name && strcmp(json_object_get_string(get(e, "name")), name)) ||
		    (tid && json_object_get_int64(get(e, "tid")) != tid))
			continue;
		if (n < max) {
			ts[n] = json_object_get_double(get(e, "ts"));
			dur[n] = json_object_get_double(get(e, "dur"));
		}
		n++;
	}
	return n;
}

/* A thread named "workload (TID)" (other processes share a daemon's
 * timeline) with a slice called name, other than not. */
static int64_t tid_of(struct json_object *tr, const char *name, int64_t not)
{
	struct json_object *ev = get(tr, "traceEvents");
	size_t i, j;

	for (i = 0; i < json_object_array_length(ev); i++) {
		struct json_object *m = json_object_array_get_idx(ev, i);
		int64_t tid = json_object_get_int64(get(m, "tid"));

		if (strcmp(json_object_get_string(get(m, "ph")), "M") ||
		    strcmp(json_object_get_string(get(m, "name")), "thread_name") ||
		    strncmp(json_object_get_string(get(get(m, "args"), "name")), "workload (", 10) || tid == not)
			continue;
		for (j = 0; j < json_object_array_length(ev); j++) {
			struct json_object *e = json_object_array_get_idx(ev, j);

			if (json_object_get_int64(get(e, "tid")) == tid &&
			    !strcmp(json_object_get_string(get(e, "name")), name))
				return tid;
		}
	}
	return 0;
}

/* Calls of a category at or above lower_ns, from the report's histogram. */
static int64_t hist_at_least(struct json_object *r, const char *cat, int64_t lower_ns)
{
	struct json_object *h = get(find_named(get(r, "categories"), cat), "histogram");
	int64_t n = 0;
	size_t i;

	for (i = 0; i < json_object_array_length(h); i++) {
		struct json_object *b = json_object_array_get_idx(h, i);

		if (json_object_get_int64(json_object_array_get_idx(b, 0)) >= lower_ns)
			n += json_object_get_int64(json_object_array_get_idx(b, 2));
	}
	return n;
}

static void test_sleep_pipe_slices(void **state)
{
	double sts[64], sdur[64], rts[64], rdur[64];
	struct json_object *tr, *r;
	int64_t a, b;
	int i, ns, nr;

	/* 128 us = 2^17 ns: a histogram bucket boundary, so slices and buckets agree. */
	assert_int_equal(sh(OSIPROF " record --no-sched -o %s --timeline %s --timeline-threshold 128 -- "
			    WORKLOAD " --sleep-pipe 10", tpath("sp.json"), tpath("sp.trace.json")), 0);
	assert_int_equal(sh("/usr/bin/python3 tests/validate_trace.py %s", tpath("sp.trace.json")), 0);
	tr = load_report(tpath("sp.trace.json"));
	r = load_report(tpath("sp.json"));
	a = tid_of(tr, "clock_nanosleep", 0);
	b = tid_of(tr, "read", a);
	assert_true(a > 0 && b > 0 && a != b);
	ns = slices(tr, "clock_nanosleep", a, sts, sdur, 64);
	nr = slices(tr, "read", b, rts, rdur, 64);
	assert_int_equal(ns, 20);
	assert_int_equal(nr, 10);
	assert_int_equal(slices(tr, "clock_nanosleep", b, sts + 20, sdur + 20, 0), 0);
	for (i = 0; i < 20; i++)
		if (fabs(sdur[i] - 5000) > 1000)
			fail_msg("sleep %d lasted %.0f us", i, sdur[i]);
	/* Read k returns within 1 ms of the write after sleep 2k+1 ends. */
	for (i = 0; i < 10; i++) {
		double wrote = sts[2 * i + 1] + sdur[2 * i + 1], got = rts[i] + rdur[i];

		if (got < wrote || got - wrote > 1000)
			fail_msg("read %d ended %.0f us after its write", i, got - wrote);
	}
	/* Per category, as many slices as calls at or above the threshold. */
	assert_int_equal(slices(tr, "clock_nanosleep", 0, sts, sdur, 0), hist_at_least(r, "sleep", 131072));
	json_object_put(tr);
	json_object_put(r);
}

static void test_phase_spans_its_calls(void **state)
{
	double pts[8], pdur[8], wts[64], wdur[64];
	struct json_object *tr;
	int i, nw;

	assert_int_equal(sh(OSIPROF " record --no-sched --phases -o %s --timeline %s --timeline-threshold 0 -- "
			    WORKLOAD " --phases 40:10", tpath("ph.json"), tpath("ph.trace.json")), 0);
	assert_int_equal(sh("/usr/bin/python3 tests/validate_trace.py %s", tpath("ph.trace.json")), 0);
	tr = load_report(tpath("ph.trace.json"));
	assert_int_equal(slices(tr, "A", 0, pts, pdur, 8), 1);
	nw = slices(tr, "write", 0, wts, wdur, 64);
	assert_int_equal(nw, 40);
	for (i = 0; i < nw; i++)
		if (wts[i] < pts[0] || wts[i] + wdur[i] > pts[0] + pdur[0] + 1e-3)
			fail_msg("write %d at %.3f is outside phase A [%.3f, %.3f]", i, wts[i], pts[0],
				 pts[0] + pdur[0]);
	assert_int_equal(slices(tr, "B", 0, pts, pdur, 8), 1);
	json_object_put(tr);
}

/* The path of the timeline written beside a snapshot. */
static void timeline_beside(const char *snap, char *out, size_t len)
{
	const char *base = strrchr(snap, '/');

	snprintf(out, len, "%.*s/timeline-%s", (int)(base - snap), snap, base + 1 + strlen("snapshot-"));
}

/* When the earliest event ended (us since the window's start): a span
 * that ends inside the kept seconds may have begun before them. */
static double first_ts(struct json_object *tr)
{
	struct json_object *ev = get(tr, "traceEvents");
	double t = 1e300, end;
	size_t i;

	for (i = 0; i < json_object_array_length(ev); i++) {
		struct json_object *e = json_object_array_get_idx(ev, i), *ts = json_object_object_get(e, "ts");
		struct json_object *dur = json_object_object_get(e, "dur");

		if (!ts)
			continue;
		end = json_object_get_double(ts) + (dur ? json_object_get_double(dur) : 0);
		if (end < t)
			t = end;
	}
	return t;
}

/* How long the daemon had run when the snapshot was taken. */
static double window_ns(const char *snapshot)
{
	struct json_object *r = load_report(snapshot);
	double d = (double)json_object_get_int64(get(get(r, "window"), "duration_ns"));

	json_object_put(r);
	return d;
}

static void test_flight_recorder(void **state)
{
	char path[400], tl[500];
	struct json_object *tr;
	struct daemon d;
	double ts[64], dur[64];
	int n;

	start_daemon(&d, "fr", "-a --interval 0.2 --timeline-seconds 5 --timeline-threshold 128");
	assert_int_equal(sh(WORKLOAD " --sleep-pipe 10"), 0);
	usleep(300000);
	assert_int_equal(snapshot(&d, path, sizeof(path)), 0);
	timeline_beside(path, tl, sizeof(tl));
	assert_int_equal(sh("/usr/bin/python3 tests/validate_trace.py %s", tl), 0);
	tr = load_report(tl);
	/* The workload's sleeps are there, and nothing older than 5 s. */
	n = slices(tr, "clock_nanosleep", tid_of(tr, "clock_nanosleep", 0), ts, dur, 64);
	assert_true(n >= 20);
	assert_int_equal(json_object_get_int64(get(get(tr, "otherData"), "keep_ns")), 5000000000LL);
	assert_true(first_ts(tr) * 1e3 >= window_ns(path) - 5.2e9);
	json_object_put(tr);
	assert_int_equal(stop_daemon(&d, SIGTERM), 0);

	/* Kept for 1 s: a workload 1.5 s before the snapshot is gone, the
	 * discarded count says so, and the later one is there. */
	start_daemon(&d, "fr1", "-a --interval 0.2 --timeline-seconds 1 --timeline-threshold 128");
	assert_int_equal(sh(WORKLOAD " --sleep-pipe 10"), 0);
	usleep(1500000);
	assert_int_equal(sh(WORKLOAD " --sleep-pipe 2"), 0);
	assert_int_equal(snapshot(&d, path, sizeof(path)), 0);
	timeline_beside(path, tl, sizeof(tl));
	tr = load_report(tl);
	assert_true(first_ts(tr) * 1e3 >= window_ns(path) - 1.2e9);
	assert_true(json_object_get_int64(get(get(tr, "otherData"), "events_discarded")) >= 20);
	n = slices(tr, "clock_nanosleep", tid_of(tr, "clock_nanosleep", 0), ts, dur, 64);
	assert_int_equal(n, 4);
	json_object_put(tr);
	assert_int_equal(stop_daemon(&d, SIGTERM), 0);

	/* A storm against a bound of 100: at most 100 kept, the rest counted. */
	start_daemon(&d, "fr2", "-a --interval 0.2 --timeline-seconds 60 --timeline-threshold 0 "
		     "--timeline-max-events 100");
	assert_int_equal(sh(WORKLOAD " --writes 5000"), 0);
	usleep(300000);
	assert_int_equal(snapshot(&d, path, sizeof(path)), 0);
	timeline_beside(path, tl, sizeof(tl));
	assert_int_equal(sh("/usr/bin/python3 tests/validate_trace.py %s", tl), 0);
	tr = load_report(tl);
	assert_int_equal(json_object_get_int64(get(get(tr, "otherData"), "events_kept")), 100);
	assert_true(json_object_get_int64(get(get(tr, "otherData"), "events_discarded")) >= 4900);
	assert_true(slices(tr, NULL, 0, ts, dur, 0) <= 100);
	json_object_put(tr);
	assert_int_equal(stop_daemon(&d, SIGTERM), 0);
}

static void test_plot(void **state)
{
	assert_int_equal(sh(OSIPROF " record --no-sched -o %s --timeline %s -- " WORKLOAD " --sleep-pipe 5",
			    tpath("pl.json"), tpath("pl.trace.json")), 0);
	assert_int_equal(sh("/usr/bin/python3 tools/plot.py --timeline %s -o %s", tpath("pl.trace.json"),
			    tpath("pl")), 0);
	/* Non-blank, and one row per thread (the plot says how many it drew). */
	assert_int_equal(sh("test $(stat -c %%s %s) -gt 5000", tpath("pl.timeline.png")), 0);
	assert_int_equal(sh("grep -q 'rows: 2 threads' %s", tpath("pl.timeline.txt")), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sleep_pipe_slices),
		cmocka_unit_test(test_phase_spans_its_calls),
		cmocka_unit_test(test_flight_recorder),
		cmocka_unit_test(test_plot),
	};

	return cmocka_run_group_tests_name("timeline", tests, setup, kill_tracked);
}
