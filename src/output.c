// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "log.h"
#include "output.h"

int output_open(struct output *o, const char *path, mode_t mode)
{
	int fd, ret;

	memset(o, 0, sizeof(*o));
	if (!path || !strcmp(path, "-")) {
		o->f = stdout;
		return 0;
	}
	o->path = strdup(path);
	if (!o->path || asprintf(&o->tmp, "%s.tmp.XXXXXX", path) < 0) {
		free(o->path);
		o->path = NULL;
		return -ENOMEM;
	}
	/* mkstemp uses O_CREAT|O_EXCL: it never follows a planted symlink. */
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		ret = -errno;
		err("cannot write %s: %s", path, strerror(errno));
		goto err_free;
	}
	if (fchmod(fd, mode) || !(o->f = fdopen(fd, "w"))) {
		ret = -errno;
		err("cannot write %s: %s", path, strerror(errno));
		close(fd);
		unlink(o->tmp);
		goto err_free;
	}
	return 0;
err_free:
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
	return ret;
}

int output_commit(struct output *o)
{
	int ret = 0;

	if (!o->path)
		return fflush(stdout) ? -errno : 0;
	if (fflush(o->f) || fsync(fileno(o->f)))
		ret = -errno;
	if (fclose(o->f) && !ret)
		ret = -errno;
	o->f = NULL;
	if (!ret && rename(o->tmp, o->path))
		ret = -errno;
	if (ret) {
		err("writing %s: %s", o->path, strerror(-ret));
		unlink(o->tmp);
	}
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
	return ret;
}

void output_abort(struct output *o)
{
	if (o->path) {
		if (o->f)
			fclose(o->f);
		unlink(o->tmp);
	}
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
}
