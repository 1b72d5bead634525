#!/bin/sh
# run-tests.sh - python/test_seccomp.py against the module and library of this build
# (make check runs it when configured with --enable-python).
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
PYTHON=${PYTHON:-python3}
if ! command -v "$PYTHON" >/dev/null 2>&1; then
	echo "SKIP: $PYTHON is not installed"
	exit 77
fi
module=$(find "$top_builddir/python/.libs" -name "seccomp*.so" 2>/dev/null | head -n 1)
if [ -z "$module" ]; then
	echo "SKIP: the module is not built (configure --enable-python)"
	exit 77
fi
# the build's module first on the path, the build's library under it (not the system's)
PYTHONPATH=$top_builddir/python/.libs LD_LIBRARY_PATH=$top_builddir/.libs \
	SYSGATE_BUILDDIR=$top_builddir PYTHONDONTWRITEBYTECODE=1 \
	exec "$PYTHON" "$top_srcdir/python/test_seccomp.py" -v
