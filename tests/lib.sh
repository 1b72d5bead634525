# shellcheck shell=sh
# lib.sh - sourced by the shell tests (tests/test_*.sh): where the trees are, counting checks
# and failures, skipping, a scratch directory and running tools without libtool's wrapper.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

# make check exports both (tests/local.mk); run by hand, the script is in the source tree
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
fails=0
checks=0
skipped_parts=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

ok() {
	checks=$((checks + 1))
}

skip() {
	echo "SKIP: $*"
	exit 77
}

# the test needs these programs of the build: skip (77) naming the first one not built
need_built() {
	for _t in "$@"; do
		[ -x "$_t" ] || skip "$_t not built"
	done
}

# a part of the test cannot run here: say why; finish then exits 77 instead of passing
skip_part() {
	echo "SKIP: $*"
	skipped_parts=$((skipped_parts + 1))
}

# the end of a test: the counts, then exit 1 on a failure, 77 when a part was skipped, else 0
finish() {
	echo "$checks checks passed, $fails failed, $skipped_parts part(s) skipped"
	[ "$fails" -eq 0 ] || exit 1
	[ "$skipped_parts" -eq 0 ] || exit 77
	exit 0
}

# $tmp: a scratch directory, removed however the script ends
make_tmp() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/$(basename "$0" .sh).XXXXXX") || exit 99
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 1' INT TERM
}

# unwrap_libtool VAR: point $VAR at the binary behind its libtool wrapper script, run the way
# the script would (a shell start per call costs ten times a whole profile compile)
unwrap_libtool() {
	eval "lt_wrapper=\$$1"
	# a program linked without shared libraries of the tree is no wrapper: a stale binary
	# in .libs from an earlier build must not be taken instead of it
	# shellcheck disable=SC2154 # lt_wrapper is set by the eval
	grep -q 'libtool' "$lt_wrapper" 2>/dev/null && [ "$(head -c 2 "$lt_wrapper")" = "#!" ] || return 0
	for b in "${lt_wrapper%/*}/.libs/lt-${lt_wrapper##*/}" "${lt_wrapper%/*}/.libs/${lt_wrapper##*/}"; do
		if [ -x "$b" ] && [ -d "$top_builddir/.libs" ]; then
			LD_LIBRARY_PATH=$top_builddir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
			export LD_LIBRARY_PATH
			eval "$1=\$b"
			return 0
		fi
	done
}
