/*
 * lift.c - the cells of one syscall as libseccomp rules (see dc_lift_syscall() in
 * decompile.h).
 *
 * A compiled rule set shows up as the leaves of a decision tree: "arg >= K" on a 64-bit
 * argument is two paths (high word above, or equal and the low word at least), a rule with
 * several conditions leaves the paths of the other rules behind its false branches. To get
 * rules back, the cells of one action are simplified first on the atoms (two cells that differ
 * in one complementary atom merge; a cell drops an atom whose complement another cell of the
 * same action covers — absorption, which keeps every cell inside the union), then turned into
 * 64-bit argument sets (unions of intervals, or masked equalities) and merged again where they
 * differ in one argument only. Every step keeps the union of each action's cells exactly.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "bpftools.h"
#include "decompile.h"

#define MAXI      256  /* intervals or masked alternatives per argument */
#define MAX_RULES 1024 /* more rules than this for one syscall is not a useful rendering */

struct wcell {
	uint32_t action;
	struct sg_sym_atom *atoms;
	size_t n;
	bool dead;
};

static bool form_eq(const struct sg_sym_form *a, const struct sg_sym_form *b)
{
	return a->word == b->word && a->shift == b->shift && a->mask == b->mask && a->xor == b->xor
	    ;
}

static bool atom_eq(const struct sg_sym_atom *a, const struct sg_sym_atom *b)
{
	return form_eq(&a->f, &b->f) && a->kind == b->kind && a->lo == b->lo &&
	       (a->kind != SG_SYM_RANGE || a->hi == b->hi);
}

static bool complementary(const struct sg_sym_atom *a, const struct sg_sym_atom *b)
{
	/* plain words are left to the 64-bit interval merge: absorbing "hi >= 1" against
	 * "hi == 0 && lo >= K" is correct but leaves a shape no 64-bit comparison has */
	if (!form_eq(&a->f, &b->f) || sg_sym_form_is_plain(&a->f))
		return false;
	if (a->kind > b->kind) {
		const struct sg_sym_atom *t = a;
		a = b;
		b = t;
	}
	switch (a->kind) {
	case SG_SYM_RANGE:
		if (b->kind == SG_SYM_NE)
			return a->lo == a->hi && a->lo == b->lo;
		if (b->kind != SG_SYM_RANGE)
			return false;
		return (a->lo == 0 && b->hi == UINT32_MAX && a->hi != UINT32_MAX &&
		        b->lo == a->hi + 1) ||
		       (b->lo == 0 && a->hi == UINT32_MAX && b->hi != UINT32_MAX &&
		        a->lo == b->hi + 1);
	case SG_SYM_ANY:
		return b->kind == SG_SYM_NONE && a->lo == b->lo;
	default:
		return false;
	}
}

static bool has_atom(const struct wcell *c, const struct sg_sym_atom *a, size_t skip)
{
	for (size_t i = 0; i < c->n; i++)
		if (i != skip && atom_eq(&c->atoms[i], a))
			return true;
	return false;
}

/* every atom of a except a->atoms[ai] is in b (not counting b->atoms[bi]) */
static bool covered(const struct wcell *a, size_t ai, const struct wcell *b, size_t bi)
{
	for (size_t i = 0; i < a->n; i++)
		if (i != ai && !has_atom(b, &a->atoms[i], bi))
			return false;
	return true;
}

static void drop_atom(struct wcell *c, size_t i)
{
	c->atoms[i] = c->atoms[--c->n];
}

