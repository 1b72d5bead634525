#!/bin/sh
# install.sh - what a distribution gets from `make install DESTDIR=...`:
#   - the layout: libseccomp.so.2* (SONAME libseccomp.so.2) in $libdir, seccomp.h,
#     seccomp-syscalls.h and seccomp-kvers.h in $includedir, libseccomp.pc in
#     $libdir/pkgconfig, the tools in $bindir, every man page in $mandir/man{1,3,7}, and
#     nothing outside $prefix;
#   - a program built against the installed tree with `pkg-config --cflags --libs libseccomp`
#     (-std=c99 -pedantic -Werror) that uses SCMP_SYS(), SCMP_A0(), SCMP_A1_32() and every
#     action macro, run with LD_LIBRARY_PATH on the installed library: it must report sysgate;
#   - the header as static initialisers (C99 with GNU compound literals, as libseccomp's) and
#     from C++11 (built and run).
# Runs `make install` in the build tree into a temporary DESTDIR; the tree is already built
# when `make check` starts the tests, so the sub-make only copies files.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu

: "${top_srcdir:?run from make check}" "${top_builddir:?run from make check}"
MAKE=${MAKE:-make}
# a plain sub-make: not a client of the parent's jobserver, whose descriptors we do not have
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES || true

T=$(mktemp -d "${TMPDIR:-/tmp}/sysgate-install.XXXXXX")
trap 'rm -rf "$T"' EXIT
DEST=$T/root
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

if ! command -v pkg-config >/dev/null 2>&1; then
	echo "SKIP: pkg-config is not installed"
	exit 77
fi

# the build's configured directories, compiler and lists (tests/dist.mk)
prefix='' bindir='' libdir='' includedir='' mandir='' pkgconfigdir='' CC=''
PACKAGE_VERSION='' VERSION_MAJOR='' VERSION_MINOR='' VERSION_MICRO=''
bin_programs='' man_pages='' have_jsonc='' CFLAGS='' LDFLAGS='' static_libs='' pyexecdir='' python_ext_suffix=''
$MAKE -s --no-print-directory -C "$top_builddir" sysgate-build-vars >"$T/vars"
# shellcheck source=/dev/null
. "$T/vars"
echo "prefix=$prefix libdir=$libdir includedir=$includedir bindir=$bindir mandir=$mandir"

if ! $MAKE --no-print-directory -C "$top_builddir" install DESTDIR="$DEST" >"$T/install.log" 2>&1; then
	cat "$T/install.log"
	echo "FAIL: make install DESTDIR=$DEST"
	exit 1
fi

# --- layout ---
lib=$DEST$libdir
real=libseccomp.so.$VERSION_MAJOR.$VERSION_MINOR.$VERSION_MICRO
if [ ! -f "$lib/$real" ] || [ -L "$lib/$real" ]; then
	fail "$libdir/$real is not a regular file"
fi
for link in libseccomp.so.2 libseccomp.so; do
	if [ -L "$lib/$link" ]; then
		[ "$(readlink -f "$lib/$link")" = "$(readlink -f "$lib/$real")" ] ||
			fail "$libdir/$link does not lead to $real"
	else
		fail "$libdir/$link is not a symbolic link"
	fi
done
if command -v readelf >/dev/null 2>&1; then
	soname=$(readelf -d "$lib/$real" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
	[ "$soname" = libseccomp.so.2 ] || fail "SONAME is '$soname', not libseccomp.so.2"
	if readelf -V "$lib/$real" | grep -q 'Version definition'; then
		fail "the library has symbol versions (libseccomp has none)"
	fi
fi

headers=
for h in "$DEST$includedir"/*; do headers="$headers${h##*/} "; done
[ "$headers" = "seccomp-kvers.h seccomp-syscalls.h seccomp.h " ] ||
	fail "installed headers are '$headers', not seccomp.h, seccomp-syscalls.h and seccomp-kvers.h"
grep -q "SYSGATE_VERSION \"$PACKAGE_VERSION\"" "$DEST$includedir/seccomp.h" ||
	fail "the installed seccomp.h is not sysgate $PACKAGE_VERSION's"

