#!/bin/sh
# test_profile.sh - scmp_compile without loading anything: profile errors name the entry and
# field, warnings, options and output formats, and the verdicts of compiled profiles checked
# with scmp_bpf_sim (MASKED_EQ value/valueTwo order, AND of conditions on one argument,
# includes/excludes, archMap), plus a comparison with a filter built by hand through the C API.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
COMPILE=$top_builddir/tools/scmp_compile
SIM=$top_builddir/tools/scmp_bpf_sim
HANDBUILT=$top_builddir/tests/profile_handbuilt
PROFILES=$top_srcdir/tests/profiles

[ -x "$COMPILE" ] || skip "$COMPILE is not built (json-c missing?)"
unwrap_libtool COMPILE
make_tmp

# expect_error FILE EXPECTED-SUBSTRING: exit status 1 and the message on stderr
expect_error() {
	"$COMPILE" -q -o "$tmp/out" "$1" >"$tmp/stdout" 2>"$tmp/stderr"
	rc=$?
	if [ $rc -ne 1 ]; then
		fail "$1: exit status $rc, want 1"
		cat "$tmp/stderr"
	elif ! grep -qF -- "$2" "$tmp/stderr"; then
		fail "$1: message does not contain '$2':"
		cat "$tmp/stderr"
	else
		ok
	fi
}

echo "== malformed profiles"
expect_error "$PROFILES/bad-json-syntax.json" "invalid JSON at line 4, column 23"
expect_error "$PROFILES/bad-json-truncated.json" "unexpected end of input"
expect_error "$PROFILES/bad-json-trailing.json" "line 2, column 1: trailing characters"
expect_error "$PROFILES/bad-empty.json" "invalid JSON"
expect_error "$PROFILES/bad-toplevel.json" "expected an object at the top level"
expect_error "$PROFILES/bad-no-default.json" "defaultAction: missing"
expect_error "$PROFILES/bad-default-action.json" 'defaultAction: unknown action "SCMP_ACT_ALLOWED"'
expect_error "$PROFILES/bad-default-errno.json" "defaultErrnoRet: SCMP_ACT_KILL cannot return an errno"
expect_error "$PROFILES/bad-action.json" 'syscalls[1] (getpid): action: unknown action "SCMP_ACT_DENY"'
expect_error "$PROFILES/bad-missing-action.json" "syscalls[0] (read): action: missing"
expect_error "$PROFILES/bad-op.json" 'syscalls[0] (personality): args[0].op: unknown comparison "SCMP_CMP_LIKE"'
expect_error "$PROFILES/bad-missing-op.json" "syscalls[0] (personality): args[0].op: missing"
expect_error "$PROFILES/bad-index.json" "syscalls[0] (mmap): args[1].index: 6 is out of range"
expect_error "$PROFILES/bad-missing-names.json" "syscalls[2]: names: missing"
expect_error "$PROFILES/bad-names-type.json" "syscalls[0]: names: expected an array, got a string"
expect_error "$PROFILES/bad-names-element.json" "syscalls[0]: names[0]: expected a string"
expect_error "$PROFILES/bad-name-and-names.json" 'syscalls[0]: name: use either "name" or "names"'
expect_error "$PROFILES/bad-value-negative.json" "syscalls[0] (openat): args[0].value: expected a non-negative integer"
expect_error "$PROFILES/bad-value-string.json" "syscalls[0] (personality): args[0].value: expected an integer, got a string"
expect_error "$PROFILES/bad-value-float.json" "args[0].value: expected an integer, got a fractional number"
expect_error "$PROFILES/bad-value-overflow.json" "line 5, column 38: integer 18446744073709551616 does not fit in 64 bits"
expect_error "$PROFILES/bad-valuetwo-type.json" "syscalls[0] (clone): args[0].valueTwo: expected an integer, got a boolean"
expect_error "$PROFILES/bad-errnoret-range.json" "syscalls[0] (ptrace): errnoRet: 5000 is out of range"
expect_error "$PROFILES/bad-errnoret-allow.json" "syscalls[0] (read): errnoRet: SCMP_ACT_ALLOW cannot return an errno"
expect_error "$PROFILES/bad-errno-name.json" 'syscalls[0] (ptrace): errno: unknown errno name "EWHATEVER"'
expect_error "$PROFILES/bad-flags.json" 'flags[1]: unknown flag "SECCOMP_FILTER_FLAG_FOO"'
expect_error "$PROFILES/bad-arches-both.json" 'use either "architectures" or "archMap"'
expect_error "$PROFILES/bad-archmap-entry.json" "archMap[0]: architecture: missing"
expect_error "$PROFILES/bad-minkernel.json" 'syscalls[0] (ptrace): includes.minKernel: "4.x" is not a version'
expect_error "$PROFILES/bad-caps-type.json" "syscalls[0] (bpf): excludes.caps: expected an array, got a string"
expect_error "$PROFILES/bad-entry-type.json" "syscalls[0]: expected an object, got a string"
expect_error "$PROFILES/bad-args-type.json" "syscalls[0] (read): args: expected an array, got an object"
expect_error "$PROFILES/bad-too-many-rules.json" "syscalls[0] (read): args: expressing these conditions exactly needs more than 256 rules"
expect_error "$PROFILES/bad-conflict.json" 'syscalls[1] (read): cannot add the rule for "personality" (SCMP_ACT_LOG): an earlier entry has the same conditions with another action'
expect_error "$tmp/does-not-exist.json" "No such file or directory"
# every malformed profile must be covered above
for f in "$PROFILES"/bad-*.json; do
	grep -qF "/$(basename "$f")\"" "$0" || fail "$f is not checked by $0"
