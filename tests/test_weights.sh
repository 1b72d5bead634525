#!/bin/sh
# test_weights.sh - src/profile_weights.c is what tools/weights/gen-weights.py makes of the raw
# measurements in tools/weights/raw/FAMILY/ and tools/weights/families: nobody edited a table
# by hand or forgot to regenerate after recording a family, and every ABI of src/arch/arch.c
# is given exactly one family's table.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
make_tmp
gen="$top_srcdir/tools/weights/gen-weights.py"
raw="$top_srcdir/tools/weights/raw"
families="$top_srcdir/tools/weights/families"
python3 "$gen" "$raw" >"$tmp/weights.c" || fail "gen-weights.py failed"
if cmp -s "$tmp/weights.c" "$top_srcdir/src/profile_weights.c"; then
	ok
else
	fail "src/profile_weights.c differs from tools/weights/gen-weights.py's output:"
	diff "$tmp/weights.c" "$top_srcdir/src/profile_weights.c" | head -20
fi

# every family's measurements reach the file: one changed count of each family's data changes
# the output (negative control: the comparison above would notice a stale table)
for dir in "$raw"/*/; do
	fam=$(basename "$dir")
	rm -rf "$tmp/raw" && cp -r "$raw" "$tmp/raw"
	# the shell workload gets a thousand calls of a syscall no ABI has
	echo "1000 sg_no_such_call" >>"$tmp/raw/$fam/shell.txt"
	if python3 "$gen" "$tmp/raw" 2>/dev/null | grep -q '"sg_no_such_call"'; then
		ok
	else
		fail "raw/$fam is not read into src/profile_weights.c"
	fi
done

# the families must cover every ABI exactly once, and read every measurement
grep -v '^x86_64 ' "$families" >"$tmp/families"
if python3 "$gen" --families "$tmp/families" "$raw" >/dev/null 2>&1; then
	fail "gen-weights.py accepts families that leave ABIs (and raw/x86_64) out"
else
	ok
fi
sed 's/^\(generic64 .*\)$/\1 x86_64/' "$families" >"$tmp/families"
if python3 "$gen" --families "$tmp/families" "$raw" >/dev/null 2>&1; then
	fail "gen-weights.py accepts an ABI in two families"
else
	ok
fi
finish