[ -f "$DEST$pkgconfigdir/libseccomp.pc" ] || fail "$pkgconfigdir/libseccomp.pc is missing"
case $pkgconfigdir in
"$libdir"/pkgconfig) ;;
*) fail "pkgconfigdir $pkgconfigdir is not \$libdir/pkgconfig" ;;
esac

ntools=0
for prog in $bin_programs; do
	name=${prog##*/}
	ntools=$((ntools + 1))
	[ -x "$DEST$bindir/$name" ] || fail "$bindir/$name is missing"
done
LD_LIBRARY_PATH=$lib "$DEST$bindir/scmp_sys_resolver" -a csky openat >"$T/resolver.out" 2>&1 ||
	fail "the installed scmp_sys_resolver does not run"
[ "$(cat "$T/resolver.out")" = 56 ] || fail "installed scmp_sys_resolver -a csky openat: $(cat "$T/resolver.out")"

# every page in doc/man is installed, and listed (a page no fragment lists is never installed)
npages=0
for page in "$top_srcdir"/doc/man/*.[1-8]; do
	name=${page##*/}
	case " $man_pages " in
	*"/$name "*) ;;
	*)
		# scmp_compile.1 goes with scmp_compile, which needs json-c
		if [ "$name" = scmp_compile.1 ] && [ -z "$have_jsonc" ]; then continue; fi
		fail "doc/man/$name is in no dist_man_MANS list (doc/man/*.mk, tools/*.mk)"
		continue
		;;
	esac
	section=${name##*.}
	[ -f "$DEST$mandir/man$section/$name" ] || fail "$mandir/man$section/$name is missing"
	npages=$((npages + 1))
done
for section in 1 3 7; do
	ls "$DEST$mandir/man$section"/*."$section" >/dev/null 2>&1 || fail "nothing in man$section"
done
echo "installed: $real, 2 headers, libseccomp.pc, $ntools tools, $npages man pages"

# nothing outside the prefix
outside=$(find "$DEST" ! -type d | while read -r f; do
	case $f in "$DEST$prefix"/*) ;; *) echo "$f" ;; esac
done)
[ -z "$outside" ] || fail "installed outside $prefix: $outside"

# --- the files of Debian's packages (tests/dist/debian-files.txt) ---
# every installed file as "AREA NAME"; then each line of the list that applies to this build
# must be installed, and nothing may be installed that the list does not name
real_version=$VERSION_MAJOR.$VERSION_MINOR.$VERSION_MICRO
# (without the Python module pyexecdir is empty: its pattern must then match nothing)
pydir=${pyexecdir:-/nonexistent/python}
find "$DEST" ! -type d | while read -r f; do
	case $f in
	"$DEST$pydir"/*) n=${f#"$DEST$pydir"/}
		[ "$n" = "seccomp$python_ext_suffix" ] && n=seccomp.so
		echo "python $n" ;;
	"$DEST$libdir"/*) echo "lib ${f#"$DEST$libdir"/}" ;;
	"$DEST$includedir"/*) echo "include ${f#"$DEST$includedir"/}" ;;
	"$DEST$bindir"/*) echo "bin ${f#"$DEST$bindir"/}" ;;
	"$DEST$mandir"/man*/*) n=${f#"$DEST$mandir"/}; echo "${n%%/*} ${n#*/}" ;;
	*) echo "other ${f#"$DEST"}" ;;
	esac
done | sort >"$T/installed.list"
while read -r tag area name; do
	case $tag in
	'' | '#'*) continue ;;
	static) case " $static_libs " in *" libseccomp.a "*) ;; *) continue ;; esac ;;
	python) [ -n "$python_ext_suffix" ] || continue ;;
	jsonc) [ -n "$have_jsonc" ] || continue ;;
	kvers) ls "$top_srcdir/include/$name"* >/dev/null 2>&1 || continue ;;
	esac
	echo "$area $name" | sed "s/@REAL@/$real_version/"
