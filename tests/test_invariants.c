/*
 * test_invariants.c - the rule database's invariants (src/db_check.h) catch a broken
 * database, and a debug build checks them where the library changes or compiles it.
 *
 * Each case damages one invariant of a correct context behind the library's back (standing
 * in for a bug in db.c) and expects sg_check_filter() to name it; the last case expects a
 * compile of a damaged context to abort. Only a `./configure --enable-debug` build has the
 * checker: elsewhere the program skips (tests/run-all.sh runs it in its debug build).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#ifdef SG_DEBUG

#include <seccomp.h>

#include "db_check.h"
#include "db_index.h"
#include "testcheck.h"

/* a context with rules of every kind on syscall 1 (x86_64 write, or whatever 1 is) */
static scmp_filter_ctx sample(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), 1, 2, SCMP_A0(SCMP_CMP_EQ, 5),
	                                  SCMP_A2(SCMP_CMP_MASKED_EQ, 0xff00, 0x1200)),
	                 0);
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_KILL, 1, 1, SCMP_A1_LO32(SCMP_CMP_GT, 0x7fffffff)), 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), 3, 0), 0);
	ck_assert_ptr_null(sg_check_filter((struct sg_filter *)ctx));
	return ctx;
}

static struct sg_sysrules *entry(scmp_filter_ctx ctx, int nr)
{
	struct sg_filter *f = (struct sg_filter *)ctx;

	return (struct sg_sysrules *)sg_archdb_find(&f->arch[0], nr);
}

static void expect_broken(scmp_filter_ctx ctx, const char *what)
{
	const char *w = sg_check_filter((struct sg_filter *)ctx);

	ck_assert_msg(w && strstr(w, what), "want \"%s\", got \"%s\"", what, w ? w : "(nothing)");
}

START_TEST(each_invariant)
{
	scmp_filter_ctx ctx;
	struct sg_filter *f;
	struct sg_sysrules *s;
	struct sg_cond tmp;

	ctx = sample();
	s = entry(ctx, 1);
	tmp = s->rules[0].cond[0];
	s->rules[0].cond[0] = s->rules[0].cond[1];
	s->rules[0].cond[1] = tmp;
	expect_broken(ctx, "not sorted by argument");
	seccomp_release(ctx);

	ctx = sample();
	s = entry(ctx, 1);
	s->rules[0].cond[1] = s->rules[0].cond[0];
	expect_broken(ctx, "two on one argument");
	seccomp_release(ctx);

	ctx = sample();
	entry(ctx, 1)->rules[0].cond[1].datum |= 0x1;
	expect_broken(ctx, "outside its mask");
	seccomp_release(ctx);

	ctx = sample();
	entry(ctx, 1)->rules[1].cond[0].datum = 0x100000000ull;
	expect_broken(ctx, "does not fit 32 bits");
	seccomp_release(ctx);

	ctx = sample();
	entry(ctx, 1)->rules[0].cond[0].mask = 0xffff;
	expect_broken(ctx, "partial mask");
	seccomp_release(ctx);

	ctx = sample();
	entry(ctx, 1)->first_key[1] ^= 1;
	expect_broken(ctx, "first_key");
	seccomp_release(ctx);

	ctx = sample();
	entry(ctx, 1)->has_uncond = true;
	entry(ctx, 1)->uncond_action = SCMP_ACT_TRAP;
	expect_broken(ctx, "beside an unconditional action");
	seccomp_release(ctx);

	ctx = sample();
	entry(ctx, 1)->rules[1].action = SCMP_ACT_ALLOW;
	expect_broken(ctx, "the default action");
	seccomp_release(ctx);

	ctx = sample();
	f = (struct sg_filter *)ctx;
	for (uint32_t h = 0; h < f->arch[0].index_cap; h++)
		if (f->arch[0].index[h] == 2)
			f->arch[0].index[h] = 0; /* syscall 3 is no longer found */
	expect_broken(ctx, "index");
	seccomp_release(ctx);

	ctx = sample();
	s = entry(ctx, 1);
	for (uint32_t h = 0; h < s->idx_cap; h++)
		s->idx[h].nfull = s->idx[h].nprefix = 0; /* no rule is found any more */
	expect_broken(ctx, "rule index");
	seccomp_release(ctx);

	/* a rule whose conditions are a prefix of another's, index and hashes kept right */
	ctx = sample();
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), 1, 1, SCMP_A0(SCMP_CMP_EQ, 6)),
	                 0);
	s = entry(ctx, 1);
	s->rules[2].cond[0].datum = 5;
	s->first_key[2] = sg_rule_first_key(&s->rules[2]);
	sg_rule_index_rebuild(s);
	expect_broken(ctx, "prefix of another rule's");
	seccomp_release(ctx);

	ctx = sample();
	entry(ctx, 3)->nr = -10000; /* a pseudo number stored instead of a real one */
	expect_broken(ctx, "negative syscall number");
	seccomp_release(ctx);

	ctx = sample();
	((struct sg_filter *)ctx)->optimize = 3;
	expect_broken(ctx, "optimization level");
	seccomp_release(ctx);
}
END_TEST

/* a damaged database is not compiled: the debug build aborts on it */
START_TEST(compile_aborts)
{
	scmp_filter_ctx ctx = sample();
	size_t len = 0;

	entry(ctx, 1)->rules[0].cond[1].datum |= 0x1;
	(void)seccomp_export_bpf_mem(ctx, NULL, &len);
}
END_TEST

/* ... and a rule add that rewrites an entry checks all of it */
START_TEST(rule_add_aborts)
{
	scmp_filter_ctx ctx = sample();

	entry(ctx, 1)->rules[1].cond[0].datum = 0x100000000ull;
	/* a prefix of rule 0 with its action: rule 0 is dropped, the entry rewritten */
	(void)seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), 1, 1, SCMP_A0(SCMP_CMP_EQ, 5));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("invariants");
	TCase *tc = tcase_create("invariants");

	tcase_add_test(tc, each_invariant);
	tcase_add_test_raise_signal(tc, compile_aborts, SIGABRT);
	tcase_add_test_raise_signal(tc, rule_add_aborts, SIGABRT);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}

#else

int main(void)
{
	printf("SKIP: the invariant checks exist only in a debug build (./configure "
	       "--enable-debug; tests/run-all.sh runs this test in one)\n");
	return 77;
}

#endif
