// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* CSV sink: one row per category and per syscall, for spreadsheets. */
#include <errno.h>
#include <stdlib.h>
#include "model/categories.h"
#include "model/report.h"
#include "sink/sink.h"
#include "model/snapshot.h"
#include "model/syscalls.h"
#include "sink/text.h"

static void row(FILE *f, const struct report *r, const char *level, const char *name,
		const char *cat, const struct slot_stats *st)
{
	struct per_unit u;
	struct figures x;

	figures_from_stats(st, &x);
	report_per_unit(r, x.count, x.total_ns, &u);
	fprintf(f, "%s,", level);
	text_csv_field(f, name);
	fputc(',', f);
	text_csv_field(f, cat);
	fprintf(f, ",%lu,%lu,%lu,%lu,%lu,%.1f,%.1f,%.0f,%.0f,%.0f,",
		x.count, x.errors, x.total_ns, x.min_ns, x.max_ns, x.mean_ns, x.stddev_ns,
		x.p50_ns, x.p90_ns, x.p99_ns);
	if (r->snap->sched_collected)
		fprintf(f, "%lu", x.offcpu_ns);
	if (u.kb)
		fprintf(f, ",%.6g,%.6g", u.kb_calls, u.kb_usec);
	else
		fputs(",,", f);
	if (u.iter)
		fprintf(f, ",%.6g,%.6g\n", u.iter_calls, u.iter_usec);
	else
		fputs(",,\n", f);
}

int report_write_csv(FILE *f, const struct report *r)
{
	int i, n, nactive, *order = NULL;
	char nrbuf[32];

	fputs("level,name,category,count,errors,total_ns,min_ns,max_ns,mean_ns,stddev_ns,"
	      "p50_ns,p90_ns,p99_ns,offcpu_ns,calls_per_kb,usec_per_kb,calls_per_iteration,usec_per_iteration\n", f);
	n = report_sorted_categories(r, &order, &nactive);
	for (i = 0; i < n; i++)
		row(f, r, "category", r->tax->names[order[i]], r->tax->names[order[i]], &r->cats[order[i]]);
	free(order);
	n = report_sorted_slots(r, &order);
	for (i = 0; i < n; i++)
		row(f, r, "syscall", slot_name_or_nr(order[i], nrbuf, sizeof(nrbuf)),
		    r->tax->names[r->tax->slot_cat[order[i]]], &r->snap->slots[order[i]]);
	free(order);
	return ferror(f) ? -EIO : 0;
}
