// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "model/gpu.h"
#include "base/log.h"


/* Driver names in /proc/devices that are GPUs or accelerators. */
static int is_gpu_driver(const char *name)
{
	static const char *const exact[] = { "drm", "kfd", "accel", "habanalabs", "dxg" };
	size_t i;

	if (!strncmp(name, "nvidia", 6))	/* nvidia, nvidia-uvm, nvidia-caps, ... */
		return 1;
	for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (!strcmp(name, exact[i]))
			return 1;
	return 0;
}

static void add_major(struct gpu_majors *g, uint32_t m)
{
	int i;

	for (i = 0; i < g->n; i++)
		if (g->major[i] == m)
			return;
	if (g->n < GPU_MAX_MAJORS)
		g->major[g->n++] = m;
}

int gpu_majors_from_proc_devices(const char *text, struct gpu_majors *out)
{
	const char *line = text, *next;
	int in_char = 0;
	char name[64];
	unsigned int m;

	memset(out, 0, sizeof(*out));
	for (; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			next++;
		if (!strncmp(line, "Character devices:", 18))
			in_char = 1;
		else if (!strncmp(line, "Block devices:", 14))
			in_char = 0;
		else if (in_char && sscanf(line, "%u %63s", &m, name) == 2 && m < 4096 &&
			 is_gpu_driver(name))
			add_major(out, m);
	}
	return out->n;
}

int gpu_majors_default(struct gpu_majors *out)
{
	char buf[16384];
	size_t n = 0;
	FILE *f = fopen("/proc/devices", "re");

	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	/* Only drivers this host has: elsewhere GPU attribution is compiled out
	 * of the hot path (ioctl and mmap then never walk the fd table). */
	gpu_majors_from_proc_devices(buf, out);
	return out->n;
}

int gpu_majors_parse(const char *list, struct gpu_majors *out)
{
	char *copy, *tok, *save = NULL, *end;
	unsigned long v;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (!strcmp(list, "none"))
		return 0;
	copy = strdup(list);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		errno = 0;
		v = strtoul(tok, &end, 10);
		if (errno || end == tok || *end || v >= 4096 || out->n == GPU_MAX_MAJORS) {
			err("bad --gpu-majors '%s': expected 'none' or majors 0..4095 separated by commas",
			    list);
			ret = -EINVAL;
			break;
		}
		add_major(out, (uint32_t)v);
	}
	if (!ret && !out->n) {
		err("bad --gpu-majors '%s': expected 'none' or majors separated by commas", list);
		ret = -EINVAL;
	}
	free(copy);
	return ret;
}

/* The kernel's asm-generic _IOC layout: nr 8 bits, type 8, size 14, dir 2. */
void ioc_decode(uint32_t request, struct ioc_fields *f)
{
	static const char *const dirs[] = { "none", "w", "r", "rw" };

	f->nr = request & 0xff;
	f->type = (request >> 8) & 0xff;
	f->size = (request >> 16) & 0x3fff;
	f->dir = dirs[(request >> 30) & 3];
}

/*
 * NVIDIA's escape numbers, from the open kernel modules' headers
 * (NVIDIA/open-gpu-kernel-modules: src/nvidia/arch/nvalloc/unix/include/
 * nv_escape.h and kernel-open/common/inc/nv-ioctl-numbers.h). The driver
 * encodes them as _IOWR('F', escape, params).
 */