done <"$top_srcdir/tests/dist/debian-files.txt" | sort >"$T/expected.list"
missing=$(comm -13 "$T/installed.list" "$T/expected.list")
extra=$(comm -23 "$T/installed.list" "$T/expected.list")
[ -z "$missing" ] || fail "not installed (tests/dist/debian-files.txt): $missing"
[ -z "$extra" ] || fail "installed but in no package list (tests/dist/debian-files.txt): $extra"
echo "layout: $(wc -l <"$T/installed.list") files, as tests/dist/debian-files.txt lists them"
# the list against Debian's own packages, where they are installed: each file of theirs is in
# the list (2.5.4 lacks 2.6's additions; a file Debian has and the list lacks is a finding)
for pkg in libseccomp2 libseccomp-dev seccomp python3-seccomp; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || continue
	dpkg -L "$pkg" | while read -r f; do
		[ -d "$f" ] && continue
		case $f in
		/usr/share/doc/*) ;;
		*/libseccomp.so.2.*.*) echo "lib libseccomp.so.@REAL@" ;;
		/usr/lib/python3/dist-packages/seccomp*.so) echo "python seccomp.so" ;;
		/usr/lib/*/pkgconfig/*) echo "lib pkgconfig/${f##*/}" ;;
		/usr/lib/*) echo "lib ${f##*/}" ;;
		/usr/include/*) echo "include ${f##*/}" ;;
		/usr/bin/*) echo "bin ${f##*/}" ;;
		/usr/share/man/man*) n=${f#/usr/share/man/}; n=${n%.gz}; echo "${n%%/*} ${n#*/}" ;;
		*) echo "other $f" ;;
		esac
	done
done | sort -u >"$T/debian.list"
if [ -s "$T/debian.list" ]; then
	sed -n 's/^[a-z0-9.]* //p' "$top_srcdir/tests/dist/debian-files.txt" | sort >"$T/listed"
	unlisted=$(comm -23 "$T/debian.list" "$T/listed")
	[ -z "$unlisted" ] || fail "Debian's packages have files tests/dist/debian-files.txt lacks: $unlisted"
	echo "checked against the installed Debian packages: $(wc -l <"$T/debian.list") files"
fi

# --- the Python module ---
if [ -n "$python_ext_suffix" ]; then
	mod=$DEST$pyexecdir/seccomp$python_ext_suffix
	if [ -f "$mod" ]; then
		if ! PYTHONPATH=$DEST$pyexecdir LD_LIBRARY_PATH=$lib python3 -c '
import seccomp, sys
assert seccomp.__file__ == sys.argv[1], seccomp.__file__
assert seccomp.SYSGATE_VERSION == sys.argv[2]
f = seccomp.SyscallFilter(seccomp.ALLOW)
f.add_rule(seccomp.ERRNO(1), "read", seccomp.Arg(0, seccomp.EQ, 99))
assert len(f.export_bpf_mem()) > 0
' "$mod" "$PACKAGE_VERSION" >"$T/py.log" 2>&1; then
			cat "$T/py.log"
			fail "the installed Python module does not work"
		else
			echo "python module: $pyexecdir/seccomp$python_ext_suffix"
		fi
	else
		fail "the Python module $pyexecdir/seccomp$python_ext_suffix is missing"
	fi
fi

# --- a client built against the installed tree ---
PKG_CONFIG_SYSROOT_DIR=$DEST
PKG_CONFIG_LIBDIR=$DEST$pkgconfigdir
PKG_CONFIG_PATH=$DEST$pkgconfigdir
# keep -I/usr/include and -L/usr/lib in a distro layout: here they point into DESTDIR
PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1
PKG_CONFIG_ALLOW_SYSTEM_LIBS=1
export PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR PKG_CONFIG_PATH \
	PKG_CONFIG_ALLOW_SYSTEM_CFLAGS PKG_CONFIG_ALLOW_SYSTEM_LIBS
pc_version=$(pkg-config --modversion libseccomp)
[ "$pc_version" = "$VERSION_MAJOR.$VERSION_MINOR.$VERSION_MICRO" ] ||
	fail "pkg-config --modversion libseccomp: $pc_version"
cflags=$(pkg-config --cflags libseccomp)
libs=$(pkg-config --libs libseccomp)
echo "pkg-config: $cflags $libs"
case " $cflags " in *" -I$DEST$includedir "*) ;; *) fail "cflags do not point into DESTDIR: $cflags" ;; esac
case " $libs " in *" -L$DEST$libdir "*) ;; *) fail "libs do not point into DESTDIR: $libs" ;; esac

