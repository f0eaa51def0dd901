// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <string.h>
#include "collect/timeline_feed.h"
#include "model/timeline.h"

static void feed_span(struct timeline *t, const struct osp_ev_slow *e, struct tl_event *o)
{
	o->ts_ns = e->ts_ns;
	o->pid = e->pid;
	o->tid = e->tid;
	o->slot = e->slot;
	memcpy(o->comm, e->comm, sizeof(o->comm));
	switch (e->type) {
	case OSP_EV_SLOW:
	case OSP_EV_OFFCPU:
		if (e->latency_ns < t->threshold_ns)
			return;		/* below ours (the daemon's event log may go lower) */
		o->kind = e->type == OSP_EV_SLOW ? TL_SYSCALL : TL_OFFCPU;
		o->dur_ns = e->latency_ns;
		o->ret = e->ret;
		o->arg0 = e->arg0;
		o->offcpu_ns = e->offcpu_ns;
		break;
	case OSP_EV_FORK:
		o->kind = TL_FORK;
		o->ret = e->ret;
		break;
	default:
		o->kind = TL_PHASE;
	}
	timeline_push(t, o);
}

void timeline_feed(struct timeline *t, const void *data, size_t len)
{
	const __u32 *type = data;
	struct tl_event o = {};
	const char *slash;

	if (!t || len < sizeof(*type))
		return;
	switch (*type) {
	case OSP_EV_SLOW:
	case OSP_EV_OFFCPU:
	case OSP_EV_FORK:
	case OSP_EV_PHASE:
		if (len >= sizeof(struct osp_ev_slow))
			feed_span(t, data, &o);
		return;
	case OSP_EV_EXEC:
		if (len >= sizeof(struct osp_ev_exec)) {
			const struct osp_ev_exec *e = data;

			o = (struct tl_event){ .ts_ns = e->ts_ns, .kind = TL_EXEC, .pid = e->pid,
					       .tid = e->pid };
			memcpy(o.comm, e->comm, sizeof(o.comm));
			slash = strrchr(e->filename, '/');
			snprintf(o.text, sizeof(o.text), "%.*s", (int)sizeof(o.text) - 1,
				 slash ? slash + 1 : e->filename);
			timeline_push(t, &o);
		}
		return;
	case OSP_EV_EXIT:
		if (len >= sizeof(struct osp_ev_exit)) {
			const struct osp_ev_exit *e = data;

			o = (struct tl_event){ .ts_ns = e->ts_ns, .kind = TL_EXIT, .pid = e->pid,
					       .tid = e->pid, .ret = e->proc.exit_code };
			memcpy(o.comm, e->proc.comm, sizeof(o.comm));
			timeline_push(t, &o);
		}
		return;
	}
}
