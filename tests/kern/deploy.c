// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Deploying osiprof, on the real machine: the Debian package builds, passes
 * lintian and works from a scratch root; record and the daemon run as an
 * unprivileged user with only CAP_BPF and CAP_PERFMON and drop those after
 * attach; a missing capability is named; /healthz and `osiprof health` tell
 * a polling daemon from a stalled one; sd_notify readiness and watchdog; the
 * container image builds and its binary profiles a host process; the
 * DaemonSet and the Prometheus rules are well-formed.
 */
#include "testlib.h"

#define OSIPROF "$OUTPUT/osiprof"
#define WORKLOAD "$OUTPUT/tests/workload"
#define NOBODY_CAPS "setpriv --reuid=65534 --regid=65534 --clear-groups " \
		    "--inh-caps=+bpf,+perfmon --ambient-caps=+bpf,+perfmon "

static int setup(void **state)
{
	setenv("OUTPUT", build_dir(), 0);
	return 0;
}

static int64_t count_of(const char *path, const char *sys)
{
	struct json_object *r = load_report(path);
	int64_t n = sys_field(r, sys, "count");

	json_object_put(r);
	return n;
}

static void test_debian_package(void **state)
{
	const char *root = tpath("debroot");
	char units[400], bin[400];

	/* Built from a copy of the tree; lintian runs inside `make deb`. */
	if (sh("make --no-print-directory deb SANITIZE= OUTPUT=%s > %s 2>&1", tpath("debbuild"), tpath("deb.log"))) {
		sh("tail -30 %s >&2", tpath("deb.log"));
		fail_msg("make deb failed: %s", last_stderr());
	}
	assert_int_equal(sh("ls %s/deb/osiprof_*_*.deb > /dev/null", tpath("debbuild")), 0);
	assert_int_equal(sh("lintian --fail-on error %s/deb/osiprof_*.deb", tpath("debbuild")), 0);
	/* Installed into a scratch root, not onto this machine. */
	assert_int_equal(sh("dpkg-deb -x %s/deb/osiprof_*_*.deb %s", tpath("debbuild"), root), 0);
	assert_int_equal(sh("%s/usr/bin/osiprof --version | grep -q '^osiprof '", root), 0);
	assert_int_equal(sh("MANPATH=%s/usr/share/man man -P cat osiprof 2>/dev/null | grep -q 'osiprof record'",
			    root), 0);
	assert_int_equal(sh("test -f %s/etc/default/osiprof && test -f %s/lib/systemd/system/osiprof.service && "
			    "test -f %s/lib/systemd/system/osiprof-metrics.service && "
			    "test -f %s/usr/share/bash-completion/completions/osiprof", root, root, root, root), 0);
	/* The user and the snapshot directory the package creates. */
	assert_int_equal(sh("dpkg-deb -e %s/deb/osiprof_*_*.deb %s/ctl && grep -q 'adduser --system' %s/ctl/postinst "
			    "&& grep -q 'install -d -o osiprof -g osiprof -m 0750 /var/lib/osiprof' %s/ctl/postinst",
			    tpath("debbuild"), root, root, root), 0);
	/* The installed units verify against the installed binary. */
	snprintf(units, sizeof(units), "%s/lib/systemd/system", root);
	snprintf(bin, sizeof(bin), "%s/usr/bin/osiprof", root);
	assert_int_equal(verify_units(units, bin, tpath("debunits")), 0);
}

