// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * --stacks against the real kernel, on tests/stacks/stackwork.c (built
 * -O2 -fomit-frame-pointer, calling the system's glibc): each syscall's
 * stacks name the function that made it, right after the libc wrapper,
 * with the program's own counts; a child that lives ~10 ms, a stripped
 * copy and JIT code mapped by the program itself are named; --folded and
 * --pprof (read back by go tool pprof) carry the same totals.
 */
#include <stdbool.h>
#include "testlib.h"

#define OSIPROF "$OUTPUT/osiprof"
#define STACKWORK "$OUTPUT/tests/stackwork"

static int setup(void **state)
{
	setenv("OUTPUT", build_dir(), 0);
	return 0;
}

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static bool is_libc(const char *module)
{
	return !strncmp(module, "libc.so", 7) || !strncmp(module, "ld-linux", 8);
}

/* The first frame outside libc (the call site), or NULL. */
static struct json_object *call_site(struct json_object *st, size_t *at)
{
	struct json_object *fr = get(st, "frames");
	size_t i;

	for (i = 0; i < json_object_array_length(fr); i++) {
		struct json_object *f = json_object_array_get_idx(fr, i);

		if (!is_libc(str(f, "module"))) {
			*at = i;
			return f;
		}
	}
	return NULL;
}

static bool has_frame(struct json_object *st, const char *symbol, size_t from)
{
	struct json_object *fr = get(st, "frames");
	size_t i;

	for (i = from; i < json_object_array_length(fr); i++) {
		const char *s = str(json_object_array_get_idx(fr, i), "symbol");

		if (s && !strcmp(s, symbol))
			return true;
	}
	return false;
}

/* Calls of syscall sys (by pid if pid > 0, by any other pid than -pid if
 * pid < 0) whose call site is symbol, each at least min_ns on average, and
 * whose frames below it include every name in below (NULL-terminated). */
static int64_t site_calls(struct json_object *r, const char *sys, int64_t pid, const char *symbol,
			  int64_t min_ns, const char *const *below)
{
	struct json_object *stacks = get(r, "stacks");
	int64_t n = 0;
	size_t i, at;

	for (i = 0; i < json_object_array_length(stacks); i++) {
		struct json_object *st = json_object_array_get_idx(stacks, i), *site;
		int64_t p = json_object_get_int64(get(st, "pid")), c = json_object_get_int64(get(st, "count"));
		const char *const *b;
		bool ok = true;

		if (strcmp(str(st, "syscall"), sys) || (pid > 0 && p != pid) || (pid < 0 && p == -pid))
			continue;
		site = call_site(st, &at);
		if (!site || !str(site, "symbol") || strcmp(str(site, "symbol"), symbol) || !at)
			continue;	/* at 0: the wrapper itself was skipped */
		for (b = below; b && *b; b++)
			ok &= has_frame(st, *b, at + 1);
		if (ok && json_object_get_int64(get(st, "total_ns")) >= min_ns * c)
			n += c;
	}
	return n;
}

/* The command: the process whose parent is not in the report (osiprof). */
static int64_t main_pid(struct json_object *r)
{
	struct json_object *procs = get(r, "processes");
	size_t i, j;

	for (i = 0; i < json_object_array_length(procs); i++) {
		int64_t ppid = json_object_get_int64(get(json_object_array_get_idx(procs, i), "ppid"));
		bool parent_listed = false;

		for (j = 0; j < json_object_array_length(procs); j++)
			parent_listed |= json_object_get_int64(get(json_object_array_get_idx(procs, j), "pid")) == ppid;
		if (!parent_listed)
			return json_object_get_int64(get(json_object_array_get_idx(procs, i), "pid"));
	}
	return 0;
}

static void stack_sums(struct json_object *r, int64_t *count, int64_t *ns)
{
	struct json_object *stacks = get(r, "stacks");
	size_t i;

	*count = *ns = 0;
	for (i = 0; i < json_object_array_length(stacks); i++) {
		*count += json_object_get_int64(get(json_object_array_get_idx(stacks, i), "count"));
		*ns += json_object_get_int64(get(json_object_array_get_idx(stacks, i), "total_ns"));
	}
}

