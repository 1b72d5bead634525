/*
 * test_ladder.c - overlapping conditional rules: a more specific rule wins over the rules
 * containing it, otherwise the most restrictive action (ir.h).
 *
 *  - the set algebra of ir_order.h against brute force: every pair of conditions on 5-bit
 *    values (2-bit "low word"), random pairs on 7-bit values, random rules on two 3-bit
 *    arguments, and 64-bit edge cases;
 *  - libseccomp's errno ladders (ladders.h) and their mirror images, on 64- and 32-bit ABIs of
 *    both byte orders, rules added in both orders: the intended verdict from the IR and from
 *    the compiled program;
 *  - a precedence cycle (no first-match order exists): the compiler's dominator tests;
 *  - random rule sets against a brute-force model of the definition (which is exact for
 *    datums and masks below 16 on argument values 0..31, see random_sets), the IR and the
 *    program; the share of sets with a precedence cycle is printed and must not be zero;
 *  - the plan's bound on huge rule counts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <errno.h>

#include <seccomp.h>

#include "ir_order.h"
#include "ladders.h"
#include "testcheck.h"

#define NR_TEST 1000 /* unassigned on every ABI the tests use */

/* under valgrind (tests/valgrind.sh) the brute-force loops run on a sample */
static int scale(int n)
{
	return getenv("SYSGATE_UNDER_VALGRIND") ? n / 50 + 1 : n;
}

/*
 * the algebra against brute force
 */

/* a condition's truth for v at width W: sg_cond_match() at any width (written again: an
 * oracle should not share the code it checks) */
static bool match_w(const struct sg_width *W, const struct sg_cond *c, uint64_t v)
{
	uint64_t u = c->low32 ? v & W->low : v;

	switch (c->op) {
	case SCMP_CMP_NE:
		return u != c->datum;
	case SCMP_CMP_LT:
		return u < c->datum;
	case SCMP_CMP_LE:
		return u <= c->datum;
	case SCMP_CMP_EQ:
		return u == c->datum;
	case SCMP_CMP_GE:
		return u >= c->datum;
	case SCMP_CMP_GT:
		return u > c->datum;
	default:
		return (u & c->mask) == c->datum;
	}
}

typedef unsigned __int128 bits128;

/* the set of a condition over [0, W->full] (at most 128 values) as a bitmap */
static bits128 cond_bits(const struct sg_width *W, const struct sg_cond *c)
{
	bits128 b = 0;
	for (uint64_t v = 0; v <= W->full; v++)
		if (match_w(W, c, v))
			b |= (bits128)1 << v;
	return b;
}

/* every condition at width W: ops, low32, datums, and all masks for MASKED_EQ */
static size_t all_conds(const struct sg_width *W, struct sg_cond *out, size_t max)
{
	size_t n = 0;
	for (int op = SCMP_CMP_NE; op <= SCMP_CMP_MASKED_EQ; op++)
		for (int low = 0; low < 2; low++)
			for (uint64_t d = 0; d <= W->full; d++)
				for (uint64_t m = 0; m <= (op == SCMP_CMP_MASKED_EQ ? W->full : 0);
				     m++) {
					if (n >= max)
						ck_abort_msg("more than %zu conditions", max);
					out[n++] = (struct sg_cond){
					    .arg = 0,
					    .op = (uint8_t)op,
					    .low32 = low,
					    .mask = op == SCMP_CMP_MASKED_EQ ? m : UINT64_MAX,
					    .datum = d};
				}
	return n;
}

static void check_pair(const struct sg_width *W, const struct sg_cond *a, const struct sg_vset *va,
                       bits128 ba, const struct sg_cond *b, const struct sg_vset *vb, bits128 bb)
{
	bool overlap = (ba & bb) != 0, subset = (ba & ~bb) == 0;
	if (sg_vset_overlap(W, va, vb) != overlap || sg_vset_subset(W, va, vb) != subset)
		ck_abort_msg("width 0x%" PRIx64 "/0x%" PRIx64 ": op %u low %d mask 0x%" PRIx64
		             " datum 0x%" PRIx64 " vs op %u low %d mask 0x%" PRIx64
		             " datum 0x%" PRIx64 ": overlap %d (want %d), subset %d (want %d)",
		             W->full, W->low, a->op, a->low32, a->mask, a->datum, b->op, b->low32,
		             b->mask, b->datum, sg_vset_overlap(W, va, vb), overlap,
		             sg_vset_subset(W, va, vb), subset);
}

