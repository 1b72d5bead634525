#!/bin/sh
# tests/crossarch/run.sh - sysgate's live tests in real kernels of other architectures.
#
# For each target this cross-compiles tests/crossarch/live*.c together with the library's
# sources, statically, for every ABI the target's kernel runs; packs the binaries into an
# initramfs (the native one as /init, the compat ones in /crossarch/); boots a Debian kernel
# in qemu-system (software emulation is fine: no KVM needed); and reads the verdict lines
# from the console. See doc/cross-arch-testing.md.
#
#   target   kernel (Debian)          qemu                 ABIs tested
#   aarch64  linux-image-cloud-arm64  qemu-system-aarch64  aarch64, arm (AArch32 compat)
#   s390x    linux-image-s390x        qemu-system-s390x    s390x, s390 (31-bit compat)
#   ppc64le  linux-image-powerpc64le  qemu-system-ppc64    ppc64le
#   x86      linux-image-amd64        qemu-system-x86_64   x86_64, x86 (i386), x32
#   mips64el linux-image-5kc-malta    qemu-system-mips64el mipsel64 (n64), mipsel (o32),
#                                                          mipsel64n32 (n32)
#
# usage: run.sh [target ...]          (default: every target)
# environment:
#   SYSGATE_KERNEL_CACHE  where kernels are kept (default: $XDG_CACHE_HOME/sysgate-kernels,
#                         or ~/.cache/sysgate-kernels)
#   CROSSARCH_TIMEOUT     seconds one VM may take (default 300)
#   CROSSARCH_JOBS        VMs (and compilers) run at once (default: the number of CPUs)
#   CROSSARCH_INSTALL     "no": never apt-get install missing tools (default: install when root)
#   CROSSARCH_REFRESH     "1": download the kernels again
#   CROSSARCH_KEEP        "1": keep the work directory (it is kept anyway when a check fails)
#   CROSSARCH_CFLAGS      compiler flags for the test binaries (default -O1)
#   SYSGATE_SEED          seed for the randomised checks (default: random, printed)
#   top_srcdir            the source tree (default: two levels up from this script)
#
# Exit status: 0 when every ABI that ran passed, 1 when a check failed or an ABI did not
# report, 77 when nothing could run (no qemu, no kernel, no compiler: each is said).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

# build_abi and boot_target are called through parallel(), which shellcheck cannot follow
# shellcheck disable=SC2317
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
top_srcdir=$(cd "$top_srcdir" && pwd)
cache=${SYSGATE_KERNEL_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/sysgate-kernels}
timeout_s=${CROSSARCH_TIMEOUT:-300}
jobs=${CROSSARCH_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
all_targets="x86 ppc64le aarch64 s390x mips64el"
targets=${*:-$all_targets}
# -O1: a third faster to build than -O2 for eight ABIs, and the checks are about semantics
cflags=${CROSSARCH_CFLAGS:--O1}
seed=${SYSGATE_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
host_arch=$(uname -m)

say() { printf 'crossarch: %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
now() { date +%s; }

# --- what each target and ABI needs -------------------------------------------------------

target_vars() {
	append_extra=""
	case $1 in
	aarch64)
		qemu=qemu-system-aarch64 qemu_pkg=qemu-system-arm debarch=arm64
		kpkg=linux-image-cloud-arm64 kglob='vmlinuz-*'
		# cortex-a57: AArch32 at EL0 for the compat ABI, and far faster under TCG than "max"
		qemu_args="-M virt -cpu cortex-a57 -m 512" console=ttyAMA0
		abis="aarch64 arm" ;;
	s390x)
		qemu=qemu-system-s390x qemu_pkg=qemu-system-misc debarch=s390x
		kpkg=linux-image-s390x kglob='vmlinuz-*'
		qemu_args="-M s390-ccw-virtio -cpu max -m 512" console=ttysclp0
		abis="s390x s390" ;;
	ppc64le)
		qemu=qemu-system-ppc64 qemu_pkg=qemu-system-ppc debarch=ppc64el
		kpkg=linux-image-powerpc64le kglob='vmlinux-*'
		# x-vof: QEMU's minimal firmware instead of SLOF (boots in 14 s instead of 45 s)
		qemu_args="-M pseries,x-vof=on,usb=off,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off -m 1024"
		console=hvc0
		abis="ppc64le" ;;
	x86)
		qemu=qemu-system-x86_64 qemu_pkg=qemu-system-x86 debarch=amd64
		# the generic flavour: the cloud one is built without CONFIG_X86_X32_ABI
		kpkg=linux-image-amd64 kglob='vmlinuz-*'
		qemu_args="-M pc -m 512" console=ttyS0
		append_extra="syscall.x32=y"
		abis="x86_64 x86 x32" ;;
	mips64el)
		qemu=qemu-system-mips64el qemu_pkg=qemu-system-mips debarch=mips64el
		kpkg=linux-image-5kc-malta kglob='vmlinuz-*'
		qemu_args="-M malta -cpu MIPS64R2-generic -m 512" console=ttyS0
		# n64 as init; o32 and n32 run under the same 64-bit kernel, which sign-extends
		# their 32-bit arguments
		abis="mipsel64 mipsel mipsel64n32" ;;
	*)
		return 1 ;;
	esac
}

