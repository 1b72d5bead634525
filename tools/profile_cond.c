/*
 * profile_cond.c - the conditions of a profile entry as libseccomp rules
 *
 * libseccomp accepts at most one comparison per argument in a rule, but profiles may put
 * several on one argument (meaning all must hold). Their conjunction is rewritten exactly
 * into a union of single comparisons, one rule per combination over the arguments.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "profile_int.h"

/*
 * Exact rewriting of several comparisons on the same argument (see profile.h).
 *
 * Two representations are used. Every comparison but MASKED_EQ selects one or two intervals
 * of [0, dmax]; their conjunction is a sorted list of disjoint intervals. A MASKED_EQ selects
 * a "pattern" {x : x & mask == val}; the conjunction of patterns is a single pattern. An
 * interval is also a union of at most 2*64 aligned blocks, each of which is a pattern, and
 * the intersection of two patterns is a pattern, so every mix can be written exactly as a
 * union of patterns, i.e. of MASKED_EQ (or EQ) comparisons.
 */

struct ival {
	uint64_t lo, hi;
};

struct pat {
	uint64_t mask, val; /* invariant: (val & ~mask) == 0 */
};

struct vec {
	void *p;
	size_t n, cap, sz;
};

static int vec_push(struct vec *v, const void *e)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *p = realloc(v->p, cap * v->sz);

		if (!p)
			return -ENOMEM;
		v->p = p;
		v->cap = cap;
	}
	memcpy((char *)v->p + v->n * v->sz, e, v->sz);
	v->n++;
	return 0;
}

/* the set one interval-type comparison selects, as up to two intervals */
static size_t cond_ivals(const struct scmp_arg_cmp *c, uint64_t dmax, struct ival out[2])
{
	uint64_t v = c->datum_a;

	switch (c->op) {
	case SCMP_CMP_EQ:
		if (v > dmax)
			return 0;
		out[0] = (struct ival){v, v};
		return 1;
	case SCMP_CMP_NE: {
		size_t n = 0;

		if (v > dmax) {
			out[0] = (struct ival){0, dmax};
			return 1;
		}
		if (v > 0)
			out[n++] = (struct ival){0, v - 1};
		if (v < dmax)
			out[n++] = (struct ival){v + 1, dmax};
		return n;
	}
	case SCMP_CMP_LT:
		if (v == 0)
			return 0;
		out[0] = (struct ival){0, v - 1 < dmax ? v - 1 : dmax};
		return 1;
	case SCMP_CMP_LE:
		out[0] = (struct ival){0, v < dmax ? v : dmax};
		return 1;
	case SCMP_CMP_GT:
		if (v >= dmax)
			return 0;
		out[0] = (struct ival){v + 1, dmax};
		return 1;
	case SCMP_CMP_GE:
		if (v > dmax)
			return 0;
		out[0] = (struct ival){v, dmax};
		return 1;
	default:
		return 0;
	}
}

/* a &= b for sorted disjoint interval lists; a must have room for na + nb entries */
static size_t ival_and(struct ival *a, size_t na, const struct ival *b, size_t nb)
{
	struct ival tmp[na + nb + 1];
	size_t i = 0, j = 0, n = 0;

	while (i < na && j < nb) {
		uint64_t lo = a[i].lo > b[j].lo ? a[i].lo : b[j].lo;
		uint64_t hi = a[i].hi < b[j].hi ? a[i].hi : b[j].hi;

		if (lo <= hi)
			tmp[n++] = (struct ival){lo, hi};
		if (a[i].hi < b[j].hi)
			i++;
		else
			j++;
	}
	memcpy(a, tmp, n * sizeof(*a));
	return n;
}

