#!/bin/sh
# record-overhead.sh - what recording costs: a syscall-heavy command (tar of the source tree
# into a file; GNU tar reads nothing when the archive is /dev/null) plain and under scmp_record with each method; median of RUNS runs each, and
# the cost per recorded syscall. Part of `make bench`; it reports and never fails.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
RECORD=${1:?usage: record-overhead.sh SCMP_RECORD SRCDIR}
SRC=${2:?usage: record-overhead.sh SCMP_RECORD SRCDIR}
RUNS=${RUNS:-5}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

now_us() { echo $(($(date +%s%N) / 1000)); }

# median_us CMD...: the median wall time of RUNS runs, in microseconds
median_us() {
	i=0
	: >"$tmp/times"
	while [ "$i" -lt "$RUNS" ]; do
		t0=$(now_us)
		"$@" >/dev/null 2>&1
		t1=$(now_us)
		echo $((t1 - t0)) >>"$tmp/times"
		i=$((i + 1))
	done
	sort -n "$tmp/times" | sed -n "$(((RUNS + 1) / 2))p"
}

set -- src tools tests doc include
cmd="tar -cf ARCHIVE -C $SRC $*"
plain=$(median_us tar -cf "$tmp/a.tar" -C "$SRC" "$@")
calls=$("$RECORD" -o "$tmp/p.json" -- tar -cf "$tmp/a.tar" -C "$SRC" "$@" 2>&1 |
	sed -n 's/^scmp_record: \([0-9]*\) calls.*/\1/p')
echo "scmp_record overhead: $cmd ($calls syscalls), median of $RUNS runs"
printf '  %-8s %10s us\n' plain "$plain"
for m in notify ptrace; do
	if ! "$RECORD" -q --method "$m" -o "$tmp/p.json" -- true 2>/dev/null; then
		printf '  %-8s %10s\n' "$m" "(not available here)"
		continue
	fi
	t=$(median_us "$RECORD" -q --method "$m" -o "$tmp/p.json" -- tar -cf "$tmp/a.tar" -C "$SRC" "$@")
	per=$(awk -v t="$t" -v p="$plain" -v n="$calls" 'BEGIN { printf "%.1f", (t - p) / (n ? n : 1) }')
	printf '  %-8s %10s us  (%.1fx, %s us per recorded syscall)\n' "$m" "$t" \
		"$(awk -v t="$t" -v p="$plain" 'BEGIN { print t / p }')" "$per"
done
