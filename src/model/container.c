// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "model/container.h"

static bool hex64(const char *s, size_t n)
{
	size_t i;

	if (n != 64)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* "<prefix><64 hex>.scope" -> the ID. */
static bool scoped(const char *c, size_t n, const char *prefix, char *id, size_t len)
{
	size_t p = strlen(prefix);

	if (n != p + 64 + 6 || strncmp(c, prefix, p) || strncmp(c + p + 64, ".scope", 6) ||
	    !hex64(c + p, 64))
		return false;
	snprintf(id, len, "%.64s", c + p);
	return true;
}

/* "...pod<uid>.slice" or "pod<uid>": the UID with '_' as '-' (systemd
 * escapes dashes in slice names). */
static bool pod_of(const char *c, size_t n, char *uid, size_t len)
{
	const char *p = NULL, *q;
	size_t i, k;

	for (q = c; q + 3 <= c + n; q++)
		if (!strncmp(q, "pod", 3) && (q == c || q[-1] == '-'))
			p = q + 3;
	if (!p)
		return false;
	k = (size_t)(c + n - p);
	if (k > 6 && !strncmp(c + n - 6, ".slice", 6))
		k -= 6;
	if (k != 36 || len < 37)
		return false;
	for (i = 0; i < k; i++)
		uid[i] = p[i] == '_' ? '-' : p[i];
	uid[k] = '\0';
	return true;
}

void container_of_cgroup(const char *path, struct container_info *out)
{
	static const struct { const char *prefix, *runtime; } scopes[] = {
		{ "docker-", "docker" }, { "cri-containerd-", "containerd" },
		{ "crio-", "cri-o" }, { "libpod-", "podman" },
	};
	const char *c = path, *e, *prev = NULL;
	size_t n, prev_n = 0, i;
	bool kube = false;

	memset(out, 0, sizeof(*out));
	while (*c) {
		while (*c == '/')
			c++;
		if (!*c)
			break;
		e = strchr(c, '/');
		n = e ? (size_t)(e - c) : strlen(c);
		if (!strncmp(c, "kubepods", 8))
			kube = true;
		pod_of(c, n, out->pod_uid, sizeof(out->pod_uid));
		for (i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++)
			if (scoped(c, n, scopes[i].prefix, out->id, sizeof(out->id)))
				out->runtime = scopes[i].runtime;
		if (hex64(c, n)) {	/* cgroupfs drivers: the bare ID */
			snprintf(out->id, sizeof(out->id), "%.64s", c);
			out->runtime = prev && prev_n == 6 && !strncmp(prev, "docker", 6) ? "docker"
				       : kube ? "cri" : out->runtime;
		}
		prev = c;
		prev_n = n;
		c += n;
	}
	if (out->runtime || !prev)
		return;
	/* No container: a systemd unit names the job. */
	if ((prev_n > 6 && !strncmp(prev + prev_n - 6, ".scope", 6)) ||
	    (prev_n > 8 && !strncmp(prev + prev_n - 8, ".service", 8)) ||
	    (prev_n > 6 && !strncmp(prev + prev_n - 6, ".slice", 6))) {
		out->runtime = "systemd";
		snprintf(out->id, sizeof(out->id), "%.*s", (int)prev_n, prev);
	}
}
