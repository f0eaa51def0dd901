// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Do no harm, against the real kernel: a daemon with every sink on survives
 * signals at any moment; its snapshot directory and event log stay sane on
 * deletion and a full disk; outputs never replace devices, FIFOs or
 * symlinks, never leak into the command, never follow planted names; the
 * snapshot client never signals a process that is not our daemon; the
 * metrics server cannot be starved; no saved file can crash `report`.
 */
#include <sys/stat.h>
#include "testlib.h"

#define OSIPROF "$OUTPUT/osiprof"
#define WORKLOAD "$OUTPUT/tests/workload"

static int setup(void **state)
{
	setenv("OUTPUT", build_dir(), 0);
	return 0;
}

static int count_files(const char *dir, const char *glob)
{
	char cmd[600], buf[32] = "0";
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls %s/%s 2>/dev/null | wc -l", dir, glob);
	p = popen(cmd, "r");
	if (p) {
		if (!fgets(buf, sizeof(buf), p))
			buf[0] = '0';
		pclose(p);
	}
	return atoi(buf);
}

static void test_daemon_with_every_sink_survives_signals(void **state)
{
	char path[512], opts[700], glob[64];
	struct daemon d;
	int i;

	assert_int_equal(sh("mkdir -m 0750 %s", tpath("prom")), 0);
	snprintf(opts, sizeof(opts), "--interval 0.2 -a --listen 127.0.0.1:19231 --textfile %s --keep 2",
		 tpath("prom"));
	start_daemon(&d, "sinks", opts);
	/* Another program's file in the directory: pruning must leave it. */
	assert_int_equal(sh("touch %s/snapshot-20000101T000000.000Z-1-0.json", d.dir), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(snapshot(&d, path, sizeof(path)), 0);
		assert_int_equal(access(path, R_OK), 0);
		kill(d.pid, SIGHUP);
		assert_int_equal(sh("curl -sf --max-time 5 http://127.0.0.1:19231/metrics | "
				    "promtool check metrics"), 0);
		assert_true(alive(d.pid));
	}
	kill(d.pid, SIGUSR1);
	assert_int_equal(sh("promtool check metrics < %s/osiprof.prom", tpath("prom")), 0);
	snprintf(glob, sizeof(glob), "snapshot-*-%d-*.json", d.pid);
	assert_int_equal(stop_daemon(&d, SIGTERM), 0);
	assert_int_equal(daemon_status(&d), 0);
	/* At most 2 of ours (the final one among them), the stranger kept. */
	assert_int_equal(count_files(d.dir, glob), 2);
	assert_int_equal(access(tpath("sinks/snapshot-20000101T000000.000Z-1-0.json"), F_OK), 0);
	assert_int_equal(sh("python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))[\"daemon\"]"
			    "[\"reason\"] == \"exit\"' %s/latest.json", d.dir), 0);
	assert_int_not_equal(access(d.pidfile, F_OK), 0);
}

static void test_signals_during_startup(void **state)
{
	struct daemon d = {};
	int i;

	snprintf(d.dir, sizeof(d.dir), "%s", tpath("early"));
	snprintf(d.pidfile, sizeof(d.pidfile), "%s.pid", d.dir);
	snprintf(d.log, sizeof(d.log), "%s.log", d.dir);
	snprintf(d.rc, sizeof(d.rc), "%s.rc", d.dir);
	/* Once osiprof has been exec'd and had 50 ms to reach main(), HUP and
	 * USR1 rain on it until it has attached (its start-up takes longer). */
	assert_int_equal(sh("(" OSIPROF " daemon -v -a --listen 127.0.0.1:19232 --output-dir %s --pidfile %s "
			    "</dev/null >/dev/null 2>%s; echo $? > %s) & "
			    "for i in $(seq 400); do p=$(pgrep -n -f 'daemon -v -a --listen 127.0.0.1:19232'); "
			    "readlink /proc/$p/exe 2>/dev/null | grep -q osiprof && break; sleep 0.005; done; "
			    "sleep 0.05; "
			    "while ! grep -q attached %s && kill -HUP $p 2>/dev/null; do kill -USR1 $p 2>/dev/null; done; "
			    "echo $p > %s.real",
			    d.dir, d.pidfile, d.log, d.rc, d.log, d.dir), 0);
	assert_int_equal(sh("grep -q attached %s", d.log), 0);
	assert_int_equal(sh("test $(cat %s.real) = $(head -1 %s)", d.dir, d.pidfile), 0);
	for (i = 0; i < 40 && !d.pid; i++) {
		FILE *f = fopen(d.pidfile, "r");

		if (f) {
			if (fscanf(f, "%d", &d.pid) != 1)
				d.pid = 0;
			fclose(f);
		}
	}
	track_pid(d.pid);
	assert_true(d.pid > 0 && alive(d.pid));
	assert_int_equal(stop_daemon(&d, SIGTERM), 0);
	assert_int_equal(daemon_status(&d), 0);
}

