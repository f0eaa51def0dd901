// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * GPU attribution without a GPU: declare /dev/zero's major (1, "mem") a GPU
 * major, and ioctl/mmap on it must land in "gpu" with the request decoded,
 * while ioctls on a socket stay control_io. Also the static binary.
 */
#include "testlib.h"

#define OSIPROF "$OUTPUT/osiprof"
#define WORKLOAD "$OUTPUT/tests/workload"

static int setup(void **state)
{
	setenv("OUTPUT", build_dir(), 0);
	return 0;
}

static struct json_object *find_request(struct json_object *r, const char *call)
{
	struct json_object *reqs = get(get(r, "gpu"), "requests");
	size_t i;

	for (i = 0; reqs && i < json_object_array_length(reqs); i++) {
		struct json_object *q = json_object_array_get_idx(reqs, i);

		if (!strcmp(json_object_get_string(get(q, "call")), call))
			return q;
	}
	return NULL;
}

static void check_attribution(const char *osiprof, const char *name)
{
	struct json_object *r, *q, *dev;

	assert_int_equal(sh("%s record --gpu-majors 1 -o %s -- " WORKLOAD
			    " --dev-ioctls 100 --sock-ioctls 50 --dev-mmaps 20", osiprof, tpath(name)), 0);
	assert_int_equal(sh("/usr/bin/python3 tests/validate_report.py %s", tpath(name)), 0);
	r = load_report(tpath(name));
	assert_int_equal(cat_field(r, "gpu", "count"), 100 + 20);
	assert_int_equal(cat_field(r, "gpu", "errors"), 100);	/* TCGETS: ENOTTY */
	assert_int_equal(cat_field(r, "control_io", "count"), 50);

	q = find_request(r, "ioctl");
	assert_non_null(q);
	assert_string_equal(json_object_get_string(get(q, "device")), "1:5");
	assert_string_equal(json_object_get_string(get(q, "name")), "/dev/zero");
	assert_string_equal(json_object_get_string(get(q, "request")), "0x00005401");	/* TCGETS */
	assert_string_equal(json_object_get_string(get(q, "dir")), "none");
	assert_string_equal(json_object_get_string(get(q, "type_char")), "T");
	assert_int_equal(json_object_get_int(get(q, "nr")), 1);
	assert_int_equal(json_object_get_int(get(q, "size")), 0);
	assert_int_equal(json_object_get_int64(get(q, "count")), 100);
	assert_int_equal(json_object_get_int64(get(q, "errors")), 100);
	assert_null(get(q, "request_name"));
	q = find_request(r, "mmap");
	assert_non_null(q);
	assert_int_equal(json_object_get_int64(get(q, "count")), 20);

	dev = json_object_array_get_idx(get(get(r, "gpu"), "devices"), 0);
	assert_int_equal(json_object_get_int64(get(dev, "ioctls")), 100);
	assert_int_equal(json_object_get_int64(get(dev, "mmaps")), 20);
	json_object_put(r);
}

static void test_gpu_attribution(void **state)
{
	check_attribution(OSIPROF, "gpu.json");
}

static void test_no_gpu_majors_means_control_io(void **state)
{
	struct json_object *r;

	assert_int_equal(sh(OSIPROF " record --gpu-majors none -o %s -- " WORKLOAD
			    " --dev-ioctls 100 --sock-ioctls 50", tpath("nogpu.json")), 0);
	r = load_report(tpath("nogpu.json"));
	assert_int_equal(cat_field(r, "gpu", "count"), 0);
	assert_int_equal(cat_field(r, "control_io", "count"), 150);
	assert_int_equal(json_object_array_length(get(get(r, "gpu"), "requests")), 0);
	json_object_put(r);
}

static void test_bad_gpu_majors(void **state)
{
	assert_int_not_equal(sh(OSIPROF " record --gpu-majors 195,abc -- true"), 0);
	assert_non_null(strstr(last_stderr(), "bad --gpu-majors '195,abc'"));
	assert_int_not_equal(sh(OSIPROF " record --gpu-majors 5000 -- true"), 0);
	assert_int_not_equal(sh(OSIPROF " record --gpu-majors , -- true"), 0);
}

static void test_static_binary(void **state)
{
	/* Self-contained: no libbpf, json-c, libelf or zlib needed at run time. */
	assert_int_equal(sh("ldd $OUTPUT/osiprof-static 2>&1 | grep -q 'not a dynamic executable'"), 0);
	assert_int_equal(sh("readelf -d $OUTPUT/osiprof-static 2>/dev/null | grep -q NEEDED"), 1);
	check_attribution("$OUTPUT/osiprof-static", "gpu-static.json");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gpu_attribution),
		cmocka_unit_test(test_no_gpu_majors_means_control_io),
		cmocka_unit_test(test_bad_gpu_majors),
		cmocka_unit_test(test_static_binary),
	};

	return cmocka_run_group_tests_name("gpu", tests, setup, NULL);
}