START_TEST(algebra_exhaustive)
{
	/* 5-bit values, the low32 word is 2 bits: every pair of conditions */
	const struct sg_width W = {0x1f, 0x3};
	static struct sg_cond c[4096];
	static struct sg_vset v[4096];
	static bits128 b[4096];
	size_t n = all_conds(&W, c, 4096);

	for (size_t i = 0; i < n; i++) {
		sg_vset_of_cond(&W, &c[i], &v[i]);
		b[i] = cond_bits(&W, &c[i]);
	}
	size_t step = (size_t)(n / (size_t)scale((int)n));
	for (size_t i = 0; i < n; i += step)
		for (size_t j = 0; j < n; j++)
			check_pair(&W, &c[i], &v[i], b[i], &c[j], &v[j], b[j]);
	printf("algebra_exhaustive: %zu conditions, %zu pairs\n", n, (n + step - 1) / step * n);
}
END_TEST

START_TEST(algebra_sampled)
{
	/* 7-bit values, 3-bit low word: random pairs */
	const struct sg_width W = {0x7f, 0x7};
	static struct sg_cond c[40000];
	size_t n = all_conds(&W, c, 40000);
	struct tu_rng r = {tu_seed("algebra_sampled")};

	for (int k = 0; k < scale(400000); k++) {
		const struct sg_cond *a = &c[tu_below(&r, n)], *b = &c[tu_below(&r, n)];
		struct sg_vset va, vb;
		sg_vset_of_cond(&W, a, &va);
		sg_vset_of_cond(&W, b, &vb);
		check_pair(&W, a, &va, cond_bits(&W, a), b, &vb, cond_bits(&W, b));
	}
}
END_TEST

START_TEST(algebra_64bit)
{
	/* the production width's edges: bit 63, the word boundary, whole-range intervals */
	const struct sg_width *W = &sg_width64;
	struct {
		struct sg_cond a, b;
		bool overlap, subset;
	} t[] = {
	    /* everything vs the top bit */
	    {{0, SCMP_CMP_GE, false, UINT64_MAX, 0},
	     {0, SCMP_CMP_MASKED_EQ, false, 1ull << 63, 0},
	     true,
	     false},
	    {{0, SCMP_CMP_GE, false, UINT64_MAX, 1ull << 63},
	     {0, SCMP_CMP_MASKED_EQ, false, 1ull << 63, 1ull << 63},
	     true,
	     true},
	    {{0, SCMP_CMP_GT, false, UINT64_MAX, (1ull << 63) - 1},
	     {0, SCMP_CMP_MASKED_EQ, false, 1ull << 63, 1ull << 63},
	     true,
	     true},
	    {{0, SCMP_CMP_GE, false, UINT64_MAX, (1ull << 63) - 1},
	     {0, SCMP_CMP_MASKED_EQ, false, 1ull << 63, 1ull << 63},
	     true,
	     false},
	    /* a low32 set meets every 64-bit interval of 2^32 values */
	    {{0, SCMP_CMP_EQ, true, UINT64_MAX, 5},
	     {0, SCMP_CMP_LT, false, UINT64_MAX, 0x100000000ull},
	     true,
	     false},
	    {{0, SCMP_CMP_EQ, false, UINT64_MAX, 0x100000005ull},
	     {0, SCMP_CMP_EQ, true, UINT64_MAX, 5},
	     true,
	     true},
	    {{0, SCMP_CMP_GT, false, UINT64_MAX, 0xfffffffffffffff0ull},
	     {0, SCMP_CMP_LT, true, UINT64_MAX, 0xfffffff0u},
	     false,
	     false},
	    {{0, SCMP_CMP_GE, false, UINT64_MAX, 0xfffffffffffffff0ull},
	     {0, SCMP_CMP_GE, true, UINT64_MAX, 0xfffffff0u},
	     true,
	     true},
	    /* a low32 condition is never inside a 64-bit interval short of everything */
	    {{0, SCMP_CMP_LE, true, UINT64_MAX, 3},
	     {0, SCMP_CMP_LT, false, UINT64_MAX, 0xffffffff00000002ull},
	     true,
	     false},
	    {{0, SCMP_CMP_LE, true, UINT64_MAX, 3},
	     {0, SCMP_CMP_LT, false, UINT64_MAX, UINT64_MAX},
	     true,
	     true},
	    /* a datum above the low word: LT/LE hold for every low word */
	    {{0, SCMP_CMP_GE, false, UINT64_MAX, 0},
	     {0, SCMP_CMP_LT, true, UINT64_MAX, 1ull << 40},
	     true,
	     true},
	    {{0, SCMP_CMP_NE, false, UINT64_MAX, 7},
	     {0, SCMP_CMP_NE, false, UINT64_MAX, 8},
	     true,
	     false},
	    {{0, SCMP_CMP_MASKED_EQ, false, 1, 1},
	     {0, SCMP_CMP_NE, false, UINT64_MAX, 6},
	     true,
	     true},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct sg_vset a, b;
		sg_vset_of_cond(W, &t[i].a, &a);
		sg_vset_of_cond(W, &t[i].b, &b);
		ck_assert_msg(sg_vset_overlap(W, &a, &b) == t[i].overlap, "case %zu: overlap", i);
		ck_assert_msg(sg_vset_overlap(W, &b, &a) == t[i].overlap, "case %zu: overlap", i);
		ck_assert_msg(sg_vset_subset(W, &a, &b) == t[i].subset, "case %zu: subset", i);
	}
}
END_TEST

