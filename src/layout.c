/*
 * layout.c - stepping-stone layout of a search tree (see layout.h).
 *
 * Laid out depth first, a compare's right subtree starts after the whole left one: in a
 * program of thousands of instructions that jump is too long for the 8-bit offset, and every
 * call going right pays a JA. But a compare need not sit next to its subtrees' code: it can
 * sit anywhere between its parent and them, as long as each of its jumps spans at most 255.
 * A path of h compares can then reach h times as far as one jump without any JA.
 *
 * The plan:
 *  - A subtree whose code is at most block_max long is a block, laid out depth first: its
 *    own jumps all reach. The compares above the blocks are the top compares.
 *  - The blocks are laid out in the tree's order, except that of a top compare's two
 *    subtrees the one that needs to be near comes first (order_subtrees): a block d top
 *    compares down can be at most about d reaches away.
 *  - Each top compare goes into a gap between blocks (or before the first): the latest gap
 *    that its parent reaches and that precedes its subtrees, since the later it sits, the
 *    farther its own subtrees can be. Where its subtrees then cost more JAs than reaching it
 *    through a JA would (and letting it sit just before its subtrees), it is reached through
 *    a JA (cost_at weighs both by the calls that pass them).
 *  - The compares a gap holds, and their JAs, move the later gaps on: placed, counted, and
 *    placed again with the counts (SG_LAYOUT_ROUNDS times).
 *  - With near_permille set, only that share of the tree's code is laid out so: subtrees
 *    with the fewest calls per instruction are taken out (choose_far), each reached through
 *    a JA and laid out after all the rest. A path of h compares reaches about h reaches; a
 *    tree with more code than that runs JAs whatever the layout, and they are cheapest on
 *    the calls that come least often per instruction of code.
 * The result is a plan: the emitter still makes a JA wherever a jump turns out not to reach.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "layout.h"

/* placements with the counts of the one before (the first has none); more rounds chase the
 * counts of a placement that moves with them and do not converge to anything better */
#define SG_LAYOUT_ROUNDS 3

struct plan {
	const struct sg_layout_node *nodes;
	uint64_t reach;     /* the reach, less a slack for what the sizes do not show */
	uint64_t block_max; /* the longest subtree laid out as one block */
	uint64_t *span;     /* per node: its subtree's code size */
	bool *t_first;      /* per top compare: its right subtree's code first */
	uint32_t *gap;      /* per block: the gap before it; per top compare: its gap */
	uint32_t *lgap;     /* per top compare: the latest gap it can take (before its code) */
	uint32_t *memo_gap; /* cost_at's answers, two per top compare: */
	uint64_t *memo;     /* [0] at its latest gap, [1] the last other one asked */
	size_t ngaps;       /* gaps 0..ngaps: gap g comes before block g */
	uint64_t *base;     /* per gap: where it starts, counting the blocks before it */
	uint32_t *shift;    /* per gap: the compares and JAs it holds (the last count) */
	uint32_t *count;    /* the same, being counted */
	uint64_t *start;    /* per gap: where its block starts: base + shifts up to it */
	int32_t *block;     /* per gap: its block, -1 for the gap after the last */
	bool *far;          /* per node: the root of a far subtree (choose_far) */
};

static bool is_top(const struct plan *p, int32_t v)
{
	return p->nodes[v].t >= 0 && p->span[v] > p->block_max;
}

/* the code size of each subtree (a RET leaf takes none: it is copied next to its parent).
 * Recursion depth is the tree's depth: the trees planned are balanced by the cost model's
 * weights over at most a few thousand ranges. */
static uint64_t measure(struct plan *p, int32_t v)
{
	const struct sg_layout_node *y = &p->nodes[v];
	if (p->far && p->far[v])
		return p->span[v] = 1; /* where it is: the JA to it */
	if (y->t < 0)
		return p->span[v] = y->free ? 0 : y->size;
	return p->span[v] = y->size + measure(p, y->f) + measure(p, y->t);
}

