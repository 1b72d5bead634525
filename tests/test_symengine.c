/*
 * test_symengine.c - the symbolic engine (src/bpf_sym.c) against the interpreter (src/bpf.c)
 * and against brute force:
 *  - the word solver: random conjunctions of atoms on bit forms over a word whose free bits
 *    are few (the rest fixed by the atoms), compared with enumeration of every value;
 *  - exploration: for random programs (random policies compiled by sysgate, and random
 *    straight-line ALU / scratch-memory / X programs), every exact path's witness replayed in
 *    sg_bpf_run() takes the path's action, and the paths cover random inputs;
 *  - equivalence: a program against itself is proven equal; a copy with one RET changed is
 *    not (negative control), and the witness separates the two in the interpreter.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <string.h>

#include <seccomp.h>

#include "bpf_sym.h"
#include "testcheck.h"
#include "tv.h"

/* ---- the solver against enumeration ---- */

static struct sg_sym_atom random_atom(struct tu_rng *r, uint32_t fixed_mask)
{
	struct sg_sym_atom a;
	int s = (int)tu_below(r, 5) - 2;

	memset(&a, 0, sizeof(a));
	a.f.word = 0;
	a.f.shift = (int8_t)(tu_below(r, 2) ? 0 : s);
	a.f.mask = tu_below(r, 3) ? UINT32_MAX : (uint32_t)tu_next(r);
	a.f.xor = tu_below(r, 3) ? 0 : (uint32_t)tu_next(r);
	if (a.f.shift > 0)
		a.f.mask &= UINT32_MAX >> a.f.shift;
	else if (a.f.shift < 0)
		a.f.mask &= UINT32_MAX << -a.f.shift;
	a.kind = (uint8_t)tu_below(r, 4);
	a.lo = (uint32_t)tu_next(r) & ~fixed_mask;
	a.hi = a.lo | (uint32_t)tu_below(r, 64);
	if (a.kind == SG_SYM_RANGE && tu_below(r, 2))
		a.hi = UINT32_MAX;
	if (a.kind >= SG_SYM_ANY)
		a.lo = (uint32_t)tu_next(r) & (uint32_t)tu_next(r);
	return a;
}

START_TEST(solver_vs_enumeration)
{
	struct tu_rng r = {tu_seed("symengine_solver")};
	long sat = 0, unsat = 0;

	for (int it = 0; it < 3000; it++) {
		/* 10 free bits; the other 22 pinned by a NONE atom (zeros) */
		uint32_t free_bits = 0;
		struct sg_sym_atom atoms[8];
		size_t n = 1 + tu_below(&r, 6);
		uint32_t v = 0, count = 0, least = 0;
		int rc;

		while (__builtin_popcount(free_bits) < 10)
			free_bits |= 1u << tu_below(&r, 32);
		atoms[0] = sg_sym_word_atom(0, SG_SYM_NONE, ~free_bits, 0);
		for (size_t i = 1; i <= n; i++)
			atoms[i] = random_atom(&r, 0);
		/* every value with only free bits set, in increasing order */
		for (uint32_t sub = free_bits;; sub = (sub - 1) & free_bits) {
			bool ok = true;

			for (size_t i = 0; i <= n && ok; i++)
				ok = sg_sym_atom_holds(&atoms[i], sub);
			if (ok) {
				count++;
				least = sub;
			}
			if (sub == 0)
				break;
		}
		rc = sg_sym_solve_word(atoms, n + 1, 0, &v);
		ck_assert_msg(rc == (count ? 1 : 0), "iteration %d: solver %d, enumeration %u", it,
		              rc, count);
		if (count) {
			ck_assert_uint_eq(v, least); /* the least solution */
			sat++;
		} else {
			unsat++;
		}
	}
	printf("solver_vs_enumeration: %ld satisfiable, %ld unsatisfiable, all agree\n", sat,
	       unsat);
}
END_TEST

/* ---- exploration against the interpreter ---- */

struct replay {
	const struct sock_filter *prog;
	size_t len;
	long exact, inexact;
	size_t reached_ret; /* a RET some exact path ends at */
};

static int replay_leaf(void *ctx, const struct sg_sym_path *p)
{
	struct replay *rp = ctx;
	struct seccomp_data d;

	if (!p->exact) {
		rp->inexact++;
		return 0;
	}
	sg_sym_words_to_data(p->witness, false, &d);
	ck_assert_uint_eq(sg_bpf_run(rp->prog, rp->len, &d, false, NULL), p->action[0]);
	for (size_t i = 0; i < p->natoms; i++)
		ck_assert(sg_sym_atom_holds(&p->atoms[i], p->witness[p->atoms[i].f.word]));
	rp->exact++;
	rp->reached_ret = p->ret_pc[0];
	return 0;
}

