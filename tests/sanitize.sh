#!/usr/bin/env bash
# Build sysgate with AddressSanitizer + UBSan out of tree and run the whole test suite there.
#
#   tests/sanitize.sh [build-dir]      (default: build-asan in the source tree)
#
# Environment: JOBS (default: nproc), CONFIGURE_FLAGS (extra ./configure flags), CC.
# Sanitizer settings used for the tests (override with ASAN_OPTIONS / UBSAN_OPTIONS; see
# doc/verification.md):
#  - detect_leaks=0: several tests run code under their own seccomp filters, where
#    LeakSanitizer's exit-time check (it needs ptrace/clone) dies fatally; leaks are valgrind's
#    job (tests/valgrind.sh). SANITIZE_LEAKS=1 turns it back on;
#  - verify_asan_link_order=0: the install/ABI tests build uninstrumented clients against the
#    instrumented libseccomp.so;
#  - abort_on_error=1 / halt_on_error=1: any report fails the test that caused it;
#  - allocator_may_return_null=1: the limit tests ask for huge programs on purpose.
# SYSGATE_SANITIZER_BUILD=1 tells tests that check the distributable library itself (NEEDED
# list, ...) that they run on an instrumented build, and SYSGATE_NO_VALGRIND=REASON makes
# tests/valgrind.sh skip (valgrind cannot run ASan binaries).
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
build=${1:-$src/build-asan}
jobs=${JOBS:-$(nproc)}

[ -x "$src/configure" ] || (cd "$src" && autoreconf -fi >/dev/null 2>&1)
mkdir -p "$build"
cd "$build"
start=$(date +%s)
if [ ! -f Makefile ]; then
	# shellcheck disable=SC2086
	"$src/configure" -q --enable-sanitizers ${CONFIGURE_FLAGS:-}
fi
make -j"$jobs" >/dev/null
built=$(date +%s)
leaks=0
[ -n "${SANITIZE_LEAKS:-}" ] && leaks=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=$leaks:abort_on_error=1:allocator_may_return_null=1:verify_asan_link_order=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# sanitizers slow everything down: give Check's per-test timeouts room
export CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-10}
export SYSGATE_NO_VALGRIND="sanitizer build, valgrind not run" SYSGATE_SANITIZER_BUILD=1
# translation validation (tests/tv.c) proves compiled programs in the normal build; here it
# proves a few per test program, enough to run the symbolic engine under the sanitizers
export SYSGATE_TV_BUDGET=${SYSGATE_TV_BUDGET:-8}
rc=0
make -j"$jobs" check >test-suite.out 2>&1 || rc=$?
end=$(date +%s)
grep -E '^(PASS|FAIL|SKIP|XFAIL|XPASS|ERROR):' test-suite.out || true
if [ "$rc" != 0 ]; then
	find . -name '*.trs' -exec grep -l -E '^:test-result: (FAIL|ERROR|XPASS)' {} + 2>/dev/null |
	while read -r trs; do
		echo "===== ${trs%.trs}.log"
		grep -E 'ERROR: AddressSanitizer|runtime error|SUMMARY|LeakSanitizer' "${trs%.trs}.log" | head -20
		tail -n 40 "${trs%.trs}.log"
	done
fi
pass=$(grep -c '^PASS:' test-suite.out || true)
fail=$(grep -c -E '^(FAIL|ERROR|XPASS):' test-suite.out || true)
skip=$(grep -c '^SKIP:' test-suite.out || true)
echo "sanitizers: build $((built - start)) s, make check $((end - built)) s"
echo "${pass} passed, ${fail} failed, ${skip} skipped"
exit "$rc"
