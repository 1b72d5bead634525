#!/bin/sh
# test_chromium_filters.sh - scmp_bpf_decompile and scmp_bpf_diff on filters sysgate did not
# write: Chromium's (tests/data/chromium, see PROVENANCE there), which test arguments with ALU
# AND masks and JSET, check that 32-bit arguments are sign-extended, and give TRAP data.
#  - every filter decompiles exactly to text (exit 0) and is proven equal to itself;
#  - decompile -f json -> scmp_compile -> scmp_bpf_diff -T is proven equal on x86_64, except
#    for the syscalls the decompiler names as not writable as libseccomp rules (each filter's
#    list is fixed here), and on x32 (one ABI per profile); -T because JSON profiles give TRAP
#    no data (the decompiler says so);
#  - -f c keeps the TRAP data (SCMP_ACT_TRAPX) and the bad-arch action;
#  - negative controls: one RET changed, one compared constant changed, one TRAP's data
#    changed: the diff finds a witness (and -T ignores exactly the last one).
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
DIFF=$top_builddir/tools/scmp_bpf_diff
DEC=$top_builddir/tools/scmp_bpf_decompile
COMPILE=$top_builddir/tools/scmp_compile
DATA=$top_srcdir/tests/data/chromium

need_built "$DIFF" "$DEC" "$COMPILE"
make_tmp
unwrap_libtool COMPILE

# the syscalls whose rules take more libseccomp rules than the decompiler writes (a product of
# masked-equality alternatives over several arguments); everything else must round-trip
unwritable() {
	case $1 in
	audio) echo kill ;;
	network) echo socket ;;
	*) echo "" ;;
	esac
}

n=0
for f in "$DATA"/*.bpf; do
	b=$(basename "$f" .bpf)
	n=$((n + 1))
	# --- text: exact ---
	"$DEC" -a x86_64 "$f" >"$tmp/$b.pfc" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 0 ] && grep -q "^# arch x86_64 (0xc000003e)" "$tmp/$b.pfc"; then ok; else fail "$b: decompile exit $rc: $(cat "$tmp/err")"; fi
	grep -q "not exact" "$tmp/$b.pfc" && fail "$b: a path not decided exactly"
	# --- itself ---
	if "$DIFF" -a x86_64 "$f" "$f" >"$tmp/out" 2>&1 && grep -q "no verdict changed" "$tmp/out"; then ok; else fail "$b vs itself: $(cat "$tmp/out")"; fi
	# --- json round trip, x86_64 ---
	"$DEC" -a x86_64 -f json "$f" >"$tmp/$b.json" 2>"$tmp/$b.jerr"
	rc=$?
	if [ $rc -eq 3 ] && grep -q "written as plain TRAP" "$tmp/$b.jerr"; then ok; else fail "$b: json exit $rc, TRAP data not named: $(cat "$tmp/$b.jerr")"; fi
	expect=$(unwritable "$b")
	got=$(sed -n 's/.*cannot write x86_64 \([a-z_0-9]*\): .*/\1/p' "$tmp/$b.jerr" | sort | tr '\n' ' ' | sed 's/ $//')
	if [ "$got" = "$expect" ]; then ok; else fail "$b: not written as rules: '$got', expected '$expect'"; fi
	"$COMPILE" -q "$tmp/$b.json" >"$tmp/$b.rt.bpf" 2>"$tmp/err" || { fail "$b: decompiled profile does not compile: $(cat "$tmp/err")"; continue; }
	"$DIFF" -a x86_64 -T -A x86_64 "$f" "$tmp/$b.rt.bpf" >"$tmp/out" 2>&1
	rc=$?
	if [ -z "$expect" ]; then
		if [ $rc -eq 0 ]; then ok; else fail "$b: json round trip on x86_64: exit $rc: $(head -5 "$tmp/out")"; fi
	else
		# only the syscalls the decompiler named differ
		others=$(grep -v "^x86_64 $expect (" "$tmp/out")
		if [ $rc -eq 1 ] && [ -z "$others" ]; then ok; else fail "$b: json round trip on x86_64: exit $rc: $(head -5 "$tmp/out")"; fi
	fi
	# --- json round trip, x32 (Chromium traps every x32 number) ---
	"$DEC" -a x32 -f json "$f" >"$tmp/$b.x32.json" 2>/dev/null
	"$COMPILE" -q "$tmp/$b.x32.json" >"$tmp/$b.x32.bpf" 2>/dev/null || fail "$b: x32 profile does not compile"
	if "$DIFF" -a x86_64 -T -A x32 "$f" "$tmp/$b.x32.bpf" >"$tmp/out" 2>&1; then ok; else fail "$b: json round trip on x32: $(head -5 "$tmp/out")"; fi
	# --- C keeps the TRAP data ---
	"$DEC" -a x86_64 -f c "$f" >"$tmp/$b.c" 2>/dev/null
	if grep -q "SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRAPX(" "$tmp/$b.c" && grep -q "seccomp_init(SCMP_ACT_TRAPX(1))" "$tmp/$b.c"; then ok; else fail "$b: C output without TRAPX"; fi
