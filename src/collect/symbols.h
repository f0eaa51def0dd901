/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Names of addresses in binaries, by file: one offline libdwfl session per
 * path, shared by every process that maps it, so libc's symbols and DWARF
 * lines are read once, not once per process. ELF symbols (versions such as
 * @GLIBC_2.2.5 dropped; C++ and legacy Rust names demangled) and file:line
 * where the file or its separate debug file has them. Bounded: at most
 * SYMBOLS_MAX_FILES open, least recently used out. */
#ifndef OSP_SYMBOLS_H
#define OSP_SYMBOLS_H

#include <stdint.h>
#include "model/stacks.h"

#define SYMBOLS_MAX_FILES	64

struct symbols;

struct symbols *symbols_new(void);
void symbols_free(struct symbols *s);
/* Fills f's symbol, sym_offset, file and line for the ELF address addr of
 * the file at path (NULL symbol: none covers it). The strings stay valid
 * until the next call. */
void symbols_name(struct symbols *s, const char *path, uint64_t addr, struct stack_frame *f);

#endif
