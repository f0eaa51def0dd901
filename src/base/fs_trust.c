// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "base/fs_trust.h"
#include "base/log.h"

enum fs_trust fs_trust_of(const struct stat *st)
{
	if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode))
		return FS_TRUSTED;
	if (st->st_uid != geteuid())
		return FS_FOREIGN_OWNER;
	return st->st_mode & (S_IWGRP | S_IWOTH) ? FS_SHARED_WRITE : FS_TRUSTED;
}

int fs_check_trusted(int fd, const char *what, const char *path)
{
	struct stat st;
	enum fs_trust t;

	if (fstat(fd, &st)) {
		err("%s %s: %s", what, path, strerror(errno));
		return -errno;
	}
	t = fs_trust_of(&st);
	if (t == FS_FOREIGN_OWNER) {
		err("%s %s is owned by uid %u, not by this user: refusing to write there", what, path,
		    (unsigned int)st.st_uid);
		return -EPERM;
	}
	if (t == FS_SHARED_WRITE) {
		err("%s %s is writable by group or others (mode %03o): refusing to write there", what,
		    path, (unsigned int)(st.st_mode & 0777));
		return -EPERM;
	}
	return 0;
}

int fs_open_dir(const char *path, const char *what, int create, unsigned int mode)
{
	int fd, ret;

	if (create && mkdir(path, mode) && errno != EEXIST) {
		ret = -errno;
		err("cannot create %s %s: %s", what, path, strerror(errno));
		return ret;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		err("cannot open %s %s: %s", what, path,
		    errno == ELOOP ? "it is a symlink" : strerror(errno));
		return ret;
	}
	ret = fs_check_trusted(fd, what, path);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}