/* one round of merging and absorption; true when something changed */
static bool simplify_round(struct wcell *c, size_t n)
{
	bool changed = false;

	for (size_t a = 0; a < n; a++) {
		for (size_t b = 0; b < n; b++) {
			if (a == b || c[a].dead || c[b].dead || c[a].action != c[b].action)
				continue;
			for (size_t j = 0; j < c[b].n; j++) {
				size_t i;

				for (i = 0; i < c[a].n; i++)
					if (complementary(&c[a].atoms[i], &c[b].atoms[j]))
						break;
				if (i == c[a].n || !covered(&c[a], i, &c[b], j))
					continue;
				/* a = S & x, b = S & T & !x: b may become S & T */
				drop_atom(&c[b], j);
				if (c[a].n - 1 == c[b].n && covered(&c[b], SIZE_MAX, &c[a], i))
					c[a].dead = true; /* a is now inside b */
				changed = true;
				break;
			}
		}
	}
	return changed;
}

/* ---- 64-bit argument sets ---- */

/* S_LOW: intervals of the low word, the high word free (masked blocks of the low word);
 * S_ALTS: a disjunction of masked equalities (m[i], v[i]) */
enum { S_FREE, S_INTERVALS, S_MASKED, S_LOW, S_ALTS };

struct argset {
	int kind;
	uint64_t m, v;               /* S_MASKED */
	size_t n;                    /* S_INTERVALS, S_LOW, S_ALTS */
	uint64_t lo[MAXI], hi[MAXI]; /* S_ALTS: masks in lo, values in hi */
};

struct scell {
	uint32_t action;
	struct argset arg[6];
	bool dead;
};

/* one 32-bit word: free, a masked equality (mask, value), or a union of intervals */
struct wordset {
	int kind;
	uint32_t m, v;
	size_t n;
	uint32_t lo[MAXI], hi[MAXI]; /* S_ALTS: masks in lo, values in hi */
};

/*
 * "Some bit of `bits` is 1" on a word, with the word's equalities (m, v) already known: the
 * alternatives (m | bit, v | bit value) into s (the product with alternatives already there).
 * want[] gives, per bit, the value the word's bit must have for the bit to count.
 */
static bool add_disjunction(struct wordset *s, uint32_t bits, uint32_t want)
{
	uint32_t am[MAXI], av[MAXI];
	size_t n = 0, nbase = s->kind == S_ALTS ? s->n : 1;

	for (size_t a = 0; a < nbase; a++) {
		uint32_t bm = s->kind == S_ALTS ? s->lo[a] : s->m;
		uint32_t bv = s->kind == S_ALTS ? s->hi[a] : s->v;

		for (uint32_t rest = bits; rest; rest &= rest - 1) {
			uint32_t bit = rest & -rest;

			if ((bm & bit) && (bv & bit) != (want & bit))
				continue; /* contradicts the equalities */
			if (n == MAXI)
				return false;
			am[n] = bm | bit;
			av[n++] = bv | (want & bit);
		}
	}
	s->kind = S_ALTS;
	s->n = n;
	memcpy(s->lo, am, n * sizeof(am[0]));
	memcpy(s->hi, av, n * sizeof(av[0]));
	return n > 0;
}

/* [lo, hi] without the excluded points, as intervals into s */
static bool intervals(uint32_t lo, uint32_t hi, uint32_t *ne, size_t nne, struct wordset *s)
{
	s->kind = S_INTERVALS;
	s->n = 0;
	qsort(ne, nne, sizeof(ne[0]), bt_cmp_u32);
	for (size_t i = 0; i < nne && lo <= hi; i++) {
		if (ne[i] < lo || ne[i] > hi)
			continue;
		if (ne[i] > lo) {
			if (s->n == MAXI)
				return false;
			s->lo[s->n] = lo;
			s->hi[s->n++] = ne[i] - 1;
		}
		if (ne[i] == hi)
			return true;
		lo = ne[i] + 1;
	}
	if (s->n == MAXI)
		return false;
	s->lo[s->n] = lo;
	s->hi[s->n++] = hi;
	return true;
}

static bool word_alts(const struct wordset *w, uint32_t *m, uint32_t *v, size_t *n);

/* ---- the general case: disjoint cubes found with the solver ---- */

struct cubes {
	struct sg_sym_atom *at; /* the word's atoms, then room for two more */
	size_t n;
	uint32_t relevant; /* the word's bits some atom looks at */
	struct wordset *out;
	bool failed;
};

