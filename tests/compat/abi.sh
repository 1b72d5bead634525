#!/bin/sh
# abi.sh - sysgate's libseccomp.so.2 must be a binary drop-in for libseccomp 2.6.
#
# Checks, in a few seconds:
#   1. exported dynamic symbols == libseccomp 2.6.1's 37 functions + seccomp_notify_addfd, all
#      functions, no data symbols; no symbol versioning (no VERDEF); SONAME libseccomp.so.2; real
#      file libseccomp.so.2.6.1; no NEEDED library beyond libc; none of the tools' and tests'
#      code (libsysgate_tools.la: the BPF interpreter, cache emulation, disassembler, symbolic
#      engine, reference evaluator, fault-injection stubs, ...) inside;
#   2. versus the system's libseccomp.so.2 (Debian 12: 2.5.4): no function removed; abidiff finds
#      no incompatible change; the additions are listed;
#   3. header: every SCMP_* / __SNR_* / __PNR_* macro, every enumerator, struct layout, function-
#      like macro result and prototype of the reference <seccomp.h> is unchanged in ours
#      (tests/compat/layout.c compiled against each header, dumps diffed);
#   4. abidiff of an ABI probe (tests/compat/probe.c, -g) built against each header;
#   5. a C++ program including our header links against our library (extern "C").
# Parts 2-4 need the reference (Debian's libseccomp2 / libseccomp-dev) and abidiff (Debian
# abigail-tools); a missing tool skips that part with a printed reason, and the script then
# exits 77 (SKIP), never 0.
#
# Environment: top_srcdir, top_builddir (set by make check); CC (default cc);
#   SYSGATE_COMPAT_LIB   library to check (default $top_builddir/.libs/libseccomp.so.2)
#   SYSGATE_REF_LIB      reference library (default: the system's libseccomp.so.2)
#   SYSGATE_REF_INCLUDE  directory holding the reference seccomp.h (default /usr/include)
#   SYSGATE_COMPAT_STRICT=1  a skipped part counts as a failure (use in CI)
#
# SPDX-License-Identifier: LGPL-2.1-or-later

set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
CC=${CC:-cc}
CXX=${CXX:-c++}
LIB=${SYSGATE_COMPAT_LIB:-$top_builddir/.libs/libseccomp.so.2}
REF_INCLUDE=${SYSGATE_REF_INCLUDE:-/usr/include}
STRICT=${SYSGATE_COMPAT_STRICT:-0}

# libseccomp 2.6.1's exported functions (37) + seccomp_notify_addfd (libseccomp main)
EXPECTED_SYMBOLS="
seccomp_api_get
seccomp_api_set
seccomp_arch_add
seccomp_arch_exist
seccomp_arch_native
seccomp_arch_remove
seccomp_arch_resolve_name
seccomp_attr_get
seccomp_attr_set
seccomp_export_bpf
seccomp_export_bpf_mem
seccomp_export_pfc
seccomp_init
seccomp_load
seccomp_merge
seccomp_notify_addfd
seccomp_notify_alloc
seccomp_notify_fd
seccomp_notify_free
seccomp_notify_id_valid
seccomp_notify_receive
seccomp_notify_respond
seccomp_precompute
seccomp_release
seccomp_reset
seccomp_rule_add
seccomp_rule_add_array
seccomp_rule_add_exact
seccomp_rule_add_exact_array
seccomp_syscall_priority
seccomp_syscall_resolve_name
seccomp_syscall_resolve_name_arch
seccomp_syscall_resolve_name_rewrite
seccomp_syscall_resolve_num_arch
seccomp_transaction_commit
seccomp_transaction_reject
seccomp_transaction_start
seccomp_version
"
# values that legitimately differ between the 2.5.4 reference header and a 2.6 header:
# the version macros, and the end-of-enum sentinel (2.6 added SCMP_FLTATR_CTL_WAITKILL = 10)
EXPECTED_VALUE_CHANGES="SCMP_VER_MINOR SCMP_VER_MICRO _SCMP_FLTATR_MAX"
# the reference header's internal helper macros ("DO NOT USE directly"); ours has its own
EXPECTED_MISSING_HELPERS="_SCMP_MACRO_DISPATCHER_IMPL1 _SCMP_MACRO_DISPATCHER_IMPL2 _SCMP_VA_NUM_ARGS _SCMP_VA_NUM_ARGS_IMPL"

