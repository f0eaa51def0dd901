/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* User stacks, as perf --call-graph dwarf unwinds them: from the registers
 * and the copy of the stack top a captured call sent, walked with the
 * binaries' CFI (.eh_frame, .debug_frame) by elfutils' libdwfl; and user
 * addresses named (ELF symbols, DWARF lines, perf JIT maps, module+offset).
 *
 * A process's mappings come from the BPF side's events (its exec, fork and
 * every mmap of a file, in order with its stacks, however short its life)
 * and, for a process that was running before osiprof, from /proc/PID/maps
 * the first time it is seen; they are kept, so its stacks are unwound and
 * named after it exits. Bounded: at most UNWIND_MAX_PROCS processes remembered
 * and UNWIND_MAX_DWFL of them with open binaries, least recently used out. */
#ifndef OSP_UNWIND_H
#define OSP_UNWIND_H

#include <stdbool.h>
#include <stdint.h>
#include "model/stacks.h"

#define UNWIND_MAX_PROCS	1024
#define UNWIND_MAX_DWFL		32
#define UNWIND_MAX_FRAMES	64

struct unwinder;

enum unwind_status { UNWIND_OK, UNWIND_NO_MAPPINGS, UNWIND_NO_STACK, UNWIND_FAILED };

struct unwinder *unwinder_new(void);
void unwinder_free(struct unwinder *u);
/* Reads pid's mappings from /proc now if nothing is known of them. false
 * if the process is gone and nothing is known. */
bool unwinder_remember(struct unwinder *u, uint32_t pid);
/* Reads pid's mappings again if it lives (they may have grown since). */
void unwinder_refresh(struct unwinder *u, uint32_t pid);
/* pid exec'd: what is known of its mappings is forgotten; its mapping
 * events (the binary, the interpreter, then every mmap) follow. */
void unwinder_exec(struct unwinder *u, uint32_t pid);
/* parent forked child: the child starts with the parent's mappings. */
void unwinder_fork(struct unwinder *u, uint32_t parent, uint32_t child);
/* pid mapped [start, end) of a file at offset pgoff (a mapping event). */
void unwinder_mapping(struct unwinder *u, uint32_t pid, uint64_t start, uint64_t end, uint64_t pgoff,
		      uint32_t dev, uint64_t ino, const char *path, bool exec);
/* Unwinds one call: regs is the thread's struct pt_regs, stack the len
 * bytes above its stack pointer. Stores up to max addresses, innermost
 * first, each the address of its call (a return address less one) but the
 * first, in pcs; *n their number. */
enum unwind_status unwinder_unwind(struct unwinder *u, uint32_t pid, uint32_t tid,
				   const void *regs, const void *stack, uint32_t len,
				   uint64_t *pcs, uint32_t max, uint32_t *n);
/* The interned frame of user address pc in pid (named on first sight), or
 * -1 when out of memory. */
long unwinder_frame(struct unwinder *u, uint32_t pid, uint64_t pc, struct stack_table *t);

#endif
