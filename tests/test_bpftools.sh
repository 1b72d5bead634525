#!/bin/sh
# test_bpftools.sh - scmp_bpf_disasm and scmp_bpf_sim on small hand-assembled raw filters,
# little- and big-endian: listings against golden files, --dot through Graphviz, simulator
# verdicts. Exit 77 (skip) when the tools are not built.
#
# SYSGATE_UPDATE_GOLDEN=1 rewrites the golden files from the current output (review the diff).
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
DISASM=$top_builddir/tools/scmp_bpf_disasm
SIM=$top_builddir/tools/scmp_bpf_sim
GOLDEN=$top_srcdir/tests/golden

if [ ! -x "$DISASM" ] || [ ! -x "$SIM" ]; then
	skip "scmp_bpf_disasm / scmp_bpf_sim not built"
fi
make_tmp

# --- a tiny assembler: insn CODE JT JF K, in byte order $ORDER (le or be) ---
byte() {
	# shellcheck disable=SC2059
	printf "\\$(printf '%03o' $(($1 & 255)))"
}
insn() {
	c=$(($1))
	k=$(($4))
	if [ "$ORDER" = be ]; then
		byte $((c >> 8)); byte "$c"; byte "$2"; byte "$3"
		byte $((k >> 24)); byte $((k >> 16)); byte $((k >> 8)); byte "$k"
	else
		byte "$c"; byte $((c >> 8)); byte "$2"; byte "$3"
		byte "$k"; byte $((k >> 8)); byte $((k >> 16)); byte $((k >> 24))
	fi
}

LD_ABS=0x20 LDX_LEN=0x81 LD_IMM=0x00 LD_MEM=0x60 ST=0x02 AND_K=0x54 JA=0x05
JEQ_K=0x15 JGE_K=0x35 JGT_K=0x25 JGT_X=0x2d JSET_K=0x45 RET_K=0x06 RET_A=0x16
ALLOW=0x7fff0000 ERRNO=0x00050000 TRAP=0x00030000 KILL_PROCESS=0x80000000

# x86_64 (little-endian): arch check, x32 killed, read allowed, write only for fd 2
ORDER=le
{
	insn $LD_ABS 0 0 4                 # 0  ld arch
	insn $JEQ_K 0 9 0xc000003e         # 1  -> 2 / 11
	insn $LD_ABS 0 0 0                 # 2  ld nr
	insn $JGE_K 7 0 0x40000000         # 3  x32 -> 11
	insn $JEQ_K 5 0 0                  # 4  read -> 10
	insn $JEQ_K 0 3 1                  # 5  write -> 6 / 9
	insn $LD_ABS 0 0 16                # 6  args[0].lo
	insn $JEQ_K 2 0 2                  # 7  fd 2 -> 10 / 8
	insn $RET_K 0 0 $((ERRNO | 9))     # 8
	insn $RET_K 0 0 $((ERRNO | 1))     # 9
	insn $RET_K 0 0 $ALLOW             # 10
	insn $RET_K 0 0 $KILL_PROCESS      # 11
} > "$tmp/x86_64.bpf"

# s390x (big-endian): the same idea, and args[0] must fit in 32 bits (hi word at offset 16)
ORDER=be
{
	insn $LD_ABS 0 0 4                 # 0  ld arch
	insn $JEQ_K 0 11 0x80000016        # 1  -> 2 / 13
	insn $LD_ABS 0 0 0                 # 2  ld nr
	insn $JEQ_K 8 0 3                  # 3  read -> 12
	insn $JEQ_K 0 5 4                  # 4  write -> 5 / 10
	insn $LD_ABS 0 0 16                # 5  args[0].hi
	insn $JEQ_K 0 4 0                  # 6  -> 7 / 11
	insn $LD_ABS 0 0 20                # 7  args[0].lo
	insn $JEQ_K 3 0 2                  # 8  fd 2 -> 12 / 9
	insn $RET_K 0 0 $((ERRNO | 9))     # 9
	insn $RET_K 0 0 $((ERRNO | 1))     # 10
	insn $RET_K 0 0 $((ERRNO | 22))    # 11
	insn $RET_K 0 0 $ALLOW             # 12
	insn $RET_K 0 0 0                  # 13 KILL
} > "$tmp/s390x.bpf"

