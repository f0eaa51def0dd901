// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The stack table: frames interned once, stacks keyed exactly, bounded with
 * a counted overflow, and retired processes merged by command and frames. */
#include "testlib.h"
#include "model/stacks.h"

static long frame(struct stack_table *t, const char *module, const char *symbol, uint64_t off)
{
	struct stack_frame f = { .symbol = (char *)symbol, .module = (char *)module, .path = (char *)module,
				 .offset = off };
	long id = stack_frame_find(t, false, module, off);

	return id >= 0 ? id : stack_frame_add(t, &f);
}

static void test_frames_interned(void **state)
{
	struct stack_table t;
	long a, b, i;

	stack_table_init(&t, 1024);	/* room for 32768 frames */
	a = frame(&t, "libc.so.6", "write", 0x100);
	b = frame(&t, "app", "main", 0x200);
	assert_true(a >= 0 && b >= 0 && a != b);
	assert_int_equal(frame(&t, "libc.so.6", "write", 0x100), a);
	/* Past any index growth, every frame is still found. */
	for (i = 0; i < 5000; i++)
		assert_true(frame(&t, "lib", NULL, (uint64_t)i) >= 0);
	for (i = 0; i < 5000; i++)
		assert_int_equal(stack_frame_find(&t, false, "lib", (uint64_t)i), i + 2);
	assert_int_equal(stack_frame_find(&t, true, "lib", 7), -1);	/* kernel frames apart */
	stack_table_free(&t);
	/* Bounded: 32 frames per entry, then none. */
	stack_table_init(&t, 2);
	for (i = 0; i < 64; i++)
		assert_int_equal(frame(&t, "lib", NULL, (uint64_t)i), i);
	assert_int_equal(frame(&t, "lib", NULL, 64), -1);
	assert_int_equal(frame(&t, "lib", NULL, 5), 5);	/* known ones are still found */
	stack_table_free(&t);
}

static void test_stacks_keyed_and_bounded(void **state)
{
	struct stack_table t;
	uint32_t f1[2], f2[2];
	struct stack_entry *e;
	char buf[64];
	int i;

	stack_table_init(&t, 3);
	f1[0] = (uint32_t)frame(&t, "libc.so.6", "write", 1);
	f1[1] = (uint32_t)frame(&t, "app", "flush_log", 2);
	f2[0] = f1[0];
	f2[1] = (uint32_t)frame(&t, "app", NULL, 3);
	e = stack_get(&t, 10, 1, "app", f1, 2, 0);
	e->count = 5;
	assert_ptr_equal(stack_get(&t, 10, 1, "app", f1, 2, 0), e);
	assert_ptr_not_equal(stack_get(&t, 11, 1, "app", f1, 2, 0), e);	/* another process */
	assert_ptr_not_equal(stack_get(&t, 10, 1, "app", f2, 2, 0), e);	/* other frames */
	for (i = 0; i < 3; i++)
		assert_null(stack_get(&t, 12, 1, "app", f1, 2, 0));	/* full */
	assert_int_equal(t.n, 3);
	assert_int_equal(t.drops.table_full, 3);
	/* The call site skips the C library; a stripped frame is module+offset. */
	assert_int_equal(stack_call_site(&t, e), f1[1]);
	assert_string_equal(stack_frame_name(&t.frames[f2[1]], buf, sizeof(buf)), "app+0x3");
	stack_table_free(&t);
}

static bool odd(uint32_t pid, void *ctx)
{
	return pid % 2;
}

static void test_retire_merges(void **state)
{
	struct stack_table t;
	struct stack_entry *e;
	uint32_t f[1];
	size_t i;
	uint64_t other = 0;

	stack_table_init(&t, 16);
	f[0] = (uint32_t)frame(&t, "app", "main", 1);
	for (i = 1; i <= 4; i++) {	/* pids 1..4: same command, same stack */
		e = stack_get(&t, (uint32_t)i, 7, "app", f, 1, 0);
		e->count = i;
		e->total_ns = 10 * i;
	}
	e = stack_get(&t, 5, 7, "other", f, 1, 0);	/* odd, but another command */
	e->count = 100;
	stack_table_retire(&t, odd, NULL);
	/* 1 and 3 merged into pid 0 "app"; 5 into pid 0 "other"; 2 and 4 stay. */
	assert_int_equal(t.n, 4);
	e = stack_get(&t, 0, 7, "app", f, 1, 0);
	assert_int_equal(e->count, 4);
	assert_int_equal(e->total_ns, 40);
	for (i = 0; i < t.n; i++)
		if (t.v[i].pid == 0 && !strcmp(t.v[i].comm, "other"))
			other = t.v[i].count;
	assert_int_equal(other, 100);
	assert_int_equal(stack_get(&t, 2, 7, "app", f, 1, 0)->count, 2);
	/* Retiring again moves nothing and keeps the merged entry whole. */
	stack_table_retire(&t, odd, NULL);
	assert_int_equal(t.n, 4);
	assert_int_equal(stack_get(&t, 0, 7, "app", f, 1, 0)->count, 4);
	stack_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frames_interned),
		cmocka_unit_test(test_stacks_keyed_and_bounded),
		cmocka_unit_test(test_retire_merges),
	};

	return cmocka_run_group_tests_name("stacks", tests, NULL, NULL);
}