npass=0
nfail=0
nskip=0
pass() { npass=$((npass + 1)); echo "PASS: $*"; }
fail() { nfail=$((nfail + 1)); echo "FAIL: $*"; }
skip() {
	nskip=$((nskip + 1))
	echo "SKIP: $*"
	if [ "$STRICT" = 1 ]; then fail "(strict) $*"; fi
}
have() { command -v "$1" >/dev/null 2>&1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/sysgate-abi.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT

if ! have readelf || ! have nm; then
	echo "SKIP: binutils (readelf, nm) not found"
	exit 77
fi
if [ ! -e "$LIB" ]; then
	echo "FAIL: $LIB does not exist (build the library first)"
	exit 1
fi

# ------------------------------------------------------------------------------------------
# 1. the library itself
# ------------------------------------------------------------------------------------------
echo "== library: $LIB"
printf '%s\n' $EXPECTED_SYMBOLS | sort >"$T/expected"
nm -D --defined-only "$LIB" >"$T/nm" 2>/dev/null
awk '{print $NF}' "$T/nm" | sort >"$T/exported"
if cmp -s "$T/expected" "$T/exported"; then
	pass "exports exactly the $(wc -l <"$T/expected") libseccomp 2.6.1 functions + seccomp_notify_addfd"
else
	fail "exported symbols differ from libseccomp 2.6.1 + seccomp_notify_addfd:"
	comm -23 "$T/expected" "$T/exported" | sed 's/^/    missing: /'
	comm -13 "$T/expected" "$T/exported" | sed 's/^/    extra:   /'
fi
# every export must be a function: nm type T (or W/i), never data (D B R G S V u ...)
nonfunc=$(awk '$2 !~ /^[TWi]$/ {print $2 " " $3}' "$T/nm")
if [ -z "$nonfunc" ]; then
	pass "no exported data symbols (all exports are functions)"
else
	fail "non-function exports: $(echo $nonfunc)"
fi
# the shipped library holds what the API needs and nothing only tools and tests use: the
# interpreter, the kernel cache emulation and the disassembler (src/bpf_run.c, bpf_format.c), the
# symbolic engine (bpf_sym.c), the reference evaluator and its one-at-a-time set questions
# (ir_eval.c), the syscall-table lookups only tools make (arch/arch_tools.c), and in an ordinary
# build the fault-injection entry points (fault_stub.c): all of it is in libsysgate_tools.la.
# Their symbols are local in the library, so look at the full symbol table (nm without -D);
# sg_bpf_to_target, which export needs, proves the table is there (a stripped library cannot be
# checked). Two checks: the names listed here (they must never come back), and every function
# the tools library of this build defines (so that new tools-only code is covered too).
TOOLS_ONLY="sg_bpf_run sg_bpf_run_trace sg_bpf_const_allow sg_bpf_insn_format sg_bpf_data_name
sg_bpf_insn_is_ret sg_sym_explore sg_sym_equiv sg_ir_eval sg_cond_match sg_ir_newest_named_kver
sg_rule_subset_w sg_rule_overlap_w sg_vset_subset sg_arch_translate sg_kver_parse
sg_syscall_name_at sg_syscall_pnr"
# with --enable-fault-injection the library's allocator is what sg_fault_arm arms: they belong
# there (that build is never shipped)
if ! grep -q '^#define SG_FAULT_INJECTION 1' "$top_builddir/config.h" 2>/dev/null; then
	TOOLS_ONLY="$TOOLS_ONLY sg_fault_arm sg_fault_fired"
fi
TOOLS_AR=$top_builddir/.libs/libsysgate_tools.a
if [ -e "$TOOLS_AR" ]; then
	TOOLS_ONLY="$TOOLS_ONLY $(nm -g --defined-only "$TOOLS_AR" 2>/dev/null | awk '$2 == "T" {print $3}')"
fi
nm "$LIB" 2>/dev/null | awk '{print $NF}' | sort -u >"$T/allsyms"
if ! grep -qx sg_bpf_to_target "$T/allsyms"; then
	fail "cannot check for tools-only code: $LIB has no symbol table (stripped?)"
else
	printf '%s\n' $TOOLS_ONLY | sort -u >"$T/toolsonly"
	inside=$(comm -12 "$T/toolsonly" "$T/allsyms" | tr '\n' ' ')
	if [ -z "$inside" ]; then
		pass "no tools-only code inside (none of the $(wc -l <"$T/toolsonly") functions of libsysgate_tools.la and the list)"
	else
		fail "tools-only code linked into the library: $inside"
	fi
fi
undef=$(nm -D --undefined-only "$LIB" 2>/dev/null | awk '$NF ~ /^sg_/ {print $NF}' | tr '\n' ' ')
if [ -z "$undef" ]; then
	pass "no undefined internal (sg_*) symbols"
else
	fail "the library calls internal code it does not contain: $undef"
fi
if readelf -V "$LIB" 2>/dev/null | grep -q "Version definition"; then
	fail "library defines symbol versions (VERDEF); libseccomp has none"
else
	pass "no symbol versioning (no VERDEF)"
fi
soname=$(readelf -d "$LIB" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
if [ "$soname" = libseccomp.so.2 ]; then
	pass "SONAME is libseccomp.so.2"
else
	fail "SONAME is '$soname', expected libseccomp.so.2"
fi
real=$(basename "$(readlink -f "$LIB")")
if [ -z "${SYSGATE_COMPAT_LIB:-}" ]; then
	if [ "$real" = libseccomp.so.2.6.1 ]; then
		pass "real file is libseccomp.so.2.6.1"
	else
		fail "real file is $real, expected libseccomp.so.2.6.1"
	fi
fi
needed=$(readelf -d "$LIB" | sed -n 's/.*(NEEDED).*\[\(.*\)\].*/\1/p' | tr '\n' ' ')
# a sanitizer build (tests/sanitize.sh) links the sanitizer runtimes: not part of the product
case "$needed" in
*libasan.so* | *libubsan.so*)
	echo "    instrumented build: ignoring the sanitizer runtimes in NEEDED ($needed)"
	# shellcheck disable=SC2086
	needed=$(printf '%s\n' $needed | grep -v -e '^libasan\.so' -e '^libubsan\.so' | tr '\n' ' ')
	;;
esac
case "$needed" in
"libc.so.6 " | "") pass "depends on nothing but libc (NEEDED: ${needed:-none})" ;;
*) fail "NEEDED libraries beyond libc: $needed (libseccomp needs only libc.so.6)" ;;
esac
if readelf -d "$LIB" | grep -q TEXTREL; then
	fail "library has text relocations"