done

echo "== usage errors"
expect_usage() {
	"$COMPILE" "$@" >/dev/null 2>"$tmp/stderr"
	rc=$?
	if [ $rc -eq 2 ]; then ok; else fail "scmp_compile $*: exit status $rc, want 2"; fi
}
expect_usage
expect_usage -f elf "$PROFILES/small.json"
expect_usage --arch vax "$PROFILES/small.json"
expect_usage --kernel five "$PROFILES/small.json"
expect_usage -O 3 "$PROFILES/small.json"
expect_usage -n 9lives -f c "$PROFILES/small.json"
expect_usage "$PROFILES/small.json" "$PROFILES/small.json"
expect_usage "$PROFILES/small.json" --
expect_usage --bogus "$PROFILES/small.json"
if "$COMPILE" --help | grep -q -- "--all-caps"; then ok; else fail "--help"; fi

echo "== warnings"
cat >"$tmp/warn.json" <<'EOF'
{
	"defaultAction": "SCMP_ACT_ERRNO",
	"listenerPath": "/run/agent.sock",
	"defaultErorRet": 1,
	"syscalls": [
		{ "names": ["read", "no_such_syscall_a", "write", "no_such_syscall_b"],
		  "action": "SCMP_ACT_ALLOW" },
		{ "names": ["close"], "action": "SCMP_ACT_ALLOW",
		  "args": [ { "index": 0, "value": 3, "op": "SCMP_CMP_LT" },
			    { "index": 0, "value": 5, "op": "SCMP_CMP_GT" } ] },
		{ "names": ["getpid"], "action": "SCMP_ACT_ALLOW", "argz": [] }
	]
}
EOF
if "$COMPILE" -o "$tmp/warn.bpf" "$tmp/warn.json" 2>"$tmp/stderr"; then ok; else fail "warn.json does not compile"; fi
for want in 'unknown syscalls skipped: "no_such_syscall_a", "no_such_syscall_b"' \
	'listenerPath "/run/agent.sock" ignored' 'unknown member "defaultErorRet"' \
	'syscalls[2] (getpid): unknown member "argz"' \
	'syscalls[1] (close): args: the conditions on one argument can never all hold'; do
	if grep -qF -- "$want" "$tmp/stderr"; then ok; else fail "no warning '$want'"; fi
done
if "$COMPILE" -q -o "$tmp/warn.bpf" "$tmp/warn.json" 2>"$tmp/stderr" && [ ! -s "$tmp/stderr" ]; then
	ok
else
	fail "-q does not silence warnings"
fi

