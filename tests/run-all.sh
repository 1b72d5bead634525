#!/usr/bin/env bash
# Build sysgate and run the whole test suite (the README's second command).
# Installs the build and test dependencies with apt when run as root on Debian.
set -euo pipefail
cd "$(dirname "$0")/.."

# build: toolchain, Check, json-c; tests: Debian's libseccomp (second opinion), graphviz,
# valgrind, and the real libseccomp clients and ABI tools of tests/compat (systemd-tests:
# systemd's test-seccomp, which tests/compat/clients-quick.sh runs); python3-dev: the Python
# module (configure --enable-python)
deps=(build-essential autoconf automake libtool pkg-config check libseccomp-dev seccomp
      libjson-c-dev graphviz valgrind abigail-tools man-db universal-ctags strace
      clang libclang-rt-14-dev systemd-tests python3-dev)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	missing=()
	for p in "${deps[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	fi
fi

# how long each stage took, printed at the end (CI's time budget is read off these lines)
t0=$SECONDS
stages=()
stage_done() { stages+=("$1 $((SECONDS - t0)) s"); t0=$SECONDS; }
autoreconf -fi >/dev/null 2>&1
# the Python module is built and tested too (python/run-tests.sh)
./configure -q --enable-python
make -j"$(nproc)" >/dev/null
stage_done build
rc=0
# (valgrind.sh runs below, over every Check program of the fault-injection build)
SYSGATE_NO_VALGRIND="every Check program runs under valgrind in the fault-injection build below" \
	make -j"$(nproc)" check >test-suite.out 2>&1 || rc=$?
stage_done "make check"
faults=$(mktemp -d)
trap 'rm -rf "$faults"' EXIT
# real kernels for the ABIs this machine may not run natively (i386 and x32 need IA32
# emulation and CONFIG_X86_X32_ABI): tests/crossarch/run.sh boots Debian's x86 kernel in
# qemu-system and runs live_arch for x86_64, x86 and x32 (qemu and the kernel are installed
# and downloaded on first use, then cached: ~1.5 min cold, ~40 s warm on 2 cores). One
# summary line per ABI; SKIP with the reason when it cannot run.
xrc=0
CROSSARCH_JOBS="$(nproc)" sh tests/crossarch/run.sh x86 >"$faults/crossarch.log" 2>&1 || xrc=$?
awk '$1 == "x86" && ($4 == "PASS" || $4 == "FAIL" || $4 == "SKIP") {
	# after passed/failed: the seconds (first ABI of the target only), then the note
	note = ""; for (i = ($7 ~ /^[0-9]+$/ ? 8 : 7); i <= NF; i++) note = note " " $i
	if ($4 == "SKIP") printf "SKIP: tests/crossarch/x86/%s (%s)\n", $2, substr(note, 2)
	else printf "%s: tests/crossarch/x86/%s (%s checks passed, %s failed, kernel %s)\n", $4, $2, $5, $6, $3
}' "$faults/crossarch.log" >"$faults/crossarch.sum"
if [ ! -s "$faults/crossarch.sum" ]; then
	echo "$( [ "$xrc" = 77 ] && echo SKIP || echo FAIL ): tests/crossarch/x86 ($(grep '^crossarch: ' "$faults/crossarch.log" | tail -n 1 | cut -c12-))" >"$faults/crossarch.sum"
fi
cat "$faults/crossarch.sum" >>test-suite.out
stage_done "crossarch x86 (qemu)"
if [ "$xrc" != 0 ] && [ "$xrc" != 77 ]; then
	rc=1
	tail -n 40 "$faults/crossarch.log" >&2