else
	pass "no text relocations"
fi

# ------------------------------------------------------------------------------------------
# 2. versus the reference library
# ------------------------------------------------------------------------------------------
REF_LIB=${SYSGATE_REF_LIB:-}
if [ -z "$REF_LIB" ]; then
	REF_LIB=$( (/sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null) |
		awk '$1 == "libseccomp.so.2" && /x86-64|x86_64|64bit/ {print $NF; exit}')
	[ -n "$REF_LIB" ] || REF_LIB=$( (/sbin/ldconfig -p 2>/dev/null) | awk '$1 == "libseccomp.so.2" {print $NF; exit}')
fi
echo "== reference library: ${REF_LIB:-none}"
if [ -z "$REF_LIB" ] || [ ! -e "$REF_LIB" ]; then
	skip "no reference libseccomp.so.2 installed (Debian package libseccomp2)"
else
	case "$(readlink -f "$REF_LIB")" in
	"$(readlink -f "$LIB")") fail "the reference library is the library under test (installed system-wide?)" ;;
	esac
	nm -D --defined-only "$REF_LIB" | awk '{print $NF}' | sort >"$T/ref-exported"
	missing=$(comm -23 "$T/ref-exported" "$T/exported" | tr '\n' ' ')
	if [ -z "$missing" ]; then
		pass "every function of $(basename "$(readlink -f "$REF_LIB")") ($(wc -l <"$T/ref-exported")) is exported"
	else
		fail "functions of the reference library missing: $missing"
	fi
	echo "    additions over the reference: $(comm -13 "$T/ref-exported" "$T/exported" | tr '\n' ' ')"
	if have abidiff; then
		abidiff "$REF_LIB" "$LIB" >"$T/abidiff-lib" 2>&1
		rc=$?
		sed 's/^/    | /' "$T/abidiff-lib"
		# abidiff exit status: bit 0 error, bit 1 usage error, bit 2 change, bit 3 incompatible
		if [ $((rc & 11)) -ne 0 ]; then
			fail "abidiff reference library vs ours: exit $rc (error or incompatible change)"
		elif grep -q '[1-9][0-9]* Removed' "$T/abidiff-lib"; then
			fail "abidiff reports removed functions or variables"
		else
			pass "abidiff reference library vs ours: no incompatible change (exit $rc)"
		fi
	else
		skip "abidiff not installed (Debian package abigail-tools): library abidiff not run"
	fi
