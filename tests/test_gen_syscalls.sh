#!/bin/sh
# test_gen_syscalls.sh - the syscall table generator refuses a correction that does not name
# the kernel release it was checked against, or that was checked against an older kernel than
# the input tables describe (src/arch/gen-syscalls.py, CORRECTIONS).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
GEN=$top_srcdir/src/arch/gen-syscalls.py

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
make_tmp

# check CORRECTIONS-LITERAL WANT: WANT is "ok" or a substring of the refusal
check() {
	python3 - "$GEN" "$1" >"$tmp/out" 2>&1 <<'PY'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("gen", sys.argv[1])
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)
gen.check_corrections(eval(sys.argv[2]), gen.TABLES_KERNEL)
gen.check_corrections(gen.CORRECTIONS, gen.TABLES_KERNEL)
print("accepted")
PY
	rc=$?
	if [ "$2" = ok ]; then
		if [ $rc -eq 0 ] && grep -q accepted "$tmp/out"; then ok; else fail "$1 refused: $(cat "$tmp/out")"; fi
	elif [ $rc -ne 0 ] && grep -qF -- "$2" "$tmp/out"; then
		ok
	else
		fail "$1: exit status $rc, want a refusal with '$2': $(cat "$tmp/out")"
	fi
}

# the committed list passes, and so does one checked against the tables' kernel or a newer one
check '[]' ok
check '[("x32", "map_shadow_stack", "7.2", "checked")]' ok
check '[("x32", "map_shadow_stack", "8.0", "checked")]' ok
# the old x32 map_shadow_stack correction, as it was written: no kernel release
check '[("x32", "map_shadow_stack", "syscall_64.tbl marks 453 as 64")]' "expected (table file, name, kernel release, reason)"
check '[("x32", "map_shadow_stack", "", "reason")]' 'is not "X.Y"'
check '[("x32", "map_shadow_stack", "6.9-rc1", "reason")]' 'is not "X.Y"'
check '[("x32", "map_shadow_stack", "6.9", "reason")]' "checked against Linux 6.9, older than the tables"
check '[("x32", "map_shadow_stack", "7.2", "")]' "no reason given"

echo "$checks checks passed, $fails failed"
[ $fails -eq 0 ]
