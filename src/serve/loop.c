// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include "base/log.h"
#include "serve/loop.h"

#define LOOP_MAX_EVENTS	16

static int watch(int efd, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(efd, EPOLL_CTL_ADD, fd, &ev);
}

int loop_open(struct loop *l, double tick_s, const int *fds, int nfds)
{
	struct itimerspec its = {};
	int i;

	its.it_interval.tv_sec = (time_t)tick_s;
	its.it_interval.tv_nsec = (long)((tick_s - (time_t)tick_s) * 1e9);
	its.it_value = its.it_interval;
	l->efd = epoll_create1(EPOLL_CLOEXEC);
	l->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (l->efd < 0 || l->tfd < 0 || timerfd_settime(l->tfd, 0, &its, NULL) || watch(l->efd, l->tfd))
		goto fail;
	for (i = 0; i < nfds; i++)
		if (fds[i] >= 0 && watch(l->efd, fds[i]))
			goto fail;
	return 0;
fail:
	err("event loop: %s", strerror(errno));
	return -errno;
}

int loop_wait(struct loop *l, int *ready, int max)
{
	struct epoll_event evs[LOOP_MAX_EVENTS];
	uint64_t ticks;
	int n, i, k = 0;

	do
		n = epoll_wait(l->efd, evs, max < LOOP_MAX_EVENTS ? max : LOOP_MAX_EVENTS, -1);
	while (n < 0 && errno == EINTR);	/* a stray signal is not a reason to quit */
	if (n < 0) {
		err("epoll_wait: %s", strerror(errno));
		return -errno;
	}
	for (i = 0; i < n; i++) {
		if (evs[i].data.fd == l->tfd && read(l->tfd, &ticks, sizeof(ticks)) < 0) {
			if (errno == EAGAIN)
				continue;	/* no expiry after all */
			err("timer: %s", strerror(errno));
			return -errno;
		}
		ready[k++] = evs[i].data.fd;
	}
	return k;
}

void loop_close(struct loop *l)
{
	if (l->tfd >= 0)
		close(l->tfd);
	if (l->efd >= 0)
		close(l->efd);
	l->efd = l->tfd = -1;
}
