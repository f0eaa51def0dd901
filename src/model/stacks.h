/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Call stacks of captured syscalls (--stacks), aggregated by (process,
 * slot, user frames, kernel frames): calls, time, off-CPU time. Frames are
 * resolved once and interned: a stack is a list of frame ids. Bounded: past
 * max entries a new stack is a counted drop, never a silent loss. */
#ifndef OSP_STACKS_H
#define OSP_STACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct stack_frame {
	char *symbol;		/* NULL: no symbol covers it (module+offset) */
	char *module;		/* file name; "[kernel]", "[unknown]" */
	char *path;		/* the module's path as mapped ("" if none) */
	uint64_t offset;	/* ELF address in the module (addr2line's); kernel: the address */
	uint64_t sym_offset;	/* from the symbol's start */
	char *file;		/* DWARF source file, NULL if none */
	uint32_t line;
	bool kernel;
};

struct stack_entry {
	uint32_t pid;		/* 0: processes that exited and were reclaimed */
	uint32_t slot;
	char comm[16];
	uint32_t nuser, nkernel;
	uint32_t *frames;	/* nuser user frames, then nkernel kernel frames; innermost first */
	uint64_t count, total_ns, offcpu_ns;
	uint64_t hash;
};

/* What could not be captured or unwound, by cause. */
struct stack_drops {
	uint64_t table_full;		/* more distinct stacks than the table holds */
	uint64_t no_mappings;		/* the process was gone before its mappings were read */
	uint64_t stack_unreadable;	/* no user stack could be copied */
	uint64_t unwind_failed;		/* unwinding stopped at the first frame */
};

/* How stacks were captured (the run's settings, as reports state them). */
struct stack_settings {
	uint32_t unwind;		/* enum osp_unwind */
	uint64_t threshold_ns;		/* calls this slow */
	uint32_t sample;		/* and 1 in this many of all; 0 = none */
	bool kernel;			/* kernel stacks too */
	uint32_t stack_bytes;		/* dwarf: user stack copied per call */
	uint32_t max_stacks;
};

struct stack_table {
	struct stack_frame *frames;
	size_t nframes, frames_cap;
	int *frame_index;		/* (kernel, path, offset) -> frames[], open addressing */
	size_t frame_index_cap;
	struct stack_entry *v;
	size_t n, cap;
	int *index;			/* key -> v[] */
	size_t index_cap;
	size_t max;			/* entries kept */
	size_t max_frames;		/* distinct frames kept: 32 per entry */
	struct stack_drops drops;
	uint64_t collect_ns;		/* the collector's time on them: unwinding, naming */
};

void stack_table_init(struct stack_table *t, size_t max);
void stack_table_free(struct stack_table *t);
/* The id of an interned frame, or -1. */
long stack_frame_find(const struct stack_table *t, bool kernel, const char *path, uint64_t offset);
/* Interns f (its strings copied); the id, or -1 when max_frames are
 * interned already or out of memory. */
long stack_frame_add(struct stack_table *t, const struct stack_frame *f);
/* The entry of this stack (created with zero figures when new); NULL when
 * the table is full (counted) or out of memory. */
struct stack_entry *stack_get(struct stack_table *t, uint32_t pid, uint32_t slot, const char *comm,
			      const uint32_t *frames, uint32_t nuser, uint32_t nkernel);
/* Entries of the processes for which gone(pid, ctx) is true move to pid 0,
 * merged by (comm, slot, frames): a daemon keeps their figures, bounded by
 * the distinct stacks, not by the processes that ever ran. */
void stack_table_retire(struct stack_table *t, bool (*gone)(uint32_t pid, void *ctx), void *ctx);
/* The innermost user frame outside the C library and the dynamic loader
 * (the call site), or the innermost frame; -1 if the stack has none. */
long stack_call_site(const struct stack_table *t, const struct stack_entry *e);
/* "symbol" or "module+0xoffset", for a frame. */
const char *stack_frame_name(const struct stack_frame *f, char *buf, size_t len);

#endif
