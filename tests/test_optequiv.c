/*
 * test_optequiv.c - optimized == unoptimized == the IR.
 *
 * For random policies (every operator and action, several rules per syscall, priority hints,
 * single- and multi-ABI filters in both byte orders, merged contexts, long allow lists), the
 * programs compiled at SCMP_FLTATR_CTL_OPTIMIZE 1 and 2 are exported through the public API
 * and, with the internal lowering variants below, must:
 *  - pass the kernel's checker (sg_bpf_check);
 *  - agree with sg_ir_eval() on every input tried: every syscall number the policy names and
 *    its neighbours, every constant either program compares the syscall number with (+-1, so
 *    every edge of both dispatch trees is taken both ways), x32 and -1 numbers, foreign arch
 *    values, and argument vectors built from the rules' datums and the programs' own argument
 *    constants (+-1, with the other 32-bit word varied);
 *  - be const-allow (the kernel's action cache, sg_bpf_const_allow) for every (arch, nr) that
 *    the IR allows whatever the arguments (an unconditional ALLOW rule, or no rule and a
 *    default of ALLOW), and never const-allow where some input is not allowed.
 * Both levels must also give identical programs for identical contexts (determinism), and the
 * precomputed program must be the one exported.
 *
 * The same checks apply to internal lowering variants compiled with sg_compile_with(): the
 * reference lowering (plain halving, no exception leaves, no bytecode passes) and one variant
 * per optimization switched on alone; a variant that does not fit in 4096 instructions is
 * skipped.
 *
 * The OPTIMIZE=1 program is also proven equivalent to the reference lowering over every input
 * (bpf_sym.c's symbolic comparison: translation validation, not sampling).
 *
 * SYSGATE_SEED=N replays a run; SYSGATE_OPTEQUIV_ITERS=N sets the policies per test.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <errno.h>

#include <seccomp.h>

#include "testcheck.h"
#include "bpf_sym.h"

static const uint32_t actions[] = {
    SCMP_ACT_ALLOW,    SCMP_ACT_ERRNO(1), SCMP_ACT_ERRNO(2),      SCMP_ACT_KILL_PROCESS,
    SCMP_ACT_KILL,     SCMP_ACT_TRAP,     SCMP_ACT_LOG,           SCMP_ACT_TRACE(3),
    SCMP_ACT_ERRNO(0), SCMP_ACT_NOTIFY,   SCMP_ACT_TRACE(0xffff),
};
#define N_ACTIONS (sizeof(actions) / sizeof(actions[0]))

/* ABI sets: one byte order each */
static const uint32_t abi_sets[][4] = {
    {SCMP_ARCH_X86_64},
    {SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32},
    {SCMP_ARCH_X32},
    {SCMP_ARCH_AARCH64, SCMP_ARCH_ARM},
    {SCMP_ARCH_S390X},
    {SCMP_ARCH_PPC64, SCMP_ARCH_S390X, SCMP_ARCH_MIPS},
    {SCMP_ARCH_MIPSEL64, SCMP_ARCH_MIPSEL64N32, SCMP_ARCH_MIPSEL},
    {SCMP_ARCH_PPC},
};
#define N_ABI_SETS (sizeof(abi_sets) / sizeof(abi_sets[0]))

static uint32_t pick_action(struct tu_rng *r)
{
	return actions[tu_below(r, N_ACTIONS)];
}

/*
 * The programs compared: OPTIMIZE=1 and =2 through the public API, then internal lowering
 * variants (compile.h): the reference lowering (plain halving, no exception leaves, no
 * bytecode passes) and one variant per optimization switched on alone.
 */
static const struct sg_compile_opts variants[] = {
    {.tree = 0, .passes = false, .exceptions = false}, /* the reference lowering */
    {.tree = 0, .passes = true, .exceptions = false},
    {.tree = 0, .passes = false, .exceptions = true},
    {.tree = 2, .passes = false, .exceptions = false},
};
#define NVARIANTS (sizeof(variants) / sizeof(variants[0]))
#define NPROG     (2 + NVARIANTS)

static const char *prog_name(int l, char *buf, size_t size)
{
	if (l < 2)
		snprintf(buf, size, "OPTIMIZE=%d", l + 1);
	else
		snprintf(buf, size, "lowering(tree=%d passes=%d exceptions=%d)",
		         variants[l - 2].tree, variants[l - 2].passes, variants[l - 2].exceptions);
	return buf;
}

