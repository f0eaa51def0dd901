// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The collector's per-poll cost for hosts bigger than this one: the same
 * fold code (src/collect/fold.c) over a plain array laid out as the kernel
 * copies a per-CPU map value out (one osp_sys_stat per possible CPU), for
 * SLOTS touched slots, preceded by that copy. "idle": no call since the last
 * poll; "busy": a call on every CPU in every slot between polls.
 *
 *   bench-collect-cost CPUS SLOTS POLLS
 * prints: "<cpus> <slots> <idle|busy> <bytes per poll> <ns per poll>"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "collect/fold.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double polls(struct osp_sys_stat *kernel, struct osp_sys_stat *buf, uint32_t **last,
		    struct slot_stats *dst, int ncpus, int nslots, int npolls, int busy)
{
	size_t bytes = (size_t)ncpus * sizeof(*buf);
	double total = 0, t;
	int p, s, c;

	for (p = 0; p < npolls; p++) {
		for (s = 0; busy && s < nslots; s++)
			for (c = 0; c < ncpus; c++) {
				struct osp_sys_stat *k = &kernel[(size_t)s * ncpus + c];

				k->count++;
				k->total_ns += 1000;
				k->hist[osp_hist_bucket(1000 + p)]++;
			}
		t = now_ns();
		for (s = 0; s < nslots; s++) {
			memcpy(buf, &kernel[(size_t)s * ncpus], bytes);
			fold_percpu(buf, ncpus, &dst[s], last[s]);
		}
		total += now_ns() - t;
	}
	return total / npolls;
}

int main(int argc, char **argv)
{
	int ncpus, nslots, npolls, s, c, mode;
	struct osp_sys_stat *kernel, *buf;
	struct slot_stats *dst;
	uint32_t **last;

	if (argc != 4 || (ncpus = atoi(argv[1])) <= 0 || (nslots = atoi(argv[2])) <= 0 ||
	    (npolls = atoi(argv[3])) <= 0) {
		fprintf(stderr, "usage: bench-collect-cost CPUS SLOTS POLLS\n");
		return 2;
	}
	kernel = calloc((size_t)ncpus * nslots, sizeof(*kernel));
	buf = calloc(ncpus, sizeof(*buf));
	dst = calloc(nslots, sizeof(*dst));
	last = calloc(nslots, sizeof(*last));
	if (!kernel || !buf || !dst || !last)
		return 1;
	for (s = 0; s < nslots; s++) {
		last[s] = calloc((size_t)ncpus * FOLD_STRIDE, sizeof(uint32_t));
		if (!last[s])
			return 1;
		for (c = 0; c < ncpus; c++) {	/* every slot used once everywhere */
			kernel[(size_t)s * ncpus + c].count = 1;
			kernel[(size_t)s * ncpus + c].hist[osp_hist_bucket(500)] = 1;
		}
	}
	polls(kernel, buf, last, dst, ncpus, nslots, 1, 0);	/* the first read */
	for (mode = 0; mode < 2; mode++)
		printf("%d %d %s %zu %.0f\n", ncpus, nslots, mode ? "busy" : "idle",
		       (size_t)ncpus * nslots * sizeof(*buf),
		       polls(kernel, buf, last, dst, ncpus, nslots, npolls, mode));
	return 0;
}
