#!/bin/sh
# test_record.sh - scmp_record on real programs of this machine: each command is recorded,
# then run under the profile generated from its recording (scmp_compile PROFILE -- COMMAND)
# and must give identical output; a call the recording did not see is refused (with a
# control that shows the same call works without the filter); argument learning, merging,
# the C and PFC outputs, exit statuses and errors.
#
# RECORD_METHOD=ptrace (tests/test_record_ptrace.sh) runs the same checks with the ptrace
# method instead of notification.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
RECORD=$top_builddir/tools/scmp_record
COMPILE=$top_builddir/tools/scmp_compile
METHOD=${RECORD_METHOD:-notify}

[ -x "$RECORD" ] || skip "$RECORD is not built (json-c missing?)"
unwrap_libtool RECORD
unwrap_libtool COMPILE
command -v python3 >/dev/null || skip "python3 is not installed"
command -v tar >/dev/null || skip "tar is not installed"
make_tmp

if ! "$RECORD" -q --method "$METHOD" -o "$tmp/probe.json" -- /bin/true 2>"$tmp/stderr"; then
	skip "cannot record with method $METHOD here: $(cat "$tmp/stderr")"
fi
echo '{ "defaultAction": "SCMP_ACT_ALLOW" }' >"$tmp/allow.json"
if ! "$COMPILE" -q "$tmp/allow.json" -- /bin/true 2>"$tmp/stderr"; then
	skip "cannot run a program under a seccomp filter here: $(cat "$tmp/stderr")"
fi

# same NAME CMD...: record CMD, run it under its own profile, compare the outputs
same() {
	name=$1
	shift
	if ! "$RECORD" -q --method "$METHOD" -o "$tmp/$name.json" -r "$tmp/$name.rec" -- "$@" \
		>"$tmp/$name.rec.out" 2>"$tmp/$name.rec.err"; then
		fail "$name: recording failed: $(cat "$tmp/$name.rec.err")"
		return
	fi
	if ! "$COMPILE" -q "$tmp/$name.json" -- "$@" >"$tmp/$name.run.out" 2>"$tmp/$name.run.err"; then
		fail "$name: fails under its own profile: $(cat "$tmp/$name.run.err")"
	elif ! cmp -s "$tmp/$name.rec.out" "$tmp/$name.run.out"; then
		fail "$name: output differs under its own profile"
		diff "$tmp/$name.rec.out" "$tmp/$name.run.out" | head -5
	else
		ok
	fi
}

echo "== recorded commands run under their own profiles ($METHOD)"
same ls ls -la "$top_srcdir/doc/man"
same tar tar -cf - -C "$top_srcdir" doc
same python python3 -c 'import json, sys; print(json.dumps(sorted(sys.argv)))' b a
# threads (clone3), and a shell that forks and execs two programs in a pipeline
same threads python3 -c '
import threading
out = []
ts = [threading.Thread(target=out.append, args=(i,)) for i in range(8)]
for t in ts: t.start()
for t in ts: t.join()
print(sorted(out))'
same pipeline sh -c 'ls / | wc -l'
# a server: an HTTP server on a loopback port and a client of it, in one process
same http python3 -c '
import http.server, threading, urllib.request
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"pong " + self.path.encode())
    def log_message(self, *a): pass
srv = http.server.HTTPServer(("127.0.0.1", 0), H)
t = threading.Thread(target=srv.handle_request); t.start()
print(urllib.request.urlopen("http://127.0.0.1:%d/ping" % srv.server_port).read().decode())
t.join(); srv.server_close()'

echo "== what was not recorded is refused"
# the same program with and without one extra call, unshare(0): it changes nothing and
# succeeds without a filter (the control), and the recording of the run without it never saw it
unshare0='import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
if sys.argv[1] == "call":
    print("allowed" if libc.unshare(0) == 0 else "refused %d" % ctypes.get_errno())
else:
    print("skipped")'
"$RECORD" -q --method "$METHOD" -o "$tmp/nounshare.json" -- python3 -c "$unshare0" skip >/dev/null
out=$(python3 -c "$unshare0" call)
if [ "$out" = "allowed" ]; then ok; else fail "control: unshare(0) without a filter: $out"; fi
out=$("$COMPILE" -q "$tmp/nounshare.json" -- python3 -c "$unshare0" skip)
if [ "$out" = "skipped" ]; then ok; else fail "the recorded run under its profile: $out"; fi
out=$("$COMPILE" -q "$tmp/nounshare.json" -- python3 -c "$unshare0" call)
if [ "$out" = "refused 1" ]; then ok; else fail "unshare(0) under a profile that never saw it: $out"; fi
if grep -q '"unshare"' "$tmp/nounshare.json"; then fail "unshare in a profile that never saw it"; else ok; fi
if grep -q '"read"' "$tmp/python.json"; then ok; else fail "read missing from the python profile"; fi

