/*
 * tiny-daemon.c - builds the README tutorial's example, doc/examples/tiny-daemon.c, as the
 * test tests/test_tiny_daemon. Included rather than listed as a source so that no object or
 * dependency file is ever written into doc/, which is distributed as a whole.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "../../doc/examples/tiny-daemon.c"