/* a random rule on arguments 0 and 1 at width W */
static void random_rule(struct tu_rng *r, const struct sg_width *W, struct sg_rule *ru)
{
	memset(ru, 0, sizeof(*ru));
	for (uint8_t arg = 0; arg < 2; arg++) {
		if (tu_below(r, 3) == 0)
			continue;
		struct sg_cond *c = &ru->cond[ru->ncond++];
		c->arg = arg;
		c->op = (uint8_t)(SCMP_CMP_NE + tu_below(r, 7));
		c->low32 = tu_below(r, 3) == 0;
		c->mask = c->op == SCMP_CMP_MASKED_EQ ? tu_below(r, W->full + 1) : UINT64_MAX;
		c->datum = tu_below(r, W->full + 1);
		if (c->op == SCMP_CMP_MASKED_EQ && tu_below(r, 2))
			c->datum &= c->mask;
	}
}

/* a rule's set over two arguments of width W (at most 8 x 8 values) */
static uint64_t rule_bits(const struct sg_width *W, const struct sg_rule *ru)
{
	uint64_t b = 0;
	for (uint64_t x = 0; x <= W->full; x++)
		for (uint64_t y = 0; y <= W->full; y++) {
			bool m = true;
			for (unsigned int i = 0; i < ru->ncond; i++)
				m = m && match_w(W, &ru->cond[i], ru->cond[i].arg ? y : x);
			if (m)
				b |= 1ull << (x * (W->full + 1) + y);
		}
	return b;
}

START_TEST(rules_brute_force)
{
	const struct sg_width W = {0x7, 0x3};
	struct tu_rng r = {tu_seed("rules_brute_force")};

	for (int k = 0; k < scale(200000); k++) {
		struct sg_rule a, b;
		random_rule(&r, &W, &a);
		random_rule(&r, &W, &b);
		uint64_t ba = rule_bits(&W, &a), bb = rule_bits(&W, &b);
		/* plain tests in the hot loops: each ck_assert writes to Check's pipe */
		if (sg_rule_empty_w(&W, &a) != (ba == 0) ||
		    sg_rule_overlap_w(&W, &a, &b) != ((ba & bb) != 0) ||
		    sg_rule_subset_w(&W, &a, &b) != ((ba & ~bb) == 0))
			ck_abort_msg(
			    "rules %d: empty %d overlap %d subset %d, brute force %d %d %d", k,
			    sg_rule_empty_w(&W, &a), sg_rule_overlap_w(&W, &a, &b),
			    sg_rule_subset_w(&W, &a, &b), ba == 0, (ba & bb) != 0, (ba & ~bb) == 0);
	}
}
END_TEST

/*
 * verdicts from the IR and the program
 */

static struct sg_filter *F(scmp_filter_ctx ctx)
{
	return (struct sg_filter *)ctx;
}

