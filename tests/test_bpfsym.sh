#!/bin/sh
# test_bpfsym.sh - scmp_bpf_diff and scmp_bpf_decompile (the symbolic engine, src/bpf_sym.c):
#  - a filter against itself: "no verdict changed" (exit 0); a Docker profile against a copy
#    with one syscall's action changed: exit 1, and that syscall named;
#  - the same policy from sysgate and from libseccomp 2.5.4 / 2.6.1 (ref_export run against
#    each library): libseccomp's wrong verdicts for mkdir (doc/verification.md) show up as a
#    witness, replayed by scmp_bpf_sim; 2.5.4 and 2.6.1 agree with each other;
#  - round trips: compile -> decompile -f json -> compile is proven equal (per ABI, exit 0) for
#    Docker's profile and the mkdir policy of all three libraries, and sysgate's own mkdir
#    program decompiles to the two rules it was compiled from.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
DIFF=$top_builddir/tools/scmp_bpf_diff
DEC=$top_builddir/tools/scmp_bpf_decompile
SIM=$top_builddir/tools/scmp_bpf_sim
COMPILE=$top_builddir/tools/scmp_compile
EXPORT=$top_builddir/tests/ref_export
DOCKER=$top_srcdir/doc/examples/profiles/docker-default.json
PODMAN=$top_srcdir/doc/examples/profiles/podman-seccomp.json
REF=$top_srcdir/../shared/ref/libseccomp-2.6.1/lib/libseccomp.so.2.6.1

need_built "$DIFF" "$DEC" "$SIM" "$COMPILE"
[ "$(uname -m)" = x86_64 ] || skip "the expected programs are x86_64's"
make_tmp

# --- diff: equal, and one changed syscall ---
"$COMPILE" -q "$DOCKER" >"$tmp/docker.bpf" || fail "scmp_compile docker"
if "$DIFF" "$tmp/docker.bpf" "$tmp/docker.bpf" >"$tmp/out" 2>&1 && grep -q "no verdict changed" "$tmp/out"; then ok; else fail "docker vs itself: $(cat "$tmp/out")"; fi
"$COMPILE" -q -O 2 "$DOCKER" >"$tmp/docker2.bpf" || fail "scmp_compile -O 2 docker"
if "$DIFF" -q "$tmp/docker.bpf" "$tmp/docker2.bpf"; then ok; else fail "docker -O1 vs -O2 differ"; fi
# the path budget: Docker's filter against itself needs hundreds of paths, so 10 is too few
"$DIFF" -p 10 "$tmp/docker.bpf" "$tmp/docker.bpf" >"$tmp/out" 2>&1
if [ $? -eq 3 ] && grep -q "more than 10 paths" "$tmp/out"; then ok; else fail "-p 10: $(cat "$tmp/out")"; fi
if "$DIFF" -p 0 "$tmp/docker.bpf" "$tmp/docker.bpf" >/dev/null 2>&1; then fail "-p 0 accepted"; else ok; fi
# the copy: getpid is no longer allowed
sed 's/"getpid"/"getpid_renamed_away"/' "$DOCKER" >"$tmp/docker-mod.json"
"$COMPILE" -q "$tmp/docker-mod.json" >"$tmp/docker-mod.bpf" 2>/dev/null || fail "scmp_compile modified docker"
"$DIFF" "$tmp/docker.bpf" "$tmp/docker-mod.bpf" >"$tmp/out" 2>&1
rc=$?
if [ $rc -eq 1 ]; then ok; else fail "docker vs modified: exit $rc, not 1"; fi
if grep -q "^x86_64 getpid (39): ALLOW -> ERRNO(1)" "$tmp/out"; then ok; else fail "getpid not named: $(head -5 "$tmp/out")"; fi
grep -q "^x86_64 read " "$tmp/out" && fail "read reported as changed"

# --- decompile round trip of Docker's profile, x86_64 (x86 multiplexes sockets differently) ---
"$DEC" -f json "$tmp/docker.bpf" >"$tmp/docker-dc.json" 2>"$tmp/err"
"$COMPILE" -q "$tmp/docker-dc.json" >"$tmp/docker-rt.bpf" || fail "decompiled docker profile does not compile"
if "$DIFF" -A x86_64 "$tmp/docker.bpf" "$tmp/docker-rt.bpf" >"$tmp/out" 2>&1; then ok; else fail "docker round trip differs on x86_64: $(head -5 "$tmp/out")"; fi
n1=$(wc -c <"$tmp/docker.bpf")
n2=$(wc -c <"$tmp/docker-rt.bpf")
echo "docker x86_64 round trip: $((n1 / 8)) -> $((n2 / 8)) instructions (the original has x86 and x32 too)"
# every ABI of Docker's archMap: the ABIs whose rules by name are x86_64's share the JSON,
# their own names too (mipsel64's _newselect, riscv64's riscv_hwprobe: once dropped silently);
# each ABI listed in the output round-trips exactly
"$COMPILE" -q --all-arches "$DOCKER" >"$tmp/docker-all.bpf" || fail "scmp_compile --all-arches docker"
"$DEC" -f json "$tmp/docker-all.bpf" >"$tmp/docker-all-dc.json" 2>"$tmp/err"
"$COMPILE" -q --all-arches "$tmp/docker-all-dc.json" >"$tmp/docker-all-rt.bpf" ||
	fail "decompiled docker --all-arches profile does not compile"