static void check_program(const struct sock_filter *prog, size_t len, long *exact, long *inexact)
{
	const struct sock_filter *progs[1] = {prog};
	struct replay rp = {prog, len, 0, 0, 0};
	struct sg_sym_stats st;
	uint32_t w[SG_SYM_WORDS];
	struct sock_filter *mut;

	ck_assert_int_eq(sg_sym_explore(progs, &len, 1, NULL, 0, 0, replay_leaf, &rp, &st), 0);
	ck_assert(st.paths > 0);
	*exact += rp.exact;
	*inexact += rp.inexact;
	if (rp.inexact)
		return;
	ck_assert_int_eq(sg_sym_equiv(prog, len, prog, len, 0, w), 1);
	/* negative control: change the value of a RET that a path reaches */
	mut = malloc(len * sizeof(*mut));
	ck_assert_ptr_nonnull(mut);
	memcpy(mut, prog, len * sizeof(*mut));
	if (mut[rp.reached_ret].code == (BPF_RET | BPF_K)) {
		mut[rp.reached_ret].k ^= 0x10000; /* a different action */
		struct seccomp_data d;
		int eq = sg_sym_equiv(prog, len, mut, len, 0, w);

		ck_assert_int_eq(eq, 0);
		sg_sym_words_to_data(w, false, &d);
		ck_assert_uint_ne(sg_bpf_run(prog, len, &d, false, NULL),
		                  sg_bpf_run(mut, len, &d, false, NULL));
	}
	free(mut);
}

START_TEST(compiled_policies_replay)
{
	struct tu_rng r = {tu_seed("symengine_policies")};
	long exact = 0, inexact = 0;

	for (int it = 0; it < 60; it++) {
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(1));
		struct sg_program *p;

		ck_assert_ptr_nonnull(ctx);
		for (int i = 0; i < 1 + (int)tu_below(&r, 12); i++) {
			struct scmp_arg_cmp c = {(unsigned int)tu_below(&r, 6),
			                         (enum scmp_compare)(1 + tu_below(&r, 7)),
			                         tu_value(&r), tu_value(&r)};
			(void)seccomp_rule_add_array(
			    ctx, tu_below(&r, 2) ? SCMP_ACT_ALLOW : SCMP_ACT_TRAP,
			    (int)tu_below(&r, 8), tu_below(&r, 2), &c);
		}
		p = tu_compile((struct sg_filter *)ctx);
		check_program(p->insns, p->len, &exact, &inexact);
		sg_program_free(p);
		seccomp_release(ctx);
	}
	ck_assert_int_eq(inexact, 0); /* compiled programs are always exact */
	printf("compiled_policies_replay: %ld exact paths replayed\n", exact);
}
END_TEST

