#!/bin/sh
# Runs `osiprof daemon -a` under fork/exit churn for a while and prints, every
# SAMPLE seconds, the daemon's RSS, its map memory, the process map's entry
# count and how many processes have come and gone: all but the last must stay
# flat for a daemon that does not grow.
#   tools/daemon-soak.sh [SECONDS] [SAMPLE]     (defaults: 600 and 30)
set -eu
cd "$(dirname "$0")/.."
dur=${1:-600}
step=${2:-30}
out=$(mktemp -d /tmp/osiprof-soak.XXXXXX)
make -s build/osiprof "$PWD/build/tests/workload" >/dev/null

build/osiprof daemon -a --interval 1 --max-processes 1024 --output-dir "$out/snap" \
	--pidfile "$out/pid" --events "$out/events.jsonl" 2>"$out/daemon.log" &
dpid=$!
trap 'kill $dpid 2>/dev/null; kill $churn 2>/dev/null; true' EXIT
sleep 2
# Churn: short-lived processes, forever, until we stop it.
( while :; do build/tests/workload --children 50 --per-task 3 >/dev/null || sleep 0.1; done ) &
churn=$!

printf '%8s %12s %12s %14s %12s\n' seconds rss_kb map_bytes procs_entries exited
t=0
while [ "$t" -le "$dur" ]; do
	rss=$(awk '/VmRSS/ {print $2}' /proc/$dpid/status)
	snap=$(build/osiprof snapshot --pidfile "$out/pid")
	/usr/bin/python3 - "$snap" "$t" "$rss" <<'PY'
import json, subprocess, sys
r = json.load(open(sys.argv[1]))
maps = json.loads(subprocess.run(["bpftool", "-j", "map", "show"], capture_output=True, text=True).stdout)
procs = [m["id"] for m in maps if m.get("name") == "procs"]
n = 0
if procs:
    dump = subprocess.run(["bpftool", "-j", "map", "dump", "id", str(procs[-1])], capture_output=True, text=True).stdout
    n = len(json.loads(dump)) if dump.strip() else 0
print(f"{sys.argv[2]:>8} {sys.argv[3]:>12} {r['self']['map_bytes']:>12} {n:>14} {r['exited_processes']['count']:>12}")
PY
	sleep "$step"
	t=$((t + step))
done
kill $churn 2>/dev/null || true
kill -TERM $dpid
wait $dpid || true
echo "snapshots and event log in $out"