echo "== arguments (--args)"
sock='import socket, sys
fam = socket.AF_UNIX if sys.argv[1] == "unix" else socket.AF_INET
try:
    socket.socket(fam, socket.SOCK_STREAM).close()
    print("allowed")
except OSError as e:
    print("refused", e.errno)'
"$RECORD" -q --method "$METHOD" --args -o "$tmp/sock.json" -- python3 -c "$sock" unix >/dev/null
out=$(python3 -c "$sock" inet)
if [ "$out" = "allowed" ]; then ok; else fail "control: AF_INET socket without a filter: $out"; fi
out=$("$COMPILE" -q "$tmp/sock.json" -- python3 -c "$sock" unix)
if [ "$out" = "allowed" ]; then ok; else fail "AF_UNIX socket under its --args profile: $out"; fi
out=$("$COMPILE" -q "$tmp/sock.json" -- python3 -c "$sock" inet)
if [ "$out" = "refused 1" ]; then ok; else fail "AF_INET socket under the AF_UNIX --args profile: $out"; fi
if grep -q '"SCMP_CMP_MASKED_EQ"' "$tmp/sock.json"; then ok; else fail "--args wrote no condition"; fi
# without --args the same recording allows any socket
"$RECORD" -q --method "$METHOD" -o "$tmp/sock-any.json" -- python3 -c "$sock" unix >/dev/null
out=$("$COMPILE" -q "$tmp/sock-any.json" -- python3 -c "$sock" inet)
if [ "$out" = "allowed" ]; then ok; else fail "AF_INET socket under a profile without --args: $out"; fi
# --max-values 1: socket was seen with one value pair, ioctl/fcntl/... with more: those stay
# unconditional, and the profile still runs the command
"$RECORD" -q --method "$METHOD" --args --max-values 1 -o "$tmp/sock1.json" -- python3 -c "$sock" unix >/dev/null
out=$("$COMPILE" -q "$tmp/sock1.json" -- python3 -c "$sock" unix)
if [ "$out" = "allowed" ]; then ok; else fail "--max-values 1 profile: $out"; fi

echo "== merging recordings"
"$RECORD" -q -o "$tmp/merged.json" -m "$tmp/ls.rec" -m "$tmp/python.rec"
for n in ls python; do
	case $n in
	ls) set -- ls -la "$top_srcdir/doc/man" ;;
	python) set -- python3 -c 'import json, sys; print(json.dumps(sorted(sys.argv)))' b a ;;
	esac
	if "$COMPILE" -q "$tmp/merged.json" -- "$@" >"$tmp/merged.out" 2>&1 &&
		cmp -s "$tmp/merged.out" "$tmp/$n.rec.out"; then
		ok
	else
		fail "$n under the merged profile: $(head -3 "$tmp/merged.out")"
	fi
done
# the merged profile is the union: ls alone lacks something python needs, merged has it
n=0
sed -n 's/^[a-z0-9_]* \([a-z0-9_]*\) [0-9]*$/\1/p' "$tmp/python.rec" >"$tmp/python.names"
while read -r s; do
	n=$((n + 1))
	grep -q "\"$s\"" "$tmp/merged.json" || fail "merged profile lacks $s"
done <"$tmp/python.names"
if [ "$n" -gt 20 ]; then ok; else fail "only $n syscalls in the python recording"; fi
printf 'not a recording\n' >"$tmp/bad.rec"
if "$RECORD" -q -o "$tmp/x.json" -m "$tmp/bad.rec" 2>"$tmp/err"; then
	fail "a bad recording was merged"
elif grep -q 'not an scmp_record recording' "$tmp/err"; then ok; else fail "bad recording message: $(cat "$tmp/err")"; fi

echo "== C and PFC output"
"$RECORD" -q --method "$METHOD" --args -f c -o "$tmp/ls.c" -- ls -la "$top_srcdir/doc/man" >/dev/null
cat >"$tmp/main.c" <<'EOF'
#include <stdio.h>
#include <unistd.h>
#include "ls.c"
int main(int argc, char *argv[])
{
	int rc = install_filter();
	if (rc < 0) {
		fprintf(stderr, "install_filter: %d\n", rc);
		return 99;
	}
	(void)argc;
	execvp(argv[1], argv + 1);
	return 98;
}
EOF
if ${CC:-cc} -Wall -Wextra -Werror -I"$top_srcdir/include" -I"$top_builddir/include" -o "$tmp/main" \
	"$tmp/main.c" -L"$top_builddir/.libs" -lseccomp 2>"$tmp/cc.err"; then
	ok
	LD_LIBRARY_PATH=$top_builddir/.libs "$tmp/main" ls -la "$top_srcdir/doc/man" >"$tmp/c.out" 2>&1
	if cmp -s "$tmp/c.out" "$tmp/ls.rec.out"; then ok; else fail "ls under the generated C filter: $(head -3 "$tmp/c.out")"; fi
	out=$(LD_LIBRARY_PATH=$top_builddir/.libs "$tmp/main" python3 -c 'print(1)' 2>&1)
	case $out in 1) fail "python3 ran under ls's C filter" ;; *) ok ;; esac
