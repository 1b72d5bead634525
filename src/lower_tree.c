/*
 * lower_tree.c - the syscall-number dispatch of one block: the cost model that weighs its
 * ranges, the search tree planned over them (optimal by DP in windows, weight-balanced
 * above), and its layout (depth first, or with its compares as stepping stones, layout.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "alloc.h"
#include "ir.h"
#include "lower_int.h"

/*
 * The dispatch cost model. A range's weight is how often calls land in it; a tree then costs
 * sum(weight * depth), and the tree planned is the cheapest. The weights come from the
 * measured frequency profile (profile_weights.c, tools/weights/), the user's priority hints
 * and the syscall numbers each range holds, mixed per OPTIMIZE level:
 *  1: the least expected cost under the profile: it dominates (a table number weighs as much
 *     as a syscall made 3/16 times per mille), so the syscalls it does not name still sit in
 *     a sensible place but do not push the frequent ones down: 0.2% more than the optimum
 *     under the profile on Docker (6.60 against 6.59) for a longest path of 17, not 18 (with
 *     no number weight). Argument conditions do not count at this level: it is the level
 *     without a bound on the worst path. Weighing each as 1/2 per mille (before) made
 *     Docker's longest path 16, but cost 2-5% under the profile on the argument-heavy
 *     policies of `make bench` (args362x1 1.048x the weighted bound, 1.003x without).
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
 * a subtree out of reach runs a JA (emit.c reach). Such trees are laid out again with their
 * compares as stepping stones between blocks of leaves (sg_lower_tree, layout.c), and the
 * compiler keeps the layout whose dispatch costs least (lower.c sg_compile_with). `make
 * bench`'s "dispatch JA" column counts the JAs: none on args362x1..x4 at level 2 (1100-2200
 * instructions: 1.015-1.018x the uniform bound), 0.36 per call on args362x8 (3700: a third
 * of its code is beyond the reach of any path of 9 compares; the layouts that lay a share of
 * the tree far, its calls with the fewest per instruction, behind a JA, are the best there:
 * 1.047x; laid out all in reach 0.68 and 1.074x), where depth first they were 1.06-1.99 and
 * with the top of the tree as one cluster 0.77-0.92; none on Docker's and podman's, whose
 * trees fit.
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
} units[3] = {[1] = {48, 256, 262144, 0}, [2] = {16, 2, 4096, 64}};
/* Subtrees of at most this many units are planned by DP, larger ones split by weight above
 * it. A table's syscalls are at most about 460 ranges (x86_64), so one window holds them all;
 * with windows of 128, args362x1 at level 1 ran 2.6% above its weighted bound (its 364
 * ranges each weigh a table number, so none form runs of light ranges). The tables are a
 * triangle of 6 bytes a cell: 400 KB for 364 units, 790 KB for 512. */
#define SG_DP_WINDOW 512

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
static inline uint64_t range_conds(const struct lowering *L, uint32_t audit, size_t r)
{
	const struct sg_sysrules *s = L->ranges[r].d.rules;
	const struct sg_archdb *db = s ? sg_ir_select(L->f, audit, L->ranges[r].lo) : NULL;
	uint64_t n = 0;
	for (uint32_t k = 0; db && shapes_tree(L->f, db->arch) && k < s->nrules; k++)
		n += s->rules[k].ncond;
	return n;
}

