// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The taxonomy format and tags: what users type, and the errors they get. */
#include <sys/syscall.h>
#include "testlib.h"
#include "model/categories.h"
#include "model/container.h"
#include "model/gpu.h"
#include "model/syscalls.h"
#include "model/report.h"
#include "model/tags.h"
#include "sink/text.h"

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
	/* Keys are Prometheus label names, and not one osiprof uses itself. */
	assert_int_not_equal(tags_add(&t, "a.b=x"), 0);
	assert_int_not_equal(tags_add(&t, "a-b=x"), 0);
	assert_int_not_equal(tags_add(&t, "caf\xc3\xa9=x"), 0);
	assert_int_not_equal(tags_add(&t, "category=x"), 0);
	assert_int_not_equal(tags_add(&t, "le=x"), 0);
	assert_int_not_equal(tags_add(&t, "syscall=x"), 0);
	assert_int_not_equal(tags_add(&t, "__name=x"), 0);
	assert_int_equal(tags_add(&t, "job_2=x"), 0);
	assert_int_equal(t.n, 3);
}

static void test_names_are_sanitized(void **state)
{
	char out[64];

	/* JSON/Prometheus: invalid bytes become U+FFFD, valid UTF-8 stays. */
	assert_string_equal(text_utf8("a\xff" "b", 3, out, sizeof(out)), "a\xef\xbf\xbd" "b");
	assert_string_equal(text_utf8("caf\xc3\xa9", 5, out, sizeof(out)), "caf\xc3\xa9");
	assert_string_equal(text_utf8("\xc0\xaf", 2, out, sizeof(out)), "\xef\xbf\xbd\xef\xbf\xbd");
	/* Terminal: controls and invalid bytes escaped, backslash doubled. */
	assert_string_equal(text_printable("x\x1b[1m\\y\xff", 9, out, sizeof(out)), "x\\x1b[1m\\\\y\\xff");
	assert_string_equal(text_printable("\xc2\x9b", 2, out, sizeof(out)), "\\xc2\\x9b");	/* C1 CSI */
	/* Never half an escape or a character at the end of the buffer. */
	assert_string_equal(text_printable("ab\x01", 3, out, 5), "ab");
	assert_string_equal(text_utf8("a\xc3\xa9", 3, out, 3), "a");
}

static void test_errno_names(void **state)
{
	char a[32];

	assert_string_equal(errno_name(2), "ENOENT");
	assert_string_equal(errno_name(512), "ERESTARTSYS");
	assert_string_equal(errno_name(516), "ERESTART_RESTARTBLOCK");
	assert_string_equal(errno_name(515), "ENOIOCTLCMD");
	/* Two unknown codes never share a name (they would merge in JSON). */
	snprintf(a, sizeof(a), "%s", errno_name(600));
	assert_string_not_equal(a, errno_name(601));
}

static const char proc_devices_nvidia[] =
	"Character devices:\n  1 mem\n  4 tty\n 10 misc\n195 nvidia-frontend\n226 drm\n"
	"234 nvidia-caps\n235 nvidia-uvm\n240 nvidia-caps-imex-channels\n\n"
	"Block devices:\n  7 loop\n259 blkext\n";
static const char proc_devices_plain[] =
	"Character devices:\n  1 mem\n  4 /dev/vc/0\n  5 /dev/tty\n136 pts\n\n"
	"Block devices:\n  8 sd\n226 drm\n";

static int has_major(const struct gpu_majors *g, uint32_t m)
{
	int i;

	for (i = 0; i < g->n; i++)
		if (g->major[i] == m)
			return 1;
	return 0;
}

static void test_proc_devices(void **state)
{
	struct gpu_majors g;

	assert_int_equal(gpu_majors_from_proc_devices(proc_devices_nvidia, &g), 5);
	assert_true(has_major(&g, 195) && has_major(&g, 226) && has_major(&g, 234) &&
		    has_major(&g, 235) && has_major(&g, 240));
	assert_false(has_major(&g, 1) || has_major(&g, 7));
	/* No GPU driver; a block device named like one does not count. */
	assert_int_equal(gpu_majors_from_proc_devices(proc_devices_plain, &g), 0);
}

