/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* What osiprof reads of other processes from /proc, in one place. */
#ifndef OSP_PROCFS_H
#define OSP_PROCFS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct procfs_stat {
	char state;			/* R, S, D, Z, X... */
	uint64_t min_flt, maj_flt;	/* the whole process's (dead threads too) */
};

/* /proc/PID/stat; -errno if the process is gone. */
int procfs_stat(pid_t pid, struct procfs_stat *out);
/* Gone, or a zombie nobody has reaped yet: either way it has exited. */
bool procfs_exited(pid_t pid);

#endif
