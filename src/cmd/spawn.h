/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Starts a command held just before execve, so the tracer can attach first
 * and count the command's very first syscall. */
#ifndef OSP_SPAWN_H
#define OSP_SPAWN_H

#include <sys/types.h>
#include <signal.h>

struct spawned {
	pid_t pid;
	int go_fd;		/* write a byte to let the child exec */
	int err_fd;		/* the child reports a failed exec here */
};

/* Resolves argv[0] on PATH like a shell; -ENOENT/-EACCES if it cannot run. */
int spawn_resolve(const char *name, char *out, size_t len);
/* Forks; the child restores *child_mask and waits for spawn_release. */
int spawn_held(const char *path, char *const argv[], const sigset_t *child_mask,
	       struct spawned *sp);
/* Waits until the child is blocked waiting for spawn_release. */
int spawn_wait_held(const struct spawned *sp);
/* Lets the child exec; returns 0 or the child's exec errno, negated. */
int spawn_release(struct spawned *sp);
/* Kills and reaps a held child that will never be released. */
void spawn_cancel(struct spawned *sp);

#endif
