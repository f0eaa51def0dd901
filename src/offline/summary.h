/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The summary a sweep writes (DIR/summary.json and DIR/summary.csv). */
#ifndef OSP_SUMMARY_H
#define OSP_SUMMARY_H

#include <stdio.h>

struct json_object;

/* One point of the sweep: its parameter values and its runs. */
struct summary_point {
	const char *const *params, *const *values;	/* nparams each */
	int nparams;
	const char *const *files;	/* every run's report, warm-ups included */
	int nfiles, failed;
	struct json_object **runs;	/* the measured runs' reports, parsed */
	int nruns;
};

struct json_object *summary_new(const char *const *params, int nparams, char *const *cmd,
				int cmd_argc, int repeat, int warmup);
void summary_csv_header(FILE *csv, const char *const *params, int nparams);
/* Adds the point to the JSON and its rows to the CSV. */
void summary_add_point(struct json_object *summary, const struct summary_point *p, FILE *csv);
int summary_write(FILE *f, struct json_object *summary);

#endif
