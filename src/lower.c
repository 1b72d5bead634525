/*
 * lower.c - the compiler: filter context (IR) -> classic BPF.
 *
 * Layout of every program:
 *
 *   ld arch; jeq ABI1 -> block1; jeq ABI2 -> block2; ...; ret BADARCH
 *   block:   ld nr; search tree over ranges of syscall numbers -> decisions
 *   decision: ret ACTION, or the argument tests of one syscall's rules
 *
 * The number space of each arch value is cut into ranges with one decision each (neighbours
 * with equal decisions merged), and a tree of JGE tests dispatches on them. Unconditionally
 * decided syscalls thus reach their RET having loaded only arch and nr, through JEQ/JGE/JA
 * only: exactly what the kernel's constant-action cache can prove.
 *
 * Argument rules are tested in the order of sg_ir_rule_plan() (ir_order.h): more specific
 * rules before the rules containing them, otherwise strongest action first; each comparison
 * becomes tests on the 32-bit words of the argument in the ABI's byte order.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "arch/kvers.h"
#include "bpf.h"
#include "bpf_opt.h"
#include "compile.h"
#include "db_check.h"
#include "emit.h"
#include "ir.h"
#include "ir_order.h"
#include "layout.h"

/* intermediate programs may exceed the kernel's limit before the optimizer shrinks them */
#define SG_EMIT_LIMIT 65536

/* what happens for a range of syscall numbers */
struct decision {
	const struct sg_sysrules *rules; /* NULL: `action` decides */
	uint32_t action;
};

struct range {
	uint32_t lo, hi; /* inclusive */
	struct decision d;
	uint64_t weight; /* expected share of calls (dispatch cost model) */
	bool exc;        /* one number inside decides differently: */
	uint32_t exc_nr; /* ...this one, tested with a JEQ at the leaf */
	struct decision exc_d;
};

/* a node of the planned search tree: ranges lo..hi, split at `split` (the first range of the
 * right-hand side) unless it is a leaf; its layout facts are in the parallel sg_layout_node */
struct tnode {
	uint32_t lo, hi, split;
	bool fold;    /* a leaf: ranges lo..lo+2 as one, with a JEQ for the middle one */
	sg_node node; /* its code, once emitted */
};

struct lowering {
	struct sg_emit e;
	const struct sg_filter *f;
	const struct sg_compile_opts *opts;
	bool big_endian;
	uint8_t ordered_args; /* lower_decision: the arguments its rules compare by order */
	bool lo_first;        /* every ABI has 64-bit arguments: cmp_masked_eq */
	struct range *ranges;
	size_t nranges, cap;
	/* the DP plans units: a range, or a run of light ranges (weight 1: no number of an ABI
	 * that shapes the tree, such as x32's beside x86_64) dispatched by halving inside */
	uint32_t *unit_first; /* unit u = ranges unit_first[u] .. unit_first[u + 1] - 1 */
	uint32_t *unit_of;    /* range -> its unit */
	size_t nunits;
	uint64_t *prefix;  /* prefix sums of unit weights */
	uint32_t *dp_cost; /* optimal-tree tables for one window of ranges (cost, then one
	                    * column) */
	uint16_t *dp_root;
	uint8_t *dp_fold;      /* per window start i: ranges i..i+2 are one leaf with a JEQ */
	size_t dp_stride;      /* the tables' row length: the largest window planned */
	size_t win_lo, win_hi; /* the window they describe; win_hi < win_lo: none */
	/* the search tree of the block being lowered (plan_tree) */
	struct tnode *tn;
	struct sg_layout_node *lay;
	size_t ntn, tn_cap;
	bool far;            /* a depth-first tree has a jump out of reach */
	size_t compares;     /* the trees' compares, all blocks */
	unsigned block_div;  /* 0: depth first; else plan the trees that do not fit (layout.h) */
	uint64_t leaf_scale; /* ...with the leaves' sizes times leaf_scale / 1024 */
	/* the dispatch's cost model, kept to weigh the finished program: per range, the arch
	 * value, its first number and its weight */
	struct sample {
		uint32_t audit, nr;
		uint64_t weight;
	} * samples;
	size_t nsamples, samples_cap;
};

/*
 * argument tests
 */

/* (word at off & m) == d */
static sg_node word_masked_eq(struct lowering *L, uint32_t off, uint32_t m, uint32_t d, sg_node t,
                              sg_node f)
{
	struct sg_emit *e = &L->e;

	if (d & ~m)
		return f; /* bits outside the mask can never be equal */
	if (m == 0)
		return t; /* d == 0 here: nothing to test */
	if (m == 0xffffffffu)
		return sg_emit_ld(e, off, sg_emit_jmp(e, BPF_JEQ, d, t, f));
	if (d == 0)
		return sg_emit_ld(e, off, sg_emit_jmp(e, BPF_JSET, m, f, t));
	if (d == m && (m & (m - 1)) == 0)
		return sg_emit_ld(e, off, sg_emit_jmp(e, BPF_JSET, m, t, f));
	return sg_emit_ld(e, off, sg_emit_and(e, m, sg_emit_jmp(e, BPF_JEQ, d, t, f)));
}

/*
 * hi > dh -> t; hi == dh -> lo_test; else f. Range facts drop the impossible tests: nothing
 * is above 0xffffffff, and a word not above 0 is 0.
 */
static sg_node hi_then_lo(struct lowering *L, uint32_t hi_off, uint32_t dh, sg_node lo_test,
                          sg_node t, sg_node f)
{
	struct sg_emit *e = &L->e;

	if (dh == 0xffffffffu)
		return sg_emit_ld(e, hi_off, sg_emit_jmp(e, BPF_JEQ, dh, lo_test, f));
	if (dh == 0)
		return sg_emit_ld(e, hi_off, sg_emit_jmp(e, BPF_JGT, 0, t, lo_test));
	return sg_emit_ld(e, hi_off,
	                  sg_emit_jmp(e, BPF_JGT, dh, t, sg_emit_jmp(e, BPF_JEQ, dh, lo_test, f)));
}

