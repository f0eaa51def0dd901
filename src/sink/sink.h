/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The report formats: one writer per format over the report view
 * (model/report.h), chosen by name. Sinks render; they never read BPF maps
 * and never reach back into the stages above them. */
#ifndef OSP_SINK_H
#define OSP_SINK_H

#include <stdbool.h>
#include <stdio.h>
#include "model/report.h"

struct json_object;

enum report_format { FORMAT_TABLE, FORMAT_JSON, FORMAT_CSV };

int report_format_parse(const char *s, enum report_format *out);
int report_write(FILE *f, enum report_format fmt, const struct report *r);

/* The writers (sink/report_*.c). */
int report_write_table(FILE *f, const struct report *r);
int report_write_json(FILE *f, const struct report *r);
int report_write_csv(FILE *f, const struct report *r);
/* The JSON report as text (malloc'd), or NULL when out of memory. */
char *report_json_text(const struct report *r);
/* The daemon's "intervals" (sink/json_history.c). */
struct json_object *history_json(const struct history *h, const struct taxonomy *tax, bool sched);

#endif
