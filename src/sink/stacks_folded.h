/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* --folded FILE: the report's stacks as folded stacks (flame graphs). */
#ifndef OSP_STACKS_FOLDED_H
#define OSP_STACKS_FOLDED_H

#include <stdio.h>
#include "model/report.h"

enum folded_weight { FOLDED_TIME, FOLDED_CALLS, FOLDED_OFFCPU };

int stacks_write_folded(FILE *f, const struct report *r, enum folded_weight w);

#endif
