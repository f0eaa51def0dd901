// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <time.h>
#include "serve/health.h"

bool health_line(char *buf, size_t len, uint64_t last_poll_ns, uint64_t stale_ns, uint64_t drops)
{
	struct timespec ts;
	uint64_t now, age;
	bool ok;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	age = last_poll_ns ? now - last_poll_ns : 0;
	ok = last_poll_ns && age <= stale_ns;
	snprintf(buf, len, "%s last_poll_age_seconds=%.3f dropped_total=%llu\n",
		 ok ? "ok" : last_poll_ns ? "stalled" : "starting", age / 1e9, (unsigned long long)drops);
	return ok;
}
