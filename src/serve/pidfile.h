/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The daemon's pidfile: locked while the daemon runs (a second daemon gets a
 * clear error), holding the PID and the snapshot directory for `osiprof
 * snapshot`. */
#ifndef OSP_PIDFILE_H
#define OSP_PIDFILE_H

#include <sys/types.h>

/* Returns the locked fd, or a negative errno after logging one line. */
int pidfile_acquire(const char *path, const char *output_dir);
void pidfile_release(int fd, const char *path);
/* Reads PID, the file's owner and directory (owner, dir may be NULL);
 * refuses a file others may write. */
int pidfile_read(const char *path, pid_t *pid, uid_t *owner, char *dir, size_t dirlen);

#endif