/* arg > d (ge=false) or arg >= d (ge=true), 64-bit or low word only */
static sg_node cmp_greater(struct lowering *L, const struct sg_cond *c, bool ge, sg_node t,
                           sg_node f)
{
	struct sg_emit *e = &L->e;
	uint32_t lo_off = sg_arg_lo_off(c->arg, L->big_endian);
	uint32_t hi_off = sg_arg_hi_off(c->arg, L->big_endian);
	uint32_t dl = (uint32_t)c->datum, dh = (uint32_t)(c->datum >> 32);
	sg_node lo;

	if (ge && dl == 0)
		lo = t; /* every low word is >= 0 */
	else
		lo = sg_emit_ld(e, lo_off, sg_emit_jmp(e, ge ? BPF_JGE : BPF_JGT, dl, t, f));
	if (c->low32)
		return lo;
	return hi_then_lo(L, hi_off, dh, lo, t, f);
}

static sg_node cmp_masked_eq(struct lowering *L, const struct sg_cond *c, sg_node t, sg_node f)
{
	uint32_t lo_off = sg_arg_lo_off(c->arg, L->big_endian);
	uint32_t hi_off = sg_arg_hi_off(c->arg, L->big_endian);

	sg_node lo, hi;

	if (c->low32)
		return word_masked_eq(L, lo_off, (uint32_t)c->mask, (uint32_t)c->datum, t, f);
	/* both words must match: either may be tested first. The low word first, so that the
	 * tests of several values share one high-word test after them, emitted once
	 * (hash-consing shares what follows), and a value that differs is refused in two
	 * instructions; but the high word first where the program has code that ends the same
	 * way to share: an ordering comparison on the argument (high word first), or an ABI
	 * that tests low words alone (32-bit arguments) */
	if (L->lo_first && !(L->ordered_args >> c->arg & 1)) {
		hi = word_masked_eq(L, hi_off, (uint32_t)(c->mask >> 32),
		                    (uint32_t)(c->datum >> 32), t, f);
		return word_masked_eq(L, lo_off, (uint32_t)c->mask, (uint32_t)c->datum, hi, f);
	}
	lo = word_masked_eq(L, lo_off, (uint32_t)c->mask, (uint32_t)c->datum, t, f);
	return word_masked_eq(L, hi_off, (uint32_t)(c->mask >> 32), (uint32_t)(c->datum >> 32), lo,
	                      f);
}

/* code that goes to t when the condition holds and to f otherwise */
static sg_node lower_cond(struct lowering *L, const struct sg_cond *c, sg_node t, sg_node f)
{
	switch (c->op) {
	case SCMP_CMP_EQ:
	case SCMP_CMP_MASKED_EQ:
		return cmp_masked_eq(L, c, t, f);
	case SCMP_CMP_NE:
		return cmp_masked_eq(L, c, f, t);
	case SCMP_CMP_GT:
		return cmp_greater(L, c, false, t, f);
	case SCMP_CMP_GE:
		return cmp_greater(L, c, true, t, f);
	case SCMP_CMP_LE:
		return cmp_greater(L, c, false, f, t);
	case SCMP_CMP_LT:
		return cmp_greater(L, c, true, f, t);
	}
	return f;
}

/* all conditions of r hold -> t, else f */
static sg_node lower_rule(struct lowering *L, const struct sg_rule *r, sg_node t, sg_node f)
{
	for (int i = (int)r->ncond - 1; i >= 0; i--)
		t = lower_cond(L, &r->cond[i], t, f);
	return t;
}

static sg_node lower_decision(struct lowering *L, const struct decision *d)
{
	const struct sg_sysrules *s = d->rules;
	struct sg_rule_plan p;
	sg_node next;
	int rc;

	if (!s)
		return sg_emit_ret(&L->e, d->action);
	/* the arguments some rule compares by order (high word first: cmp_masked_eq) */
	L->ordered_args = 0;
	for (uint32_t i = 0; i < s->nrules; i++)
		for (uint32_t j = 0; j < s->rules[i].ncond; j++) {
			const struct sg_cond *c = &s->rules[i].cond[j];
			if (c->op != SCMP_CMP_EQ && c->op != SCMP_CMP_MASKED_EQ &&
			    c->op != SCMP_CMP_NE)
				L->ordered_args |= (uint8_t)(1u << c->arg);
		}
	rc = sg_ir_rule_plan(s, &p);
	if (rc < 0) {
		L->e.err = rc;
		return -1;
	}
	/* the plan's order (ir_order.h): the first rule that matches while none of its
	 * dominators does decides */
	next = sg_emit_ret(&L->e, L->f->act_default);
	for (uint32_t i = p.n; i-- > 0;) {
		const struct sg_rule *r = &s->rules[p.rule[i]];
		sg_node t = sg_emit_ret(&L->e, r->action);
		for (uint32_t j = p.dom_off[i]; j < p.dom_off[i + 1]; j++)
			t = lower_rule(L, &s->rules[p.dom[j]], next, t);
		next = lower_rule(L, r, t, next);
	}
	sg_rule_plan_free(&p);
	return next;
}

/*
 * syscall-number dispatch
 */

static bool rules_equal(const struct sg_sysrules *a, const struct sg_sysrules *b)
{
	if (a->nrules != b->nrules)
		return false;
	/* the meaning of a rule set does not depend on its order; comparing in stored order
	 * is conservative (may miss a merge, never merges wrongly). Field by field: a rule's
	 * padding bytes are not initialised. */
	for (uint32_t i = 0; i < a->nrules; i++)
		if (a->rules[i].action != b->rules[i].action ||
		    !sg_rule_same_conds(&a->rules[i], &b->rules[i]))
			return false;
	return true;
}

static bool decision_equal(const struct decision *a, const struct decision *b)
{
	if (!a->rules || !b->rules)
		return !a->rules && !b->rules && a->action == b->action;
	return a->rules == b->rules || rules_equal(a->rules, b->rules);
}

static int add_range(struct lowering *L, uint32_t lo, uint32_t hi, struct decision d)
{
	if (L->nranges && decision_equal(&L->ranges[L->nranges - 1].d, &d) &&
	    L->ranges[L->nranges - 1].hi + 1 == lo) {
		L->ranges[L->nranges - 1].hi = hi;
		return 0;
	}
	if (L->nranges == L->cap) {
		size_t cap = L->cap ? L->cap * 2 : 64;
		struct range *r = sg_reallocarray(L->ranges, cap, sizeof(*r));
		if (!r)
			return -ENOMEM;
		L->ranges = r;
		L->cap = cap;
	}
	L->ranges[L->nranges++] = (struct range){.lo = lo, .hi = hi, .d = d};
	return 0;
}

/*
 * Numbers [lo, hi] that db owns and no rule names: the default action, or under a kernel-version
 * limit (ir.h) the ENOSYS action for the runs of numbers no syscall of that release has: one
 * range per run, so the cost is a few range tests, not a rule per syscall.
 */
