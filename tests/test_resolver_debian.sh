#!/bin/sh
# test_resolver_debian.sh - compare sysgate's resolver with Debian's libseccomp 2.5.4.
#
# 1. Library: tests/ref_resolver_dump (linked to Debian's libseccomp) asks every name it knows
#    on every arch it knows (name -> number, name -> rewritten number) and every number in wide
#    ranges (number -> name); `tests/test_arch_tables --answer` answers the same queries with
#    sysgate. Every differing answer must match a tolerated difference listed below.
# 2. Tool: tools/scmp_sys_resolver and /usr/bin/scmp_sys_resolver (package "seccomp") run on
#    the same command lines, including bad ones; output and exit code must be equal.
#
# Skips (exit 77) when Debian's library or tool is not there.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

set -u
top_builddir=${top_builddir:-.}
REF_TOOL=${REF_SCMP_SYS_RESOLVER:-/usr/bin/scmp_sys_resolver}
DUMP=$top_builddir/tests/ref_resolver_dump
ANSWER=$top_builddir/tests/test_arch_tables
OURS=$top_builddir/tools/scmp_sys_resolver

skip() {
	echo "SKIP: $*"
	exit 77
}
[ -x "$DUMP" ] || skip "tests/ref_resolver_dump not built (configure found no libseccomp to compare with)"
[ -x "$ANSWER" ] || skip "tests/test_arch_tables not built (Check missing)"
[ -x "$REF_TOOL" ] || skip "$REF_TOOL missing (Debian package 'seccomp')"
[ -x "$OURS" ] || skip "tools/scmp_sys_resolver not built"

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

"$DUMP" >"$tmp/ref" || skip "ref_resolver_dump could not run against a reference libseccomp"
"$ANSWER" --answer <"$tmp/ref" >"$tmp/ours" || { echo "FAIL: test_arch_tables --answer"; exit 1; }
[ "$(wc -l <"$tmp/ref")" -eq "$(wc -l <"$tmp/ours")" ] || { echo "FAIL: answer count"; exit 1; }

# Tolerated differences, each with its reason. Matched by awk below:
#   explicit "KIND ARCH KEY" entries (KEY = name for N lines, number for R lines), and
#   rule "newname": Debian knows no number->name, sysgate names a syscall that 2.5.4's tables do
#   not know at all (syscalls added to Linux after 5.17, other-arch names such as alpha's
#   oldwait4 whose pseudo number only exists in the header, and sysgate's own pseudo numbers).
cat >"$tmp/tolerated" <<'EOF'
# Linux names ARM's 341 sync_file_range2 (arm_sync_file_range is libseccomp's name; sysgate keeps
# it as an alias that still resolves to 341, but 341 and its pseudo number resolve to the kernel name)
N arm sync_file_range2
R arm 341
R arm -10089
# Linux made _llseek 32-bit only on parisc (kernel commit da3680f564bd); libseccomp 2.6.1 agrees
N parisc64 _llseek
R parisc64 140
R parisc64 -10026
# Linux lists 453 map_shadow_stack as 'common' since 6.10, so x32 has it (0x40000000 + 453);
# 2.5.4 predates it, libseccomp 2.6.1 agrees with sysgate
N x32 map_shadow_stack
R x32 453
R x32 1073742277
R x32 -10245
EOF