static void test_unprivileged_with_two_capabilities(void **state)
{
	const char *dd = "dd if=/dev/zero of=/dev/null bs=1 count=3000";
	char path[512], opts[600];
	struct daemon d;

	/* nobody must reach a directory of its own inside the scratch root. */
	assert_int_equal(sh("chmod 0711 %s && { [ -z \"$TMPDIR\" ] || chmod 0711 \"$TMPDIR\"; } && "
			    "mkdir -m 0777 %s && chmod 0777 %s", tmpdir(), tpath("nobody"), tpath("nobody")), 0);
	assert_int_equal(sh(OSIPROF " record -o %s -- %s 2>/dev/null", tpath("root-dd.json"), dd), 0);
	assert_int_equal(sh(NOBODY_CAPS OSIPROF " record -o %s/dd.json -- %s 2>/dev/null", tpath("nobody"), dd), 0);
	snprintf(path, sizeof(path), "%s/dd.json", tpath("nobody"));
	assert_int_equal(count_of(path, "read"), count_of(tpath("root-dd.json"), "read"));
	assert_int_equal(count_of(path, "write"), count_of(tpath("root-dd.json"), "write"));
	assert_int_equal(count_of(path, "write"), 3003);
	/* Without CAP_BPF: the error names it. */
	assert_int_not_equal(sh("setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=+perfmon "
				"--ambient-caps=+perfmon " OSIPROF " record -o /dev/null -- true"), 0);
	assert_non_null(strstr(last_stderr(), "missing CAP_BPF"));
	assert_null(strstr(last_stderr(), "CAP_PERFMON (run"));
	/* The daemon as that user: after attach it holds nothing at all. */
	snprintf(opts, sizeof(opts), "-a --interval 0.2");
	memset(&d, 0, sizeof(d));
	snprintf(d.dir, sizeof(d.dir), "%s/snaps", tpath("nobody"));
	snprintf(d.pidfile, sizeof(d.pidfile), "%s/d.pid", tpath("nobody"));
	snprintf(d.log, sizeof(d.log), "%s/d.log", tpath("nobody"));
	assert_int_equal(sh(NOBODY_CAPS OSIPROF " daemon -v %s --output-dir %s --pidfile %s --events %s/ev.jsonl "
			    "</dev/null >/dev/null 2>%s &", opts, d.dir, d.pidfile, tpath("nobody"), d.log), 0);
	for (int i = 0; i < 200 && sh("grep -q attached %s", d.log); i++)
		usleep(25000);
	assert_int_equal(sh("grep -q attached %s", d.log), 0);
	/* It records dd as root does: the exit event carries dd's exact file_io. */
	assert_int_equal(sh("%s", dd), 0);
	usleep(500000);
	assert_int_equal(sh("python3 -c 'import json,sys\n"
			    "ev=[json.loads(l) for l in open(sys.argv[1])]\n"
			    "dd=[e for e in ev if e[\"type\"]==\"exit\" and e[\"comm\"]==\"dd\"]\n"
			    "root=json.load(open(sys.argv[2]))\n"
			    "want=[c[\"count\"] for c in root[\"categories\"] if c[\"name\"]==\"file_io\"][0]\n"
			    "assert len(dd)==1 and dd[0][\"categories\"][\"file_io\"][\"count\"]==want, (dd, want)' "
			    "%s/ev.jsonl %s", tpath("nobody"), tpath("root-dd.json")), 0);
	assert_int_equal(sh("p=$(head -1 %s) && grep -q '^CapEff:.0000000000000000$' /proc/$p/status && "
			    "grep -q '^CapPrm:.0000000000000000$' /proc/$p/status && "
			    "grep -q '^NoNewPrivs:.1$' /proc/$p/status", d.pidfile), 0);
	/* A root client asks the daemon running as that user. */
	assert_int_equal(sh(OSIPROF " snapshot --pidfile %s > %s", d.pidfile, tpath("nb.path")), 0);
	assert_int_equal(sh("kill $(head -1 %s)", d.pidfile), 0);
	/* As root the daemon also drops everything once attached. */
	start_daemon(&d, "rootcaps", "-a --interval 0.2");
	assert_int_equal(sh("grep -q '^CapEff:.0000000000000000$' /proc/%d/status && "
			    "grep -q '^CapBnd:.0000000000000000$' /proc/%d/status", d.pid, d.pid), 0);
	assert_int_equal(stop_daemon(&d, SIGTERM), 0);
	sh("chmod 0700 %s; [ -n \"$TMPDIR\" ] && chmod 0700 \"$TMPDIR\"", tmpdir());
}

static void test_health_tells_polling_from_stalled(void **state)
{
	struct daemon d;
	int i;

	start_daemon(&d, "health", "-p 1 --interval 0.2 --listen 127.0.0.1:19261 --test-stall-after 10");
	for (i = 0; i < 100 && sh("curl -sf -o /dev/null http://127.0.0.1:19261/healthz"); i++)
		usleep(50000);
	assert_int_equal(sh("curl -s -o /dev/null -w '%%{http_code}' http://127.0.0.1:19261/healthz | grep -qx 200"), 0);
	assert_int_equal(sh(OSIPROF " health --pidfile %s | grep -q '^ok '", d.pidfile), 0);
	/* The collector stops after 10 polls (2 s); 2 s later it is stalled. */
	sleep(5);
	assert_int_equal(sh("curl -s -o /dev/null -w '%%{http_code}' http://127.0.0.1:19261/healthz | grep -qx 503"), 0);
	assert_int_equal(sh(OSIPROF " health --pidfile %s > %s", d.pidfile, tpath("h.out")), 1);
	assert_int_equal(sh("grep -q '^stalled ' %s", tpath("h.out")), 0);
	assert_true(alive(d.pid));
	assert_int_equal(stop_daemon(&d, SIGTERM), 0);
}