struct stats {
	long policies, programs, cases, const_allow, proven, insns[NPROG];
};

static scmp_filter_ctx make_ctx(struct tu_rng *r, const uint32_t *abis, uint32_t def)
{
	scmp_filter_ctx ctx = seccomp_init(def);
	ck_assert_ptr_nonnull(ctx);
	if (abis[0] != seccomp_arch_native())
		ck_assert_int_eq(seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE), 0);
	for (int i = 0; i < 4 && abis[i]; i++)
		if (abis[i] != seccomp_arch_native())
			ck_assert_int_eq(seccomp_arch_add(ctx, abis[i]), 0);
	if (tu_below(r, 3) == 0)
		ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, pick_action(r)), 0);
	return ctx;
}

/* random rules on a few syscalls (native numbers), errors are part of the game */
static void add_rules(struct tu_rng *r, scmp_filter_ctx ctx, int nrules)
{
	static const int pool[] = {0, 1, 2, 3, 9, 16, 41, 42, 56, 59, 62, 157, 202, 257, 435};
	uint64_t datums[16];
	size_t nd = 0;
	int nsys = 1 + (int)tu_below(r, 8);
	int sys[8];

	for (int i = 0; i < nsys; i++)
		sys[i] = pool[tu_below(r, sizeof(pool) / sizeof(pool[0]))];
	for (int i = 0; i < nrules; i++) {
		struct scmp_arg_cmp cmp[6];
		unsigned int n = (unsigned int)tu_below(r, 4), k = 0, used = 0;
		int nr = sys[tu_below(r, (uint64_t)nsys)];
		for (unsigned int j = 0; j < n; j++) {
			unsigned int arg = (unsigned int)tu_below(r, 6);
			if (used & (1u << arg))
				continue;
			used |= 1u << arg;
			cmp[k].arg = arg;
			cmp[k].op = (enum scmp_compare)(1 + tu_below(r, 7));
			cmp[k].datum_a = nd && tu_below(r, 2)
			                     ? tu_value_near(r, datums[tu_below(r, nd)])
			                     : tu_value(r);
			cmp[k].datum_b = tu_value(r);
			if (cmp[k].op == SCMP_CMP_MASKED_EQ && tu_below(r, 3))
				cmp[k].datum_b &= cmp[k].datum_a;
			if (nd < 16)
				datums[nd++] = cmp[k].datum_a;
			k++;
		}
		if (tu_below(r, 10) == 0)
			(void)seccomp_syscall_priority(ctx, nr, (uint8_t)tu_next(r));
		(void)seccomp_rule_add_array(ctx, pick_action(r), nr, k, cmp);
	}
}

/* a long allow (or deny) list with gaps: exercises the dispatch tree of both levels */
static void add_list(struct tu_rng *r, scmp_filter_ctx ctx, uint32_t def)
{
	uint32_t act = def == SCMP_ACT_ALLOW ? SCMP_ACT_ERRNO(1) : SCMP_ACT_ALLOW;
	int n = 50 + (int)tu_below(r, 350);
	for (int nr = 0; nr < n; nr++)
		if (tu_below(r, 4))
			(void)seccomp_rule_add(ctx, tu_below(r, 8) ? act : pick_action(r), nr, 0);
}

struct prog {
	struct sock_filter *insns;
	size_t len;
};

static struct prog export_level(scmp_filter_ctx ctx, uint32_t level, bool be)
{
	struct prog p;
	size_t bytes = 0;

	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, level), 0);
	ck_assert_int_eq(seccomp_precompute(ctx), 0);
	ck_assert_int_eq(seccomp_export_bpf_mem(ctx, NULL, &bytes), 0);
	ck_assert_uint_eq(bytes % sizeof(struct sock_filter), 0);
	p.len = bytes / sizeof(struct sock_filter);
	p.insns = malloc(bytes + 1);
	ck_assert_int_eq(seccomp_export_bpf_mem(ctx, p.insns, &bytes), 0);
	sg_bpf_to_target(p.insns, p.len, be); /* target -> host */
	ck_assert_msg(sg_bpf_check(p.insns, p.len) == 0, "OPTIMIZE=%u program fails the checker",
	              level);
	/* same context, same level: the same program */
	struct sg_program *again = tu_compile((struct sg_filter *)ctx);
	ck_assert_uint_eq(again->len, p.len);
	ck_assert(memcmp(again->insns, p.insns, bytes) == 0);
	sg_program_free(again);
	return p;
}

