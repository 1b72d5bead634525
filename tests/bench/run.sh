#!/usr/bin/env bash
# Run the benchmark for sysgate and Debian's libseccomp and print one table per policy.
# usage: run.sh BENCH_DIR PROFILES_DIR [POLICY-SUBSTRING]
set -euo pipefail
dir=${1:?bench dir}
profiles=${2:?profiles dir}
only=${3:-}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

for lib in sysgate libseccomp; do
	bin="$dir/bench_$lib"
	# libtool's wrapper would put the build tree's libseccomp.so.2 first: run the real
	# binary for the reference, so that it loads the system's library
	[ "$lib" = libseccomp ] && [ -x "$dir/.libs/bench_$lib" ] && bin="$dir/.libs/bench_$lib"
	[ -x "$bin" ] || { echo "($lib: $bin not built, skipped)" >&2; continue; }
	"$bin" "$profiles" $only >>"$out"
done

python3 "$(dirname "$0")/table.py" "$out"
