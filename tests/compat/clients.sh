#!/bin/sh
# clients.sh - real Debian programs that link libseccomp.so.2, run unchanged on sysgate.
#
# Each client is run against the build tree's library through LD_LIBRARY_PATH (never installed
# system-wide) and four things are checked for it:
#   loaded   the process mapped sysgate's libseccomp.so.2 (/proc/PID/maps, or LD_DEBUG=libs for
#            short-lived processes), not the system's;
#   filter   a seccomp filter is in force (/proc/PID/status "Seccomp: 2" while the sandboxed
#            process runs, or, for test programs whose children live milliseconds, strace's record
#            of seccomp(SECCOMP_SET_MODE_FILTER) calls that the kernel accepted);
#   works    the program does its job;
#   refused  something the program's policy forbids is refused (observed live).
#
# Negative controls (on by default): every client is also run
#   - with the system library (no LD_LIBRARY_PATH): the "loaded" check must fail;
#   - with a stub libseccomp.so.2 whose functions succeed but load nothing (tests/compat/stub.c):
#     the "filter" check must fail (for scmp_sys_resolver, which loads no filter: "works");
#   - with an allow-everything variant of the stub: the "refused" check must fail (resolver: "works").
# The run with the system library also provides the reference results (same policy → same
# verdicts) that the sysgate run is compared with where a client reports per-call results.
#
# Usage: clients.sh [--no-controls] [--no-install] [CLIENT...]
#   CLIENT: resolver man ctags systemd crun tor qemu golang runc (default: all)
# Environment: top_srcdir, top_builddir (set by make); SYSGATE_COMPAT_LIBDIR (default
#   $top_builddir/.libs); SYSGATE_COMPAT_NO_INSTALL=1 (= --no-install). Missing programs are
#   installed with apt-get when running as root (Debian package names below), otherwise the
#   client is skipped with the reason printed.
# Exit: 0 all pass; 1 a check or a control failed; 77 nothing could be run.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

set -u
unset LD_LIBRARY_PATH LD_PRELOAD LD_DEBUG MAN_DISABLE_SECCOMP
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
CC=${CC:-cc}
SG_LIBDIR=$(cd "${SYSGATE_COMPAT_LIBDIR:-$top_builddir/.libs}" 2>/dev/null && pwd) || SG_LIBDIR=
CONTROLS=1
INSTALL=1
[ "${SYSGATE_COMPAT_NO_INSTALL:-0}" = 1 ] && INSTALL=0
CLIENTS=""
for a in "$@"; do
	case "$a" in
	--no-controls) CONTROLS=0 ;;
	--no-install) INSTALL=0 ;;
	-*) echo "unknown option $a" >&2; exit 2 ;;
	*) CLIENTS="$CLIENTS $a" ;;
	esac
done
[ -n "$CLIENTS" ] || CLIENTS="resolver man ctags systemd crun tor qemu golang runc"

if [ -z "$SG_LIBDIR" ] || [ ! -e "$SG_LIBDIR/libseccomp.so.2" ]; then
	echo "FAIL: no libseccomp.so.2 in ${SYSGATE_COMPAT_LIBDIR:-$top_builddir/.libs} (build first)"
	exit 1
fi
SG_LIB=$SG_LIBDIR/libseccomp.so.2
if [ "$(uname -s)" != Linux ] || [ "$(uname -m)" != x86_64 ]; then
	echo "SKIP: the client programs are checked on x86_64 Linux only"
	exit 77
fi
# an AddressSanitizer library cannot be loaded into uninstrumented programs (the runtime must
# come first, and the clients' own filters deny what it calls): the product build covers this
if readelf -d "$SG_LIB" 2>/dev/null | grep -q 'NEEDED.*libasan'; then
	echo "SKIP: $SG_LIB is a sanitizer build; real clients are checked on the normal build"
	exit 77