# a condition on a socket/ipc call cannot be tested through socketcall/ipc: said per ABI, with
# what the rule does there (and nothing about x86_64, which has no multiplexer)
cat >"$tmp/mux.json" <<'EOF'
{
	"defaultAction": "SCMP_ACT_ERRNO",
	"architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
	"syscalls": [
		{ "names": ["socket"], "action": "SCMP_ACT_ALLOW",
		  "args": [ { "index": 0, "value": 1, "op": "SCMP_CMP_EQ" } ] },
		{ "names": ["semop"], "action": "SCMP_ACT_KILL",
		  "args": [ { "index": 0, "value": 1, "op": "SCMP_CMP_EQ" } ] },
		{ "names": ["bind"], "action": "SCMP_ACT_ALLOW" }
	]
}
EOF
if "$COMPILE" -o "$tmp/mux.bpf" "$tmp/mux.json" 2>"$tmp/stderr"; then ok; else fail "mux.json does not compile"; fi
for want in 'syscalls[0] (socket): on x86, the arguments of "socket" cannot be tested through socketcall: the rule applies there to no such call' \
	'syscalls[1] (semop): on x86, the arguments of "semop" cannot be tested through ipc: the rule applies there to every such call (fails closed)'; do
	if grep -qF -- "$want" "$tmp/stderr"; then ok; else fail "no warning '$want'"; fi
done
if [ "$(grep -c 'cannot be tested through' "$tmp/stderr")" = 2 ]; then ok; else
	fail "mux.json: want exactly two multiplexer warnings:"
	cat "$tmp/stderr"
fi

echo "== output formats"
"$COMPILE" -q -s -o "$tmp/small.bpf" "$PROFILES/small.json" 2>"$tmp/stats" || fail "small.json"
insns=$(sed -n 's/.*: \([0-9][0-9]*\) instructions.*/\1/p' "$tmp/stats")
size=$(wc -c <"$tmp/small.bpf" | tr -d ' ')
if [ -n "$insns" ] && [ "$size" -eq $((insns * 8)) ]; then ok; else
	fail "--stats says '$insns' instructions, the BPF file has $size bytes"
fi
"$COMPILE" -q -f pfc "$PROFILES/small.json" >"$tmp/small.pfc" || fail "-f pfc"
if grep -q "action ALLOW" "$tmp/small.pfc"; then ok; else fail "-f pfc output"; fi
"$COMPILE" -q -f c -n small_filter -o "$tmp/small.c" "$PROFILES/small.json" || fail "-f c"
n=$(grep -c '^	{ 0x' "$tmp/small.c")
if [ "$n" = "$insns" ] && grep -q 'struct sock_filter small_filter\[\]' "$tmp/small.c"; then ok; else
	fail "-f c: $n array elements, want $insns"
fi
if command -v "${CC:-cc}" >/dev/null 2>&1; then
	printf '#include "%s"\nint main(void) { return small_filter_prog.len != %s; }\n' \
		"$tmp/small.c" "$insns" >"$tmp/main.c"
	if "${CC:-cc}" -Wall -Werror -o "$tmp/main" "$tmp/main.c" 2>"$tmp/cc.err" && "$tmp/main"; then
		ok
	else
		fail "-f c output does not compile or has the wrong length"
		cat "$tmp/cc.err"
	fi
fi
if "$COMPILE" -q -o - "$PROFILES/small.json" | cmp -s - "$tmp/small.bpf"; then ok; else
	fail "-o - differs from -o FILE"
fi
if "$COMPILE" -q -o "$tmp/stdin.bpf" - <"$PROFILES/small.json" && cmp -s "$tmp/stdin.bpf" "$tmp/small.bpf"; then
	ok
else
	fail "profile from standard input"
fi

# a failed write names its errno (not libseccomp's catch-all "Operation canceled")
for f in bpf pfc c; do
	"$COMPILE" -q -f $f -o /dev/full "$PROFILES/small.json" 2>"$tmp/stderr"
	rc=$?
	if [ $rc -eq 1 ] && grep -qF "writing /dev/full: No space left on device" "$tmp/stderr"; then
		ok
	else
		fail "-f $f -o /dev/full (Linux's always-full device): exit status $rc, $(cat "$tmp/stderr")"
	fi