else
	fail "the generated C does not compile: $(head -5 "$tmp/cc.err")"
fi
"$RECORD" -q -f pfc -o "$tmp/ls.pfc" -m "$tmp/ls.rec"
# shellcheck disable=SC2016 # a literal $syscall
if grep -q 'if (\$syscall == ' "$tmp/ls.pfc" && grep -q 'getdents64' "$tmp/ls.pfc"; then ok; else fail "PFC output"; fi
"$RECORD" -q -d kill-process -o "$tmp/kill.json" -m "$tmp/ls.rec"
if grep -q '"SCMP_ACT_KILL_PROCESS"' "$tmp/kill.json"; then ok; else fail "-d kill-process"; fi
"$RECORD" -q -d errno:13 -o "$tmp/e13.json" -m "$tmp/ls.rec"
if grep -q '"defaultErrnoRet": 13' "$tmp/e13.json"; then ok; else fail "-d errno:13"; fi

echo "== --enosys-after: newer syscalls get ENOSYS, older unrecorded ones the default"
# pidfd_open (Linux 5.3, number 434 on every ABI with the unified numbers) and unshare (2.6.16)
kprobe='import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
if sys.argv[1] == "pidfd":
    r = libc.syscall(434, os.getpid(), 0)
elif sys.argv[1] == "unshare":
    r = libc.unshare(0)
else:
    r = 0
print("ok" if r >= 0 else "errno %d" % ctypes.get_errno())'
"$RECORD" -q --method "$METHOD" --enosys-after 5.2 -f c -o "$tmp/kv.c" -- python3 -c "$kprobe" none >/dev/null
if grep -q 'SCMP_FLTATR_CTL_KVERMAX, SCMP_KV_5_2' "$tmp/kv.c"; then ok; else fail "--enosys-after 5.2: no limit in the C output"; fi
sed 's/"ls.c"/"kv.c"/' "$tmp/main.c" >"$tmp/kvmain.c"
if ${CC:-cc} -Wall -Wextra -Werror -I"$top_srcdir/include" -I"$top_builddir/include" -o "$tmp/kvmain" \
	"$tmp/kvmain.c" -L"$top_builddir/.libs" -lseccomp 2>"$tmp/cc.err"; then
	for c in "none ok" "pidfd errno 38" "unshare errno 1"; do
		out=$(LD_LIBRARY_PATH=$top_builddir/.libs "$tmp/kvmain" python3 -c "$kprobe" "${c%% *}" 2>&1)
		if [ "$out" = "${c#* }" ]; then ok; else fail "--enosys-after 5.2, ${c%% *}: $out (want ${c#* })"; fi
	done
	out=$(python3 -c "$kprobe" pidfd)
	if [ "$out" = "ok" ]; then ok; else fail "control: pidfd_open without a filter: $out"; fi
else
	fail "the generated C with a limit does not compile: $(head -5 "$tmp/cc.err")"
fi
"$RECORD" -q --enosys-after 5.2 -f pfc -o "$tmp/kv.pfc" -m "$tmp/ls.rec"
if grep -q 'no syscall of Linux 5.2' "$tmp/kv.pfc"; then ok; else fail "--enosys-after in the PFC"; fi
"$RECORD" -q --enosys-after 9.9 -o "$tmp/x.json" -m "$tmp/ls.rec" 2>"$tmp/err"
rc=$?
if [ $rc -eq 125 ] && grep -q 'no Linux release' "$tmp/err"; then ok; else fail "--enosys-after 9.9: status $rc"; fi

echo "== exit statuses and errors"
"$RECORD" -q --method "$METHOD" -o "$tmp/x.json" -- sh -c 'exit 3'
rc=$?
if [ $rc -eq 3 ]; then ok; else fail "the command's exit status is not passed on ($rc)"; fi
"$RECORD" -q -o "$tmp/x.json" -- "$tmp/no-such-command" 2>/dev/null
rc=$?
if [ $rc -eq 127 ]; then ok; else fail "missing command: exit status $rc, want 127"; fi
"$RECORD" -q -- true 2>"$tmp/err"
rc=$?
if [ $rc -eq 125 ] && grep -q -- '-o FILE' "$tmp/err"; then ok; else fail "no -o: status $rc"; fi
"$RECORD" -q -o "$tmp/x.json" 2>"$tmp/err"
rc=$?
if [ $rc -eq 125 ] && grep -q 'no command' "$tmp/err"; then ok; else fail "no command: status $rc"; fi
"$RECORD" -q -o "$tmp/no-such-dir/x.json" -- true 2>"$tmp/err"
rc=$?
if [ $rc -eq 125 ] && grep -q 'No such file' "$tmp/err"; then ok; else fail "unwritable output: status $rc"; fi

echo "$checks checks, $fails failures"
[ "$fails" -eq 0 ]
