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
 * becomes tests on the 32-bit words of the argument in the ABI's byte order. The tests of a
 * syscall with several rules are optimized on their own before they join the program
 * (sg_lower_decision).
 *
 * The tree of each block, its cost model and its layout are in lower_tree.c. A program whose
 * trees do not fit in a jump's reach is made up to six times (sg_compile_with: depth first,
 * again with its leaves optimized in the whole program, then up to four stepping-stone
 * layouts) and the one whose dispatch costs least is kept.
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
#include "lower_int.h"

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

/* the argument tests of one syscall's rules, emitted into L->e */
static sg_node lower_rules(struct lowering *L, const struct sg_sysrules *s)
{
	struct sg_rule_plan p;
	sg_node next;
	int rc;

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
 * With the bytecode passes on, the argument tests of a syscall with several rules are made
 * apart and optimized alone before they join the program: each rule's tests repeat loads and
 * compares that the rules before them decide (a 64-bit comparison tests the high word of each
 * value again). The optimizer removes them where the code is small, so that on the whole
 * program it finds nothing left to do in most policies (Docker's: one pass, where it took two
 * and a rebuild). One rule tests each argument once: nothing to remove. A leaf starts with a
 * load (or is a RET): it needs nothing the dispatch knew. (Not in the programs whose trees do
 * not fit in a jump's reach: sg_compile_with.)
 */
sg_node sg_lower_decision(struct lowering *L, const struct decision *d)
{
	struct sg_emit whole;
	struct sock_filter *leaf;
	size_t len;
	sg_node entry;
	int rc;

	if (!d->rules)
		return sg_emit_ret(&L->e, d->action);
	if (!L->leaves_apart || d->rules->nrules < 2)
		return lower_rules(L, d->rules);
	if (L->e.err)
		return -1;
	/* one builder for the leaves, emptied for each */
	if (L->leaf.slots)
		rc = sg_emit_rewind(&L->leaf, 0);
	else
		rc = sg_emit_init(&L->leaf, SG_EMIT_LIMIT, 31);
	if (rc < 0) {
		L->e.err = rc;
		return -1;
	}
	whole = L->e;
	L->e = L->leaf;
	leaf = sg_emit_finish(&L->e, lower_rules(L, d->rules), &len);
	rc = L->e.err;
	L->leaf = L->e;
	L->e = whole;
	if (rc == 0)
		rc = sg_bpf_optimize(&leaf, &len);
	entry = rc == 0 ? sg_emit_program(&L->e, leaf, len) : -1;
	sg_free(leaf);
	if (rc < 0 && !L->e.err)
		L->e.err = rc;
	return entry;
}

/*
 * syscall-number dispatch
 */

bool sg_lower_rules_equal(const struct sg_sysrules *a, const struct sg_sysrules *b)
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

static int add_range(struct lowering *L, uint32_t lo, uint32_t hi, struct decision d)
{
	if (L->nranges && sg_lower_decision_equal(&L->ranges[L->nranges - 1].d, &d) &&
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
                               uint32_t nr, uint64_t *jas)
{
	uint32_t a = 0;
	uint64_t steps = 0;
	*jas = 0;
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
			++*jas;
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
		sg_lower_fold_exceptions(L);
	if (rc == 0) {
		sg_lower_weigh_ranges(L, audit);
		rc = sg_lower_plan_units(L, audit);
	}
	if (rc < 0) {
		if (!L->e.err)
			L->e.err = rc;
		return -1;
	}
	/* a block that decides everything the same way needs no syscall number */
	if (L->nranges == 1 && !L->ranges[0].exc && !L->ranges[0].d.rules)
		return sg_lower_decision(L, &L->ranges[0].d);
	sg_node tree = sg_lower_tree(L);
	if (L->block_far && !L->e.err && (rc = add_samples(L, audit)) < 0)
		L->e.err = rc;
	return sg_emit_ld(&L->e, SG_OFF_NR, tree);
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
	uint64_t ja_cost;          /* the part of it that is JAs */
};

/* how the trees that do not fit are laid out (sg_layout_plan): {0, 0} depth first; and
 * whether the leaves are optimized apart (sg_lower_decision) or with the whole program */
struct layout_choice {
	unsigned block_div, near_permille;
	bool leaves_apart;
};

/*
 * One program for f: lowered (the trees depth first, or with layout.block_div set those that
 * do not fit laid out by sg_layout_plan, leaf sizes scaled by leaf_scale / 1024) and
 * optimized. Returns 0 and fills *out, or a negative errno.
 */
static int lower_program(const struct sg_filter *f, const struct sg_compile_opts *opts,
                         struct layout_choice layout, uint64_t leaf_scale, struct lower_dp *dp,
                         struct lowered *out)
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
	L.dp = dp;
	L.block_div = layout.block_div;
	L.leaves_apart = layout.leaves_apart && opts->passes; /* it runs the optimizer */
	L.near_permille = layout.near_permille;
	L.leaf_scale = leaf_scale;
	L.big_endian = f->arch[0].arch->big_endian;
	L.lo_first = true;
	for (uint32_t i = 0; i < f->narch; i++)
		L.lo_first &= f->arch[i].arch->arg_bits == 64;
	rc = sg_emit_init(&L.e, SG_EMIT_LIMIT, 127);
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
	out->far = L.nsamples > 0; /* samples are kept for the blocks that did not fit */
	out->compares = L.compares;
	sg_free(L.ranges);
	sg_free(L.prefix);
	sg_free(L.unit_first);
	sg_free(L.unit_of);
	sg_free(L.tn);
	sg_free(L.lay);
	sg_emit_fini(&L.e);
	sg_emit_fini(&L.leaf);

	if (out->insns && opts->passes)
		rc = sg_bpf_optimize(&out->insns, &out->len);
	for (size_t i = 0; rc == 0 && out->far && i < L.nsamples; i++) {
		uint64_t jas;
		out->cost +=
		    L.samples[i].weight *
		    dispatch_steps(out->insns, out->len, L.samples[i].audit, L.samples[i].nr, &jas);
		out->ja_cost += L.samples[i].weight * jas;
	}
	sg_free(L.samples);
	if (rc < 0) {
		sg_free(out->insns);
		out->insns = NULL;
	}
	return rc;
}

/*
 * Depth first first, the leaves optimized apart. Where a tree's jumps did not all reach
 * (argument-heavy policies of thousands of instructions), the program is made again depth
 * first with the leaves optimized as part of the whole program (the first one stays a
 * candidate), and with the trees laid out by sg_layout_plan, the leaves sized by what the
 * optimizer left of them in that program. Those layouts were tuned with the leaves optimized
 * with the whole program, after the layout: with the leaves optimized apart, the layout kept
 * for args362x8 of `make bench` at level 2 ran 12.74 instructions of dispatch, not 12.66. The
 * layouts are with blocks of two sizes, all in reach (each is best on some policies), and
 * with half or 3/5 of the tree laid out in reach and the rest reached through JAs (best
 * where a third of the code is beyond what the tree's paths reach: args362x8 of `make bench`
 * 1.047x the bound at level 2, 1.074x without; 1.017x its weighted bound at level 1, 1.053x
 * without). The program whose dispatch costs least under the cost model is kept (the shorter
 * of two that cost the same): the layout is a heuristic, the choice is exact. Not for a
 * program longer than the kernel takes (the layouts change its length by a few
 * instructions, the JAs they save or add; args1250x8 of `make bench`, 15000 instructions,
 * took five times as long).
 */
int sg_compile_with(const struct sg_filter *f, const struct sg_compile_opts *opts,
                    struct sg_program **out)
{
	static const struct layout_choice layouts[] = {
	    {0, 0, false}, {4, 0, false}, {32, 0, false}, {32, 500, false}, {32, 600, false}};
	struct lowered best, alt;
	struct lower_dp dp = {.win_lo = 1}; /* no window planned */
	int rc;

	*out = NULL;
	if (f->narch == 0)
		return -EINVAL;
	SG_CHECK_FILTER(f); /* debug builds: the rule database is what db.h says */
	rc = lower_program(f, opts, (struct layout_choice){0, 0, true}, 0, &dp, &best);
	bool try_layouts = rc == 0 && best.far && best.len <= SG_BPF_MAXINSNS;
	/* what the optimizer leaves of the leaves' code (the compares stay), measured on the
	 * first of these programs (depth first) */
	uint64_t leaf_scale = 1024;
	for (size_t v = 0; try_layouts && rc == 0 && v < sizeof(layouts) / sizeof(*layouts); v++) {
		/* the layouts share the tree: one whose dispatch runs no JA is not beaten by one
		 * that lays a share far (they come last) */
		if (layouts[v].near_permille && best.ja_cost == 0)
			break;
		rc = lower_program(f, opts, layouts[v], leaf_scale, &dp, &alt);
		if (v == 0 && rc == 0 && alt.emitted > alt.compares && alt.len > alt.compares)
			leaf_scale = (alt.len - alt.compares) * 1024 / (alt.emitted - alt.compares);
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
	sg_free(dp.cost);
	sg_free(dp.root);
	sg_free(dp.fold);
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
