#!/bin/sh
# Run the fault-injection test and the compiler-core tests under valgrind's leak checker:
# every failed allocation path must release what it took, and the normal paths too.
# Skips visibly (exit 77) when valgrind is not installed.
#
#   tests/valgrind.sh                  test_core, and test_faults in a fault-injection build
#                                      (what `make check` runs)
#   tests/valgrind.sh all              every Check test program that was built, but those
#                                      that need seccomp(2) itself
#   tests/valgrind.sh test_x test_y    those programs
# (or VALGRIND_TESTS="..." in the environment). valgrind does not emulate seccomp(2), so "all"
# leaves out the programs whose every test needs it in force (test_live, test_kvers_live,
# test_bpf_live, test_kernel_iface and test_kernel_notify; each says SKIP when run under
# valgrind) and test_refdiff (the reference library's kernel probes would disagree with ours);
# test_kernel_ctx, the library's side of the kernel interface, runs. A program that skips
# itself makes the whole run a SKIP (77), with its line; a failure makes it a FAIL.
# SPDX-License-Identifier: LGPL-2.1-or-later

builddir=${top_builddir:-.}
# SYSGATE_NO_VALGRIND=REASON: not here (tests/sanitize.sh; run-all.sh's normal build, whose
# programs all run under valgrind in its fault-injection build)
if [ -n "${SYSGATE_NO_VALGRIND:-}" ]; then
	echo "SKIP: $SYSGATE_NO_VALGRIND"
	exit 77
fi
# valgrind cannot run AddressSanitizer binaries
if grep -q -e '-fsanitize=' "$builddir/Makefile" 2>/dev/null; then
	echo "SKIP: sanitizer build, valgrind not run"
	exit 77
fi
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
if [ -z "${SYSGATE_TEST_API_LEVEL:-}" ] && [ -x "$builddir/tests/test_faults" ]; then
	SYSGATE_TEST_API_LEVEL=$("$builddir/tests/test_faults" --api-level)
	export SYSGATE_TEST_API_LEVEL
fi

# the verification tests: libseccomp's child in test_refdiff is slow under valgrind too
SYSGATE_REFDIFF_TIMEOUT=${SYSGATE_REFDIFF_TIMEOUT:-30}
SYSGATE_REFDIFF_ITERS=${SYSGATE_REFDIFF_ITERS:-10}
SYSGATE_OPTEQUIV_ITERS=${SYSGATE_OPTEQUIV_ITERS:-15}
export SYSGATE_REFDIFF_TIMEOUT SYSGATE_REFDIFF_ITERS SYSGATE_OPTEQUIV_ITERS

default=test_core
# test_faults needs the fault-injection build (configure --enable-fault-injection)
grep -q 'define SG_FAULT_INJECTION 1' "$builddir/config.h" 2>/dev/null && default="test_faults test_core"
tests=${*:-${VALGRIND_TESTS:-$default}}
if [ "$tests" = all ]; then
	tests=
	for exe in "$builddir"/tests/test_*; do
		# test_tiny_daemon is the tutorial program, not a Check test; the others left out
		# need seccomp(2), which valgrind does not emulate
		case $exe in *.c | *.o | *.sh | *.log | *.trs | *.out | */test_tiny_daemon) continue ;; esac
		case $exe in */test_live | */test_kvers_live | */test_bpf_live) continue ;; esac
		case $exe in */test_kernel_iface | */test_kernel_notify | */test_refdiff) continue ;; esac
		[ -x "$exe" ] && tests="$tests ${exe##*/}"
	done
fi

# one program under valgrind; its verdict line goes to $builddir/tests/valgrind-T.res
if [ "${1:-}" = --one ]; then
	t=$2
	exe="$builddir/tests/$t"
	res="$builddir/tests/valgrind-$t.res"
	if [ ! -x "$exe" ]; then
		echo "SKIP: $t is not built" >"$res"
		exit 0
	fi
	"$builddir/libtool" --mode=execute valgrind --quiet --error-exitcode=99 \
		--leak-check=full --errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect --track-fds=no "$exe" >"$builddir/tests/valgrind-$t.out" 2>&1
	rc=$?
	case $rc in
	0) echo "PASS: $t under valgrind: no errors, no leaks" >"$res" ;;
	77) echo "SKIP: $t skipped itself under valgrind" >"$res" ;;
	*) echo "FAIL: $t under valgrind (exit $rc):" >"$res" ;;
	esac
	exit 0
fi

# the programs run VALGRIND_JOBS at a time (default: one per CPU), from a queue: the slow
# ones do not hold the others up (valgrind is 20-50x slower; the whole set is minutes)
jobs=${VALGRIND_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
for t in $tests; do
	rm -f "$builddir/tests/valgrind-$t.res"
	echo "$t"
done | xargs -P "$jobs" -n 1 sh "$0" --one
failed=0
skipped=0
for t in $tests; do
	res="$builddir/tests/valgrind-$t.res"
	if [ ! -s "$res" ]; then
		echo "FAIL: $t under valgrind: no verdict"
		failed=1
		continue
	fi
	cat "$res"
	case $(cat "$res") in
	SKIP:*) skipped=1 ;;
	FAIL:*)
		cat "$builddir/tests/valgrind-$t.out"
		failed=1
		;;
	esac
done
[ "$failed" = 1 ] && exit 1
[ "$skipped" = 1 ] && exit 77
exit 0
