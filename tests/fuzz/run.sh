#!/usr/bin/env bash
# Build sysgate's libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined) straight
# from the sources (no autotools) and run each for a bounded time.
#
#   tests/fuzz/run.sh [seconds-per-target] [target...]
#
# Targets: api bpf profile (profile needs json-c and tools/profile_*.c). Defaults: 30 s each,
# all targets. Environment: FUZZ_BUILD (build dir, default tests/fuzz/build),
# FUZZ_JOBS (parallel fuzzing jobs per target, default 1), FUZZ_ARGS (extra libFuzzer flags),
# CC (default clang). New interesting inputs go to $FUZZ_BUILD/corpus-<target>/ (the committed
# seeds in tests/fuzz/corpus/<target>/ are only read); crashes to $FUZZ_BUILD/crash-*.
# Exit status: 0 all targets ran clean, 1 a target found a problem, 77 clang/libFuzzer missing.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
cd "$(dirname "$0")/../.." || exit 1
top=$PWD
secs=${1:-30}
shift || true
targets=${*:-api bpf profile}
build=${FUZZ_BUILD:-$top/tests/fuzz/build}
CC=${CC:-clang}
mkdir -p "$build/include"

if ! command -v "$CC" >/dev/null 2>&1; then
	echo "SKIP: $CC not found (apt-get install clang libclang-rt-14-dev)"
	exit 77
fi
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n){return 0;}' |
	"$CC" -x c - -fsanitize=fuzzer -o "$build/probe" 2>/dev/null; then
	echo "SKIP: $CC cannot link libFuzzer (apt-get install libclang-rt-14-dev)"
	exit 77
fi

# what configure would generate
cat >"$build/config.h" <<'EOH'
#define _GNU_SOURCE 1
#define PACKAGE_VERSION "fuzz"
#define SG_FAULT_INJECTION 1
EOH
sed -e 's/@VERSION_MAJOR@/2/' -e 's/@VERSION_MINOR@/6/' -e 's/@VERSION_MICRO@/1/' \
	-e 's/@PACKAGE_VERSION@/fuzz/' include/seccomp.h.in >"$build/include/seccomp.h"

# shellcheck disable=SC2054
cflags=(-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
	-fno-sanitize-recover=all -std=gnu11 -Wall -Wno-unused-command-line-argument
	-I"$build" -I"$build/include" -Iinclude -Isrc -Itools)
lib_sources=(src/*.c src/arch/*.c)

build_target() {
	local t=$1 extra=()
	local src=tests/fuzz/fuzz_$t.c
	case $t in
	profile)
		if [ ! -f tools/profile_build.c ] || ! pkg-config --exists json-c; then
			echo "SKIP: fuzz_profile needs tools/profile_*.c and json-c"
			return 77
		fi
		# shellcheck disable=SC2207
		extra=(tools/profile_json.c tools/profile_cond.c tools/profile_build.c $(pkg-config --cflags --libs json-c))
		;;
	esac
	echo "== building fuzz_$t"
	"$CC" "${cflags[@]}" "$src" "${lib_sources[@]}" "${extra[@]}" -o "$build/fuzz_$t" ||
		return 1
}

status=0
summary=()
for t in $targets; do
	build_target "$t"
	rc=$?
	[ $rc = 77 ] && { summary+=("fuzz_$t: skipped"); continue; }
	[ $rc != 0 ] && { summary+=("fuzz_$t: BUILD FAILED"); status=1; continue; }
	mkdir -p "$build/corpus-$t"
	log=$build/fuzz_$t.log
	echo "== running fuzz_$t for ${secs}s"
	jobs=
	[ "${FUZZ_JOBS:-1}" -gt 1 ] && jobs="-jobs=$FUZZ_JOBS -workers=$FUZZ_JOBS"
	# the live corpus first (new inputs are written there), then the committed seeds
	# shellcheck disable=SC2086 # $jobs and $FUZZ_ARGS are lists of flags
	(cd "$build" && ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"./fuzz_$t" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
		-rss_limit_mb=2048 -max_len=4096 $jobs \
		${FUZZ_ARGS:-} "corpus-$t" "$top/tests/fuzz/corpus/$t") >"$log" 2>&1
	rc=$?
	execs=$(grep -h 'stat::number_of_executed_units' "$log" "$build"/fuzz-*.log 2>/dev/null |
		awk '{s+=$2} END{print s+0}')
	rate=$(grep -h 'stat::average_exec_per_sec' "$log" "$build"/fuzz-*.log 2>/dev/null |
		awk '{s+=$2} END{print s+0}')
	cov=$(grep -ho 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')
	ft=$(grep -ho 'ft: [0-9]*' "$log" | tail -1 | awk '{print $2}')
	corpus=$(find "$build/corpus-$t" -type f | wc -l)
	line="fuzz_$t: ${secs}s, $execs executions ($rate/s), coverage ${cov:-?} edges, ${ft:-?} features, corpus $corpus"
	if [ $rc != 0 ]; then
		line="$line: FAILED (exit $rc)"
		status=1
		grep -E 'ERROR|SUMMARY|abort|Test unit written|^==' "$log" | head -20
	fi
	summary+=("$line")
done
printf '%s\n' "${summary[@]}"
exit $status