# odds and ends: scratch memory, X, JA, JSET, JGT X, RET A, TRAP data, unreachable code
ORDER=le
{
	insn $LD_ABS 0 0 0                 # 0  ld nr
	insn $ST 0 0 0                     # 1  st M[0]
	insn $LDX_LEN 0 0 0                # 2  ldx len (64)
	insn $AND_K 0 0 0x40000000         # 3
	insn $JSET_K 0 1 0x40000000        # 4  -> 5 / 6
	insn $JA 0 0 2                     # 5  -> 8
	insn $LD_MEM 0 0 0                 # 6  ld M[0]
	insn $JGT_X 1 0 0                  # 7  -> 9 / 8
	insn $RET_A 0 0 0                  # 8
	insn $RET_K 0 0 $((TRAP | 5))      # 9
	insn $LD_IMM 0 0 $ALLOW            # 10 unreachable
	insn $RET_A 0 0 0                  # 11
} > "$tmp/misc.bpf"

# three ABIs: which syscall table names a number follows from the arch test on the path
{
	insn $LD_ABS 0 0 4                 # 0  ld arch
	insn $JEQ_K 0 3 0xc000003e         # 1  x86_64/x32 -> 2 / 5
	insn $LD_ABS 0 0 0                 # 2  ld nr
	insn $JEQ_K 5 0 0x40000001         # 3  x32 write -> 9
	insn $JEQ_K 4 3 1                  # 4  x86_64 write -> 9 / 8
	insn $JEQ_K 0 4 0x40000003         # 5  x86 -> 6 / 10
	insn $LD_ABS 0 0 0                 # 6  ld nr
	insn $JEQ_K 1 0 4                  # 7  i386 write (x86_64 stat) -> 9 / 8
	insn $RET_K 0 0 $((ERRNO | 1))     # 8
	insn $RET_K 0 0 $ALLOW             # 9
	insn $RET_K 0 0 0                  # 10
} > "$tmp/multi.bpf"

# refused by the kernel: a misaligned load
{
	insn $LD_ABS 0 0 2
	insn $RET_A 0 0 0
} > "$tmp/bad.bpf"

# --- listings against golden files ---
golden() {
	name=$1
	shift
	checks=$((checks + 1))
	if ! "$@" > "$tmp/$name" 2> "$tmp/$name.err"; then
		fail "$name: '$*' failed: $(cat "$tmp/$name.err")"
		return
	fi
	if [ "${SYSGATE_UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$tmp/$name" "$GOLDEN/$name"
		echo "updated $GOLDEN/$name"
	elif ! diff -u "$GOLDEN/$name" "$tmp/$name"; then
		fail "$name differs from its golden file"
	fi
}

golden bpf_x86_64.disasm "$DISASM" -a x86_64 "$tmp/x86_64.bpf"
golden bpf_s390x.disasm "$DISASM" -a s390x "$tmp/s390x.bpf"
golden bpf_misc.disasm "$DISASM" -a x86_64 "$tmp/misc.bpf"
golden bpf_multi.disasm "$DISASM" -a x86_64 "$tmp/multi.bpf"
golden bpf_x86_64.dot "$DISASM" --dot -a x86_64 "$tmp/x86_64.bpf"
golden bpf_misc.trace "$SIM" -v -a x86_64 -f "$tmp/misc.bpf" -s 100

# the same listing from standard input
checks=$((checks + 1))
"$DISASM" -a x86_64 < "$tmp/x86_64.bpf" > "$tmp/stdin.out" 2>&1 &&
	cmp -s "$tmp/stdin.out" "$GOLDEN/bpf_x86_64.disasm" ||
	fail "disassembly from standard input differs"

# a refused program is listed, with a note on stderr
checks=$((checks + 1))
if "$DISASM" -a x86_64 "$tmp/bad.bpf" > "$tmp/bad.out" 2> "$tmp/bad.err"; then
	grep -q 'ld \$data\[2\]' "$tmp/bad.out" || fail "bad.bpf: misaligned load not listed"
	grep -q 'refuse' "$tmp/bad.err" || fail "bad.bpf: no note that the kernel refuses it"
else
	fail "scmp_bpf_disasm failed on a refused program"
fi

# --- Graphviz accepts every --dot output ---
for f in x86_64 s390x misc multi bad; do
	case $f in s390x) a=s390x ;; *) a=x86_64 ;; esac
	"$DISASM" --dot -a $a "$tmp/$f.bpf" > "$tmp/$f.dot" 2> /dev/null ||
		fail "--dot failed for $f"
