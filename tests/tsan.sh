#!/usr/bin/env bash
# tsan.sh - the library under ThreadSanitizer, in the programs that call it from several threads
# at once (doc/threads.md): test_kernel_ctx (independent contexts built, compiled and exported
# on four threads; the first API-level probe raced by four threads) and test_kernel_iface
# (TSYNC with threads). Built out of tree with -fsanitize=thread.
#
#   tests/tsan.sh [build-dir]      (default: build-tsan in the source tree)
#
# Environment: JOBS (default: nproc), TSAN_TESTS (the programs), CC.
# Prints PASS/FAIL/SKIP: tsan/<program> per program; exits 1 when one failed or ThreadSanitizer
# reported anything, 77 when ThreadSanitizer cannot build or run a program here (with why).
# As in the other instrumented runs, the parts a program skips under the instrumentation (its
# malloc counting) do not make it a SKIP (SYSGATE_SANITIZER_BUILD).
# SPDX-License-Identifier: LGPL-2.1-or-later
set -uo pipefail
cd "$(dirname "$0")/.." || exit 99
src=$PWD
build=${1:-$src/build-tsan}
jobs=${JOBS:-$(nproc)}
progs=${TSAN_TESTS:-test_kernel_ctx test_kernel_iface}
flags="-fsanitize=thread -g -O1"

mkdir -p "$build" || exit 99
cd "$build" || exit 99
# can this compiler and this kernel run a ThreadSanitizer program at all? (some kernels' mmap
# randomisation is too wide for older TSan runtimes)
printf '#include <pthread.h>\nstatic void *f(void *p) { return p; }\nint main(void) { pthread_t t; pthread_create(&t, 0, f, 0); return pthread_join(t, 0); }\n' >probe.c
# shellcheck disable=SC2086 # flags is a list
if ! ${CC:-cc} $flags -o probe probe.c -lpthread >probe.log 2>&1; then
	echo "SKIP: tsan (the compiler cannot build with -fsanitize=thread: $(head -n 1 probe.log))"
	exit 77
fi
if ! ./probe >probe.log 2>&1; then
	echo "SKIP: tsan (a ThreadSanitizer program does not run here: $(grep -m 1 -E 'FATAL|ERROR' probe.log))"
	exit 77
fi

[ -x "$src/configure" ] || (cd "$src" && autoreconf -fi >/dev/null 2>&1)
if [ ! -f Makefile ]; then
	"$src/configure" -q CFLAGS="$flags" LDFLAGS=-fsanitize=thread >configure.log 2>&1 || {
		echo "FAIL: tsan/configure"
		tail -n 20 configure.log
		exit 1
	}
fi
targets=
for p in $progs; do targets="$targets tests/$p"; done
# shellcheck disable=SC2086 # one target a word
if ! make -j"$jobs" $targets >build.log 2>&1; then
	echo "FAIL: tsan/build"
	tail -n 30 build.log
	exit 1
fi

# TSan slows everything down: give Check's per-test timeouts room; any report fails the test
export CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-10}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:exitcode=66}
export SYSGATE_SANITIZER_BUILD=1
rc=0
for p in $progs; do
	"./tests/$p" >"$p.log" 2>&1
	prc=$?
	if grep -q 'WARNING: ThreadSanitizer' "$p.log"; then
		echo "FAIL: tsan/$p (ThreadSanitizer reported; see below)"
		grep -A 30 'WARNING: ThreadSanitizer' "$p.log" | head -n 60
		rc=1
	elif [ "$prc" = 0 ]; then
		echo "PASS: tsan/$p ($(grep -m 1 'Checks' "$p.log"))"
	elif [ "$prc" = 77 ]; then
		echo "SKIP: tsan/$p ($(grep -m 1 '^SKIP' "$p.log"))"
	else
		echo "FAIL: tsan/$p (exit $prc)"
		tail -n 30 "$p.log"
		rc=1
	fi
done
exit $rc
