/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The event loop every long-running command has: one epoll set over the
 * fds it serves (signalfd, ring buffer, sockets) and a periodic timer. */
#ifndef OSP_LOOP_H
#define OSP_LOOP_H

struct loop {
	int efd;
	int tfd;	/* the timer: reported by loop_wait like any other fd */
};

/* Watches fds[0..nfds) for input and ticks every tick_s seconds. Logs one
 * line and returns -errno on failure (loop_close is still safe). */
int loop_open(struct loop *l, double tick_s, const int *fds, int nfds);
/* Waits for fds with input (an interrupted wait is retried) and stores up
 * to max of them in ready; a timer expiry is consumed and reported as
 * l->tfd. Returns how many, or -errno after logging. */
int loop_wait(struct loop *l, int *ready, int max);
void loop_close(struct loop *l);

#endif
