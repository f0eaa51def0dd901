/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* GPU device nodes: which character-device majors are GPUs (from
 * /proc/devices, or --gpu-majors), names of device nodes, and decoding of
 * ioctl request numbers. */
#ifndef OSP_GPU_H
#define OSP_GPU_H

#include <stddef.h>
#include <stdint.h>

#define GPU_MAX_MAJORS	64

struct gpu_majors {
	int n;
	uint32_t major[GPU_MAX_MAJORS];
};

/* GPU drivers' majors in a /proc/devices text (character devices only). */
int gpu_majors_from_proc_devices(const char *text, struct gpu_majors *out);
/* The machine's default set: /proc/devices, plus NVIDIA's fixed 195. */
int gpu_majors_default(struct gpu_majors *out);
/* "195,509" or "none"; logs one line and returns -EINVAL if bad. */
int gpu_majors_parse(const char *list, struct gpu_majors *out);

struct ioc_fields {
	const char *dir;	/* "none", "w", "r", "rw" (from the caller's view) */
	uint32_t type, nr, size;
};
void ioc_decode(uint32_t request, struct ioc_fields *f);
/* A well-known driver request's name (NVIDIA resource manager), or NULL. */
const char *gpu_request_name(uint32_t request);
/* "/dev/nvidia0" for a device number, or "" if no node is found (remembered
 * per device for the life of the process: node names do not change). */
void gpu_device_name(uint32_t rdev, char *buf, size_t len);

#endif