static void test_snapshot_dir_deleted_and_recreated(void **state)
{
	char path[512];
	struct daemon d;

	start_daemon(&d, "gone", "--interval 0.2 -p 1");
	assert_int_equal(snapshot(&d, path, sizeof(path)), 0);
	assert_int_equal(sh("rm -rf %s", d.dir), 0);
	assert_int_equal(snapshot(&d, path, sizeof(path)), 0);	/* recreated */
	assert_int_equal(access(path, R_OK), 0);
	assert_int_equal(sh("rm -rf %s && mkdir -m 0750 %s", d.dir, d.dir), 0);
	assert_int_equal(snapshot(&d, path, sizeof(path)), 0);
	assert_int_equal(access(path, R_OK), 0);
	assert_int_equal(stop_daemon(&d, SIGTERM), 0);
	assert_int_equal(daemon_status(&d), 0);
}

static void test_event_log_full_disk_keeps_whole_lines(void **state)
{
	struct json_object *r;
	char path[512], opts[600];
	struct daemon d;
	int64_t lost, written;

	assert_int_equal(sh("mkdir -p %s && mount -t tmpfs -o size=24k,mode=0750 tmpfs %s",
			    tpath("evfull"), tpath("evfull")), 0);
	snprintf(opts, sizeof(opts), "--interval 0.2 -a --events %s/events.jsonl", tpath("evfull"));
	start_daemon(&d, "ev", opts);
	/* Hundreds of exec and exit events: far more than 24 KiB of lines. */
	assert_int_equal(sh("for i in $(seq 300); do /bin/true; done"), 0);
	assert_int_equal(snapshot(&d, path, sizeof(path)), 0);
	r = load_report(path);
	lost = json_object_get_int64(get(get(get(r, "daemon"), "event_log"), "lines_lost"));
	written = json_object_get_int64(get(get(get(r, "daemon"), "event_log"), "lines_written"));
	json_object_put(r);
	assert_true(lost > 0);
	/* Every line in the log is one whole event; their number is the count. */
	assert_int_equal(sh("python3 -c 'import json,sys; n=0\nfor l in open(sys.argv[1]): json.loads(l); n+=1\n"
			    "assert n == int(sys.argv[2]), (n, sys.argv[2])' %s/events.jsonl %lld",
			    tpath("evfull"), (long long)written), 0);
	assert_int_equal(sh("grep -q 'No space left on device' %s", d.log), 0);
	assert_int_equal(stop_daemon(&d, SIGTERM), 0);
	sh("umount %s", tpath("evfull"));
}

static void test_outputs_replace_only_regular_files(void **state)
{
	/* A device is written, not replaced. */
	assert_int_equal(sh(OSIPROF " record -o /dev/null -- true"), 0);
	assert_int_equal(sh("test -c /dev/null"), 0);
	/* A FIFO: its reader gets the report; it stays a FIFO. */
	assert_int_equal(sh("mkfifo %s && (cat %s > %s &) && " OSIPROF " record -o %s -- true && sleep 0.2 && "
			    "test -p %s && python3 -m json.tool %s > /dev/null", tpath("fifo"), tpath("fifo"),
			    tpath("fifo.out"), tpath("fifo"), tpath("fifo"), tpath("fifo.out")), 0);
	/* A symlink stays a symlink; its target gets the report. */
	assert_int_equal(sh("echo old > %s && ln -s %s %s && " OSIPROF " record -o %s -- true && "
			    "test -L %s && python3 -m json.tool %s > /dev/null", tpath("real.json"),
			    tpath("real.json"), tpath("link.json"), tpath("link.json"), tpath("link.json"),
			    tpath("real.json")), 0);
	/* A directory is refused before the command runs. */
	assert_int_not_equal(sh(OSIPROF " record -o %s -- touch %s", tmpdir(), tpath("ran")), 0);
	assert_non_null(strstr(last_stderr(), "it is a directory"));
	assert_int_not_equal(access(tpath("ran"), F_OK), 0);
	/* Files honour the umask. */
	assert_int_equal(sh("umask 077 && " OSIPROF " record -o %s -- true && "
			    "test $(stat -c %%a %s) = 600", tpath("u.json"), tpath("u.json")), 0);
	assert_int_equal(sh("umask 022 && " OSIPROF " record -o %s -- true && "
			    "test $(stat -c %%a %s) = 644", tpath("v.json"), tpath("v.json")), 0);
}

