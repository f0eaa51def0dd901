#!/bin/sh
# Runs every test binary given, with cmocka's TAP output, and ends with the
# line CI reads: "N passed, N failed". No test run at all is a failure.
# Every test works inside one scratch root (TMPDIR), removed at the end; the
# run fails if anything outside it changed: /dev/null must still be the
# character device, and /tmp must hold what it held before.
set -u
passed=0
failed=0
# /tmp as it was, less suite roots (ours, or another run's at the same time).
listing() { ls -A /tmp | grep -v '^osiprof-suite\.'; }
root=$(mktemp -d /tmp/osiprof-suite.XXXXXX) || exit 1
log=$root/test.log
before=$(listing)
export TMPDIR=$root
for t in "$@"; do
	echo "== $(basename "$t")"
	CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$log" 2>&1
	rc=$?
	cat "$log"
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "# $(basename "$t") exited with status $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done
# Every report, snapshot and event log the tests wrote: sums and strict JSON.
if ! /usr/bin/python3 "$(dirname "$0")/check_invariants.py" "$root"; then
	failed=$((failed + 1))
fi
# Mounts a test left behind (a failed test's tmpfs) would block the removal.
grep " $root/" /proc/mounts | cut -d' ' -f2 | sort -r | xargs -r -n1 umount 2>/dev/null
rm -rf "$root"
if [ ! -c /dev/null ]; then
	echo "# the suite changed /dev/null: it is no longer a character device"
	failed=$((failed + 1))
fi
after=$(listing)
if [ "$after" != "$before" ]; then
	echo "# the suite changed /tmp outside its scratch root:"
	echo "$after" | while read -r f; do
		echo "$before" | grep -qxF "$f" || echo "#   added /tmp/$f"
	done
	echo "$before" | while read -r f; do
		echo "$after" | grep -qxF "$f" || echo "#   removed /tmp/$f"
	done
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
