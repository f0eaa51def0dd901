// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "log.h"
#include "snapdir.h"

#define PREFIX	"snapshot-"

struct snapdir {
	char *path;
	int fd;
	int keep;
};

struct snapdir *snapdir_open(const char *path, int keep)
{
	struct snapdir *d = calloc(1, sizeof(*d));
	char probe[] = ".osiprof-probe";
	int fd;

	if (!d)
		return NULL;
	if (mkdir(path, 0750) && errno != EEXIST) {
		err("cannot create output directory %s: %s", path, strerror(errno));
		goto err;
	}
	d->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d->path = realpath(path, NULL);
	if (d->fd < 0 || !d->path) {
		err("cannot open output directory %s: %s", path, strerror(errno));
		goto err;
	}
	/* Refuse an unwritable directory now rather than at the first signal. */
	fd = openat(d->fd, probe, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0640);
	if (fd < 0) {
		err("cannot write to output directory %s: %s", path, strerror(errno));
		goto err;
	}
	close(fd);
	unlinkat(d->fd, probe, 0);
	d->keep = keep;
	return d;
err:
	snapdir_close(d);
	return NULL;
}

const char *snapdir_path(const struct snapdir *d)
{
	return d->path;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Removes our oldest snapshots beyond `keep` (names sort by time). */
static void prune(struct snapdir *d)
{
	char **names = NULL;
	struct dirent *de;
	int n = 0, i, fd;
	DIR *dir;

	fd = dup(d->fd);
	dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dir) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(dir))) {
		size_t len = strlen(de->d_name);
		char **nn;

		if (strncmp(de->d_name, PREFIX, strlen(PREFIX)) || len < 5 ||
		    strcmp(de->d_name + len - 5, ".json"))
			continue;
		nn = realloc(names, (n + 1) * sizeof(*names));
		if (!nn)
			break;
		names = nn;
		names[n++] = strdup(de->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		if (i < n - d->keep && names[i])
			unlinkat(d->fd, names[i], 0);
		free(names[i]);
	}
	free(names);
}

int snapdir_write(struct snapdir *d, uint64_t seq, const char *text, const char **name)
{
	static char final[128];
	char tmp[160];
	struct timespec ts;
	size_t len = strlen(text), off = 0;
	struct tm tm;
	ssize_t n;
	int fd, ret = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(final, sizeof(final), PREFIX "%04d%02d%02dT%02d%02d%02d.%03ldZ-%d-%lu.json",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 ts.tv_nsec / 1000000, getpid(), (unsigned long)seq);
	snprintf(tmp, sizeof(tmp), ".%s.tmp", final);
	fd = openat(d->fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	while (off < len) {
		n = write(fd, text + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		off += (size_t)n;
	}
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && renameat(d->fd, tmp, d->fd, final))
		ret = -errno;
	if (ret) {
		unlinkat(d->fd, tmp, 0);
		goto out;
	}
	/* latest.json -> this snapshot, swapped in one rename. */
	unlinkat(d->fd, ".latest.json.tmp", 0);
	if (symlinkat(final, d->fd, ".latest.json.tmp") ||
	    renameat(d->fd, ".latest.json.tmp", d->fd, "latest.json"))
		warn("cannot update %s/latest.json: %s", d->path, strerror(errno));
	prune(d);
	*name = final;
	return 0;
out:
	err("writing a snapshot in %s failed: %s (the previous snapshot is intact)", d->path,
	    strerror(-ret));
	return ret;
}

void snapdir_close(struct snapdir *d)
{
	if (!d)
		return;
	if (d->fd >= 0)
		close(d->fd);
	free(d->path);
	free(d);
}

int snapdir_find(const char *path, pid_t pid, uint64_t seq, char *out, size_t len)
{
	char suffix[64];
	struct dirent *de;
	size_t sl;
	DIR *dir;
	int ret = -ENOENT;

	snprintf(suffix, sizeof(suffix), "-%d-%lu.json", pid, (unsigned long)seq);
	sl = strlen(suffix);
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		size_t l = strlen(de->d_name);

		if (!strncmp(de->d_name, PREFIX, strlen(PREFIX)) && l > sl &&
		    !strcmp(de->d_name + l - sl, suffix)) {
			snprintf(out, len, "%s/%s", path, de->d_name);
			ret = 0;
			break;
		}
	}
	closedir(dir);
	return ret;
}