done

# a filter over the kernel's limit: its size and what takes the room, not "Bad address"
awk 'BEGIN {
	printf "{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"],\n"
	printf "  \"syscalls\": [ { \"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\" }"
	for (i = 0; i < 4000; i++)
		printf ",\n { \"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [ { \"index\": 1, \"value\": %d, \"op\": \"SCMP_CMP_EQ\" } ] }", 21504 + 7 * i
	for (i = 0; i < 1500; i++)
		printf ",\n { \"names\": [\"fcntl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [ { \"index\": 1, \"value\": %d, \"op\": \"SCMP_CMP_EQ\" } ] }", 3 * i
	printf " ] }\n"
}' >"$tmp/big.json"
"$COMPILE" -q -o "$tmp/big.bpf" "$tmp/big.json" 2>"$tmp/stderr"
rc=$?
need=$(sed -n 's/.*: the filter needs \([0-9]*\) instructions; the kernel accepts at most 4096$/\1/p' "$tmp/stderr")
if [ $rc -eq 1 ] && [ -n "$need" ] && [ "$need" -gt 4096 ]; then ok; else
	fail "too long a filter: exit status $rc, $(cat "$tmp/stderr")"
fi
if sed -n 3p "$tmp/stderr" | grep -q "^scmp_compile:   ioctl on x86_64: 4000 rules, [0-9]* instructions$" &&
	sed -n 4p "$tmp/stderr" | grep -q "^scmp_compile:   fcntl on x86_64: 1500 rules"; then
	ok
else
	fail "too long a filter: the largest contributors are not ioctl, then fcntl: $(cat "$tmp/stderr")"
fi

if [ ! -x "$SIM" ]; then
	skip_part "the remaining checks: $SIM is not built"
	finish
fi

