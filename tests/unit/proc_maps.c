// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* A process's mapped files: one range per file from its load base, from
 * /proc/PID/maps lines and mapping events alike. */
#include "testlib.h"
#include "collect/proc_maps.h"

/* A library as the dynamic loader maps it: the whole span at offset 0,
 * then its segments over it; and the heap, stack and vdso, ignored. */
static const char maps[] =
	"55d0c0000000-55d0c0001000 r--p 00000000 fd:01 1234 /usr/bin/app\n"
	"55d0c0001000-55d0c0002000 r-xp 00001000 fd:01 1234 /usr/bin/app\n"
	"55d0c0003000-55d0c0004000 rw-p 00002000 fd:01 1234 /usr/bin/app\n"
	"55d0c1000000-55d0c1021000 rw-p 00000000 00:00 0 [heap]\n"
	"7f0000000000-7f0000028000 r--p 00000000 fd:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f0000028000-7f000019d000 r-xp 00028000 fd:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f00001f5000-7f00001f9000 r--p 001f4000 fd:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0 [stack]\n"
	"7ffd00100000-7ffd00102000 r-xp 00000000 00:00 0 [vdso]\n";

static void test_parse_one_range_per_file(void **state)
{
	struct proc_maps m = { 0 };
	size_t len;
	char *text;

	assert_int_equal(proc_maps_parse(&m, maps), 6);	/* each file line: new, or a widening */
	assert_int_equal(m.n, 2);
	assert_int_equal(m.v[0].low, 0x55d0c0000000ULL);
	assert_int_equal(m.v[0].high, 0x55d0c0004000ULL);
	assert_int_equal(m.v[0].dev, 0xfd << 20 | 1);
	assert_int_equal(m.v[1].low, 0x7f0000000000ULL);
	assert_int_equal(m.v[1].high, 0x7f00001f9000ULL);
	text = proc_maps_text(&m, &len);
	assert_string_equal(text, "55d0c0000000-55d0c0004000 r-xp 00000000 fd:01 1234 /usr/bin/app\n"
			    "7f0000000000-7f00001f9000 r-xp 00000000 fd:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6\n");
	assert_int_equal(len, strlen(text));
	free(text);
	/* The same lines again change nothing. */
	assert_int_equal(proc_maps_parse(&m, maps), 0);
	proc_maps_free(&m);
}

/* Events: a segment mapped at an offset counts from its base; a file
 * already covered is no change; a copy (a fork) is independent. */
static void test_events_and_copy(void **state)
{
	struct proc_maps m = { 0 }, c = { 0 };

	assert_int_equal(proc_maps_add(&m, 0x7f0000028000, 0x7f000019d000, 0x28000, 1, 99, "/lib/libc.so.6", true), 1);
	assert_int_equal(m.v[0].low, 0x7f0000000000ULL);
	assert_int_equal(proc_maps_add(&m, 0x7f0000000000, 0x7f0000028000, 0, 1, 99, "/lib/libc.so.6", false), 0);
	assert_int_equal(proc_maps_add(&m, 0x7f00001f5000, 0x7f00001f9000, 0x1f4000, 1, 99, "/lib/libc.so.6", false), 1);
	assert_int_equal(m.v[0].high, 0x7f00001f9000ULL);
	assert_int_equal(proc_maps_add(&m, 0x1000, 0x2000, 0, 0, 0, "[vdso]", true), 0);	/* not a file */
	assert_int_equal(proc_maps_copy(&c, &m), 0);
	assert_int_equal(proc_maps_add(&c, 0x400000, 0x401000, 0, 1, 7, "/bin/child", true), 1);
	assert_int_equal(m.n, 1);
	assert_int_equal(c.n, 2);
	proc_maps_free(&m);
	proc_maps_free(&c);
}

/* A data file mapped read-only (ld.so.cache, then unmapped) is no module;
 * a library's first, read-only mapping becomes one with its code. */
static void test_only_executable_files_are_modules(void **state)
{
	struct proc_maps m = { 0 };
	size_t len;
	char *text;

	assert_int_equal(proc_maps_add(&m, 0x7f0000100000, 0x7f0000110000, 0, 1, 5, "/etc/ld.so.cache", false), 1);
	assert_null(proc_maps_text(&m, &len));
	assert_int_equal(proc_maps_add(&m, 0x7f0000000000, 0x7f0000028000, 0, 1, 99, "/lib/libc.so.6", false), 1);
	assert_int_equal(proc_maps_add(&m, 0x7f0000028000, 0x7f000019d000, 0x28000, 1, 99, "/lib/libc.so.6", true), 1);
	text = proc_maps_text(&m, &len);
	assert_string_equal(text, "7f0000000000-7f000019d000 r-xp 00000000 00:01 99 /lib/libc.so.6\n");
	free(text);
	proc_maps_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_one_range_per_file),
		cmocka_unit_test(test_events_and_copy),
		cmocka_unit_test(test_only_executable_files_are_modules),
	};

	return cmocka_run_group_tests_name("proc_maps", tests, NULL, NULL);
}
