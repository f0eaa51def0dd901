// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <string.h>
#include "sink/sink.h"

static const struct sink_ops {
	const char *name;
	int (*write)(FILE *f, const struct report *r);
} sinks[] = {
	[FORMAT_TABLE] = { "table", report_write_table },
	[FORMAT_JSON] = { "json", report_write_json },
	[FORMAT_CSV] = { "csv", report_write_csv },
};

int report_format_parse(const char *s, enum report_format *out)
{
	size_t i;

	for (i = 0; i < sizeof(sinks) / sizeof(sinks[0]); i++) {
		if (!strcmp(s, sinks[i].name)) {
			*out = (enum report_format)i;
			return 0;
		}
	}
	return -EINVAL;
}

int report_write(FILE *f, enum report_format fmt, const struct report *r)
{
	if ((size_t)fmt >= sizeof(sinks) / sizeof(sinks[0]))
		return -EINVAL;
	return sinks[fmt].write(f, r);
}