static bool sat(struct cubes *k, size_t n)
{
	uint32_t v;
	int rc = sg_sym_solve_word(k->at, n, k->at[0].f.word, &v);

	if (rc < 0)
		k->failed = true; /* undecided: not written as rules */
	return rc != 0;
}

/* does the cube (m, v) lie inside the atoms' set? (no atom's complement meets it) */
static bool inside(struct cubes *k, const struct sg_sym_atom *cube)
{
	for (size_t i = 0; i < k->n && !k->failed; i++) {
		const struct sg_sym_atom *a = &k->at[i];
		struct sg_sym_atom neg[2];
		size_t nneg = sg_sym_atom_negate(a, neg);

		for (size_t j = 0; j < nneg; j++) {
			/* the cube and one piece of the complement, alone */
			struct sg_sym_atom pair[2] = {*cube, neg[j]};
			uint32_t v;
			int rc = sg_sym_solve_word(pair, 2, cube->f.word, &v);

			if (rc < 0)
				k->failed = true;
			if (rc != 0)
				return false;
		}
	}
	return !k->failed;
}

/* split the cube on the highest relevant bit it leaves free until each part is inside the
 * set or outside it: a disjoint union that is exactly the set */
static void split(struct cubes *k, uint32_t m, uint32_t v)
{
	struct sg_sym_atom cube = {{k->at[0].f.word, 0, m, 0}, SG_SYM_RANGE, v, v};
	uint32_t free_bits = k->relevant & ~m, bit;

	if (k->failed)
		return;
	k->at[k->n] = cube;
	if (!sat(k, k->n + 1))
		return;
	if (inside(k, &cube)) {
		if (k->out->n == MAXI) {
			k->failed = true;
			return;
		}
		k->out->lo[k->out->n] = m;
		k->out->hi[k->out->n++] = v;
		return;
	}
	if (free_bits == 0 || k->failed) {
		k->failed = true; /* cannot happen: every atom is constant on the cube */
		return;
	}
	bit = 1u << (31 - __builtin_clz(free_bits));
	split(k, m | bit, v);
	split(k, m | bit, v | bit);
}

/* the bits of the word that a form's bits `out` come from */
static uint32_t source_bits(const struct sg_sym_form *f, uint32_t out)
{
	out &= f->mask;
	return f->shift >= 0 ? out << f->shift : out >> -f->shift;
}

static bool word_cubes(const struct wcell *c, unsigned int word, struct wordset *s)
{
	struct cubes k = {malloc((c->n + 2) * sizeof(*k.at)), 0, 0, s, false};

	memset(s, 0, sizeof(*s));
	s->kind = S_ALTS;
	if (k.at == NULL)
		return false;
	for (size_t i = 0; i < c->n; i++) {
		const struct sg_sym_atom *a = &c->atoms[i];

		if (a->f.word != word)
			continue;
		k.at[k.n++] = *a;
		k.relevant |= source_bits(&a->f, a->kind >= SG_SYM_ANY ? a->lo : UINT32_MAX);
	}
	split(&k, 0, 0);
	free(k.at);
	return !k.failed && s->n > 0;
}

/*
 * One word's atoms as: free, a union of intervals (plain compares only), a masked equality
 * (equalities under masks, single-bit tests), or a disjunction of masked equalities (bit
 * tests on several bits, "not equal" under a mask, and intervals mixed with masks, cut into
 * aligned blocks). false when none fits (compares on shifted words, ranges under masks).
 */
