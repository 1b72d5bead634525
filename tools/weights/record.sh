#!/bin/bash
# record.sh - measure per-syscall call counts of real workloads, one raw summary per workload
# in raw/FAMILY/NAME.txt and the versions of everything measured in raw/FAMILY/VERSIONS.
# gen-weights.py turns them into src/profile_weights.c.
#
# usage: tools/weights/record.sh [--rootfs DIR] [--family NAME] [--small] [OUTDIR]
#   (no --rootfs)  the workloads run on this machine under `strace -f -c`; FAMILY is `uname -m`
#   --rootfs DIR   the workloads run in `chroot DIR` (a Debian root file system with python3,
#                  git, sqlite3, make, gcc, libc6-dev, curl, procps, pkg-config): under
#                  `strace -f -c` when its binaries run on this kernel (i386 on x86_64), else
#                  under qemu-user's -strace (QEMU_STRACE), which needs qemu-user-static
#                  registered with binfmt_misc's F flag so that every exec in the chroot is
#                  emulated and traced too; FAMILY is the root file system's ELF machine
#   --family NAME  raw/NAME instead (OUTDIR overrides both)
#   --small        smaller workloads for emulation: the build makes libseccomp.la only, the
#                  web server serves 1,000 requests, the JSON round trip 50,000 records
# Needs strace, curl and the build tools on this machine; run from a sysgate source tree as
# root when --rootfs is given. Every workload runs in a scratch directory and is bounded in
# time; the web server listens on 127.0.0.1 only.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
rootfs='' family='' out='' small=''
while [ $# -gt 0 ]; do
	case $1 in
	--rootfs) rootfs=$(cd "$2" && pwd) && shift 2 ;;
	--family) family=$2 && shift 2 ;;
	--small) small=1 && shift ;;
	-h | --help) sed -n '2,/^# SPDX/p' "$0" | sed '$d; s/^# \{0,1\}//' && exit 0 ;;
	-*) echo "record.sh: unknown option $1 (see --help)" >&2 && exit 2 ;;
	*) out=$1 && shift ;;
	esac
done

# how the workloads are run and traced
tmp=''
srv=
cleanup() {
	[ -z "$srv" ] || kill "$srv" 2>/dev/null || true
	[ -z "$tmp" ] || rm -rf "$tmp"
	for m in "${mounted[@]}"; do umount "$m" || true; done
}
trap cleanup EXIT
mounted=() # what record.sh mounted, to unmount at the end
qemu= # the qemu-user binary emulating the root file system, when it is foreign
if [ -z "$rootfs" ]; then
	family=${family:-$(uname -m)}
	in=() # prefix of every workload command
else
	# e_machine of the root file system's shell: 3 i386, 62 x86_64, 40 arm, 183 aarch64, ...
	machine=$(od -An -t u2 -j 18 -N 2 "$rootfs/bin/bash" | tr -d ' ')
	case $machine in
	3) guess=i386 ;;
	62) guess=x86_64 ;;
	40) guess=arm qemu=arm ;;
	183) guess=aarch64 qemu=aarch64 ;;
	243) guess=riscv64 qemu=riscv64 ;;
	8) guess=mips qemu=mips ;;
	20) guess=ppc qemu=ppc ;;
	21) guess=ppc64 qemu=ppc64 ;;
	22) guess=s390x qemu=s390x ;;
	*) echo "record.sh: $rootfs/bin/bash: unknown ELF machine $machine" >&2 && exit 2 ;;
	esac
	family=${family:-$guess}
	in=(chroot "$rootfs")
	# ps, python and the shell need /proc and /dev in the chroot
	for m in proc dev; do
		mountpoint -q "$rootfs/$m" || { mount --bind "/$m" "$rootfs/$m" && mounted+=("$rootfs/$m"); }
	done
	"${in[@]}" /bin/true || {
		echo "record.sh: cannot run $rootfs's binaries (qemu-user-static and binfmt_misc?)" >&2
		exit 2
	}