struct values {
	uint64_t *v;
	size_t n, cap;
};

static void val_add(struct values *vs, uint64_t v)
{
	if (vs->n == vs->cap) {
		vs->cap = vs->cap ? vs->cap * 2 : 64;
		vs->v = realloc(vs->v, vs->cap * sizeof(*vs->v));
		ck_assert_ptr_nonnull(vs->v);
	}
	vs->v[vs->n++] = v;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* sort and drop duplicates */
static void val_unique(struct values *vs)
{
	size_t n = 0;
	if (!vs->n)
		return;
	qsort(vs->v, vs->n, sizeof(vs->v[0]), cmp_u64);
	for (size_t i = 0; i < vs->n; i++)
		if (n == 0 || vs->v[i] != vs->v[n - 1])
			vs->v[n++] = vs->v[i];
	vs->n = n;
}

/* the constants a program compares with, +-1 */
static void program_constants(const struct prog *p, struct values *vs)
{
	for (size_t i = 0; i < p->len; i++)
		if (sg_bpf_insn_is_cond_jump(&p->insns[i]) && BPF_SRC(p->insns[i].code) == BPF_K)
			for (int d = -1; d <= 1; d++)
				val_add(vs, (uint32_t)(p->insns[i].k + (uint32_t)d));
}

/* an argument value: a rule datum, a program constant in either word, or a boundary */
static uint64_t arg_value(struct tu_rng *r, const struct values *consts,
                          const struct sg_sysrules *s, int arg)
{
	uint64_t v;

	switch (tu_below(r, 4)) {
	case 0:
		if (s && s->nrules) {
			const struct sg_rule *ru = &s->rules[tu_below(r, s->nrules)];
			for (unsigned int c = 0; c < ru->ncond; c++)
				if (ru->cond[c].arg == arg)
					return tu_value_near(r, ru->cond[c].datum);
		}
		return tu_value(r);
	case 1:
		v = consts->n ? consts->v[tu_below(r, consts->n)] : 0;
		return tu_below(r, 2) ? v | (tu_value(r) & 0xffffffff00000000ull)
		                      : (v << 32) | (uint32_t)tu_value(r);
	default:
		return tu_value(r);
	}
}

/* does the IR decide (arch, nr) without looking at arguments, and how? */
static bool ir_constant(const struct sg_filter *f, uint32_t audit, uint32_t nr, uint32_t *act)
{
	const struct sg_archdb *db = sg_ir_select(f, audit, nr);
	const struct sg_sysrules *s;

	if (!db) {
		*act = f->act_badarch;
		return true;
	}
	s = sg_archdb_find(db, (int32_t)nr);
	if (!s || (!s->has_uncond && s->nrules == 0)) {
		*act = f->act_default;
		return true;
	}
	*act = s->uncond_action;
	return s->has_uncond;
}

static void check_levels(struct tu_rng *r, scmp_filter_ctx ctx, struct stats *st)
{
	struct sg_filter *f = (struct sg_filter *)ctx;
	bool be = f->arch[0].arch->big_endian;
	struct prog p[NPROG];
	int nprog = 2, vid[NPROG] = {0, 1};
	char name[64];
	struct values nrs = {0}, consts = {0};

	for (int l = 0; l < 2; l++) {
		p[l] = export_level(ctx, (uint32_t)l + 1, be);
		st->insns[l] += (long)p[l].len;
		program_constants(&p[l], &consts);
	}
	/* the internal variants; one that does not fit (-E2BIG) is left out */
	for (size_t v = 0; v < NVARIANTS; v++) {
		struct sg_program *sp = NULL;
		int rc = sg_compile_with(f, &variants[v], &sp);
		if (rc == -E2BIG)
			continue;
		ck_assert_int_eq(rc, 0);
		ck_assert_msg(sg_bpf_check(sp->insns, sp->len) == 0, "%s fails the checker",
		              prog_name(2 + (int)v, name, sizeof(name)));
		p[nprog].len = sp->len;
		p[nprog].insns = malloc(sp->len * sizeof(sp->insns[0]));
		memcpy(p[nprog].insns, sp->insns, sp->len * sizeof(sp->insns[0]));
		sg_program_free(sp);
		st->insns[2 + v] += (long)p[nprog].len;
		program_constants(&p[nprog], &consts);
		vid[nprog++] = 2 + (int)v;
	}
	st->programs += nprog;

	/* translation validation: the program loaded by default (OPTIMIZE=1) is proven
	 * equivalent to the reference lowering (vid 2) on every input, not only on the inputs
	 * tried below (the other variants only by sampling, to keep the test's time down) */
	for (int l = 0; l < 1; l++) {
		uint32_t w[SG_SYM_WORDS];
		int eq;

		if (nprog < 3 || vid[2] != 2)
			continue;
		eq = sg_sym_equiv(p[l].insns, p[l].len, p[2].insns, p[2].len, 0, w);
		ck_assert_msg(eq == 1,
		              "%s: not proven equivalent to the reference lowering (%d): arch %08x "
		              "nr %u",
		              prog_name(vid[l], name, sizeof(name)), eq, w[1], w[0]);
		st->proven++;
	}

	/* syscall numbers: the policy's, their neighbours, the programs' constants, edges */
	for (uint32_t a = 0; a < f->narch; a++)
		for (uint32_t j = 0; j < f->arch[a].nsys; j++)
			for (int d = -1; d <= 1; d++)
				val_add(&nrs, (uint32_t)f->arch[a].sys[j].nr + (uint32_t)d);
	val_unique(&consts);
	for (size_t i = 0; i < consts.n; i++)
		val_add(&nrs, consts.v[i]);
	static const uint32_t edges[] = {0,          1,          0x3fffffff, 0x40000000, 0x40000001,
	                                 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff};
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		val_add(&nrs, edges[i]);
	val_unique(&nrs);

	for (uint32_t a = 0; a <= f->narch; a++) {
		/* each arch value of the filter, then one it does not have */
		uint32_t audit = a < f->narch ? f->arch[a].arch->audit : 0x12345678u;
		if (a > 0 && a < f->narch && audit == f->arch[a - 1].arch->audit)
			continue;
		for (size_t i = 0; i < nrs.n; i++) {
			uint32_t nr = (uint32_t)nrs.v[i], cact = 0;
			const struct sg_archdb *db = sg_ir_select(f, audit, nr);
			const struct sg_sysrules *s = db ? sg_archdb_find(db, (int32_t)nr) : NULL;
			bool constant = ir_constant(f, audit, nr, &cact);
			int tries = s && s->nrules ? 24 : 3;
			bool all_allowed = true;

			for (int t = 0; t < tries; t++) {
				struct seccomp_data d = {.nr = (int)nr, .arch = audit};
				for (int k = 0; k < 6 && t > 0; k++)
					d.args[k] = arg_value(r, &consts, s, k);
				uint32_t ir = sg_ir_eval(f, &d);
				for (int l = 0; l < nprog; l++) {
					uint32_t v = sg_bpf_run(p[l].insns, p[l].len, &d, be, NULL);
					ck_assert_msg(v == ir,
					              "%s: arch %08x nr %u args %" PRIx64
					              " %" PRIx64 " %" PRIx64
					              ": program %08x, IR %08x",
					              prog_name(vid[l], name, sizeof(name)), audit,
					              nr, (uint64_t)d.args[0], (uint64_t)d.args[1],
					              (uint64_t)d.args[2], v, ir);
				}
				if (constant)
					ck_assert_uint_eq(ir, cact);
				all_allowed &= ir == SCMP_ACT_ALLOW;
				st->cases++;
			}
			for (int l = 0; l < nprog; l++) {
				bool ca =
				    sg_bpf_const_allow(p[l].insns, p[l].len, audit, (int32_t)nr);
				if (constant && cact == SCMP_ACT_ALLOW)
					ck_assert_msg(ca,
					              "%s: arch %08x nr %u is always allowed "
					              "but not const-allow",
					              prog_name(vid[l], name, sizeof(name)), audit,
					              nr);
				/* soundness: const-allow only where every input tried is allowed
				 * (the optimizer may prove more than the IR's shape shows, e.g. a
				 * rule on "a5 < 0" never matches) */
				if (ca)
					ck_assert_msg(all_allowed,
					              "%s: arch %08x nr %u const-allow but "
					              "not always allowed",
					              prog_name(vid[l], name, sizeof(name)), audit,
					              nr);
				st->const_allow += ca;
			}
		}
	}
	free(nrs.v);
	free(consts.v);
	for (int l = 0; l < nprog; l++)
		free(p[l].insns);
}

static int iters(int dflt)
{
	const char *env = getenv("SYSGATE_OPTEQUIV_ITERS");
	return env ? atoi(env) : dflt;
}

static void report(const char *name, const struct stats *st)
{
	printf("%s: %ld policies, %ld programs (OPTIMIZE 1 and 2 and %zu internal lowerings), %ld "
	       "inputs each, 0 divergences; %ld const-allow checks passed; %ld OPTIMIZE=1 programs "
	       "proven equivalent to the reference lowering; instructions OPTIMIZE=1 "
	       "%ld, OPTIMIZE=2 %ld, reference lowering %ld\n",
	       name, st->policies, st->programs, NVARIANTS, st->cases, st->const_allow, st->proven,
	       st->insns[0], st->insns[1], st->insns[2]);
	fflush(stdout);
}

START_TEST(random_policies)
{
	struct tu_rng r = {tu_seed("optequiv_random")};
	struct stats st = {0};

	for (int it = 0; it < iters(300); it++) {
		const uint32_t *abis = abi_sets[tu_below(&r, N_ABI_SETS)];
		uint32_t def = pick_action(&r);
		scmp_filter_ctx ctx = make_ctx(&r, abis, def);
		if (tu_below(&r, 2))
			ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_API_TSKIP, 1), 0);
		add_rules(&r, ctx, 1 + (int)tu_below(&r, 40));
		if (tu_below(&r, 2))
			(void)seccomp_rule_add(ctx, pick_action(&r), -1, 0);
		check_levels(&r, ctx, &st);
		st.policies++;
		seccomp_release(ctx);
	}
	report("optequiv_random", &st);
}
END_TEST