static const struct { uint32_t nr; const char *name; } nv_escapes[] = {
	{ 0x27, "NV_ESC_RM_ALLOC_MEMORY" },	{ 0x28, "NV_ESC_RM_ALLOC_OBJECT" },
	{ 0x29, "NV_ESC_RM_FREE" },		{ 0x2A, "NV_ESC_RM_CONTROL" },
	{ 0x2B, "NV_ESC_RM_ALLOC" },		{ 0x32, "NV_ESC_RM_CONFIG_GET" },
	{ 0x33, "NV_ESC_RM_CONFIG_SET" },	{ 0x34, "NV_ESC_RM_DUP_OBJECT" },
	{ 0x35, "NV_ESC_RM_SHARE" },		{ 0x37, "NV_ESC_RM_CONFIG_GET_EX" },
	{ 0x38, "NV_ESC_RM_CONFIG_SET_EX" },	{ 0x39, "NV_ESC_RM_I2C_ACCESS" },
	{ 0x41, "NV_ESC_RM_IDLE_CHANNELS" },	{ 0x4A, "NV_ESC_RM_VID_HEAP_CONTROL" },
	{ 0x4D, "NV_ESC_RM_ACCESS_REGISTRY" },	{ 0x4E, "NV_ESC_RM_MAP_MEMORY" },
	{ 0x4F, "NV_ESC_RM_UNMAP_MEMORY" },	{ 0x52, "NV_ESC_RM_GET_EVENT_DATA" },
	{ 0x54, "NV_ESC_RM_ALLOC_CONTEXT_DMA2" }, { 0x56, "NV_ESC_RM_ADD_VBLANK_CALLBACK" },
	{ 0x57, "NV_ESC_RM_MAP_MEMORY_DMA" },	{ 0x58, "NV_ESC_RM_UNMAP_MEMORY_DMA" },
	{ 0x59, "NV_ESC_RM_BIND_CONTEXT_DMA" },	{ 0x5C, "NV_ESC_RM_EXPORT_OBJECT_TO_FD" },
	{ 0x5D, "NV_ESC_RM_IMPORT_OBJECT_FROM_FD" }, { 0x5E, "NV_ESC_RM_UPDATE_DEVICE_MAPPING_INFO" },
	{ 200, "NV_ESC_CARD_INFO" },		{ 201, "NV_ESC_REGISTER_FD" },
	{ 206, "NV_ESC_ALLOC_OS_EVENT" },	{ 207, "NV_ESC_FREE_OS_EVENT" },
	{ 209, "NV_ESC_STATUS_CODE" },		{ 210, "NV_ESC_CHECK_VERSION_STR" },
	{ 211, "NV_ESC_IOCTL_XFER_CMD" },	{ 212, "NV_ESC_ATTACH_GPUS_TO_FD" },
	{ 213, "NV_ESC_QUERY_DEVICE_INTR" },	{ 214, "NV_ESC_SYS_PARAMS" },
	{ 217, "NV_ESC_EXPORT_TO_DMABUF_FD" },	{ 218, "NV_ESC_WAIT_OPEN_COMPLETE" },
};

const char *gpu_request_name(uint32_t request)
{
	struct ioc_fields f;
	size_t i;

	ioc_decode(request, &f);
	if (f.type != 'F')
		return NULL;
	for (i = 0; i < sizeof(nv_escapes) / sizeof(nv_escapes[0]); i++)
		if (nv_escapes[i].nr == f.nr)
			return nv_escapes[i].name;
	return NULL;
}

static int find_in(const char *dir, dev_t want, char *buf, size_t len)
{
	char path[512];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (!lstat(path, &st) && S_ISCHR(st.st_mode) && st.st_rdev == want) {
			snprintf(buf, len, "%s", path);
			closedir(d);
			return 1;
		}
	}
	closedir(d);
	return 0;
}

/* Names found (or not) so far: every report view asks, every poll in the
 * daemon, and a scan of /dev each time would be the poll's largest cost. */
#define GPU_NAME_CACHE	64
static struct {
	uint32_t rdev;
	bool used;
	char name[64];
} name_cache[GPU_NAME_CACHE];

void gpu_device_name(uint32_t rdev, char *buf, size_t len)
{
	/* The kernel's dev_t (major << 20 | minor) as userspace's dev_t. */
	dev_t want = makedev(rdev >> 20, rdev & 0xfffff);
	int i;

	for (i = 0; i < GPU_NAME_CACHE && name_cache[i].used; i++)
		if (name_cache[i].rdev == rdev) {
			snprintf(buf, len, "%s", name_cache[i].name);
			return;
		}
	buf[0] = '\0';
	if (!find_in("/dev", want, buf, len))
		find_in("/dev/dri", want, buf, len);
	if (i < GPU_NAME_CACHE) {
		name_cache[i].rdev = rdev;
		name_cache[i].used = true;
		snprintf(name_cache[i].name, sizeof(name_cache[i].name), "%s", buf);
	}
}
