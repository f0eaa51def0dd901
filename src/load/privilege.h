/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* What osiprof needs of the kernel's privileges, and giving them up.
 * Loading and attaching needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN);
 * once attached, nothing: maps are read through their fds, targets are
 * marked through pidfds, /proc/PID/{stat,status,comm} are world-readable. */
#ifndef OSP_PRIVILEGE_H
#define OSP_PRIVILEGE_H

#include <stdbool.h>

/* 0, or -EPERM after one line naming every missing capability. */
int privilege_check(void);
/* Drops every capability (effective, permitted, inheritable, ambient and,
 * where allowed, the bounding set) but, with keep_ptrace, CAP_SYS_PTRACE
 * (reading other processes' mappings), and sets no-new-privileges. */
int privilege_drop(bool keep_ptrace);

#endif