static void test_dwarf_call_sites(void **state)
{
	const char *const main_below[] = { "main", NULL };
	const char *const child_below[] = { "child_work", "main", NULL };
	const char *const thread_below[] = { "locker", NULL };
	int64_t pid, count, ns;
	struct json_object *r;

	assert_int_equal(sh(OSIPROF " record --stacks --stack-threshold 0 -o %s --folded %s --pprof %s -- "
			    STACKWORK, tpath("dw.json"), tpath("dw.folded"), tpath("dw.pb.gz")), 0);
	assert_int_equal(sh("/usr/bin/python3 tests/validate_report.py %s", tpath("dw.json")), 0);
	r = load_report(tpath("dw.json"));
	assert_true(json_object_get_boolean(get(r, "stacks_collected")));
	assert_string_equal(str(get(r, "stack_settings"), "unwind"), "dwarf");
	pid = main_pid(r);
	/* The function that called the libc wrapper, and main below it. */
	assert_int_equal(site_calls(r, "write", pid, "write_loop", 0, main_below), 1000);
	assert_int_equal(site_calls(r, "clock_nanosleep", pid, "sleep_loop", 4000000, main_below), 20);
	/* Waits of 20 ms on the mutex main holds, in the other thread. */
	assert_int_equal(site_calls(r, "futex", pid, "lock_wait", 10000000, thread_below), 5);
	/* The child lived ~10 ms: named all the same. */
	assert_int_equal(site_calls(r, "clock_nanosleep", -pid, "sleep_loop", 1000000, child_below), 3);
	assert_int_equal(json_object_get_int64(get(get(r, "dropped"), "events_lost")), 0);

	/* Folded: "frames weight" per line; the weights are the stacks' time. */
	stack_sums(r, &count, &ns);
	assert_int_equal(sh("awk 'NF != 2 || $2 !~ /^[0-9]+$/ || $1 !~ /^stackwork;/ { bad++ } "
			    "{ s += $2 } END { exit bad || s != %lld }' %s", (long long)ns, tpath("dw.folded")), 0);
	assert_int_equal(sh("grep -q ';main;sleep_loop;__nanosleep;clock_nanosleep;clock_nanosleep ' %s",
			    tpath("dw.folded")), 0);
	/* pprof, read by go tool pprof: the same calls and time. */
	assert_int_equal(sh("HOME=%s GOCACHE=%s/go go tool pprof -raw %s > %s 2>&1", tmpdir(), tmpdir(),
			    tpath("dw.pb.gz"), tpath("dw.raw")), 0);
	assert_int_equal(sh("awk '/^Samples:/ { on = 1; next } /^Locations/ { on = 0 } "
			    "on && $NF ~ /:$/ || on && $3 ~ /:$/ { c += $1; t += $2 } "
			    "END { exit c != %lld || t != %lld }' %s", (long long)count, (long long)ns,
			    tpath("dw.raw")), 0);
	/* The flame graph: every frame drawn, non-blank. */
	assert_int_equal(sh("/usr/bin/python3 tools/plot.py --flame %s -o %s", tpath("dw.json"), tpath("dw")), 0);
	assert_int_equal(sh("test $(stat -c %%s %s) -gt 5000", tpath("dw.flame.png")), 0);
	assert_int_equal(sh("grep -qx 'total: %lld' %s", (long long)ns, tpath("dw.flame.txt")), 0);
	json_object_put(r);
}

/* Processes that live a few milliseconds from their exec: their mappings
 * come from the BPF side's exec and mmap events, so they are named however
 * soon they exit; C++ names are demangled. */
static void test_short_exec(void **state)
{
	const char *const main_below[] = { "main", NULL };
	struct json_object *r, *stacks;
	int64_t cxx = 0;
	size_t i, at;

	assert_int_equal(sh(OSIPROF " record --stacks -o %s -- sh -c '" STACKWORK " --brief; " STACKWORK
			    " --brief; " STACKWORK "-cxx'", tpath("se.json")), 0);
	r = load_report(tpath("se.json"));
	assert_int_equal(site_calls(r, "clock_nanosleep", 0, "sleep_loop", 500000, main_below), 6);
	stacks = get(r, "stacks");
	for (i = 0; i < json_object_array_length(stacks); i++) {
		struct json_object *st = json_object_array_get_idx(stacks, i), *site = call_site(st, &at);

		if (site && str(site, "symbol") && !strncmp(str(site, "symbol"), "osp::Journal::flush(int)", 24) &&
		    has_frame(st, "main", at + 1))
			cxx += json_object_get_int64(get(st, "count"));
	}
	assert_int_equal(cxx, 4);
	json_object_put(r);
}

