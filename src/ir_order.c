/*
 * ir_order.c - exact set algebra on rules, and the compiler's rule order (see ir_order.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <seccomp.h>

#include "alloc.h"
#include "ir.h"
#include "ir_order.h"

const struct sg_width sg_width64 = {UINT64_MAX, 0xffffffffu};

/*
 * one argument's sets
 */

static void vset_ivl(struct sg_vset *s, uint64_t w)
{
	memset(s, 0, sizeof(*s));
	s->kind = SG_VSET_IVL;
	s->w = w;
}

static void vset_add(struct sg_vset *s, uint64_t lo, uint64_t hi)
{
	s->lo[s->n] = lo;
	s->hi[s->n] = hi;
	s->n++;
}

static void vset_full(const struct sg_width *W, struct sg_vset *s)
{
	vset_ivl(s, W->full);
	vset_add(s, 0, W->full);
}

/* {v : (v & m) == d} (kind MASK) or != d (NMASK), with the trivial cases made intervals */
static void vset_mask(const struct sg_width *W, struct sg_vset *s, uint8_t kind, uint64_t m,
                      uint64_t d)
{
	bool never = (d & ~m) != 0; /* (v & m) == d never holds */
	bool always = !never && m == 0;

	if ((kind == SG_VSET_MASK && never) || (kind == SG_VSET_NMASK && always)) {
		vset_ivl(s, W->full);
		return;
	}
	if (never || always) {
		vset_full(W, s);
		return;
	}
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->w = m;
	s->d = d;
}

void sg_vset_of_cond(const struct sg_width *W, const struct sg_cond *c, struct sg_vset *s)
{
	/* a low32 condition compares v & low with the datum, which may be above low */
	uint64_t w = c->low32 ? W->low : W->full;
	uint64_t d = c->datum;

	vset_ivl(s, w);
	switch (c->op) {
	case SCMP_CMP_EQ:
		if (d <= w)
			vset_add(s, d, d);
		break;
	case SCMP_CMP_NE:
		if (d > w) {
			vset_add(s, 0, w);
			break;
		}
		if (d > 0)
			vset_add(s, 0, d - 1);
		if (d < w)
			vset_add(s, d + 1, w);
		break;
	case SCMP_CMP_LT:
		if (d > 0)
			vset_add(s, 0, d - 1 < w ? d - 1 : w);
		break;
	case SCMP_CMP_LE:
		vset_add(s, 0, d < w ? d : w);
		break;
	case SCMP_CMP_GT:
		if (d < w)
			vset_add(s, d + 1, w);
		break;
	case SCMP_CMP_GE:
		if (d <= w)
			vset_add(s, d, w);
		break;
	case SCMP_CMP_MASKED_EQ:
		vset_mask(W, s, SG_VSET_MASK, c->mask & w, d);
		break;
	}
}

void sg_vset_complement(const struct sg_width *W, const struct sg_vset *a, struct sg_vset *s)
{
	if (a->kind != SG_VSET_IVL) {
		*s = *a;
		s->kind = a->kind == SG_VSET_MASK ? SG_VSET_NMASK : SG_VSET_MASK;
		return;
	}
	if (a->n == 0) {
		vset_full(W, s);
		return;
	}
	/* the gaps of [0, w] between a's sorted intervals */
	vset_ivl(s, a->w);
	uint64_t next = 0;
	for (unsigned int i = 0; i < a->n; i++) {
		if (a->lo[i] > next)
			vset_add(s, next, a->lo[i] - 1);
		if (a->hi[i] == a->w)
			return;
		next = a->hi[i] + 1;
	}
	vset_add(s, next, a->w);
}