paste "$tmp/ref" "$tmp/ours" | awk -F'\t' -v tolfile="$tmp/tolerated" '
BEGIN {
	while ((getline l < tolfile) > 0) {
		if (l ~ /^#/ || l == "") continue
		split(l, t, " ")
		tol[t[1] " " t[2] " " t[3]] = 1
	}
}
{
	rows[NR] = $0
	if ($1 == "N") known[$3] = 1
}
END {
	compared = 0; tolerated = 0; failed = 0
	for (i = 1; i <= NR; i++) {
		n = split(rows[i], f, "\t")
		compared++
		if (f[1] == "N") {
			same = (f[4] == f[9] && f[5] == f[10])
			key = "N " f[2] " " f[3]
			desc = f[2] " " f[3] ": libseccomp " f[4] "/" f[5] ", sysgate " f[9] "/" f[10]
		} else {
			same = (f[4] == f[8])
			key = "R " f[2] " " f[3]
			desc = f[2] " " f[3] ": libseccomp " f[4] ", sysgate " f[8]
		}
		if (same) continue
		if (key in tol) { tolerated++; why["explicit (see list)"]++; continue }
		if (f[1] == "R" && f[4] == "-" && !(f[8] in known)) {
			tolerated++; why["name unknown to libseccomp 2.5.4 (newer syscall or pseudo number)"]++
			continue
		}
		failed++
		if (failed <= 50) print "DIFF " desc
	}
	for (w in why) printf("tolerated: %6d  %s\n", why[w], w)
	printf("library: %d compared, %d tolerated, %d failed\n", compared, tolerated, failed)
	exit failed ? 1 : 0
}' || lib_failed=1

# the command-line tool: same output (program name normalised) and exit code. libtool's wrapper
# script costs ~0.3 s a run, so run the real program with the wrapper's library path when found.
# (Only for our program: Debian's tool must keep loading Debian's libseccomp.so.2.)
ours_libs=
if [ -x "$top_builddir/tools/.libs/scmp_sys_resolver" ] && [ -d "$top_builddir/.libs" ]; then
	OURS=$top_builddir/tools/.libs/scmp_sys_resolver
	ours_libs=$top_builddir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
# shellcheck disable=SC2317 # called through run()
ours() {
	if [ -n "$ours_libs" ]; then
		LD_LIBRARY_PATH=$ours_libs "$OURS" "$@"
	else
		"$OURS" "$@"
	fi
}
tool_compared=0
tool_failed=0
tool_tolerated=0
run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	echo "rc=$?"
	sed 's|[^ ]*scmp_sys_resolver|PROG|g' "$tmp/out" "$tmp/err"
}
while IFS= read -r line; do
	[ -n "$line" ] || continue
	[ "$line" = "(no arguments)" ] && line=""
	# shellcheck disable=SC2086 # word splitting of the argument line is intended
	want=$(run "$REF_TOOL" $line)
	# shellcheck disable=SC2086
	got=$(run ours $line)
	# sysgate's -k (first kernel release, an extension) is in its usage line; nothing else
	# may differ
	case $got in *" [-k] "*)
		got=$(printf '%s\n' "$got" | sed 's/ \[-k\] / /')
		tool_tolerated=$((tool_tolerated + 1)) ;;
	esac
	tool_compared=$((tool_compared + 1))
	if [ "$want" != "$got" ]; then
		tool_failed=$((tool_failed + 1))
		printf 'DIFF tool %s\n--- libseccomp\n%s\n--- sysgate\n%s\n' "$line" "$want" "$got"
	fi
done <<'EOF'
read
0
-a x86_64 open
-a x86_64 2
-a x86 socket
-t -a x86 socket
-a x86 -t semop
-a x86 359
-a x86 102
-a x86 -- -101
-a x86_64 -- -101
-a x86_64 -- -10060
-a s390x -t shmctl
-a mips -t socket
-a mips 3
-a mips64 3
-a x32 read
-a x32 0
-a x32 512
-a arm breakpoint
-a arm 983045
-a aarch64 open
-a ppc64le -t recv
-a riscv64 read
-a mipsel64n32 read
no_such_syscall
99999
-- -1
-- -5
-- -
-- -abc
9x
0x10
4294967297
+5
-a bogus read
-a
-x read
-h
(no arguments)
read write
-a x86 read -t
EOF
# --help is not compared: libseccomp's tool has no long options and complains before printing
# the usage; sysgate's prints just the usage (same exit code)
got=$(run ours --help)
tool_compared=$((tool_compared + 1))
if [ "$got" != "$(run ours -h)" ]; then
	tool_failed=$((tool_failed + 1))
	echo "DIFF tool --help differs from -h"
fi
echo "tool: $tool_compared compared, $tool_tolerated tolerated (the -k extension in the usage), $tool_failed failed"

if [ "${lib_failed:-0}" -ne 0 ] || [ "$tool_failed" -ne 0 ]; then
	echo "FAIL"
	exit 1
fi
echo "PASS"
exit 0