static bool word_set_simple(const struct wcell *c, unsigned int word, struct wordset *s)
{
	uint32_t lo = 0, hi = UINT32_MAX, ne[MAXI];
	const struct sg_sym_atom *disj[MAXI];
	size_t nne = 0, ndisj = 0;
	bool plain = true, other = false, has_iv = false;

	memset(s, 0, sizeof(*s));
	s->kind = S_FREE;
	for (size_t i = 0; i < c->n; i++) {
		const struct sg_sym_atom *at = &c->atoms[i];
		uint32_t m = at->f.mask, x = at->f.xor, bits;
		bool is_plain = sg_sym_form_is_plain(&at->f);

		if (at->f.word != word)
			continue;
		s->kind = S_MASKED;
		plain &= is_plain && at->kind <= SG_SYM_NE;
		if (is_plain && at->kind == SG_SYM_RANGE) {
			has_iv |= at->lo != at->hi;
			if (at->lo > lo)
				lo = at->lo;
			if (at->hi < hi)
				hi = at->hi;
		} else if (is_plain && at->kind == SG_SYM_NE) {
			has_iv = true;
			if (nne == MAXI)
				return false;
			ne[nne++] = at->lo;
			continue;
		}
		if (at->f.shift != 0) {
			other = true;
		} else if (at->kind == SG_SYM_RANGE && at->lo == at->hi) {
			s->m |= m;
			s->v |= (at->lo ^ x) & m;
		} else if (at->kind == SG_SYM_NONE) {
			s->m |= at->lo & m;
			s->v |= x & at->lo & m;
		} else if (at->kind == SG_SYM_ANY && (bits = at->lo & m) != 0 &&
		           (bits & (bits - 1)) == 0 && !(at->lo & ~m & x)) {
			s->m |= bits;
			s->v |= ~x & bits;
		} else if (at->kind == SG_SYM_ANY || at->kind == SG_SYM_NE) {
			if (ndisj == MAXI)
				return false;
			disj[ndisj++] = at;
		} else if (!(is_plain && at->kind == SG_SYM_RANGE)) {
			other = true;
		}
	}
	if (s->kind == S_FREE)
		return true;
	if (plain)
		return intervals(lo, hi, ne, nne, s);
	if (other)
		return false;
	if (has_iv) {
		/* the intervals as blocks, each with the equalities added */
		static struct wordset iv;
		uint32_t am[MAXI], av[MAXI];
		size_t n, k = 0;

		if (!intervals(lo, hi, ne, nne, &iv) || !word_alts(&iv, am, av, &n))
			return false;
		for (size_t i = 0; i < n; i++) {
			if ((am[i] & s->m) & (av[i] ^ s->v))
				continue;
			s->lo[k] = am[i] | s->m;
			s->hi[k++] = av[i] | s->v;
		}
		if (k == 0)
			return false;
		s->kind = S_ALTS;
		s->n = k;
	}
	for (size_t i = 0; i < ndisj; i++) {
		const struct sg_sym_atom *at = disj[i];
		uint32_t m = at->f.mask, x = at->f.xor ;

		if (at->kind == SG_SYM_ANY) {
			/* a constant output bit already set: always true */
			if (at->lo & ~m & x)
				continue;
			if (!add_disjunction(s, at->lo & m, ~x))
				return false;
		} else {
			if ((at->lo ^ x) & ~m)
				continue;
			if (!add_disjunction(s, m, ~(at->lo ^ x)))
				return false;
		}
	}
	return true;
}

/* the simple shapes first (fewer, more readable rules), else the cubes */
static bool word_set(const struct wcell *c, unsigned int word, struct wordset *s)
{
	return word_set_simple(c, word, s) || word_cubes(c, word, s);
}