/* random programs: loads, ALU with constants and X, scratch memory, compares, returns */
static size_t random_program(struct tu_rng *r, struct sock_filter *p, size_t max)
{
	static const uint16_t alu[] = {BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_AND,
	                               BPF_OR,  BPF_XOR, BPF_LSH, BPF_RSH};
	static const uint16_t jmp[] = {BPF_JEQ, BPF_JGE, BPF_JGT, BPF_JSET};
	size_t n = 0, body = 4 + tu_below(r, max - 8);
	bool stored = false;

	while (n < body) {
		size_t left = body - n;
		uint32_t k = tu_below(r, 2) ? (uint32_t)tu_below(r, 40) : (uint32_t)tu_next(r);

		switch (tu_below(r, 9)) {
		case 0:
		case 1:
			p[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			                                      4 * (uint32_t)tu_below(r, 16));
			break;
		case 2: {
			uint16_t op = alu[tu_below(r, 9)];
			bool x = tu_below(r, 4) == 0;

			if (!x && (op == BPF_LSH || op == BPF_RSH))
				k &= 31;
			if (!x && op == BPF_DIV && k == 0)
				k = 1u << tu_below(r, 4);
			if (!x && op == BPF_MUL && tu_below(r, 2))
				k = 1u << tu_below(r, 8);
			p[n++] =
			    (struct sock_filter)BPF_STMT(BPF_ALU | op | (x ? BPF_X : BPF_K), k);
			break;
		}
		case 3:
			p[n++] = (struct sock_filter)BPF_STMT(
			    BPF_MISC | (tu_below(r, 2) ? BPF_TAX : BPF_TXA), 0);
			break;
		case 4:
			p[n++] = (struct sock_filter)BPF_STMT(BPF_ST, 3);
			stored = true;
			break;
		case 5:
			if (stored)
				p[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_MEM, 3);
			break;
		default:
			if (left < 3)
				break;
			p[n] = (struct sock_filter)BPF_JUMP(
			    BPF_JMP | jmp[tu_below(r, 4)] | (tu_below(r, 6) ? BPF_K : BPF_X), k,
			    (uint8_t)tu_below(r, left - 1), (uint8_t)tu_below(r, left - 1));
			n++;
			break;
		}
	}
	/* every jump lands on one of these returns or before */
	p[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	p[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 5);
	p[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP);
	return n;
}

START_TEST(random_programs_replay)
{
	struct tu_rng r = {tu_seed("symengine_random")};
	struct sock_filter prog[64];
	long exact = 0, inexact = 0, programs = 0;

	for (int it = 0; it < 2000; it++) {
		size_t len = random_program(&r, prog, 40);

		if (sg_bpf_check(prog, len) != 0)
			continue;
		check_program(prog, len, &exact, &inexact);
		programs++;
	}
	ck_assert(exact > 0);
	printf("random_programs_replay: %ld programs, %ld exact paths replayed, %ld paths "
	       "marked inexact\n",
	       programs, exact, inexact);
}
END_TEST

#define LD(off)         BPF_STMT(BPF_LD | BPF_W | BPF_ABS, off)
#define ALU(op, k)      BPF_STMT(BPF_ALU | (op) | BPF_K, k)
#define JK(op, k, t, f) BPF_JUMP(BPF_JMP | (op) | BPF_K, k, t, f)
#define RET(k)          BPF_STMT(BPF_RET | BPF_K, k)
#define OFF_NR          0
#define OFF_A0          16 /* args[0], low word on little-endian ABIs */
#define OFF_A1          24
#define ALLOW           SECCOMP_RET_ALLOW
#define ERRNO           (SECCOMP_RET_ERRNO | 1)

/* a and b are proven equal, every path of a is exact, and b with its first RET ALLOW made
 * ERRNO(2) is proven different with a witness that replays */
static void known_equal(const struct sock_filter *a, size_t alen, const struct sock_filter *b,
                        size_t blen)
{
	const struct sock_filter *progs[1] = {a};
	struct sg_sym_stats st;
	uint32_t w[SG_SYM_WORDS];
	struct sock_filter mut[64];
	struct seccomp_data d;
	long exact = 0, inexact = 0;

	ck_assert_int_eq(sg_sym_explore(progs, &alen, 1, NULL, 0, 0, NULL, NULL, &st), 0);
	ck_assert(st.exact);
	check_program(a, alen, &exact, &inexact); /* every witness replays */
	ck_assert_int_eq(inexact, 0);
	ck_assert_int_eq(sg_sym_equiv(a, alen, b, blen, 0, w), 1);
	ck_assert_uint_le(blen, 64);
	memcpy(mut, b, blen * sizeof(*b));
	for (size_t i = 0; i < blen; i++)
		if (mut[i].code == (BPF_RET | BPF_K) && mut[i].k == ALLOW) {
			mut[i].k = SECCOMP_RET_ERRNO | 2;
			break;
		}
	ck_assert_int_eq(sg_sym_equiv(a, alen, mut, blen, 0, w), 0);
	sg_sym_words_to_data(w, false, &d);
	ck_assert_uint_ne(sg_bpf_run(a, alen, &d, false, NULL),
	                  sg_bpf_run(mut, blen, &d, false, NULL));
}

#define KNOWN_EQUAL(a, b) known_equal(a, sizeof(a) / sizeof(a[0]), b, sizeof(b) / sizeof(b[0]))

/* arithmetic the engine decides exactly: offsets (ADD, SUB, NEG, then left shifts) compared
 * with constants, compares between two data words when one takes few values, and RET A when A
 * takes few values */
START_TEST(exact_arithmetic)
{
	/* nr + 5 == 10: nr == 5 */
	const struct sock_filter add[] = {LD(OFF_NR), ALU(BPF_ADD, 5), JK(BPF_JEQ, 10, 0, 1),
	                                  RET(ALLOW), RET(ERRNO)};
	const struct sock_filter add_ref[] = {LD(OFF_NR), JK(BPF_JEQ, 5, 0, 1), RET(ALLOW),
	                                      RET(ERRNO)};
	/* nr - 5 >= 0xfffffff0 wraps: nr >= 0xfffffff5 or nr <= 4 */
	const struct sock_filter sub[] = {LD(OFF_NR), ALU(BPF_SUB, 5),
	                                  JK(BPF_JGE, 0xfffffff0, 0, 1), RET(ALLOW), RET(ERRNO)};
	const struct sock_filter sub_ref[] = {LD(OFF_NR), JK(BPF_JGE, 0xfffffff5, 1, 0),
	                                      JK(BPF_JGT, 4, 1, 0), RET(ALLOW), RET(ERRNO)};
	/* 7 > -a0: -a0 < 7, a0 in {0} or a0 >= 0xfffffffa */
	const struct sock_filter neg[] = {LD(OFF_A0),
	                                  BPF_STMT(BPF_ALU | BPF_NEG, 0),
	                                  BPF_STMT(BPF_MISC | BPF_TAX, 0),
	                                  BPF_STMT(BPF_LD | BPF_IMM, 7),
	                                  BPF_JUMP(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 1),
	                                  RET(ALLOW),
	                                  RET(ERRNO)};
	const struct sock_filter neg_ref[] = {LD(OFF_A0), JK(BPF_JEQ, 0, 2, 0),
	                                      JK(BPF_JGE, 0xfffffffa, 1, 0), RET(ERRNO),
	                                      RET(ALLOW)};
	/* (nr + 1) << 4 == 0x20: nr + 1 == 2 modulo 2^28 */
	const struct sock_filter lsh[] = {LD(OFF_NR),      ALU(BPF_ADD, 1),
	                                  ALU(BPF_LSH, 4), JK(BPF_JEQ, 0x20, 0, 1),
	                                  RET(ALLOW),      RET(ERRNO)};
	const struct sock_filter lsh_ref[] = {LD(OFF_NR), ALU(BPF_AND, 0x0fffffff),
	                                      JK(BPF_JEQ, 1, 0, 1), RET(ALLOW), RET(ERRNO)};
	/* a1 == a0 with a0 <= 3: four values tried one by one */
	const struct sock_filter dvd[] = {LD(OFF_A0),
	                                  JK(BPF_JGT, 3, 3, 0),
	                                  BPF_STMT(BPF_MISC | BPF_TAX, 0),
	                                  LD(OFF_A1),
	                                  BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 1, 2),
	                                  RET(SECCOMP_RET_KILL_PROCESS),
	                                  RET(ALLOW),
	                                  RET(ERRNO)};
	const struct sock_filter dvd_ref[] = {LD(OFF_A0),
	                                      JK(BPF_JGT, 3, 12, 0),
	                                      JK(BPF_JEQ, 0, 0, 2),
	                                      LD(OFF_A1),
	                                      JK(BPF_JEQ, 0, 10, 11),
	                                      JK(BPF_JEQ, 1, 0, 2),
	                                      LD(OFF_A1),
	                                      JK(BPF_JEQ, 1, 7, 8),
	                                      JK(BPF_JEQ, 2, 0, 2),
	                                      LD(OFF_A1),
	                                      JK(BPF_JEQ, 2, 4, 5),
	                                      LD(OFF_A1),
	                                      JK(BPF_JEQ, 3, 2, 3),
	                                      RET(ERRNO),
	                                      RET(SECCOMP_RET_KILL_PROCESS),
	                                      RET(ALLOW),
	                                      RET(ERRNO)};
	/* a0 against itself (through X): JGE always, JSET when a0 + 3 != 0 */
	const struct sock_filter self[] = {LD(OFF_A0),
	                                   ALU(BPF_ADD, 3),
	                                   BPF_STMT(BPF_MISC | BPF_TAX, 0),
	                                   BPF_JUMP(BPF_JMP | BPF_JGE | BPF_X, 0, 0, 2),
	                                   BPF_JUMP(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 1),
	                                   RET(ALLOW),
	                                   RET(ERRNO)};
	const struct sock_filter self_ref[] = {LD(OFF_A0), JK(BPF_JEQ, 0xfffffffd, 1, 0),
	                                       RET(ALLOW), RET(ERRNO)};

	/* RET A with a0 <= 2: three values tried one by one */
	const struct sock_filter reta[] = {LD(OFF_A0), JK(BPF_JGT, 2, 0, 1), RET(ALLOW),
	                                   BPF_STMT(BPF_RET | BPF_A, 0)};
	const struct sock_filter reta_ref[] = {LD(OFF_A0),
	                                       JK(BPF_JGT, 2, 3, 0),
	                                       JK(BPF_JEQ, 0, 3, 0),
	                                       JK(BPF_JEQ, 1, 3, 0),
	                                       RET(2),
	                                       RET(ALLOW),
	                                       RET(0),
	                                       RET(1)};

	KNOWN_EQUAL(reta, reta_ref);
	KNOWN_EQUAL(add, add_ref);
	KNOWN_EQUAL(sub, sub_ref);
	KNOWN_EQUAL(neg, neg_ref);
	KNOWN_EQUAL(lsh, lsh_ref);
	KNOWN_EQUAL(dvd, dvd_ref);
	KNOWN_EQUAL(self, self_ref);
}
END_TEST