START_TEST(long_lists)
{
	struct tu_rng r = {tu_seed("optequiv_lists")};
	struct stats st = {0};

	for (int it = 0; it < iters(300) / 5; it++) {
		const uint32_t *abis = abi_sets[tu_below(&r, N_ABI_SETS)];
		uint32_t def = tu_below(&r, 2) ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(1);
		scmp_filter_ctx ctx = make_ctx(&r, abis, def);
		add_list(&r, ctx, def);
		add_rules(&r, ctx, (int)tu_below(&r, 10));
		check_levels(&r, ctx, &st);
		st.policies++;
		seccomp_release(ctx);
	}
	report("optequiv_lists", &st);
}
END_TEST

START_TEST(merged_and_transactions)
{
	struct tu_rng r = {tu_seed("optequiv_merge")};
	struct stats st = {0};
	static const uint32_t le[] = {SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32,
	                              SCMP_ARCH_AARCH64, SCMP_ARCH_ARM};

	for (int it = 0; it < iters(300) / 5; it++) {
		uint32_t def = pick_action(&r);
		size_t a = tu_below(&r, 5), b = (a + 1 + tu_below(&r, 4)) % 5;
		uint32_t one[4] = {le[a]}, two[4] = {le[b]};
		scmp_filter_ctx c1 = make_ctx(&r, one, def), c2 = make_ctx(&r, two, def);

		/* the same bad-arch action: merge keeps the destination's anyway */
		add_rules(&r, c1, 1 + (int)tu_below(&r, 20));
		add_rules(&r, c2, 1 + (int)tu_below(&r, 20));
		/* a rejected transaction leaves no trace */
		ck_assert_int_eq(seccomp_transaction_start(c1), 0);
		add_rules(&r, c1, 1 + (int)tu_below(&r, 10));
		seccomp_transaction_reject(c1);
		ck_assert_int_eq(seccomp_merge(c1, c2), 0);
		check_levels(&r, c1, &st);
		st.policies++;
		seccomp_release(c1);
	}
	report("optequiv_merge", &st);
}
END_TEST

int main(void)
{
	tu_api_level_from_env();
	Suite *s = suite_create("optequiv");
	TCase *tc = tcase_create("levels");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, random_policies);
	tcase_add_test(tc, long_lists);
	tcase_add_test(tc, merged_and_transactions);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
