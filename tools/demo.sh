#!/usr/bin/env bash
# The README's main job: compile Docker's default seccomp profile with the freshly built
# sysgate, show the result, and run a command under it. Run from the top of the build tree.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=doc/examples/profiles/docker-default.json
export LD_LIBRARY_PATH="$PWD/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
compile=tools/.libs/scmp_compile
[ -x "$compile" ] || compile=tools/scmp_compile

echo "== Docker's default profile, compiled by sysgate for this machine ($(uname -m))"
"$compile" --stats -q -f bpf -o /tmp/sysgate-docker.bpf "$profile" 2>&1
echo
echo "== the filter as pseudo code: the syscalls with argument rules"
"$compile" -q -f pfc "$profile" |
	awk '/# filter for syscall/ { keep = /"(socket|personality|clone)"/ } keep' | head -n 40
echo "   ..."
echo
echo "== the program itself (first 25 instructions)"
tools/scmp_bpf_disasm /tmp/sysgate-docker.bpf | head -n 27
echo "   ..."
echo
echo "== running commands under it"
"$compile" -q "$profile" -- sh -c 'echo "inside: $(grep Seccomp: /proc/self/status | tr -s "\t" " ")"; ls / >/dev/null && echo "ls works"'
if "$compile" -q "$profile" -- unshare --user true 2>/tmp/sysgate-demo.err; then
	echo "unshare --user: allowed (unexpected)"
else
	echo "unshare --user is refused: $(tail -n 1 /tmp/sysgate-demo.err)"
fi