fi

# ------------------------------------------------------------------------------------------
# 3. header: constants, enumerators, layouts, macros, prototypes
# ------------------------------------------------------------------------------------------
# gen_names DIR: names.h with P(NAME) for every object-like integer macro and enumerator that
# <seccomp.h> found first in DIR (plus -I flags in $2) defines
gen_names() { # out-dir cppflags...
	out=$1
	shift
	echo '#include <seccomp.h>' >"$out/inc.c"
	"$CC" "$@" -dM -E "$out/inc.c" >"$out/macros" || return 1
	"$CC" "$@" -E -P "$out/inc.c" >"$out/pp" || return 1
	# function-like macros of the header family, and object-like ones that merely alias them
	sed -n 's/^#define \([A-Za-z_][A-Za-z0-9_]*\)(.*/\1/p' "$out/macros" | sort -u >"$out/funclike"
	sed -n 's/^#define \(SCMP_[A-Za-z0-9_]*\|_SCMP_[A-Za-z0-9_]*\|__SNR_[A-Za-z0-9_]*\|__PNR_[A-Za-z0-9_]*\|__NR_SCMP_[A-Za-z0-9_]*\) \(.*\)$/\1 \2/p' \
		"$out/macros" | sort >"$out/objlike"
	# GUARD=1 (reference header only): a macro that is just another macro's name is dumped only
	# if that macro exists (Debian's 2.5.4 header defines e.g. __SNR_cachestat as __NR_cachestat
	# unconditionally, which does not compile against bookworm's kernel headers)
	awk -v guard="${GUARD:-0}" 'NR == FNR { fl[$1] = 1; next }
	     { body = $0; sub(/^[^ ]* /, "", body) }
	     body ~ /^"/ || (body in fl) { next }
	     guard == 1 && body ~ /^[A-Za-z_][A-Za-z0-9_]*$/ {
		print "#ifdef " body; print "P(" $1 ");"; print "#endif"; next }
	     { print "P(" $1 ");" }' "$out/funclike" "$out/objlike" >"$out/names.h" || return 1
	# enumerators of enum scmp_filter_attr / enum scmp_compare
	tr '\n' ' ' <"$out/pp" |
		grep -o 'enum scmp_[a-z_]* *{[^}]*}' |
		sed 's/^enum [a-z_]* *{//; s/}$//' | tr ',' '\n' |
		sed 's/=.*//; s/[[:space:]]//g' | grep -v '^$' |
		sed 's/.*/P(&);/' >>"$out/names.h"
}

dump_header() { # label cppflags...
	d="$T/$1"
	shift
	mkdir -p "$d"
	gen_names "$d" "$@" || return 1
	"$CC" -std=gnu11 -Wall -Wno-unused -I"$d" "$@" -o "$d/layout" "$top_srcdir/tests/compat/layout.c" \
		>"$d/cc.log" 2>&1 || {
		sed 's/^/    | /' "$d/cc.log" | head -40
		return 1
	}
	"$d/layout" | sort >"$d/dump"
}

OUR_CPPFLAGS="-I$top_builddir/include -I$top_srcdir/include"
echo "== header: ours ($top_builddir/include/seccomp.h)"
if ! dump_header ours $OUR_CPPFLAGS; then
	fail "layout.c does not compile against our header"
elif [ ! -s "$T/ours/dump" ]; then
	fail "layout dump against our header is empty"
else
	pass "layout.c compiles against our header ($(wc -l <"$T/ours/dump") values dumped)"
	if grep -q ' DIFFERENT$' "$T/ours/dump"; then
		fail "prototypes differ from libseccomp 2.6: $(grep ' DIFFERENT$' "$T/ours/dump" | tr '\n' ' ')"
	else
		pass "all $(grep -c '^prototype(' "$T/ours/dump") public function prototypes match libseccomp 2.6"
	fi
fi

echo "== header: reference ($REF_INCLUDE/seccomp.h)"
if [ ! -e "$REF_INCLUDE/seccomp.h" ]; then
	skip "reference header $REF_INCLUDE/seccomp.h not installed (Debian package libseccomp-dev)"
elif [ ! -s "$T/ours/dump" ]; then
	fail "cannot compare headers: our dump failed"
