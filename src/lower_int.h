/*
 * lower_int.h - what the compiler's two files share: lower.c (ranges, argument tests, blocks,
 * the program) and lower_tree.c (the dispatch cost model and the search tree over a block's
 * ranges, planned and laid out).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_LOWER_INT_H
#define SYSGATE_LOWER_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "compile.h"
#include "db.h"
#include "emit.h"
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

/* a node of the planned search tree: ranges from lo on, split at `split` (the first range of
 * the right-hand side) unless it is a leaf; its layout facts are in the parallel
 * sg_layout_node */
struct tnode {
	uint32_t lo, split;
	bool fold;    /* a leaf: ranges lo..lo+2 as one, with a JEQ for the middle one */
	sg_node node; /* its code, once emitted */
};

/* The optimal-tree tables for one window of a block's units. The programs one sg_compile_with
 * makes (depth first and laid out) plan the same trees over the same units, so the tables
 * it keeps outlive each of them: a window of the same block (arch value) is planned once. */
struct lower_dp {
	uint32_t *cost; /* cost, then one column */
	uint16_t *root;
	uint8_t *fold;         /* per window start i: ranges i..i+2 are one leaf with a JEQ */
	size_t stride;         /* the tables' row length: the largest window planned */
	size_t win_lo, win_hi; /* the window they describe; win_hi < win_lo: none */
	uint32_t audit;        /* ...of the block of this arch value */
};

struct lowering {
	struct sg_emit e;
	struct sg_emit leaf; /* sg_lower_decision's, for a leaf made apart (once used) */
	const struct sg_filter *f;
	const struct sg_compile_opts *opts;
	bool big_endian;
	uint8_t ordered_args; /* lower_decision: the arguments its rules compare by order */
	bool lo_first;        /* every ABI has 64-bit arguments: cmp_masked_eq */
	bool leaves_apart;    /* optimize each leaf alone first (sg_lower_decision; passes on) */
	struct range *ranges;
	size_t nranges, cap;
	/* the DP plans units: a range, or a run of light ranges (weight 1: no number of an ABI
	 * that shapes the tree, such as x32's beside x86_64) dispatched by halving inside */
	uint32_t *unit_first; /* unit u = ranges unit_first[u] .. unit_first[u + 1] - 1 */
	uint32_t *unit_of;    /* range -> its unit */
	size_t nunits;
	uint64_t *prefix;    /* prefix sums of unit weights */
	struct lower_dp *dp; /* the DP's tables (sg_compile_with's) */
	/* the search tree of the block being lowered (plan_tree) */
	struct tnode *tn;
	struct sg_layout_node *lay;
	size_t ntn, tn_cap;
	bool block_far;         /* the block's depth-first tree has a jump out of reach */
	size_t compares;        /* the depth-first trees' compares, all blocks */
	unsigned block_div;     /* 0: depth first; else plan the trees that do not fit (layout.h) */
	unsigned near_permille; /* with block_div: the share of the tree laid out near (layout.h) */
	uint64_t leaf_scale;    /* ...with the leaves' sizes times leaf_scale / 1024 */
	/* the dispatch's cost model, kept to weigh the finished program: per range of a block
	 * whose tree did not fit (the others are laid out alike whatever the variant), the arch
	 * value, its first number and its weight */
	struct sample {
		uint32_t audit, nr;
		uint64_t weight;
	} * samples;
	size_t nsamples, samples_cap;
};

/* lower.c: are two rule sets the same, rule by rule? */
bool sg_lower_rules_equal(const struct sg_sysrules *a, const struct sg_sysrules *b);

/* do two decisions decide every call alike? (inline: add_range asks for every range) */
static inline bool sg_lower_decision_equal(const struct decision *a, const struct decision *b)
{
	if (!a->rules || !b->rules)
		return !a->rules && !b->rules && a->action == b->action;
	return a->rules == b->rules || sg_lower_rules_equal(a->rules, b->rules);
}
/* lower.c: the code of one decision (a RET, or the argument tests of one syscall's rules) */
sg_node sg_lower_decision(struct lowering *L, const struct decision *d);

/* lower_tree.c: the ranges' weights under the cost model of L->opts->tree */
void sg_lower_weigh_ranges(struct lowering *L, uint32_t audit);
/* lower_tree.c: [A][x][A] -> one range with a JEQ for x (the halving tree's greedy folds) */
void sg_lower_fold_exceptions(struct lowering *L);
/* lower_tree.c: the units and DP tables for the block's ranges (of arch value audit); 0 or
 * -ENOMEM */
int sg_lower_plan_units(struct lowering *L, uint32_t audit);
/* lower_tree.c: the search tree over the block's ranges (A holds nr), emitted */
sg_node sg_lower_tree(struct lowering *L);

#endif
