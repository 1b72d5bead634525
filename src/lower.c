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
 * Argument rules are tested strongest action first (ir.h); each comparison becomes tests on
 * the 32-bit words of the argument in the ABI's byte order.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "bpf.h"
#include "compile.h"
#include "emit.h"
#include "ir.h"

/* what happens for a range of syscall numbers */
struct decision {
	const struct sg_sysrules *rules; /* NULL: `action` decides */
	uint32_t action;
};

struct range {
	uint32_t lo, hi; /* inclusive */
	struct decision d;
};

struct lowering {
	struct sg_emit e;
	const struct sg_filter *f;
	bool big_endian;
	struct range *ranges;
	size_t nranges, cap;
	uint32_t order[256]; /* scratch for rule order, grown below when needed */
	uint32_t *order_big;
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
	sg_node lo = word_masked_eq(L, lo_off, (uint32_t)c->mask, (uint32_t)c->datum, t, f);

	if (c->low32)
		return lo;
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
	uint32_t *order = L->order;
	sg_node next;

	if (!s)
		return sg_emit_ret(&L->e, d->action);
	if (s->nrules > sizeof(L->order) / sizeof(L->order[0])) {
		sg_free(L->order_big);
		L->order_big = sg_reallocarray(NULL, s->nrules, sizeof(*order));
		if (!L->order_big) {
			L->e.err = -ENOMEM;
			return -1;
		}
		order = L->order_big;
	}
	sg_ir_rule_order(s, order);
	/* strongest first: the first rule that matches decides */
	next = sg_emit_ret(&L->e, L->f->act_default);
	for (int i = (int)s->nrules - 1; i >= 0; i--) {
		const struct sg_rule *r = &s->rules[order[i]];
		next = lower_rule(L, r, sg_emit_ret(&L->e, r->action), next);
	}
	return next;
}

/*
 * syscall-number dispatch
 */

static bool rules_equal(const struct sg_sysrules *a, const struct sg_sysrules *b)
{
	if (a->nrules != b->nrules)
		return false;
	/* rule order matters only among equal actions, and there it does not change meaning;
	 * comparing in stored order is conservative (may miss a merge, never merges wrongly) */
	return memcmp(a->rules, b->rules, a->nrules * sizeof(a->rules[0])) == 0;
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
	L->ranges[L->nranges++] = (struct range){lo, hi, d};
	return 0;
}

/* numbers no rule names: the default action, or bad-arch where no ABI of the group owns them */
static int add_gap(struct lowering *L, uint32_t audit, uint32_t lo, uint32_t hi)
{
	/* ownership changes only at the x32 bit and at -1 (see sg_ir_select) */
	static const uint32_t cuts[] = {SG_X32_BIT, 0xffffffffu};
	int rc;

	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		if (lo < cuts[i] && cuts[i] <= hi) {
			rc = add_gap(L, audit, lo, cuts[i] - 1);
			if (rc == 0)
				rc = add_gap(L, audit, cuts[i], hi);
			return rc;
		}
	}
	struct decision d = {NULL, sg_ir_select(L->f, audit, lo) ? L->f->act_default
								     : L->f->act_badarch};
	return add_range(L, lo, hi, d);
}

static int cmp_sys_u32(const void *a, const void *b)
{
	uint32_t x = (uint32_t)(*(const struct sg_sysrules *const *)a)->nr;
	uint32_t y = (uint32_t)(*(const struct sg_sysrules *const *)b)->nr;
	return x < y ? -1 : x > y;
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
	pts = sg_reallocarray(NULL, total, sizeof(*pts));
	if (!pts)
		return -ENOMEM;
	for (uint32_t i = 0; i < f->narch; i++) {
		const struct sg_archdb *db = &f->arch[i];
		if (db->arch->audit != audit)
			continue;
		for (uint32_t j = 0; j < db->nsys; j++)
			/* rules an ABI holds for numbers another ABI of the group owns never apply */
			if (sg_ir_select(f, audit, (uint32_t)db->sys[j].nr) == db)
				pts[npts++] = &db->sys[j];
	}
	qsort(pts, npts, sizeof(*pts), cmp_sys_u32);

	for (size_t i = 0; i < npts && rc == 0; i++) {
		const struct sg_sysrules *s = pts[i];
		uint32_t nr = (uint32_t)s->nr;
		struct decision d = {NULL, f->act_default};

		if (s->has_uncond)
			d.action = s->uncond_action;
		else if (s->nrules)
			d.rules = s;
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

/* a search tree over ranges[i..j] (A holds nr) */
static sg_node lower_tree(struct lowering *L, size_t i, size_t j)
{
	if (i == j)
		return lower_decision(L, &L->ranges[i].d);
	size_t k = i + (j - i + 1) / 2;
	sg_node right = lower_tree(L, k, j);
	sg_node left = lower_tree(L, i, k - 1);
	return sg_emit_jmp(&L->e, BPF_JGE, L->ranges[k].lo, right, left);
}

int sg_compile(const struct sg_filter *f, struct sg_program **out)
{
	struct lowering L;
	uint32_t audits[SG_MAX_ARCHES];
	sg_node blocks[SG_MAX_ARCHES], chain;
	size_t ngroups = 0, len = 0;
	struct sock_filter *insns;
	int rc;

	*out = NULL;
	if (f->narch == 0)
		return -EINVAL;
	memset(&L, 0, sizeof(L));
	L.f = f;
	L.big_endian = f->arch[0].arch->big_endian;
	rc = sg_emit_init(&L.e, SG_BPF_MAXINSNS);
	if (rc < 0)
		return rc;

	/* one block per distinct arch value, in the order the ABIs were added (native first) */
	for (uint32_t i = 0; i < f->narch; i++) {
		size_t g = 0;
		while (g < ngroups && audits[g] != f->arch[i].arch->audit)
			g++;
		if (g == ngroups)
			audits[ngroups++] = f->arch[i].arch->audit;
	}

	chain = sg_emit_ret(&L.e, f->act_badarch);
	for (size_t g = ngroups; g-- > 0;) {
		rc = build_ranges(&L, audits[g]);
		if (rc < 0) {
			L.e.err = rc;
			break;
		}
		blocks[g] = sg_emit_ld(&L.e, SG_OFF_NR, lower_tree(&L, 0, L.nranges - 1));
	}
	for (size_t g = ngroups; g-- > 0 && !L.e.err;)
		chain = sg_emit_jmp(&L.e, BPF_JEQ, audits[g], blocks[g], chain);
	insns = sg_emit_finish(&L.e, sg_emit_ld(&L.e, SG_OFF_ARCH, chain), &len);
	rc = L.e.err;

	if (insns) {
		*out = sg_malloc(sizeof(**out) + len * sizeof(insns[0]));
		if (*out) {
			(*out)->len = len;
			memcpy((*out)->insns, insns, len * sizeof(insns[0]));
		} else {
			rc = -ENOMEM;
		}
		sg_free(insns);
	}
	sg_free(L.ranges);
	sg_free(L.order_big);
	sg_emit_fini(&L.e);
	return rc;
}

void sg_program_free(struct sg_program *p)
{
	sg_free(p);
}

int sg_filter_program(struct sg_filter *f, const struct sg_program **out)
{
	if (!f->program) {
		int rc = sg_compile(f, &f->program);
		if (rc < 0)
			return rc;
	}
	*out = f->program;
	return 0;
}
