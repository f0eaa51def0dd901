// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include "base/log.h"
#include "load/privilege.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON	38
#endif
#ifndef CAP_BPF
#define CAP_BPF		39
#endif

static int effective(cap_t caps, cap_value_t cap)
{
	cap_flag_value_t v = CAP_CLEAR;

	return caps && !cap_get_flag(caps, cap, CAP_EFFECTIVE, &v) && v == CAP_SET;
}

int privilege_check(void)
{
	cap_t caps = cap_get_proc();
	int bpf = effective(caps, CAP_BPF), perfmon = effective(caps, CAP_PERFMON);
	int admin = effective(caps, CAP_SYS_ADMIN);

	cap_free(caps);
	if (admin || (bpf && perfmon))
		return 0;
	err("loading BPF programs needs CAP_BPF and CAP_PERFMON: missing %s%s%s (run as root, "
	    "or grant them: setpriv --inh-caps=+bpf,+perfmon --ambient-caps=+bpf,+perfmon)",
	    bpf ? "" : "CAP_BPF", !bpf && !perfmon ? " and " : "", perfmon ? "" : "CAP_PERFMON");
	return -EPERM;
}

int privilege_drop(bool keep_ptrace)
{
	cap_t none = cap_init(), caps = cap_get_proc();
	cap_value_t c, ptrace = CAP_SYS_PTRACE;
	int ret = 0;

	/* --stacks reads the targets' /proc/PID/maps and binaries: that is a
	 * ptrace-mode read of processes that may hold more capabilities. */
	if (keep_ptrace && none && effective(caps, CAP_SYS_PTRACE) &&
	    (cap_set_flag(none, CAP_EFFECTIVE, 1, &ptrace, CAP_SET) ||
	     cap_set_flag(none, CAP_PERMITTED, 1, &ptrace, CAP_SET)))
		ret = -errno;

	/* The bounding set can only be emptied while CAP_SETPCAP is held. */
	if (caps && effective(caps, CAP_SETPCAP))
		for (c = 0; c <= CAP_LAST_CAP; c++)
			cap_drop_bound(c);
	if (cap_reset_ambient() && errno != EINVAL)
		ret = -errno;
	if (!ret && (!none || cap_set_proc(none)))
		ret = -errno;
	if (!ret && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		ret = -errno;
	cap_free(caps);
	cap_free(none);
	if (ret)
		err("dropping privileges after attach: %s", strerror(-ret));
	else
		dbg("attached: every capability dropped%s, no-new-privileges set",
		    keep_ptrace ? " but CAP_SYS_PTRACE" : "");
	return ret;
}