static void test_late_failure_keeps_the_report(void **state)
{
	assert_int_equal(sh("mkdir -p %s && mount -t tmpfs -o size=8k,mode=0750 tmpfs %s && "
			    "dd if=/dev/zero of=%s/filler bs=1k count=64 2>/dev/null; true",
			    tpath("late"), tpath("late"), tpath("late")), 0);
	assert_int_equal(sh(OSIPROF " record -o %s/r.json -- true", tpath("late")), 1);
	assert_non_null(strstr(last_stderr(), "r.json.tmp."));
	assert_int_equal(sh("ls %s/r.json.tmp.* > /dev/null", tpath("late")), 0);
	sh("umount %s", tpath("late"));
}

static void test_command_sees_only_its_callers_fds(void **state)
{
	/* The same listing with and without osiprof in between. */
	assert_int_equal(sh("sh -c 'ls /proc/self/fd' > %s 9>&-", tpath("fds.plain")), 0);
	assert_int_equal(sh(OSIPROF " record -o %s -- sh -c 'ls /proc/self/fd' > %s 9>&-",
			    tpath("fds.json"), tpath("fds.rec")), 0);
	assert_int_equal(sh("diff %s %s", tpath("fds.plain"), tpath("fds.rec")), 0);
	/* fd 3 is not osiprof's report: the shell cannot write to it. */
	assert_int_not_equal(sh(OSIPROF " record -o %s -- sh -c 'echo hello >&3'", tpath("fd3.json")), 0);
	assert_int_equal(sh("python3 -m json.tool %s > /dev/null", tpath("fd3.json")), 0);
	/* Every run of a sweep too. */
	assert_int_equal(sh(OSIPROF " sweep -o %s --param x=1 --repeat 1 --warmup 0 -- "
			    "sh -c 'ls /proc/self/fd > %s' 9>&-", tpath("fdsweep"), tpath("fds.sweep")), 0);
	assert_int_equal(sh("diff %s %s", tpath("fds.plain"), tpath("fds.sweep")), 0);
}

static void test_planted_and_foreign_files_are_refused(void **state)
{
	/* Symlinks planted at the old fixed temporary names lead nowhere. */
	assert_int_equal(sh("mkdir -m 0755 %s && echo keep > %s && ln -s %s %s/summary.json.tmp && "
			    "ln -s %s %s/summary.csv.tmp", tpath("sw"), tpath("victim"), tpath("victim"),
			    tpath("sw"), tpath("victim"), tpath("sw")), 0);
	assert_int_equal(sh(OSIPROF " sweep -o %s --param x=1 --repeat 1 --warmup 0 -- true", tpath("sw")), 0);
	assert_int_equal(sh("test \"$(cat %s)\" = keep", tpath("victim")), 0);
	/* A directory others may write is refused. */
	assert_int_equal(sh("mkdir -m 0777 %s && chmod 0777 %s", tpath("open"), tpath("open")), 0);
	assert_int_not_equal(sh(OSIPROF " sweep -o %s --param x=1 -- true", tpath("open")), 0);
	assert_non_null(strstr(last_stderr(), "writable by group or others"));
	assert_int_not_equal(sh(OSIPROF " daemon -a --output-dir %s --pidfile %s", tpath("open"),
				tpath("open.pid")), 0);
	assert_non_null(strstr(last_stderr(), "writable by group or others"));
	/* Files another user owns: a report, an event log, a pidfile. */
	assert_int_equal(sh("touch %s %s %s && chown 65534 %s %s %s", tpath("theirs.json"),
			    tpath("theirs.jsonl"), tpath("theirs.pid"), tpath("theirs.json"),
			    tpath("theirs.jsonl"), tpath("theirs.pid")), 0);
	assert_int_not_equal(sh(OSIPROF " record -o %s -- touch %s", tpath("theirs.json"), tpath("ran2")), 0);
	assert_non_null(strstr(last_stderr(), "owned by another user"));
	assert_int_not_equal(access(tpath("ran2"), F_OK), 0);
	assert_int_not_equal(sh(OSIPROF " daemon -a --output-dir %s --pidfile %s --events %s",
				tpath("d1"), tpath("d1.pid"), tpath("theirs.jsonl")), 0);
	assert_non_null(strstr(last_stderr(), "owned by uid 65534"));
	assert_int_not_equal(sh(OSIPROF " daemon -a --output-dir %s --pidfile %s", tpath("d2"),
				tpath("theirs.pid")), 0);
	assert_non_null(strstr(last_stderr(), "owned by uid 65534"));
}

