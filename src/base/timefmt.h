/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Wall-clock time as every osiprof output writes it. */
#ifndef OSP_TIMEFMT_H
#define OSP_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#define ISO8601_LEN	64

/* ns since the Unix epoch -> "2026-11-22T04:33:43.123456Z" */
void iso8601(uint64_t real_ns, char *buf, size_t len);
uint64_t now_ns(int clock_id);

#endif