# verdicts BPF-FILE ARCH "SYSCALL A0 A1 A2 A3 => ACTION" ...
verdicts() {
	file=$1 arch=$2
	shift 2
	for c in "$@"; do
		want=${c##*=> }
		# shellcheck disable=SC2086
		set -- ${c%% =>*}
		sys=$1
		shift
		args=
		i=0
		for a in "$@"; do
			args="$args -$i $a"
			i=$((i + 1))
		done
		# shellcheck disable=SC2086
		got=$("$SIM" -f "$file" -a "$arch" -s "$sys" $args 2>&1)
		if [ "$got" = "$want" ]; then ok; else
			fail "$(basename "$file") on $arch: $sys$args: got '$got', want '$want'"
		fi
	done
}

echo "== MASKED_EQ: value is the mask, valueTwo the datum"
cat >"$tmp/masked.json" <<'EOF'
{
	"defaultAction": "SCMP_ACT_ERRNO",
	"architectures": ["SCMP_ARCH_X86_64"],
	"syscalls": [
		{ "names": ["personality"], "action": "SCMP_ACT_ALLOW",
		  "args": [ { "index": 0, "value": 65280, "valueTwo": 4608, "op": "SCMP_CMP_MASKED_EQ" } ] }
	]
}
EOF
"$COMPILE" -q --arch x86_64 -o "$tmp/masked.bpf" "$tmp/masked.json" || fail "masked.json"
verdicts "$tmp/masked.bpf" x86_64 \
	"personality 0x1234 => ALLOW" "personality 0x12ff => ALLOW" "personality 0x1300 => ERRNO(1)" \
	"personality 0xff00 => ERRNO(1)" "personality 0x12 => ERRNO(1)" "personality 0x101234 => ALLOW"

echo "== several conditions on one argument mean AND"
cat >"$tmp/and.json" <<'EOF'
{
	"defaultAction": "SCMP_ACT_ERRNO",
	"archMap": [ { "architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"] } ],
	"syscalls": [
		{ "names": ["read"], "action": "SCMP_ACT_ALLOW",
		  "args": [ { "index": 0, "value": 16, "op": "SCMP_CMP_NE" },
			    { "index": 0, "value": 17, "op": "SCMP_CMP_NE" } ] },
		{ "names": ["write"], "action": "SCMP_ACT_ALLOW",
		  "args": [ { "index": 2, "value": 4, "op": "SCMP_CMP_GE" },
			    { "index": 2, "value": 9, "op": "SCMP_CMP_LE" } ] },
		{ "names": ["dup"], "action": "SCMP_ACT_ALLOW",
		  "args": [ { "index": 0, "value": 7, "op": "SCMP_CMP_EQ" },
			    { "index": 0, "value": 1, "valueTwo": 1, "op": "SCMP_CMP_MASKED_EQ" } ] },
		{ "names": ["kill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
		  "args": [ { "index": 0, "value": 1, "op": "SCMP_CMP_NE" },
			    { "index": 0, "value": 2, "op": "SCMP_CMP_NE" },
			    { "index": 1, "value": 10, "op": "SCMP_CMP_GE" },
			    { "index": 1, "value": 12, "op": "SCMP_CMP_LE" } ] },
		{ "names": ["fchdir"], "action": "SCMP_ACT_ALLOW",
		  "args": [ { "index": 0, "value": 4294967296, "op": "SCMP_CMP_GT" },
			    { "index": 0, "value": 4294967301, "op": "SCMP_CMP_LT" } ] }
	]
}
EOF
"$COMPILE" --arch x86_64 -o "$tmp/and.bpf" "$tmp/and.json" 2>"$tmp/stderr" || fail "and.json"
if grep -qF 'syscalls[4] (fchdir): args: the conditions on one argument can never all hold for 32-bit arguments; entry ignored on 32-bit architectures' "$tmp/stderr"; then
	ok
else
	fail "and.json: no warning about fchdir on 32-bit architectures"
	cat "$tmp/stderr"
fi
verdicts "$tmp/and.bpf" x86_64 \
	"read 0 => ALLOW" "read 15 => ALLOW" "read 16 => ERRNO(1)" "read 17 => ERRNO(1)" \
	"read 18 => ALLOW" "read 0xffffffffffffffff => ALLOW" "read 0x100000010 => ALLOW" \
	"write 1 1 3 => ERRNO(1)" "write 1 1 4 => ALLOW" "write 1 1 7 => ALLOW" \
	"write 1 1 9 => ALLOW" "write 1 1 10 => ERRNO(1)" "write 1 1 0x100000005 => ERRNO(1)" \
	"dup 7 => ALLOW" "dup 5 => ERRNO(1)" "dup 0x100000007 => ERRNO(1)" \
	"kill 0 10 => ERRNO(13)" "kill 3 12 => ERRNO(13)" "kill 1 11 => ERRNO(1)" \
	"kill 2 11 => ERRNO(1)" "kill 3 9 => ERRNO(1)" "kill 3 13 => ERRNO(1)" \
	"fchdir 0x100000000 => ERRNO(1)" "fchdir 0x100000001 => ALLOW" \
	"fchdir 0x100000004 => ALLOW" "fchdir 0x100000005 => ERRNO(1)" "fchdir 2 => ERRNO(1)"
# x86 compares 32-bit arguments: the range above 2^32 holds no 32-bit value at all (a plain
# truncation of the datums would have allowed 2..4), everything else is unchanged
verdicts "$tmp/and.bpf" x86 \
	"read 15 => ALLOW" "read 16 => ERRNO(1)" "read 17 => ERRNO(1)" "read 18 => ALLOW" \
	"write 1 1 4 => ALLOW" "write 1 1 10 => ERRNO(1)" "kill 3 12 => ERRNO(13)" \
	"kill 2 11 => ERRNO(1)" \
	"fchdir 2 => ERRNO(1)" "fchdir 3 => ERRNO(1)" "fchdir 0x100000002 => ERRNO(1)"

# a mask with one value cut out: one MASKED_EQ per free bit of the mask (60 on x86_64)
cat >"$tmp/maskne.json" <<'EOF'
{
	"defaultAction": "SCMP_ACT_ERRNO",
	"architectures": ["SCMP_ARCH_X86_64"],
	"syscalls": [
		{ "names": ["lseek"], "action": "SCMP_ACT_ALLOW",
		  "args": [ { "index": 1, "value": 240, "valueTwo": 16, "op": "SCMP_CMP_MASKED_EQ" },
			    { "index": 1, "value": 21, "op": "SCMP_CMP_NE" } ] }
	]
}
EOF
"$COMPILE" -q --arch x86_64 -o "$tmp/maskne.bpf" "$tmp/maskne.json" || fail "maskne.json"
verdicts "$tmp/maskne.bpf" x86_64 \
	"lseek 0 0x10 => ALLOW" "lseek 0 0x15 => ERRNO(1)" "lseek 0 0x1f => ALLOW" \
	"lseek 0 0x115 => ALLOW" "lseek 0 0x20 => ERRNO(1)" "lseek 0 0x100000015 => ALLOW" \
	"lseek 0 0x8000000000000015 => ALLOW" "lseek 0 0x8000000000000025 => ERRNO(1)"

echo "== includes / excludes"
cat >"$tmp/sel.json" <<'EOF'
{
	"defaultAction": "SCMP_ACT_ERRNO",
	"archMap": [
		{ "architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"] },
		{ "architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"] }
	],
	"syscalls": [
		{ "names": ["getpid"], "action": "SCMP_ACT_ALLOW", "includes": { "caps": ["CAP_SYS_ADMIN"] } },
		{ "names": ["getppid"], "action": "SCMP_ACT_ALLOW",
		  "excludes": { "caps": ["CAP_SYS_ADMIN", "CAP_BPF"] } },
		{ "names": ["gettid"], "action": "SCMP_ACT_ALLOW", "includes": { "minKernel": "5.10" } },
		{ "names": ["getuid"], "action": "SCMP_ACT_ALLOW", "excludes": { "minKernel": "6.0" } },
		{ "names": ["getgid"], "action": "SCMP_ACT_ALLOW", "includes": { "arches": ["amd64"] } },
		{ "names": ["geteuid"], "action": "SCMP_ACT_ALLOW", "excludes": { "arches": ["arm64"] } },
		{ "names": ["getegid"], "action": "SCMP_ACT_ALLOW",
		  "includes": { "caps": ["CAP_SYS_ADMIN", "CAP_SYS_PTRACE"] } }
	]
}
EOF
sel() {
	out=$1
	shift
	"$COMPILE" -q -o "$tmp/$out.bpf" "$@" "$tmp/sel.json" || fail "sel.json $*"
}
sel none --arch x86_64 --kernel 5.4
verdicts "$tmp/none.bpf" x86_64 "getpid => ERRNO(1)" "getppid => ALLOW" "gettid => ERRNO(1)" \
	"getuid => ALLOW" "getgid => ALLOW" "geteuid => ALLOW" "getegid => ERRNO(1)"