void sg_lower_weigh_ranges(struct lowering *L, uint32_t audit)
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
			int sys = h->pnr ? sg_sys_by_nr(db->arch, h->pnr) : -1;
			int nr = sys >= 0 ? sg_sys_arch_nr(db->arch, sys) : -1;
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
void sg_lower_fold_exceptions(struct lowering *L)
{
	struct range *r = L->ranges;
	size_t out = 0;

	for (size_t i = 0; i < L->nranges; i++) {
		if (out > 0 && i + 1 < L->nranges && r[i].lo == r[i].hi && !r[out - 1].exc &&
		    sg_lower_decision_equal(&r[out - 1].d, &r[i + 1].d)) {
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

/* the DP's tables hold cells (i, j), i <= j < W, row by row: a triangle */
static inline size_t tri(size_t W, size_t i, size_t j)
{
	return i * W - i * (i - 1) / 2 + (j - i);
}

static inline size_t tri_cells(size_t W)
{
	return W * (W + 1) / 2;
}

/* can ranges i..i+2 be one leaf, [A][x][A] tested as A with a JEQ for x? */
static bool ranges_foldable(const struct lowering *L, size_t i)
{
	const struct range *r = &L->ranges[i];
	return L->opts->exceptions && !r[0].exc && !r[2].exc && r[1].lo == r[1].hi &&
	       sg_lower_decision_equal(&r[0].d, &r[2].d);
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
 * Only run on windows of at most SG_DP_WINDOW units: above that (blocks with several ABIs'
 * numbers of their own), weight-balanced splits, within a few percent of optimal, keep the
 * DP's quadratic time and memory bounded.
 * Costs saturate at 32 bits; a saturated comparison can only make the tree slightly less
 * than optimal, never wrong.
 */
static void plan_window(struct lowering *L, size_t lo, size_t hi)
{
	const size_t W = L->dp->stride, n = hi - lo + 1;
	uint32_t *cost = L->dp->cost, *col = L->dp->cost + tri_cells(W);
	uint16_t *root = L->dp->root;

	for (size_t i = 0; i < n; i++) {
		uint64_t c = unit_cost(L, lo + i);
		cost[tri(W, i, i)] = c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
		root[tri(W, i, i)] = (uint16_t)i;
		L->dp->fold[i] = 0;
	}
	/* column by column, each from the diagonal up: a cell reads its row to the left and its
	 * column below, both done; the column is kept in order in col[] */
	for (size_t j = 1; j < n; j++) {
		/* cell (i, j) is at row(i) + j; row(i) = row(i + 1) - (W - i - 1) */
		size_t below = tri(W, j, j) - j;
		col[j] = cost[below + j];
		for (size_t i = j; i-- > 0;) {
			size_t row = below - (W - i - 1);
			size_t a = root[row + j - 1], b = root[below + j];
			const uint32_t *left = &cost[row]; /* left[k] = cost(i, k) */
			if (a < i + 1)
				a = i + 1;
			if (b > j)
				b = j;
			/* the first k of least cost, the even and odd offsets from a apart (two
			 * chains of compares that do not wait for each other), then the first of
			 * the two; no branch: which k wins is data, hard to predict */
			uint64_t best = UINT64_MAX, best1 = UINT64_MAX;
			size_t bk = a, bk1 = a, k = a;
			for (; k < b; k += 2) {
				uint64_t c = (uint64_t)left[k - 1] + col[k];
				uint64_t c1 = (uint64_t)left[k] + col[k + 1];
				bk = c < best ? k : bk;
				best = c < best ? c : best;
				bk1 = c1 < best1 ? k + 1 : bk1;
				best1 = c1 < best1 ? c1 : best1;
			}
			if (k == b) {
				uint64_t c = (uint64_t)left[k - 1] + col[k];
				bk = c < best ? k : bk;
				best = c < best ? c : best;
			}
			if (best1 < best || (best1 == best && bk1 < bk)) {
				best = best1;
				bk = bk1;
			}
			/* a folded leaf costs the JEQ alone: less than any split's subtrees */
			if (j == i + 2 && foldable(L, lo + i)) {
				best = 0;
				L->dp->fold[i] = 1;
			}
			best += wsum(L, lo + i, lo + j);
			cost[row + j] = col[i] = best > UINT32_MAX ? UINT32_MAX : (uint32_t)best;
			root[row + j] = (uint16_t)bk;
			below = row;
		}
	}
	L->dp->win_lo = lo;
	L->dp->win_hi = hi;
}

/* do ranges i..j form one folded leaf in the plan? */
static bool planned_fold(struct lowering *L, size_t i, size_t j)
{
	size_t u = L->opts->tree ? L->unit_of[i] : 0;
	if (L->opts->tree == 0 || !L->dp->root || j != i + 2)
		return false;
	/* inside a run of light ranges, halving folds wherever it can: it costs nothing */
	if (L->unit_of[j] == u)
		return ranges_foldable(L, i);
	if (L->unit_of[j] != u + 2)
		return false;
	if (!(L->dp->win_lo <= u && u + 2 <= L->dp->win_hi))
		plan_window(L, u, u + 2);
	return L->dp->fold[u - L->dp->win_lo];
}

/* where to split units[i..j] (i < j): the first unit of the right-hand side */
static size_t split_units(struct lowering *L, size_t i, size_t j)
{
	if (L->dp->root && L->dp->win_lo <= i && j <= L->dp->win_hi)
		return L->dp->win_lo +
		       L->dp->root[tri(L->dp->stride, i - L->dp->win_lo, j - L->dp->win_lo)];
	if (L->dp->root && j - i + 1 <= L->dp->stride) {
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
	sg_node d = sg_lower_decision(L, &r->d);
	if (!r->exc)
		return d;
	return sg_emit_jmp(&L->e, BPF_JEQ, r->exc_nr, sg_lower_decision(L, &r->exc_d), d);
}

/* a new tree node for ranges from lo on (room for a whole tree was made: sg_lower_tree) */
static int32_t new_tnode(struct lowering *L, size_t lo)
{
	L->tn[L->ntn] = (struct tnode){.lo = (uint32_t)lo, .node = -1};
	L->lay[L->ntn] = (struct sg_layout_node){.t = -1, .f = -1, .size = 1};
	return (int32_t)L->ntn++;
}

/* the search tree over ranges[i..j], as nodes: its root */
static int32_t plan_tree(struct lowering *L, size_t i, size_t j)
{
	int32_t id = new_tnode(L, i);
	if (i == j || planned_fold(L, i, j)) {
		L->tn[id].fold = i != j;
		for (size_t r = i; r <= j; r++)
			L->lay[id].weight += L->ranges[r].weight;
		return id;
	}
	size_t k = split_point(L, i, j);
	int32_t t = plan_tree(L, k, j);
	int32_t f = plan_tree(L, i, k - 1);
	L->tn[id].split = (uint32_t)k;
	L->lay[id].t = t;
	L->lay[id].f = f;
	L->lay[id].weight = L->lay[t].weight + L->lay[f].weight;
	return id;
}

/* the same tree emitted straight away, depth first (no nodes: the common case is quick) */
static sg_node emit_direct(struct lowering *L, size_t i, size_t j)
{
	if (i == j)
		return lower_leaf(L, &L->ranges[i]);
	if (planned_fold(L, i, j)) {
		struct range leaf = L->ranges[i];
		leaf.exc = true;
		leaf.exc_nr = L->ranges[i + 1].lo;
		leaf.exc_d = L->ranges[i + 1].d;
		return lower_leaf(L, &leaf);
	}
	size_t k = split_point(L, i, j);
	sg_node t = emit_direct(L, k, j);
	sg_node f = emit_direct(L, i, k - 1);
	L->block_far |= !sg_emit_near(&L->e, t) || !sg_emit_near(&L->e, f);
	L->compares++;
	return sg_emit_jmp(&L->e, BPF_JGE, L->ranges[k].lo, t, f);
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
	L->block_far |= !sg_emit_near(&L->e, t) || !sg_emit_near(&L->e, f);
	return L->tn[id].node = emit_compare(L, id);
}

/* the tree again in the order sg_layout_plan gives, last node first (emit.h) */
static sg_node emit_planned(struct lowering *L, int32_t root, size_t mark)
{
	int32_t *order = sg_reallocarray(NULL, L->ntn, sizeof(*order));
	long m = order ? sg_layout_plan(L->lay, L->ntn, root, L->block_div, L->near_permille, order)
	               : -ENOMEM;
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
sg_node sg_lower_tree(struct lowering *L)
{
	size_t mark = L->e.len;
	L->block_far = false;
	if (!L->block_div) {
		return emit_direct(L, 0, L->nranges - 1);
	}
	if (2 * L->nranges > L->tn_cap) {
		size_t cap = 2 * L->nranges;
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
	L->ntn = 0;
	int32_t root = plan_tree(L, 0, L->nranges - 1);
	sg_node node = emit_depth_first(L, root);
	if (node < 0 || !L->block_far)
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

/* the units the DP plans (runs of light ranges are one unit) and its tables, for the block's
 * ranges. Returns 0 or -ENOMEM. */
int sg_lower_plan_units(struct lowering *L, uint32_t audit)
{
	int rc = 0;
	sg_free(L->prefix);
	sg_free(L->unit_first);
	sg_free(L->unit_of);
	L->prefix = sg_reallocarray(NULL, L->nranges + 1, sizeof(*L->prefix));
	L->unit_first = sg_reallocarray(NULL, L->nranges + 1, sizeof(*L->unit_first));
	L->unit_of = sg_reallocarray(NULL, L->nranges, sizeof(*L->unit_of));
	if (!L->prefix || !L->unit_first || !L->unit_of)
		return -ENOMEM;
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
	if (L->dp->audit != audit) {
		L->dp->audit = audit;
		L->dp->win_lo = 1;
		L->dp->win_hi = 0;
	}
	/* the DP tables, as large as this block's windows can be */
	size_t stride = L->nunits < SG_DP_WINDOW ? L->nunits : SG_DP_WINDOW;
	if (L->opts->tree != 0 && stride > L->dp->stride) {
		sg_free(L->dp->cost);
		sg_free(L->dp->root);
		sg_free(L->dp->fold);
		L->dp->cost =
		    sg_reallocarray(NULL, tri_cells(stride) + stride, sizeof(*L->dp->cost));
		L->dp->root = sg_reallocarray(NULL, tri_cells(stride), sizeof(*L->dp->root));
		L->dp->fold = sg_reallocarray(NULL, stride, sizeof(*L->dp->fold));
		L->dp->stride = L->dp->cost && L->dp->root && L->dp->fold ? stride : 0;
		L->dp->win_lo = 1; /* new tables: nothing planned */
		L->dp->win_hi = 0;
		if (!L->dp->stride)
			rc = -ENOMEM;
	}
	return rc;
}