/* the IR's verdict, checked to be the program's */
static uint32_t verdict(scmp_filter_ctx ctx, const struct sg_program *p, uint32_t arch, int nr,
                        const uint64_t a[6])
{
	struct sg_filter *f = F(ctx);
	struct seccomp_data d = {.nr = nr, .arch = arch};

	memcpy(d.args, a, sizeof(d.args));
	uint32_t ir = sg_ir_eval(f, &d), prog = tu_run(f, p, &d);
	if (ir != prog)
		ck_abort_msg("arch 0x%x nr %d: IR 0x%08x, program 0x%08x", arch, nr, ir, prog);
	return ir;
}

START_TEST(ladders)
{
	/* 64-bit LE, 32-bit LE, 64-bit BE, 32-bit BE, and the native one */
	static const uint32_t tokens[] = {SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_ARM,
	                                  SCMP_ARCH_S390X,  SCMP_ARCH_PPC, SCMP_ARCH_AARCH64};
	const uint32_t def = SCMP_ACT_ERRNO(99);
	uint64_t vals[64];
	unsigned int nv = ladder_values(vals, 64);
	long checked = 0;

	for (size_t t = 0; t < sizeof(tokens) / sizeof(tokens[0]); t++) {
		bool abi32 = tokens[t] == SCMP_ARCH_X86 || tokens[t] == SCMP_ARCH_ARM ||
		             tokens[t] == SCMP_ARCH_PPC;
		for (int kind = 0; kind < LADDER_KINDS; kind++) {
			const char *call = kind < LADDER_LT ? "read" : "write";
			for (int reverse = 0; reverse < 2; reverse++) {
				struct ladder_rule r[LADDER_RUNGS];
				scmp_filter_ctx ctx = seccomp_init(def);
				if (seccomp_arch_native() != tokens[t]) {
					ck_assert_int_eq(seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE),
					                 0);
					ck_assert_int_eq(seccomp_arch_add(ctx, tokens[t]), 0);
				}
				ladder_rules((enum ladder_kind)kind, 2, r);
				for (int i = 0; i < LADDER_RUNGS; i++) {
					int k = reverse ? LADDER_RUNGS - 1 - i : i;
					ck_assert_int_eq(seccomp_rule_add_array(
					                     ctx, r[k].action,
					                     seccomp_syscall_resolve_name(call), 1,
					                     &r[k].cmp),
					                 0);
				}
				struct sg_program *p = tu_compile(F(ctx));
				int nr = seccomp_syscall_resolve_name_arch(tokens[t], call);
				for (unsigned int i = 0; i < nv; i++) {
					uint64_t a[6] = {0, 0, vals[i], 0, 0, 0};
					uint64_t seen = abi32 ? vals[i] & 0xffffffffu : vals[i];
					uint32_t want =
					    ladder_expect((enum ladder_kind)kind, seen, def);
					uint32_t got = verdict(ctx, p, tokens[t], nr, a);
					ck_assert_msg(got == want,
					              "arch 0x%x, %s ladder%s: A2 = 0x%" PRIx64
					              ": 0x%08x, intended 0x%08x",
					              tokens[t], ladder_names[kind],
					              reverse ? " (added in reverse)" : "", vals[i],
					              got, want);
					checked++;
				}
				sg_program_free(p);
				seccomp_release(ctx);
			}
		}
	}
	/* the examples, spelled out */
	ck_assert_uint_eq(ladder_expect(LADDER_GT, 257, def), SCMP_ACT_ERRNO(6));
	ck_assert_uint_eq(ladder_expect(LADDER_GT, 16385, def), SCMP_ACT_ERRNO(12));
	ck_assert_uint_eq(ladder_expect(LADDER_GT, 100, def), def);
	ck_assert_uint_eq(ladder_expect(LADDER_LT, 65, def), SCMP_ACT_ERRNO(5));
	ck_assert_uint_eq(ladder_expect(LADDER_LT, 128, def), SCMP_ACT_ERRNO(6));
	ck_assert_uint_eq(ladder_expect(LADDER_LT, 16384, def), def);
	printf("ladders: %ld verdicts (6 ABIs, 4 ladders, both add orders), IR = program = "
	       "intended\n",
	       checked);
}
END_TEST

