/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Kernel symbols from /proc/kallsyms, for kernel stack frames. */
#ifndef OSP_KSYMS_H
#define OSP_KSYMS_H

#include <stdint.h>

struct ksyms;

/* NULL (after logging once) if /proc/kallsyms cannot be read. */
struct ksyms *ksyms_load(void);
/* The symbol covering addr and addr's offset into it, or NULL. */
const char *ksyms_find(const struct ksyms *k, uint64_t addr, uint64_t *offset);
void ksyms_free(struct ksyms *k);

#endif