static void test_snapshot_never_signals_a_stranger(void **state)
{
	pid_t victim = start_bg("victim", "sleep 30"), dirfd_holder;
	char path[512];
	struct daemon d;

	assert_true(victim > 0);
	/* A stale pidfile naming an unrelated process: no signal reaches it. */
	assert_int_equal(sh("echo %d > %s && chmod 0644 %s", victim, tpath("stale.pid"), tpath("stale.pid")), 0);
	assert_int_equal(sh(OSIPROF " snapshot --timeout 1 --pidfile %s", tpath("stale.pid")), 1);
	usleep(100000);
	assert_true(alive(victim));
	/* A pidfile others may write is not trusted at all. */
	assert_int_equal(sh("chmod 0666 %s", tpath("stale.pid")), 0);
	assert_int_equal(sh(OSIPROF " snapshot --timeout 1 --pidfile %s", tpath("stale.pid")), 1);
	assert_non_null(strstr(last_stderr(), "not trusting it"));
	/* A process that merely holds a directory open is not a daemon. */
	dirfd_holder = start_bg("dirfd", "exec sh -c 'exec 3</; exec sleep 30'");
	assert_true(dirfd_holder > 0);
	usleep(100000);
	assert_int_equal(sh(OSIPROF " snapshot --timeout 1 %d", dirfd_holder), 1);
	usleep(100000);
	assert_true(alive(dirfd_holder));
	/* The real daemon answers, by pidfile and by PID. */
	start_daemon(&d, "real", "--interval 0.2 -p 1");
	assert_int_equal(snapshot(&d, path, sizeof(path)), 0);
	assert_int_equal(sh(OSIPROF " snapshot %d | grep -q '^%s/snapshot-'", d.pid, d.dir), 0);
	/* A second daemon on the same pidfile is refused and harms nothing. */
	assert_int_not_equal(sh(OSIPROF " daemon -a --output-dir %s --pidfile %s", tpath("other"),
				d.pidfile), 0);
	assert_int_equal(snapshot(&d, path, sizeof(path)), 0);
	assert_int_equal(stop_daemon(&d, SIGTERM), 0);
	kill(victim, SIGKILL);
	kill(dirfd_holder, SIGKILL);
}

static void test_metrics_cannot_be_starved(void **state)
{
	struct daemon d;
	int i;

	start_daemon(&d, "starve", "--interval 0.2 -p 1 --listen 127.0.0.1:19233");
	for (i = 0; i < 100 && sh("curl -sf -o /dev/null http://127.0.0.1:19233/metrics"); i++)
		usleep(100000);
	/* 100 connections that trickle a header byte every 0.5 s for 8 s. */
	assert_int_equal(sh("python3 -c '\n"
			    "import socket, time\n"
			    "ss = [socket.create_connection((\"127.0.0.1\", 19233)) for _ in range(100)]\n"
			    "end = time.time() + 8\n"
			    "while time.time() < end:\n"
			    "    for s in ss:\n"
			    "        try: s.send(b\"X\")\n"
			    "        except OSError: pass\n"
			    "    time.sleep(0.5)\n"
			    "' > /dev/null 2>&1 & sleep 1"), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(sh("curl -sf --max-time 4 -o /dev/null http://127.0.0.1:19233/metrics"), 0);
		usleep(500000);
	}
	assert_true(alive(d.pid));
	assert_int_equal(stop_daemon(&d, SIGTERM), 0);
}

static void test_systemd_units_verify(void **state)
{
	assert_int_equal(verify_units("tools", "$(realpath $OUTPUT/osiprof)", tpath("units")), 0);
	/* The metrics unit may open its port; the plain one stays off the network. */
	assert_int_equal(sh("grep -q '^RestrictAddressFamilies=.*AF_INET' tools/osiprof-metrics.service && "
			    "! grep -q '^PrivateNetwork=yes' tools/osiprof-metrics.service && "
			    "grep -q -- '--listen' tools/osiprof-metrics.service && "
			    "grep -q '^PrivateNetwork=yes' tools/osiprof.service"), 0);
}

/* Each malformed input: a one-line refusal or a table, never a signal. */
static void expect_no_crash(const char *args)
{
	int rc = sh(OSIPROF " report %s > /dev/null", args);

	if (rc >= 128 || rc < 0)
		fail_msg("osiprof report %s died with status %d: %s", args, rc, last_stderr());
	if (rc && strchr(last_stderr(), '\n') != strrchr(last_stderr(), '\n'))
		fail_msg("osiprof report %s: more than one line of error: %s", args, last_stderr());
}