/* the parent of each node below v */
static void parents(const struct plan *p, int32_t v, int32_t *up)
{
	const struct sg_layout_node *y = &p->nodes[v];
	if (y->t < 0)
		return;
	up[y->f] = up[y->t] = v;
	parents(p, y->f, up);
	parents(p, y->t, up);
}

struct candidate {
	double density; /* calls per instruction of code */
	int32_t v;
};

static int by_density(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	if (x->density != y->density)
		return x->density < y->density ? -1 : 1;
	return x->v < y->v ? -1 : x->v > y->v;
}

/*
 * Far subtrees. A path of h compares reaches about h reaches, so of a tree whose code is
 * longer than its paths reach some calls run a JA whatever the layout; better they are the
 * calls into the subtrees with the fewest calls per instruction of code. Those are chosen
 * (greedily, whole subtrees of at most half a reach, so that each is one block) until the
 * rest is at most cap long; each is then reached through a JA and laid out after the rest.
 * Returns 0 or -ENOMEM.
 */
static int choose_far(struct plan *p, size_t n, int32_t root, uint64_t cap)
{
	int32_t *up = sg_reallocarray(NULL, n, sizeof(*up));
	struct candidate *c = sg_reallocarray(NULL, n, sizeof(*c));
	bool *below = sg_calloc(n, sizeof(*below)); /* a far subtree under the node */
	p->far = sg_calloc(n, sizeof(*p->far));
	if (!up || !c || !below || !p->far) {
		sg_free(up);
		sg_free(c);
		sg_free(below);
		return -ENOMEM;
	}
	size_t nc = 0;
	for (size_t v = 0; v < n; v++)
		up[v] = -2; /* not in the tree */
	up[root] = -1;
	parents(p, root, up);
	for (size_t v = 0; v < n; v++)
		if (up[v] >= 0 && p->span[v] > 1 && p->span[v] <= p->reach / 2)
			c[nc++] = (struct candidate){
			    (double)p->nodes[v].weight / (double)p->span[v], (int32_t)v};
	qsort(c, nc, sizeof(*c), by_density);
	uint64_t len = p->span[root];
	for (size_t i = 0; i < nc && len > cap; i++) {
		int32_t v = c[i].v, a = up[v];
		if (below[v])
			continue;
		while (a >= 0 && !p->far[a])
			a = up[a];
		if (a >= 0)
			continue;
		p->far[v] = true;
		len -= p->span[v] - 1;
		for (a = up[v]; a >= 0 && !below[a]; a = up[a])
			below[a] = true;
	}
	sg_free(up);
	sg_free(c);
	sg_free(below);
	return 0;
}

/*
 * The order of each top compare's two subtrees in the code. A subtree's slack is how far
 * its blocks are in reach when its top compare sits at the start of its code: the least,
 * over its blocks, of (compares on the way) * reach - (where the block starts). With a first,
 * b's blocks start span(a) later; the order with the larger slack is taken.
 */
static int64_t order_subtrees(struct plan *p, int32_t v)
{
	const struct sg_layout_node *y = &p->nodes[v];
	if (!is_top(p, v))
		return p->span[v] ? 0 : INT64_MAX / 4;
	int64_t sf = order_subtrees(p, y->f), st = order_subtrees(p, y->t);
	int64_t lf = (int64_t)p->span[y->f], lt = (int64_t)p->span[y->t];
	int64_t f_first = sf < st - lf ? sf : st - lf;
	int64_t t_first = st < sf - lt ? st : sf - lt;
	p->t_first[v] = t_first > f_first;
	return (p->t_first[v] ? t_first : f_first) + (int64_t)p->reach;
}

/* the blocks in that order, each after a gap of its own */
static void find_blocks(struct plan *p, int32_t v, uint64_t *at)
{
	const struct sg_layout_node *y = &p->nodes[v];
	if (is_top(p, v)) {
		find_blocks(p, p->t_first[v] ? y->t : y->f, at);
		find_blocks(p, p->t_first[v] ? y->f : y->t, at);
		return;
	}
	if (p->span[v] == 0)
		return;
	p->gap[v] = (uint32_t)p->ngaps;
	p->base[p->ngaps] = *at;
	p->block[p->ngaps++] = v;
	*at += p->span[v];
}

