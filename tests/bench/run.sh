#!/usr/bin/env bash
# Run the benchmark for sysgate, libseccomp 2.6.1 and Debian's libseccomp 2.5.4 in one run and
# print one table per policy.
# usage: run.sh BENCH_DIR PROFILES_DIR [POLICY-SUBSTRING]
set -euo pipefail
dir=${1:?bench dir}
profiles=${2:?profiles dir}
only=${3:-}
tmp=$(mktemp -d)
out=$tmp/bench.out
trap 'rm -rf "$tmp"' EXIT

# libseccomp 2.6.1, built, as a black box beside Debian's 2.5.4 (../shared/ref, or $REF261).
# The copy there may have lost its symlinks: load the real file under its SONAME.
ref=${REF261:-$(dirname "$0")/../../../shared/ref/libseccomp-2.6.1/lib}
ref261=
if [ -f "$ref/libseccomp.so.2.6.1" ]; then
	ref261=$tmp/ref261
	mkdir "$ref261"
	ln -s "$(cd "$ref" && pwd)/libseccomp.so.2.6.1" "$ref261/libseccomp.so.2"
fi

# ref: "" for sysgate, "system" for Debian's libseccomp, a directory for another build
for run in sysgate:: libseccomp:2.6.1:"${ref261:-none}" libseccomp:system:; do
	lib=${run%%:*}
	rest=${run#*:}
	ver=${rest%%:*}
	libdir=${rest#*:}
	bin="$dir/bench_$lib"
	# libtool's wrapper would put the build tree's libseccomp.so.2 first: run the real
	# binary for the references, so that it loads the library asked for
	[ "$lib" = libseccomp ] && [ -x "$dir/.libs/bench_$lib" ] && bin="$dir/.libs/bench_$lib"
	[ -x "$bin" ] || { echo "($lib: $bin not built, skipped)" >&2; continue; }
	if [ -n "$libdir" ]; then
		[ "$libdir" != none ] ||
			{ echo "(libseccomp $ver: $ref/libseccomp.so.2.6.1 absent, skipped)" >&2; continue; }
		# shellcheck disable=SC2086 # $only is an optional word
		LD_LIBRARY_PATH="$libdir" "$bin" "$profiles" $only >>"$out"
	else
		# shellcheck disable=SC2086
		"$bin" "$profiles" $only >>"$out"
	fi
done

# BENCH_RAW=FILE keeps the raw BENCH lines (to regenerate the tables without a new run)
[ -z "${BENCH_RAW:-}" ] || cp "$out" "$BENCH_RAW"
python3 "$(dirname "$0")/table.py" "$out"