/* the smallest v >= a (v inside full) with (v & m) == d, d inside m */
static bool next_match(uint64_t full, uint64_t a, uint64_t m, uint64_t d, uint64_t *out)
{
	if ((a & m) == d) {
		*out = a;
		return true;
	}
	/* v keeps a's bits above some bit p where a has 0 and v has 1, and below p is the
	 * smallest pattern (d's bits); a lower p gives a smaller v */
	for (unsigned int p = 0; p < 64 && (full >> p) & 1; p++) {
		uint64_t bit = 1ull << p, above = full & ~(bit | (bit - 1));
		if ((a & bit) || ((m & bit) && !(d & bit)))
			continue;
		if ((a & m & above) != (d & above))
			continue;
		*out = (a & above) | bit | (d & (bit - 1));
		return true;
	}
	return false;
}

/* {v : (v & w) in [a, b]} meets {v : (v & m) == d} (m != 0, d inside m) */
static bool ivl_meets_mask(const struct sg_width *W, uint64_t w, uint64_t a, uint64_t b, uint64_t m,
                           uint64_t d)
{
	uint64_t v;

	/* bits outside w are free in the interval set: the mask's bits there can be met */
	return next_match(W->full, a, m & w, d & w, &v) && v <= b;
}

/* {v : (v & w) in [a, b]} lies inside {v : (v & m) == d} (m != 0, d inside m) */
static bool ivl_in_mask(uint64_t w, uint64_t a, uint64_t b, uint64_t m, uint64_t d)
{
	if (m & ~w)
		return false; /* a bit outside w takes both values in the interval set */
	if (a == b)
		return (a & m) == d;
	/* over [a, b], the bits above the highest bit where a and b differ are fixed, and each
	 * bit at or below it takes both values (a's half ends in ...0111, b's starts ...1000) */
	unsigned int p = 63u - (unsigned int)__builtin_clzll(a ^ b);
	uint64_t below = p == 63 ? UINT64_MAX : (2ull << p) - 1;
	return (m & below) == 0 && (a & m) == d;
}

/* {v : (v & w1) in [a1, b1]} meets {v : (v & w2) in [a2, b2]}, each w the low or full mask */
static bool ivl_meets_ivl(uint64_t w1, uint64_t a1, uint64_t b1, uint64_t w2, uint64_t a2,
                          uint64_t b2)
{
	if (w1 == w2)
		return (a1 > a2 ? a1 : a2) <= (b1 < b2 ? b1 : b2);
	if (w1 > w2)
		return ivl_meets_ivl(w2, a2, b2, w1, a1, b1);
	/* w1 is the low mask: which low words does the full interval [a2, b2] take? */
	if (b2 - a2 >= w1)
		return true; /* all of them */
	uint64_t lo = a2 & w1, hi = b2 & w1;
	if ((a2 & ~w1) == (b2 & ~w1))
		return (a1 > lo ? a1 : lo) <= (b1 < hi ? b1 : hi);
	return b1 >= lo || a1 <= hi; /* [lo, w1] and [0, hi] */
}

bool sg_vset_overlap(const struct sg_width *W, const struct sg_vset *a, const struct sg_vset *b)
{
	if (a->kind > b->kind)
		return sg_vset_overlap(W, b, a);
	switch (a->kind * 3 + b->kind) {
	case SG_VSET_IVL * 3 + SG_VSET_IVL:
		for (unsigned int i = 0; i < a->n; i++)
			for (unsigned int j = 0; j < b->n; j++)
				if (ivl_meets_ivl(a->w, a->lo[i], a->hi[i], b->w, b->lo[j],
				                  b->hi[j]))
					return true;
		return false;
	case SG_VSET_IVL * 3 + SG_VSET_MASK:
		for (unsigned int i = 0; i < a->n; i++)
			if (ivl_meets_mask(W, a->w, a->lo[i], a->hi[i], b->w, b->d))
				return true;
		return false;
	case SG_VSET_IVL * 3 + SG_VSET_NMASK:
		for (unsigned int i = 0; i < a->n; i++)
			if (!ivl_in_mask(a->w, a->lo[i], a->hi[i], b->w, b->d))
				return true;
		return false;
	case SG_VSET_MASK * 3 + SG_VSET_MASK:
		return ((a->d ^ b->d) & a->w & b->w) == 0;
	case SG_VSET_MASK * 3 + SG_VSET_NMASK:
		/* unless every v with (v & a.w) == a.d also has (v & b.w) == b.d */
		return (b->w & ~a->w) != 0 || (a->d & b->w) != b->d;
	default:
		/* two "!=" sets miss each other only when they exclude the two values of one
		 * bit: otherwise some v breaks both equalities */
		return !(a->w == b->w && (a->w & (a->w - 1)) == 0 && a->d != b->d);
	}
}

