/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* What a cgroup path says about who runs in it: the container runtime and
 * container ID (docker, containerd/CRI, CRI-O, podman), the Kubernetes pod
 * UID, or the systemd unit. */
#ifndef OSP_CONTAINER_H
#define OSP_CONTAINER_H

struct container_info {
	const char *runtime;	/* "docker", "containerd", "cri-o", "podman", "cri", "systemd" or NULL */
	char id[128];		/* the container ID (64 hex digits), or the systemd unit */
	char pod_uid[40];	/* "" outside Kubernetes */
};

/* From a cgroup v2 path such as
 *   /system.slice/docker-<id>.scope            (docker, systemd driver)
 *   /docker/<id>                               (docker, cgroupfs driver)
 *   /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice/cri-containerd-<id>.scope
 *   /kubepods/besteffort/pod<uid>/<id>         (cgroupfs driver)
 *   /machine.slice/libpod-<id>.scope, .../crio-<id>.scope
 *   /system.slice/nginx.service, /user.slice/user-1000.slice/session-2.scope */
void container_of_cgroup(const char *path, struct container_info *out);

#endif
