# shellcheck shell=sh
# parallel.sh - sourced by tests/crossarch/run.sh and tests/cross-build.sh.
#
# parallel FN ARG...: run "FN ARG" for each ARG, $jobs at a time, in batches (POSIX sh has no
# wait -n), and wait for all of them.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck disable=SC2154 # jobs: set by the script that sources this file
parallel() {
	fn=$1
	shift
	n=0
	for x in "$@"; do
		"$fn" "$x" &
		n=$((n + 1))
		if [ "$n" -ge "$jobs" ]; then
			wait
			n=0
		fi
	done
	wait
}
