// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* libFuzzer target: the --categories file format (taxonomy_parse, strict and
 * lenient), on any bytes. It must refuse or accept, never crash, and an
 * accepted taxonomy must map every slot to a category it has. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "model/categories.h"
#include "base/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct taxonomy t;
	char *text = malloc(size + 1);
	int strict, i;

	log_silence();
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (strict = 0; strict < 2; strict++) {
		if (taxonomy_parse(&t, text, "fuzz", strict))
			continue;
		for (i = 0; i < OSP_NR_SLOTS; i++)
			if (t.slot_cat[i] >= t.ncat)
				abort();
	}
	free(text);
	return 0;
}
