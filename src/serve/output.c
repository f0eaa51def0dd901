// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include "base/fs_trust.h"
#include "base/log.h"
#include "serve/output.h"

int output_create_unique(int dirfd, const char *prefix, mode_t mode, char *out, size_t len)
{
	unsigned int r;
	int i, fd;

	for (i = 0; i < 100; i++) {
		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			r = (unsigned int)getpid() * 2654435761u + (unsigned int)i;
		if ((size_t)snprintf(out, len, "%s.%08x", prefix, r) >= len)
			return -ENAMETOOLONG;
		fd = openat(dirfd, out, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd >= 0 || errno != EEXIST)
			return fd >= 0 ? fd : -errno;
	}
	return -EEXIST;
}

static void clear(struct output *o)
{
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
}

/* An existing target that is not a plain regular file: written in place. */
static int open_in_place(struct output *o, const char *path, const struct stat *lst)
{
	struct stat st;
	int fd, ret;

	if (S_ISLNK(lst->st_mode) && lst->st_uid != 0 && lst->st_uid != geteuid()) {
		err("cannot write %s: a symlink owned by uid %u, not by this user", path,
		    (unsigned int)lst->st_uid);
		return -EPERM;
	}
	fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		err("cannot write %s: %s", path, strerror(errno));
		return ret;
	}
	ret = fstat(fd, &st) ? -errno : S_ISDIR(st.st_mode) ? -EISDIR : 0;
	if (!ret && S_ISREG(st.st_mode) && !(ret = fs_check_trusted(fd, "output", path)) &&
	    ftruncate(fd, 0))
		ret = -errno;
	if (!ret && !(o->f = fdopen(fd, "w")))
		ret = -errno;
	if (ret) {
		if (ret != -EPERM)
			err("cannot write %s: %s", path, strerror(-ret));
		close(fd);
	}
	return ret;
}

/* A new path or a regular file: a unique temporary beside it, renamed later. */
static int open_atomic(struct output *o, const char *path, const struct stat *lst, mode_t mode)
{
	const char *slash = strrchr(path, '/');
	char dir[4096], prefix[4096], name[4120];
	int dfd, fd, ret;

	if ((size_t)snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + 1 : 1,
			     slash ? path : ".") >= sizeof(dir))
		return -ENAMETOOLONG;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		ret = -errno;
		err("cannot write %s: %s", path, strerror(errno));
		return ret;
	}
	if (lst && fs_trust_of(lst) != FS_TRUSTED) {
		close(dfd);
		err("output %s is %s: refusing to replace it", path, fs_trust_of(lst) == FS_FOREIGN_OWNER
		    ? "owned by another user" : "writable by group or others");
		return -EPERM;
	}
	snprintf(prefix, sizeof(prefix), "%s.tmp", slash ? slash + 1 : path);
	fd = output_create_unique(dfd, prefix, mode, name, sizeof(name));
	close(dfd);
	if (fd < 0) {
		err("cannot write %s: %s", path, strerror(-fd));
		return fd;
	}
	if (asprintf(&o->tmp, "%s%s", slash ? dir : "", name) < 0 || !(o->f = fdopen(fd, "w"))) {
		ret = -ENOMEM;
		if (o->tmp)
			unlink(o->tmp);
		close(fd);
		err("cannot write %s: out of memory", path);
		return ret;
	}
	return 0;
}

int output_open(struct output *o, const char *path, mode_t mode)
{
	struct stat lst;
	int ret;

	memset(o, 0, sizeof(*o));
	if (!path || !strcmp(path, "-")) {
		o->f = stdout;
		return 0;
	}
	o->path = strdup(path);
	if (!o->path)
		return -ENOMEM;
	if (lstat(path, &lst)) {
		if (errno == ENOENT) {
			ret = open_atomic(o, path, NULL, mode);
		} else {
			ret = -errno;
			err("cannot write %s: %s", path, strerror(errno));
		}
	} else if (S_ISDIR(lst.st_mode)) {
		err("cannot write %s: it is a directory", path);
		ret = -EISDIR;
	} else if (S_ISREG(lst.st_mode)) {
		ret = open_atomic(o, path, &lst, mode);
	} else {
		ret = open_in_place(o, path, &lst);
	}
	if (ret)
		clear(o);
	return ret;
}

int output_commit(struct output *o)
{
	int ret = 0;

	if (!o->path)
		return fflush(stdout) ? -errno : 0;
	if (fflush(o->f) || (o->tmp && fsync(fileno(o->f))))
		ret = -errno;
	if (fclose(o->f) && !ret)
		ret = -errno;
	o->f = NULL;
	if (!ret && o->tmp && rename(o->tmp, o->path))
		ret = -errno;
	if (ret && o->tmp)
		err("writing %s: %s; what was written is kept in %s", o->path, strerror(-ret), o->tmp);
	else if (ret)
		err("writing %s: %s", o->path, strerror(-ret));
	clear(o);
	return ret;
}

void output_keep(struct output *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	if (o->tmp)
		err("the report could not be completed; what was written is in %s", o->tmp);
	clear(o);
}

void output_abort(struct output *o)
{
	if (o->path) {
		if (o->f)
			fclose(o->f);
		if (o->tmp)
			unlink(o->tmp);
	}
	clear(o);
}