/*
 * rules: products of their arguments' sets
 */

void sg_rset_build(const struct sg_width *W, const struct sg_rule *r, struct sg_rset *rs)
{
	rs->empty = false;
	rs->args = 0;
	for (unsigned int i = 0; i < SG_MAX_ARGS; i++)
		vset_full(W, &rs->v[i]);
	for (unsigned int i = 0; i < r->ncond; i++) {
		unsigned int arg = r->cond[i].arg;
		sg_vset_of_cond(W, &r->cond[i], &rs->v[arg]);
		sg_vset_complement(W, &rs->v[arg], &rs->nv[arg]);
		rs->args |= (uint8_t)(1u << arg);
		if (rs->v[arg].kind == SG_VSET_IVL && rs->v[arg].n == 0)
			rs->empty = true;
	}
}

/* a's set lies inside b's: empty, or inside on every argument b constrains */
bool sg_rset_subset(const struct sg_width *W, const struct sg_rset *a, const struct sg_rset *b)
{
	if (a->empty)
		return true;
	for (unsigned int i = 0; i < SG_MAX_ARGS; i++)
		if ((b->args >> i & 1) && sg_vset_overlap(W, &a->v[i], &b->nv[i]))
			return false;
	return true;
}

bool sg_rset_overlap(const struct sg_width *W, const struct sg_rset *a, const struct sg_rset *b)
{
	if (a->empty || b->empty)
		return false;
	for (unsigned int i = 0; i < SG_MAX_ARGS; i++)
		if ((a->args & b->args) >> i & 1 && !sg_vset_overlap(W, &a->v[i], &b->v[i]))
			return false;
	return true;
}

bool sg_rule_empty_w(const struct sg_width *W, const struct sg_rule *r)
{
	struct sg_vset v;

	for (unsigned int i = 0; i < r->ncond; i++) {
		sg_vset_of_cond(W, &r->cond[i], &v);
		if (v.kind == SG_VSET_IVL && v.n == 0)
			return true;
	}
	return false;
}

/*
 * The compiler's order.
 *
 * sg_ir_eval: among the matching rules M, the candidates are those with no strict subset in M;
 * the most restrictive candidate's action wins. It is equivalent to count only subsets of
 * another action ("dominators"): a rule whose strict subsets in M all share its action has a
 * minimal one among them, a true candidate with the same action, so the set of candidate
 * actions is the same. Hence only pairs of rules with different actions constrain the order.
 *
 * For such a pair r, s that can match together: r goes first if r is a strict subset of s, or
 * if neither is a strict subset of the other and r is more restrictive. In any order that
 * keeps these constraints, the first matching rule f decides correctly: a matching dominator
 * of f would be earlier, so f is a candidate; a stronger candidate c is not a superset of f (f
 * would dominate it), so it is a subset, an equal or an incomparable overlapping set of f, all
 * of which put c before f.
 *
 * The constraints can form a cycle (r inside s, s overlapping t and stronger, t overlapping r
 * and stronger). Then the strongly connected components are ordered topologically and, in a
 * component of several rules, strongest first, each rule tested with its dominators of that
 * component: it decides only when none of them matches. If any rule of the first component
 * with a match matches, a candidate of it decides: rules of later components can be neither
 * its dominators nor stronger overlapping rules (their constraints would put them earlier).
 */

