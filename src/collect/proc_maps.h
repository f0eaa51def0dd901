/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The files mapped into one process, one range per file (dev, inode): from
 * /proc/PID/maps, from the BPF side's mapping events, or both. A file's
 * range runs from its load base (a mapping's start less its file offset:
 * the dynamic loader's first mapping of a file is at offset 0) to its last
 * mapping's end, which is how libdwfl wants a module reported. */
#ifndef OSP_PROC_MAPS_H
#define OSP_PROC_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mapping {
	uint64_t low, high;
	uint32_t dev;			/* major << 20 | minor, as the kernel's dev_t */
	uint64_t ino;
	char *path;
	bool exec;			/* some of it is mapped executable: a module */
};

struct proc_maps {
	struct mapping *v;
	size_t n, cap;
};

/* [start, end) of the file (dev, ino) at file offset pgoff, executable or
 * not. 1 if the set changed, 0 if it already covered it, -ENOMEM. Only a
 * file with an executable mapping is a module (a data file mapped, such as
 * ld.so.cache, then unmapped, must not claim its addresses). */
int proc_maps_add(struct proc_maps *m, uint64_t start, uint64_t end, uint64_t pgoff, uint32_t dev,
		  uint64_t ino, const char *path, bool exec);
/* The file-backed lines of /proc/PID/maps text. Changed lines, or -ENOMEM. */
int proc_maps_parse(struct proc_maps *m, const char *text);
/* The modules as /proc/PID/maps lines (one per executable file, by
 * address), malloc'd; NULL when there is none or out of memory. */
char *proc_maps_text(const struct proc_maps *m, size_t *len);
int proc_maps_copy(struct proc_maps *dst, const struct proc_maps *src);
void proc_maps_free(struct proc_maps *m);

#endif
