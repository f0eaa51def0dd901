// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* libFuzzer target: --tag KEY=VALUE parsing. Each line of the input is one
 * --tag; accepted keys must be legal Prometheus label names. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "model/tags.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tags t;
	char *text = malloc(size + 1), *line, *save = NULL;
	uint64_t v;
	int i;
	size_t k;

	log_silence();
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&t, 0, sizeof(t));
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		tags_add(&t, line);
	for (i = 0; i < t.n; i++) {
		const char *key = t.items[i].key;

		if (!key[0] || isdigit((unsigned char)key[0]) || !tags_get(&t, key))
			abort();
		for (k = 0; key[k]; k++)
			if (!(isalnum((unsigned char)key[k]) || key[k] == '_') || (unsigned char)key[k] > 127)
				abort();
		(void)tags_get_u64(&t, key, &v);
	}
	free(text);
	return 0;
}
