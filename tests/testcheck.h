/*
 * testcheck.h - what sysgate's Check test programs share around their tests: running the
 * suite, the visible skip without seccomp, the API level from tests/valgrind.sh, and checks
 * that run in a forked child. Kept apart from testutil.h, which must build without Check.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_TESTCHECK_H
#define SYSGATE_TESTCHECK_H

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <seccomp.h>

#include "testutil.h"

/* run every test of s; returns the program's exit status (0 or 1) */
static inline int tu_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	/* CK_NORMAL unless CK_VERBOSITY says otherwise */
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

/* no seccomp filter support at all: skip the whole program visibly (automake's 77) */
static inline void tu_skip_without_seccomp(void)
{
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL) {
		printf("SKIP: this kernel has no seccomp support\n");
		exit(77);
	}
}

/* a program whose every test needs seccomp(2) in force cannot run under valgrind, which does
 * not emulate it (tests/valgrind.sh sets SYSGATE_UNDER_VALGRIND): skip visibly */
static inline void tu_skip_under_valgrind(void)
{
	if (getenv("SYSGATE_UNDER_VALGRIND")) {
		printf(
		    "SKIP: valgrind does not emulate seccomp(2); these tests need the kernel's\n");
		exit(77);
	}
}

/* valgrind does not emulate seccomp(2): tests/valgrind.sh passes the kernel's real API level */
static inline void tu_api_level_from_env(void)
{
	const char *level = getenv("SYSGATE_TEST_API_LEVEL");

	if (level)
		seccomp_api_set((unsigned int)atoi(level));
}

/* run fn in a child; return its wait status */
static inline int tu_in_child(void (*fn)(void *), void *arg)
{
	int status = tu_fork_run(fn, arg, 0);

	ck_assert_msg(status != -1, "fork or waitpid failed (errno %d)", errno);
	return status;
}

/* fn must return, or _exit(0), in its child */
#define TU_CHILD_OK(fn, arg, what)                                                                 \
	do {                                                                                       \
		int st_ = tu_in_child((fn), (arg));                                                \
		ck_assert_msg(WIFEXITED(st_) && WEXITSTATUS(st_) == 0, "%s: child status 0x%x",    \
		              (what), st_);                                                        \
	} while (0)

#endif