gcc_major() {
	v=$("$1" -dumpversion 2>/dev/null || gcc -dumpversion 2>/dev/null || echo 12)
	echo "${v%%.*}"
}

abi_vars() {
	abi_cflags=""
	case $1 in
	aarch64) cc=aarch64-linux-gnu-gcc pkgs="gcc-aarch64-linux-gnu libc6-dev-arm64-cross" ;;
	arm) cc=arm-linux-gnueabihf-gcc pkgs="gcc-arm-linux-gnueabihf libc6-dev-armhf-cross" ;;
	s390x) cc=s390x-linux-gnu-gcc pkgs="gcc-s390x-linux-gnu libc6-dev-s390x-cross" ;;
	s390)
		cc=s390x-linux-gnu-gcc abi_cflags=-m31
		pkgs="gcc-s390x-linux-gnu libc6-dev-s390-s390x-cross lib32gcc-$(gcc_major $cc)-dev-s390x-cross" ;;
	ppc64le) cc=powerpc64le-linux-gnu-gcc pkgs="gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross" ;;
	x86_64)
		if [ "$host_arch" = x86_64 ]; then
			cc=gcc pkgs="gcc libc6-dev"
		else
			cc=x86_64-linux-gnu-gcc pkgs="gcc-x86-64-linux-gnu libc6-dev-amd64-cross"
		fi ;;
	x86) cc=i686-linux-gnu-gcc pkgs="gcc-i686-linux-gnu libc6-dev-i386-cross" ;;
	x32) cc=x86_64-linux-gnux32-gcc pkgs="gcc-x86-64-linux-gnux32 libc6-dev-x32-cross" ;;
	mipsel64) cc=mips64el-linux-gnuabi64-gcc pkgs="gcc-mips64el-linux-gnuabi64 libc6-dev-mips64el-cross" ;;
	mipsel) cc=mipsel-linux-gnu-gcc pkgs="gcc-mipsel-linux-gnu libc6-dev-mipsel-cross" ;;
	mipsel64n32)
		cc=mips64el-linux-gnuabi64-gcc abi_cflags=-mabi=n32
		pkgs="gcc-mips64el-linux-gnuabi64 libc6-dev-mipsn32-mips64el-cross libn32gcc-$(gcc_major $cc)-dev-mips64el-cross" ;;
	*) return 1 ;;
	esac
}

for t in $targets; do
	target_vars "$t" || { say "unknown target '$t' (known: $all_targets)"; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/sysgate-crossarch.XXXXXX") || exit 1
mkdir -p "$work/bin" "$work/gen" "$work/res"
start=$(now)
say "seed $seed (replay: SYSGATE_SEED=$seed), work dir $work, kernel cache $cache"

# --- tools: install what is missing, when we may -----------------------------------------

installed() { dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q 'install ok installed'; }

apt_install() {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends --no-remove \
		"$@" >>"$work/apt.log" 2>&1
}

install_missing() {
	missing=""
	for p in "$@"; do
		installed "$p" || missing="$missing $p"
	done
	[ -n "$missing" ] || return 0
	if [ "${CROSSARCH_INSTALL:-yes}" = no ] || [ "$(id -u)" != 0 ] || ! have apt-get; then
		say "missing packages:$missing (not installing: need root and apt-get, and CROSSARCH_INSTALL!=no)"
		return 0
	fi
	say "installing:$missing"
	# shellcheck disable=SC2086 # word splitting of the package list is intended
	apt_install $missing && return 0
	apt-get update -q >>"$work/apt.log" 2>&1
	# shellcheck disable=SC2086
	apt_install $missing && return 0
	# one at a time, so one package that cannot be had (or would remove another, e.g.
	# gcc-multilib, which conflicts with the cross compilers) does not block the rest
	for p in $missing; do
		apt_install "$p" || say "could not install $p (see $work/apt.log)"
	done
}

if have dpkg-query; then
	need="cpio"
	for t in $targets; do
		target_vars "$t"
		need="$need $qemu_pkg"
		for a in $abis; do
			abi_vars "$a"
			need="$need $pkgs"
		done
	done
	# shellcheck disable=SC2086,SC2046 # lists of package names
	install_missing $(printf '%s\n' $need | sort -u)
	# s390's lib32gcc package name follows the compiler's version, known once it is installed
	case " $targets " in
	*" s390x "*)
		abi_vars s390
		# shellcheck disable=SC2086
		install_missing $pkgs
		;;
	esac
	case " $targets " in
	*" mips64el "*)
		abi_vars mipsel64n32
		# shellcheck disable=SC2086
		install_missing $pkgs
		;;
	esac
