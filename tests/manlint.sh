#!/bin/sh
# manlint.sh - every man page in doc/man renders without a groff warning (man --warnings=w,
# i.e. all of them) and, when mandoc is installed, passes `mandoc -T lint -W warning`.
# Pages that are only a `.so` link must point at a page that exists.
#
# Tolerated mandoc messages: ".so is fragile" (the link pages are .so links on purpose, as in
# libseccomp and most distributions) and "cannot parse date" (a bare year in .TH).
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u

: "${top_srcdir:?run from make check}"

if ! command -v man >/dev/null 2>&1; then
	echo "SKIP: man (man-db) is not installed: the man pages were not checked"
	exit 77
fi
if ! command -v mandoc >/dev/null 2>&1; then
	echo "note: mandoc is not installed, only groff's warnings are checked" \
		"(apt-get install mandoc)"
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/sysgate-manlint.XXXXXX")
trap 'rm -rf "$T"' EXIT

# a man tree, so that `.so manN/page.N` resolves to our pages and not to installed ones
for page in "$top_srcdir"/doc/man/*.[1-8]; do
	[ -f "$page" ] || continue
	section=${page##*.}
	mkdir -p "$T/man$section"
	cp "$page" "$T/man$section/"
done
cd "$T" || exit 1

failures=0
pages=0
links=0
for page in man*/*; do
	pages=$((pages + 1))
	first=$(sed -n '1p' "$page")
	case $first in
	".so "*)
		target=${first#.so }
		if [ "$(wc -l <"$page")" -ne 1 ]; then
			echo "FAIL: $page: a .so page must be that one line"
			failures=$((failures + 1))
		elif [ ! -f "$target" ]; then
			echo "FAIL: $page: .so target $target does not exist in doc/man"
			failures=$((failures + 1))
		fi
		links=$((links + 1))
		continue
		;;
	esac
	out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w -E UTF-8 -l "$page" 2>&1 >/dev/null)
	if [ -n "$out" ]; then
		echo "FAIL: $page: groff:"
		echo "$out"
		failures=$((failures + 1))
	fi
	if command -v mandoc >/dev/null 2>&1; then
		out=$(mandoc -T lint -W warning "$page" 2>&1 |
			grep -v -e 'WARNING: \.so is fragile' -e 'WARNING: cannot parse date')
		if [ -n "$out" ]; then
			echo "FAIL: $page: mandoc:"
			echo "$out"
			failures=$((failures + 1))
		fi
	fi
done

if [ "$pages" -eq 0 ]; then
	echo "FAIL: no man pages in $top_srcdir/doc/man"
	exit 1
fi
echo "$pages pages ($links .so links): $failures with problems"
[ "$failures" -eq 0 ]
