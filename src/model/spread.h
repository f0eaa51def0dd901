/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Median and quartiles of repeated runs, as the seed experiments plot them. */
#ifndef OSP_SPREAD_H
#define OSP_SPREAD_H

struct spread {
	double median, q1, q3, min, max;
	int n;
};

/* Quantiles by linear interpolation between order statistics (numpy's
 * default, "type 7"); v is sorted in place. */
void spread_of(double *v, int n, struct spread *out);
double quantile_sorted(const double *v, int n, double q);

#endif
