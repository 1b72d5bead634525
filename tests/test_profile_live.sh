#!/bin/sh
# test_profile_live.sh - run programs under the Docker and podman default profiles with
# `scmp_compile PROFILE -- COMMAND` and check what the kernel really does: ordinary commands
# work, and tests/syscall_probe sees the profile's errno for calls the profile denies.
#
# The probes use arguments that fail harmlessly when a call is allowed (EFAULT / EINVAL /
# EOPNOTSUPP...), since CI runs as root. "Allowed" is checked as "same result as without a
# filter", so kernels lacking a syscall or a feature do not matter.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
COMPILE=$top_builddir/tools/scmp_compile
PROBE=$top_builddir/tests/syscall_probe
DOCKER=$top_srcdir/doc/examples/profiles/docker-default.json
PODMAN=$top_srcdir/doc/examples/profiles/podman-seccomp.json

[ -x "$COMPILE" ] || skip "$COMPILE is not built (json-c missing?)"
[ -x "$PROBE" ] || skip "$PROBE is not built"
unwrap_libtool COMPILE
make_tmp

# can this machine load a filter at all (kernel, container policy)?
echo '{ "defaultAction": "SCMP_ACT_ALLOW" }' >"$tmp/allow.json"
if ! "$COMPILE" -q "$tmp/allow.json" -- /bin/true 2>"$tmp/stderr"; then
	skip "cannot run a program under a seccomp filter here: $(cat "$tmp/stderr")"
fi

echo "== exit status of the command and of exec failures"
"$COMPILE" -q "$tmp/allow.json" -- sh -c 'exit 3'
rc=$?
if [ $rc -eq 3 ]; then ok; else fail "the command's exit status is not passed on ($rc)"; fi
"$COMPILE" -q "$tmp/allow.json" -- "$tmp/no-such-command" 2>/dev/null
rc=$?
if [ $rc -eq 127 ]; then ok; else fail "missing command: exit status $rc, want 127"; fi
"$COMPILE" -q "$tmp/allow.json" -- "$tmp/allow.json" 2>/dev/null
rc=$?
if [ $rc -eq 126 ]; then ok; else fail "non-executable command: exit status $rc, want 126"; fi

machine=$(uname -m)

# probe PROFILE "OPTIONS" "SYSCALL ARGS" EXPECTED: EXPECTED is errno=N, ret=, or "same" (the
# result without a filter)
probe() {
	profile=$1 opts=$2 call=$3 want=$4
	# shellcheck disable=SC2086
	got=$("$COMPILE" -q $opts "$profile" -- "$PROBE" $call 2>&1)
	case $want in
	same)
		# shellcheck disable=SC2086
		want=$("$PROBE" $call 2>&1)
		;;
	ret=)
		case $got in ret=*) got=ret= ;; esac
		;;
	esac
	case $got in
	"$want" | "$want "*) ok ;;
	*) fail "$(basename "$profile") $opts: $call: got '$got', want '$want'" ;;
	esac
}

run_ok() {
	profile=$1
	shift
	out=$("$COMPILE" -q "$profile" -- "$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then ok; else
		fail "$(basename "$profile"): '$*' failed ($rc): $out"
	fi
}

if [ -r "$DOCKER" ]; then
	echo "== Docker default profile"
	run_ok "$DOCKER" /bin/true
	run_ok "$DOCKER" sh -c 'echo ok >/dev/null'
	run_ok "$DOCKER" ls /
	if "$COMPILE" -q --docker-caps "$DOCKER" -- sh -c 'cd / && ls >/dev/null'; then ok; else
		fail "--docker-caps: sh -c 'cd / && ls' failed"
	fi
	if [ "$("$COMPILE" -q "$DOCKER" -- sh -c 'echo ok')" = ok ]; then ok; else fail "echo ok"; fi
	probe "$DOCKER" "" "getpid" "ret="
	probe "$DOCKER" "" "keyctl 9999" "errno=1"
	probe "$DOCKER" "" "bpf -1 0 0" "errno=1"
	probe "$DOCKER" "" "unshare 1" "errno=1"
	probe "$DOCKER" "" "mount 1 1 1 0 1" "errno=1"
	probe "$DOCKER" "" "userfaultfd -1" "errno=1"
	probe "$DOCKER" "" "kexec_load 0 0 0 0" "errno=1"
	probe "$DOCKER" "" "personality 0x40000" "errno=1"
	probe "$DOCKER" "" "personality 0xffffffff" "same"
	probe "$DOCKER" "" "socket 40 -1 0" "errno=1"
	probe "$DOCKER" "" "socket 2 -1 0" "same"
	# clone3 without CAP_SYS_ADMIN: ENOSYS, so that libc falls back to clone
	probe "$DOCKER" "" "clone3 0 0" "errno=38"
	# ptrace needs minKernel 4.8
	probe "$DOCKER" "--kernel 4.7" "ptrace 12345 0" "errno=1"
	probe "$DOCKER" "--kernel 5.10" "ptrace 12345 0" "same"
	# capabilities open the namespace and admin calls up (keyctl stays denied)
	probe "$DOCKER" "--cap CAP_SYS_ADMIN" "unshare 1" "same"
	probe "$DOCKER" "--cap CAP_SYS_ADMIN" "mount 1 1 1 0 1" "same"
	probe "$DOCKER" "--cap CAP_SYS_ADMIN" "bpf -1 0 0" "same"
	probe "$DOCKER" "--cap CAP_BPF" "bpf -1 0 0" "same"
	probe "$DOCKER" "--cap CAP_SYS_ADMIN" "clone3 0 0" "same"
	probe "$DOCKER" "--all-caps" "keyctl 9999" "errno=1"
	# clone with a namespace flag (CLONE_NEWNS|CLONE_FS: EINVAL if it got through);
	# s390 passes the flags in the second argument, so only where they come first
	case $machine in
	x86_64 | aarch64 | riscv64 | ppc64le | loongarch64)
		probe "$DOCKER" "" "clone 0x20200" "errno=1"
		probe "$DOCKER" "--cap CAP_SYS_ADMIN" "clone 0x20200" "same"
		;;
	esac
else
	skip_part "Docker profile: $DOCKER not found"
fi

if [ -r "$PODMAN" ]; then
	echo "== podman default profile"
	run_ok "$PODMAN" /bin/true
	run_ok "$PODMAN" sh -c 'echo ok >/dev/null'
	run_ok "$PODMAN" ls /
	probe "$PODMAN" "" "getpid" "ret="
	# podman allows keyctl and mount, denies known-dangerous calls with EPERM ...
	probe "$PODMAN" "" "keyctl 9999" "same"
	probe "$PODMAN" "" "mount 1 1 1 0 1" "same"
	probe "$PODMAN" "" "userfaultfd -1" "errno=1"
	probe "$PODMAN" "" "kexec_load 0 0 0 0" "errno=1"
	probe "$PODMAN" "" "bpf -1 0 0" "errno=1"
	# ... and everything it does not list with ENOSYS
	probe "$PODMAN" "" "personality 0x40000" "errno=38"
	# audit netlink sockets: EINVAL without CAP_AUDIT_WRITE (two conditions, AND)
	probe "$PODMAN" "" "socket 16 3 9" "errno=22"
	probe "$PODMAN" "" "socket 16 3 0" "same"
	probe "$PODMAN" "--cap CAP_AUDIT_WRITE" "socket 16 3 9" "same"
else
	skip_part "podman profile: $PODMAN not found"
fi

finish