else
	# the reference header alone on the include path (no -I of ours)
	ref_flags=""
	[ "$REF_INCLUDE" = /usr/include ] || ref_flags="-I$REF_INCLUDE"
	if ! GUARD=1 dump_header ref $ref_flags; then
		fail "layout.c does not compile against the reference header"
	else
		v() { sed -n "s/^$2 //p" "$T/$1/dump"; }
		echo "    reference header: libseccomp $(v ref SCMP_VER_MAJOR).$(v ref SCMP_VER_MINOR).$(v ref SCMP_VER_MICRO); ours: $(v ours SCMP_VER_MAJOR).$(v ours SCMP_VER_MINOR).$(v ours SCMP_VER_MICRO)"
		# compare by name: every reference line must be present, with the same value, in ours
		: >"$T/changed"
		: >"$T/missing"
		awk -v expch=" $EXPECTED_VALUE_CHANGES " -v helpers=" $EXPECTED_MISSING_HELPERS " \
		    -v changed="$T/changed" -v missing="$T/missing" -v ok="$T/expected-changes" '
			function key(l) { sub(/ [^ ]*$/, "", l); return l }
			NR == FNR { ours[key($0)] = $0; next }
			{
				k = key($0)
				if (!(k in ours)) { print $0 >> missing; next }
				if (ours[k] != $0) {
					if (index(expch, " " k " ")) print $0 " -> " ours[k] >> ok
					else print $0 " -> " ours[k] >> changed
				}
			}' "$T/ours/dump" "$T/ref/dump" || fail "comparing the dumps failed (awk)"
		nref=$(wc -l <"$T/ref/dump")
		if [ -s "$T/missing" ]; then
			fail "$(wc -l <"$T/missing") reference values missing from our header:"
			head -30 "$T/missing" | sed 's/^/    missing: /'
		else
			pass "all $nref reference values present in our header"
		fi
		if [ -s "$T/changed" ]; then
			fail "$(wc -l <"$T/changed") reference values changed in our header (reference -> ours):"
			head -30 "$T/changed" | sed 's/^/    changed: /'
		else
			pass "no reference value changed (constants, enumerators, layouts, macro results, prototypes)"
		fi
		[ -s "$T/expected-changes" ] && sed 's/^/    expected change: /' "$T/expected-changes"
		# reference helper macros we do not define (internal, documented "DO NOT USE")
		for h in $EXPECTED_MISSING_HELPERS; do
			if grep -q "^#define ${h}[ (]" "$T/ref/macros" && ! grep -q "^#define ${h}[ (]" "$T/ours/macros"; then
				echo "    known difference: internal helper macro $h not defined"
			fi
		done
		# public macros of the reference (function-like included) must all exist in ours
		pubref=$(sed -n 's/^#define \(SCMP_[A-Za-z0-9_]*\).*/\1/p' "$T/ref/macros" | sort -u)
		pubmiss=""
		for m in $pubref; do
			grep -q "^#define ${m}[ (]" "$T/ours/macros" || pubmiss="$pubmiss $m"
		done
		if [ -z "$pubmiss" ]; then
			pass "every public SCMP_* macro of the reference header is defined"
		else
			fail "public macros missing:$pubmiss"
		fi
		pubadd=$(sed -n 's/^#define \(SCMP_[A-Za-z0-9_]*\)(.*/\1()/p' "$T/ours/macros" | sort -u |
			while read -r m; do
				grep -q "^#define ${m%()}[ (]" "$T/ref/macros" || printf ' %s' "$m"
			done)
		[ -n "$pubadd" ] && echo "    function-like macros added:$pubadd"
		awk 'function key(l) { sub(/ [^ ]*$/, "", l); return l }
		     NR == FNR { ref[key($0)] = 1; next } !(key($0) in ref) { print key($0) }' "$T/ref/dump" "$T/ours/dump" >"$T/added"
		nsys=$(grep -c '^__[SP]NR_' "$T/added")
		echo "    additions in our header: $nsys __SNR_/__PNR_ syscall names, and:"
		grep -v '^__[SP]NR_' "$T/added" | tr '\n' ' ' | fold -s -w 96 | sed 's/^/      /'
		echo
	fi
fi

# ------------------------------------------------------------------------------------------
# 4. abidiff of the header probe
# ------------------------------------------------------------------------------------------
echo "== abidiff: ABI probe built against each header"
if ! have abidiff; then
	skip "abidiff not installed (Debian package abigail-tools): header abidiff not run"