# archMap brought in x86 and x32, evaluated as the native x86_64 (Docker's way)
verdicts "$tmp/none.bpf" x86 "getgid => ALLOW" "getppid => ALLOW" "gettid => ERRNO(1)"
verdicts "$tmp/none.bpf" x32 "getgid => ALLOW"
sel admin --arch x86_64 --kernel 5.10 --cap CAP_SYS_ADMIN
verdicts "$tmp/admin.bpf" x86_64 "getpid => ALLOW" "getppid => ERRNO(1)" "gettid => ALLOW" \
	"getuid => ALLOW" "getegid => ERRNO(1)"
sel lower --arch x86_64 --kernel 6.0 --cap sys_admin --cap bpf
verdicts "$tmp/lower.bpf" x86_64 "getpid => ALLOW" "getppid => ERRNO(1)" "getuid => ERRNO(1)"
sel all --arch x86_64 --kernel 6.1 --all-caps
verdicts "$tmp/all.bpf" x86_64 "getpid => ALLOW" "getppid => ERRNO(1)" "getegid => ALLOW" \
	"gettid => ALLOW" "getuid => ERRNO(1)"
sel arm64 --arch aarch64 --kernel 5.4
verdicts "$tmp/arm64.bpf" aarch64 "getgid => ERRNO(1)" "geteuid => ERRNO(1)" "getppid => ALLOW"
verdicts "$tmp/arm64.bpf" arm "getgid => ERRNO(1)" "geteuid => ERRNO(1)" "getppid => ALLOW"
verdicts "$tmp/arm64.bpf" x86_64 "getppid => KILL"
# --all-arches: every little-endian architecture of the profile, "arches" matched per arch
sel every --arch aarch64 --kernel 5.4 --all-arches
verdicts "$tmp/every.bpf" aarch64 "getgid => ERRNO(1)" "geteuid => ERRNO(1)" "getppid => ALLOW"
verdicts "$tmp/every.bpf" x86_64 "getgid => ALLOW" "geteuid => ALLOW" "getppid => ALLOW"
verdicts "$tmp/every.bpf" x86 "getgid => ERRNO(1)" "geteuid => ALLOW"