/* the latest gap of each top compare: the first gap of its code */
static uint32_t latest(struct plan *p, int32_t v)
{
	const struct sg_layout_node *y = &p->nodes[v];
	if (!is_top(p, v))
		return p->span[v] ? p->gap[v] : UINT32_MAX;
	uint32_t f = latest(p, y->f), t = latest(p, y->t);
	return p->lgap[v] = f < t ? f : t;
}

/* the last gap whose block a compare in gap g reaches (the gap's compares and JAs sit
 * before its block: reach is counted from the first of them) */
static uint32_t reach_from(const struct plan *p, uint32_t g)
{
	uint64_t limit = p->start[g] - p->shift[g] + p->reach;
	size_t lo = g, hi = p->ngaps;
	while (lo < hi) {
		size_t mid = (lo + hi + 1) / 2;
		if (p->start[mid] <= limit)
			lo = mid;
		else
			hi = mid - 1;
	}
	return (uint32_t)lo;
}

static uint64_t cost_at(struct plan *p, int32_t c, uint32_t g);

/* child c of a compare in gap g: the weight of the calls that will run a JA on the way to
 * and inside c, where c goes (*at) and whether it is reached through a JA (*ja) */
static uint64_t child_cost(struct plan *p, int32_t c, uint32_t g, uint32_t *at, bool *ja)
{
	uint32_t last = reach_from(p, g);
	if (!is_top(p, c)) {
		*ja = p->span[c] && p->gap[c] > last;
		*at = p->span[c] ? p->gap[c] : g;
		return *ja ? p->nodes[c].weight : 0;
	}
	uint32_t near = p->lgap[c] < last ? p->lgap[c] : last;
	uint64_t direct = cost_at(p, c, near);
	uint64_t far = p->nodes[c].weight + cost_at(p, c, p->lgap[c]);
	*ja = far < direct;
	*at = *ja ? p->lgap[c] : near;
	return *ja ? far : direct;
}

/* the weight of the calls that run a JA below top compare c when it sits in gap g */
static uint64_t cost_at(struct plan *p, int32_t c, uint32_t g)
{
	size_t slot = 2 * (size_t)c + (g != p->lgap[c]);
	if (p->memo_gap[slot] == g)
		return p->memo[slot];
	uint32_t at;
	bool ja;
	uint64_t cost =
	    child_cost(p, p->nodes[c].f, g, &at, &ja) + child_cost(p, p->nodes[c].t, g, &at, &ja);
	p->memo_gap[slot] = g;
	p->memo[slot] = cost;
	return cost;
}

/* top compare v goes into gap g; then its top subtrees, where child_cost puts them */
static void place(struct plan *p, int32_t v, uint32_t g)
{
	const struct sg_layout_node *y = &p->nodes[v];
	p->gap[v] = g;
	for (int i = 0; i < 2; i++) {
		int32_t c = i ? y->t : y->f;
		uint32_t at;
		bool ja;
		child_cost(p, c, g, &at, &ja);
		p->count[g] += ja;
		if (is_top(p, c))
			place(p, c, at);
	}
	p->count[g]++;
}

/* the nodes of a block, depth first (left subtree first), RETs and far subtrees left out
 * (all: the far subtree itself is laid out) */
static void emit_block(const struct plan *p, int32_t v, bool all, int32_t *order, long *m)
{
	const struct sg_layout_node *y = &p->nodes[v];
	if (!all && p->far && p->far[v])
		return;
	if (y->t < 0) {
		if (!y->free)
			order[(*m)++] = v;
		return;
	}
	order[(*m)++] = v;
	emit_block(p, y->f, false, order, m);
	emit_block(p, y->t, false, order, m);
}