START_TEST(ladder_low32_beside_64bit)
{
	/* a 32-bit rung inside a 64-bit one (SCMP_CMP_32BIT on x86_64): a value whose low word
	 * is small but whose high word is not matches only the 64-bit rule */
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	uint32_t arch = seccomp_arch_native();
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(5), NR_TEST, 1,
	                                  SCMP_A0(SCMP_CMP_LT | SCMP_CMP_32BIT, 100)),
	                 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(6), NR_TEST, 1,
	                                  SCMP_A0(SCMP_CMP_LT | SCMP_CMP_32BIT, 10)),
	                 0);
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(7), NR_TEST, 1, SCMP_A1(SCMP_CMP_LT, 1000)), 0);
	struct sg_program *p = tu_compile(F(ctx));
	/* A0 < 10 (32 bits) is inside A0 < 100 (32 bits): ERRNO(6) */
	ck_assert_uint_eq(verdict(ctx, p, arch, NR_TEST, (uint64_t[6]){5, 5000}),
	                  SCMP_ACT_ERRNO(6));
	ck_assert_uint_eq(verdict(ctx, p, arch, NR_TEST, (uint64_t[6]){0x100000005ull, 5000}),
	                  SCMP_ACT_ERRNO(6));
	ck_assert_uint_eq(verdict(ctx, p, arch, NR_TEST, (uint64_t[6]){50, 5000}),
	                  SCMP_ACT_ERRNO(5));
	/* rules on different arguments are incomparable: the most restrictive */
	ck_assert_uint_eq(verdict(ctx, p, arch, NR_TEST, (uint64_t[6]){5, 5}), SCMP_ACT_ERRNO(6));
	ck_assert_uint_eq(verdict(ctx, p, arch, NR_TEST, (uint64_t[6]){50, 5}), SCMP_ACT_ERRNO(5));
	ck_assert_uint_eq(verdict(ctx, p, arch, NR_TEST, (uint64_t[6]){500, 5}), SCMP_ACT_ERRNO(7));
	sg_program_free(p);
	seccomp_release(ctx);
}
END_TEST

START_TEST(nested_across_arguments)
{
	/* A0 == 1 && A1 == 2 is inside A1 == 2 (libseccomp's prefix rule does not apply: the
	 * chains start on different arguments) */
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	uint32_t arch = seccomp_arch_native();
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, NR_TEST, 1, SCMP_A1(SCMP_CMP_EQ, 2)), 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_LOG, NR_TEST, 2, SCMP_A0(SCMP_CMP_EQ, 1),
	                                  SCMP_A1(SCMP_CMP_EQ, 2)),
	                 0);
	struct sg_program *p = tu_compile(F(ctx));
	ck_assert_uint_eq(verdict(ctx, p, arch, NR_TEST, (uint64_t[6]){1, 2}), SCMP_ACT_LOG);
	ck_assert_uint_eq(verdict(ctx, p, arch, NR_TEST, (uint64_t[6]){0, 2}),
	                  SCMP_ACT_KILL_PROCESS);
	ck_assert_uint_eq(verdict(ctx, p, arch, NR_TEST, (uint64_t[6]){1, 3}), SCMP_ACT_ALLOW);
	sg_program_free(p);
	seccomp_release(ctx);
}
END_TEST

START_TEST(equal_sets)
{
	/* A0 <= 9 and A0 < 10 are the same set: the most restrictive wins, in either order */
	for (int order = 0; order < 2; order++) {
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
		uint32_t arch = seccomp_arch_native();
		struct scmp_arg_cmp le = SCMP_A0(SCMP_CMP_LE, 9), lt = SCMP_A0(SCMP_CMP_LT, 10);
		ck_assert_int_eq(seccomp_rule_add_array(ctx,
		                                        order ? SCMP_ACT_ERRNO(3) : SCMP_ACT_LOG,
		                                        NR_TEST, 1, &le),
		                 0);
		ck_assert_int_eq(seccomp_rule_add_array(ctx,
		                                        order ? SCMP_ACT_LOG : SCMP_ACT_ERRNO(3),
		                                        NR_TEST, 1, &lt),
		                 0);
		struct sg_program *p = tu_compile(F(ctx));
		ck_assert_uint_eq(verdict(ctx, p, arch, NR_TEST, (uint64_t[6]){4}),
		                  SCMP_ACT_ERRNO(3));
		sg_program_free(p);
		seccomp_release(ctx);
	}
}
END_TEST

