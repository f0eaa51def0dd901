/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* What `osiprof report` prints from saved JSON: the per-KB tables of the
 * seed experiments, one report by a breakdown, and the diff of two. All
 * read through offline/jread.h; each prints to stdout in fmt ("table",
 * "csv" or "json"). */
#ifndef OSP_TABLES_H
#define OSP_TABLES_H

#define MAX_INPUTS	256
#define MAX_COLS	32

struct json_object;

/* The table being built: rows x categories, two metrics. */
struct table {
	char *rows[MAX_INPUTS];
	double sort_key[MAX_INPUTS];
	int nrows;
	char *cols[MAX_COLS];
	int ncols;
	double calls[MAX_INPUTS][MAX_COLS], usec[MAX_INPUTS][MAX_COLS];
	double rss_kb[MAX_INPUTS];	/* measured peak RSS (median), NAN if unknown */
	char *row_header;
};

/* Adds a sweep summary's points (0, or -1 when it has none) or one
 * report's row; per is "kb" or "iteration". */
int table_from_summary(struct table *t, struct json_object *s, const char *per);
int table_from_report(struct table *t, struct json_object *r, const char *path, const char *per);
/* One metric (t->calls or t->usec) as a table or CSV, rows in order. */
void table_print(const struct table *t, const char *title, double m[][MAX_COLS],
		 const char *fmt, const int *order);
void table_print_json(const struct table *t, const char *per, const int *order);
void table_free(struct table *t);

/* by: "category", "syscall", "process", "phase", "cgroup" or "object". 0, or 1 after an error. */
int report_by(struct json_object *r, const char *by, const char *fmt);
/* A saved stack's frames (innermost first) as "a<sep>b<sep>...": symbols,
 * or module+0xoffset where none; into out (truncated to len). */
void stack_frames_text(struct json_object *frames, const char *sep, char *out, size_t len);
int report_diff(struct json_object *a, struct json_object *b, const char *fmt);

#endif
