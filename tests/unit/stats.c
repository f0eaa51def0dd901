// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Histogram bucketing, percentiles and merging: the maths every figure in a
 * report rests on, checked against known inputs. */
#include <math.h>
#include "testlib.h"
#include "model/snapshot.h"
#include "model/spread.h"
#include "collect/fold.h"

static void test_bucket_bounds_contain_value(void **state)
{
	uint64_t v;

	/* Every value falls inside its own bucket, and buckets are narrow. */
	for (v = 0; v < (1ULL << 40); v = v < 64 ? v + 1 : v + v / 7 + 1) {
		uint32_t b = osp_hist_bucket(v);
		uint64_t lo = hist_bucket_lower(b), hi = hist_bucket_upper(b);

		assert_true(b < OSP_HIST_BUCKETS);
		if (b == OSP_HIST_BUCKETS - 1)
			break;
		assert_true(lo <= v && v < hi);
		if (v >= 16)
			assert_true((double)(hi - lo) / lo <= 0.125 + 1e-12);
	}
}

static void test_buckets_are_contiguous(void **state)
{
	uint32_t b;

	for (b = 0; b + 1 < OSP_HIST_BUCKETS; b++)
		assert_int_equal(hist_bucket_upper(b), hist_bucket_lower(b + 1));
	assert_int_equal(osp_hist_bucket(UINT64_MAX), OSP_HIST_BUCKETS - 1);
}