struct planner {
	uint32_t k;     /* satisfiable rules, in base order (strongest first, then insertion) */
	size_t words;   /* 64-bit words per bit-matrix row */
	uint64_t *edge; /* edge[i][j]: position i must come before position j */
	uint64_t *sub;  /* sub[i][j]: i is a strict subset of j (different actions) */
	uint32_t *comp; /* component of each position */
	uint32_t ncomp;
};

static bool bit_get(const struct planner *P, const uint64_t *m, uint32_t i, uint32_t j)
{
	return m[(size_t)i * P->words + j / 64] >> (j % 64) & 1;
}

static void bit_set(const struct planner *P, uint64_t *m, uint32_t i, uint32_t j)
{
	m[(size_t)i * P->words + j / 64] |= 1ull << (j % 64);
}

/* the next j >= from with edge[i][j], or k */
static uint32_t next_edge(const struct planner *P, uint32_t i, uint32_t from)
{
	const uint64_t *row = P->edge + (size_t)i * P->words;

	while (from < P->k) {
		uint64_t w = row[from / 64] >> (from % 64);
		if (w)
			return from + (uint32_t)__builtin_ctzll(w);
		from = (from / 64 + 1) * 64;
	}
	return P->k;
}

/* Tarjan's strongly connected components, without recursion; scratch has 5k entries */
static void components(struct planner *P, uint32_t *scratch)
{
	const uint32_t none = UINT32_MAX, k = P->k;
	uint32_t *idx = scratch, *low = idx + k, *stk = low + k, *cs = stk + k, *cnext = cs + k;
	uint32_t counter = 0, sp = 0, nc = 0;

	for (uint32_t i = 0; i < k; i++)
		idx[i] = none;
	for (uint32_t root = 0; root < k; root++) {
		uint32_t csp = 0;
		if (idx[root] != none)
			continue;
		idx[root] = low[root] = counter++;
		stk[sp++] = root;
		P->comp[root] = none; /* on the stack while unassigned */
		cs[csp] = root;
		cnext[csp++] = 0;
		while (csp) {
			uint32_t v = cs[csp - 1], w = next_edge(P, v, cnext[csp - 1]);
			if (w < k) {
				cnext[csp - 1] = w + 1;
				if (idx[w] == none) {
					idx[w] = low[w] = counter++;
					stk[sp++] = w;
					P->comp[w] = none;
					cs[csp] = w;
					cnext[csp++] = 0;
				} else if (P->comp[w] == none && idx[w] < low[v]) {
					low[v] = idx[w];
				}
				continue;
			}
			csp--;
			if (low[v] == idx[v]) {
				uint32_t x;
				do {
					x = stk[--sp];
					P->comp[x] = nc;
				} while (x != v);
				nc++;
			}
			if (csp && low[v] < low[cs[csp - 1]])
				low[cs[csp - 1]] = low[v];
		}
	}
	P->ncomp = nc;
}

/* a binary min-heap of positions */
static void heap_push(uint32_t *h, uint32_t *n, uint32_t v)
{
	uint32_t i = (*n)++;
	while (i > 0 && h[(i - 1) / 2] > v) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = v;
}

static uint32_t heap_pop(uint32_t *h, uint32_t *n)
{
	uint32_t top = h[0], v = h[--*n], i = 0;
	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && h[c + 1] < h[c])
			c++;
		if (h[c] >= v)
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = v;
	return top;
}

/*
 * Order the positions: components topologically, the ready component with the earliest
 * position first (so that without constraints the base order stays), members in base order.
 * Writes positions to out[k]; scratch has 4 * ncomp + 1 + k entries. Time O(k^2 / 64 + edges).
 */