fi

# --- kernels: Debian's images, downloaded once into the cache ----------------------------

apt_dir=""
apt_opts=""

apt_private_init() {
	[ -n "$apt_dir" ] && return 0
	have apt-get || return 1
	apt_dir="$cache/.apt"
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" || return 1
	apt_opts="-o Dir::State::Lists=$apt_dir/lists -o Dir::Cache=$apt_dir/cache"
	apt_opts="$apt_opts -o Debug::NoLocking=1 -o APT::Sandbox::User=root"
	apt_opts="$apt_opts -o APT::Architecture=$(dpkg --print-architecture)"
	for a in "$@"; do
		apt_opts="$apt_opts -o APT::Architectures::=$a"
	done
	say "fetching Debian package lists for$* (private apt state in $apt_dir)"
	# shellcheck disable=SC2086 # apt_opts is a list of options
	apt-get -q $apt_opts update >>"$work/apt-kernels.log" 2>&1 ||
		say "apt-get update reported errors (see $work/apt-kernels.log); trying anyway"
}

# the cached kernel image of target $1, if there is one
cached_kernel() {
	target_vars "$1"
	[ "${CROSSARCH_REFRESH:-0}" != 1 ] || return 1
	for k in "$cache/$1"/$kglob; do
		[ -f "$k" ] && { echo "$k"; return 0; }
	done
	return 1
}