static int add_owned_gap(struct lowering *L, const struct sg_archdb *db, uint32_t lo, uint32_t hi)
{
	const struct sg_filter *f = L->f;
	int rc = 0;

	if (f->kvermax == SCMP_KV_UNDEF)
		return add_range(L, lo, hi, (struct decision){NULL, f->act_default});
	for (uint64_t nr = lo; nr <= hi && rc == 0;) {
		bool present;
		uint32_t last = sg_arch_kver_run(db->arch, (uint32_t)nr, f->kvermax, &present);
		if (last > hi)
			last = hi;
		rc = add_range(L, (uint32_t)nr, last,
		               (struct decision){NULL, present ? f->act_default : f->act_enosys});
		nr = (uint64_t)last + 1;
	}
	return rc;
}

/* numbers no rule names: see add_owned_gap, or bad-arch where no ABI of the filter owns them
 * (the ABI partition, arch/arch.h); a range never straddles a change of owner */
static int add_gap(struct lowering *L, uint32_t audit, uint32_t lo, uint32_t hi)
{
	for (;;) {
		uint32_t end = sg_arch_claim_end(audit, lo);
		if (end > hi)
			end = hi;
		const struct sg_archdb *db = sg_ir_select(L->f, audit, lo);
		int rc = db ? add_owned_gap(L, db, lo, end)
		            : add_range(L, lo, end, (struct decision){NULL, L->f->act_badarch});
		if (rc < 0 || end == hi)
			return rc;
		lo = end + 1;
	}
}

/*
 * Sort syscall entries by number as unsigned (nr -1 last): LSD radix sort on bytes, O(n)
 * (this runs on every compile); a pass whose byte is the same for every entry is skipped, and
 * so is the whole sort when the entries are in order already.
 * tmp has room for n entries. The sorted result is left in v.
 */
static void sort_by_nr(const struct sg_sysrules **v, const struct sg_sysrules **tmp, size_t n)
{
	uint32_t differ = 0; /* the bits in which some entry differs from the first */
	bool sorted = true;

	for (size_t i = 1; i < n; i++) {
		differ |= (uint32_t)v[i]->nr ^ (uint32_t)v[0]->nr;
		sorted &= (uint32_t)v[i - 1]->nr < (uint32_t)v[i]->nr;
	}
	for (unsigned int shift = 0; !sorted && shift < 32; shift += 8) {
		size_t count[257] = {0};
		if (!((differ >> shift) & 0xff))
			continue; /* the same byte everywhere: this pass would not move anything */
		for (size_t i = 0; i < n; i++)
			count[(((uint32_t)v[i]->nr >> shift) & 0xff) + 1]++;
		for (unsigned int b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++)
			tmp[count[((uint32_t)v[i]->nr >> shift) & 0xff]++] = v[i];
		memcpy(v, tmp, n * sizeof(*v));
	}
}

/* cut [0, 2^32) into ranges with one decision each for the ABIs compared with `audit` */
static int build_ranges(struct lowering *L, uint32_t audit)
{
	const struct sg_filter *f = L->f;
	const struct sg_sysrules **pts;
	size_t npts = 0, total = 0;
	uint64_t next = 0;
	int rc = 0;

	L->nranges = 0;
	for (uint32_t i = 0; i < f->narch; i++)
		if (f->arch[i].arch->audit == audit)
			total += f->arch[i].nsys;
	pts = sg_reallocarray(NULL, 2 * total, sizeof(*pts));
	if (!pts)
		return -ENOMEM;
	for (uint32_t i = 0; i < f->narch; i++) {
		const struct sg_archdb *db = &f->arch[i];
		if (db->arch->audit != audit)
			continue;
		for (uint32_t j = 0; j < db->nsys; j++)
			/* rules an ABI holds for numbers another ABI of the group owns never apply
			 */
			if (sg_ir_select(f, audit, (uint32_t)db->sys[j].nr) == db)
				pts[npts++] = &db->sys[j];
	}
	sort_by_nr(pts, pts + total, npts);

	for (size_t i = 0; i < npts && rc == 0; i++) {
		const struct sg_sysrules *s = pts[i];
		uint32_t nr = (uint32_t)s->nr;
		struct decision d = {NULL, f->act_default};

		if (s->has_uncond)
			d.action = s->uncond_action;
		else if (s->nrules)
			d.rules = s;
		else if (sg_ir_kver_enosys(f, sg_ir_select(f, audit, nr), s, nr))
			d.action = f->act_enosys; /* a priority hint alone names nothing */
		if (nr > next)
			rc = add_gap(L, audit, (uint32_t)next, nr - 1);
		if (rc == 0)
			rc = add_range(L, nr, nr, d);
		next = (uint64_t)nr + 1;
	}
	if (rc == 0 && next <= 0xffffffffu)
		rc = add_gap(L, audit, (uint32_t)next, 0xffffffffu);
	sg_free(pts);
	return rc;
}