static void fill(struct slot_stats *st, const uint64_t *v, int n)
{
	int i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < n; i++) {
		st->count++;
		st->total_ns += v[i];
		if (!st->min_ns || v[i] < st->min_ns)
			st->min_ns = v[i];
		if (v[i] > st->max_ns)
			st->max_ns = v[i];
		st->sumsq += (long double)v[i] * v[i];
		st->hist[osp_hist_bucket(v[i])]++;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void test_percentiles_within_ten_percent(void **state)
{
	static uint64_t v[10000];
	struct slot_stats *st = malloc(sizeof(*st));
	struct figures f;
	uint64_t seed = 12345;
	int i;

	/* Log-normal-ish spread from ~100 ns to ~10 ms. */
	for (i = 0; i < 10000; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		v[i] = (uint64_t)(100 * pow(10, 5.0 * (seed >> 11) / (double)(1ULL << 53)));
	}
	fill(st, v, 10000);
	figures_from_stats(st, &f);
	qsort(v, 10000, sizeof(v[0]), cmp_u64);
	assert_true(fabs(f.p50_ns - v[4999]) / v[4999] < 0.10);
	assert_true(fabs(f.p90_ns - v[8999]) / v[8999] < 0.10);
	assert_true(fabs(f.p99_ns - v[9899]) / v[9899] < 0.10);
	assert_true(f.min_ns <= f.p50_ns && f.p50_ns <= f.p90_ns && f.p90_ns <= f.p99_ns &&
		    f.p99_ns <= f.max_ns);
	free(st);
}

static void test_mean_and_stddev_exact(void **state)
{
	uint64_t v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	struct slot_stats *st = malloc(sizeof(*st));
	struct figures f;

	fill(st, v, 8);
	figures_from_stats(st, &f);
	assert_true(fabs(f.mean_ns - 5.0) < 1e-9);
	/* Sample standard deviation: sqrt(32 / 7). */
	assert_true(fabs(f.stddev_ns - sqrt(32.0 / 7)) < 1e-9);
	assert_int_equal(f.min_ns, 2);
	assert_int_equal(f.max_ns, 9);
	/* Below 16 ns buckets are exact: the median of 4,5 lies in [4, 6). */
	assert_true(f.p50_ns >= 4 && f.p50_ns < 6);
	free(st);
}

static void test_merge_equals_union(void **state)
{
	uint64_t a[] = { 100, 2000, 30000 }, b[] = { 50, 7000000 }, all[] = { 100, 2000, 30000, 50, 7000000 };
	struct slot_stats *x = malloc(sizeof(*x)), *y = malloc(sizeof(*y)), *u = malloc(sizeof(*u));

	fill(x, a, 3);
	fill(y, b, 2);
	fill(u, all, 5);
	slot_stats_merge(x, y);
	assert_int_equal(x->count, u->count);
	assert_int_equal(x->total_ns, u->total_ns);
	assert_int_equal(x->min_ns, 50);
	assert_int_equal(x->max_ns, 7000000);
	assert_true(x->sumsq == u->sumsq);
	assert_memory_equal(x->hist, u->hist, sizeof(x->hist));
	free(x);
	free(y);
	free(u);
}

static void test_empty_stats(void **state)
{
	struct slot_stats *st = calloc(1, sizeof(*st));
	struct figures f;

	figures_from_stats(st, &f);
	assert_int_equal(f.count, 0);
	assert_true(f.mean_ns == 0 && f.p99_ns == 0 && f.stddev_ns == 0);
	free(st);
}

static void test_spread_known_inputs(void **state)
{
	double a[] = { 4, 1, 3, 2 }, b[] = { 5 }, c[] = { 3, 1, 2 };
	struct spread s;

	/* numpy.percentile's default (linear) on the same inputs. */
	spread_of(a, 4, &s);
	assert_true(fabs(s.median - 2.5) < 1e-12 && fabs(s.q1 - 1.75) < 1e-12 && fabs(s.q3 - 3.25) < 1e-12);
	assert_true(s.min == 1 && s.max == 4 && s.n == 4);
	spread_of(b, 1, &s);
	assert_true(s.median == 5 && s.q1 == 5 && s.q3 == 5);
	spread_of(c, 3, &s);
	assert_true(fabs(s.median - 2) < 1e-12 && fabs(s.q1 - 1.5) < 1e-12 && fabs(s.q3 - 2.5) < 1e-12);
	spread_of(a, 0, &s);
	assert_true(isnan(s.median));
}

/* The pid index: every process found after adds, removals and compaction. */
static void test_process_lookup_is_hashed(void **state)
{
	struct snapshot *s = snapshot_new();
	struct proc_figures f = { 0 };
	uint32_t pid;
	int i, n;

	assert_non_null(s);
	for (pid = 1; pid <= 3000; pid++)
		assert_non_null(snapshot_add_proc(s, pid * 7));
	for (pid = 1; pid <= 3000; pid++)
		assert_int_equal(snapshot_proc(s, pid * 7)->pid, pid * 7);
	assert_null(snapshot_proc(s, 8));
	/* Retire every third one (swap-remove), then compact like the collector. */
	for (pid = 3; pid <= 3000; pid += 3) {
		f.pid = pid * 7;
		snapshot_retire_proc(s, &f, false);
	}
	assert_int_equal(s->exited.processes, 1000);
	for (i = 0, n = 0; i < s->nprocs; i++)
		if (s->procs[i].pid % 2)
			s->procs[n++] = s->procs[i];
	s->nprocs = n;
	snapshot_procs_changed(s);
	for (pid = 1; pid <= 3000; pid++) {
		struct proc_figures *p = snapshot_proc(s, pid * 7);
		int want = pid % 3 && (pid * 7) % 2;

		if (want)
			assert_int_equal(p->pid, pid * 7);
		else
			assert_null(p);
	}
	snapshot_free(s);
}

/* Per-CPU folding: exact sums, a CPU without calls skipped, and a read torn
 * between count and histogram healed by the next fold. */
static void test_fold_skips_unchanged_and_heals_torn_reads(void **state)
{
	struct osp_sys_stat *cpu = calloc(2, sizeof(*cpu));
	uint32_t *last = calloc(2 * FOLD_STRIDE, sizeof(uint32_t));
	struct slot_stats *dst = calloc(1, sizeof(*dst));
	uint32_t b = osp_hist_bucket(1000);

	cpu[0] = (struct osp_sys_stat){ .count = 3, .total_ns = 3000, .min_ns = 1000, .max_ns = 1000 };
	cpu[0].hist[b] = 3;
	cpu[1] = (struct osp_sys_stat){ .count = 2, .total_ns = 2000, .min_ns = 1000, .max_ns = 1000 };
	cpu[1].hist[b] = 1;		/* torn: the second call's bucket not yet written */
	fold_percpu(cpu, 2, dst, last);
	assert_int_equal(dst->count, 5);
	assert_int_equal(dst->hist[b], 4);
	cpu[1].hist[b] = 2;		/* the write lands; no new call anywhere */
	fold_percpu(cpu, 2, dst, last);
	assert_int_equal(dst->count, 5);
	assert_int_equal(dst->hist[b], 5);
	fold_percpu(cpu, 2, dst, last);	/* nothing changed: nothing added */
	assert_int_equal(dst->hist[b], 5);
	assert_int_equal(dst->total_ns, 5000);
	assert_int_equal(last[FOLD_STRIDE + OSP_HIST_BUCKETS], 2);
	free(cpu);
	free(last);
	free(dst);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bucket_bounds_contain_value),
		cmocka_unit_test(test_buckets_are_contiguous),
		cmocka_unit_test(test_percentiles_within_ten_percent),
		cmocka_unit_test(test_mean_and_stddev_exact),
		cmocka_unit_test(test_merge_equals_union),
		cmocka_unit_test(test_empty_stats),
		cmocka_unit_test(test_spread_known_inputs),
		cmocka_unit_test(test_process_lookup_is_hashed),
		cmocka_unit_test(test_fold_skips_unchanged_and_heals_torn_reads),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
