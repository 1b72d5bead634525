#!/bin/sh
# test_gen_kvers.sh - the committed first-release data is what src/arch/gen-kvers.py makes from
# the vendored inputs (tests/data/syscall-kver, tests/data/syscall-tables): src/arch/kvers.c
# and include/seccomp-kvers.h regenerated elsewhere are byte for byte the committed ones; and
# the generator refuses tables with a number the data has no row for.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
GEN=$top_srcdir/src/arch/gen-kvers.py
DATA=$top_srcdir/tests/data

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
make_tmp
mkdir -p "$tmp/out/src/arch" "$tmp/out/include"

ok
if ! python3 "$GEN" "$DATA/syscall-kver" "$DATA/syscall-tables" "$tmp/out" >"$tmp/log" 2>&1; then
	fail "gen-kvers.py failed: $(cat "$tmp/log")"
fi
for f in src/arch/kvers.c include/seccomp-kvers.h; do
	ok
	cmp -s "$tmp/out/$f" "$top_srcdir/$f" ||
		fail "$f differs from what gen-kvers.py makes (regenerate it and commit)"
done

# negative control: a table with a syscall the data does not know
cp -r "$DATA/syscall-tables" "$tmp/tables"
printf 'sysgate_test_call\t999\n' >>"$tmp/tables/syscalls-x86_64"
ok
if python3 "$GEN" "$DATA/syscall-kver" "$tmp/tables" "$tmp/out" >"$tmp/log" 2>&1; then
	fail "gen-kvers.py accepted a table number without a first release"
elif ! grep -q "no first release for sysgate_test_call on x86_64" "$tmp/log"; then
	fail "gen-kvers.py refused for another reason: $(cat "$tmp/log")"
fi

echo "$checks checks, $fails failures"
[ "$fails" -eq 0 ]