/* what stays inexact, honestly: two words that both take many values, bits of an offset, and
 * RET A with A taking many values */
START_TEST(inexact_stays_marked)
{
	const struct sock_filter dvd[] = {LD(OFF_A0), BPF_STMT(BPF_MISC | BPF_TAX, 0),
	                                  LD(OFF_A1), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 1),
	                                  RET(ALLOW), RET(ERRNO)};
	const struct sock_filter bits[] = {LD(OFF_A0),         ALU(BPF_ADD, 1),
	                                   ALU(BPF_AND, 0xf0), JK(BPF_JEQ, 0x10, 0, 1),
	                                   RET(ALLOW),         RET(ERRNO)};
	const struct sock_filter reta[] = {LD(OFF_A0), BPF_STMT(BPF_RET | BPF_A, 0)};
	const struct sock_filter *progs[1];
	struct sg_sym_stats st;
	uint32_t w[SG_SYM_WORDS];
	size_t len;

	progs[0] = dvd;
	len = sizeof(dvd) / sizeof(dvd[0]);
	ck_assert_int_eq(sg_sym_explore(progs, &len, 1, NULL, 0, 0, NULL, NULL, &st), 0);
	ck_assert(!st.exact);
	ck_assert_int_eq(sg_sym_equiv(dvd, len, dvd, len, 0, w), -EAGAIN);
	progs[0] = bits;
	len = sizeof(bits) / sizeof(bits[0]);
	ck_assert_int_eq(sg_sym_explore(progs, &len, 1, NULL, 0, 0, NULL, NULL, &st), 0);
	ck_assert(!st.exact);
	progs[0] = reta;
	len = sizeof(reta) / sizeof(reta[0]);
	ck_assert_int_eq(sg_sym_explore(progs, &len, 1, NULL, 0, 0, NULL, NULL, &st), 0);
	ck_assert(!st.exact);
}
END_TEST