/* does the plan of the test syscall need dominator tests (a precedence cycle)? */
static bool plan_has_cycle(scmp_filter_ctx ctx)
{
	const struct sg_sysrules *s = sg_archdb_find(&F(ctx)->arch[0], NR_TEST);
	struct sg_rule_plan plan;
	bool cycle;

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(sg_ir_rule_plan(s, &plan), 0);
	cycle = plan.dom_off[plan.n] > 0;
	sg_rule_plan_free(&plan);
	return cycle;
}

START_TEST(precedence_cycle)
{
	/* ALLOW A0 <= 10 is inside ERRNO(1) A0 <= 100 (it goes first); ERRNO(1) and ERRNO(2)
	 * A0 >= 5 overlap (ERRNO(1) first); ERRNO(2) and ALLOW overlap on 5..10 (ERRNO(2)
	 * first): no order of the three rules works */
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL);
	uint32_t arch = seccomp_arch_native();
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, NR_TEST, 1, SCMP_A0(SCMP_CMP_LE, 10)), 0);
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), NR_TEST, 1, SCMP_A0(SCMP_CMP_LE, 100)), 0);
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), NR_TEST, 1, SCMP_A0(SCMP_CMP_GE, 5)), 0);
	ck_assert(plan_has_cycle(ctx));
	struct sg_program *p = tu_compile(F(ctx));
	static const struct {
		uint64_t v;
		uint32_t want;
	} t[] = {{0, SCMP_ACT_ALLOW},      {4, SCMP_ACT_ALLOW},
	         {5, SCMP_ACT_ERRNO(2)},   {10, SCMP_ACT_ERRNO(2)},
	         {11, SCMP_ACT_ERRNO(1)},  {100, SCMP_ACT_ERRNO(1)},
	         {101, SCMP_ACT_ERRNO(2)}, {UINT64_MAX, SCMP_ACT_ERRNO(2)}};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_uint_eq(verdict(ctx, p, arch, NR_TEST, (uint64_t[6]){t[i].v}), t[i].want);
	sg_program_free(p);
	/* the PFC text exports (and says where the dominator tests are) */
	FILE *tmp = tmpfile();
	ck_assert_ptr_nonnull(tmp);
	ck_assert_int_eq(seccomp_export_pfc(ctx, fileno(tmp)), 0);
	fclose(tmp);
	seccomp_release(ctx);
}
END_TEST

/*
 * Random rule sets. With datums and masks below 16 and no 32-bit comparisons, an argument
 * value v >= 16 satisfies exactly the conditions that 16 + (v & 15) does, so the values 0..31
 * of arguments 0 and 1 represent every input: the brute-force model below is the definition
 * itself, evaluated on all of them.
 */
static uint32_t model(const struct sg_sysrules *s, const uint64_t (*sets)[16], uint32_t x,
                      uint32_t def)
{
	uint32_t best = def;
	bool found = false;

	for (uint32_t i = 0; i < s->nrules; i++) {
		bool yields = false;
		if (!(sets[i][x / 64] >> (x % 64) & 1))
			continue;
		for (uint32_t j = 0; j < s->nrules && !yields; j++) {
			bool sub = true, sup = true, mj = sets[j][x / 64] >> (x % 64) & 1;
			for (int w = 0; w < 16; w++) {
				sub = sub && (sets[j][w] & ~sets[i][w]) == 0;
				sup = sup && (sets[i][w] & ~sets[j][w]) == 0;
			}
			yields = j != i && mj && sub && !sup;
		}
		if (!yields && (!found || sg_action_stronger(s->rules[i].action, best))) {
			best = s->rules[i].action;
			found = true;
		}
	}
	return best;
}

