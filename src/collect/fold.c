// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stddef.h>
#include "collect/fold.h"

void fold_percpu(const struct osp_sys_stat *percpu, int ncpus, struct slot_stats *dst,
		 uint32_t *last_all)
{
	int cpu, b;

	/* Everything but the histogram is cumulative 64-bit: recompute. */
	dst->count = dst->errors = dst->total_ns = dst->offcpu_ns = dst->bytes = 0;
	dst->min_ns = dst->max_ns = 0;
	dst->sumsq = 0;
	for (cpu = 0; cpu < ncpus; cpu++) {
		const struct osp_sys_stat *s = &percpu[cpu];
		uint32_t *last = &last_all[(size_t)cpu * FOLD_STRIDE], *sum = &last[OSP_HIST_BUCKETS];

		if (!s->count)
			continue;
		if (!dst->count || s->min_ns < dst->min_ns)
			dst->min_ns = s->min_ns;
		if (s->max_ns > dst->max_ns)
			dst->max_ns = s->max_ns;
		dst->count += s->count;
		dst->errors += s->errors;
		dst->total_ns += s->total_ns;
		dst->offcpu_ns += s->offcpu_ns;
		dst->bytes += s->bytes;
		dst->sumsq += (long double)s->sumsq_hi * 18446744073709551616.0L + s->sumsq_lo;
		if (*sum == (uint32_t)s->count)
			continue;	/* no call on this CPU since the last fold */
		/* Two plain loops the compiler vectorises. Unsigned difference
		 * is right across one wrap. */
		for (b = 0; b < OSP_HIST_BUCKETS; b++) {
			dst->hist[b] += (uint32_t)(s->hist[b] - last[b]);
			last[b] = s->hist[b];
		}
		for (*sum = 0, b = 0; b < OSP_HIST_BUCKETS; b++)
			*sum += last[b];
	}
}
