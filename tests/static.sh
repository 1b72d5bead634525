#!/bin/sh
# static.sh - libseccomp.a keeps sysgate's internals to itself (issue 18).
#
# A plain archive of -fvisibility=hidden objects still offers every internal function to the
# static linker, so a program with a function of the same name (sg_malloc, sg_compile, ...)
# would fail to link or, worse, get ours. src/static.mk localizes them. Checked here:
#   - libseccomp.a defines exactly the functions libseccomp.so.2 exports, nothing else global;
#   - a program that defines a function under EVERY internal global name of the library's
#     objects (the names come from the convenience archive, so a new internal function is
#     covered without editing this test) links against libseccomp.a - fully static (-static)
#     when the C library has a static libc.a - builds a filter, loads it in a child and the
#     child is denied what the filter denies; the program's own functions are the ones called;
#   - negative control: the same program linked against the plain convenience archive
#     (what a naive static build would install) fails with a multiple-definition error.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
make_tmp

MAKE=${MAKE:-make}
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES || true
CC='' CFLAGS='' LDFLAGS='' static_libs='' NM=''
$MAKE -s --no-print-directory -C "$top_builddir" sysgate-build-vars >"$tmp/vars" || exit 99
# shellcheck source=/dev/null
. "$tmp/vars"
case " $static_libs " in
*" libseccomp.a "*) ;;
*) skip "libseccomp.a is not built (configured with --disable-static)" ;;
esac
archive=$top_builddir/libseccomp.a
plain=$top_builddir/.libs/libsysgate.a
shared=$top_builddir/.libs/libseccomp.so.2
[ -f "$archive" ] || { echo "FAIL: $archive is missing"; exit 1; }
NM=${NM:-nm}

# --- the symbol table ---
# shellcheck disable=SC2086 # $NM may carry options (libtool's "nm -B")
$NM -g --defined-only "$archive" | awk 'NF == 3 { print $3 }' | sort >"$tmp/static.syms"
# shellcheck disable=SC2086
$NM -D --defined-only "$shared" | awk 'NF == 3 { print $3 }' | sort >"$tmp/shared.syms"
if cmp -s "$tmp/static.syms" "$tmp/shared.syms"; then
	ok
else
	fail "libseccomp.a's global symbols differ from libseccomp.so.2's exports:"
	diff "$tmp/shared.syms" "$tmp/static.syms" | sed -n 's/^[<>]/  &/p' | head -20
fi
nglobal=$(wc -l <"$tmp/static.syms")

# --- a program that reuses every internal name ---
# shellcheck disable=SC2086
$NM -g --defined-only "$plain" | awk 'NF == 3 { print $3 }' | sort -u |
	grep -v -x -F -f "$tmp/shared.syms" | grep -E '^[A-Za-z_][A-Za-z0-9_]*$' >"$tmp/internal.syms"
ninternal=$(wc -l <"$tmp/internal.syms")
[ "$ninternal" -gt 50 ] || fail "only $ninternal internal names found in $plain"
first=$(head -n 1 "$tmp/internal.syms")
{
	echo '#include <errno.h>'
	echo '#include <seccomp.h>'
	echo '#include <stdio.h>'
	echo '#include <sys/syscall.h>'
	echo '#include <sys/wait.h>'
	echo '#include <unistd.h>'
	echo 'static int mine;'
	while read -r name; do
		echo "int $name(void); int $name(void) { return ++mine; }"
	done <"$tmp/internal.syms"
	cat <<PROG
int main(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int status;
	pid_t pid;

	if (ctx == NULL || seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(getppid), 0) != 0)
		return 1;
	/* the program's own function, not sysgate's, under sysgate's internal name */
	if ($first() != 1 || mine != 1)
		return 2;
	pid = fork();
	if (pid == 0) {
		if (seccomp_load(ctx) != 0)
			_exit(77);
		/* syscall(): glibc's getppid() never sets errno */
		_exit(syscall(SYS_getppid) == -1 && errno == EPERM ? 0 : 3);
	}
	seccomp_release(ctx);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 4;
	if (WEXITSTATUS(status) == 0)
		puts("the filter denied getppid() with EPERM");
	return WEXITSTATUS(status);
}
PROG
} >"$tmp/clash.c"

# the build's flags (a sanitizer build's objects need its runtime); fully static when the C
# library can be linked statically with them (not under AddressSanitizer)
mode=-static
echo 'int main(void) { return 0; }' >"$tmp/empty.c"
# shellcheck disable=SC2086 # $CC and the flags are word lists
$CC $CFLAGS $LDFLAGS -static -o "$tmp/empty" "$tmp/empty.c" 2>/dev/null || mode=
# shellcheck disable=SC2086 # $mode is empty or one flag
if $CC $CFLAGS $mode -I"$top_builddir/include" -I"$top_srcdir/include" -o "$tmp/clash" \
	"$tmp/clash.c" "$archive" $LDFLAGS >"$tmp/cc.log" 2>&1; then
	ok
	"$tmp/clash"
	rc=$?
	case $rc in
	0) ok ;;
	77) echo "(the kernel does not filter system calls: the load was not tried)" ;;
	*) fail "the program with sysgate's internal names exited $rc" ;;
	esac
else
	head -n 20 "$tmp/cc.log"
	fail "a program defining sysgate's $ninternal internal names does not link with libseccomp.a"
fi

# negative control: the plain archive clashes
# shellcheck disable=SC2086
if $CC $CFLAGS -I"$top_builddir/include" -I"$top_srcdir/include" -o "$tmp/clash-plain" \
	"$tmp/clash.c" "$plain" $LDFLAGS >"$tmp/cc-plain.log" 2>&1; then
	fail "negative control: the program linked against the plain archive too (no clash to detect)"
elif grep -q 'multiple definition' "$tmp/cc-plain.log"; then
	ok
else
	head -n 20 "$tmp/cc-plain.log"
	fail "negative control: linking the plain archive failed, but not with a multiple definition"
fi

echo "libseccomp.a: $nglobal global symbols (the API), $ninternal internal names reusable${mode:+ (-static)}; $checks checks"
[ "$fails" -eq 0 ] || exit 1