static void order_components(const struct planner *P, uint32_t *out, uint32_t *scratch)
{
	const uint32_t k = P->k, nc = P->ncomp;
	uint32_t *indeg = scratch, *first = indeg + nc, *heap = first + nc, *off = heap + nc;
	uint32_t *memb = off + nc + 1, nheap = 0, n = 0;

	for (uint32_t c = 0; c <= nc; c++)
		off[c] = 0;
	for (uint32_t c = 0; c < nc; c++) {
		indeg[c] = 0;
		first[c] = UINT32_MAX;
	}
	/* members of each component in position order (a counting sort) */
	for (uint32_t i = 0; i < k; i++)
		off[P->comp[i] + 1]++;
	for (uint32_t c = 0; c < nc; c++)
		off[c + 1] += off[c];
	for (uint32_t i = 0; i < k; i++) {
		uint32_t c = P->comp[i];
		if (first[c] == UINT32_MAX)
			first[c] = i;
		memb[off[c]++] = i;
		for (uint32_t j = next_edge(P, i, 0); j < k; j = next_edge(P, i, j + 1))
			if (P->comp[j] != c)
				indeg[P->comp[j]]++;
	}
	for (uint32_t c = nc; c > 0; c--)
		off[c] = off[c - 1];
	off[0] = 0;
	for (uint32_t c = 0; c < nc; c++)
		if (indeg[c] == 0)
			heap_push(heap, &nheap, first[c]);
	/* a topological order of the condensation: the heap is empty only when all are out */
	while (nheap) {
		uint32_t c = P->comp[heap_pop(heap, &nheap)];
		for (uint32_t m = off[c]; m < off[c + 1]; m++) {
			uint32_t i = memb[m];
			out[n++] = i;
			for (uint32_t j = next_edge(P, i, 0); j < k; j = next_edge(P, i, j + 1))
				if (P->comp[j] != c && --indeg[P->comp[j]] == 0)
					heap_push(heap, &nheap, first[P->comp[j]]);
		}
	}
}

void sg_rule_plan_free(struct sg_rule_plan *p)
{
	sg_free(p->rule);
	sg_free(p->dom_off);
	sg_free(p->dom);
	memset(p, 0, sizeof(*p));
}

/* positions -> plan, with dominators inside components of several rules */
static int plan_fill(const struct planner *P, const uint32_t *base, const uint32_t *pos,
                     struct sg_rule_plan *p)
{
	const uint32_t k = P->k;
	size_t ndom = 0;
	uint32_t *size = sg_calloc(P->ncomp ? P->ncomp : 1, sizeof(*size));

	if (!size)
		return -ENOMEM;
	for (uint32_t i = 0; i < k; i++)
		size[P->comp[i]]++;
	for (int pass = 0; pass < 2; pass++) {
		ndom = 0;
		for (uint32_t n = 0; n < k; n++) {
			uint32_t i = pos[n];
			p->dom_off[n] = (uint32_t)ndom;
			if (size[P->comp[i]] < 2)
				continue;
			for (uint32_t j = 0; j < k; j++) {
				if (P->comp[j] != P->comp[i] || !bit_get(P, P->sub, j, i))
					continue;
				if (pass)
					p->dom[ndom] = base[j];
				ndom++;
			}
		}
		p->dom_off[k] = (uint32_t)ndom;
		if (pass == 0 && ndom) {
			p->dom = sg_reallocarray(NULL, ndom, sizeof(*p->dom));
			if (!p->dom) {
				sg_free(size);
				return -ENOMEM;
			}
		}
		if (!ndom)
			break;
	}
	for (uint32_t n = 0; n < k; n++)
		p->rule[n] = base[pos[n]];
	sg_free(size);
	return 0;
}

