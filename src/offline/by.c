// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* One saved report broken down by category, syscall, process or phase. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "offline/jread.h"
#include "offline/tables.h"
#include "sink/text.h"
#include "base/log.h"

void stack_frames_text(struct json_object *frames, const char *sep, char *out, size_t len)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < jlen(frames) && used < len; i++) {
		struct json_object *fr = jat(frames, i);

		if (*jstr(fr, "symbol"))
			used += (size_t)snprintf(out + used, len - used, "%s%s", i ? sep : "", jstr(fr, "symbol"));
		else
			used += (size_t)snprintf(out + used, len - used, "%s%s+0x%llx", i ? sep : "", jstr(fr, "module"),
						 (unsigned long long)jnum(fr, "offset"));
	}
}

int report_by(struct json_object *r, const char *by, const char *fmt)
{
	struct json_object *arr, *out = json_object_new_array();
	char frames[8192];
	const char *key = !strcmp(by, "category") ? "categories" : !strcmp(by, "syscall") ? "syscalls"
			: !strcmp(by, "process") ? "processes" : !strcmp(by, "cgroup") ? "cgroups"
			: !strcmp(by, "object") ? "objects" : !strcmp(by, "stack") ? "stacks" : "phases";
	size_t i;

	if (!strcmp(by, "stack") && !json_object_get_boolean(json_object_object_get(r, "stacks_collected"))) {
		err("this report has no stacks (record it with --stacks)");
		json_object_put(out);
		return 1;
	}
	arr = jarr(r, key);
	if (!strcmp(by, "phase")) {
		struct json_object *ph = jobj(r, key), *col = ph ? json_object_object_get(ph, "collected") : NULL;

		if (!json_object_is_type(col, json_type_boolean) || !json_object_get_boolean(col)) {
			err("this report has no phases (record it with --phases)");
			json_object_put(out);
			return 1;
		}
		arr = jarr(ph, "list");
	}
	if (!strcmp(fmt, "table")) {
		if (!strcmp(by, "process"))
			printf("%8s %-16s %10s %14s %10s %12s\n", "PID", "Command", "Calls", "Syscall ns",
			       "Faults", "Peak RSS kB");
		else if (!strcmp(by, "phase"))
			printf("%-24s %6s %14s %10s %14s\n", "Phase", "Marks", "Wall ns", "Calls", "Syscall ns");
		else if (!strcmp(by, "cgroup"))
			printf("%-12s %-14s %6s %10s %14s %14s  %s\n", "Runtime", "Container", "Procs", "Calls",
			       "Syscall ns", "Bytes", "Cgroup");
		else if (!strcmp(by, "object"))
			printf("%-8s %8s %10s %8s %14s %14s  %s\n", "Kind", "PID", "Calls", "Errors", "Total ns",
			       "Bytes", "Name");
		else if (!strcmp(by, "stack"))
			printf("%14s %10s %-16s %8s %-16s  %s\n", "Total ns", "Calls", "Syscall", "PID", "Command",
			       "Stack (innermost first)");
		else
			printf("%8s %14s %10s %8s %12s %12s %12s  %s\n", "Time (%)", "Total ns", "Num Calls",
			       "Errors", "Avg ns", "Med ns", "P99 ns", "Name");
	} else if (!strcmp(fmt, "csv")) {
		printf("%s\n", !strcmp(by, "process") ? "pid,comm,syscalls,syscall_ns,page_faults,peak_rss_bytes"
		       : !strcmp(by, "phase") ? "phase,marks,wall_ns,calls,syscall_ns"
		       : !strcmp(by, "cgroup") ? "cgroup,runtime,container_id,pod_uid,processes,syscalls,syscall_ns,bytes"
		       : !strcmp(by, "object") ? "kind,pid,name,count,errors,total_ns,offcpu_ns,bytes"
		       : !strcmp(by, "stack") ? "category,syscall,pid,comm,count,total_ns,offcpu_ns,frames"
		       : "name,count,errors,total_ns,mean_ns,p50_ns,p99_ns,time_pct");
	}
	for (i = 0; i < jlen(arr); i++) {
		struct json_object *e = jat(arr, i), *pf, *t;

		if (!strcmp(by, "process")) {
			pf = jobj(e, "page_faults");
			if (!strcmp(fmt, "table"))
				printf("%8.0f %-16s %10.0f %14.0f %10.0f %12.0f\n", jnum(e, "pid"), jstr(e, "comm"),
				       jnum(e, "syscalls"), jnum(e, "syscall_ns"), jnum(pf, "minor") + jnum(pf, "major"),
				       jnum(e, "peak_rss_bytes") / 1024);
			else if (!strcmp(fmt, "csv"))
				printf("%.0f,%s,%.0f,%.0f,%.0f,%.0f\n", jnum(e, "pid"), jstr(e, "comm"),
				       jnum(e, "syscalls"), jnum(e, "syscall_ns"),
				       jnum(pf, "minor") + jnum(pf, "major"), jnum(e, "peak_rss_bytes"));
		} else if (!strcmp(by, "cgroup")) {
			if (!strcmp(fmt, "table"))
				printf("%-12s %-14.12s %6.0f %10.0f %14.0f %14.0f  %s\n", *jstr(e, "runtime") ?
				       jstr(e, "runtime") : "-", jstr(e, "container_id"), jnum(e, "processes"),
				       jnum(e, "syscalls"), jnum(e, "syscall_ns"), jnum(e, "bytes"), jstr(e, "path"));
			else if (!strcmp(fmt, "csv")) {
				text_csv_field(stdout, jstr(e, "path"));
				printf(",%s,%s,%s,%.0f,%.0f,%.0f,%.0f\n", jstr(e, "runtime"), jstr(e, "container_id"),
				       jstr(e, "pod_uid"), jnum(e, "processes"), jnum(e, "syscalls"),
				       jnum(e, "syscall_ns"), jnum(e, "bytes"));
			}
		} else if (!strcmp(by, "object")) {
			if (!strcmp(fmt, "table"))
				printf("%-8s %8.0f %10.0f %8.0f %14.0f %14.0f  %s\n", jstr(e, "kind"), jnum(e, "pid"),
				       jnum(e, "count"), jnum(e, "errors"), jnum(e, "total_ns"), jnum(e, "bytes"),
				       jstr(e, "name"));
			else if (!strcmp(fmt, "csv")) {
				printf("%s,%.0f,", jstr(e, "kind"), jnum(e, "pid"));
				text_csv_field(stdout, jstr(e, "name"));
				printf(",%.0f,%.0f,%.0f,%.0f,%.0f\n", jnum(e, "count"), jnum(e, "errors"),
				       jnum(e, "total_ns"), jnum(e, "offcpu_ns"), jnum(e, "bytes"));
			}
		} else if (!strcmp(by, "stack")) {
			if (!strcmp(fmt, "table")) {
				stack_frames_text(jarr(e, "frames"), " <- ", frames, sizeof(frames));
				printf("%14.0f %10.0f %-16s %8.0f %-16s  %s\n", jnum(e, "total_ns"), jnum(e, "count"),
				       jstr(e, "syscall"), jnum(e, "pid"), jstr(e, "comm"), frames);
			} else if (!strcmp(fmt, "csv")) {
				printf("%s,%s,%.0f,", jstr(e, "category"), jstr(e, "syscall"), jnum(e, "pid"));
				text_csv_field(stdout, jstr(e, "comm"));
				stack_frames_text(jarr(e, "frames"), ";", frames, sizeof(frames));
				printf(",%.0f,%.0f,%.0f,", jnum(e, "count"), jnum(e, "total_ns"), jnum(e, "offcpu_ns"));
				text_csv_field(stdout, frames);
				putchar('\n');
			}
		} else if (!strcmp(by, "phase")) {
			t = jobj(e, "totals");
			if (!strcmp(fmt, "table"))
				printf("%-24s %6.0f %14.0f %10.0f %14.0f\n", jstr(e, "name"), jnum(e, "marks"),
				       jnum(e, "wall_ns"), jnum(t, "count"), jnum(t, "total_ns"));
			else if (!strcmp(fmt, "csv"))
				printf("%s,%.0f,%.0f,%.0f,%.0f\n", jstr(e, "name"), jnum(e, "marks"),
				       jnum(e, "wall_ns"), jnum(t, "count"), jnum(t, "total_ns"));
		} else {
			if (!(jnum(e, "count") > 0))
				continue;
			if (!strcmp(fmt, "table"))
				printf("%8.1f %14.0f %10.0f %8.0f %12.1f %12.0f %12.0f  %s%s%s%s\n",
				       jnum(e, "time_pct"), jnum(e, "total_ns"), jnum(e, "count"),
				       jnum(e, "errors"), jnum(e, "mean_ns"), jnum(e, "p50_ns"), jnum(e, "p99_ns"),
				       jstr(e, "name"), *jstr(e, "category") ? " (" : "", jstr(e, "category"),
				       *jstr(e, "category") ? ")" : "");
			else if (!strcmp(fmt, "csv"))
				printf("%s,%.0f,%.0f,%.0f,%.1f,%.0f,%.0f,%.3f\n", jstr(e, "name"), jnum(e, "count"),
				       jnum(e, "errors"), jnum(e, "total_ns"), jnum(e, "mean_ns"), jnum(e, "p50_ns"),
				       jnum(e, "p99_ns"), jnum(e, "time_pct"));
		}
		json_object_array_add(out, json_object_get(e));
	}
	if (!strcmp(fmt, "json"))
		puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY));
	json_object_put(out);
	return 0;
}

