#!/bin/sh
# Run the fault-injection test and the compiler-core tests under valgrind's leak checker:
# every failed allocation path must release what it took, and the normal paths too.
# Skips visibly (exit 77) when valgrind is not installed.
# SPDX-License-Identifier: LGPL-2.1-or-later

builddir=${top_builddir:-.}
if ! command -v valgrind >/dev/null 2>&1; then
	echo "SKIP: valgrind is not installed"
	exit 77
fi

# Check forks a child per test; valgrind checks each child for leaks when it exits, and the
# error exit code makes Check report that test as failed. (The process-wide state a test
# changes, e.g. seccomp_reset(NULL, ...), stays in its child.)
SYSGATE_UNDER_VALGRIND=1
# everything runs some 20-50 times slower under valgrind: stretch Check's per-test timeouts
CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-20}
export SYSGATE_UNDER_VALGRIND CK_TIMEOUT_MULTIPLIER

# valgrind does not emulate seccomp(2), so under it sysgate would see API level 1: ask the
# kernel outside valgrind and have the tests force that level
if [ -x "$builddir/tests/test_faults" ]; then
	SYSGATE_TEST_API_LEVEL=$("$builddir/tests/test_faults" --api-level)
	export SYSGATE_TEST_API_LEVEL
fi

status=77
for t in test_faults test_core; do
	exe="$builddir/tests/$t"
	if [ ! -x "$exe" ]; then
		echo "SKIP: $t is not built"
		continue
	fi
	"$builddir/libtool" --mode=execute valgrind --quiet --error-exitcode=99 \
		--leak-check=full --errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect --track-fds=no "$exe" >"$builddir/tests/valgrind-$t.out" 2>&1
	rc=$?
	case $rc in
	0)
		echo "PASS: $t under valgrind: no errors, no leaks"
		[ "$status" = 77 ] && status=0
		;;
	77)
		echo "SKIP: $t skipped itself under valgrind"
		;;
	*)
		echo "FAIL: $t under valgrind (exit $rc):"
		cat "$builddir/tests/valgrind-$t.out"
		status=1
		;;
	esac
done
exit $status