/* the constraints between rules of different actions; false if all point forward */
static bool constrain(struct planner *P, const struct sg_rule *rules, const uint32_t *base,
                      const struct sg_rset *rs)
{
	bool backward = false;

	for (uint32_t i = 0; i < P->k; i++) {
		for (uint32_t j = i + 1; j < P->k; j++) {
			if (rules[base[i]].action == rules[base[j]].action ||
			    !sg_rset_overlap(&sg_width64, &rs[i], &rs[j]))
				continue;
			bool ij = sg_rset_subset(&sg_width64, &rs[i], &rs[j]);
			bool ji = sg_rset_subset(&sg_width64, &rs[j], &rs[i]);
			if (ji && !ij) {
				/* j: more specific, though weaker (base order: strongest first) */
				bit_set(P, P->edge, j, i);
				bit_set(P, P->sub, j, i);
				backward = true;
			} else {
				bit_set(P, P->edge, i, j);
				if (ij && !ji)
					bit_set(P, P->sub, i, j);
			}
		}
	}
	return backward;
}

int sg_ir_rule_plan(const struct sg_sysrules *s, struct sg_rule_plan *p)
{
	const struct sg_rule *rules = s->rules;
	struct planner P = {0};
	struct sg_rset *rs = NULL;
	uint32_t *base = NULL, *scratch = NULL, k = 0;
	bool mixed = false;
	int rc = -ENOMEM;

	memset(p, 0, sizeof(*p));
	p->rule = sg_reallocarray(NULL, s->nrules ? s->nrules : 1, sizeof(*p->rule));
	p->dom_off = sg_calloc((size_t)s->nrules + 1, sizeof(*p->dom_off));
	base = sg_reallocarray(NULL, s->nrules ? s->nrules : 1, sizeof(*base));
	if (!p->rule || !p->dom_off || !base)
		goto out;

	/* rules that can match, strongest action first, ties in insertion order */
	for (uint32_t i = 0; i < s->nrules; i++) {
		if (sg_rule_empty_w(&sg_width64, &rules[i]))
			continue;
		mixed |= k > 0 && rules[i].action != rules[base[0]].action;
		base[k++] = i;
	}
	p->n = k;
	if (!mixed) {
		/* one action: any order means the same */
		memcpy(p->rule, base, k * sizeof(*base));
		rc = 0;
		goto out;
	}
	if (k > SG_PLAN_MAX_RULES) {
		rc = -E2BIG;
		goto out;
	}
	for (uint32_t i = 1; i < k; i++) {
		uint32_t r = base[i], j = i;
		while (j > 0 && sg_action_stronger(rules[r].action, rules[base[j - 1]].action)) {
			base[j] = base[j - 1];
			j--;
		}
		base[j] = r;
	}

	P.k = k;
	P.words = (k + 63) / 64;
	P.edge = sg_calloc((size_t)k * P.words, sizeof(*P.edge));
	P.sub = sg_calloc((size_t)k * P.words, sizeof(*P.sub));
	P.comp = sg_reallocarray(NULL, k, sizeof(*P.comp));
	rs = sg_reallocarray(NULL, k, sizeof(*rs));
	scratch = sg_reallocarray(NULL, 7 * (size_t)k + 1, sizeof(*scratch));
	if (!P.edge || !P.sub || !P.comp || !rs || !scratch)
		goto out;
	for (uint32_t i = 0; i < k; i++)
		sg_rset_build(&sg_width64, &rules[base[i]], &rs[i]);

	if (!constrain(&P, rules, base, rs)) {
		/* every constraint agrees with the base order */
		memcpy(p->rule, base, k * sizeof(*base));
		rc = 0;
		goto out;
	}
	components(&P, scratch);
	order_components(&P, scratch + 6 * (size_t)k, scratch);
	rc = plan_fill(&P, base, scratch + 6 * (size_t)k, p);
out:
	sg_free(P.edge);
	sg_free(P.sub);
	sg_free(P.comp);
	sg_free(rs);
	sg_free(scratch);
	sg_free(base);
	if (rc < 0)
		sg_rule_plan_free(p);
	return rc;
}
