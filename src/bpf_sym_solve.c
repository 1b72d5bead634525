/*
 * bpf_sym_solve.c - the word-level half of the symbolic engine (bpf_sym.h): bit forms, atoms
 * and the exact satisfiability of a conjunction of atoms on one word, found by a bit-serial
 * automaton search. bpf_sym.c explores programs and asks it which paths are feasible.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "bpf_sym.h"
#include "bpf_sym_int.h"

/* search nodes one word-level satisfiability question may visit before it gives up */
#define SOLVE_BUDGET 200000

/* ---- bit forms ---- */

bool sg_sym_atom_holds(const struct sg_sym_atom *at, uint32_t w)
{
	uint32_t v = sg_sym_form_eval(&at->f, w);

	switch (at->kind) {
	case SG_SYM_RANGE:
		return v >= at->lo && v <= at->hi;
	case SG_SYM_NE:
		return v != at->lo;
	case SG_SYM_ANY:
		return (v & at->lo) != 0;
	default:
		return (v & at->lo) == 0;
	}
}

bool sg_sym_word_holds(const struct sg_sym_atom *atoms, size_t natoms, unsigned int word,
                       uint32_t value)
{
	for (size_t i = 0; i < natoms; i++)
		if (atoms[i].f.word == word && !sg_sym_atom_holds(&atoms[i], value))
			return false;
	return true;
}

bool sg_sym_word_free(const struct sg_sym_atom *atoms, size_t natoms, unsigned int word)
{
	for (size_t i = 0; i < natoms; i++)
		if (atoms[i].f.word == word)
			return false;
	return true;
}

struct sg_sym_atom sg_sym_word_atom(unsigned int word, enum sg_sym_kind kind, uint32_t lo,
                                    uint32_t hi)
{
	return (struct sg_sym_atom){{(uint8_t)word, 0, UINT32_MAX, 0}, (uint8_t)kind, lo, hi};
}

size_t sg_sym_atom_negate(const struct sg_sym_atom *a, struct sg_sym_atom neg[2])
{
	size_t n = 0;

	switch (a->kind) {
	case SG_SYM_RANGE:
		if (a->lo > 0)
			neg[n++] = (struct sg_sym_atom){a->f, SG_SYM_RANGE, 0, a->lo - 1};
		if (a->hi < UINT32_MAX)
			neg[n++] = (struct sg_sym_atom){a->f, SG_SYM_RANGE, a->hi + 1, UINT32_MAX};
		break;
	case SG_SYM_NE:
		neg[n++] = (struct sg_sym_atom){a->f, SG_SYM_RANGE, a->lo, a->lo};
		break;
	case SG_SYM_ANY:
		neg[n++] = (struct sg_sym_atom){a->f, SG_SYM_NONE, a->lo, 0};
		break;
	default:
		/* "none of no bits" always holds: its complement is empty */
		if (a->lo)
			neg[n++] = (struct sg_sym_atom){a->f, SG_SYM_ANY, a->lo, 0};
		break;
	}
	return n;
}

/* ---- the word solver: a bit-serial automaton product, MSB first ---- */

/* per-atom state bits */
#define ST_LO   0x1 /* RANGE: the prefix equals lo's so far */
#define ST_HI   0x2 /* RANGE: the prefix equals hi's so far */
#define ST_EQ   0x1 /* NE: the prefix equals the excluded value's so far */
#define ST_SEEN 0x1 /* ANY: one of the bits was set */

struct solver {
	const struct sg_sym_atom *const *atoms;
	size_t n;
	size_t budget;
	bool out_of_budget;
	bool no_memory;
	/* memoised failures: (bit, state vector) keys in an open-addressing table */
	unsigned char *keys; /* nslots * (1 + n) bytes; first byte 0 = empty, else bit + 1 */
	size_t nslots, used;
};

