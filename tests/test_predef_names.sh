#!/bin/sh
# test_predef_names.sh - sysgate builds where GNU C predefines `mips`, `unix`, `linux` or `i386`
# as macros (gnu11 on MIPS, x86, ...; MIPS also `MIPSEL`, `R4000` and `LANGUAGE_C`, as
# `mipsel-linux-gnu-gcc -dM -E` shows): no identifier in src/, tools/ or tests/ may use those
# names. Every C file is compiled (syntax only) with them defined as 1, as a MIPS compiler
# would, so that CI need not cross-build for every architecture (tests/cross-build.sh).
#
# SPDX-License-Identifier: LGPL-2.1-or-later
. "$(dirname "$0")/lib.sh"

cc=${CC:-cc}
command -v "$cc" >/dev/null 2>&1 || skip "no C compiler ($cc)"
# config.h and include/seccomp.h are generated in the build tree
[ -f "$top_builddir/config.h" ] || skip "no configured build tree at $top_builddir"
extra=$(pkg-config --cflags check json-c 2>/dev/null || true)
make_tmp
for f in "$top_srcdir"/src/*.c "$top_srcdir"/src/arch/*.c "$top_srcdir"/tools/*.c \
	"$top_srcdir"/tests/*.c "$top_srcdir"/tests/bench/*.c "$top_srcdir"/tests/fuzz/*.c \
	"$top_srcdir"/tests/crossarch/*.c; do
	[ -f "$f" ] || continue
	# TOP_SRCDIR: the few tests that locate data through it get it from the makefile
	# shellcheck disable=SC2086 # $extra is a list of flags
	if "$cc" -std=gnu11 -fsyntax-only -Dmips=1 -Dunix=1 -Dlinux=1 -Di386=1 -DMIPSEL=1 -DR4000=1 -DLANGUAGE_C=1 -DTOP_SRCDIR=\"\" \
		-I"$top_builddir" -I"$top_builddir/include" -I"$top_srcdir/include" \
		-I"$top_srcdir/src" -I"$top_srcdir/tools" $extra "$f" 2>"$tmp/err"; then
		ok
	else
		fail "${f#"$top_srcdir"/} does not compile with the predefined names of GNU C (mips, unix, ...):"
		head -5 "$tmp/err"
	fi
done
echo "$checks passed, $fails failed"
[ "$fails" -eq 0 ]