/* append the aligned blocks whose union is [lo, hi] */
static int ival_blocks(uint64_t lo, uint64_t hi, struct vec *out)
{
	for (;;) {
		unsigned int k = lo ? (unsigned int)__builtin_ctzll(lo) : 64;
		uint64_t last;
		struct pat p;

		/* the largest aligned block starting at lo that stays within hi */
		for (;; k--) {
			last = k == 64 ? UINT64_MAX : lo | ((UINT64_C(1) << k) - 1);
			if (last <= hi)
				break;
		}
		p.mask = k == 64 ? 0 : ~((UINT64_C(1) << k) - 1);
		p.val = lo;
		if (vec_push(out, &p))
			return -ENOMEM;
		if (last >= hi)
			return 0;
		lo = last + 1;
	}
}

static bool pat_and(struct pat a, struct pat b, struct pat *r)
{
	if ((a.val ^ b.val) & a.mask & b.mask)
		return false;
	r->mask = a.mask | b.mask;
	r->val = a.val | b.val;
	return true;
}

/* a is a subset of b */
static bool pat_within(struct pat a, struct pat b)
{
	return (b.mask & ~a.mask) == 0 && ((a.val ^ b.val) & b.mask) == 0;
}

/* drop patterns contained in others and join pairs differing in one fixed bit, to fixpoint */
static size_t pat_simplify(struct pat *p, size_t n)
{
	bool changed = true;

	while (changed) {
		size_t i, j;

		changed = false;
		for (i = 0; i < n; i++) {
			for (j = 0; j < n; j++) {
				uint64_t diff;

				if (i == j)
					continue;
				diff = p[i].val ^ p[j].val;
				if (pat_within(p[j], p[i])) {
					p[j] = p[--n];
				} else if (p[i].mask == p[j].mask && diff && !(diff & (diff - 1))) {
					p[i].mask &= ~diff;
					p[i].val &= ~diff;
					p[j] = p[--n];
				} else {
					continue;
				}
				changed = true;
				if (i >= n)
					break;
				j = (size_t)-1; /* p[i] changed or p[j] was replaced: rescan */
			}
		}
	}
	return n;
}

/* whether the pattern holds any value outside the intervals */
static int pat_leaves(const struct ival *iv, size_t ni, struct pat pm, bool *leaves)
{
	struct vec blocks = {.sz = sizeof(struct pat)};
	uint64_t lo = 0;
	bool more = true;
	size_t i, j;
	int rc = 0;

	*leaves = false;
	for (i = 0; i <= ni && more && !*leaves; i++) {
		/* the gap before interval i, or after the last one */
		uint64_t hi = i < ni ? iv[i].lo - 1 : UINT64_MAX;
		struct pat t;

		if (i == ni || iv[i].lo > lo) {
			blocks.n = 0;
			if ((rc = ival_blocks(lo, hi, &blocks)))
				break;
			for (j = 0; j < blocks.n && !*leaves; j++)
				*leaves = pat_and(((struct pat *)blocks.p)[j], pm, &t);
		}
		if (i < ni) {
			more = iv[i].hi != UINT64_MAX;
			lo = iv[i].hi + 1;
		}
	}
	free(blocks.p);
	return rc;
}

static void emit(struct scmp_arg_cmp *out, size_t *n, unsigned int arg, enum scmp_compare op,
                 uint64_t a, uint64_t b)
{
	out[*n] = (struct scmp_arg_cmp){.arg = arg, .op = op, .datum_a = a, .datum_b = b};
	(*n)++;
}

static int emit_pats(const struct pat *p, size_t np, unsigned int arg, uint64_t dmax,
                     struct scmp_arg_cmp *out, size_t *n, size_t max)
{
	size_t i;

	for (i = 0; i < np; i++) {
		uint64_t m = p[i].mask & dmax;

		if (*n >= max)
			return -E2BIG;
		if (m == 0)
			emit(out, n, arg, OP_TRUE, 0, 0);
		else if (m == dmax)
			emit(out, n, arg, SCMP_CMP_EQ, p[i].val, 0);
		else
			emit(out, n, arg, SCMP_CMP_MASKED_EQ, m, p[i].val);
	}
	return 0;
}

