// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The folded-stack format flamegraph.pl, inferno and speedscope read: one
 * line per stack, "comm;outermost;...;innermost;kernel_[k];...;syscall W",
 * W its calls, nanoseconds or off-CPU nanoseconds. */
#include <string.h>
#include "sink/stacks_folded.h"

/* A frame name without the format's separators. */
static void put_name(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == ';' || *s == ' ' || *s == '\n' || *s == '\r' ? '_' : *s, f);
}

static void put_frame(FILE *f, const struct stack_frame *fr)
{
	char buf[320];

	fputc(';', f);
	put_name(f, stack_frame_name(fr, buf, sizeof(buf)));
	if (fr->kernel)
		fputs("_[k]", f);
}

int stacks_write_folded(FILE *f, const struct report *r, enum folded_weight w)
{
	const struct stack_table *t = &r->snap->stacks;
	int i;

	for (i = 0; i < r->nstacks; i++) {
		const struct stack_entry *e = r->stacks[i].e;
		uint64_t v = w == FOLDED_CALLS ? e->count : w == FOLDED_OFFCPU ? e->offcpu_ns : e->total_ns;
		uint32_t k;

		if (!v)
			continue;
		put_name(f, e->comm[0] ? e->comm : "?");
		for (k = e->nuser; k > 0; k--)		/* outermost first */
			put_frame(f, &t->frames[e->frames[k - 1]]);
		for (k = e->nuser + e->nkernel; k > e->nuser; k--)
			put_frame(f, &t->frames[e->frames[k - 1]]);
		fputc(';', f);
		put_name(f, r->stacks[i].syscall);
		fprintf(f, " %llu\n", (unsigned long long)v);
	}
	return ferror(f) ? -1 : 0;
}