# download target $1's kernel into the cache (apt_private_init first) and print its path
download_kernel() {
	target_vars "$1"
	dir="$cache/$1"
	# shellcheck disable=SC2086
	dep=$(apt-cache $apt_opts depends "$kpkg:$debarch" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[^ :]*\).*/\1/p' | head -n 1)
	[ -n "$dep" ] || { say "$1: no package $kpkg:$debarch in the apt sources" >&2; return 1; }
	tmp="$cache/.dl-$1"
	rm -rf "$tmp" && mkdir -p "$tmp" || return 1
	# shellcheck disable=SC2086
	(cd "$tmp" && apt-get -q $apt_opts download "$dep:$debarch") >>"$work/apt-kernels.log" 2>&1 ||
		{ say "$1: could not download $dep:$debarch" >&2; rm -rf "$tmp"; return 1; }
	deb=$(ls "$tmp"/*.deb)
	mkdir -p "$tmp/x"
	if ! dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/x" --wildcards './boot/*'; then
		say "$1: could not unpack $deb" >&2
		rm -rf "$tmp"
		return 1
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	# shellcheck disable=SC2086 # kglob is a pattern
	mv "$tmp"/x/boot/$kglob "$tmp"/x/boot/config-* "$dir"/
	basename "$deb" >"$dir/PACKAGE"
	rm -rf "$tmp"
	for k in "$dir"/$kglob; do
		[ -f "$k" ] && { echo "$k"; return 0; }
	done
	return 1
}

# --- building live_arch for each ABI --------------------------------------------------------

# the public header as configure makes it, and the little config.h the sources want
ver() { sed -n "s/^AC_SUBST(\[VERSION_$1\], \[\([0-9]*\)\]).*/\1/p" "$top_srcdir/configure.ac"; }
pkgver=$(sed -n 's/^AC_INIT(\[sysgate\], \[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")
sed -e "s/@VERSION_MAJOR@/$(ver MAJOR)/" -e "s/@VERSION_MINOR@/$(ver MINOR)/" \
	-e "s/@VERSION_MICRO@/$(ver MICRO)/" -e "s/@PACKAGE_VERSION@/$pkgver/" \
	"$top_srcdir/include/seccomp.h.in" >"$work/gen/seccomp.h"
cat >"$work/gen/config.h" <<EOF
/* config.h for the cross builds of tests/crossarch/live*.c */
#define _GNU_SOURCE 1
#define PACKAGE_VERSION "$pkgver"
EOF

build_abi() {
	abi_vars "$1"
	out="$work/bin/$1"
	log="$work/build-$1.log"
	if ! have "$cc"; then
		echo "no compiler $cc (package ${pkgs%% *})" >"$work/bin/$1.skip"
		return
	fi
	t0=$(now)
	# shellcheck disable=SC2086 # abi_cflags and cflags are lists of flags
	if ! "$cc" $abi_cflags $cflags -static -std=gnu11 -Wall -Wextra -Wno-sign-compare \
		-Wno-missing-field-initializers -I"$work/gen" -I"$top_srcdir/include" \
		-I"$top_srcdir/src" -o "$out" "$top_srcdir"/tests/crossarch/live*.c \
		"$top_srcdir"/src/*.c "$top_srcdir"/src/arch/*.c -lpthread >"$log" 2>&1; then
		# our code, or an incomplete toolchain (no static libc for the ABI)?
		printf 'int main(void) { return 0; }\n' >"$work/hello-$1.c"
		# shellcheck disable=SC2086
		if "$cc" $abi_cflags -static -o "$work/hello-$1" "$work/hello-$1.c" >/dev/null 2>&1; then
			echo "build failed (see $log)" >"$work/bin/$1.fail"
		else
			echo "toolchain $cc $abi_cflags cannot link a static program" >"$work/bin/$1.skip"
		fi
		return
	fi
	if grep -q 'warning:' "$log"; then
		say "warnings building for $1:"
		grep 'warning:' "$log" | sed 's/^/    /'
	fi
	echo $(($(now) - t0)) >"$work/bin/$1.secs"
}

# parallel FN ARG...: "FN ARG" for each ARG, $jobs at a time
# shellcheck source=tests/parallel.sh
. "$here/../parallel.sh"

# only for targets that can boot: no qemu, nothing to build
all_abis=""
for t in $targets; do
	target_vars "$t"
	have "$qemu" && all_abis="$all_abis $abis"
done
t0=$(now)
# shellcheck disable=SC2086
parallel build_abi $all_abis
build_secs=$(($(now) - t0))
[ -z "$all_abis" ] || say "built live_arch for$all_abis in ${build_secs}s"

# --- booting --------------------------------------------------------------------------------

# per ABI, one line in $work/res/<abi>: status passed failed detail
record() { printf '%s %s %s %s\n' "$2" "$3" "$4" "$5" >"$work/res/$1"; }

boot_target() {
	t=$1
	target_vars "$t"
	tdir="$work/$t"
	mkdir -p "$tdir/root/crossarch"
	t0=$(now)
	why=""
	have "$qemu" || why="no $qemu (package $qemu_pkg)"
	kernel=$(cat "$work/res/$t.kpath" 2>/dev/null)
	[ -n "$why" ] || [ -n "$kernel" ] || why="no kernel ($kpkg:$debarch could not be fetched)"
	first=""
	for a in $abis; do
		if [ -f "$work/bin/$a" ]; then
			if [ -z "$first" ]; then
				first=$a
				cp "$work/bin/$a" "$tdir/root/init"
			else
				cp "$work/bin/$a" "$tdir/root/crossarch/$a"
			fi
		fi
	done
	[ -n "$first" ] || [ -n "$why" ] || why="no test binary could be built"
	# the kernel's own ABI is the init: without it the compat ones cannot run
	[ -n "$why" ] || [ "$first" = "${abis%% *}" ] || why="no ${abis%% *} binary to run as /init"
	if [ -n "$why" ]; then
		for a in $abis; do
			if [ -f "$work/bin/$a.fail" ]; then
				record "$a" FAIL 0 0 "$(cat "$work/bin/$a.fail")"
			else
				record "$a" SKIP 0 0 "$why"
			fi
		done
		echo 0 >"$work/res/$t.secs"
		return
	fi
	(cd "$tdir/root" && find . | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$tdir/initrd.gz"
	console_log="$tdir/console.log"
	# shellcheck disable=SC2086 # qemu_args is a list of options
	timeout -k 10 "$timeout_s" "$qemu" $qemu_args -nodefaults -display none -monitor none \
		-no-reboot -serial "file:$console_log" -kernel "$kernel" -initrd "$tdir/initrd.gz" \
		-append "console=$console panic=-1 quiet loglevel=3 $append_extra SYSGATE_SEED=$seed" \
		</dev/null >"$tdir/qemu.log" 2>&1
	rc=$?
	secs=$(($(now) - t0))
	echo "$secs" >"$work/res/$t.secs"
	basename "$kernel" >"$work/res/$t.kernel"
	tr -d '\r' <"$console_log" >"$tdir/console.txt" 2>/dev/null
	for a in $abis; do
		if [ -f "$work/bin/$a.skip" ]; then
			record "$a" SKIP 0 0 "$(cat "$work/bin/$a.skip")"
			continue
		fi
		if [ -f "$work/bin/$a.fail" ]; then
			record "$a" FAIL 0 0 "$(cat "$work/bin/$a.fail")"
			continue
		fi
		line=$(grep -a "^CROSSARCH $a: [0-9]* passed, [0-9]* failed" "$tdir/console.txt" | tail -n 1)
		if [ -z "$line" ]; then
			note="no result line"
			[ "$rc" = 124 ] && note="timed out after ${timeout_s}s"
			exec_err=$(grep -a "^CROSSARCH-EXEC /crossarch/$a:" "$tdir/console.txt" | head -n 1)
			[ -n "$exec_err" ] && note="$exec_err"
			record "$a" FAIL 0 1 "$note (console: $console_log)"
			continue
		fi
		p=$(echo "$line" | sed 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/')
		f=$(echo "$line" | sed 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/')
		if [ "$f" = 0 ]; then
			record "$a" PASS "$p" "$f" ""
		else
			record "$a" FAIL "$p" "$f" "console: $console_log"
		fi
	done
}

# kernels: from the cache, or downloaded one after the other (one private apt state)
t0=$(now)
fetch="" fetch_arches=""
for t in $targets; do
	target_vars "$t"
	have "$qemu" || continue
	if cached_kernel "$t" >"$work/res/$t.kpath"; then
		continue
	fi
	fetch="$fetch $t"
	fetch_arches="$fetch_arches $debarch"
done
if [ -n "$fetch" ]; then
	# shellcheck disable=SC2086
	if apt_private_init $fetch_arches; then
		for t in $fetch; do
			download_kernel "$t" >"$work/res/$t.kpath" || rm -f "$work/res/$t.kpath"
		done
	else
		say "cannot fetch kernels for$fetch: no apt-get"
	fi
	rm -rf "$apt_dir" "$cache"/.dl-*
fi
kernel_secs=$(($(now) - t0))
[ "$kernel_secs" -gt 2 ] && say "kernels fetched in ${kernel_secs}s"

t0=$(now)
# shellcheck disable=SC2086
parallel boot_target $targets
boot_secs=$(($(now) - t0))

# --- summary --------------------------------------------------------------------------------

total_pass=0 total_fail=0 total_skip=0 checks_pass=0 checks_fail=0
echo
say "summary (seed $seed; $jobs at a time; build ${build_secs}s, boots ${boot_secs}s, total $(($(now) - start))s)"
printf '  %-8s %-11s %-22s %-5s %6s %6s %5s  %s\n' target abi kernel "" passed failed secs note
for t in $targets; do
	target_vars "$t"
	secs=$(cat "$work/res/$t.secs" 2>/dev/null || echo 0)
	kname=$(cat "$work/res/$t.kernel" 2>/dev/null || echo -)
	kname=${kname#vmlinu?-}
	for a in $abis; do
		read -r st p f note <"$work/res/$a" || { st=FAIL p=0 f=1 note="no record"; }
		printf '  %-8s %-11s %-22s %-5s %6s %6s %5s  %s\n' "$t" "$a" "$kname" "$st" "$p" "$f" \
			"$secs" "$note"
		case $st in
		PASS) total_pass=$((total_pass + 1)) ;;
		SKIP) total_skip=$((total_skip + 1)) ;;
		*) total_fail=$((total_fail + 1)) ;;
		esac
		checks_pass=$((checks_pass + p))
		checks_fail=$((checks_fail + f))
		secs=""
	done
done
for t in $targets; do
	if [ -f "$work/$t/console.txt" ] && grep -aq '^FAIL ' "$work/$t/console.txt"; then
		echo
		say "failed checks on $t:"
		grep -a '^FAIL ' "$work/$t/console.txt" | sed 's/^/    /'
	fi
done
echo
say "ABIs: $total_pass passed, $total_fail failed, $total_skip skipped; checks in VMs: $checks_pass passed, $checks_fail failed"

if [ "$total_fail" -gt 0 ]; then
	say "keeping $work for inspection"
	exit 1
fi
if [ "${CROSSARCH_KEEP:-0}" = 1 ]; then
	say "keeping $work"
else
	rm -rf "$work"
fi
if [ "$total_pass" = 0 ]; then
	say "SKIP: no architecture could be tested"
	exit 77
fi
exit 0