START_TEST(random_sets)
{
	static const uint32_t acts[] = {SCMP_ACT_ALLOW, SCMP_ACT_ERRNO(1), SCMP_ACT_ERRNO(2),
	                                SCMP_ACT_LOG, SCMP_ACT_TRAP};
	struct tu_rng r = {tu_seed("random_sets")};
	uint32_t arch = seccomp_arch_native();
	int policies = scale(1500), cycles = 0;
	long inputs = 0;

	for (int k = 0; k < policies; k++) {
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(99));
		int nrules = 2 + (int)tu_below(&r, 7);
		for (int i = 0; i < nrules; i++) {
			struct scmp_arg_cmp c[2];
			unsigned int n = 0;
			for (unsigned int arg = 0; arg < 2; arg++) {
				if (tu_below(&r, 3) == 0 && !(arg == 1 && n == 0))
					continue;
				c[n++] = (struct scmp_arg_cmp){
				    arg, (enum scmp_compare)(SCMP_CMP_NE + tu_below(&r, 7)),
				    tu_below(&r, 16), tu_below(&r, 16)};
			}
			(void)seccomp_rule_add_array(ctx, acts[tu_below(&r, 5)], NR_TEST, n, c);
		}
		const struct sg_sysrules *s = sg_archdb_find(&F(ctx)->arch[0], NR_TEST);
		if (!s || s->has_uncond || s->nrules == 0) {
			seccomp_release(ctx);
			continue;
		}
		static uint64_t sets[64][16];
		ck_assert_uint_le(s->nrules, 64);
		for (uint32_t i = 0; i < s->nrules; i++) {
			memset(sets[i], 0, sizeof(sets[i]));
			for (uint32_t x = 0; x < 1024; x++) {
				bool m = true;
				for (unsigned int c = 0; c < s->rules[i].ncond; c++) {
					const struct sg_cond *cd = &s->rules[i].cond[c];
					m = m && sg_cond_match(cd, cd->arg ? x % 32 : x / 32);
				}
				if (m)
					sets[i][x / 64] |= 1ull << (x % 64);
			}
		}
		cycles += plan_has_cycle(ctx);
		struct sg_program *p = tu_compile(F(ctx));
		for (uint32_t x = 0; x < 1024; x++) {
			uint32_t want =
			    model(s, (const uint64_t(*)[16])sets, x, SCMP_ACT_ERRNO(99));
			uint32_t got =
			    verdict(ctx, p, arch, NR_TEST, (uint64_t[6]){x / 32, x % 32});
			if (got != want)
				ck_abort_msg("policy %d, A0 %u A1 %u: 0x%08x, model 0x%08x", k,
				             x / 32, x % 32, got, want);
			inputs++;
		}
		sg_program_free(p);
		seccomp_release(ctx);
	}
	printf("random_sets: %d policies x 1024 inputs (%ld), %d with a precedence cycle: IR = "
	       "program = model\n",
	       policies, inputs, cycles);
	ck_assert_int_gt(cycles, 0);
}
END_TEST

START_TEST(plan_bound)
{
	/* more satisfiable rules than fit in a program, of several actions: refused, quickly;
	 * of one action (no ordering work) the plan is made */
	struct sg_sysrules s = {.nr = NR_TEST};
	struct sg_rule_plan plan;

	s.nrules = SG_PLAN_MAX_RULES + 1;
	s.rules = calloc(s.nrules, sizeof(*s.rules));
	ck_assert_ptr_nonnull(s.rules);
	for (uint32_t i = 0; i < s.nrules; i++)
		s.rules[i] = (struct sg_rule){
		    .action = SCMP_ACT_ERRNO(1),
		    .ncond = 1,
		    .cond = {{.op = SCMP_CMP_EQ, .mask = UINT64_MAX, .datum = (uint64_t)i}}};
	ck_assert_int_eq(sg_ir_rule_plan(&s, &plan), 0);
	ck_assert_uint_eq(plan.n, s.nrules);
	sg_rule_plan_free(&plan);
	s.rules[7].action = SCMP_ACT_ALLOW;
	ck_assert_int_eq(sg_ir_rule_plan(&s, &plan), -E2BIG);
	ck_assert_ptr_null(plan.rule);
	/* ... unless the excess rules can never match (A0 < 0) */
	s.rules[0].cond[0].op = SCMP_CMP_LT;
	s.rules[0].cond[0].datum = 0;
	ck_assert_int_eq(sg_ir_rule_plan(&s, &plan), 0);
	ck_assert_uint_eq(plan.n, SG_PLAN_MAX_RULES);
	sg_rule_plan_free(&plan);
	free(s.rules);
}
END_TEST

