#!/usr/bin/env bash
# Build sysgate's libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined) straight
# from the sources (no autotools) and run each for a bounded time.
#
#   tests/fuzz/run.sh [seconds-per-target] [target...]
#
# Targets: api bpf profile (profile needs json-c and tools/profile_*.c). Defaults: 30 s each,
# all targets. Environment: FUZZ_BUILD (build dir, default tests/fuzz/build),
# FUZZ_JOBS (parallel fuzzing jobs per target, default 1), FUZZ_PARALLEL (targets fuzzed at
# once, default one per CPU), FUZZ_ARGS (extra libFuzzer flags),
# CC (default clang). New interesting inputs go to $FUZZ_BUILD/corpus-<target>/ (the committed
# seeds in tests/fuzz/corpus/<target>/ are only read); crashes to $FUZZ_BUILD/crash-*.
# Exit status: 0 all targets ran clean, 1 a target found a problem, 77 clang/libFuzzer missing or
# a target could not be built (its reason printed).
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
ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)

# the library's objects once for every target, one compiler per CPU
compile_lib() {
	rm -rf "$build/obj"
	mkdir -p "$build/obj"
	# shellcheck disable=SC2016 # $1, $2 and $@ belong to the inner shell
	printf '%s\n' "${lib_sources[@]}" |
		OBJ="$build/obj" xargs -P "$ncpu" -I{} sh -c \
			'src=$1; shift; exec "$@" -c "$src" -o "$OBJ/$(echo "$src" | tr / _).o"' \
			sh {} "$CC" "${cflags[@]}"
}

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
	"$CC" "${cflags[@]}" "$src" "$build"/obj/*.o "${extra[@]}" -o "$build/fuzz_$t" ||
		return 1
}

# run_target T: fuzz T for $secs seconds; its summary line in $build/fuzz_T.sum, exit status
# in $build/fuzz_T.rc
run_target() {
	local t=$1 log=$build/fuzz_$1.log jobs=
	mkdir -p "$build/corpus-$t"
	echo "== running fuzz_$t for ${secs}s"
	[ "${FUZZ_JOBS:-1}" -gt 1 ] && jobs="-jobs=$FUZZ_JOBS -workers=$FUZZ_JOBS"
	# the live corpus first (new inputs are written there), then the committed seeds
	# shellcheck disable=SC2086 # $jobs and $FUZZ_ARGS are lists of flags
	(cd "$build" && ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"./fuzz_$t" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
		-rss_limit_mb=2048 -max_len=4096 $jobs \
		${FUZZ_ARGS:-} "corpus-$t" "$top/tests/fuzz/corpus/$t") >"$log" 2>&1
	local rc=$?
	local execs rate cov ft corpus
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
		grep -E 'ERROR|SUMMARY|abort|Test unit written|^==' "$log" | head -20
	fi
	echo "$line" >"$build/fuzz_$t.sum"
	echo "$rc" >"$build/fuzz_$t.rc"
}

status=0
skipped=0
echo "== building the library for the fuzz targets"
compile_lib || { echo "fuzz: library build FAILED"; exit 1; }
runnable=()
for t in $targets; do
	rm -f "$build/fuzz_$t.sum" "$build/fuzz_$t.rc"
	build_target "$t"
	rc=$?
	[ $rc = 77 ] && { echo "fuzz_$t: skipped" >"$build/fuzz_$t.sum"; skipped=1; continue; }
	[ $rc != 0 ] && { echo "fuzz_$t: BUILD FAILED" >"$build/fuzz_$t.sum"; status=1; continue; }
	runnable+=("$t")
done
# the targets run side by side, one per CPU (FUZZ_PARALLEL): each still gets $secs seconds
# of its own (libFuzzer runs one process per target unless FUZZ_JOBS says otherwise)
running=0
for t in "${runnable[@]}"; do
	if [ "$running" -ge "${FUZZ_PARALLEL:-$ncpu}" ]; then
		wait -n
		running=$((running - 1))
	fi
	run_target "$t" &
	running=$((running + 1))
done
wait
for t in $targets; do
	[ -f "$build/fuzz_$t.rc" ] && [ "$(cat "$build/fuzz_$t.rc")" != 0 ] && status=1
	cat "$build/fuzz_$t.sum" 2>/dev/null || { echo "fuzz_$t: no result"; status=1; }
done
# a target that could not run makes the whole run a skip (its reason is printed above), not a pass
[ $status = 0 ] && [ $skipped = 1 ] && status=77
exit $status