fi
if ! grep -q '^Seccomp:' /proc/self/status 2>/dev/null; then
	echo "SKIP: kernel without seccomp (no Seccomp: line in /proc/self/status)"
	exit 77
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/sysgate-clients.XXXXXX") || exit 99
chmod 755 "$T"
BGPIDS=""
cleanup() {
	for p in $BGPIDS; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

have() { command -v "$1" >/dev/null 2>&1; }
now() { date +%s; }
log() { echo "$*" >&2; }

# ------------------------------------------------------------------------------------------
# packages
# ------------------------------------------------------------------------------------------
APT_UPDATED=0
# ensure_pkg COMMAND-OR-FILE PACKAGE...: make the command/file available, installing if allowed
ensure_pkg() {
	what=$1
	shift
	case "$what" in
	/*) [ -e "$what" ] && return 0 ;;
	*) have "$what" && return 0 ;;
	esac
	if [ "$INSTALL" != 1 ] || [ "$(id -u)" != 0 ] || ! have apt-get; then
		SKIPWHY="$what missing (Debian package $*; not installing)"
		return 1
	fi
	t0=$(now)
	if [ "$APT_UPDATED" = 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get -q update >"$T/apt-update.log" 2>&1
		APT_UPDATED=1
	fi
	log "installing $* ..."
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		-o DPkg::Lock::Timeout=600 "$@" >"$T/apt.log" 2>&1; then
		tail -5 "$T/apt.log" >&2
		SKIPWHY="apt-get install $* failed"
		return 1
	fi
	log "installed $* in $(($(now) - t0)) s"
	INSTALL_SECS=$((INSTALL_SECS + $(now) - t0))
	case "$what" in
	/*) [ -e "$what" ] ;;
	*) have "$what" ;;
	esac || {
		SKIPWHY="$what still missing after installing $*"
		return 1
	}
}
INSTALL_SECS=0

# ------------------------------------------------------------------------------------------
# helpers shared by the clients
# ------------------------------------------------------------------------------------------
# the library a variant is expected to load, and how to run a program with it
variant_setup() { # variant
	VARIANT=$1
	case "$1" in
	sysgate) LIBDIR=$SG_LIBDIR ;;
	system) LIBDIR= ;;
	stub) LIBDIR=$T/ctl-stub ;;
	allow) LIBDIR=$T/ctl-allow ;;
	esac
	# "loaded" always asks: did the process map the library under test? With the system
	# library that is still sysgate's (and must be absent); with the controls, the control.
	if [ -n "$LIBDIR" ]; then CHECKLIB=$LIBDIR/libseccomp.so.2; else CHECKLIB=$SG_LIB; fi
	CHECKREAL=$(readlink -f "$CHECKLIB")
	CHECKINO=$(stat -L -c %i "$CHECKLIB")
	d=$(stat -L -c %d "$CHECKLIB")
	CHECKDEV=$(printf '%02x:%02x' $(((d >> 8) & 0xfff)) $(((d & 0xff) | ((d >> 12) & 0xfff00))))
}
# run a command with the variant's library
withlib() {
	if [ -n "$LIBDIR" ]; then
		env LD_LIBRARY_PATH="$LIBDIR" "$@"
	else
		env -u LD_LIBRARY_PATH "$@"
	fi
}
# withlib_bg: the same, in the background, so that $! is the program's own PID (env execs it);
# stdin/stdout/stderr from BG_IN/BG_OUT/BG_ERR (opened by the background job: a FIFO as stdin
# must not block this shell)
withlib_bg() {
	if [ -n "$LIBDIR" ]; then
		env LD_LIBRARY_PATH="$LIBDIR" "$@" <"${BG_IN:-/dev/null}" >"$BG_OUT" 2>"$BG_ERR" &
	else
		env -u LD_LIBRARY_PATH "$@" <"${BG_IN:-/dev/null}" >"$BG_OUT" 2>"$BG_ERR" &
	fi
	pid=$!
	BGPIDS="$BGPIDS $pid"
}
# maps_loaded PID: the process maps the library under test (by path, or by device+inode)
maps_loaded() {
	[ -r "/proc/$1/maps" ] || return 1
	awk -v real="$CHECKREAL" -v ino="$CHECKINO" -v dev="$CHECKDEV" '
		$6 == real || ($5 == ino && $4 == dev && $6 ~ /libseccomp/) { found = 1 }
		END { exit !found }' "/proc/$1/maps"
}
# ld_loaded DIR: an LD_DEBUG=libs log in DIR shows the library under test being initialised
ld_loaded() {
	cat "$1"/ld.* 2>/dev/null | grep -q "calling init: $CHECKLIB\$" && return 0
	cat "$1"/ld.* 2>/dev/null | grep "calling init: .*libseccomp" | sed 's/.*calling init: //' |
		while read -r f; do [ "$(readlink -f "$f")" = "$CHECKREAL" ] && echo y; done | grep -q y
}
# seccomp_mode PID: the Seccomp: field of /proc/PID/status (empty if gone)
seccomp_mode() { sed -n 's/^Seccomp:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null; }
# wait_for FILE PATTERN SECONDS [PID]: poll until FILE contains PATTERN (or PID is gone)
wait_for() {
	i=0
	while [ $i -lt $(($3 * 10)) ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		if [ -n "${4:-}" ] && ! kill -0 "$4" 2>/dev/null; then
			grep -q "$2" "$1" 2>/dev/null
			return
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# wait_exit PID SECONDS: wait for a background child; sets RC (124 on timeout, killed)
wait_exit() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt $(($2 * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -9 "$1" 2>/dev/null
		wait "$1" 2>/dev/null
		RC=124
	else
		wait "$1"
		RC=$?
	fi
}
# send FD TEXT: write a line to a client's stdin FIFO; the client may have died (that can be the
# point), so SIGPIPE is ignored in a subshell only: ignored signals would be inherited by clients
send() { (trap '' PIPE; printf '%s\n' "$2" >&"$1") 2>/dev/null; }
yn() { if "$@"; then echo yes; else echo NO; fi; }
# probe_get FILE NAME: a value reported by probe-helper
probe_get() { sed -n "s/^sysgate-probe: .*\\<$2=\\([^ ]*\\).*/\\1/p" "$1" | head -1; }

# ------------------------------------------------------------------------------------------
# helpers built once: the probe that runs inside sandboxes, and the two negative controls
# ------------------------------------------------------------------------------------------
build_helpers() {
	if ! "$CC" -O2 -static -o "$T/probe-helper" "$top_srcdir/tests/compat/probe-helper.c" 2>"$T/cc.log"; then
		cat "$T/cc.log" >&2
		echo "FAIL: cannot build tests/compat/probe-helper.c statically (libc6-dev?)"
		exit 1
	fi
	for v in stub allow; do
		mkdir -p "$T/ctl-$v"
		flag=
		[ $v = allow ] && flag=-DSTUB_ALLOW
		"$CC" -O2 -shared -fPIC -fvisibility=hidden $flag -Wl,-soname,libseccomp.so.2 \
			-o "$T/ctl-$v/libseccomp.so.2" "$top_srcdir/tests/compat/stub.c" || {
			echo "FAIL: cannot build the $v control library"
			exit 1
		}
	done
}

# ------------------------------------------------------------------------------------------
# the clients: each sets L F W R (yes / NO / n/a) and D (details)
# ------------------------------------------------------------------------------------------

# scmp_sys_resolver (package seccomp): name/number resolution only, no filter
RESOLVER_QUERIES="x86_64:openat x86_64:socket x86_64:clone3 x86:openat x86:socket x86:mmap2
x32:openat arm:cacheflush aarch64:open mips:openat mips64n32:openat ppc64le:socket s390x:openat
riscv64:openat"
RESOLVER_TRANSLATE="x86:socket x86:semop s390x:socket ppc64le:shmat"
RESOLVER_NUMBERS="x86_64:257 x86:102 arm:983042 x32:1073742081"
RESOLVER_EXPECT="x86_64:openat=257 x86:openat=295 x86:socket=-101 aarch64:open=-10166 x32:openat=1073742081 arm:cacheflush=983042"
client_resolver() {
	ensure_pkg scmp_sys_resolver seccomp || return 2
	mkdir -p "$T/$1.resolver" && cd "$T/$1.resolver" || return 2
	: >out
	for q in $RESOLVER_QUERIES; do
		printf '%s=%s \n' "$q" "$(withlib scmp_sys_resolver -a "${q%%:*}" "${q#*:}" 2>&1)" >>out
	done
	for q in $RESOLVER_TRANSLATE; do
		printf '%s=-t:%s \n' "$q" "$(withlib scmp_sys_resolver -a "${q%%:*}" -t "${q#*:}" 2>&1)" >>out
	done
	for q in $RESOLVER_NUMBERS; do
		printf '%s=%s \n' "$q" "$(withlib scmp_sys_resolver -a "${q%%:*}" "${q#*:}" 2>&1)" >>out
	done
	withlib env LD_DEBUG=libs LD_DEBUG_OUTPUT="$PWD/ld" scmp_sys_resolver openat >/dev/null 2>&1
	L=$(yn ld_loaded .)
	F=n/a
	R=n/a
	W=yes
	D=""
	# fixed expectations (libseccomp's answers: x86 socket is the pseudo number of the socketcall
	# family, aarch64 has no open, the ARM private calls sit at 0x0f0000 + n)
	for e in $RESOLVER_EXPECT; do
		grep -q "^${e%%=*}=${e#*=} " out || {
			W=NO
			D="$D ${e%%=*} gave '$(grep "^${e%%=*}=" out | cut -d' ' -f1 | cut -d= -f2)' (want ${e#*=});"
		}
	done
	# and identical answers to Debian's libseccomp for every query
	if [ -s "$T/system.resolver/out" ] && [ "$1" != system ]; then
		if ! cmp -s out "$T/system.resolver/out"; then
			W=NO
			D="$D differs from the system library: $(diff "$T/system.resolver/out" out | grep '^[<>]' | head -4 | tr '\n' ' ')"
		fi
	fi
	[ $W = yes ] && D="$(wc -l <out) queries, answers equal to the system library's"
	return 0
}

# man (man-db): formats pages in helper processes that man sandboxes (deny-list → ENOSYS).
# A fake `tbl` (probe-helper) first in PATH runs inside that sandbox and reports.
client_man() {
	ensure_pkg man man-db || return 2
	d="$T/$1.man"
	mkdir -p "$d/bin" "$d/ld"
	cp "$T/probe-helper" "$d/bin/tbl"
	printf '.TH SYSGATE 1\n.SH NAME\nsysgate \\- test page\n.SH DESCRIPTION\nHello from the sandbox.\n' >"$d/page.1"
	withlib env PATH="$d/bin:$PATH" MANPAGER=cat PAGER=cat MANWIDTH=80 LD_DEBUG=libs \
		LD_DEBUG_OUTPUT="$d/ld/ld" man -l "$d/page.1" >"$d/out" 2>"$d/err"
	rc=$?
	L=$(yn ld_loaded "$d/ld")
	F=NO
	[ "$(probe_get "$d/err" seccomp)" = 2 ] && F=yes
	W=NO
	[ $rc = 0 ] && grep -q "Hello from the sandbox" "$d/out" && W=yes
	# refused: socket(AF_INET) and setns(-1) are not in man-db's allow-list
	R=NO
	si=$(probe_get "$d/err" socket_inet)
	sn=$(probe_get "$d/err" setns_badfd)
	[ -n "$si" ] && [ "$si" != ok ] && [ -n "$sn" ] && [ "$sn" != EBADF ] && R=yes
	same_probe_as_system "$d/err" "$T/system.man/err"
	D="rc=$rc helper: seccomp=$(probe_get "$d/err" seccomp) socket(AF_INET)=$si setns(-1)=$sn$SAMEMSG"
}
# same_probe_as_system THIS SYSTEM: R stays yes only if every probe verdict equals the system
# library's (same policy, same kernel → same answers)
same_probe_as_system() {
	SAMEMSG=""
	[ "$VARIANT" = system ] && return 0
	[ -s "$2" ] || return 0
	grep '^sysgate-probe:' "$1" | sort >"$1.p"
	grep '^sysgate-probe:' "$2" | sort >"$1.s"
	if cmp -s "$1.p" "$1.s"; then
		SAMEMSG="; all $(wc -l <"$1.p") probe results = system library's"
	else
		R=NO
		SAMEMSG="; probe results differ from the system library's: $(diff "$1.s" "$1.p" | grep '^[<>]' | sed 's/sysgate-probe: //' | tr '\n' ' ')"
	fi
}

# ctags --_interactive=sandbox (universal-ctags): allow-list, default KILL. Forbidden: with an
# input encoding set, iconv_open() must open a gconv module → killed by SIGSYS.
client_ctags() {
	ensure_pkg ctags universal-ctags || return 2
	d="$T/$1.ctags"
	mkdir -p "$d"
	printf 'int sysgate_probe(void) { return 0; }\n' >"$d/src.c"
	size=$(wc -c <"$d/src.c")
	mkfifo "$d/in"
	BG_IN="$d/in" BG_OUT="$d/out" BG_ERR="$d/err"
	withlib_bg ctags --_interactive=sandbox
	exec 3>"$d/in"
	wait_for "$d/out" '"_type": "program"' 10 $pid
	sleep 0.2
	L=$(yn maps_loaded $pid)
	mode=$(seccomp_mode $pid)
	F=NO
	[ "$mode" = 2 ] && F=yes
	send 3 "$(printf '{"command":"generate-tags","filename":"src.c","size":%d}' "$size")"
	send 3 "$(cat "$d/src.c")"
	wait_for "$d/out" '"completed"' 10
	exec 3>&-
	wait_exit $pid 10
	W=NO
	[ $RC = 0 ] && grep -q '"name": "sysgate_probe"' "$d/out" && W=yes
	# the forbidden part
	(printf '{"command":"generate-tags","filename":"src.c","size":%d}\n' "$size"; cat "$d/src.c") |
		withlib ctags --input-encoding=EUC-JP --output-encoding=UTF-8 --_interactive=sandbox >"$d/out2" 2>&1
	rc2=$?
	R=NO
	[ $rc2 = $((128 + 31)) ] && ! grep -q sysgate_probe "$d/out2" && R=yes
	D="Seccomp: $mode while waiting for input; tags rc=$RC; with --input-encoding: exit $rc2 (159 = SIGSYS)"
}

# systemd's test-seccomp (package systemd-tests): systemd's own seccomp test suite, whose
# assertions check that the filters it loads refuse what they should (EPERM, EINVAL, ...).
client_systemd() {
	TS=/usr/lib/systemd/tests/test-seccomp
	ensure_pkg $TS systemd-tests || return 2
	ensure_pkg strace strace || return 2
	d="$T/$1.systemd"
	mkdir -p "$d/ld"
	withlib env LD_DEBUG=libs LD_DEBUG_OUTPUT="$d/ld/ld" timeout 300 \
		strace -f -qq -e trace=seccomp -e signal=none -o "$d/strace" $TS >"$d/out" 2>&1
	rc=$?
	L=$(yn ld_loaded "$d/ld")
	nf=$(grep -c 'SECCOMP_SET_MODE_FILTER, [^,]*, {len=[1-9][0-9]*, .*= 0$' "$d/strace")
	F=NO
	[ "$nf" -gt 0 ] && F=yes
	W=NO
	[ $rc = 0 ] && W=yes
	# refusal assertions: each test_* that ran must have completed without an assertion
	R=NO
	ran=$(grep -c '^/\* test_' "$d/out")
	[ $rc = 0 ] && ! grep -q "^Assertion" "$d/out" && [ "$ran" -ge 15 ] && R=yes
	D="exit $rc; $ran test functions; $nf filters accepted by the kernel"
	grep -m1 '^Assertion' "$d/out" >/dev/null && D="$D; $(grep -m1 '^Assertion' "$d/out" | cut -c1-110)"
}

# crun (C, OCI runtime): turns the bundle's seccomp profile into BPF with libseccomp, exports
# it and loads it itself. The container process is probe-helper (static) in a busybox rootfs.
CRUN_PROFILE='{
  "defaultAction": "SCMP_ACT_ALLOW",
  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
  "syscalls": [
    {"names": ["umount2"], "action": "SCMP_ACT_ERRNO", "errnoRet": 121},
    {"names": ["setns"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
    {"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 97,
     "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]}
  ]
}'
make_bundle() { # dir
	mkdir -p "$1/rootfs/bin" "$1/rootfs/proc" "$1/rootfs/dev" "$1/rootfs/sys" "$1/rootfs/tmp"
	cp /bin/busybox "$1/rootfs/bin/busybox"
	ln -sf busybox "$1/rootfs/bin/sh"
	cp "$T/probe-helper" "$1/rootfs/bin/probe-helper"
	cat >"$1/config.json" <<EOF
{
  "ociVersion": "1.0.0",
  "process": {
    "terminal": false, "user": {"uid": 0, "gid": 0},
    "args": ["/bin/probe-helper", "report", "3"],
    "env": ["PATH=/bin"], "cwd": "/", "noNewPrivileges": true,
    "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]}
  },
  "root": {"path": "rootfs", "readonly": true},
  "hostname": "sysgate",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev"]}
  ],
  "linux": {
    "namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}, {"type": "network"}],
    "maskedPaths": ["/proc/kcore"], "readonlyPaths": ["/proc/sys"],
    "seccomp": $CRUN_PROFILE
  }
}
EOF
}
# run an OCI runtime in a private mount namespace whose /sys/fs/cgroup is a plain cgroup2
# mount (crun refuses hybrid cgroup hierarchies; no cgroup is created: --cgroup-manager=disabled
# for crun, and runc is only asked to run a bundle without resources)
oci_run() { # dir name prefix-for-sh runtime-args...
	dir=$1
	name=$2
	pre=$3
	shift 3
	BG_IN=/dev/null BG_OUT="$dir/out.stdout" BG_ERR="$dir/out" # the probe reports on stderr
	mkdir -p "$dir/ld"
	withlib_bg env LD_DEBUG=libs LD_DEBUG_OUTPUT="$dir/ld/ld" unshare -m --propagation private sh -c \
		"$pre mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null; exec \"\$@\"" sh "$@"
}
oci_checks() { # dir runtime-pid state-cmd...
	dir=$1
	pid=$2
	shift 2
	wait_for "$dir/out" 'sysgate-probe: getpid=' 15 $pid
	L=$(yn maps_loaded $pid)
	[ $L = NO ] && L=$(yn ld_loaded "$dir/ld")
	cpid=$("$@" 2>/dev/null | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p' | head -1)
	mode=
	[ -n "$cpid" ] && mode=$(seccomp_mode "$cpid")
	wait_exit $pid 20
	F=NO
	[ "$mode" = 2 ] && [ "$(probe_get "$dir/out" seccomp)" = 2 ] && F=yes
	W=NO
	[ $RC = 0 ] && [ "$(probe_get "$dir/out" getpid)" = ok ] && [ "$(probe_get "$dir/out" socket_unix)" = ok ] && W=yes
	si=$(probe_get "$dir/out" socket_inet)
	sn=$(probe_get "$dir/out" setns_badfd)
	su=$(probe_get "$dir/out" umount2_none)
	R=NO
	[ "$si" = EAFNOSUPPORT ] && [ "$sn" = ENOSYS ] && [ "$su" = E121 ] && R=yes
	same_probe_as_system "$dir/out" "$T/system.$(basename "$dir" | sed 's/^[a-z]*\.//')/out"
	D="exit $RC; container Seccomp: ${mode:-?} (host view); socket(AF_INET)=$si socket(AF_UNIX)=$(probe_get "$dir/out" socket_unix) setns=$sn umount2=$su$SAMEMSG"
}
client_crun() {
	ensure_pkg crun crun || return 2
	ensure_pkg /bin/busybox busybox-static || return 2
	have unshare || { SKIPWHY="unshare (util-linux) missing"; return 2; }
	d="$T/$1.crun"
	make_bundle "$d"
	name="sysgate-compat-$$-$1"
	oci_run "$d" "$name" "" crun --root "$T/crun-state" --cgroup-manager=disabled run -b "$d" "$name"
	oci_checks "$d" "$pid" crun --root "$T/crun-state" state "$name"
	crun --root "$T/crun-state" delete -f "$name" >/dev/null 2>&1
}

# runc (Go, via libseccomp-golang): `runc init` re-executes itself with a cleared environment,
# so LD_LIBRARY_PATH cannot reach the process that builds the filter. Instead the library
# under test is bind-mounted over the system's libseccomp.so.2 inside the private mount
# namespace of this one run (invisible to the rest of the system, gone when it ends).
client_runc() {
	ensure_pkg runc runc || return 2
	ensure_pkg /bin/busybox busybox-static || return 2
	have unshare || { SKIPWHY="unshare (util-linux) missing"; return 2; }
	syslib=$( (/sbin/ldconfig -p 2>/dev/null || ldconfig -p) | awk '$1 == "libseccomp.so.2" && /x86-64/ {print $NF; exit}')
	syslib=$(readlink -f "$syslib")
	[ -e "$syslib" ] || { SKIPWHY="no system libseccomp.so.2 to stand in for"; return 2; }
	d="$T/$1.runc"
	make_bundle "$d"
	name="sysgate-compat-$$-$1"
	pre=""
	[ -n "$LIBDIR" ] && pre="mount --bind '$(readlink -f "$LIBDIR/libseccomp.so.2")' '$syslib' || exit 97;"
	LIBDIR_SAVE=$LIBDIR
	LIBDIR= # the bind mount replaces LD_LIBRARY_PATH
	oci_run "$d" "$name" "$pre" runc --root "$T/runc-state" run -b "$d" "$name"
	LIBDIR=$LIBDIR_SAVE
	oci_checks "$d" "$pid" runc --root "$T/runc-state" state "$name"
	runc --root "$T/runc-state" delete -f "$name" >/dev/null 2>&1
	D="$D (library bind-mounted in a private mount namespace)"
}

# tor --Sandbox 1: allow-list with per-path open() rules; refusing to open /etc/passwd makes
# GETINFO process/user come back empty (it is "root" unsandboxed).
client_tor() {
	ensure_pkg tor tor || return 2
	ensure_pkg python3 python3 || return 2
	d="$T/$1.tor"
	mkdir -p "$d/data"
	chmod 700 "$d/data"
	cat >"$d/torrc" <<EOF
DataDirectory $d/data
DisableNetwork 1
SocksPort 0
ControlPort auto
ControlPortWriteToFile $d/port
CookieAuthentication 0
Sandbox 1
Log notice stdout
EOF
	BG_IN=/dev/null BG_OUT="$d/out" BG_ERR="$d/err"
	withlib_bg tor -f "$d/torrc" --defaults-torrc /dev/null
	wait_for "$d/port" PORT= 30 $pid
	wait_for "$d/out" 'Opened Control listener' 30 $pid
	sleep 0.5
	L=$(yn maps_loaded $pid)
	mode=$(seccomp_mode $pid)
	F=NO
	[ "$mode" = 2 ] && F=yes
	port=$(sed -n 's/^PORT=.*:\([0-9]*\)$/\1/p' "$d/port")
	python3 - "${port:-0}" >"$d/ctl" 2>&1 <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
f = s.makefile("rwb")
def cmd(c):
    f.write((c + "\r\n").encode()); f.flush()
    out = []
    while True:
        l = f.readline().decode(errors="replace")
        if not l:
            break
        out.append(l.rstrip())
        if len(l) >= 4 and l[3] == " ":
            break
    return out
cmd('AUTHENTICATE ""')
for c in ("GETINFO version", "GETINFO process/user", "SIGNAL HALT"):
    for l in cmd(c):
        print(("HALT " + l) if c.startswith("SIGNAL") else l)
EOF
	# SIGNAL HALT: a clean shutdown, through the sandbox (a plain SIGTERM stays blocked in
	# tor here, with either library)
	wait_exit $pid 15
	W=NO
	grep -q '^250-version=' "$d/ctl" && [ $RC = 0 ] && W=yes
	user=$(sed -n 's/^250-process\/user=//p' "$d/ctl")
	R=NO
	grep -q '^250-process/user=$' "$d/ctl" && R=yes
	D="Seccomp: $mode; $(grep -m1 '^250-version=' "$d/ctl" | cut -c5-); SIGNAL HALT: exit $RC; GETINFO process/user='$user' (open(/etc/passwd) refused → '')"
}

# qemu-system-x86_64 -sandbox on,...,spawn=deny: deny-list; fork/exec is forbidden, and
# `migrate exec:` needs both → qemu is killed by SIGSYS.
client_qemu() {
	ensure_pkg qemu-system-x86_64 qemu-system-x86 || return 2
	d="$T/$1.qemu"
	mkdir -p "$d"
	mkfifo "$d/in"
	BG_IN="$d/in" BG_OUT="$d/out" BG_ERR="$d/err"
	withlib_bg qemu-system-x86_64 -nodefaults -display none -machine none -S -qmp stdio \
		-sandbox on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny
	exec 4>"$d/in"
	wait_for "$d/out" '"QMP"' 20 $pid
	sleep 0.3
	L=$(yn maps_loaded $pid)
	mode=$(seccomp_mode $pid)
	F=NO
	[ "$mode" = 2 ] && F=yes
	send 4 '{"execute": "qmp_capabilities"}'
	send 4 '{"execute": "query-version"}'
	wait_for "$d/out" '"qemu"' 10 $pid
	W=NO
	grep -q '"qemu": *{' "$d/out" && W=yes
	send 4 "{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"exec:cat >$d/migration\"}}"
	i=0
	while kill -0 $pid 2>/dev/null && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
	send 4 '{"execute": "quit"}'
	exec 4>&-
	wait_exit $pid 10
	R=NO
	[ $RC = $((128 + 31)) ] && R=yes
	D="Seccomp: $mode; $(grep -o '"qemu": *{[^}]*}' "$d/out" | head -1 | tr -d ' '); migrate exec: exit $RC (159 = SIGSYS)"
}

# libseccomp-golang (Debian golang-github-seccomp-libseccomp-golang-dev, source only): its own
# test suite, built with cgo against libseccomp.so.2, run on each library. TestRuleAddAndLoad
# loads filters and checks the refused calls' errno.
client_golang() {
	ensure_pkg go golang-go || return 2
	src=/usr/share/gocode/src/github.com/seccomp/libseccomp-golang
	ensure_pkg $src/seccomp.go golang-github-seccomp-libseccomp-golang-dev || return 2
	ensure_pkg pkg-config pkg-config || return 2
	ensure_pkg /usr/include/seccomp.h libseccomp-dev || return 2
	ensure_pkg strace strace || return 2
	if [ ! -x "$T/golang/seccomp.test" ]; then
		mkdir -p "$T/golang"
		cp -r "$src" "$T/golang/src"
		t0=$(now)
		(cd "$T/golang/src" && GOFLAGS=-mod=mod GOPROXY=off GOCACHE="$T/golang/cache" \
			GOPATH="$T/golang/gopath" go test -c -o "$T/golang/seccomp.test" .) >"$T/golang/build.log" 2>&1 || {
			SKIPWHY="go test -c failed: $(tail -2 "$T/golang/build.log" | tr '\n' ' ')"
			return 2
		}
		GO_BUILD_SECS=$(($(now) - t0))
	fi
	d="$T/$1.golang"
	mkdir -p "$d/ld"
	(cd "$T/golang/src" && withlib env LD_DEBUG=libs LD_DEBUG_OUTPUT="$d/ld/ld" timeout 300 \
		strace -f -qq -e trace=seccomp -e signal=none -o "$d/strace" \
		"$T/golang/seccomp.test" -test.v >"$d/out" 2>&1)
	rc=$?
	L=$(yn ld_loaded "$d/ld")
	nf=$(grep -c 'SECCOMP_SET_MODE_FILTER, [^,]*, {len=[1-9][0-9]*, .*= 0$' "$d/strace")
	F=NO
	[ "$nf" -gt 0 ] && F=yes
	np=$(grep -c '^--- PASS' "$d/out")
	nfl=$(grep -c '^--- FAIL' "$d/out")
	W=NO
	[ $rc = 0 ] && [ "$nfl" = 0 ] && [ "$np" -gt 0 ] && W=yes
	R=NO
	grep -q '^--- PASS: TestRuleAddAndLoad' "$d/out" && R=yes
	D="exit $rc; $np passed, $nfl failed ($(grep '^--- FAIL' "$d/out" | sed 's/--- FAIL: //; s/ (.*//' | head -5 | tr '\n' ' ')); $nf filters accepted by the kernel"
}

# ------------------------------------------------------------------------------------------
# run
# ------------------------------------------------------------------------------------------
build_helpers
VARIANTS="system sysgate"
[ "$CONTROLS" = 1 ] && VARIANTS="system sysgate stub allow"
nfail=0
nok=0
nskip=0
: >"$T/table"
: >"$T/controls"
echo "sysgate library: $(readlink -f "$SG_LIB")"
echo
for c in $CLIENTS; do
	type "client_$c" >/dev/null 2>&1 || { echo "unknown client $c"; nfail=$((nfail + 1)); continue; }
	t0=$(now)
	skipped=0
	for v in $VARIANTS; do
		variant_setup $v
		L=- F=- W=- R=- D='' SKIPWHY=''
		cd "$T" || exit 99
		"client_$c" $v
		st=$?
		cd "$T" || exit 99
		if [ $st = 2 ]; then
			echo "SKIP: $c: $SKIPWHY"
			printf '%s|%s|skipped: %s\n' "$c" "$v" "$SKIPWHY" >>"$T/rows"
			skipped=1
			break
		fi
		printf '%-9s %-8s loaded=%-3s filter=%-3s works=%-3s refused=%-3s %s\n' "$c" "$v" "$L" "$F" "$W" "$R" "$D"
		printf '%s|%s|%s|%s|%s|%s|%s\n' "$c" "$v" "$L" "$F" "$W" "$R" "$D" >>"$T/rows"
		# verdicts
		case $v in
		sysgate)
			bad=""
			[ "$L" = yes ] || bad="$bad loaded"
			[ "$F" = yes ] || [ "$F" = n/a ] || bad="$bad filter"
			[ "$W" = yes ] || bad="$bad works"
			[ "$R" = yes ] || [ "$R" = n/a ] || bad="$bad refused"
			if [ -n "$bad" ]; then
				echo "FAIL: $c on sysgate:$bad"
				nfail=$((nfail + 1))
			else
				echo "PASS: $c on sysgate"
				nok=$((nok + 1))
			fi
			;;
		system | stub | allow)
			case $v in
			system) want=L ;;
			stub) want=F ;;
			allow) want=R ;;
			esac
			[ "$c" = resolver ] && [ $v != system ] && want=W
			case $want in
			L) what=loaded got=$L ;;
			F) what=filter got=$F ;;
			W) what=works got=$W ;;
			R) what=refused got=$R ;;
			esac
			if [ "$got" = NO ]; then
				echo "PASS: control $v on $c: the '$what' check fails, as it must"
				nok=$((nok + 1))
			else
				echo "FAIL: control $v on $c: the '$what' check did not detect it ($what=$got)"
				nfail=$((nfail + 1))
			fi
			;;
		esac
	done
	[ $skipped = 1 ] && nskip=$((nskip + 1))
	echo "time: $c $(($(now) - t0)) s"
	echo
