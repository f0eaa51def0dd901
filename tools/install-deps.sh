#!/bin/sh
# Installs, with apt-get, whatever osiprof needs that this Debian machine lacks.
#   tools/install-deps.sh          build and run (the default)
#   tools/install-deps.sh test     plus what the test suite uses
#   tools/install-deps.sh bench    plus the peer tools the benchmark compares with
set -eu

build="make gcc libc6-dev clang llvm libbpf-dev bpftool libelf-dev libdw-dev liblzma-dev libbz2-dev zlib1g-dev libjson-c-dev libmicrohttpd-dev libcap-dev libsystemd-dev pkg-config"
test="$build g++ linux-perf dpkg-dev debhelper lintian podman runc python3-yaml systemtap-sdt-dev libcmocka-dev libclang-rt-14-dev prometheus curl strace util-linux mount binutils procps systemd python3 python3-jsonschema python3-matplotlib golang-go"
bench="$test bpftrace libbpf-tools linux-perf"

case "${1:-build}" in
build) want=$build ;;
test) want=$test ;;
bench) want=$bench ;;
*) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