done
if command -v dot > /dev/null 2>&1; then
	for f in x86_64 s390x misc multi bad; do
		checks=$((checks + 1))
		dot -Tsvg "$tmp/$f.dot" > "$tmp/$f.svg" 2> "$tmp/$f.dot.err" && [ ! -s "$tmp/$f.dot.err" ] ||
			fail "Graphviz rejects the --dot output for $f: $(cat "$tmp/$f.dot.err")"
	done
else
	skip_part "Graphviz 'dot' not installed (Debian package graphviz); --dot output not validated"
fi

# --- simulator verdicts ---
expect() {
	want=$1
	shift
	checks=$((checks + 1))
	got=$("$SIM" "$@" 2>&1)
	[ "$got" = "$want" ] || fail "scmp_bpf_sim $*: got '$got', want '$want'"
}

X=$tmp/x86_64.bpf
expect ALLOW -f "$X" -a x86_64 -s read
expect ALLOW -f "$X" -a x86_64 -s 0
expect ALLOW -f "$X" -a x86_64 -s write -0 2
expect 'ERRNO(9)' -f "$X" -a x86_64 -s write -0 1
expect ALLOW -f "$X" -a x86_64 -s write -0 0x100000002   # only the low word is tested
expect 'ERRNO(9)' -f "$X" -a x86_64 -s write -0 -2
expect 'ERRNO(1)' -f "$X" -a x86_64 -s openat
expect KILL_PROCESS -f "$X" -a x86_64 -s -1            # nr 0xffffffff >= the x32 bit
expect KILL_PROCESS -f "$X" -a x86_64 -s 0x40000000
expect KILL_PROCESS -f "$X" -a x32 -s read                  # x32 read is 0x40000000
expect KILL_PROCESS -f "$X" -a x86 -s read                  # wrong arch
expect ALLOW -f - -a x86_64 -s read < "$X"

S=$tmp/s390x.bpf
expect ALLOW -f "$S" -a s390x -s read
expect ALLOW -f "$S" -a s390x -s write -0 2
expect 'ERRNO(9)' -f "$S" -a s390x -s write -0 3
expect 'ERRNO(22)' -f "$S" -a s390x -s write -0 0x100000002
expect 'ERRNO(22)' -f "$S" -a s390x -s write -0 -1
expect 'ERRNO(1)' -f "$S" -a s390x -s close
expect KILL -f "$S" -a s390 -s read

U=$tmp/multi.bpf
expect ALLOW -f "$U" -a x86_64 -s write
expect ALLOW -f "$U" -a x32 -s write
expect ALLOW -f "$U" -a x86 -s write
expect 'ERRNO(1)' -f "$U" -a x86 -s read
expect 'ERRNO(1)' -f "$U" -a x32 -s read
expect KILL -f "$U" -a aarch64 -s write

M=$tmp/misc.bpf
expect 0x00000001 -f "$M" -a x86_64 -s 1
expect 'TRAP(5)' -f "$M" -a x86_64 -s 100
expect 0x40000000 -f "$M" -a x86_64 -s 0x40000001

# errors: refused program, bad input, unknown names
refuse() {
	checks=$((checks + 1))
	if "$@" > "$tmp/refuse.out" 2>&1; then
		fail "'$*' should fail"
	elif [ ! -s "$tmp/refuse.out" ]; then
		fail "'$*' failed without a message"
	fi
}
refuse "$SIM" -f "$tmp/bad.bpf" -a x86_64 -s read
refuse "$SIM" -f "$X" -a x86_64 -s no_such_syscall
refuse "$SIM" -f "$X" -a no_such_arch -s read
refuse "$SIM" -f "$X" -a x86_64 -s read -0 12abc
refuse "$SIM" -f "$X" -a x86_64 -s 0x100000000
refuse "$SIM" -f "$tmp/none.bpf" -a x86_64 -s read
refuse "$SIM" -a x86_64 -s read
printf 'abc' > "$tmp/short.bpf"
refuse "$DISASM" "$tmp/short.bpf"
refuse "$DISASM" -a no_such_arch "$X"

checks=$((checks + 2))
"$DISASM" --help | grep -q -- '--dot' || fail "scmp_bpf_disasm --help"
"$SIM" -h | grep -q -- '-s' || fail "scmp_bpf_sim -h"

finish
