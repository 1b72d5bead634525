/*
 * ir_order.h - exact set algebra on rules, and the order in which a syscall's rules are tested.
 *
 * sg_ir_eval() (ir.h) resolves overlapping rules by containment: a rule whose matching set lies
 * strictly inside another matching rule's set is more specific and wins over it. That needs to
 * know, exactly, whether one rule's set is inside another's and whether two sets meet. A
 * rule's set is the product of its conditions' sets, one per argument; a condition's set is
 * {v : (v & w) in up to two intervals} (NE/LT/LE/EQ/GE/GT, w the 64-bit or the low-32-bit
 * mask) or {v : (v & m) == d} (MASKED_EQ). Every test here is exact, never an approximation.
 *
 * The value width is a parameter (struct sg_width) so that the tests can check the algebra
 * against brute force on every value of a small width; the library uses sg_width64.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_IR_ORDER_H
#define SYSGATE_IR_ORDER_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

/* all bits of an argument, and the bits a low32 condition sees (low is inside full) */
struct sg_width {
	uint64_t full, low;
};
extern const struct sg_width sg_width64;

enum { SG_VSET_IVL, SG_VSET_MASK, SG_VSET_NMASK };

/*
 * One argument's set of values:
 *   IVL:   {v : (v & w) in [lo[0], hi[0]] u ... u [lo[n-1], hi[n-1]]} (sorted, disjoint,
 *          within [0, w]; n == 0 is the empty set)
 *   MASK:  {v : (v & w) == d}, NMASK: {v : (v & w) != d} (w != 0, d inside w)
 */
struct sg_vset {
	uint8_t kind, n;
	uint64_t w, d;
	uint64_t lo[3], hi[3];
};

void sg_vset_of_cond(const struct sg_width *W, const struct sg_cond *c, struct sg_vset *out);
bool sg_vset_overlap(const struct sg_width *W, const struct sg_vset *a, const struct sg_vset *b);
/* s = the values of [0, W->full] not in a */
void sg_vset_complement(const struct sg_width *W, const struct sg_vset *a, struct sg_vset *s);

/*
 * Rules (at most one condition per argument, as db.h guarantees): a rule's set is the product
 * of its arguments' sets. The compiler builds each rule's product once (sg_rset_build) and
 * compares products.
 */
struct sg_rset {
	bool empty;
	uint8_t args;                   /* bit i: a condition on argument i */
	struct sg_vset v[SG_MAX_ARGS];  /* the set on each argument (full where unconstrained) */
	struct sg_vset nv[SG_MAX_ARGS]; /* its complement, on constrained arguments */
};
void sg_rset_build(const struct sg_width *W, const struct sg_rule *r, struct sg_rset *rs);
/* a's set lies inside b's */
bool sg_rset_subset(const struct sg_width *W, const struct sg_rset *a, const struct sg_rset *b);
bool sg_rset_overlap(const struct sg_width *W, const struct sg_rset *a, const struct sg_rset *b);
bool sg_rule_empty_w(const struct sg_width *W, const struct sg_rule *r);

/*
 * The same questions on single sets and rules, for the reference evaluator and the tests (they
 * are in src/ir_eval.c, in libsysgate_tools.la: the library never asks them one at a time).
 */
/* a is inside b */
bool sg_vset_subset(const struct sg_width *W, const struct sg_vset *a, const struct sg_vset *b);
bool sg_rule_subset_w(const struct sg_width *W, const struct sg_rule *a, const struct sg_rule *b);
bool sg_rule_overlap_w(const struct sg_width *W, const struct sg_rule *a, const struct sg_rule *b);

/*
 * How the compiler tests a syscall's conditional rules so that the first decision equals
 * sg_ir_eval(): rules rule[0..n) in this order (rules that can never match are left out); at
 * position i, if rule[i] matches and none of its dominators dom[dom_off[i] .. dom_off[i+1])
 * matches, its action decides; otherwise testing goes on at position i + 1; after the last
 * one, the default action. Most rules have no dominators: their order alone resolves every
 * overlap. Dominators are needed only where the precedence between rules has a cycle.
 */
struct sg_rule_plan {
	uint32_t n;
	uint32_t *rule;    /* indexes into the syscall's rules[] */
	uint32_t *dom_off; /* n + 1 offsets into dom */
	uint32_t *dom;     /* indexes into rules[] */
};

/* the rule count above which ordering rules of several actions is refused (-E2BIG): a program
 * testing more rules than this cannot fit the kernel's 4096 instructions anyway. Ordering
 * compares every pair of rules with different actions: at the bound, 4096 nested rules of two
 * actions take about 0.6 s; one action, or few rules, cost nothing measurable. */
#define SG_PLAN_MAX_RULES 4096

/* 0, or -ENOMEM / -E2BIG; free the plan with sg_rule_plan_free() */
int sg_ir_rule_plan(const struct sg_sysrules *s, struct sg_rule_plan *p);
void sg_rule_plan_free(struct sg_rule_plan *p);

#endif