/* Stripped: no symbols, so the program's frames are module+offset; the
 * unwinding (.eh_frame stays) and libc's names are unchanged. */
static void test_stripped(void **state)
{
	struct json_object *r, *stacks;
	int64_t n = 0;
	size_t i, at;

	assert_int_equal(sh(OSIPROF " record --stacks --stack-threshold 0 -o %s -- "
			    "$OUTPUT/tests/stackwork-stripped", tpath("st.json")), 0);
	r = load_report(tpath("st.json"));
	stacks = get(r, "stacks");
	for (i = 0; i < json_object_array_length(stacks); i++) {
		struct json_object *st = json_object_array_get_idx(stacks, i), *site;

		if (strcmp(str(st, "syscall"), "write") || !(site = call_site(st, &at)) || !at)
			continue;
		if (!str(site, "symbol") && !strcmp(str(site, "module"), "stackwork-stripped") &&
		    json_object_get_int64(get(site, "offset")) > 0)
			n += json_object_get_int64(get(st, "count"));
	}
	assert_int_equal(n, 1000);
	json_object_put(r);
	assert_int_equal(sh(OSIPROF " report --by stack --format table %s | grep -q 'stackwork-stripped+0x'",
			    tpath("st.json")), 0);
	/* Against the unstripped run: the same 1000 writes under other names. */
	assert_int_equal(sh(OSIPROF " report --diff %s %s --format csv > %s", tpath("dw.json"), tpath("st.json"),
			    tpath("diff.csv")), 0);
	assert_int_equal(sh("grep -q '^write <- __write <- write_loop <- main.*,1000,0,-1000,' %s", tpath("diff.csv")), 0);
	assert_int_equal(sh("grep -q '^write <- __write <- stackwork-stripped+0x.*,0,1000,1000,' %s",
			    tpath("diff.csv")), 0);
}

/* Code the program mapped itself, named by its perf map (/tmp/perf-PID.map,
 * where runtimes write it; removed here once the report is read). */
static void test_jit_map(void **state)
{
	struct json_object *r, *stacks, *f;
	char map[64];
	int64_t n = 0;
	size_t i;

	assert_int_equal(sh(OSIPROF " record --stacks --stack-threshold 0 -o %s -- " STACKWORK " --jit",
			    tpath("jit.json")), 0);
	r = load_report(tpath("jit.json"));
	snprintf(map, sizeof(map), "/tmp/perf-%lld.map", (long long)main_pid(r));
	assert_int_equal(unlink(map), 0);
	stacks = get(r, "stacks");
	for (i = 0; i < json_object_array_length(stacks); i++) {
		struct json_object *st = json_object_array_get_idx(stacks, i);

		if (strcmp(str(st, "syscall"), "getpid"))
			continue;
		f = json_object_array_get_idx(get(st, "frames"), 0);
		if (f && str(f, "symbol") && !strcmp(str(f, "symbol"), "jit_getpid") &&
		    !strncmp(str(f, "module"), "perf-", 5))
			n += json_object_get_int64(get(st, "count"));
	}
	assert_int_equal(n, 10);
	json_object_put(r);
}

/* Frame pointers, counted in the kernel: the counts are exact, the
 * innermost frame is right, and kernel stacks name the sleeping path. */
