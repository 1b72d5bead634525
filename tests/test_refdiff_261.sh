#!/bin/sh
# test_refdiff_261.sh - test_refdiff against libseccomp 2.6.1 (the version sysgate replaces)
# instead of Debian's 2.5.4: the build in ../shared/ref/libseccomp-2.6.1 beside the source tree,
# or $SYSGATE_REF_LIBSECCOMP_261. Skips (77) with the reason when there is none.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

REFDIFF=$top_builddir/tests/test_refdiff
LIB=${SYSGATE_REF_LIBSECCOMP_261:-$top_srcdir/../shared/ref/libseccomp-2.6.1/lib/libseccomp.so.2.6.1}
[ -x "$REFDIFF" ] || skip "tests/test_refdiff is not built (Check missing)"
[ -e "$LIB" ] || skip "no libseccomp 2.6.1 build at $LIB (set SYSGATE_REF_LIBSECCOMP_261)"
SYSGATE_REF_LIBSECCOMP=$LIB exec "$REFDIFF"
