// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The names sinks print for drop counters and error codes. */
#include <stdio.h>
#include <string.h>
#include "model/names.h"
#include "osiprof.h"

/* What each drop counter is called in every sink. */
static const char *const drop_names[OSP_DROP_NR] = {
	[OSP_DROP_TARGETS_FULL] = "process_map_full",
	[OSP_DROP_ERRNO_FULL] = "errno_map_full",
	[OSP_DROP_TASK_STORAGE] = "task_storage_failed",
	[OSP_DROP_BAD_SYSCALL_NR] = "bad_syscall_nr",
	[OSP_DROP_RINGBUF] = "events_lost",
	[OSP_DROP_GPU_MAP_FULL] = "gpu_map_full",
	[OSP_DROP_PHASES_FULL] = "phases_full",
	[OSP_DROP_COMPAT_FULL] = "compat_map_full",
	[OSP_DROP_OBJECTS_FULL] = "object_map_full",
	[OSP_DROP_STACK_MAP_FULL] = "stack_map_full",
};

const char *drop_name(int drop)
{
	return drop >= 0 && drop < OSP_DROP_NR && drop_names[drop] ? drop_names[drop] : "unnamed";
}

/* Codes the kernel uses internally (include/linux/errno.h) that can still
 * reach a syscall's return value as tracepoints see it: a restarted call
 * returns ERESTARTSYS and friends before the signal code rewrites them.
 * Named as strace names them. */
static const char *const kernel_errnos[] = {
	[512 - 512] = "ERESTARTSYS", [513 - 512] = "ERESTARTNOINTR",
	[514 - 512] = "ERESTARTNOHAND", [515 - 512] = "ENOIOCTLCMD",
	[516 - 512] = "ERESTART_RESTARTBLOCK", [517 - 512] = "EPROBE_DEFER",
	[518 - 512] = "EOPENSTALE", [519 - 512] = "ENOPARAM",
	[521 - 512] = "EBADHANDLE", [522 - 512] = "ENOTSYNC",
	[523 - 512] = "EBADCOOKIE", [524 - 512] = "ENOTSUPP",
	[525 - 512] = "ETOOSMALL", [526 - 512] = "ESERVERFAULT",
	[527 - 512] = "EBADTYPE", [528 - 512] = "EJUKEBOX",
	[529 - 512] = "EIOCBQUEUED", [530 - 512] = "ERECALLCONFLICT",
	[531 - 512] = "ENOGRACE",
};

const char *errno_name(int err)
{
	static __thread char other[24];
	const char *n = strerrorname_np(err);

	if (n)
		return n;
	if (err >= 512 && err - 512 < (int)(sizeof(kernel_errnos) / sizeof(kernel_errnos[0])) &&
	    kernel_errnos[err - 512])
		return kernel_errnos[err - 512];
	/* Never one name for two codes: each keeps its number. */
	snprintf(other, sizeof(other), "E%d", err);
	return other;
}
