// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The taxonomy format and tags: what users type, and the errors they get. */
#include <sys/syscall.h>
#include "testlib.h"
#include "categories.h"
#include "syscalls.h"
#include "tags.h"

static void test_default_taxonomy(void **state)
{
	struct taxonomy t;
	const char *expect[] = { "file_io", "socket_io", "memory", "sync", "wait", "sleep",
				 "process", "signal", "control_io", "ipc", "time", "gpu", "other" };
	size_t i;

	assert_int_equal(taxonomy_load_default(&t), 0);
	for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
		assert_true(taxonomy_find(&t, expect[i]) >= 0);
	assert_int_equal(t.slot_cat[SYS_write], taxonomy_find(&t, "file_io"));
	assert_int_equal(t.slot_cat[SYS_futex], taxonomy_find(&t, "sync"));
	assert_int_equal(t.slot_cat[SYS_ioctl], taxonomy_find(&t, "control_io"));
	assert_int_equal(t.slot_cat[SYS_nanosleep], taxonomy_find(&t, "sleep"));
	assert_int_equal(t.slot_cat[SYS_epoll_wait], taxonomy_find(&t, "wait"));
	assert_int_equal(t.slot_cat[SYS_sendto], taxonomy_find(&t, "socket_io"));
	assert_int_equal(t.slot_cat[SYS_clone], taxonomy_find(&t, "process"));
	assert_int_equal(t.slot_cat[OSP_SLOT_GPU_IOCTL], t.gpu);
	/* A syscall nobody listed lands in "other". */
	assert_int_equal(t.slot_cat[SYS_getrandom], t.other);
}

static void test_custom_taxonomy(void **state)
{
	struct taxonomy t;

	assert_int_equal(taxonomy_parse(&t, "# mine\nio: read write\n\nio: pread64 ?no_such_call\n"
					"locks: futex   # trailing comment\n", "x", 1), 0);
	assert_int_equal(t.ncat, 4);	/* io, locks, gpu, other */
	assert_int_equal(t.slot_cat[SYS_pread64], taxonomy_find(&t, "io"));
	assert_int_equal(t.slot_cat[SYS_futex], taxonomy_find(&t, "locks"));
	assert_int_equal(t.slot_cat[SYS_mmap], t.other);
}

static void test_taxonomy_errors_name_line(void **state)
{
	struct taxonomy t;

	assert_int_not_equal(taxonomy_parse(&t, "io: read\nio read write\n", "f.cat", 1), 0);
	assert_int_not_equal(taxonomy_parse(&t, "io: read\nio: no_such_call\n", "f.cat", 1), 0);
	assert_int_not_equal(taxonomy_parse(&t, "io: read\nfs: read\n", "f.cat", 1), 0);
	assert_int_not_equal(taxonomy_parse(&t, "bad name: read\n", "f.cat", 1), 0);
}

static void test_syscall_names(void **state)
{
	assert_string_equal(slot_name(SYS_write), "write");
	assert_int_equal(syscall_nr("openat"), SYS_openat);
	assert_int_equal(syscall_nr("no_such_call"), -1);
	assert_string_equal(slot_name(OSP_SLOT_GPU_IOCTL), "ioctl");
}

static void test_tags(void **state)
{
	struct tags t = {};
	uint64_t v;

	assert_int_equal(tags_add(&t, "bytes=1000000"), 0);
	assert_int_equal(tags_add(&t, "model=kernels"), 0);
	assert_true(tags_get_u64(&t, "bytes", &v) && v == 1000000);
	assert_string_equal(tags_get(&t, "model"), "kernels");
	assert_int_not_equal(tags_add(&t, "novalue"), 0);
	assert_int_not_equal(tags_add(&t, "=x"), 0);
	assert_int_not_equal(tags_add(&t, "k="), 0);
	assert_int_not_equal(tags_add(&t, "iterations=ten"), 0);
	assert_int_not_equal(tags_add(&t, "iterations=0"), 0);
	assert_int_not_equal(tags_add(&t, "bytes=5"), 0);	/* given twice */
	assert_int_not_equal(tags_add(&t, "9lives=x"), 0);
	assert_int_equal(t.n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_taxonomy),
		cmocka_unit_test(test_custom_taxonomy),
		cmocka_unit_test(test_taxonomy_errors_name_line),
		cmocka_unit_test(test_syscall_names),
		cmocka_unit_test(test_tags),
	};

	return cmocka_run_group_tests_name("parsers", tests, NULL, NULL);
}