/* a word set as a disjunction of masked equalities (intervals as aligned blocks) */
static bool word_alts(const struct wordset *w, uint32_t *m, uint32_t *v, size_t *n)
{
	*n = 0;
	switch (w->kind) {
	case S_FREE:
	case S_MASKED:
		m[0] = w->kind == S_FREE ? 0 : w->m;
		v[0] = w->kind == S_FREE ? 0 : w->v;
		*n = 1;
		return true;
	case S_ALTS:
		memcpy(m, w->lo, w->n * sizeof(*m));
		memcpy(v, w->hi, w->n * sizeof(*v));
		*n = w->n;
		return true;
	default:
		for (size_t i = 0; i < w->n; i++) {
			uint64_t a = w->lo[i], b = w->hi[i];

			for (;;) {
				unsigned int k = a ? (unsigned int)__builtin_ctzll(a) : 32;

				while (k > 0 && b - a < (1ull << k) - 1)
					k--;
				if (*n == MAXI)
					return false;
				m[*n] = (uint32_t) ~((1ull << k) - 1);
				v[(*n)++] = (uint32_t)a;
				if (b - a <= (1ull << k) - 1)
					break;
				a += 1ull << k;
			}
		}
		return true;
	}
}

static bool arg_set(const struct wcell *c, const struct sg_arch *arch, bool be, unsigned int arg,
                    struct argset *out)
{
	static struct wordset hi, lo;
	bool hi_point;
	uint32_t h;

	memset(out, 0, sizeof(*out));
	if (!word_set(c, dc_lo_word(arg, be), &lo))
		return false;
	if (!word_set(c, dc_hi_word(arg, be), &hi))
		return false;
	/* 32-bit ABIs compare a rule's low word only: a tested high word cannot be written. The
	 * rule's high word is 0, except on x32, which hands the filter the whole register: there a
	 * datum that fits 32 bits tests the low word only, so the high word stays free (a 64-bit
	 * mask would test it) */
	if (arch->arg_bits == 32 && hi.kind != S_FREE)
		return false;
	if (arch->arg_bits == 32 && !sg_arch_passes_high_word(arch)) {
		if (lo.kind == S_FREE)
			return true;
		hi.kind = S_MASKED;
		hi.m = UINT32_MAX;
		hi.v = 0;
	}
	if (hi.kind == S_FREE && lo.kind == S_FREE)
		return true;
	/* a single value is also a masked equality with the full mask */
	if (hi.kind == S_INTERVALS && hi.n == 1 && hi.lo[0] == hi.hi[0] && lo.kind != S_INTERVALS) {
		hi.kind = S_MASKED;
		hi.m = UINT32_MAX;
		hi.v = hi.lo[0];
	}
	if (lo.kind == S_INTERVALS && lo.n == 1 && lo.lo[0] == lo.hi[0] && hi.kind != S_INTERVALS) {
		lo.kind = S_MASKED;
		lo.m = UINT32_MAX;
		lo.v = lo.lo[0];
	}
	if (hi.kind == S_ALTS || lo.kind == S_ALTS) {
		const struct wordset *alt = hi.kind == S_ALTS ? &hi : &lo;
		const struct wordset *other = hi.kind == S_ALTS ? &lo : &hi;
		bool alt_hi = alt == &hi;

		if (other->kind == S_ALTS || other->kind == S_INTERVALS)
			goto product;
		out->kind = S_ALTS;
		out->n = alt->n;
		for (size_t i = 0; i < alt->n; i++) {
			uint64_t am = alt->lo[i], av = alt->hi[i];
			uint64_t om = other->kind == S_FREE ? 0 : other->m;
			uint64_t ov = other->kind == S_FREE ? 0 : other->v;

			out->lo[i] = alt_hi ? am << 32 | om : om << 32 | am;
			out->hi[i] = alt_hi ? av << 32 | ov : ov << 32 | av;
		}
		return true;
	}
	if (hi.kind != S_INTERVALS && lo.kind != S_INTERVALS) {
		out->kind = S_MASKED;
		out->m = (uint64_t)hi.m << 32 | lo.m;
		out->v = (uint64_t)hi.v << 32 | lo.v;
		if (out->m == UINT64_MAX) {
			/* one value: an interval, so that it merges with its neighbours */
			out->kind = S_INTERVALS;
			out->n = 1;
			out->lo[0] = out->hi[0] = out->v;
		}
		return true;
	}
	hi_point = (hi.kind == S_MASKED && hi.m == UINT32_MAX) ||
	           (hi.kind == S_INTERVALS && hi.n == 1 && hi.lo[0] == hi.hi[0]);
	out->kind = S_INTERVALS;
	if (hi.kind == S_INTERVALS && lo.kind == S_FREE) {
		for (size_t i = 0; i < hi.n; i++) {
			out->lo[i] = (uint64_t)hi.lo[i] << 32;
			out->hi[i] = (uint64_t)hi.hi[i] << 32 | UINT32_MAX;
		}
		out->n = hi.n;
		return true;
	}
	if (hi.kind == S_FREE && lo.kind == S_INTERVALS) {
		out->kind = S_LOW;
		for (size_t i = 0; i < lo.n; i++) {
			out->lo[i] = lo.lo[i];
			out->hi[i] = lo.hi[i];
		}
		out->n = lo.n;
		return true;
	}
	if (hi_point && lo.kind == S_INTERVALS) {
		h = hi.kind == S_MASKED ? hi.v : hi.lo[0];
		for (size_t i = 0; i < lo.n; i++) {
			out->lo[i] = (uint64_t)h << 32 | lo.lo[i];
			out->hi[i] = (uint64_t)h << 32 | lo.hi[i];
		}
		out->n = lo.n;
		return true;
	}
product:
	/* the rest: both halves as masked alternatives, every pair of them */
	{
		uint32_t hm[MAXI], hv[MAXI], lm[MAXI], lv[MAXI];
		size_t nh, nl;

		if (!word_alts(&hi, hm, hv, &nh) || !word_alts(&lo, lm, lv, &nl) || nh * nl > MAXI)
			return false;
		out->kind = S_ALTS;
		out->n = 0;
		for (size_t a = 0; a < nh; a++)
			for (size_t b = 0; b < nl; b++) {
				out->lo[out->n] = (uint64_t)hm[a] << 32 | lm[b];
				out->hi[out->n++] = (uint64_t)hv[a] << 32 | lv[b];
			}
		return true;
	}
}