/*
 * The dispatch cost model. A range's weight is how often calls land in it; a tree then costs
 * sum(weight * depth), and the tree planned is the cheapest. The weights come from the
 * measured frequency profile (profile_weights.c, tools/weights/), the user's priority hints
 * and the syscall numbers each range holds, mixed per OPTIMIZE level:
 *  1: the least expected cost under the profile: it dominates (a table number weighs as much
 *     as a syscall made 3/16 times per mille, an argument condition as 1/2 per mille), so the
 *     syscalls it does not name still sit in a sensible place, and rare ones with long
 *     argument tests not too deep, but do not push the frequent ones down: 0.3% more than
 *     the optimum under the profile on Docker (6.61 against 6.59) for a longest path of 16,
 *     not 18 (with 1/16 per mille and no condition weight; 1 per mille per condition made it
 *     15 but cost 4.7% on args362x4 of `make bench`).
 *  2: the same, with the worst path bounded: every table number weighs as much as a syscall
 *     made 8 times per mille of calls, which keeps rare syscalls from sinking deep (the
 *     mean over all numbers within 1% of the optimal tree over the numbers: Docker 9.30
 *     against 9.22, podman 8.94 against 8.94; at 4 per mille Docker's was 9.49, 1.029x), and
 *     each argument condition of a range's rules as much as 4 numbers: a leaf with long
 *     argument tests sits high, so that depth + tests, the longest path, stays short
 *     (Docker: 13, not 16 at level 1; podman: 13, 14 with x86 and x32 beside, see below).
 *     The profile then costs a little (Docker's weighted mean 7.39 against level 1's 6.61):
 *     level 1 is the level for the least expected cost, level 2 for a bounded worst path.
 * The planned trees are what the model asks for; on programs over about 255 instructions the
 * emitted dispatch can run more: a conditional jump reaches 255 instructions, so a call into
 * a subtree out of reach runs a JA (emit.c reach). `make bench`'s "dispatch JA" column counts
 * them: with the top of such a tree laid out as one cluster (lower_tree), at most one per
 * call, 0.77-0.92 on the argument-heavy policies args362xN (1100-3700 instructions; 1.06-1.99
 * laid out depth first), all of their distance from the uniform bound but 2-4%; none on
 * Docker's and podman's. Compares placed as stepping stones inside other subtrees' code could
 * avoid most of the rest (a tree of height h over n instructions has a layout whose edges
 * span about n / 2h); that needs sizes known before emission, which the emitter does not do.
 * Podman's longest path at level 2 with x86 and x32 beside, 14, is its socket rules' (A0 ==
 * 16 && A2 == 9 among them): ld arch, jeq, ld nr, the two compares that isolate socket, then
 * at arguments 0 both words of A0 and of A2 (high word first there: cmp_masked_eq) and a
 * RET. One compare less would test socket at the root, which costs every other number one.
 * A priority step weighs as much as 1024 per mille at both levels: a hint beats the profile.
 * The base weight of 1 per range is negligible beside all of these.
 * A secondary ABI beside its main one (x32 beside x86_64, arch/arch.c) counts 1 per range:
 * its processes are rare (most kernels turn x32 off), and weighing its 370 numbers pushed
 * x86_64's ranges deeper. Nothing here depends on the order the ABIs were added in.
 */
static const struct {
	uint32_t number;   /* weight of one syscall number of the ABI's table */
	uint32_t hot;      /* weight of one per mille of the frequency profile */
	uint32_t priority; /* weight of one step of seccomp_syscall_priority() */
	uint32_t cond;     /* weight of one argument condition of a range's rules */
} units[3] = {[1] = {48, 256, 262144, 128}, [2] = {16, 2, 4096, 64}};
#define SG_DP_WINDOW 128 /* subtrees of at most this many ranges are planned by DP */

