#!/bin/sh
# clients-quick.sh - the fast part of tests/compat/clients.sh, for `make check`: the real
# clients that take a few seconds each (scmp_sys_resolver, man, ctags, systemd's test-seccomp),
# with their negative controls, and only if already installed (nothing is installed here; a
# missing program is skipped with the reason printed). `make check-compat` runs them all.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
exec "${SHELL:-/bin/sh}" "$top_srcdir/tests/compat/clients.sh" --no-install resolver man ctags systemd