static void test_fp_kernel_stacks(void **state)
{
	struct json_object *r, *stacks;
	int64_t sleeps = 0, with_kernel = 0;
	size_t i, k;

	assert_int_equal(sh(OSIPROF " record --stacks --unwind fp --kernel-stacks -o %s -- " STACKWORK,
			    tpath("fp.json")), 0);
	assert_int_equal(sh("/usr/bin/python3 tests/validate_report.py %s", tpath("fp.json")), 0);
	r = load_report(tpath("fp.json"));
	assert_string_equal(str(get(r, "stack_settings"), "unwind"), "fp");
	stacks = get(r, "stacks");
	for (i = 0; i < json_object_array_length(stacks); i++) {
		struct json_object *st = json_object_array_get_idx(stacks, i), *kf = get(st, "kernel_frames");
		struct json_object *f = json_object_array_get_idx(get(st, "frames"), 0);

		if (strcmp(str(st, "syscall"), "clock_nanosleep") || !f || !str(f, "symbol") ||
		    strcmp(str(f, "symbol"), "clock_nanosleep"))
			continue;
		sleeps += json_object_get_int64(get(st, "count"));
		for (k = 0; k < json_object_array_length(kf); k++) {
			const char *s = str(json_object_array_get_idx(kf, k), "symbol");

			if (s && strstr(s, "nanosleep")) {
				with_kernel += json_object_get_int64(get(st, "count"));
				break;
			}
		}
	}
	/* 20 + 5 in main and 3 in the child, every one slower than 10 us. */
	assert_int_equal(sleeps, 28);
	assert_int_equal(with_kernel, 28);
	json_object_put(r);
}

/* --stack-sample 10 with a threshold no call reaches: one call in ten of
 * every target call, counted per CPU (each CPU's remainder is left). */
static void test_sample(void **state)
{
	struct json_object *r;
	int64_t calls, count, ns;
	long cpus = sysconf(_SC_NPROCESSORS_CONF);

	assert_int_equal(sh(OSIPROF " record --stacks --stack-threshold 10000000 --stack-sample 10 -o %s -- "
			    STACKWORK, tpath("sm.json")), 0);
	r = load_report(tpath("sm.json"));
	calls = json_object_get_int64(get(get(r, "totals"), "count"));
	stack_sums(r, &count, &ns);
	assert_true(count <= calls / 10);
	assert_true(count >= calls / 10 - cpus);
	assert_true(site_calls(r, "write", 0, "write_loop", 0, NULL) >= 1000 / 10 - cpus);
	json_object_put(r);
}

/* The daemon: stacks of processes that exited move to pid 0, merged by
 * command and frames, so its table is bounded by distinct stacks. */
static void test_daemon_stacks(void **state)
{
	const char *const main_below[] = { "main", NULL };
	struct json_object *r, *stacks;
	char opts[128];
	int64_t retired = 0;
	struct daemon d;
	pid_t target;
	size_t i;

	target = start_bg("dstk", "sh -c 'sleep 1; exec " STACKWORK "'");
	assert_true(target > 0);
	snprintf(opts, sizeof(opts), "-p %d --interval 0.2 --stacks", target);
	start_daemon(&d, "dstk", opts);
	r = daemon_final_report(&d, target, 10);
	/* 20 in main and 3 in its child, both with main below. */
	assert_int_equal(site_calls(r, "clock_nanosleep", 0, "sleep_loop", 1000000, main_below), 23);
	stacks = get(r, "stacks");
	for (i = 0; i < json_object_array_length(stacks); i++)
		retired += !json_object_get_int64(get(json_object_array_get_idx(stacks, i), "pid"));
	assert_int_equal(retired, (int64_t)json_object_array_length(stacks));
	json_object_put(r);
}

/* Options that make no sense alone are refused with one line. */
static void test_bad_options(void **state)
{
	assert_int_equal(sh(OSIPROF " record --unwind fp -o %s -- true", tpath("b1.json")), 2);
	assert_non_null(strstr(last_stderr(), "need --stacks"));
	assert_int_equal(sh(OSIPROF " record --stacks --stack-bytes 1000 -o %s -- true", tpath("b2.json")), 2);
	assert_non_null(strstr(last_stderr(), "power of two"));
	assert_int_equal(sh(OSIPROF " record --folded %s -- true", tpath("b3.folded")), 2);
	assert_non_null(strstr(last_stderr(), "need --stacks"));
	assert_int_equal(sh(OSIPROF " record --stacks --unwind frames -- true"), 2);
	assert_non_null(strstr(last_stderr(), "bad --unwind 'frames'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dwarf_call_sites),
		cmocka_unit_test(test_short_exec),
		cmocka_unit_test(test_stripped),
		cmocka_unit_test(test_jit_map),
		cmocka_unit_test(test_fp_kernel_stacks),
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_daemon_stacks),
		cmocka_unit_test(test_bad_options),
	};

	return cmocka_run_group_tests_name("stacks", tests, setup, kill_tracked);
}