/* write the interval list as comparisons, preferring the plain operators */
static int emit_ivals(const struct ival *iv, size_t ni, unsigned int arg, uint64_t dmax,
                      struct scmp_arg_cmp *out, size_t *n, size_t max)
{
	size_t i;

	if (ni == 2 && iv[0].lo == 0 && iv[1].hi == dmax && iv[1].lo - iv[0].hi == 2) {
		emit(out, n, arg, SCMP_CMP_NE, iv[0].hi + 1, 0);
		return 0;
	}
	for (i = 0; i < ni; i++) {
		struct vec blocks = {.sz = sizeof(struct pat)};
		int rc;

		if (*n >= max)
			return -E2BIG;
		if (iv[i].lo == 0 && iv[i].hi == dmax)
			emit(out, n, arg, OP_TRUE, 0, 0);
		else if (iv[i].lo == iv[i].hi)
			emit(out, n, arg, SCMP_CMP_EQ, iv[i].lo, 0);
		else if (iv[i].lo == 0)
			emit(out, n, arg, SCMP_CMP_LE, iv[i].hi, 0);
		else if (iv[i].hi == dmax)
			emit(out, n, arg, SCMP_CMP_GE, iv[i].lo, 0);
		else {
			/* strictly inside the domain: one comparison cannot say it */
			rc = ival_blocks(iv[i].lo, iv[i].hi, &blocks);
			if (!rc)
				rc = emit_pats(blocks.p, blocks.n, arg, dmax, out, n, max);
			free(blocks.p);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int sg_profile_and_split(const struct scmp_arg_cmp *conds, size_t n, uint64_t dmax,
                         struct scmp_arg_cmp *out, size_t max)
{
	struct ival *iv = NULL;
	struct pat pm = {0, 0}, tmp;
	struct vec blocks = {.sz = sizeof(struct pat)}, res = {.sz = sizeof(struct pat)};
	size_t i, ni, nout = 0;
	bool masked = false, all_same = true, leaves;
	unsigned int arg;
	int rc = 0;

	if (n == 0 || !conds || !out || max == 0)
		return -EINVAL;
	arg = conds[0].arg;
	for (i = 0; i < n; i++) {
		if (conds[i].op <= _SCMP_CMP_MIN || conds[i].op >= _SCMP_CMP_MAX ||
		    conds[i].arg != arg)
			return -EINVAL;
		if (conds[i].op != conds[0].op || conds[i].datum_a != conds[0].datum_a ||
		    (conds[i].op == SCMP_CMP_MASKED_EQ && conds[i].datum_b != conds[0].datum_b))
			all_same = false;
	}
	/* a single comparison is passed through untouched, exactly as the runtimes do */
	if (all_same) {
		out[0] = conds[0];
		if (out[0].op != SCMP_CMP_MASKED_EQ)
			out[0].datum_b = 0;
		return 1;
	}

	iv = malloc((n + 2) * sizeof(*iv));
	if (!iv)
		return -ENOMEM;
	iv[0] = (struct ival){0, dmax};
	ni = 1;
	pm.mask = ~dmax; /* values above dmax do not exist: their bits are fixed to 0 */
	for (i = 0; i < n; i++) {
		struct ival c[2];
		struct pat p;

		if (conds[i].op != SCMP_CMP_MASKED_EQ) {
			ni = ival_and(iv, ni, c, cond_ivals(&conds[i], dmax, c));
			continue;
		}
		masked = true;
		p.mask = conds[i].datum_a;
		p.val = conds[i].datum_b;
		if ((p.val & ~p.mask) || !pat_and(pm, p, &pm))
			ni = 0; /* x & mask can never equal a value with bits outside the mask */
	}
	if (ni == 0)
		goto out;
	if (!masked) {
		rc = emit_ivals(iv, ni, arg, dmax, out, &nout, max);
		goto out;
	}

	/* the pattern inside the intervals: the intervals add nothing */
	if ((rc = pat_leaves(iv, ni, pm, &leaves)))
		goto out;
	if (!leaves) {
		rc = emit_pats(&pm, 1, arg, dmax, out, &nout, max);
		goto out;
	}

	/* the aligned blocks of the intervals, each intersected with the pattern */
	blocks.n = 0;
	for (i = 0; i < ni; i++)
		if ((rc = ival_blocks(iv[i].lo, iv[i].hi, &blocks)))
			goto out;
	{
		bool covered = true; /* every block inside the pattern: the pattern adds nothing */

		for (i = 0; i < blocks.n; i++) {
			struct pat b = ((struct pat *)blocks.p)[i];

			if (!pat_within(b, pm))
				covered = false;
			if (pat_and(b, pm, &tmp) && (rc = vec_push(&res, &tmp)))
				goto out;
		}
		if (covered) {
			rc = emit_ivals(iv, ni, arg, dmax, out, &nout, max);
			goto out;
		}
	}
	res.n = pat_simplify(res.p, res.n);
	rc = emit_pats(res.p, res.n, arg, dmax, out, &nout, max);
out:
	free(iv);
	free(blocks.p);
	free(res.p);
	if (rc)
		return rc;
	/* one "always true" makes everything else redundant */
	for (i = 0; i < nout; i++)
		if (out[i].op == OP_TRUE) {
			out[0] = out[i];
			return 1;
		}
	return (int)nout;
}

/*
 * Per-argument rewriting of every entry, for both argument widths
 */

int pf_split_entry(struct msg *m, struct entry *e)
{
	static const uint64_t dmax[2] = {UINT64_MAX, UINT32_MAX};
	struct scmp_arg_cmp conds[e->nconds ? e->nconds : 1];
	int d, a;

	for (a = 0; a < 6; a++) {
		size_t n = 0, i;

		for (i = 0; i < e->nconds; i++)
			if (e->conds[i].arg == (unsigned int)a)
				conds[n++] = e->conds[i];
		if (n > 1)
			e->split = true;
		for (d = 0; d < 2; d++) {
			int rc;

			if (n == 0) {
				e->natoms[d][a] = -1; /* no condition */
				continue;
			}
			e->atoms[d][a] = calloc(MAX_ATOMS, sizeof(struct scmp_arg_cmp));
			if (!e->atoms[d][a])
				return pf_fail(m, -ENOMEM, "out of memory");
			rc = sg_profile_and_split(conds, n, dmax[d], e->atoms[d][a], MAX_ATOMS);
			if (rc == -E2BIG)
				return pf_fail(m, -E2BIG,
				               "syscalls[%zu] (%s): args: the %zu conditions on "
				               "argument %d need more than %d comparisons to be "
				               "expressed exactly",
				               e->idx, e->label, n, a, MAX_ATOMS);
			if (rc < 0)
				return pf_fail(m, rc, "syscalls[%zu] (%s): args: %s", e->idx,
				               e->label, strerror(-rc));
			e->natoms[d][a] = rc;
		}
		if (n && (e->natoms[0][a] != e->natoms[1][a] ||
		          memcmp(e->atoms[0][a], e->atoms[1][a],
		                 (size_t)e->natoms[0][a] * sizeof(struct scmp_arg_cmp)) != 0))
			e->width_differs = true;
	}
	return 0;
}

size_t pf_entry_rules(const struct entry *e, int d)
{
	size_t prod = 1;
	int a;

	for (a = 0; a < 6; a++) {
		if (e->natoms[d][a] < 0)
			continue;
		prod *= (size_t)e->natoms[d][a];
		if (prod > MAX_RULES + 1)
			prod = MAX_RULES + 1; /* saturate: only the comparison matters */
	}
	return prod;
}
