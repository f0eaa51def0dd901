// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <time.h>
#include "base/timefmt.h"
#include "cmd/timeline_out.h"
#include "model/snapshot.h"
#include "model/timeline.h"
#include "sink/timeline_json.h"

char *timeline_render(const struct timeline *t, const struct snapshot *snap, const struct taxonomy *tax,
		      uint64_t start_mono_ns, uint64_t start_real_ns, const char *source)
{
	const char *names[OSP_MAX_PHASES];
	struct timeline_info info = {
		.tax = tax, .phase_names = names, .nphase_names = OSP_MAX_PHASES,
		.start_mono_ns = start_mono_ns, .start_real_ns = start_real_ns,
		.end_mono_ns = now_ns(CLOCK_MONOTONIC), .events_lost = snap->drops[OSP_DROP_RINGBUF],
		.source = source,
	};
	int i;

	for (i = 0; i < OSP_MAX_PHASES; i++)
		names[i] = snap->phases[i].name;
	return timeline_json_text(t, &info);
}