abis=$(sed -n 's/.*"architectures": \[\(.*\)\].*/\1/p' "$tmp/docker-all-dc.json" |
	tr -d '" ' | tr ',' '\n' | sed 's/^SCMP_ARCH_//' | tr '[:upper:]' '[:lower:]')
case " $(echo "$abis" | tr '\n' ' ') " in
*" riscv64 "* | *" mipsel64 "*) ok ;;
*) fail "riscv64/mipsel64 no longer share x86_64's output: $abis" ;;
esac
for a in $abis; do
	if "$DIFF" -A "$a" "$tmp/docker-all.bpf" "$tmp/docker-all-rt.bpf" >"$tmp/out" 2>&1; then ok; else
		fail "docker --all-arches round trip differs on $a: $(head -3 "$tmp/out")"; fi
done
"$COMPILE" -q "$PODMAN" >"$tmp/podman.bpf" || fail "scmp_compile podman"
"$DEC" -f json "$tmp/podman.bpf" >"$tmp/podman-dc.json" 2>"$tmp/err"
"$COMPILE" -q "$tmp/podman-dc.json" >"$tmp/podman-rt.bpf" || fail "decompiled podman profile does not compile"
if "$DIFF" -A x86_64 "$tmp/podman.bpf" "$tmp/podman-rt.bpf" >"$tmp/out" 2>&1; then ok; else fail "podman round trip differs on x86_64: $(head -5 "$tmp/out")"; fi

# --- random policies (x86_64 only): compile -> decompile -> compile is proven equal ---
seed=${SYSGATE_SEED:-$$}
echo "random policies: seed $seed (replay with SYSGATE_SEED=$seed)"
awk -v seed="$seed" -v dir="$tmp" 'BEGIN {
	srand(seed)
	split("read write open close stat fstat mmap mprotect ioctl socket connect " \
	      "mkdir rmdir kill prctl personality clone setuid fcntl openat", sys, " ")
	split("SCMP_CMP_EQ SCMP_CMP_NE SCMP_CMP_LT SCMP_CMP_LE SCMP_CMP_GE SCMP_CMP_GT " \
	      "SCMP_CMP_MASKED_EQ", ops, " ")
	split("\"SCMP_ACT_ALLOW\" \"SCMP_ACT_ERRNO\", \"errnoRet\": 1 " \
	      "\"SCMP_ACT_ERRNO\", \"errnoRet\": 13 \"SCMP_ACT_TRAP\" \"SCMP_ACT_LOG\" " \
	      "\"SCMP_ACT_KILL_PROCESS\"", acts, " ")
	nacts = 0
	acts_s[++nacts] = "\"SCMP_ACT_ALLOW\""; acts_s[++nacts] = "\"SCMP_ACT_ERRNO\", \"errnoRet\": 1"
	acts_s[++nacts] = "\"SCMP_ACT_ERRNO\", \"errnoRet\": 13"; acts_s[++nacts] = "\"SCMP_ACT_TRAP\""
	acts_s[++nacts] = "\"SCMP_ACT_LOG\""; acts_s[++nacts] = "\"SCMP_ACT_KILL_PROCESS\""
	split("0 1 2 3 7 8 9 255 256 4095 4096 65535 4294967295 4294967296 4294967297 140737488355328", vals, " ")
	for (p = 1; p <= 25; p++) {
		f = dir "/rand" p ".json"
		d = acts_s[1 + int(rand() * nacts)]
		sub(/"SCMP_ACT_ERRNO", "errnoRet"/, "\"SCMP_ACT_ERRNO\", \"defaultErrnoRet\"", d)
		printf "{\"defaultAction\": %s, \"architectures\": [\"SCMP_ARCH_X86_64\"], \"syscalls\": [", d > f
		n = 1 + int(rand() * 12)
		for (i = 1; i <= n; i++) {
			printf "%s{\"names\": [\"%s\"], \"action\": %s", (i > 1 ? ", " : ""),
			       sys[1 + int(rand() * 20)], acts_s[1 + int(rand() * nacts)] > f
			na = int(rand() * 3)
			used = ""
			printf ", \"args\": [" > f
			k = 0
			for (j = 0; j < na; j++) {
				a = int(rand() * 6)
				if (index(used, a)) continue
				used = used a
				op = ops[1 + int(rand() * 7)]
				v1 = vals[1 + int(rand() * 16)]; v2 = vals[1 + int(rand() * 16)]
				printf "%s{\"index\": %d, \"value\": %s, \"valueTwo\": %s, \"op\": \"%s\"}",
				       (k++ ? ", " : ""), a, v1, v2, op > f
			}
			printf "]}" > f
		}
		printf "]}\n" > f
		close(f)
	}
}'
# a cell libseccomp's one-comparison-per-argument rules cannot say (a range under a mask, ...)
# makes the output inexact (exit 3, reason on stderr): allowed for a few policies, never a
# wrong verdict
rt=0
inexact=0
toobig=0
undecided=0
for p in $(seq 1 25); do
	"$COMPILE" -q "$tmp/rand$p.json" >"$tmp/rand$p.bpf" 2>/dev/null || continue
	"$DEC" -f json "$tmp/rand$p.bpf" >"$tmp/rand$p.dc.json" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 3 ] && grep -q "cannot write" "$tmp/err"; then
		inexact=$((inexact + 1))
		continue
	fi
	[ $rc -eq 0 ] || { fail "random policy $p: decompile exit $rc: $(cat "$tmp/err")"; continue; }
	# an exact profile may still be too big to compile: a cell no one comparison says is split
	# into masked-equality rules, hundreds for a 64-bit range beside a "not equal"
	if ! "$COMPILE" -q "$tmp/rand$p.dc.json" >"$tmp/rand$p.rt.bpf" 2>"$tmp/err"; then
		if grep -q "the kernel accepts at most" "$tmp/err"; then
			toobig=$((toobig + 1))
			continue
		fi
		fail "random policy $p: decompiled profile does not compile: $(head -3 "$tmp/err")"
		continue
	fi
	# the path budget keeps a pathological pair from running for many minutes (exit 3)
	"$DIFF" -p 100000 "$tmp/rand$p.bpf" "$tmp/rand$p.rt.bpf" >"$tmp/out" 2>&1
	case $? in
	0) ok; rt=$((rt + 1)) ;;
	3) undecided=$((undecided + 1)) ;;
	*) fail "random policy $p: round trip differs: $(head -3 "$tmp/out")" ;;
	esac