static void test_no_saved_file_crashes_report(void **state)
{
	static const char *const bad[] = {
		"{\"schema_version\":1,\"categories\":{}}",
		"{\"schema_version\":1,\"categories\":[],\"syscalls\":\"x\"}",
		"{\"schema_version\":1,\"categories\":[1,\"a\",{\"name\":5,\"count\":\"x\"}]}",
		"{\"schema_version\":1,\"categories\":[],\"phases\":[]}",
		"{\"schema_version\":1,\"categories\":[],\"processes\":{\"a\":1}}",
		"{\"kind\":\"osiprof-sweep-summary\",\"schema_version\":1,\"points\":{}}",
		"{\"kind\":\"osiprof-sweep-summary\",\"schema_version\":1,\"params\":{},\"points\":[1,{\"params\":[]}]}",
		"{\"schema_version\":\"1\"}",
		"[1,2,3]",
		"{\"schema_version\":1,\"categories\":[]} trailing",
	};
	char path[300];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/bad%zu.json", tmpdir(), i);
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(bad[i], f);
		fclose(f);
		expect_no_crash(path);
		snprintf(path, sizeof(path), "--by syscall %s/bad%zu.json", tmpdir(), i);
		expect_no_crash(path);
		snprintf(path, sizeof(path), "--by phase %s/bad%zu.json", tmpdir(), i);
		expect_no_crash(path);
		snprintf(path, sizeof(path), "--by process %s/bad%zu.json", tmpdir(), i);
		expect_no_crash(path);
		snprintf(path, sizeof(path), "--diff %s/bad%zu.json %s/bad0.json", tmpdir(), i, tmpdir());
		expect_no_crash(path);
	}
	/* A summary whose row labels would overflow any fixed buffer. */
	assert_int_equal(sh("python3 -c 'import json; print(json.dumps({\"kind\":\"osiprof-sweep-summary\","
			    "\"schema_version\":1,\"params\":[\"p\"],\"points\":[{\"params\":"
			    "{(\"k%%d\" %% i):\"v\"*400 for i in range(50)},\"categories\":{\"c\":"
			    "{\"count\":{\"median\":1},\"calls_per_kb\":{\"median\":1},\"usec_per_kb\":{\"median\":1}}}}]}))'"
			    " > %s/long.json", tmpdir()), 0);
	snprintf(path, sizeof(path), "%s/long.json", tmpdir());
	expect_no_crash(path);
	/* A sweep directory: the row header outlives the summary it came from. */
	assert_int_equal(sh(OSIPROF " sweep -o %s --param bytes=1000 --repeat 1 --warmup 0 -- true",
			    tpath("uaf")), 0);
	assert_int_equal(sh(OSIPROF " report %s | grep -q '^ *bytes '", tpath("uaf")), 0);
	/* Not a regular file, a NUL byte, a huge line: one short line each. */
	assert_int_equal(sh(OSIPROF " record --categories /dev/zero -o /dev/null -- true"), 2);
	assert_non_null(strstr(last_stderr(), "/dev/zero"));
	assert_int_equal(sh("printf 'file_io: read\\0write\\n' > %s && " OSIPROF " record --categories %s "
			    "-o /dev/null -- true", tpath("nul.cat"), tpath("nul.cat")), 2);
	assert_non_null(strstr(last_stderr(), "NUL byte"));
	assert_int_equal(sh("python3 -c 'print(\"file_io: \" + \"x\" * 10000000)' > %s && " OSIPROF
			    " record --categories %s -o /dev/null -- true", tpath("big.cat"), tpath("big.cat")), 2);
	assert_true(strlen(last_stderr()) < 400);
	assert_int_equal(sh(OSIPROF " report /dev/zero"), 1);
	assert_true(strlen(last_stderr()) < 400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_daemon_with_every_sink_survives_signals),
		cmocka_unit_test(test_signals_during_startup),
		cmocka_unit_test(test_snapshot_dir_deleted_and_recreated),
		cmocka_unit_test(test_event_log_full_disk_keeps_whole_lines),
		cmocka_unit_test(test_outputs_replace_only_regular_files),
		cmocka_unit_test(test_late_failure_keeps_the_report),
		cmocka_unit_test(test_command_sees_only_its_callers_fds),
		cmocka_unit_test(test_planted_and_foreign_files_are_refused),
		cmocka_unit_test(test_snapshot_never_signals_a_stranger),
		cmocka_unit_test(test_metrics_cannot_be_starved),
		cmocka_unit_test(test_systemd_units_verify),
		cmocka_unit_test(test_no_saved_file_crashes_report),
	};

	return cmocka_run_group_tests_name("harm", tests, setup, kill_tracked);
}