static bool argset_eq(const struct argset *a, const struct argset *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == S_MASKED)
		return a->m == b->m && a->v == b->v;
	if (a->kind == S_INTERVALS || a->kind == S_LOW || a->kind == S_ALTS)
		return a->n == b->n && memcmp(a->lo, b->lo, a->n * sizeof(a->lo[0])) == 0 &&
		       memcmp(a->hi, b->hi, a->n * sizeof(a->hi[0])) == 0;
	return true;
}

static int cmp_iv(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* a |= b for interval sets; false when the result has too many intervals */
static bool argset_union(struct argset *a, const struct argset *b)
{
	uint64_t iv[2 * MAXI][2];
	size_t n = 0, k = 0;

	for (size_t i = 0; i < a->n; i++, n++) {
		iv[n][0] = a->lo[i];
		iv[n][1] = a->hi[i];
	}
	for (size_t i = 0; i < b->n; i++, n++) {
		iv[n][0] = b->lo[i];
		iv[n][1] = b->hi[i];
	}
	qsort(iv, n, sizeof(iv[0]), cmp_iv);
	for (size_t i = 0; i < n; i++) {
		if (k && (iv[i][0] <= a->hi[k - 1] || iv[i][0] - 1 == a->hi[k - 1])) {
			if (iv[i][1] > a->hi[k - 1])
				a->hi[k - 1] = iv[i][1];
			continue;
		}
		if (k == MAXI)
			return false;
		a->lo[k] = iv[i][0];
		a->hi[k++] = iv[i][1];
	}
	a->n = k;
	if (k == 1 && a->lo[0] == 0 &&
	    a->hi[0] == (a->kind == S_LOW ? (uint64_t)UINT32_MAX : UINT64_MAX))
		a->kind = S_FREE;
	return true;
}

/* merge cells of one action that differ in one argument's intervals */
static void merge_sets(struct scell *c, size_t n)
{
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t a = 0; a < n; a++)
			for (size_t b = a + 1; b < n; b++) {
				int diff = -1, ndiff = 0;

				if (c[a].dead || c[b].dead || c[a].action != c[b].action)
					continue;
				for (int i = 0; i < 6; i++)
					if (!argset_eq(&c[a].arg[i], &c[b].arg[i])) {
						diff = i;
						ndiff++;
					}
				if (ndiff == 0) {
					c[b].dead = true;
					changed = true;
					continue;
				}
				if (ndiff != 1 || c[a].arg[diff].kind != c[b].arg[diff].kind ||
				    (c[a].arg[diff].kind != S_INTERVALS &&
				     c[a].arg[diff].kind != S_LOW))
					continue;
				struct argset u = c[a].arg[diff];
				if (!argset_union(&u, &c[b].arg[diff]))
					continue;
				c[a].arg[diff] = u;
				c[b].dead = true;
				changed = true;
			}
	}
}

