/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* --pprof FILE: the report's stacks as a gzipped pprof profile.proto
 * (github.com/google/pprof/proto/profile.proto), for go tool pprof,
 * Pyroscope and Parca: samples calls/count, time/nanoseconds and
 * offcpu/nanoseconds, labelled category, syscall, pid and comm. */
#ifndef OSP_STACKS_PPROF_H
#define OSP_STACKS_PPROF_H

#include <stdio.h>
#include "model/report.h"

/* 0, or -1 with errno set. */
int stacks_write_pprof(FILE *f, const struct report *r);

#endif
