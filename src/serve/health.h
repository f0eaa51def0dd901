/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The daemon's health, as /healthz and `osiprof health` both say it:
 * "ok", "stalled" (the last poll is older than stale_ns) or "starting" (no
 * poll yet), with the last poll's age and the drops so far. */
#ifndef OSP_HEALTH_H
#define OSP_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The answer line into buf; true if healthy. Times are CLOCK_MONOTONIC ns. */
bool health_line(char *buf, size_t len, uint64_t last_poll_ns, uint64_t stale_ns, uint64_t drops);

#endif
