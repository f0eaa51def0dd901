/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Where a root node agent may write: never into a file or directory that
 * another user owns or that group or others may write, since whoever can
 * swap the target could point root's write anywhere. Devices, FIFOs and
 * sockets are not checked: writing to them replaces nothing. */
#ifndef OSP_FS_TRUST_H
#define OSP_FS_TRUST_H

#include <sys/stat.h>

enum fs_trust { FS_TRUSTED, FS_FOREIGN_OWNER, FS_SHARED_WRITE };

/* The rule itself, on a stat of the target. */
enum fs_trust fs_trust_of(const struct stat *st);
/* 0, or -EPERM after logging "WHAT PATH is owned by uid N ..." */
int fs_check_trusted(int fd, const char *what, const char *path);
/* Opens an existing directory (no symlink as its last component), checked;
 * creates it (mode & ~umask) first when create is set. fd or -errno. */
int fs_open_dir(const char *path, const char *what, int create, unsigned int mode);

#endif