/*
 * Comparisons for one interval: one each for a point or an interval touching 0 or the top,
 * else aligned blocks as masked equalities. `within` is the mask of the bits compared (the
 * low word only for S_LOW); blocks never go past it.
 */
static size_t interval_cmps(unsigned int arg, uint64_t a, uint64_t b, uint64_t within,
                            struct scmp_arg_cmp *out, size_t room)
{
	size_t n = 0;

	if (room == 0)
		return 0;
	if (within == UINT64_MAX && a == b)
		out[n++] = (struct scmp_arg_cmp){arg, SCMP_CMP_EQ, a, 0};
	else if (within == UINT64_MAX && a == 0)
		out[n++] = (struct scmp_arg_cmp){arg, SCMP_CMP_LE, b, 0};
	else if (within == UINT64_MAX && b == UINT64_MAX)
		out[n++] = (struct scmp_arg_cmp){arg, SCMP_CMP_GE, a, 0};
	else
		while (n < room) {
			/* the largest aligned block starting at a that stays inside [a, b] */
			unsigned int k = a ? (unsigned int)__builtin_ctzll(a) : 63;

			while (k > 0 && (b - a < (1ull << k) - 1))
				k--;
			uint64_t m = within & ~((1ull << k) - 1);

			out[n++] = m == UINT64_MAX
			               ? (struct scmp_arg_cmp){arg, SCMP_CMP_EQ, a, 0}
			               : (struct scmp_arg_cmp){arg, SCMP_CMP_MASKED_EQ, m, a};
			if (b - a <= (1ull << k) - 1)
				break;
			a += 1ull << k;
		}
	return n;
}

static size_t argset_cmps(unsigned int arg, const struct argset *s, struct scmp_arg_cmp *out,
                          size_t room)
{
	size_t n = 0;

	if (s->kind == S_MASKED) {
		out[0] = s->m == UINT64_MAX
		             ? (struct scmp_arg_cmp){arg, SCMP_CMP_EQ, s->v, 0}
		             : (struct scmp_arg_cmp){arg, SCMP_CMP_MASKED_EQ, s->m, s->v};
		return 1;
	}
	if (s->kind == S_ALTS) {
		for (size_t i = 0; i < s->n && n < room; i++)
			out[n++] = s->lo[i] == UINT64_MAX
			               ? (struct scmp_arg_cmp){arg, SCMP_CMP_EQ, s->hi[i], 0}
			               : (struct scmp_arg_cmp){arg, SCMP_CMP_MASKED_EQ, s->lo[i],
			                                       s->hi[i]};
		return n;
	}
	/* everything but one value */
	if (s->kind == S_INTERVALS && s->n == 2 && s->lo[0] == 0 && s->hi[1] == UINT64_MAX &&
	    s->hi[0] + 2 == s->lo[1]) {
		out[0] = (struct scmp_arg_cmp){arg, SCMP_CMP_NE, s->hi[0] + 1, 0};
		return 1;
	}
	for (size_t i = 0; i < s->n && n < room; i++)
		n += interval_cmps(arg, s->lo[i], s->hi[i],
		                   s->kind == S_LOW ? (uint64_t)UINT32_MAX : UINT64_MAX, out + n,
		                   room - n);
	return n;
}