echo "== actions, errno defaults and rules equal to the default action"
cat >"$tmp/act.json" <<'EOF'
{
	"defaultAction": "SCMP_ACT_ERRNO",
	"defaultErrnoRet": 38,
	"architectures": ["SCMP_ARCH_X86_64"],
	"syscalls": [
		{ "names": ["read"], "action": "SCMP_ACT_ALLOW" },
		{ "names": ["write"], "action": "SCMP_ACT_ERRNO" },
		{ "names": ["close"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38 },
		{ "names": ["getpid"], "action": "SCMP_ACT_TRAP" },
		{ "names": ["getppid"], "action": "SCMP_ACT_KILL_PROCESS" },
		{ "names": ["gettid"], "action": "SCMP_ACT_TRACE", "errnoRet": 7 },
		{ "name": "getuid", "action": "SCMP_ACT_LOG" },
		{ "names": ["getgid"], "action": "SCMP_ACT_KILL" },
		{ "names": ["geteuid"], "action": "SCMP_ACT_ERRNO", "errno": "EACCES" }
	]
}
EOF
if "$COMPILE" -s -o "$tmp/act.bpf" --arch x86_64 "$tmp/act.json" 2>"$tmp/stderr" &&
	grep -q "1 names skipped as default action" "$tmp/stderr"; then
	ok
else
	fail "act.json (a rule equal to the default action must be skipped, not refused)"
	cat "$tmp/stderr"
fi
verdicts "$tmp/act.bpf" x86_64 "read => ALLOW" "write => ERRNO(1)" "close => ERRNO(38)" \
	"getpid => TRAP" "getppid => KILL_PROCESS" "gettid => TRACE(7)" "getuid => LOG" \
	"getgid => KILL" "geteuid => ERRNO(13)" "mmap => ERRNO(38)"

DOCKER=$top_srcdir/doc/examples/profiles/docker-default.json
if [ -r "$DOCKER" ]; then
	echo "== Docker's default profile"
	"$COMPILE" -q --arch x86_64 -o "$tmp/d64.bpf" "$DOCKER" || fail "docker x86_64"
	verdicts "$tmp/d64.bpf" x86_64 "read => ALLOW" "keyctl => ERRNO(1)" "arch_prctl => ALLOW" \
		"clone 0x11 => ALLOW" "clone 0x20000 => ERRNO(1)" "clone3 => ERRNO(38)" \
		"socket 2 => ALLOW" "socket 38 => ERRNO(1)" "socket 39 => ALLOW" \
		"socket 40 => ERRNO(1)" "socket 41 => ALLOW" "personality 8 => ALLOW" \
		"personality 9 => ERRNO(1)" "personality 0xffffffff => ALLOW" "ptrace => ALLOW"
	verdicts "$tmp/d64.bpf" x86 "read => ALLOW" "modify_ldt => ALLOW" "keyctl => ERRNO(1)"
	# options may be repeated: the Docker set is added once (a repeated --docker-caps used to
	# write past the capability array and abort)
	"$COMPILE" -q --arch x86_64 --docker-caps -f pfc -o "$tmp/dcaps1.pfc" "$DOCKER" ||
		fail "docker --docker-caps"
	if "$COMPILE" -q --arch x86_64 --docker-caps --docker-caps -c CAP_KILL -c CAP_KILL \
		--docker-caps --docker-caps -f pfc -o "$tmp/dcaps4.pfc" "$DOCKER" 2>"$tmp/stderr" &&
		cmp -s "$tmp/dcaps1.pfc" "$tmp/dcaps4.pfc"; then
		ok
	else
		fail "repeated --docker-caps: $(cat "$tmp/stderr")"
	fi
	"$COMPILE" -q --arch x86_64 -f pfc -o "$tmp/dcaps0.pfc" "$DOCKER" || fail "docker pfc"
	if cmp -s "$tmp/dcaps0.pfc" "$tmp/dcaps1.pfc"; then fail "--docker-caps changes nothing"; else ok; fi
	# big-endian, and s390 passes clone's flags second (an "arches" include)
	"$COMPILE" -q --arch s390x -o "$tmp/d390.bpf" "$DOCKER" || fail "docker s390x"
	verdicts "$tmp/d390.bpf" s390x "read => ALLOW" "clone 0 0 => ALLOW" \
		"clone 0 0x20000 => ERRNO(1)" "clone 0x20000 0 => ALLOW" "s390_runtime_instr => ALLOW"
	verdicts "$tmp/d390.bpf" s390 "clone 0 0x20000 => ERRNO(1)" "read => ALLOW"
	# every little-endian architecture Docker lists, "arches" matched per architecture
	if "$COMPILE" -q --arch x86_64 --all-arches -o "$tmp/dall.bpf" "$DOCKER" 2>"$tmp/stderr"; then
		verdicts "$tmp/dall.bpf" riscv64 "riscv_flush_icache => ALLOW" "keyctl => ERRNO(1)"
		verdicts "$tmp/dall.bpf" arm "arm_fadvise64_64 => ALLOW" "read => ALLOW"
		verdicts "$tmp/dall.bpf" x86_64 "arch_prctl => ALLOW" "read => ALLOW"
		verdicts "$tmp/dall.bpf" aarch64 "read => ALLOW" "clone 0x20000 => ERRNO(1)"
	else
		fail "docker --all-arches: $(cat "$tmp/stderr")"
	fi
else
	skip_part "Docker's profile: $DOCKER not found"
fi

echo "== a filter built by hand through the C API gives the same verdicts"
if [ -x "$HANDBUILT" ]; then
	"$HANDBUILT" "$tmp/hand.bpf" || fail "profile_handbuilt"
	n=0
	# compare SYSCALL "A0 A1 A2 A3"...: both filters on the native architecture
	compare() {
		sys=$1
		shift
		for args in "$@"; do
			# shellcheck disable=SC2086
			set -- $args
			s="-s $sys -0 $1 -1 $2 -2 $3 -3 $4"
			# shellcheck disable=SC2086
			h=$("$SIM" -f "$tmp/hand.bpf" $s 2>&1)
			# shellcheck disable=SC2086
			p=$("$SIM" -f "$tmp/small.bpf" $s 2>&1)
			n=$((n + 1))
			if [ "$h" = "$p" ]; then ok; else fail "$s: by hand '$h', scmp_compile '$p'"; fi
		done
	}
	for sys in read write close exit_group kill getppid dup3 getpid uname; do
		compare $sys "0 0 0 0"
	done
	compare openat "0 0 0 0" "0 0 1 0" "0 0 2 0" "0 0 3 0" "0 0 0x8000 0" "0 0 0x8001 0" \
		"0 0 0x100000000 0"
	compare personality "0 0 0 0" "1 0 0 0" "8 0 0 0" "9 0 0 0" "0x100000000 0 0 0" \
		"0x100000008 0 0 0"
	compare fcntl "3 0 0 0" "3 1 0 0" "3 2 0 0" "3 3 0 0" "3 4 0 0" "3 5 0 0" \
		"3 0x100000002 0 0"
	for a0 in 0 15 16 17 18 0x100000010; do
		compare socket "$a0 0 0 0" "$a0 1 0 0" "$a0 2 0 0"
	done
	for a2 in 0 1 4 5; do
		compare mmap "0 0 $a2 0" "0 0 $a2 0x20" "0 0 $a2 0x22" "0 0 $a2 2"
	done
	echo "   $n syscalls compared"
else
	skip_part "comparison with a filter built by hand: $HANDBUILT is not built"
fi

finish