static size_t range_of(const struct lowering *L, uint32_t nr)
{
	size_t lo = 0, hi = L->nranges - 1;
	while (lo < hi) {
		size_t mid = (lo + hi + 1) / 2;
		if (L->ranges[mid].lo <= nr)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* do the ABI's calls shape the tree? not a secondary ABI's beside its main one */
static bool shapes_tree(const struct sg_filter *f, const struct sg_arch *a)
{
	for (uint32_t i = 0; i < f->narch; i++)
		if (f->arch[i].arch->audit == a->audit && sg_arch_precedes(f->arch[i].arch, a))
			return false;
	return true;
}

/* the argument conditions of range r's rules, if they shape the tree */
static uint64_t range_conds(const struct lowering *L, uint32_t audit, size_t r)
{
	const struct sg_sysrules *s = L->ranges[r].d.rules;
	const struct sg_archdb *db = s ? sg_ir_select(L->f, audit, L->ranges[r].lo) : NULL;
	uint64_t n = 0;
	for (uint32_t k = 0; db && shapes_tree(L->f, db->arch) && k < s->nrules; k++)
		n += s->rules[k].ncond;
	return n;
}

static void weigh_ranges(struct lowering *L, uint32_t audit)
{
	const struct sg_filter *f = L->f;

	for (size_t r = 0; r < L->nranges; r++)
		L->ranges[r].weight = 1;
	for (uint32_t i = 0; i < f->narch; i++) {
		const struct sg_archdb *db = &f->arch[i];
		if (db->arch->audit != audit)
			continue;
		bool shapes = shapes_tree(f, db->arch);
		/* an ABI's table numbers all lie in the numbers it owns (test_abi_order); the
		 * ranges are adjacent: one count per boundary */
		size_t below = 0; /* the ranges start at 0 */
		for (size_t r = 0; shapes && r < L->nranges; r++) {
			size_t upto = sg_arch_nrs_below(db->arch, (uint64_t)L->ranges[r].hi + 1);
			L->ranges[r].weight +=
			    (uint64_t)units[L->opts->tree].number * (upto - below);
			below = upto;
		}
		if (L->opts->tree == 0)
			continue;
		/* the profile describes a main ABI's calls, not x32's beside x86_64 */
		for (const struct sg_hot_syscall *h = sg_hot_profile(db->arch); shapes && h->name;
		     h++) {
			int nr = sg_arch_syscall_nr(db->arch, h->name);
			if (nr >= 0 && sg_ir_select(f, audit, (uint32_t)nr) == db)
				L->ranges[range_of(L, (uint32_t)nr)].weight +=
				    (uint64_t)units[L->opts->tree].hot * h->weight;
		}
		for (uint32_t j = 0; j < db->nsys; j++)
			if (db->sys[j].priority &&
			    sg_ir_select(f, audit, (uint32_t)db->sys[j].nr) == db)
				L->ranges[range_of(L, (uint32_t)db->sys[j].nr)].weight +=
				    (uint64_t)units[L->opts->tree].priority * db->sys[j].priority;
	}
	/* the worst path is the depth of a leaf plus its argument tests: long tests sit high
	 * (x32's beside x86_64 too stay where they are: its calls are rare). Where most ranges
	 * have argument tests (argument-heavy policies) raising them all only sinks the ranges
	 * without: together the conditions weigh at most half as much as the rest (args362x2
	 * of `make bench` at level 2: 1.025x the bound uncapped, 1.015x capped; capped at as
	 * much as the rest, args362x4's longest path was 19, not 18; Docker's and podman's
	 * conditions weigh less than the cap) */
	uint64_t total = 0, conds = 0;
	for (size_t r = 0; units[L->opts->tree].cond && r < L->nranges; r++) {
		total += L->ranges[r].weight;
		conds += range_conds(L, audit, r);
	}
	if (conds == 0)
		return;
	uint64_t per = units[L->opts->tree].cond;
	if (per * conds > total / 2)
		per = total / 2 / conds;
	for (size_t r = 0; r < L->nranges; r++)
		L->ranges[r].weight += per * range_conds(L, audit, r);
}

/*
 * [A][x][A] -> one range [A..A] that tests x with a JEQ at its leaf: one compare, not two.
 * Greedy, for the halving tree (OPTIMIZE's trees weigh each fold in the DP, plan_window).
 */
static void fold_exceptions(struct lowering *L)
{
	struct range *r = L->ranges;
	size_t out = 0;

	for (size_t i = 0; i < L->nranges; i++) {
		if (out > 0 && i + 1 < L->nranges && r[i].lo == r[i].hi && !r[out - 1].exc &&
		    decision_equal(&r[out - 1].d, &r[i + 1].d)) {
			struct range *m = &r[out - 1];
			m->exc = true;
			m->exc_nr = r[i].lo;
			m->exc_d = r[i].d;
			m->hi = r[i + 1].hi;
			m->weight += r[i].weight + r[i + 1].weight;
			i++;
			continue;
		}
		r[out++] = r[i];
	}
	L->nranges = out;
}

/* weight of units i..j */
static uint64_t wsum(const struct lowering *L, size_t i, size_t j)
{
	return L->prefix[j + 1] - L->prefix[i];
}

/* what halving inside unit u costs: each of its m ranges sits ceil(log2(m)) compares deep */
static uint64_t unit_cost(const struct lowering *L, size_t u)
{
	uint32_t m = L->unit_first[u + 1] - L->unit_first[u], depth = 0;
	while ((1u << depth) < m)
		depth++;
	return wsum(L, u, u) * depth;
}

/* can ranges i..i+2 be one leaf, [A][x][A] tested as A with a JEQ for x? */
static bool ranges_foldable(const struct lowering *L, size_t i)
{
	const struct range *r = &L->ranges[i];
	return L->opts->exceptions && !r[0].exc && !r[2].exc && r[1].lo == r[1].hi &&
	       decision_equal(&r[0].d, &r[2].d);
}

/* can units u..u+2, one range each, be one folded leaf? */
static bool foldable(const struct lowering *L, size_t u)
{
	return L->unit_first[u + 3] == L->unit_first[u] + 3 && ranges_foldable(L, L->unit_first[u]);
}

/*
 * Optimal alphabetic tree over units[lo..hi] (each internal node one JGE), by dynamic
 * programming with Knuth's monotone-root speedup. An exception is a leaf inside the
 * programme, not a pre-pass: three ranges [A][x][A] may be one leaf that costs one JEQ for
 * every call that reaches it, chosen only where that is cheaper than the calls to A paying
 * the JEQ. The roots Knuth's bounds read stay those of JGE splits; the costs include folds.
 * Only run on windows of at most SG_DP_WINDOW ranges: above that, weight-balanced splits are
 * within a few percent of optimal and the DP's quadratic time and memory are not worth it.
 * Costs saturate at 32 bits; a saturated comparison can only make the tree slightly less
 * than optimal, never wrong.
 */
static void plan_window(struct lowering *L, size_t lo, size_t hi)
{
	const size_t W = L->dp_stride, n = hi - lo + 1;
	uint32_t *cost = L->dp_cost, *col = L->dp_cost + W * W;
	uint16_t *root = L->dp_root;

	for (size_t i = 0; i < n; i++) {
		uint64_t c = unit_cost(L, lo + i);
		cost[i * W + i] = c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
		root[i * W + i] = (uint16_t)i;
		L->dp_fold[i] = 0;
	}
	/* column by column, each from the diagonal up: a cell reads its row to the left and its
	 * column below, both done; the column is kept in order in col[] */
	for (size_t j = 1; j < n; j++) {
		col[j] = cost[j * W + j];
		for (size_t i = j; i-- > 0;) {
			size_t a = root[i * W + j - 1], b = root[(i + 1) * W + j];
			const uint32_t *left = &cost[i * W];
			uint64_t best = UINT64_MAX;
			size_t bk = i + 1;
			if (a < i + 1)
				a = i + 1;
			if (b > j)
				b = j;
			for (size_t k = a; k <= b; k++) {
				uint64_t c = (uint64_t)left[k - 1] + col[k];
				/* no branch: which k wins is data, hard to predict */
				bk = c < best ? k : bk;
				best = c < best ? c : best;
			}
			/* a folded leaf costs the JEQ alone: less than any split's subtrees */
			if (j == i + 2 && foldable(L, lo + i)) {
				best = 0;
				L->dp_fold[i] = 1;
			}
			best += wsum(L, lo + i, lo + j);
			cost[i * W + j] = col[i] = best > UINT32_MAX ? UINT32_MAX : (uint32_t)best;
			root[i * W + j] = (uint16_t)bk;
		}
	}
	L->win_lo = lo;
	L->win_hi = hi;
}

/* do ranges i..j form one folded leaf in the plan? */
static bool planned_fold(struct lowering *L, size_t i, size_t j)
{
	size_t u = L->opts->tree ? L->unit_of[i] : 0;
	if (L->opts->tree == 0 || !L->dp_root || j != i + 2)
		return false;
	/* inside a run of light ranges, halving folds wherever it can: it costs nothing */
	if (L->unit_of[j] == u)
		return ranges_foldable(L, i);
	if (L->unit_of[j] != u + 2)
		return false;
	if (!(L->win_lo <= u && u + 2 <= L->win_hi))
		plan_window(L, u, u + 2);
	return L->dp_fold[u - L->win_lo];
}

/* where to split units[i..j] (i < j): the first unit of the right-hand side */
static size_t split_units(struct lowering *L, size_t i, size_t j)
{
	if (L->dp_root && L->win_lo <= i && j <= L->win_hi)
		return L->win_lo + L->dp_root[(i - L->win_lo) * L->dp_stride + (j - L->win_lo)];
	if (L->dp_root && j - i + 1 <= L->dp_stride) {
		plan_window(L, i, j);
		return split_units(L, i, j);
	}
	/* weight-balanced: the k that best halves the weight (binary search on prefix sums) */
	uint64_t half = L->prefix[i] + wsum(L, i, j) / 2;
	size_t lo = i + 1, hi = j;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (L->prefix[mid] < half)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > i + 1 && half - L->prefix[lo - 1] < L->prefix[lo] - half)
		lo--;
	return lo;
}

/* where to split ranges[i..j] (i < j): the first range of the right-hand side */
static size_t split_point(struct lowering *L, size_t i, size_t j)
{
	/* the plan's subtrees always start and end at unit boundaries */
	if (L->opts->tree == 0 || L->unit_of[i] == L->unit_of[j])
		return i + (j - i + 1) / 2;
	return L->unit_first[split_units(L, L->unit_of[i], L->unit_of[j])];
}

static sg_node lower_leaf(struct lowering *L, const struct range *r)
{
	sg_node d = lower_decision(L, &r->d);
	if (!r->exc)
		return d;
	return sg_emit_jmp(&L->e, BPF_JEQ, r->exc_nr, lower_decision(L, &r->exc_d), d);
}

/* a new tree node for ranges lo..hi, or -1 when out of memory */
static int32_t new_tnode(struct lowering *L, size_t lo, size_t hi)
{
	if (L->ntn == L->tn_cap) {
		size_t cap = L->tn_cap ? 2 * L->tn_cap : 64;
		struct tnode *tn = sg_reallocarray(L->tn, cap, sizeof(*tn));
		if (tn)
			L->tn = tn;
		struct sg_layout_node *lay = sg_reallocarray(L->lay, cap, sizeof(*lay));
		if (lay)
			L->lay = lay;
		if (!tn || !lay) {
			if (!L->e.err)
				L->e.err = -ENOMEM;
			return -1;
		}
		L->tn_cap = cap;
	}
	L->tn[L->ntn] = (struct tnode){.lo = (uint32_t)lo, .hi = (uint32_t)hi, .node = -1};
	L->lay[L->ntn] = (struct sg_layout_node){.t = -1, .f = -1, .size = 1};
	return (int32_t)L->ntn++;
}

/* the search tree over ranges[i..j]: its root node, or -1 when out of memory */
static int32_t plan_tree(struct lowering *L, size_t i, size_t j)
{
	int32_t id = new_tnode(L, i, j);
	if (id < 0)
		return id;
	if (i == j || planned_fold(L, i, j)) {
		L->tn[id].fold = i != j;
		for (size_t r = i; r <= j; r++)
			L->lay[id].weight += L->ranges[r].weight;
		return id;
	}
	size_t k = split_point(L, i, j);
	int32_t t = plan_tree(L, k, j);
	int32_t f = t < 0 ? -1 : plan_tree(L, i, k - 1);
	if (f < 0)
		return -1;
	L->tn[id].split = (uint32_t)k;
	L->lay[id].t = t;
	L->lay[id].f = f;
	L->lay[id].weight = L->lay[t].weight + L->lay[f].weight;
	return id;
}

/* the code of leaf node id; a leaf that is one RET needs no place of its own (layout.h) */
static sg_node emit_leaf(struct lowering *L, int32_t id)
{
	const struct tnode *n = &L->tn[id];
	struct range leaf = L->ranges[n->lo];
	if (n->fold) {
		leaf.exc = true;
		leaf.exc_nr = L->ranges[n->lo + 1].lo;
		leaf.exc_d = L->ranges[n->lo + 1].d;
	}
	size_t before = L->e.len;
	sg_node node = lower_leaf(L, &leaf);
	L->lay[id].size = L->e.len > before ? (uint32_t)(L->e.len - before) : 1;
	L->lay[id].free = !leaf.exc && !leaf.d.rules;
	return node;
}

/* node id's compare, its subtrees emitted: a subtree that is one RET is emitted now */
static sg_node emit_compare(struct lowering *L, int32_t id)
{
	const struct sg_layout_node *y = &L->lay[id];
	sg_node t = L->tn[y->t].node, f = L->tn[y->f].node;
	if (y->t >= 0 && L->lay[y->t].t < 0 && t < 0)
		t = L->tn[y->t].node = emit_leaf(L, y->t);
	if (y->f >= 0 && L->lay[y->f].t < 0 && f < 0)
		f = L->tn[y->f].node = emit_leaf(L, y->f);
	return sg_emit_jmp(&L->e, BPF_JGE, L->ranges[L->tn[id].split].lo, t, f);
}

/* depth first: the right subtree, then the left one, then the compare; measures the leaves */
static sg_node emit_depth_first(struct lowering *L, int32_t id)
{
	if (L->lay[id].t < 0)
		return L->tn[id].node = emit_leaf(L, id);
	sg_node t = emit_depth_first(L, L->lay[id].t);
	sg_node f = emit_depth_first(L, L->lay[id].f);
	L->far |= !sg_emit_near(&L->e, t) || !sg_emit_near(&L->e, f);
	return L->tn[id].node = emit_compare(L, id);
}

/* the tree again in the order sg_layout_plan gives, last node first (emit.h) */
static sg_node emit_planned(struct lowering *L, int32_t root, size_t mark)
{
	int32_t *order = sg_reallocarray(NULL, L->ntn, sizeof(*order));
	long m = order ? sg_layout_plan(L->lay, L->ntn, root, L->block_div, order) : -ENOMEM;
	if (m >= 0 && sg_emit_rewind(&L->e, mark) < 0)
		m = -ENOMEM;
	for (size_t i = 0; i < L->ntn; i++)
		L->tn[i].node = -1;
	for (long i = m; i-- > 0;) {
		int32_t id = order[i];
		L->tn[id].node = L->lay[id].t < 0 ? emit_leaf(L, id) : emit_compare(L, id);
	}
	sg_free(order);
	if (m < 0) {
		if (!L->e.err)
			L->e.err = (int)m;
		return -1;
	}
	return L->tn[root].node;
}

/*
 * The search tree over all ranges (A holds nr). Depth first where that keeps every jump in
 * reach (Docker, podman, allow-lists: trees under 255 instructions). Where it does not
 * (argument-heavy policies of thousands of instructions), every call going right past a long
 * left subtree runs a JA; with L->block_div set the tree is emitted again, its compares
 * placed as stepping stones (layout.c). The planner needs the leaves' sizes in the final
 * program, which only the optimizer knows (it shrinks argument code two to three times on
 * such policies): the depth-first emission measures them before optimization, and
 * L->leaf_scale (from a depth-first compile of the same filter) scales them.
 */
static sg_node lower_tree(struct lowering *L)
{
	size_t mark = L->e.len;
	L->ntn = 0;
	int32_t root = plan_tree(L, 0, L->nranges - 1);
	if (root < 0)
		return -1;
	for (size_t i = 0; i < L->ntn; i++)
		L->compares += L->lay[i].t >= 0;
	bool far = L->far;
	L->far = false;
	sg_node node = emit_depth_first(L, root);
	bool this_far = L->far;
	L->far |= far;
	if (node < 0 || !this_far || !L->block_div)
		return node;
	/* rounded so that the scaled sizes add up as the exact ones would */
	uint64_t exact = 0, scaled = 0;
	for (size_t i = 0; i < L->ntn; i++) {
		if (L->lay[i].t >= 0 || L->lay[i].free)
			continue;
		exact += L->lay[i].size;
		uint64_t upto = (exact * L->leaf_scale + 512) / 1024;
		L->lay[i].size = upto > scaled ? (uint32_t)(upto - scaled) : 1;
		scaled += L->lay[i].size;
	}
	return emit_planned(L, root, mark);
}

/* keep each range's first number and weight, to weigh the finished program */
static int add_samples(struct lowering *L, uint32_t audit)
{
	if (L->nsamples + L->nranges > L->samples_cap) {
		size_t cap = 2 * (L->nsamples + L->nranges);
		struct sample *s = sg_reallocarray(L->samples, cap, sizeof(*s));
		if (!s)
			return -ENOMEM;
		L->samples = s;
		L->samples_cap = cap;
	}
	for (size_t r = 0; r < L->nranges; r++)
		L->samples[L->nsamples++] =
		    (struct sample){audit, L->ranges[r].lo, L->ranges[r].weight};
	return 0;
}

/*
 * The instructions a call with this arch value and number runs before its first argument
 * load or its RET: the dispatch, as the cost model counts it. Only what the lowering and the
 * optimizer emit is met (loads of arch and nr, JA, compares with K, AND with K, RET);
 * anything else ends the walk. Jumps go forward, so the walk ends.
 */
static uint64_t dispatch_steps(const struct sock_filter *insns, size_t len, uint32_t audit,
                               uint32_t nr)
{
	uint32_t a = 0;
	uint64_t steps = 0;
	for (size_t pc = 0; pc < len;) {
		const struct sock_filter *in = &insns[pc];
		steps++;
		if (in->code == (BPF_LD | BPF_W | BPF_ABS) &&
		    (in->k == SG_OFF_ARCH || in->k == SG_OFF_NR)) {
			a = in->k == SG_OFF_ARCH ? audit : nr;
			pc++;
		} else if (in->code == (BPF_ALU | BPF_AND | BPF_K)) {
			a &= in->k;
			pc++;
		} else if (in->code == (BPF_JMP | BPF_JA)) {
			pc += 1 + (size_t)in->k;
		} else if (BPF_CLASS(in->code) == BPF_JMP && BPF_SRC(in->code) == BPF_K) {
			bool taken = BPF_OP(in->code) == BPF_JEQ   ? a == in->k
			             : BPF_OP(in->code) == BPF_JGT ? a > in->k
			             : BPF_OP(in->code) == BPF_JGE ? a >= in->k
			                                           : (a & in->k) != 0;
			pc += 1 + (size_t)(taken ? in->jt : in->jf);
		} else {
			break;
		}
	}
	return steps;
}

/* ranges, weights and tree plan for one arch value; then its code */
static sg_node lower_block(struct lowering *L, uint32_t audit)
{
	int rc = build_ranges(L, audit);

	if (rc == 0 && L->opts->exceptions && L->opts->tree == 0)
		fold_exceptions(L);
	if (rc == 0) {
		weigh_ranges(L, audit);
		rc = add_samples(L, audit);
	}
	if (rc == 0) {
		sg_free(L->prefix);
		sg_free(L->unit_first);
		sg_free(L->unit_of);
		L->prefix = sg_reallocarray(NULL, L->nranges + 1, sizeof(*L->prefix));
		L->unit_first = sg_reallocarray(NULL, L->nranges + 1, sizeof(*L->unit_first));
		L->unit_of = sg_reallocarray(NULL, L->nranges, sizeof(*L->unit_of));
		if (!L->prefix || !L->unit_first || !L->unit_of)
			rc = -ENOMEM;
	}
	if (rc == 0) {
		/* runs of light ranges become one unit each */
		L->nunits = 0;
		L->prefix[0] = 0;
		for (size_t r = 0; r < L->nranges; r++) {
			bool light = L->ranges[r].weight <= 1;
			if (!(light && r > 0 && L->ranges[r - 1].weight <= 1)) {
				L->unit_first[L->nunits++] = (uint32_t)r;
				L->prefix[L->nunits] = L->prefix[L->nunits - 1];
			}
			L->unit_of[r] = (uint32_t)L->nunits - 1;
			L->prefix[L->nunits] += L->ranges[r].weight;
		}
		L->unit_first[L->nunits] = (uint32_t)L->nranges;
		L->win_lo = 1;
		L->win_hi = 0;
		/* the DP tables, as large as this block's windows can be */
		size_t stride = L->nunits < SG_DP_WINDOW ? L->nunits : SG_DP_WINDOW;
		if (L->opts->tree != 0 && stride > L->dp_stride) {
			sg_free(L->dp_cost);
			sg_free(L->dp_root);
			sg_free(L->dp_fold);
			L->dp_cost =
			    sg_reallocarray(NULL, stride * stride + stride, sizeof(*L->dp_cost));
			L->dp_root = sg_reallocarray(NULL, stride * stride, sizeof(*L->dp_root));
			L->dp_fold = sg_reallocarray(NULL, stride, sizeof(*L->dp_fold));
			L->dp_stride = L->dp_cost && L->dp_root && L->dp_fold ? stride : 0;
			if (!L->dp_stride)
				rc = -ENOMEM;
		}
	}
	if (rc < 0) {
		if (!L->e.err)
			L->e.err = rc;
		return -1;
	}
	/* a block that decides everything the same way needs no syscall number */
	if (L->nranges == 1 && !L->ranges[0].exc && !L->ranges[0].d.rules)
		return lower_decision(L, &L->ranges[0].d);
	return sg_emit_ld(&L->e, SG_OFF_NR, lower_tree(L));
}

/*
 * One block per distinct arch value, tested in a fixed order whatever order the ABIs were
 * added in: the native arch value first (its calls are the common ones), then 64-bit ABIs
 * before 32-bit ones, then in sg_arches order. Returns how many audits[] holds.
 */
static size_t arch_value_order(const struct sg_filter *f, uint32_t *audits)
{
	const struct sg_arch *native = sg_arch_native();
	size_t n = 0;

	for (int pass = 0; pass < 3; pass++) {
		for (size_t k = 0; k < sg_arch_count; k++) {
			const struct sg_arch *a = pass == 0 ? native : sg_arches[k];
			bool in_filter = false, seen = false;
			if (pass == 1 && a->arg_bits != 64)
				continue;
			for (uint32_t i = 0; i < f->narch; i++)
				in_filter |= f->arch[i].arch == a;
			for (size_t g = 0; g < n; g++)
				seen |= audits[g] == a->audit;
			if (in_filter && !seen)
				audits[n++] = a->audit;
			if (pass == 0)
				break;
		}
	}
	return n;
}

/* what lower_program makes */
struct lowered {
	struct sock_filter *insns; /* the program, optimized (sg_free it) */
	size_t len, emitted;       /* its length, and before the optimizer */
	size_t compares;           /* the trees' compares */
	bool far;                  /* a depth-first tree had a jump out of reach */
	uint64_t cost;             /* its dispatch under the cost model: sum of weight * steps */
};

/*
 * One program for f: lowered (the trees depth first, or with block_div set those that do
 * not fit laid out by sg_layout_plan, leaf sizes scaled by leaf_scale / 1024) and optimized.
 * Returns 0 and fills *out, or a negative errno.
 */
static int lower_program(const struct sg_filter *f, const struct sg_compile_opts *opts,
                         unsigned block_div, uint64_t leaf_scale, struct lowered *out)
{
	struct lowering L;
	uint32_t audits[SG_MAX_ARCHES];
	sg_node blocks[SG_MAX_ARCHES], chain;
	size_t ngroups = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&L, 0, sizeof(L));
	L.f = f;
	L.opts = opts;
	L.block_div = block_div;
	L.leaf_scale = leaf_scale;
	L.big_endian = f->arch[0].arch->big_endian;
	L.lo_first = true;
	for (uint32_t i = 0; i < f->narch; i++)
		L.lo_first &= f->arch[i].arch->arg_bits == 64;
	rc = sg_emit_init(&L.e, SG_EMIT_LIMIT);
	if (rc < 0)
		return rc;

	ngroups = arch_value_order(f, audits);

	chain = sg_emit_ret(&L.e, f->act_badarch);
	for (size_t g = ngroups; g-- > 0 && !L.e.err;)
		blocks[g] = lower_block(&L, audits[g]);
	for (size_t g = ngroups; g-- > 0 && !L.e.err;)
		chain = sg_emit_jmp(&L.e, BPF_JEQ, audits[g], blocks[g], chain);
	out->insns = sg_emit_finish(&L.e, sg_emit_ld(&L.e, SG_OFF_ARCH, chain), &out->len);
	rc = L.e.err;
	out->emitted = out->len;
	out->far = L.far;
	out->compares = L.compares;
	sg_free(L.ranges);
	sg_free(L.prefix);
	sg_free(L.unit_first);
	sg_free(L.unit_of);
	sg_free(L.dp_cost);
	sg_free(L.dp_root);
	sg_free(L.dp_fold);
	sg_free(L.tn);
	sg_free(L.lay);
	sg_emit_fini(&L.e);

	if (out->insns && opts->passes)
		rc = sg_bpf_optimize(&out->insns, &out->len);
	for (size_t i = 0; rc == 0 && out->far && i < L.nsamples; i++)
		out->cost +=
		    L.samples[i].weight *
		    dispatch_steps(out->insns, out->len, L.samples[i].audit, L.samples[i].nr);
	sg_free(L.samples);
	if (rc < 0) {
		sg_free(out->insns);
		out->insns = NULL;
	}
	return rc;
}