static void test_gpu_majors_option(void **state)
{
	struct gpu_majors g;

	assert_int_equal(gpu_majors_parse("195,509", &g), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(gpu_majors_parse("none", &g), 0);
	assert_int_equal(g.n, 0);
	assert_int_not_equal(gpu_majors_parse("195,x", &g), 0);
	assert_int_not_equal(gpu_majors_parse("4096", &g), 0);
	assert_int_not_equal(gpu_majors_parse("", &g), 0);
}

static void test_ioctl_decoding(void **state)
{
	struct ioc_fields f;

	/* _IOWR('F', NV_ESC_RM_CONTROL, 32 bytes) */
	ioc_decode(0xc020462a, &f);
	assert_string_equal(f.dir, "rw");
	assert_int_equal(f.type, 'F');
	assert_int_equal(f.nr, 0x2a);
	assert_int_equal(f.size, 32);
	assert_string_equal(gpu_request_name(0xc020462a), "NV_ESC_RM_CONTROL");
	assert_string_equal(gpu_request_name(0xc030462b), "NV_ESC_RM_ALLOC");
	assert_string_equal(gpu_request_name(0xc0104629), "NV_ESC_RM_FREE");
	assert_null(gpu_request_name(0x5401));		/* TCGETS */
	ioc_decode(0x5401, &f);
	assert_string_equal(f.dir, "none");
}

/* What cgroup paths of each runtime say: runtime, container ID, pod UID. */
static void test_container_of_cgroup(void **state)
{
	const char *id = "4f3c2b1a00112233445566778899aabbccddeeff00112233445566778899aabb";
	/* Each path is before + ID + after. */
	struct { const char *before, *after, *runtime, *pod; } cases[] = {
		{ "/system.slice/docker-", ".scope", "docker", "" },
		{ "/docker/", "", "docker", "" },
		{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0f1e2d3c_4b5a_6978_8796_a5b4c3d2e1f0.slice/cri-containerd-",
		  ".scope", "containerd", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" },
		{ "/kubepods/besteffort/pod0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/", "", "cri",
		  "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" },
		{ "/machine.slice/libpod-", ".scope", "podman", "" },
		{ "/kubepods.slice/kubepods-pod0f1e2d3c_4b5a_6978_8796_a5b4c3d2e1f0.slice/crio-", ".scope", "cri-o",
		  "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" },
	};
	struct container_info ci;
	char path[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "%s%s%s", cases[i].before, id, cases[i].after);
		container_of_cgroup(path, &ci);
		assert_non_null(ci.runtime);
		assert_string_equal(ci.runtime, cases[i].runtime);
		assert_string_equal(ci.id, id);
		assert_string_equal(ci.pod_uid, cases[i].pod);
	}
	container_of_cgroup("/system.slice/nginx.service", &ci);
	assert_string_equal(ci.runtime, "systemd");
	assert_string_equal(ci.id, "nginx.service");
	container_of_cgroup("/", &ci);
	assert_null(ci.runtime);
	container_of_cgroup("/docker-1234.scope", &ci);	/* not an ID: a plain unit */
	assert_string_equal(ci.runtime, "systemd");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_taxonomy),
		cmocka_unit_test(test_custom_taxonomy),
		cmocka_unit_test(test_taxonomy_errors_name_line),
		cmocka_unit_test(test_syscall_names),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_names_are_sanitized),
		cmocka_unit_test(test_errno_names),
		cmocka_unit_test(test_proc_devices),
		cmocka_unit_test(test_gpu_majors_option),
		cmocka_unit_test(test_ioctl_decoding),
		cmocka_unit_test(test_container_of_cgroup),
	};

	return cmocka_run_group_tests_name("parsers", tests, NULL, NULL);
}
