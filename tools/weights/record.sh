#!/bin/bash
# record.sh - measure per-syscall call counts of real workloads on this machine with
# `strace -c -f`, one raw summary per workload in raw/NAME.txt, and the versions of everything
# measured in raw/VERSIONS. gen-weights.py turns them into src/profile_weights.c.
#
# usage: tools/weights/record.sh [OUTDIR]   (default: tools/weights/raw; needs strace, gcc,
# make, autotools, git, python3, curl, sqlite3; run from a sysgate source tree)
# Every workload runs in a scratch directory and is bounded in time; the web server listens on
# 127.0.0.1 only.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:-$here/raw}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

trace() { # trace NAME CMD...: the summary of CMD and all its children
	local name=$1
	shift
	echo "record: $name" >&2
	timeout 900 strace -f -c -o "$out/$name.txt" "$@" >/dev/null 2>&1 || true
}

{
	echo "recorded: $(date -u +%Y-%m-%dT%H:%MZ) on $(uname -srm)"
	echo "sysgate: $(git -C "$top" rev-parse HEAD 2>/dev/null || echo unknown)"
	strace -V | head -1
	gcc --version | head -1
	make --version | head -1
	python3 --version
	git --version
	curl --version | head -1 | cut -d" " -f1-2
	echo "sqlite3 $(sqlite3 --version | cut -d" " -f1)"
	bash --version | head -1
} >"$out/VERSIONS"

# 1. a compiler build of sysgate itself (configure not traced: the build is the workload)
git -C "$top" archive --format=tar HEAD | tar -x -C "$tmp" --one-top-level=tree
(cd "$tmp/tree" && autoreconf -fi >/dev/null 2>&1 && ./configure -q >/dev/null 2>&1)
trace build make -C "$tmp/tree" -j2

# 2. git operations on a clone of this repository
trace git bash -c "git clone -q '$top' '$tmp/clone' && cd '$tmp/clone' && git log -p -n 200 \
	&& git status && git diff HEAD~20 && git blame src/lower.c && git grep -n seccomp \
	&& git gc -q"

# 3. Python: byte-compile part of the standard library, run doctests and a JSON round trip
trace python python3 -c "
import compileall, doctest, json, sys, os, tempfile
os.environ['PYTHONPYCACHEPREFIX'] = '$tmp/pyc'
sys.pycache_prefix = '$tmp/pyc'
for d in ('json', 'email', 'http', 'xml', 'urllib'):
    compileall.compile_dir(os.path.join(os.path.dirname(os.__file__), d), quiet=1, force=True)
import fractions, statistics, textwrap
for m in (fractions, statistics, textwrap):
    doctest.testmod(m)
data = [{'i': i, 's': str(i) * 3} for i in range(200000)]
with tempfile.NamedTemporaryFile('w', dir='$tmp', delete=False) as f:
    json.dump(data, f)
with open(f.name) as g:
    assert len(json.load(g)) == 200000
"

# 4. a web server under load (Python's threaded http.server on loopback, 3000 requests)
mkdir -p "$tmp/www" && cp -r "$top/doc" "$tmp/www/"
port=$((20000 + RANDOM % 20000))
(cd "$tmp/www" && exec strace -f -c -o "$out/webserver.txt" python3 -m http.server \
	--bind 127.0.0.1 "$port" >/dev/null 2>&1) &
srv=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
echo "record: webserver" >&2
for i in $(seq 3000); do
	case $((i % 3)) in
	0) echo "url = \"http://127.0.0.1:$port/doc/benchmark.md\"" ;;
	1) echo "url = \"http://127.0.0.1:$port/doc/\"" ;;
	*) echo "url = \"http://127.0.0.1:$port/doc/man/\"" ;;
	esac
	echo "output = /dev/null"
done | timeout 600 curl -s -K - || true
# strace writes its summary when the traced server exits (SIGTERM: a background job ignores
# SIGINT)
pkill -TERM -P "$srv" python3 2>/dev/null || true
sleep 1
kill "$srv" 2>/dev/null || true
wait "$srv" 2>/dev/null || true

# 5. a database: SQLite under many small transactions and queries
trace database bash -c "for i in \$(seq 300); do echo \"BEGIN; INSERT INTO t VALUES(\$i, \
	hex(randomblob(64))); INSERT INTO t VALUES(-\$i, 'x'); COMMIT; SELECT count(*) FROM t \
	WHERE a > \$i;\"; done | sqlite3 -cmd 'CREATE TABLE t(a INTEGER, b TEXT);' '$tmp/db.sqlite'"

# 6. an interactive-style shell session
trace shell bash -c "cd '$top' && for i in 1 2 3; do ls -la; ls src tests; cat README.md; \
	grep -rn seccomp_rule_add src | wc -l; find . -name '*.c' | sort | head; \
	sed -n 1,50p src/lower.c; awk '{n++} END {print n}' src/*.c; date; id; \
	tar -cf - doc | gzip -c | wc -c; ps ax | head; env | sort | head; done"
echo "record: done, raw summaries in $out" >&2
