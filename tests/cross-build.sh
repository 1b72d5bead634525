#!/bin/sh
# cross-build.sh - the library and the tools build on every architecture Debian ships
# libseccomp on, with warnings as errors (issue 18).
#
# A host-only assumption - a name GNU C predefines on one CPU (mips, unix, i386), an
# endianness or word-size slip - must fail here, not on a distribution's build farm. Each
# target is configured with --host (Debian's cross compilers) in its own build directory
# from a `make distdir` copy of the sources, built with CFLAGS="-O2 -Werror", and the result
# checked: libseccomp.so.2 and libseccomp.a for the target's machine and ELF class (readelf),
# the tools. Negative control: on the MIPS targets a file with a variable named mips must fail.
#
#   target     Debian arch  compiler
#   aarch64    arm64        aarch64-linux-gnu-gcc
#   armhf      armhf        arm-linux-gnueabihf-gcc
#   i386       i386         i686-linux-gnu-gcc
#   mips64el   mips64el     mips64el-linux-gnuabi64-gcc
#   mipsel     mipsel       mipsel-linux-gnu-gcc
#   ppc64el    ppc64el      powerpc64le-linux-gnu-gcc
#   s390x      s390x        s390x-linux-gnu-gcc
#   riscv64    riscv64      riscv64-linux-gnu-gcc
#   x32        x32          x86_64-linux-gnux32-gcc
#
# scmp_compile needs json-c; the cross json-c (libjson-c-dev:ARCH) would need dpkg's multiarch
# set up for every architecture, so the cross builds leave scmp_compile out (configure finds
# no json-c for the target and says so); every other tool is built. The Check unit tests are
# not cross-built (make all only).
#
# usage: cross-build.sh [target ...]      (default: all nine)
# environment:
#   CROSS_JOBS     targets built at once (default 2)
#   CROSS_INSTALL  "no": never apt-get install missing compilers (default: install when root)
#   top_srcdir, top_builddir   a configured tree to take `make distdir` from (default: ../)
# Exit status: 0 when every target built, 1 when one failed, 77 when no target could be tried
# (no cross compiler, none installable: the reason is printed).
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
all_targets="aarch64 armhf i386 mips64el mipsel ppc64el s390x riscv64 x32"
targets=${*:-$all_targets}
jobs=${CROSS_JOBS:-2}
MAKE=${MAKE:-make}
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES || true

say() { printf 'cross-build: %s\n' "$*"; }
now() { date +%s; }

# target -> GNU triplet, Debian packages, the ELF machine readelf names
target_vars() {
	case $1 in
	aarch64) triplet=aarch64-linux-gnu debarch=arm64 machine=AArch64 class=ELF64 ;;
	armhf) triplet=arm-linux-gnueabihf debarch=armhf machine=ARM class=ELF32 ;;
	i386) triplet=i686-linux-gnu debarch=i386 machine='Intel 80386' class=ELF32 ;;
	mips64el) triplet=mips64el-linux-gnuabi64 debarch=mips64el machine=MIPS class=ELF64 ;;
	mipsel) triplet=mipsel-linux-gnu debarch=mipsel machine=MIPS class=ELF32 ;;
	ppc64el) triplet=powerpc64le-linux-gnu debarch=ppc64el machine=PowerPC64 class=ELF64 ;;
	s390x) triplet=s390x-linux-gnu debarch=s390x machine='IBM S/390' class=ELF64 ;;
	riscv64) triplet=riscv64-linux-gnu debarch=riscv64 machine=RISC-V class=ELF64 ;;
	# x32: x86-64 instructions in 32-bit ELF objects
	x32) triplet=x86_64-linux-gnux32 debarch=x32 machine=X86-64 class=ELF32 ;;
	*) return 1 ;;
	esac
	# Debian names the compiler package after the triplet, with _ as -
	pkgs="gcc-$(echo "$triplet" | tr _ -) libc6-dev-$debarch-cross"
}