fi
out=${out:-$here/raw/$family}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# scratch: $tmp on this machine is $w as the workloads see it (inside the root file system)
if [ -n "$rootfs" ]; then
	tmp=$(mktemp -d "$rootfs/sgw.XXXXXX")
	w=${tmp#"$rootfs"}
else
	tmp=$(mktemp -d)
	w=$tmp
fi

if [ -n "$qemu" ]; then
	# every emulated process logs its guest syscalls to one FIFO (a file would be truncated by
	# each exec); one reader counts them per name
	mkfifo "$tmp/qemu.log"
	count_start() {
		python3 - "$tmp/qemu.log" >"$out/$1.txt" <<-'EOF' &
			import re, sys
			pat = re.compile(rb"^[0-9]+ ([a-z_0-9]+)\(")  # "PID name(args) = ret"
			calls = {}
			# opened read-write: no end of file while no emulated process has it open
			with open(sys.argv[1], "r+b", buffering=0) as f:
			    buf, done = b"", False
			    while not done:
			        *lines, buf = (buf + f.read(65536)).split(b"\n")
			        for line in lines:
			            if line == b"record.sh: end":
			                done = True
			                break
			            m = pat.match(line)
			            if m:
			                calls[m.group(1)] = calls.get(m.group(1), 0) + 1
			print("# calls per guest syscall name, from qemu-user -strace (record.sh)")
			for name, n in sorted(calls.items(), key=lambda t: (-t[1], t[0])):
			    print(n, name.decode())
		EOF
		counter=$!
	}
	count_stop() {
		echo "record.sh: end" >"$tmp/qemu.log"
		wait "$counter"
	}
	# the command prefix that traces workload NAME: tr=(...)
	tracer_of() { tr=(env QEMU_STRACE=1 "QEMU_LOG_FILENAME=$w/qemu.log" "${in[@]}"); }
	tracer="qemu-$qemu -strace: $("/usr/bin/qemu-$qemu-static" --version | head -1)"
else
	count_start() { :; }
	count_stop() { :; }
	tracer_of() { tr=(strace -f -c -o "$out/$1.txt" "${in[@]}"); }
	tracer="strace -f -c: $(strace -V | head -1)"
fi

trace() { # trace NAME CMD...: the summary of CMD and all its children
	echo "record: $1" >&2
	count_start "$1"
	tracer_of "$1"
	shift
	timeout 1800 "${tr[@]}" "$@" >/dev/null 2>&1 || true
	count_stop
}

vers() { "${in[@]}" "$@" 2>&1 | head -1 || true; }
{
	echo "recorded: $(date -u +%Y-%m-%dT%H:%MZ) on $(uname -srm)"
	[ -z "$rootfs" ] || echo "in: chroot of Debian $(cat "$rootfs/etc/debian_version")" \
		"$("${in[@]}" dpkg --print-architecture)${small:+, --small workloads}"
	echo "traced with $tracer"
	echo "sysgate: $(git -C "$top" rev-parse HEAD 2>/dev/null || echo unknown)"
	vers gcc --version
	vers make --version
	vers python3 --version
	vers git --version
	vers curl --version | cut -d" " -f1-2
	echo "sqlite3 $(vers sqlite3 --version | cut -d" " -f1)"
	vers bash --version
} >"$out/VERSIONS"

# strace -c names a socketcall(2) by its subcall (accept4, send): whether this family's C
# library multiplexes its socket calls, as one number the filter dispatches on, is seen in
# their numbers (strace -n); gen-weights.py then counts them as socketcall
rm -f "$out/MUX"
if [ -z "$qemu" ]; then
	strace -f -n -e trace=%net -o "$tmp/probe" "${in[@]}" python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect(('127.0.0.1', 9))
s.send(b'x')" >/dev/null 2>&1 || true
	# "PID [ NR] name(": one number for several names is a multiplexer
	nrs=$(sed -n 's/^[0-9]* *\[ *\([0-9]*\)\] \([a-z0-9_]*\)(.*/\1 \2/p' "$tmp/probe" | sort -u)
	if [ "$(echo "$nrs" | cut -d" " -f2 | sort -u | wc -l)" -gt 1 ] &&
		[ "$(echo "$nrs" | cut -d" " -f1 | sort -u | wc -l)" -eq 1 ]; then
		echo "socketcall: the socket calls are made through syscall $(echo "$nrs" |
			head -1 | cut -d" " -f1) ($(echo "$nrs" | cut -d" " -f2 | tr '\n' ' '| sed 's/ $//'))" \
			>"$out/MUX"
	fi