/* feed output bit `pos` with value `b` to one atom; false when the atom fails */
static bool feed(const struct sg_sym_atom *at, unsigned char *st, unsigned int pos, uint32_t b)
{
	uint32_t l, h;

	switch (at->kind) {
	case SG_SYM_RANGE:
		if (*st & ST_LO) {
			l = (at->lo >> pos) & 1;
			if (b < l)
				return false;
			if (b > l)
				*st &= (unsigned char)~ST_LO;
		}
		if (*st & ST_HI) {
			h = (at->hi >> pos) & 1;
			if (b > h)
				return false;
			if (b < h)
				*st &= (unsigned char)~ST_HI;
		}
		return true;
	case SG_SYM_NE:
		if ((*st & ST_EQ) && b != ((at->lo >> pos) & 1))
			*st &= (unsigned char)~ST_EQ;
		return true;
	case SG_SYM_ANY:
		if (b && ((at->lo >> pos) & 1))
			*st |= ST_SEEN;
		return true;
	default:
		return !(b && ((at->lo >> pos) & 1));
	}
}

/* feed the constant output bits from `from` down to `to` (inclusive, from >= to) */
static bool feed_consts(const struct sg_sym_atom *at, unsigned char *st, int from, int to)
{
	for (int i = from; i >= to; i--)
		if (!((at->f.mask >> i) & 1) &&
		    !feed(at, st, (unsigned int)i, (at->f.xor >> i) & 1))
			return false;
	return true;
}

static bool accepts(const struct sg_sym_atom *at, unsigned char st)
{
	if (at->kind == SG_SYM_NE)
		return !(st & ST_EQ);
	if (at->kind == SG_SYM_ANY)
		return (st & ST_SEEN) != 0;
	return true;
}

/* 64-bit FNV-1a in a uint64_t on every ABI (a size_t is 32 bits on i386, armhf, mipsel, x32:
 * the constants did not fit); the table index takes the low bits */
static size_t key_hash(const unsigned char *key, size_t n)
{
	uint64_t h = 1469598103934665603u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ key[i]) * 1099511628211u;
	return (size_t)h;
}

static bool memo_has(const struct solver *s, const unsigned char *key)
{
	size_t klen = 1 + s->n, i;

	if (s->nslots == 0)
		return false;
	for (i = key_hash(key, klen) & (s->nslots - 1); s->keys[i * klen];
	     i = (i + 1) & (s->nslots - 1))
		if (memcmp(&s->keys[i * klen], key, klen) == 0)
			return true;
	return false;
}

static void memo_add(struct solver *s, const unsigned char *key)
{
	size_t klen = 1 + s->n, i;

	if (2 * (s->used + 1) > s->nslots) {
		size_t nslots = s->nslots ? 2 * s->nslots : 256;
		unsigned char *keys = calloc(nslots, klen), *old = s->keys;

		if (keys == NULL) {
			s->no_memory = true;
			return;
		}
		for (size_t j = 0; j < s->nslots; j++) {
			const unsigned char *k = &old[j * klen];

			if (!k[0])
				continue;
			for (i = key_hash(k, klen) & (nslots - 1); keys[i * klen];
			     i = (i + 1) & (nslots - 1))
				;
			memcpy(&keys[i * klen], k, klen);
		}
		free(old);
		s->keys = keys;
		s->nslots = nslots;
	}
	for (i = key_hash(key, klen) & (s->nslots - 1); s->keys[i * klen];
	     i = (i + 1) & (s->nslots - 1))
		;
	memcpy(&s->keys[i * klen], key, klen);
	s->used++;
}

/*
 * Decide bits bit..0 of the word given the atoms' states `st` after the bits above. The
 * automata only remember "still equal to the bound" flags, so the number of distinct states
 * per bit is small and failures are memoised on (bit, states).
 */
