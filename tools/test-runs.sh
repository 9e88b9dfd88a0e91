#!/usr/bin/env bash
# make test's runs after its build: the Swift tests, and beside them, at the lowest CPU priority,
# the shipped regression suite and then the fault catalogue on the bmssim of the same build.
#
# Why beside: the tests leave about a fifth of the 2 cores idle (they wait on sockets, serial
# lines and child processes); the suites at nice 19 take that idle time and yield the CPU to the
# tests whenever they want it, then run at full speed once the tests are done. Each suite writes
# its table to a log that is printed after the tests, and its exit status counts.
#
# Usage: tools/test-runs.sh SKIP_PATTERN SWIFT_TEST_FLAGS...     (from the Makefile's `test`)
set -uo pipefail
cd "$(dirname "$0")/.."
skip="$1"; shift
swift="${SWIFT:-swift}"
mkdir -p out

(
    nice -n 19 .build/release/bmssim regress regress --out out/regress > out/regress.log 2>&1
    echo $? > out/regress.status
    nice -n 19 .build/release/bmssim regress regress/faults --out out/regress-faults > out/regress-faults.log 2>&1
    echo $? > out/regress-faults.status
) &
suites=$!

"$swift" test --skip-build "$@" --skip "$skip"
tests=$?
wait "$suites"

status=$tests
for s in regress regress-faults; do
    echo "== bmssim regress ($s): out/$s.log"
    cat "out/$s.log"
    code=$(cat "out/$s.status" 2>/dev/null || echo 1)
    [ "$code" -eq 0 ] || { echo "bmssim regress ($s) failed with status $code"; status=1; }
done
exit "$status"
