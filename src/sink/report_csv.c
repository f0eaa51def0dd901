// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* CSV sink: one row per category and per syscall, for spreadsheets. */
#include <errno.h>
#include "model/report.h"
#include "sink/sink.h"
#include "model/snapshot.h"
#include "sink/text.h"

static void row(FILE *f, const struct report *r, const char *level, const struct report_row *rw)
{
	const struct figures *x = &rw->f;

	fprintf(f, "%s,", level);
	text_csv_field(f, rw->name);
	fputc(',', f);
	text_csv_field(f, rw->category);
	fprintf(f, ",%lu,%lu,%lu,%lu,%lu,%.1f,%.1f,%.0f,%.0f,%.0f,",
		x->count, x->errors, x->total_ns, x->min_ns, x->max_ns, x->mean_ns, x->stddev_ns,
		x->p50_ns, x->p90_ns, x->p99_ns);
	if (r->snap->sched_collected)
		fprintf(f, "%lu", x->offcpu_ns);
	if (r->per_kb)
		fprintf(f, ",%.6g,%.6g", rw->kb.calls, rw->kb.usec);
	else
		fputs(",,", f);
	if (r->per_iter)
		fprintf(f, ",%.6g,%.6g", rw->iter.calls, rw->iter.usec);
	else
		fputs(",,", f);
	fprintf(f, ",%lu", x->bytes);
	if (rw->io.count)	/* categories with data-moving calls */
		fprintf(f, ",%lu,%.0f,%.0f\n", rw->io.count, rw->io.p50_ns, rw->io.p99_ns);
	else
		fputs(",,,\n", f);
}

int report_write_csv(FILE *f, const struct report *r)
{
	int i;

	fputs("level,name,category,count,errors,total_ns,min_ns,max_ns,mean_ns,stddev_ns,"
	      "p50_ns,p90_ns,p99_ns,offcpu_ns,calls_per_kb,usec_per_kb,calls_per_iteration,usec_per_iteration,"
	      "bytes,io_count,io_p50_bytes,io_p99_bytes\n", f);
	for (i = 0; i < r->ncategories; i++)
		row(f, r, "category", &r->categories[i]);
	for (i = 0; i < r->nsyscalls; i++)
		row(f, r, "syscall", &r->syscalls[i]);
	return ferror(f) ? -EIO : 0;
}
