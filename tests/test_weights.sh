#!/bin/sh
# test_weights.sh - src/profile_weights.c is what tools/weights/gen-weights.py makes of the raw
# measurements in tools/weights/raw/: nobody edited the table by hand or forgot to regenerate.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
make_tmp
python3 "$top_srcdir/tools/weights/gen-weights.py" "$top_srcdir/tools/weights/raw" \
	>"$tmp/weights.c" || fail "gen-weights.py failed"
if cmp -s "$tmp/weights.c" "$top_srcdir/src/profile_weights.c"; then
	ok
else
	fail "src/profile_weights.c differs from tools/weights/gen-weights.py's output:"
	diff "$tmp/weights.c" "$top_srcdir/src/profile_weights.c" | head -20
fi
echo "$checks passed, $fails failed"
[ "$fails" -eq 0 ]
