// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "model/spread.h"

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double quantile_sorted(const double *v, int n, double q)
{
	double h, lo;
	int i;

	if (n <= 0)
		return NAN;
	h = (n - 1) * q;
	i = (int)floor(h);
	if (i >= n - 1)
		return v[n - 1];
	lo = v[i];
	return lo + (h - i) * (v[i + 1] - lo);
}

void spread_of(double *v, int n, struct spread *out)
{
	memset(out, 0, sizeof(*out));
	out->n = n;
	if (n <= 0) {
		out->median = out->q1 = out->q3 = out->min = out->max = NAN;
		return;
	}
	qsort(v, n, sizeof(*v), cmp_dbl);
	out->median = quantile_sorted(v, n, 0.5);
	out->q1 = quantile_sorted(v, n, 0.25);
	out->q3 = quantile_sorted(v, n, 0.75);
	out->min = v[0];
	out->max = v[n - 1];
}