done
echo "random policies: $rt round trips proven, $inexact not writable exactly as rules," \
	"$toobig too big to compile once written as rules, $undecided not decided within the path budget"
if [ $rt -ge 15 ] && [ $((inexact + toobig + undecided)) -le 6 ]; then ok; else
	fail "$rt round trips, $inexact inexact, $toobig too big, $undecided undecided"; fi

"$DEC" "$tmp/docker.bpf" >"$tmp/docker.pfc" 2>/dev/null
if grep -q '^syscall "getpid" (39): ALLOW$' "$tmp/docker.pfc"; then ok; else fail "pfc: getpid"; fi
if "$DEC" -f c "$tmp/docker.bpf" 2>/dev/null | grep -q "seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 0);"; then ok; else fail "c: read"; fi
# C: one context per group of ABIs with the same rules, merged, so every ABI of Docker's
# archMap (x86 and x32 too, which JSON cannot hold beside x86_64) round-trips exactly
# (exit 3: mipsel's numbers without a name are only known to be the default after the fact;
# the diff below is the proof)
"$DEC" -f c "$tmp/docker-all.bpf" >"$tmp/dc.c" 2>"$tmp/err"
case $? in
0) ok ;;
3) if grep -v "cannot write mipsel: syscall numbers without names" "$tmp/err" | grep -q .; then
	fail "c: Docker --all-arches: $(head -3 "$tmp/err")"; else ok; fi ;;
*) fail "c: Docker --all-arches: $(head -3 "$tmp/err")" ;;
esac
cat >"$tmp/dcmain.c" <<'EOF_C'
#include <seccomp.h>
#include <unistd.h>
#include "dc.c"
int main(void)
{
	scmp_filter_ctx ctx = decompiled_filter();
	return ctx == NULL || seccomp_export_bpf(ctx, STDOUT_FILENO) != 0;
}
EOF_C
if ${CC:-cc} -Wall -Wextra -Werror -I"$top_srcdir/include" -I"$top_builddir/include" -I"$tmp" \
	-o "$tmp/dcmain" "$tmp/dcmain.c" -L"$top_builddir/.libs" -lseccomp 2>"$tmp/cc.err" &&
	LD_LIBRARY_PATH=$top_builddir/.libs "$tmp/dcmain" >"$tmp/dc.bpf"; then
	ngroups=$(grep -c '^static scmp_filter_ctx decompiled_context_' "$tmp/dc.c")
	echo "docker --all-arches as C: $ngroups contexts merged"
	if [ "$ngroups" -gt 1 ]; then ok; else fail "c: one context only"; fi
	if "$DIFF" "$tmp/docker-all.bpf" "$tmp/dc.bpf" >"$tmp/out" 2>&1; then ok; else
		fail "c: Docker --all-arches round trip differs: $(head -3 "$tmp/out")"; fi