for t in $targets; do
	target_vars "$t" || { say "unknown target '$t' (known: $all_targets)"; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/sysgate-cross.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
start=$(now)

# --- compilers: install the missing ones when we may ---
missing=
for t in $targets; do
	target_vars "$t"
	command -v "$triplet-gcc" >/dev/null 2>&1 || missing="$missing $pkgs"
done
if [ -n "$missing" ]; then
	if [ "${CROSS_INSTALL:-yes}" != no ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		say "installing:$missing"
		t0=$(now)
		# shellcheck disable=SC2086 # one word per package
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			$missing >"$work/apt.log" 2>&1 ||
			{ apt-get update -q >>"$work/apt.log" 2>&1 &&
				DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
					--no-install-recommends $missing >>"$work/apt.log" 2>&1; } ||
			say "apt-get install failed (tail of the log below); the targets without a compiler are skipped"
		tail -n 3 "$work/apt.log"
		say "package install: $(($(now) - t0)) s"
	else
		say "missing packages:$missing (not installing: need root and apt-get, and CROSS_INSTALL!=no)"
	fi
fi
runnable=
for t in $targets; do
	target_vars "$t"
	if command -v "$triplet-gcc" >/dev/null 2>&1; then
		runnable="$runnable $t"
	else
		say "$t: SKIP, no $triplet-gcc"
	fi
done
if [ -z "$runnable" ]; then
	say "SKIP: no cross compiler available"
	exit 77
fi

# --- the sources as distributed ---
if ! $MAKE -s --no-print-directory -C "$top_builddir" distdir distdir="$work/src" \
	>"$work/distdir.log" 2>&1; then
	tail -n 20 "$work/distdir.log"
	say "FAIL: make distdir"
	exit 1
fi

# build_target T: configure, build, check the result; the verdict in $work/T.result
# (called through parallel(), which shellcheck cannot follow)
# shellcheck disable=SC2317
build_target() {
	t=$1
	target_vars "$t"
	b=$work/build-$t
	log=$work/$t.log
	mkdir -p "$b"
	t0=$(now)
	verdict=ok
	if ! (cd "$b" && "$work/src/configure" -q --host="$triplet" CFLAGS="-O2 -g0" \
		PKG_CONFIG_LIBDIR="/usr/lib/$triplet/pkgconfig") >"$log" 2>&1; then
		verdict="configure failed"
	elif ! $MAKE -C "$b" CFLAGS="-O2 -g0 -Werror" >>"$log" 2>&1; then
		verdict="build failed"
	else
		for f in .libs/libseccomp.so.2 libseccomp.a; do
			readelf -h "$b/$f" >"$b/elf-header" 2>&1 || true
			if ! grep -q "Machine:.*$machine" "$b/elf-header" ||
				! grep -q "Class: *$class" "$b/elf-header"; then
				verdict="$f is not a $class $machine object"
			fi
		done
		for tool in scmp_sys_resolver scmp_bpf_disasm scmp_bpf_sim; do
			[ -f "$b/tools/.libs/$tool" ] || [ -f "$b/tools/$tool" ] || verdict="no $tool"
		done
	fi
	tools=$(cd "$b/tools" 2>/dev/null && for x in scmp_*; do case $x in *.*) ;; *) printf '%s ' "$x" ;; esac; done)
	echo "$verdict|$(($(now) - t0))|$tools" >"$work/$t.result"
}

t0=$(now)
# shellcheck source=tests/parallel.sh
. "$here/parallel.sh"
# shellcheck disable=SC2086 # one target a word
parallel build_target $runnable
fails=0
# negative control: the compilers do catch a host-only name (GNU C on MIPS predefines "mips",
# the slip the builds above would show as an error)
echo 'int mips = 1; int main(void) { return mips - 1; }' >"$work/mips-name.c"
for t in $runnable; do
	case $t in mips*) ;; *) continue ;; esac
	target_vars "$t"
	if "$triplet-gcc" -Werror -c -o "$work/mips-name.o" "$work/mips-name.c" 2>/dev/null; then
		say "FAIL $t: negative control: a variable named mips compiled"
		fails=$((fails + 1))
	fi
done
for t in $runnable; do
	IFS='|' read -r verdict secs tools <"$work/$t.result"
	if [ "$verdict" = ok ]; then
		say "PASS $t ($secs s): libseccomp.so.2, libseccomp.a, ${tools:-no tools}"
	else
		say "FAIL $t ($secs s): $verdict; the end of its log:"
		grep -E 'error|Error' "$work/$t.log" | head -n 15
		tail -n 5 "$work/$t.log"
		fails=$((fails + 1))
	fi
done
say "builds: $(($(now) - t0)) s, total $(($(now) - start)) s, $fails of $(echo "$runnable" | wc -w) failed"
[ "$fails" -eq 0 ]
