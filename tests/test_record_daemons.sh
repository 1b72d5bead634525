#!/bin/sh
# test_record_daemons.sh - scmp_record on the configuration checks of real daemons, where the
# machine has them (sshd -t, nginx -t): recorded, then run under the generated profile with
# the same result. Each daemon that is not installed is a skipped part (exit 77).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
RECORD=$top_builddir/tools/scmp_record
COMPILE=$top_builddir/tools/scmp_compile

[ -x "$RECORD" ] || skip "$RECORD is not built (json-c missing?)"
unwrap_libtool RECORD
unwrap_libtool COMPILE
make_tmp
if ! "$RECORD" -q -o "$tmp/probe.json" -- /bin/true 2>"$tmp/stderr"; then
	skip "cannot record here: $(cat "$tmp/stderr")"
fi

ran=""
for d in sshd nginx; do
	p=$(command -v "$d" || true)
	if [ -z "$p" ]; then
		skip_part "$d is not installed"
		continue
	fi
	"$p" -t >"$tmp/$d.plain" 2>&1
	want=$?
	"$RECORD" -q -o "$tmp/$d.json" -- "$p" -t >"$tmp/$d.rec" 2>&1
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "$d -t: status $got recorded, $want plain"
		continue
	fi
	"$COMPILE" -q "$tmp/$d.json" -- "$p" -t >"$tmp/$d.run" 2>&1
	got=$?
	if [ "$got" -eq "$want" ] && cmp -s "$tmp/$d.plain" "$tmp/$d.run"; then
		ok
	else
		fail "$d -t under its profile: status $got (want $want): $(head -3 "$tmp/$d.run")"
	fi
	ran="$ran $d"
done
echo "checked:${ran:- nothing}"
finish