/* gap g's top compares, each before its subtrees */
static void emit_gap(const struct plan *p, uint32_t g, int32_t v, int32_t *order, long *m)
{
	if (!is_top(p, v))
		return;
	if (p->gap[v] == g)
		order[(*m)++] = v;
	emit_gap(p, g, p->nodes[v].f, order, m);
	emit_gap(p, g, p->nodes[v].t, order, m);
}

long sg_layout_plan(const struct sg_layout_node *nodes, size_t n, int32_t root,
                    unsigned int block_div, unsigned int near_permille, int32_t *order)
{
	struct plan p = {.nodes = nodes};
	long m = 0;

	p.span = sg_reallocarray(NULL, n, sizeof(*p.span));
	p.t_first = sg_reallocarray(NULL, n, sizeof(*p.t_first));
	p.gap = sg_reallocarray(NULL, n, sizeof(*p.gap));
	p.lgap = sg_reallocarray(NULL, n, sizeof(*p.lgap));
	p.memo_gap = sg_reallocarray(NULL, n, 2 * sizeof(*p.memo_gap));
	p.memo = sg_reallocarray(NULL, n, 2 * sizeof(*p.memo));
	p.base = sg_reallocarray(NULL, n + 1, sizeof(*p.base));
	p.shift = sg_calloc(n + 1, sizeof(*p.shift));
	p.count = sg_reallocarray(NULL, n + 1, sizeof(*p.count));
	p.start = sg_reallocarray(NULL, n + 1, sizeof(*p.start));
	p.block = sg_reallocarray(NULL, n + 1, sizeof(*p.block));
	if (!p.span || !p.t_first || !p.gap || !p.lgap || !p.memo_gap || !p.memo || !p.base ||
	    !p.shift || !p.count || !p.start || !p.block) {
		m = -ENOMEM;
		goto out;
	}
	uint64_t total = measure(&p, root), at = 0;
	/* the slack: RET copies and JAs to code the leaves share, about one per reach */
	uint64_t slack = 4 + total / 256;
	p.reach = slack < SG_LAYOUT_REACH / 2 ? SG_LAYOUT_REACH - slack : SG_LAYOUT_REACH / 2;
	p.block_max = p.reach / (block_div ? block_div : 1);
	if (near_permille && near_permille < 1000) {
		if (choose_far(&p, n, root, total * near_permille / 1000) < 0) {
			m = -ENOMEM;
			goto out;
		}
		measure(&p, root);
	}
	if (!is_top(&p, root)) {
		emit_block(&p, root, false, order, &m);
		goto far;
	}
	order_subtrees(&p, root);
	find_blocks(&p, root, &at);
	p.base[p.ngaps] = at;
	p.block[p.ngaps] = -1;
	memcpy(p.start, p.base, (p.ngaps + 1) * sizeof(*p.start));
	latest(&p, root);
	for (int round = 0; round < SG_LAYOUT_ROUNDS; round++) {
		uint64_t moved = 0;
		if (round > 0) {
			for (size_t g = 0; g <= p.ngaps; g++) {
				p.shift[g] = p.count[g];
				moved += p.count[g];
				p.start[g] = p.base[g] + moved;
			}
		}
		for (size_t i = 0; i < 2 * n; i++)
			p.memo_gap[i] = UINT32_MAX;
		memset(p.count, 0, (p.ngaps + 1) * sizeof(*p.count));
		place(&p, root, 0); /* the entry: first of all */
	}
	for (uint32_t g = 0; g <= p.ngaps; g++) {
		emit_gap(&p, g, root, order, &m);
		if (p.block[g] >= 0)
			emit_block(&p, p.block[g], false, order, &m);
	}
far:
	for (size_t v = 0; p.far && v < n; v++)
		if (p.far[v])
			emit_block(&p, (int32_t)v, true, order, &m);
out:
	sg_free(p.span);
	sg_free(p.t_first);
	sg_free(p.gap);
	sg_free(p.lgap);
	sg_free(p.memo_gap);
	sg_free(p.memo);
	sg_free(p.base);
	sg_free(p.shift);
	sg_free(p.count);
	sg_free(p.start);
	sg_free(p.block);
	sg_free(p.far);
	return m;
}