/*
 * Depth first first. Where a tree's jumps did not all reach (argument-heavy policies of
 * thousands of instructions), the program is made again with the trees laid out by
 * sg_layout_plan, with blocks of two sizes (each is best on some policies), and the program
 * whose dispatch costs least under the cost model is kept (the shorter of two that cost the
 * same): the layout is a heuristic, the choice is exact.
 */
int sg_compile_with(const struct sg_filter *f, const struct sg_compile_opts *opts,
                    struct sg_program **out)
{
	static const unsigned block_divs[] = {4, 32};
	struct lowered best, alt;
	int rc;

	*out = NULL;
	if (f->narch == 0)
		return -EINVAL;
	SG_CHECK_FILTER(f); /* debug builds: the rule database is what db.h says */
	rc = lower_program(f, opts, 0, 0, &best);
	/* what the optimizer leaves of the leaves' code (the compares stay) */
	uint64_t leaf_scale = 1024;
	if (best.emitted > best.compares && best.len > best.compares)
		leaf_scale = (best.len - best.compares) * 1024 / (best.emitted - best.compares);
	for (size_t v = 0; rc == 0 && best.far && v < sizeof(block_divs) / sizeof(*block_divs);
	     v++) {
		rc = lower_program(f, opts, block_divs[v], leaf_scale, &alt);
		if (rc == 0 &&
		    (alt.cost < best.cost || (alt.cost == best.cost && alt.len < best.len))) {
			sg_free(best.insns);
			best = alt;
		} else {
			sg_free(alt.insns);
		}
		/* a layout that fails for another reason than memory (its JAs grew the program
		 * past the emitter's limit) is one not to take */
		if (rc < 0 && rc != -ENOMEM)
			rc = 0;
	}
	if (rc < 0) {
		sg_free(best.insns);
		return rc;
	}
	if (best.len > (opts->max_len ? opts->max_len : SG_BPF_MAXINSNS))
		rc = -E2BIG; /* the kernel refuses more than BPF_MAXINSNS */
	if (rc == 0) {
		*out = sg_malloc(sizeof(**out) + best.len * sizeof(best.insns[0]));
		if (*out) {
			(*out)->len = best.len;
			memcpy((*out)->insns, best.insns, best.len * sizeof(best.insns[0]));
		} else {
			rc = -ENOMEM;
		}
	}
	sg_free(best.insns);
	return rc;
}

/* what sg_compile() does with the filter's OPTIMIZE level, up to `max_len` instructions */
static int compile_default(const struct sg_filter *f, size_t max_len, struct sg_program **out)
{
	struct sg_compile_opts opts = {
	    .tree = f->optimize == 2 ? 2 : 1,
	    .passes = true,
	    .exceptions = true,
	    .max_len = max_len,
	};
	return sg_compile_with(f, &opts, out);
}

int sg_compile(const struct sg_filter *f, struct sg_program **out)
{
	return compile_default(f, 0, out);
}

int sg_compile_len(const struct sg_filter *f, size_t *len)
{
	struct sg_program *p;
	int rc = compile_default(f, SIZE_MAX, &p);

	if (rc == 0) {
		*len = p->len;
		sg_program_free(p);
	}
	return rc;
}

void sg_program_free(struct sg_program *p)
{
	sg_free(p);
}