# --- the static library ---
case " $static_libs " in
*" libseccomp.a "*)
	# Libs.private: what a static link needs besides the archive
	static_libs_pc=$(pkg-config --static --libs libseccomp) || fail "pkg-config --static --libs libseccomp"
	case " $static_libs_pc " in *" -L$DEST$libdir "*) ;; *) fail "static libs do not point into DESTDIR: $static_libs_pc" ;; esac
	echo 'int main(void) { return 0; }' >"$T/empty.c"
	# the build's flags: a sanitizer build's archive needs its runtime (and cannot be -static)
	# shellcheck disable=SC2086 # word lists
	if $CC $CFLAGS $LDFLAGS -static -o "$T/empty" "$T/empty.c" 2>/dev/null; then
		# the README tutorial's tiny daemon, linked statically, runs under its own filter
		# shellcheck disable=SC2046,SC2086 # word splitting of the flags is intended
		if $CC $CFLAGS -static -o "$T/tiny-daemon-static" "$top_srcdir/doc/examples/tiny-daemon.c" \
			$(pkg-config --static --cflags --libs libseccomp) $LDFLAGS 2>"$T/cc.log"; then
			if readelf -d "$T/tiny-daemon-static" 2>/dev/null | grep -q NEEDED; then
				fail "tiny-daemon -static has dynamic dependencies"
			fi
			"$T/tiny-daemon-static" >"$T/tiny.out" 2>&1
			rc=$?
			case $rc in
			0) echo "tiny-daemon linked statically: $(tail -n 1 "$T/tiny.out")" ;;
			77) echo "(tiny-daemon linked statically; the kernel does not filter: not run)" ;;
			*) cat "$T/tiny.out"; fail "the statically linked tiny-daemon exited $rc" ;;
			esac
		else
			cat "$T/cc.log"
			fail "tiny-daemon.c does not link statically with pkg-config --static"
		fi
	else
		echo "(no static link possible with this C library and these flags: the static tiny-daemon is not built)"
	fi
	;;
esac


# shellcheck disable=SC2086 # word splitting of the flags is intended
if $CC -std=c99 -pedantic -Werror -Wall $cflags -o "$T/installed" \
	"$top_srcdir/tests/dist/installed.c" $libs 2>"$T/cc.log"; then
	if LD_LIBRARY_PATH=$lib "$T/installed" >"$T/run.out" 2>&1; then
		cat "$T/run.out"
		grep -q "^libseccomp API $VERSION_MAJOR\.$VERSION_MINOR\.$VERSION_MICRO," "$T/run.out" ||
			fail "the client did not report API $VERSION_MAJOR.$VERSION_MINOR.$VERSION_MICRO"
		grep -q "^sysgate $PACKAGE_VERSION: csky" "$T/run.out" ||
			fail "the client did not run with sysgate"
	else
		cat "$T/run.out"
		fail "the client built against the installed tree failed"
	fi
else
	cat "$T/cc.log"
	fail "$CC -std=c99 -pedantic -Werror: tests/dist/installed.c"
fi

# shellcheck disable=SC2086
$CC -std=c99 -Werror -Wall $cflags -c -o "$T/static-init.o" \
	"$top_srcdir/tests/dist/static-init.c" 2>"$T/cc.log" ||
	{ cat "$T/cc.log"; fail "$CC -std=c99 -Werror: the macros as static initialisers"; }

CXX=${CXX:-g++}
if command -v "$CXX" >/dev/null 2>&1; then
	# shellcheck disable=SC2086
	if $CXX -std=c++11 -Wall -Werror $cflags -o "$T/header-cpp" \
		"$top_srcdir/tests/dist/header.cpp" $libs 2>"$T/cxx.log"; then
		LD_LIBRARY_PATH=$lib "$T/header-cpp" || fail "the C++ client failed"
	else
		cat "$T/cxx.log"
		fail "$CXX -std=c++11 -Werror: tests/dist/header.cpp"
	fi
else
	echo "SKIP: no C++ compiler $CXX: the C++ part did not run"
	skipped_cxx=1
fi

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
[ -z "${skipped_cxx:-}" ] || exit 77
echo "PASS: the installed tree is complete and usable"