static bool search(struct solver *s, int bit, const unsigned char *st, uint32_t *value)
{
	unsigned char *next, *key;
	bool found = false;

	if (s->budget == 0) {
		s->out_of_budget = true;
		return false;
	}
	s->budget--;
	if (bit < 0) {
		for (size_t i = 0; i < s->n; i++) {
			unsigned char t = st[i];
			const struct sg_sym_atom *at = s->atoms[i];
			int low = at->f.mask ? __builtin_ctz(at->f.mask) : 32;

			/* the constant output bits below the lowest variable one */
			if (!feed_consts(at, &t, low - 1, 0) || !accepts(at, t))
				return false;
		}
		return true;
	}
	next = malloc(2 * s->n + 1);
	if (next == NULL) {
		s->no_memory = true;
		return false;
	}
	key = next + s->n;
	key[0] = (unsigned char)(bit + 1);
	memcpy(key + 1, st, s->n);
	if (memo_has(s, key)) {
		free(next);
		return false;
	}
	for (uint32_t b = 0; b <= 1 && !found; b++) {
		bool ok = true;

		memcpy(next, st, s->n);
		for (size_t i = 0; i < s->n && ok; i++) {
			const struct sg_sym_atom *at = s->atoms[i];
			int pos = bit - at->f.shift, above;

			if (pos < 0 || pos > 31 || !((at->f.mask >> pos) & 1))
				continue;
			/* constant output bits between this one and the next variable bit above */
			above = (pos < 31 && (at->f.mask >> (pos + 1)))
			            ? pos + 1 + __builtin_ctz(at->f.mask >> (pos + 1))
			            : 32;
			ok = feed_consts(at, &next[i], above - 1, pos + 1) &&
			     feed(at, &next[i], (unsigned int)pos, b ^ ((at->f.xor >> pos) & 1));
		}
		if (ok && search(s, bit - 1, next, value)) {
			*value |= b << bit;
			found = true;
		}
		if (s->out_of_budget || s->no_memory)
			break;
	}
	if (!found && !s->out_of_budget && !s->no_memory)
		memo_add(s, key);
	free(next);
	return found;
}

int sg_sym_solve_list(const struct sg_sym_atom *const *atoms, size_t n, uint32_t *value)
{
	struct solver s = {atoms, n, SOLVE_BUDGET, false, false, NULL, 0, 0};
	unsigned char *st = malloc(n ? n : 1);
	uint32_t v = 0;
	bool found;

	if (st == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct sg_sym_atom *at = atoms[i];
		int top = at->f.mask ? 31 - __builtin_clz(at->f.mask) : -1;

		st[i] = at->kind == SG_SYM_RANGE ? ST_LO | ST_HI
		        : at->kind == SG_SYM_NE  ? ST_EQ
		                                 : 0;
		/* the constant output bits above the highest variable one come first */
		if (!feed_consts(at, &st[i], 31, top + 1)) {
			free(st);
			return 0;
		}
	}
	found = search(&s, 31, st, &v);
	free(st);
	free(s.keys);
	if (s.no_memory)
		return -ENOMEM;
	if (s.out_of_budget)
		return -EAGAIN;
	if (found)
		*value = v;
	return found ? 1 : 0;
}

int sg_sym_solve_word(const struct sg_sym_atom *atoms, size_t natoms, unsigned int word,
                      uint32_t *value)
{
	const struct sg_sym_atom **list = malloc((natoms ? natoms : 1) * sizeof(*list));
	size_t n = 0;
	int rc;

	if (list == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < natoms; i++)
		if (atoms[i].f.word == word)
			list[n++] = &atoms[i];
	rc = sg_sym_solve_list(list, n, value);
	free(list);
	return rc;
}

void sg_sym_words_to_data(const uint32_t w[SG_SYM_WORDS], bool big_endian, struct seccomp_data *out)
{
	memset(out, 0, sizeof(*out));
	out->nr = (int)w[SG_OFF_NR / 4];
	out->arch = w[SG_OFF_ARCH / 4];
	/* the first word of a 64-bit field is its high half on big-endian ABIs */
	for (unsigned int i = 0; i < 7; i++) {
		uint32_t first = w[2 + 2 * i], second = w[3 + 2 * i];
		uint64_t v =
		    big_endian ? (uint64_t)first << 32 | second : (uint64_t)second << 32 | first;

		if (i == 0)
			out->instruction_pointer = v;
		else
			out->args[i - 1] = v;
	}
}