else
	fail "c: the decompiled C does not build or run: $(head -5 "$tmp/cc.err")"
fi

# --- sysgate vs libseccomp on the mkdir policy ---
[ -x "$EXPORT" ] || { echo "no ref_export (no system libseccomp): library comparison not run"; EXPORT=; }
if [ -n "$EXPORT" ]; then
	LD_LIBRARY_PATH=$top_builddir/.libs "$EXPORT" mkdir-bug >"$tmp/sg.bpf" || fail "ref_export on sysgate"
	"$EXPORT" mkdir-bug >"$tmp/deb.bpf" || fail "ref_export on libseccomp 2.5.4"
	libs="sg deb"
	if [ -f "$REF" ]; then
		mkdir "$tmp/lib" && cp "$REF" "$tmp/lib/libseccomp.so.2"
		LD_LIBRARY_PATH=$tmp/lib "$EXPORT" mkdir-bug >"$tmp/ref.bpf" || fail "ref_export on 2.6.1"
		libs="$libs ref"
	else
		echo "no $REF: libseccomp 2.6.1 not compared"
	fi
	for l in $libs; do
		[ "$l" = sg ] && continue
		"$DIFF" "$tmp/sg.bpf" "$tmp/$l.bpf" >"$tmp/out" 2>&1
		rc=$?
		if [ $rc -eq 1 ]; then ok; else fail "sysgate vs $l: exit $rc, not 1"; fi
		line=$(grep '^x86_64 mkdir (83): ERRNO(1) -> ALLOW at ' "$tmp/out")
		if [ -n "$line" ]; then ok; else fail "sysgate vs $l: no mkdir witness: $(cat "$tmp/out")"; fi
		# replay the witness in the simulator
		# shellcheck disable=SC2046 # the witness's "-N VALUE" pairs, split on purpose
		set -- $(echo "$line" | sed 's/.* at //; s/args\[\([0-9]\)\]=/-\1 /g')
		if [ "$("$SIM" -f "$tmp/sg.bpf" -s mkdir "$@")" = "ERRNO(1)" ] && [ "$("$SIM" -f "$tmp/$l.bpf" -s mkdir "$@")" = ALLOW ]; then ok; else fail "witness $* does not replay"; fi
	done
	if [ -f "$tmp/ref.bpf" ]; then
		if "$DIFF" -q "$tmp/deb.bpf" "$tmp/ref.bpf"; then ok; else fail "2.5.4 vs 2.6.1 differ"; fi
	fi
	# sysgate's program decompiles to the two rules it came from
	"$DEC" "$tmp/sg.bpf" >"$tmp/sg.pfc" 2>&1
	if grep -q 'if (args\[1\] >= 0x3aa3 && (args\[2\] & 0x6006400) == 0x4006000) ALLOW' "$tmp/sg.pfc" && grep -q 'if (args\[1\] >= 0xbbe7 && args\[5\] >= 0x11c5) ALLOW' "$tmp/sg.pfc"; then ok; else fail "sysgate's mkdir program: $(cat "$tmp/sg.pfc")"; fi
	for l in $libs; do
		"$DEC" -f json "$tmp/$l.bpf" >"$tmp/$l.json" || fail "decompile $l: not exact"
		"$COMPILE" -q "$tmp/$l.json" >"$tmp/$l.rt.bpf" || fail "compile decompiled $l"
		if "$DIFF" -q "$tmp/$l.bpf" "$tmp/$l.rt.bpf"; then ok; else fail "round trip of $l's mkdir program"; fi
	done
fi

# --- errors ---
"$DIFF" "$tmp/docker.bpf" >/dev/null 2>&1
rc=$?
if [ $rc -eq 2 ]; then ok; else fail "diff with one file: not exit 2"; fi
printf 'abc' >"$tmp/bad.bpf"
"$DEC" "$tmp/bad.bpf" >/dev/null 2>&1
rc=$?
if [ $rc -eq 1 ]; then ok; else fail "decompile of a bad file: not exit 1"; fi

echo "test_bpfsym: $checks checks, $fails failures"
[ "$fails" -eq 0 ]