fi
# allocation-failure injection needs its own build (the allocator fails on demand there):
# a copy of the tree, reconfigured, runs the fault test and then every Check program under
# valgrind (errors and leaks, the injected failures included). The same build is a debug
# build (--enable-debug): every Check program also runs with the rule database's
# invariants asserted (src/db_check.h), and test_invariants checks the checker.
if [ "$rc" = 0 ]; then
	# the copies have no ../shared beside them: point them at ours (libseccomp 2.6.1, the
	# reference of test_refdiff_261.sh and test_ladder_ref)
	ref261=../shared/ref/libseccomp-2.6.1/lib/libseccomp.so.2.6.1
	if [ -z "${SYSGATE_REF_LIBSECCOMP_261:-}" ] && [ -e "$ref261" ]; then
		SYSGATE_REF_LIBSECCOMP_261=$(cd "${ref261%/*}" && pwd)/${ref261##*/}
		export SYSGATE_REF_LIBSECCOMP_261
	fi
	cp -a . "$faults/src"
	(cd "$faults/src" && make distclean >/dev/null)
	# the whole suite again under AddressSanitizer + UBSan (out of tree, in the clean copy);
	# its results are listed as asan/<test>
	if bash "$faults/src/tests/sanitize.sh" "$faults/asan" >"$faults/asan.log" 2>&1; then
		grep -E '^sanitizers: ' "$faults/asan.log" || true
	else
		rc=1
		tail -n 80 "$faults/asan.log" >&2
	fi
	sed -n 's,^\(PASS\|FAIL\|SKIP\|XFAIL\|XPASS\|ERROR\): ,\1: asan/,p' "$faults/asan.log" >>test-suite.out
	stage_done "ASan+UBSan suite"
fi
# the programs that call the library from several threads, under ThreadSanitizer (in the same
# clean copy, out of tree; doc/threads.md): tsan/<program> lines, SKIP when TSan cannot run here
if [ "$rc" = 0 ]; then
	trc=0
	bash "$faults/src/tests/tsan.sh" "$faults/tsan" >"$faults/tsan.log" 2>&1 || trc=$?
	grep -E '^(PASS|FAIL|SKIP): tsan' "$faults/tsan.log" >>test-suite.out || true
	if [ "$trc" != 0 ] && [ "$trc" != 77 ]; then
		rc=1
		tail -n 80 "$faults/tsan.log" >&2
		grep -q '^FAIL: tsan' "$faults/tsan.log" || echo "FAIL: tsan (exit $trc)" >>test-suite.out
	fi
	stage_done "ThreadSanitizer"
fi
if [ "$rc" = 0 ]; then
	(cd "$faults/src" &&
		./configure -q --enable-fault-injection --enable-debug >/dev/null &&
		make -j"$(nproc)" >/dev/null &&
		VALGRIND_TESTS=all make -j"$(nproc)" check \
			TESTS="tests/test_faults tests/test_invariants tests/valgrind.sh") \
		>>test-suite.out 2>&1 || rc=$?
	stage_done "fault injection + valgrind"
fi
# fuzzing: each libFuzzer target for a bounded time (tests/fuzz/README.md for longer runs)
if [ "$rc" = 0 ]; then
	frc=0
	FUZZ_BUILD="$faults/fuzz" bash tests/fuzz/run.sh "${FUZZ_SECONDS:-20}" >"$faults/fuzz.log" 2>&1 || frc=$?
	grep -E '^fuzz_[a-z]+: ' "$faults/fuzz.log" || true
	case $frc in
	0) echo "PASS: tests/fuzz (${FUZZ_SECONDS:-20} s per target)" >>test-suite.out ;;
	77) echo "SKIP: tests/fuzz ($(grep '^SKIP: ' "$faults/fuzz.log" | cut -c7- | paste -sd ';' -))" >>test-suite.out ;;
	*)
		tail -n 40 "$faults/fuzz.log" >&2
		echo "FAIL: tests/fuzz" >>test-suite.out
		rc=1
		;;
	esac
	stage_done fuzz
fi
# the library and tools cross-built with -Werror (installs the cross compilers when root). CI
# builds one target per hazard, within its time budget: i386 (32-bit, predefines i386),
# mipsel (MIPS's predefined names, 32-bit), s390x (big-endian), x32 (ILP32 on 64-bit
# registers), aarch64 (64-bit, the asm-generic syscall table). `tests/cross-build.sh` without
# arguments builds all nine of Debian's libseccomp architectures (armhf, mips64el, ppc64el and
# riscv64 too); CROSS_TARGETS=all here does the same.
if [ "$rc" = 0 ]; then
	crc=0
	cross_targets=${CROSS_TARGETS:-aarch64 i386 mipsel s390x x32}
	[ "$cross_targets" = all ] && cross_targets=
	# shellcheck disable=SC2086 # one target a word
	bash tests/cross-build.sh $cross_targets >"$faults/cross.log" 2>&1 || crc=$?
	grep -E '^cross-build: (PASS|FAIL|SKIP|builds)' "$faults/cross.log" || true
	case $crc in
	0) echo "PASS: tests/cross-build.sh" >>test-suite.out ;;
	77) echo "SKIP: tests/cross-build.sh (no cross compiler)" >>test-suite.out ;;
	*)
		tail -n 40 "$faults/cross.log" >&2
		echo "FAIL: tests/cross-build.sh" >>test-suite.out
		rc=1
		;;
	esac
	stage_done cross-build
fi
grep -E '^(PASS|FAIL|SKIP|XFAIL|XPASS|ERROR):' test-suite.out || true
# every skip with its reasons: the SKIP lines the skipped test printed in its log
find . "$faults" -name '*.trs' -exec grep -l '^:test-result: SKIP' {} + 2>/dev/null | sort |
	while read -r trs; do
		echo "skipped ${trs%.trs}:"
		grep '^SKIP: ' "${trs%.trs}.log" | sed 's/^SKIP: /    /' || echo "    (no reason printed)"
	done || true # find fails when grep -l matches nothing: no skips
if [ "$rc" != 0 ]; then
	# show the logs of what failed, not of everything
	find . "$faults" -name '*.trs' -exec grep -l -E '^:test-result: (FAIL|ERROR|XPASS)' {} + 2>/dev/null |
		while read -r trs; do
			echo "===== ${trs%.trs}.log" >&2
			tail -n 60 "${trs%.trs}.log" >&2
		done || true
	tail -n 30 test-suite.out >&2
fi
# one closing line any CI reader understands (Check's own lines are in the per-test logs)
pass=$(grep -c '^PASS:' test-suite.out || true)
fail=$(grep -c -E '^(FAIL|ERROR|XPASS):' test-suite.out || true)
skip=$(grep -c '^SKIP:' test-suite.out || true)
printf 'time: %s\n' "${stages[@]}"
echo "${pass} passed, ${fail} failed, ${skip} skipped"
exit "$rc"
