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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <seccomp.h>

#include "testutil.h"

/*
 * Checks that could not run here (an old kernel, no root, ...). Counted in memory shared with
 * the children Check forks for each test, so the program can say SKIP in the end: a program
 * that skipped a part must not report PASS for it.
 */
static inline unsigned int *tu_skip_count(void)
{
	static unsigned int *count;

	if (!count) {
		void *p = mmap(NULL, sizeof(*count), PROT_READ | PROT_WRITE,
		               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			perror("mmap");
			exit(99);
		}
		count = p;
	}
	return count;
}

/* a part of a test cannot run here: say why (a "SKIP: " line) and make the program exit 77 */
__attribute__((format(printf, 1, 2))) static inline void tu_skip_part(const char *fmt, ...)
{
	va_list ap;

	printf("SKIP: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	__atomic_add_fetch(tu_skip_count(), 1, __ATOMIC_RELAXED);
}

/*
 * Run every test of s; returns the program's exit status: 1 when a test failed, else 77 when
 * a part was skipped (tu_skip_part), else 0. The instrumented re-runs, tests/valgrind.sh and
 * tests/sanitize.sh, report "no memory errors" and run only what their instrumentation allows
 * (valgrind has no seccomp(2), a sanitizer owns malloc): there the parts their instrumentation
 * skips do not turn the result into SKIP; the plain run reports them.
 */
static inline int tu_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;
	unsigned int skipped;

	tu_skip_count(); /* mapped before Check forks */
	/* CK_NORMAL unless CK_VERBOSITY says otherwise */
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	skipped = *tu_skip_count();
	if (failed)
		return 1;
	if (skipped && !getenv("SYSGATE_UNDER_VALGRIND") && !getenv("SYSGATE_SANITIZER_BUILD")) {
		printf(
		    "SKIP: %u part(s) of this program could not run here (reasons above); the rest "
		    "passed\n",
		    skipped);
		return 77;
	}
	return 0;
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