fi

# the source tree as the workloads see it
if [ -n "$rootfs" ]; then
	# packed, as a repository that has been gc-ed: not hard links to loose objects
	git clone -q --no-local "$top" "$tmp/top"
	src=$w/top
else
	src=$top
fi

# 1. a compiler build of sysgate itself (configure not traced: the build is the workload)
git -C "$top" archive --format=tar HEAD | tar -x -C "$tmp" --one-top-level=tree
(cd "$tmp/tree" && autoreconf -fi >/dev/null 2>&1)
"${in[@]}" bash -c "cd '$w/tree' && ./configure -q >/dev/null 2>&1"
trace build make -C "$w/tree" -j2 ${small:+libseccomp.la}

# 2. git operations on a clone of this repository
trace git bash -c "git clone -q '$src' '$w/clone' && cd '$w/clone' && git log -p -n 200 \
	&& git status && git diff HEAD~20 && git blame src/lower.c && git grep -n seccomp \
	&& git gc -q"

# 3. Python: byte-compile part of the standard library, run doctests and a JSON round trip
records=${small:+50000}
records=${records:-200000}
trace python python3 -c "
import compileall, doctest, json, sys, os, tempfile
os.environ['PYTHONPYCACHEPREFIX'] = '$w/pyc'
sys.pycache_prefix = '$w/pyc'
for d in ('json', 'email', 'http', 'xml', 'urllib'):
    compileall.compile_dir(os.path.join(os.path.dirname(os.__file__), d), quiet=1, force=True)
import fractions, statistics, textwrap
for m in (fractions, statistics, textwrap):
    doctest.testmod(m)
data = [{'i': i, 's': str(i) * 3} for i in range($records)]
with tempfile.NamedTemporaryFile('w', dir='$w', delete=False) as f:
    json.dump(data, f)
with open(f.name) as g:
    assert len(json.load(g)) == $records
"

# 4. a web server under load (Python's threaded http.server on loopback, 3000 requests from
# curl on this machine, not traced)
requests=${small:+1000}
requests=${requests:-3000}
mkdir -p "$tmp/www" && cp -r "$top/doc" "$tmp/www/"
port=$((20000 + RANDOM % 20000))
count_start webserver
tracer_of webserver
(exec "${tr[@]}" bash -c "cd '$w/www' && exec python3 -m http.server \
	--bind 127.0.0.1 $port" >/dev/null 2>&1) &
srv=$!
for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
echo "record: webserver" >&2
for i in $(seq "$requests"); do
	case $((i % 3)) in
	0) echo "url = \"http://127.0.0.1:$port/doc/benchmark.md\"" ;;
	1) echo "url = \"http://127.0.0.1:$port/doc/\"" ;;
	*) echo "url = \"http://127.0.0.1:$port/doc/man/\"" ;;
	esac
	echo "output = /dev/null"
done | timeout 1200 curl -s -K - || true
# the server's summary is written when it exits (SIGTERM: a background job ignores SIGINT):
# under strace it is strace's child, under qemu it is the job itself
pkill -TERM -P "$srv" python3 2>/dev/null || kill -TERM "$srv" 2>/dev/null || true
wait "$srv" 2>/dev/null || true
srv=
count_stop

# 5. a database: SQLite under many small transactions and queries
trace database bash -c "for i in \$(seq 300); do echo \"BEGIN; INSERT INTO t VALUES(\$i, \
	hex(randomblob(64))); INSERT INTO t VALUES(-\$i, 'x'); COMMIT; SELECT count(*) FROM t \
	WHERE a > \$i;\"; done | sqlite3 -cmd 'CREATE TABLE t(a INTEGER, b TEXT);' '$w/db.sqlite'"

# 6. an interactive-style shell session
trace shell bash -c "cd '$src' && for i in 1 2 3; do ls -la; ls src tests; cat README.md; \
	grep -rn seccomp_rule_add src | wc -l; find . -name '*.c' | sort | head; \
	sed -n 1,50p src/lower.c; awk '{n++} END {print n}' src/*.c; date; id; \
	tar -cf - doc | gzip -c | wc -c; ps ax | head; env | sort | head; done"
echo "record: done, raw summaries in $out" >&2