elif [ ! -e "$REF_INCLUDE/seccomp.h" ]; then
	skip "reference header not installed: header abidiff not run"
else
	ref_flags=""
	[ "$REF_INCLUDE" = /usr/include ] || ref_flags="-I$REF_INCLUDE"
	if ! "$CC" -g -O0 -shared -fPIC $ref_flags -o "$T/probe-ref.so" "$top_srcdir/tests/compat/probe.c" ||
		! "$CC" -g -O0 -shared -fPIC $OUR_CPPFLAGS -o "$T/probe-ours.so" "$top_srcdir/tests/compat/probe.c"; then
		fail "probe.c does not compile"
	else
		# the only expected change: the end-of-enum sentinel moved when 2.6 added WAITKILL
		printf '%s\n' '[suppress_type]' '  type_kind = enum' '  name = scmp_filter_attr' \
			'  changed_enumerators = _SCMP_FLTATR_MAX' >"$T/abi.supp"
		abidiff --suppressions "$T/abi.supp" "$T/probe-ref.so" "$T/probe-ours.so" >"$T/abidiff-probe" 2>&1
		rc=$?
		sed 's/^/    | /' "$T/abidiff-probe"
		if [ $((rc & 11)) -ne 0 ]; then
			fail "abidiff of the header probe: exit $rc (error or incompatible change)"
		elif [ "$(grep -c ' 0 Removed, 0 Changed' "$T/abidiff-probe")" -ne 2 ]; then
			fail "abidiff of the header probe reports removed or changed declarations"
		else
			pass "abidiff of the header probe: nothing removed or changed, additions only (exit $rc)"
		fi
		# negative control: a tampered copy of our header must be caught
		mkdir -p "$T/bad"
		cp "$top_builddir/include/seccomp.h" "$top_srcdir/include/seccomp-syscalls.h" \
			"$top_srcdir/include/seccomp-kvers.h" "$T/bad/"
		sed -i 's/SCMP_FLTATR_CTL_NNP = 3,/SCMP_FLTATR_CTL_NNP = 33,/' "$T/bad/seccomp.h"
		"$CC" -g -O0 -shared -fPIC -I"$T/bad" -o "$T/probe-bad.so" "$top_srcdir/tests/compat/probe.c" &&
			abidiff --suppressions "$T/abi.supp" "$T/probe-ref.so" "$T/probe-bad.so" >"$T/abidiff-bad" 2>&1
		if [ -s "$T/abidiff-bad" ] && [ "$(grep -c ' 0 Removed, 0 Changed' "$T/abidiff-bad")" -ne 2 ]; then
			pass "negative control: abidiff catches a renumbered enumerator (SCMP_FLTATR_CTL_NNP 3 -> 33)"
		else
			fail "negative control: abidiff missed a renumbered enumerator"
		fi
	fi
fi

# ------------------------------------------------------------------------------------------
# 5. C++ clients
# ------------------------------------------------------------------------------------------
echo "== C++"
if ! have "$CXX"; then
	skip "no C++ compiler ($CXX)"
else
	cat >"$T/cxx.cc" <<'EOF'
#include <seccomp.h>
#include <cstdio>
int main()
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return 1;
	int rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(acct), 0);
	const struct scmp_version *v = seccomp_version();
	std::printf("%u.%u.%u %d\n", v->major, v->minor, v->micro, rc);
	seccomp_release(ctx);
	return rc != 0;
}
EOF
	if "$CXX" $OUR_CPPFLAGS -o "$T/cxx" "$T/cxx.cc" -L"$(dirname "$LIB")" -l:"$(basename "$LIB")" >"$T/cxx.log" 2>&1 &&
		out=$(LD_LIBRARY_PATH="$(dirname "$LIB")" "$T/cxx") && [ "$out" = "2.6.1 0" ]; then
		pass "a C++ program compiles with our header, links and runs (seccomp_version $out)"
	else
		fail "C++ program: $(cat "$T/cxx.log") output '${out:-}'"
	fi
fi

echo
echo "abi: $npass passed, $nfail failed, $nskip skipped"
[ "$nfail" -eq 0 ] || exit 1
# a part that did not run is not a pass (SYSGATE_COMPAT_STRICT=1 makes it a failure instead)
[ "$nskip" -eq 0 ] || exit 77
exit 0
