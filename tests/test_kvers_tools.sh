#!/bin/sh
# test_kvers_tools.sh - the kernel-version limit in the tools: scmp_sys_resolver -k,
# scmp_compile --enosys-after X.Y|auto (PFC, BPF run by scmp_bpf_sim, a command run under it),
# scmp_bpf_disasm naming ENOSYS. Each check has a control without the limit. Exit 77 when the
# tools are not built.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
RESOLVER=$top_builddir/tools/scmp_sys_resolver
COMPILE=$top_builddir/tools/scmp_compile
DISASM=$top_builddir/tools/scmp_bpf_disasm
SIM=$top_builddir/tools/scmp_bpf_sim

for t in "$RESOLVER" "$COMPILE" "$DISASM" "$SIM"; do
	[ -x "$t" ] || skip "$t not built (scmp_compile needs json-c)"
done
make_tmp

expect() { # expect WHAT WANT GOT
	ok
	[ "$2" = "$3" ] || fail "$1: got '$3', want '$2'"
}

# --- scmp_sys_resolver -k ---
expect "-k -a x86_64 clone3" 5.3 "$("$RESOLVER" -k -a x86_64 clone3)"
expect "-k -a x86 socket (the direct call)" 4.3 "$("$RESOLVER" -k -a x86 socket)"
expect "-k -a x86_64 read" any "$("$RESOLVER" -k -a x86_64 read)"
expect "-k -a x86_64 437" 5.6 "$("$RESOLVER" -k -a x86_64 437)"
line=$("$RESOLVER" -k openat2 | grep '^aarch64	')
expect "-k openat2, aarch64 line" "aarch64	437	5.6" "$line"
"$RESOLVER" -k -a x86_64 nosuchcall >/dev/null 2>&1
expect "-k unknown name: exit status" 1 "$?"
"$RESOLVER" -k -a x86_64 1000 >/dev/null 2>&1
expect "-k unassigned number: exit status" 1 "$?"
# without -k the tool is libseccomp's
expect "clone3 without -k" 435 "$("$RESOLVER" -a x86_64 clone3)"

# --- scmp_compile --enosys-after ---
cat >"$tmp/p.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
 "syscalls": [{"names": ["read", "write", "exit_group", "openat2"], "action": "SCMP_ACT_ALLOW"}]}
JSON
"$COMPILE" -q -a x86_64 --enosys-after 5.2 -o "$tmp/kv.bpf" "$tmp/p.json" || fail "--enosys-after 5.2"
"$COMPILE" -q -a x86_64 -o "$tmp/plain.bpf" "$tmp/p.json" || fail "compile without a limit"
sim() { "$SIM" -a x86_64 -f "$1" -s "$2"; }
expect "5.2: clone3" "ERRNO(38)" "$(sim "$tmp/kv.bpf" clone3)"
expect "5.2: unassigned 1000" "ERRNO(38)" "$(sim "$tmp/kv.bpf" 1000)"
expect "5.2: openat2 (named)" ALLOW "$(sim "$tmp/kv.bpf" openat2)"
expect "5.2: getppid (5.2-era, not allowed)" "ERRNO(1)" "$(sim "$tmp/kv.bpf" getppid)"
expect "5.2: read" ALLOW "$(sim "$tmp/kv.bpf" read)"
expect "control: clone3" "ERRNO(1)" "$(sim "$tmp/plain.bpf" clone3)"
# auto: openat2 (5.6) is the newest name, so pidfd_getfd (5.6) is present and
# faccessat2 (5.8) is not
"$COMPILE" -s -a x86_64 --enosys-after auto -o "$tmp/auto.bpf" "$tmp/p.json" 2>"$tmp/auto.err" ||
	fail "--enosys-after auto"
grep -q "newer than Linux 5.6 (the newest the profile names)" "$tmp/auto.err" ||
	fail "--enosys-after auto: $(cat "$tmp/auto.err")"
expect "auto: pidfd_getfd" "ERRNO(1)" "$(sim "$tmp/auto.bpf" pidfd_getfd)"
expect "auto: faccessat2" "ERRNO(38)" "$(sim "$tmp/auto.bpf" faccessat2)"
"$COMPILE" --enosys-after 2.6 -o "$tmp/x" "$tmp/p.json" 2>/dev/null
expect "--enosys-after 2.6: exit status" 2 "$?"
"$COMPILE" --enosys-after 5.x -o "$tmp/x" "$tmp/p.json" 2>/dev/null
expect "--enosys-after 5.x: exit status" 2 "$?"

# PFC shows the limit; the control has no such section
"$COMPILE" -q -a x86_64 --enosys-after 5.2 -f pfc "$tmp/p.json" >"$tmp/kv.pfc" || fail "pfc"
ok
grep -q "numbers no syscall of Linux 5.2 has" "$tmp/kv.pfc" || fail "PFC: no kernel-version section"
ok
# shellcheck disable=SC2016 # a literal $syscall
grep -qF 'if ($syscall >= 434 && $syscall <= 436)' "$tmp/kv.pfc" ||
	fail "PFC: pidfd_open..close_range not listed as ENOSYS (openat2 437 is named)"
"$COMPILE" -q -a x86_64 -f pfc "$tmp/p.json" >"$tmp/plain.pfc" || fail "pfc control"
ok
! grep -q "numbers no syscall" "$tmp/plain.pfc" || fail "PFC control shows a limit"

# scmp_bpf_disasm names the ENOSYS returns and the bound where newer calls start
"$DISASM" -a x86_64 "$tmp/kv.bpf" >"$tmp/kv.dis" || fail "disasm"
ok
grep -q "ret ERRNO(38) *; ENOSYS" "$tmp/kv.dis" || fail "disasm: ENOSYS not named"
ok
grep -q "; pidfd_open (Linux 5.3)" "$tmp/kv.dis" || fail "disasm: the 5.3 bound not named"
"$DISASM" -a x86_64 "$tmp/plain.bpf" >"$tmp/plain.dis" || fail "disasm control"
ok
! grep -q "ENOSYS" "$tmp/plain.dis" || fail "disasm control names ENOSYS"

# a command under a limited profile on the running kernel: newer calls get ENOSYS, so glibc
# falls back (x86_64 only: the profile above is x86_64's)
if [ "$(uname -m)" = x86_64 ] && [ -x /bin/true ] && [ -z "${SYSGATE_UNDER_VALGRIND:-}" ]; then
	cat >"$tmp/allow.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["reboot"], "action": "SCMP_ACT_ERRNO"}]}
JSON
	ok
	"$COMPILE" -q --enosys-after 5.2 "$tmp/allow.json" -- sh -c '/bin/true && /bin/true' ||
		fail "sh under --enosys-after 5.2"
fi

echo "$checks checks, $fails failures"
[ "$fails" -eq 0 ]