static void test_sd_notify_ready_and_watchdog(void **state)
{
	/* A NOTIFY_SOCKET of our own: READY=1 after attach, then watchdog kicks. */
	assert_int_equal(sh("python3 - %s %s %s <<'EOF'\n"
			    "import os, socket, subprocess, sys, time\n"
			    "path, snaps, osiprof = sys.argv[1], sys.argv[2], sys.argv[3]\n"
			    "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(path); s.settimeout(10)\n"
			    "env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC='1000000')\n"
			    "p = subprocess.Popen([osiprof, 'daemon', '-p', '1', '--interval', '0.2', '--output-dir', snaps,\n"
			    "    '--pidfile', snaps + '.pid'], env=env, stderr=subprocess.DEVNULL)\n"
			    "got = []\n"
			    "try:\n"
			    "    while not any('WATCHDOG=1' in m for m in got):\n"
			    "        got.append(s.recv(4096).decode())\n"
			    "finally:\n"
			    "    p.terminate(); p.wait()\n"
			    "assert 'READY=1' in got[0], got\n"
			    "EOF\ntest $? = 0", tpath("notify.sock"), tpath("notify-snaps"), "$OUTPUT/osiprof"), 0);
}

static void test_container_image(void **state)
{
	const char *run = "podman --runtime runc run --rm --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "
			  "--pid=host --cap-drop=all --cap-add=bpf,perfmon --read-only "
			  "--security-opt seccomp=unconfined -v /sys/kernel/btf:/sys/kernel/btf:ro";
	pid_t w;

	/* A host process that waits, then makes exactly 777 writes and exits. */
	const char *later = "sh -c 'sleep 2; exec " WORKLOAD " --writes 777'";
	char in_image[600];

	assert_int_equal(sh("podman build -q -f tools/Containerfile -t osiprof:test-suite $OUTPUT > /dev/null"), 0);
	/* The image's binary: in a container if this machine can start one. */
	if (sh("%s osiprof:test-suite --version > /dev/null 2>&1", run) == 0) {
		snprintf(in_image, sizeof(in_image), "%s osiprof:test-suite", run);
	} else {
		print_message("# this machine cannot start containers: the image's binary runs on the host\n");
		assert_int_equal(sh("cd %s && podman save osiprof:test-suite -o img.tar && mkdir img && "
				    "tar -xf img.tar -C img && for l in $(find img -name '*.tar'); do "
				    "tar -xf $l -C img osiprof 2>/dev/null; done; test -x img/osiprof", tmpdir()), 0);
		snprintf(in_image, sizeof(in_image), "%s/img/osiprof", tmpdir());
	}
	/* The same counts as the plain binary: 777 writes each. */
	w = start_bg("imgload", later);
	assert_true(w > 0);
	assert_int_equal(sh("%s record -p %d -o - --format json > %s", in_image, w, tpath("img.json")), 0);
	w = start_bg("plainload", later);
	assert_true(w > 0);
	assert_int_equal(sh(OSIPROF " record -p %d -o %s", w, tpath("plain.json")), 0);
	assert_int_equal(count_of(tpath("img.json"), "write"), 777);
	assert_int_equal(count_of(tpath("plain.json"), "write"), 777);
	sh("podman rmi -f osiprof:test-suite > /dev/null 2>&1");
}

static void test_manifest_and_rules(void **state)
{
	assert_int_equal(sh("python3 - <<'EOF'\n"
			    "import yaml\n"
			    "d = yaml.safe_load(open('tools/k8s/daemonset.yaml'))\n"
			    "assert d['kind'] == 'DaemonSet'\n"
			    "spec = d['spec']['template']['spec']\n"
			    "assert spec['hostPID'] is True\n"
			    "c = spec['containers'][0]\n"
			    "sc = c['securityContext']\n"
			    "assert sc['capabilities'] == {'drop': ['ALL'], 'add': ['BPF', 'PERFMON']}\n"
			    "assert sc['readOnlyRootFilesystem'] is True and sc['allowPrivilegeEscalation'] is False\n"
			    "assert not sc.get('privileged')\n"
			    "assert c['resources']['requests'] and c['resources']['limits']\n"
			    "assert 'health' in c['livenessProbe']['exec']['command']\n"
			    "assert 'health' in c['readinessProbe']['exec']['command']\n"
			    "mounts = {m['mountPath'] for m in c['volumeMounts']}\n"
			    "assert '/sys/kernel/btf' in mounts and '/var/lib/osiprof' in mounts\n"
			    "EOF\ntest $? = 0"), 0);
	assert_int_equal(sh("promtool check rules tools/prometheus-rules.yml > /dev/null"), 0);
	assert_int_equal(sh("grep -q '^FROM scratch' tools/Containerfile"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian_package),
		cmocka_unit_test(test_unprivileged_with_two_capabilities),
		cmocka_unit_test(test_health_tells_polling_from_stalled),
		cmocka_unit_test(test_sd_notify_ready_and_watchdog),
		cmocka_unit_test(test_container_image),
		cmocka_unit_test(test_manifest_and_rules),
	};

	return cmocka_run_group_tests_name("deploy", tests, setup, kill_tracked);
}
