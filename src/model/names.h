/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The names every sink uses for drop counters and error codes. */
#ifndef OSP_NAMES_H
#define OSP_NAMES_H

/* An errno as strace names it (kernel-internal codes included), or "E<n>". */
const char *errno_name(int err);
/* The name of a drop counter (enum osp_drop). */
const char *drop_name(int drop);

#endif
