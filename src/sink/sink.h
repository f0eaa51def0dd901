/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The report formats: one writer per format over the report view
 * (model/report.h), chosen by name. Sinks render; they never read BPF maps
 * and never reach back into the stages above them. */
#ifndef OSP_SINK_H
#define OSP_SINK_H

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
/* The JSON document itself, for callers that add to it (daemon snapshots). */
struct json_object *report_to_json(const struct report *r);

#endif
