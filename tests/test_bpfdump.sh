#!/bin/sh
# test_bpfdump.sh - scmp_bpf_decompile --pid: a child runs under two filters (scmp_compile
# running scmp_compile running sleep, each adding its profile's filter); the dump must give two
# files, outermost first, each equal (scmp_bpf_diff) to the program of its profile.
# Skips (77) when not root, without seccomp or when ptrace is not permitted.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
DIFF=$top_builddir/tools/scmp_bpf_diff
DEC=$top_builddir/tools/scmp_bpf_decompile
COMPILE=$top_builddir/tools/scmp_compile
PROFILES=$top_srcdir/doc/examples/profiles

need_built "$DIFF" "$DEC" "$COMPILE"
[ "$(id -u)" -eq 0 ] || skip "PTRACE_SECCOMP_GET_FILTER needs CAP_SYS_ADMIN (run as root)"
grep -q '^Seccomp:' /proc/self/status || skip "this kernel has no seccomp"
make_tmp
unwrap_libtool COMPILE

"$COMPILE" -q "$PROFILES/docker-default.json" >"$tmp/outer.bpf" || fail "compile docker"
"$COMPILE" -q "$PROFILES/podman-seccomp.json" >"$tmp/inner.bpf" || fail "compile podman"
"$COMPILE" -q "$PROFILES/docker-default.json" -- \
	"$COMPILE" -q "$PROFILES/podman-seccomp.json" -- sleep 30 &
pid=$!
# wait until the sleep runs under both filters (the pid stays the same through the execs)
i=0
while [ $i -lt 100 ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != sleep ]; do
	sleep 0.1
	i=$((i + 1))
done
mkdir "$tmp/dump"
"$DEC" --pid "$pid" -o "$tmp/dump" -f pfc >"$tmp/out" 2>&1
rc=$?
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
if [ $rc -ne 0 ] && [ $rc -ne 3 ] && grep -q "Operation not permitted" "$tmp/out"; then
	skip "ptrace not permitted here: $(cat "$tmp/out")"
fi
if [ $rc -eq 0 ] || [ $rc -eq 3 ]; then ok; else fail "dump: exit $rc: $(cat "$tmp/out")"; fi
if [ -f "$tmp/dump/filter-1.bpf" ] && [ -f "$tmp/dump/filter-2.bpf" ] && [ ! -f "$tmp/dump/filter-3.bpf" ]; then ok; else fail "not exactly two filters: $(ls "$tmp/dump")"; fi
if "$DIFF" -q "$tmp/outer.bpf" "$tmp/dump/filter-1.bpf"; then ok; else fail "filter-1 is not the outer profile"; fi
if "$DIFF" -q "$tmp/inner.bpf" "$tmp/dump/filter-2.bpf"; then ok; else fail "filter-2 is not the inner profile"; fi
if grep -q "^syscall \"getpid\" (39): ALLOW" "$tmp/dump/filter-1.pfc"; then ok; else fail "filter-1.pfc not decompiled"; fi

echo "test_bpfdump: $checks checks, $fails failures"
[ "$fails" -eq 0 ]