/* the hook of tests/tv.c: an export goes through it and is proven; a program that differs
 * from its filter's reference lowering is caught, with a witness that replays */
START_TEST(translation_validation_hook)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(1));
	unsigned long before = tv_proven();
	uint32_t w[SG_SYM_WORDS];
	struct seccomp_data d;
	struct sg_program *p, *mut;
	size_t len = 0;

	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 1, SCMP_A0(SCMP_CMP_GE, 3)), 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_TRAP, SCMP_SYS(write), 0), 0);
	ck_assert_int_eq(seccomp_export_bpf_mem(ctx, NULL, &len), 0);
	if (tv_enabled())
		ck_assert_uint_eq(tv_proven(), before + 1);
	p = tu_compile((struct sg_filter *)ctx);
	ck_assert_int_eq(tv_prove((struct sg_filter *)ctx, p, w), 1);
	/* negative control: every RET ALLOW of the program becomes ERRNO(2) */
	mut = malloc(sizeof(*mut) + p->len * sizeof(p->insns[0]));
	ck_assert_ptr_nonnull(mut);
	memcpy(mut, p, sizeof(*mut) + p->len * sizeof(p->insns[0]));
	for (size_t i = 0; i < mut->len; i++)
		if (mut->insns[i].code == (BPF_RET | BPF_K) && mut->insns[i].k == SCMP_ACT_ALLOW)
			mut->insns[i].k = SCMP_ACT_ERRNO(2);
	ck_assert_int_eq(tv_prove((struct sg_filter *)ctx, mut, w), 0);
	sg_sym_words_to_data(w, false, &d);
	ck_assert_uint_ne(sg_bpf_run(p->insns, p->len, &d, false, NULL),
	                  sg_bpf_run(mut->insns, mut->len, &d, false, NULL));
	free(mut);
	sg_program_free(p);
	seccomp_release(ctx);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("symengine");
	TCase *tc = tcase_create("engine");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, solver_vs_enumeration);
	tcase_add_test(tc, compiled_policies_replay);
	tcase_add_test(tc, random_programs_replay);
	tcase_add_test(tc, exact_arithmetic);
	tcase_add_test(tc, inexact_stays_marked);
	tcase_add_test(tc, translation_validation_hook);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