int dc_lift_syscall(const struct dc_program *d, const struct dc_syscall *s, uint32_t dflt,
                    const struct sg_arch *arch, struct dc_lifted **out, size_t *nout,
                    const char **why)
{
	static struct scmp_arg_cmp alt[6][MAX_RULES];
	struct wcell *w = calloc(s->ncells + 1, sizeof(*w));
	struct scell *sc = calloc(s->ncells + 1, sizeof(*sc));
	struct dc_lifted *r = NULL;
	size_t n = 0, nr = 0;
	int rc = -ENOMEM;

	*why = NULL;
	if (w == NULL || sc == NULL)
		goto out;
	for (size_t i = 0; i < s->ncells; i++) {
		const struct dc_cell *c = &d->cells[s->cells[i]];

		if (!c->exact || !c->action_known) {
			*why = "a path depends on data the engine does not model exactly";
			rc = 1;
			goto out;
		}
		if (c->action == dflt)
			continue;
		w[n].action = c->action;
		w[n].atoms = malloc((c->natoms + 1) * sizeof(*c->atoms));
		if (w[n].atoms == NULL)
			goto out;
		/* nr and arch are the syscall's; duplicates add nothing */
		for (size_t j = 0; j < c->natoms; j++)
			if (c->atoms[j].f.word > SG_OFF_ARCH / 4 &&
			    !has_atom(&w[n], &c->atoms[j], SIZE_MAX))
				w[n].atoms[w[n].n++] = c->atoms[j];
		n++;
	}
	for (int round = 0; round < 64 && simplify_round(w, n); round++)
		;
	for (size_t i = 0; i < n; i++) {
		if (w[i].dead) {
			sc[i].dead = true;
			continue;
		}
		sc[i].action = w[i].action;
		if (!sg_sym_word_free(w[i].atoms, w[i].n, 2) ||
		    !sg_sym_word_free(w[i].atoms, w[i].n, 3)) {
			*why = "a condition on the instruction pointer";
			rc = 1;
			goto out;
		}
		for (unsigned int a = 0; a < 6; a++)
			if (!arg_set(&w[i], arch, d->big_endian, a, &sc[i].arg[a])) {
				*why = "an argument condition with no exact libseccomp comparison";
				rc = 1;
				goto out;
			}
	}
	merge_sets(sc, n);
	for (size_t i = 0; i < n; i++) {
		size_t nalt[6], total = 1;

		if (sc[i].dead)
			continue;
		for (unsigned int a = 0; a < 6; a++) {
			nalt[a] = sc[i].arg[a].kind == S_FREE
			              ? 0
			              : argset_cmps(a, &sc[i].arg[a], alt[a], MAX_RULES);
			total *= nalt[a] ? nalt[a] : 1;
			if (total + nr > MAX_RULES) {
				*why = "too many rules";
				rc = 1;
				goto out;
			}
		}
		struct dc_lifted *bigger = realloc(r, (nr + total) * sizeof(*r));
		if (bigger == NULL)
			goto out;
		r = bigger;
		for (size_t k = 0; k < total; k++) {
			struct dc_lifted *l = &r[nr++];
			size_t rest = k;

			l->action = sc[i].action;
			l->ncmp = 0;
			for (unsigned int a = 0; a < 6; a++) {
				if (nalt[a] == 0)
					continue;
				l->cmp[l->ncmp++] = alt[a][rest % nalt[a]];
				rest /= nalt[a];
			}
		}
	}
	*out = r;
	*nout = nr;
	r = NULL;
	rc = 0;
out:
	for (size_t i = 0; w && i < n; i++)
		free(w[i].atoms);
	free(w);
	free(sc);
	free(r);
	return rc;
}
