// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Prometheus export against real tools: promtool checks the format, a real
 * Prometheus server on loopback scrapes the daemon and must return the
 * workload's exact syscall count; bad requests and a busy port.
 */
#include "testlib.h"

#define OSIPROF "$OUTPUT/osiprof"
#define WORKLOAD "$OUTPUT/tests/workload"

static int setup(void **state)
{
	setenv("OUTPUT", build_dir(), 0);
	return 0;
}

static void wait_http(int port, const char *path)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (!sh("curl -sf -o /dev/null http://127.0.0.1:%d%s", port, path))
			return;
		usleep(100000);
	}
	fail_msg("nothing answers on port %d", port);
}

static void test_format_and_requests(void **state)
{
	pid_t d = start_bg("m1", OSIPROF " daemon -a --interval 0.2 --output-dir $(mktemp -d) "
			   "--pidfile $(mktemp -u) --listen 127.0.0.1:19211 --tag job=test --textfile $TMPDIR");

	assert_true(d > 0);
	wait_http(19211, "/metrics");
	/* Prometheus' own checker on the text format, and OpenMetrics on request. */
	assert_int_equal(sh("curl -sf http://127.0.0.1:19211/metrics | promtool check metrics"), 0);
	assert_int_equal(sh("curl -sf http://127.0.0.1:19211/metrics | grep -q "
			    "'^osiprof_syscalls_total{job=\"test\",category=\"file_io\",cgroup=\"other\"} '"), 0);
	assert_int_equal(sh("curl -sf -H 'Accept: application/openmetrics-text; version=1.0.0' "
			    "-D %s http://127.0.0.1:19211/metrics | tail -1 | grep -qx '# EOF'",
			    tpath("om.headers")), 0);
	assert_int_equal(sh("grep -qi 'content-type: application/openmetrics-text' %s", tpath("om.headers")), 0);
	assert_int_equal(sh("promtool check metrics < $TMPDIR/osiprof.prom"), 0);
	/* Bad requests get proper codes and leave the daemon unharmed. */
	assert_int_equal(sh("test $(curl -s -o /dev/null -w '%%{http_code}' http://127.0.0.1:19211/nope) = 404"), 0);
	assert_int_equal(sh("test $(curl -s -o /dev/null -w '%%{http_code}' -X POST http://127.0.0.1:19211/metrics) = 405"), 0);
	assert_int_equal(sh("code=$(curl -s -o /dev/null -w '%%{http_code}' -H \"X-Big: $(head -c 100000 /dev/zero | tr '\\0' a)\" "
			    "http://127.0.0.1:19211/metrics); [ $code -ge 400 ] && [ $code -lt 500 ]"), 0);
	assert_int_equal(sh("for i in $(seq 30); do curl -sf -o /dev/null http://127.0.0.1:19211/metrics & done; "
			    "fail=0; for j in $(jobs -p); do wait $j || fail=1; done; exit $fail"), 0);
	assert_true(alive(d));
	/* The port is taken: a second daemon says so and exits. */
	assert_int_not_equal(sh(OSIPROF " daemon -a --output-dir $(mktemp -d) --pidfile $(mktemp -u) "
				"--listen 19211"), 0);
	assert_non_null(strstr(last_stderr(), "cannot listen on 127.0.0.1:19211: Address already in use"));
	kill(d, SIGTERM);
}

static void test_prometheus_scrapes_exact_count(void **state)
{
	char cfg[400], target[300];
	pid_t d, prom, work;
	FILE *f;
	int i, ok = 0;

	/* A target that waits, then makes exactly 777 futex wakes and stays. */
	work = start_bg("w", "sh -c 'sleep 3; exec " WORKLOAD " --futex-wakes 777 --sleeps 100:100000'");
	assert_true(work > 0);
	snprintf(target, sizeof(target), OSIPROF " daemon -p %d --interval 0.5 --output-dir $(mktemp -d) "
		 "--pidfile $(mktemp -u) --listen 127.0.0.1:19212", work);
	d = start_bg("m2", target);
	assert_true(d > 0);
	snprintf(cfg, sizeof(cfg), "%s", tpath("prometheus.yml"));
	f = fopen(cfg, "w");
	assert_non_null(f);
	fprintf(f, "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: osiprof\n"
		   "    static_configs:\n      - targets: ['127.0.0.1:19212']\n");
	fclose(f);
	snprintf(target, sizeof(target), "prometheus --config.file=%s --storage.tsdb.path=%s "
		 "--web.listen-address=127.0.0.1:19213 --log.level=error", cfg, tpath("tsdb"));
	prom = start_bg("prom", target);
	assert_true(prom > 0);
	wait_http(19213, "/-/ready");
	/* The workload's process: set_robust_list is its only other sync call. */
	for (i = 0; i < 60 && !ok; i++) {
		ok = !sh("curl -sf 'http://127.0.0.1:19213/api/v1/query?query=osiprof_syscalls_total%%7Bcategory%%3D%%22sync%%22%%7D' "
			 "| grep -q '\"value\":\\[[0-9.]*,\"778\"\\]'");
		if (!ok)
			usleep(500000);
	}
	sh("curl -s 'http://127.0.0.1:19213/api/v1/query?query=osiprof_syscalls_total' > %s", tpath("q.json"));
	/* Every query of the Grafana dashboard is valid PromQL and succeeds. */
	i = sh("/usr/bin/python3 tests/check_dashboard.py http://127.0.0.1:19213");
	kill(prom, SIGTERM);
	kill(d, SIGTERM);
	kill(work, SIGTERM);
	if (!ok)
		fail_msg("Prometheus never returned sync=778 (see %s)", tpath("q.json"));
	assert_int_equal(i, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_and_requests),
		cmocka_unit_test(test_prometheus_scrapes_exact_count),
	};

	return cmocka_run_group_tests_name("metrics", tests, setup, kill_tracked);
}