START_TEST(too_many_rules_api)
{
	/* through the API: export and load fail with libseccomp's -EFAULT, PFC still prints */
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	size_t len = 0;
	FILE *tmp = tmpfile();

	for (int i = 0; i <= SG_PLAN_MAX_RULES; i++)
		ck_assert_int_eq(seccomp_rule_add(ctx,
		                                  i % 2 ? SCMP_ACT_ERRNO(1) : SCMP_ACT_ERRNO(2),
		                                  NR_TEST, 1, SCMP_A0(SCMP_CMP_NE, (uint64_t)i)),
		                 0);
	ck_assert_int_eq(seccomp_export_bpf_mem(ctx, NULL, &len), -EFAULT);
	ck_assert_int_eq(seccomp_precompute(ctx), -EFAULT);
	ck_assert_ptr_nonnull(tmp);
	ck_assert_int_eq(seccomp_export_pfc(ctx, fileno(tmp)), 0);
	fclose(tmp);
	seccomp_release(ctx);
}
END_TEST

START_TEST(pfc_chains_bounded)
{
	/* ERRNO(1) A0 <= 1000 has five dominators of six comparisons each (a precedence cycle
	 * with ERRNO(2) A0 >= 5): the PFC would print 6^5 chains for it; it stops at a budget
	 * and says so */
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL);
	uint32_t arch = seccomp_arch_native();
	FILE *tmp = tmpfile();
	char line[256];
	bool cut = false;
	long lines = 0;

	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), NR_TEST, 1, SCMP_A0(SCMP_CMP_LE, 1000)), 0);
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), NR_TEST, 1, SCMP_A0(SCMP_CMP_GE, 5)), 0);
	for (uint64_t t = 1; t <= 5; t++)
		ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_LOG, NR_TEST, 6,
		                                  SCMP_A0(SCMP_CMP_LE, 10), SCMP_A1(SCMP_CMP_EQ, t),
		                                  SCMP_A2(SCMP_CMP_EQ, t), SCMP_A3(SCMP_CMP_EQ, t),
		                                  SCMP_A4(SCMP_CMP_EQ, t), SCMP_A5(SCMP_CMP_EQ, t)),
		                 0);
	ck_assert(plan_has_cycle(ctx));
	struct sg_program *p = tu_compile(F(ctx));
	ck_assert_uint_eq(verdict(ctx, p, arch, NR_TEST, (uint64_t[6]){7, 3, 3, 3, 3, 3}),
	                  SCMP_ACT_ERRNO(2));
	ck_assert_uint_eq(verdict(ctx, p, arch, NR_TEST, (uint64_t[6]){2, 3, 3, 3, 3, 3}),
	                  SCMP_ACT_LOG);
	ck_assert_uint_eq(verdict(ctx, p, arch, NR_TEST, (uint64_t[6]){2, 3, 3, 3, 3, 4}),
	                  SCMP_ACT_ERRNO(1));
	sg_program_free(p);
	ck_assert_ptr_nonnull(tmp);
	ck_assert_int_eq(seccomp_export_pfc(ctx, fileno(tmp)), 0);
	rewind(tmp);
	while (fgets(line, sizeof(line), tmp)) {
		cut |= strstr(line, "too many to print") != NULL;
		lines++;
	}
	fclose(tmp);
	printf("pfc_chains_bounded: %ld lines of PFC\n", lines);
	ck_assert(cut);
	seccomp_release(ctx);
}
END_TEST

int main(void)
{
	tu_api_level_from_env();
	Suite *s = suite_create("ladder");
	TCase *tc = tcase_create("ladder");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, algebra_exhaustive);
	tcase_add_test(tc, algebra_sampled);
	tcase_add_test(tc, algebra_64bit);
	tcase_add_test(tc, rules_brute_force);
	tcase_add_test(tc, ladders);
	tcase_add_test(tc, ladder_low32_beside_64bit);
	tcase_add_test(tc, nested_across_arguments);
	tcase_add_test(tc, equal_sets);
	tcase_add_test(tc, precedence_cycle);
	tcase_add_test(tc, random_sets);
	tcase_add_test(tc, plan_bound);
	tcase_add_test(tc, too_many_rules_api);
	tcase_add_test(tc, pfc_chains_bounded);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