done

echo "client    | loaded sysgate | filter in force | works | forbidden refused | details"
echo "----------|----------------|-----------------|-------|-------------------|--------"
awk -F'|' '$2 == "sysgate" { printf "%-9s | %-14s | %-15s | %-5s | %-17s | %s\n", $1, $3, $4, $5, $6, $7 }
	$2 ~ /skipped/ || $3 ~ /^skipped/ { printf "%-9s | %s\n", $1, $3 }' "$T/rows"
if [ "$CONTROLS" = 1 ]; then
	echo
	echo "negative controls (each must fail the check marked *):"
	echo "client    | system library     | stub (loads nothing) | allow-everything"
	awk -F'|' '
		function row(v) { return sprintf("%s %s %s %s", $3, $4, $5, $6) }
		$2 == "system" { s[$1] = $3 "*" " " $4 " " $5 " " $6 }
		$2 == "stub" { u[$1] = ($1 == "resolver") ? $3 " " $4 " " $5 "*" " " $6 : $3 " " $4 "*" " " $5 " " $6 }
		$2 == "allow" { a[$1] = ($1 == "resolver") ? $3 " " $4 " " $5 "*" " " $6 : $3 " " $4 " " $5 " " $6 "*" ; order[++n] = $1 }
		END { for (i = 1; i <= n; i++) printf "%-9s | %-18s | %-20s | %s\n", order[i], s[order[i]], u[order[i]], a[order[i]] }' "$T/rows"
	echo "(columns: loaded filter works refused)"
fi
[ "$INSTALL_SECS" -gt 0 ] && echo "package installation: $INSTALL_SECS s"
[ -n "${GO_BUILD_SECS:-}" ] && echo "go test -c (libseccomp-golang): $GO_BUILD_SECS s"
echo
echo "clients: $nok passed, $nfail failed, $nskip skipped"
[ $nfail -gt 0 ] && exit 1
# a client that could not be checked is not a pass
[ $nskip -gt 0 ] && exit 77
exit 0