done
[ $n -ge 6 ] || fail "only $n vendored filters"

# --- negative controls on the renderer's filter ---
f=$DATA/renderer.bpf
# the instructions as "index code jt jf k" (little-endian words)
od -An -v -tx1 -w8 "$f" | awk '{ printf "%d %s%s %s %s %s%s%s%s\n", NR - 1, $2, $1, $3, $4, $8, $7, $6, $5 }' >"$tmp/insns"
# patch_k INDEX HEX OUT: a copy of $f with k of instruction INDEX set to 0xHEX (little-endian)
patch_k() {
	cp "$f" "$3"
	v=$((0x$2))
	# shellcheck disable=SC2059 # the format is the four bytes, as octal escapes
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((v & 255)) $((v >> 8 & 255)) \
		$((v >> 16 & 255)) $((v >> 24 & 255)))" |
		dd of="$3" bs=1 seek=$(($1 * 8 + 4)) conv=notrunc 2>/dev/null
}
# control NAME AWK_SELECT NEW_K_EXPR PATTERN: the first instruction AWK_SELECT picks gets k
# NEW_K_EXPR (arithmetic on its old k, `k`); the diff must exit 1 with a line matching PATTERN.
# (The awk programs are quoted for awk: shellcheck's SC2016 does not apply.)
control() {
	line=$(awk "$2 { print; exit }" "$tmp/insns")
	i=${line%% *}
	k=0x${line##* }
	patch_k "$i" "$(printf '%08x' $(($3)))" "$tmp/$1.bpf"
	"$DIFF" -a x86_64 "$f" "$tmp/$1.bpf" >"$tmp/out" 2>&1
	rc=$?
	if [ $rc -eq 1 ] && grep -q "$4" "$tmp/out"; then ok; else fail "$1 (insn $i, k $k): exit $rc: $(head -3 "$tmp/out")"; fi
}
# a RET ALLOW becomes RET ERRNO(1)
# shellcheck disable=SC2016
control ret '$2 == "0006" && $5 == "7fff0000"' 0x00050001 "ALLOW -> ERRNO(1) "
# the constant of the 20th JEQ plus one (pipe2: flags 0 becomes 1)
# shellcheck disable=SC2016
control const '$2 == "0015" && ++n == 20' 'k + 1' " -> "
# a RET TRAP(n) becomes TRAP(n + 0x100): a difference, except with -T
# shellcheck disable=SC2016
control trap '$2 == "0006" && $5 ~ /^0003/' 'k + 0x100' "TRAP([0-9]*) -> TRAP([0-9]*) "
if "$DIFF" -a x86_64 -T -q "$f" "$tmp/trap.bpf"; then ok; else fail "-T: TRAP data still counted"; fi

finish
