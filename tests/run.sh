#!/bin/sh
# Runs every test binary given, with cmocka's TAP output, and ends with the
# line CI reads: "N passed, N failed". No test run at all is a failure.
set -u
passed=0
failed=0
log=$(mktemp)
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
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
