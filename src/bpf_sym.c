/*
 * bpf_sym.c - the symbolic engine behind scmp_bpf_decompile, scmp_bpf_diff and the suite's
 * translation validation: exact path exploration of seccomp programs (see bpf_sym.h). Which
 * paths are feasible, and their witnesses, come from the word solver (bpf_sym_solve.c).
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

/* the kernel's BPF_MEMWORDS */
#define MEMWORDS 16

/* ---- the explorer ---- */

enum { V_CONST, V_FORM, V_OPAQUE };

/* what a register or scratch cell holds */
struct sval {
	uint8_t kind;
	uint32_t k; /* V_CONST */
	struct sg_sym_form f;
	uint32_t add; /* V_FORM: the value is form(word) + add (mod 2^32) */
};

struct regs {
	struct sval a, x, mem[MEMWORDS];
};

struct explorer {
	const struct sock_filter *const *progs;
	const size_t *lens;
	size_t nprog;
	size_t max_paths;
	sg_sym_leaf_fn fn;
	void *ctx;
	struct sg_sym_stats *stats;

	struct sg_sym_atom *atoms; /* the path's conjunction, a stack */
	size_t natoms, cap;
	const struct sg_sym_atom **scratch; /* the current word's atoms for the solver */
	unsigned int inexact;               /* inexact decisions on the current path */
	struct sg_sym_path path;
	int err;
};

static struct sval form_of_word(unsigned int word)
{
	return (struct sval){V_FORM, 0, {(uint8_t)word, 0, UINT32_MAX, 0}};
}

static struct sval constant(uint32_t k)
{
	return (struct sval){V_CONST, k, {0, 0, 0, 0}};
}

static struct sval opaque(void)
{
	return (struct sval){V_OPAQUE, 0, {0, 0, 0, 0}};
}

/* a form with no variable bits left is a constant */
static struct sval normalise(struct sval v)
{
	if (v.kind == V_FORM) {
		v.f.mask &= sg_sym_form_valid_bits(v.f.shift);
		if (v.f.mask == 0)
			return constant(v.f.xor +v.add);
	}
	return v;
}

/* a shift of the form's output: s > 0 right, s < 0 left */
static struct sval form_shift(struct sval v, int s)
{
	int ns = v.f.shift + s;

	if (ns >= 32 || ns <= -32)
		return constant(s > 0 ? v.f.xor >> s : v.f.xor << -s);
	if (s > 0) {
		v.f.mask >>= s;
		v.f.xor >>= s;
	} else {
		v.f.mask <<= -s;
		v.f.xor <<= -s;
	}
	v.f.shift = (int8_t)ns;
	return normalise(v);
}

static bool power_of_two(uint32_t k, int *log)
{
	if (k == 0 || (k & (k - 1)))
		return false;
	*log = __builtin_ctz(k);
	return true;
}

/* A op operand, where at least one side is a form; bitwise ops keep the form */
static struct sval alu_form(uint16_t code, struct sval a, struct sval b)
{
	uint16_t op = BPF_OP(code);
	int log;

	if (op == BPF_NEG) {
		/* -(F + add) = ~F + (1 - add), and ~F is F with every xor bit flipped */
		if (a.kind != V_FORM)
			return opaque();
		a.f.xor = ~a.f.xor ;
		a.add = 1 - a.add;
		return a;
	}
	/* commutative ops with the constant on the left: swap */
	if (a.kind == V_CONST && b.kind == V_FORM &&
	    (op == BPF_AND || op == BPF_OR || op == BPF_XOR || op == BPF_ADD || op == BPF_MUL)) {
		struct sval t = a;
		a = b;
		b = t;
	}
	if (a.kind != V_FORM || b.kind != V_CONST)
		return opaque();
	if (a.add != 0) {
		/* an offset survives adding and left shifts (multiplying distributes mod 2^32);
		 * the bitwise ops and right shifts mix it into the bits: not modelled */
		switch (op) {
		case BPF_ADD:
			a.add += b.k;
			return a;
		case BPF_SUB:
			a.add -= b.k;
			return a;
		case BPF_LSH:
			log = (int)(b.k & 31);
			break;
		case BPF_MUL:
			if (!power_of_two(b.k, &log))
				return opaque();
			break;
		default:
			return opaque();
		}
		{
			uint32_t add = a.add << log;

			a.add = 0;
			a = form_shift(a, -log);
			if (a.kind == V_CONST)
				return constant(a.k + add);
			a.add = add;
			return a;
		}
	}
	switch (op) {
	case BPF_AND:
		a.f.mask &= b.k;
		a.f.xor &= b.k;
		return normalise(a);
	case BPF_OR:
		a.f.mask &= ~b.k;
		a.f.xor |= b.k;
		return normalise(a);
	case BPF_XOR:
		a.f.xor ^= b.k;
		return a;
	case BPF_RSH:
		return form_shift(a, (int)(b.k & 31));
	case BPF_LSH:
		return form_shift(a, -(int)(b.k & 31));
	case BPF_ADD:
		a.add = b.k;
		return a;
	case BPF_SUB:
		a.add = -b.k;
		return a;
	case BPF_MUL:
		return power_of_two(b.k, &log) ? form_shift(a, -log) : opaque();
	case BPF_DIV:
		/* only a plain (xor-free) form divides like a shift */
		return power_of_two(b.k, &log) && a.f.xor == 0 ? form_shift(a, log) : opaque();
	default:
		return opaque();
	}
}

static int explore_from(struct explorer *e, size_t p, size_t pc, struct regs *r);
static int finish(struct explorer *e, size_t p, size_t pc, struct sval ret);

static int push_atom(struct explorer *e, const struct sg_sym_atom *at)
{
	if (e->natoms == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 64;
		struct sg_sym_atom *atoms = realloc(e->atoms, cap * sizeof(*atoms));
		const struct sg_sym_atom **scratch = realloc(e->scratch, cap * sizeof(*scratch));

		if (atoms)
			e->atoms = atoms;
		if (scratch)
			e->scratch = scratch;
		if (!atoms || !scratch)
			return -ENOMEM;
		e->cap = cap;
	}
	e->atoms[e->natoms++] = *at;
	return 0;
}

/*
 * Add the atom to the path: 1 feasible (witness updated), 0 infeasible (atom not added),
 * 2 undecided (added, path becomes inexact), < 0 error.
 */
static int assume(struct explorer *e, const struct sg_sym_atom *at)
{
	unsigned int w = at->f.word;
	size_t n = 0;
	uint32_t v = 0;
	int rc;

	if (sg_sym_atom_holds(at, e->path.witness[w]))
		return push_atom(e, at) < 0 ? -ENOMEM : 1;
	rc = push_atom(e, at);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < e->natoms; i++)
		if (e->atoms[i].f.word == w)
			e->scratch[n++] = &e->atoms[i];
	e->stats->solves++;
	rc = sg_sym_solve_list(e->scratch, n, &v);
	if (rc == 1) {
		e->path.witness[w] = v;
		return 1;
	}
	if (rc == 0) {
		e->natoms--;
		return 0;
	}
	if (rc == -EAGAIN)
		return 2;
	e->natoms--;
	return rc;
}

/*
 * Explore one side of a decision: the atom (NULL: always feasible, nothing to add), then the
 * program from pc, or (ret0) the program returning 0 at pc.
 */
static int branch(struct explorer *e, const struct sg_sym_atom *at, bool undecided, bool ret0,
                  size_t p, size_t pc, const struct regs *r)
{
	uint32_t saved[SG_SYM_WORDS];
	size_t natoms = e->natoms;
	struct regs copy = *r;
	int rc = 1;

	memcpy(saved, e->path.witness, sizeof(saved));
	if (at) {
		rc = assume(e, at);
		if (rc <= 0)
			return rc;
	}
	if (rc == 2)
		undecided = true;
	e->inexact += undecided;
	rc = ret0 ? finish(e, p, pc, constant(0)) : explore_from(e, p, pc, &copy);
	e->inexact -= undecided;
	e->natoms = natoms;
	memcpy(e->path.witness, saved, sizeof(saved));
	return rc;
}

/* the atoms of "form op k" being true (pos) and false (neg); a side that is impossible
 * outright gets kind 0xff */
static void cond_atoms(uint16_t op, const struct sg_sym_form *f, uint32_t k,
                       struct sg_sym_atom *pos, struct sg_sym_atom *neg)
{
	pos->f = neg->f = *f;
	switch (op) {
	case BPF_JEQ:
		*pos = (struct sg_sym_atom){*f, SG_SYM_RANGE, k, k};
		*neg = (struct sg_sym_atom){*f, SG_SYM_NE, k, 0};
		break;
	case BPF_JGE:
		*pos = (struct sg_sym_atom){*f, SG_SYM_RANGE, k, UINT32_MAX};
		*neg = (struct sg_sym_atom){*f, k ? SG_SYM_RANGE : 0xff, 0, k - 1};
		break;
	case BPF_JGT:
		*pos = (struct sg_sym_atom){*f, k != UINT32_MAX ? SG_SYM_RANGE : 0xff, k + 1,
		                            UINT32_MAX};
		*neg = (struct sg_sym_atom){*f, SG_SYM_RANGE, 0, k};
		break;
	default: /* JSET */
		*pos = (struct sg_sym_atom){*f, k ? SG_SYM_ANY : 0xff, k, 0};
		*neg = (struct sg_sym_atom){*f, SG_SYM_NONE, k, 0};
		break;
	}
}

/* "k op form" (constant on the left): the same question about the form */
static void cond_atoms_flipped(uint16_t op, const struct sg_sym_form *f, uint32_t k,
                               struct sg_sym_atom *pos, struct sg_sym_atom *neg)
{
	switch (op) {
	case BPF_JGE: /* k >= v  <=>  !(v > k) */
		cond_atoms(BPF_JGT, f, k, neg, pos);
		break;
	case BPF_JGT: /* k > v  <=>  !(v >= k) */
		cond_atoms(BPF_JGE, f, k, neg, pos);
		break;
	default: /* JEQ and JSET are symmetric */
		cond_atoms(op, f, k, pos, neg);
		break;
	}
}

/*
 * "form + add op k" (or "k op form + add" when flipped) for JEQ/JGE/JGT: the true side is one
 * interval of the sum, the false side at most two; each interval of the sum is at most two
 * intervals of the form (subtracting add wraps around at most once). Every piece is explored
 * as its own path: the pieces are disjoint, so this is exact.
 */
static int offset_branches(struct explorer *e, uint16_t op, bool flipped, const struct sval *v,
                           uint32_t k, size_t p, size_t t, size_t f, const struct regs *r)
{
	uint32_t lo, hi, iv[3][2];
	size_t niv = 0;
	bool any = true;
	int rc = 0;

	if (op == BPF_JEQ) {
		lo = hi = k;
	} else if (!flipped) {
		lo = op == BPF_JGE ? k : k + 1;
		hi = UINT32_MAX;
		any = op == BPF_JGE || k != UINT32_MAX;
	} else {
		/* k >= v: v <= k; k > v: v < k */
		lo = 0;
		hi = op == BPF_JGE ? k : k - 1;
		any = op == BPF_JGE || k != 0;
	}
	/* [lo, hi] goes to t, the rest to f */
	if (any)
		iv[niv][0] = lo, iv[niv++][1] = hi;
	if (!any) {
		iv[niv][0] = 0, iv[niv++][1] = UINT32_MAX;
	} else {
		if (lo > 0)
			iv[niv][0] = 0, iv[niv++][1] = lo - 1;
		if (hi < UINT32_MAX)
			iv[niv][0] = hi + 1, iv[niv++][1] = UINT32_MAX;
	}
	for (size_t i = 0; i < niv && rc == 0; i++) {
		uint32_t a = iv[i][0] - v->add, b = iv[i][1] - v->add;
		size_t to = any && i == 0 ? t : f;
		struct sg_sym_atom at = {v->f, SG_SYM_RANGE, a, b};

		if (a <= b) {
			rc = branch(e, &at, false, false, p, to, r);
			continue;
		}
		at.hi = UINT32_MAX;
		rc = branch(e, &at, false, false, p, to, r);
		at.lo = 0;
		at.hi = b;
		if (rc == 0)
			rc = branch(e, &at, false, false, p, to, r);
	}
	return rc;
}

/* at most this many values of a word are tried one by one for a data-against-data compare */
#define ENUM_MAX 16

/*
 * The values the path allows for `word`, up to ENUM_MAX: their count (ENUM_MAX + 1: more),
 * or < 0 (-EAGAIN when the solver could not decide).
 */
static int word_values(struct explorer *e, unsigned int word, uint32_t *vals)
{
	struct sg_sym_atom *set = malloc((e->natoms + ENUM_MAX + 1) * sizeof(*set));
	const struct sg_sym_atom **list = malloc((e->natoms + ENUM_MAX + 1) * sizeof(*list));
	size_t n = 0;
	int count = 0, rc = 0;

	if (set == NULL || list == NULL) {
		free(set);
		free(list);
		return -ENOMEM;
	}
	for (size_t i = 0; i < e->natoms; i++)
		if (e->atoms[i].f.word == word)
			set[n++] = e->atoms[i];
	while (count <= ENUM_MAX) {
		uint32_t v;

		for (size_t i = 0; i < n; i++)
			list[i] = &set[i];
		e->stats->solves++;
		rc = sg_sym_solve_list(list, n, &v);
		if (rc <= 0)
			break;
		vals[count++] = v;
		set[n++] = sg_sym_word_atom(word, SG_SYM_NE, v, 0);
	}
	free(set);
	free(list);
	return rc < 0 ? rc : count;
}

/*
 * One value of A's (or X's) word per path, each with that register a constant in a copy of the
 * registers, the instruction at pc run again: *handled false when the word takes more than ENUM_MAX
 * values (or the solver could not say), else explore_from()'s return value.
 */
static int per_value(struct explorer *e, size_t p, size_t pc, const struct regs *r, bool in_x,
                     bool *handled)
{
	const struct sval *v = in_x ? &r->x : &r->a;
	uint32_t vals[ENUM_MAX + 1];
	int n = word_values(e, v->f.word, vals), rc;

	*handled = n >= 0 && n <= ENUM_MAX;
	if (n < 0 && n != -EAGAIN)
		return n;
	for (int i = 0; *handled && i < n; i++) {
		struct sg_sym_atom at = sg_sym_word_atom(v->f.word, SG_SYM_RANGE, vals[i], vals[i]);
		struct regs copy = *r;
		struct sval c = constant(sg_sym_form_eval(&v->f, vals[i]) + v->add);

		if (in_x)
			copy.x = c;
		else
			copy.a = c;
		rc = branch(e, &at, false, false, p, pc, &copy);
		if (rc)
			return rc;
	}
	return 0;
}

/* RET A with data in A: exact when A's word takes few values on the path */
static int ret_data(struct explorer *e, size_t p, size_t pc, const struct regs *r)
{
	bool handled = false;
	int rc;

	if (r->a.kind != V_FORM)
		return finish(e, p, pc, r->a);
	rc = per_value(e, p, pc, r, false, &handled);
	return handled || rc ? rc : finish(e, p, pc, r->a);
}

/*
 * A against X, both data: exact when one of the two words takes few values on this path (each
 * value is its own path, with that register a constant), or when both are the same value.
 * *handled false when not decided here (the caller explores both sides inexactly); the return
 * value is explore_from()'s.
 */
static int data_vs_data(struct explorer *e, size_t p, size_t pc, const struct regs *r,
                        bool *handled)
{
	const struct sock_filter *in = &e->progs[p][pc];
	size_t t = pc + 1 + in->jt, f = pc + 1 + in->jf;
	int rc;

	*handled = true;
	if (r->a.kind != V_FORM || r->x.kind != V_FORM) {
		*handled = false;
		return 0;
	}
	/* field by field: a form's padding bytes are not initialised */
	if (r->a.f.word == r->x.f.word && r->a.f.shift == r->x.f.shift &&
	    r->a.f.mask == r->x.f.mask && r->a.f.xor == r->x.f.xor &&r->a.add == r->x.add) {
		/* v op v: JEQ and JGE always, JGT never, JSET when v != 0 */
		switch (BPF_OP(in->code)) {
		case BPF_JEQ:
		case BPF_JGE:
			return branch(e, NULL, false, false, p, t, r);
		case BPF_JGT:
			return branch(e, NULL, false, false, p, f, r);
		default:
			return offset_branches(e, BPF_JEQ, false, &r->a, 0, p, f, t, r);
		}
	}
	/* X's word first, then A's */
	for (int side = 0; side < 2; side++) {
		rc = per_value(e, p, pc, r, side == 0, handled);
		if (*handled || rc)
			return rc;
	}
	*handled = false;
	return 0;
}

static int decide(struct explorer *e, size_t p, size_t pc, const struct regs *r)
{
	const struct sock_filter *in = &e->progs[p][pc];
	struct sval b = BPF_SRC(in->code) == BPF_X ? r->x : constant(in->k);
	size_t t = pc + 1 + in->jt, f = pc + 1 + in->jf;
	uint16_t op = BPF_OP(in->code);
	struct sg_sym_atom pos, neg;
	bool handled = false;
	int rc;

	if (r->a.kind == V_CONST && b.kind == V_CONST)
		return branch(e, NULL, false, false, p, sg_bpf_cond(in->code, r->a.k, b.k) ? t : f,
		              r);
	if (t == f)
		return branch(e, NULL, false, false, p, t, r);
	if (r->a.kind == V_FORM && b.kind == V_CONST && r->a.add == 0)
		cond_atoms(op, &r->a.f, b.k, &pos, &neg);
	else if (r->a.kind == V_CONST && b.kind == V_FORM && b.add == 0)
		cond_atoms_flipped(op, &b.f, r->a.k, &pos, &neg);
	else if (r->a.kind == V_FORM && b.kind == V_CONST && op != BPF_JSET)
		return offset_branches(e, op, false, &r->a, b.k, p, t, f, r);
	else if (r->a.kind == V_CONST && b.kind == V_FORM && op != BPF_JSET)
		return offset_branches(e, op, true, &b, r->a.k, p, t, f, r);
	else {
		rc = BPF_SRC(in->code) == BPF_X ? data_vs_data(e, p, pc, r, &handled) : 0;
		if (handled || rc)
			return rc;
		/* opaque arithmetic, bit tests of an offset word, or two words that both take
		 * many values: both sides, not exactly */
		rc = branch(e, NULL, true, false, p, t, r);
		return rc ? rc : branch(e, NULL, true, false, p, f, r);
	}
	rc = pos.kind == 0xff ? 0 : branch(e, &pos, false, false, p, t, r);
	if (rc)
		return rc;
	return neg.kind == 0xff ? 0 : branch(e, &neg, false, false, p, f, r);
}

static int leaf(struct explorer *e)
{
	struct sg_sym_stats *st = e->stats;

	if (e->max_paths && st->paths >= e->max_paths) {
		st->truncated = true;
		st->exact = false;
		return 0;
	}
	st->paths++;
	e->path.atoms = e->atoms;
	e->path.natoms = e->natoms;
	e->path.exact = e->inexact == 0;
	if (!e->path.exact)
		st->exact = false;
	return e->fn ? e->fn(e->ctx, &e->path) : 0;
}

/* registers and scratch cells start at 0 */
static void regs_init(struct regs *r)
{
	r->a = r->x = constant(0);
	for (size_t i = 0; i < MEMWORDS; i++)
		r->mem[i] = constant(0);
}

static int finish(struct explorer *e, size_t p, size_t pc, struct sval ret)
{
	struct regs fresh;
	int rc;

	e->path.ret_pc[p] = pc;
	e->path.action_known[p] = ret.kind == V_CONST;
	e->path.action[p] = ret.kind == V_CONST ? ret.k : 0;
	if (ret.kind != V_CONST)
		e->inexact++;
	if (p + 1 < e->nprog) {
		regs_init(&fresh);
		rc = explore_from(e, p + 1, 0, &fresh);
	} else {
		rc = leaf(e);
	}
	e->inexact -= ret.kind != V_CONST;
	return rc;
}

static int explore_from(struct explorer *e, size_t p, size_t pc, struct regs *r)
{
	const struct sock_filter *prog = e->progs[p];
	size_t len = e->lens[p];

	if (e->stats->truncated)
		return 0;
	while (pc < len) {
		const struct sock_filter *in = &prog[pc];
		uint32_t k = in->k, v;
		struct sval b;

		switch (in->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			r->a = form_of_word(k / 4);
			break;
		case BPF_LD | BPF_W | BPF_LEN:
			r->a = constant(sizeof(struct seccomp_data));
			break;
		case BPF_LDX | BPF_W | BPF_LEN:
			r->x = constant(sizeof(struct seccomp_data));
			break;
		case BPF_LD | BPF_IMM:
			r->a = constant(k);
			break;
		case BPF_LDX | BPF_IMM:
			r->x = constant(k);
			break;
		case BPF_LD | BPF_MEM:
			r->a = r->mem[k];
			break;
		case BPF_LDX | BPF_MEM:
			r->x = r->mem[k];
			break;
		case BPF_ST:
			r->mem[k] = r->a;
			break;
		case BPF_STX:
			r->mem[k] = r->x;
			break;
		case BPF_MISC | BPF_TAX:
			r->x = r->a;
			break;
		case BPF_MISC | BPF_TXA:
			r->a = r->x;
			break;
		case BPF_JMP | BPF_JA:
			pc += k;
			break;
		case BPF_RET | BPF_K:
			return finish(e, p, pc, constant(k));
		case BPF_RET | BPF_A:
			return ret_data(e, p, pc, r);
		default:
			if (sg_bpf_insn_is_cond_jump(in))
				return decide(e, p, pc, r);
			/* ALU (the checker let nothing else through) */
			b = BPF_SRC(in->code) == BPF_X ? r->x : constant(k);
			if (BPF_OP(in->code) == BPF_DIV && b.kind != V_CONST) {
				/* a zero divisor returns 0: split on X == 0 */
				struct sg_sym_atom pos, neg;
				int rc;

				if (b.kind == V_OPAQUE) {
					r->a = opaque();
					e->inexact++;
					rc = explore_from(e, p, pc + 1, r);
					e->inexact--;
					return rc;
				}
				/* form + add == 0: form == -add */
				cond_atoms(BPF_JEQ, &b.f, -b.add, &pos, &neg);
				rc = branch(e, &pos, false, true, p, pc, r);
				if (rc)
					return rc;
				r->a = opaque();
				return branch(e, &neg, true, false, p, pc + 1, r);
			}
			if (r->a.kind == V_CONST && b.kind == V_CONST) {
				if (!sg_bpf_alu(in->code, r->a.k, b.k, &v))
					return finish(e, p, pc, constant(0));
				r->a = constant(v);
			} else if (BPF_OP(in->code) == BPF_DIV && b.kind == V_CONST && b.k == 0) {
				return finish(e, p, pc, constant(0));
			} else {
				r->a = alu_form(in->code, r->a, b);
			}
			break;
		}
		pc++;
	}
	/* impossible for checked programs: the last instruction is RET */
	return finish(e, p, len - 1, constant(SECCOMP_RET_KILL_THREAD));
}

int sg_sym_explore(const struct sock_filter *const progs[], const size_t lens[], size_t nprog,
                   const struct sg_sym_atom *pre, size_t npre, size_t max_paths, sg_sym_leaf_fn fn,
                   void *ctx, struct sg_sym_stats *stats)
{
	struct sg_sym_stats local;
	struct explorer e;
	struct regs r;
	int rc = 0;

	if (stats == NULL)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	stats->exact = true;
	if (nprog == 0 || nprog > SG_SYM_MAXPROG)
		return -EINVAL;
	for (size_t i = 0; i < nprog; i++)
		if (sg_bpf_check(progs[i], lens[i]) != 0)
			return -EINVAL;
	memset(&e, 0, sizeof(e));
	e.progs = progs;
	e.lens = lens;
	e.nprog = nprog;
	e.max_paths = max_paths;
	e.fn = fn;
	e.ctx = ctx;
	e.stats = stats;
	e.path.nprog = nprog;
	for (size_t i = 0; i < npre && rc >= 0; i++) {
		rc = assume(&e, &pre[i]);
		if (rc == 0)
			goto out; /* no input satisfies the preconditions */
		if (rc == 2)
			e.inexact++;
	}
	if (rc < 0)
		goto out;
	regs_init(&r);
	rc = explore_from(&e, 0, 0, &r);
out:
	free(e.atoms);
	free(e.scratch);
	return rc;
}

/* ---- equivalence ---- */

struct equiv {
	uint32_t witness[SG_SYM_WORDS];
	bool undecided;
};

static int equiv_leaf(void *ctx, const struct sg_sym_path *p)
{
	struct equiv *q = ctx;

	if (p->action_known[0] && p->action_known[1] && p->action[0] == p->action[1])
		return 0;
	if (!p->exact) {
		q->undecided = true;
		return 0;
	}
	memcpy(q->witness, p->witness, sizeof(q->witness));
	return 1;
}

int sg_sym_equiv(const struct sock_filter *a, size_t alen, const struct sock_filter *b, size_t blen,
                 size_t max_paths, uint32_t witness[SG_SYM_WORDS])
{
	const struct sock_filter *progs[2] = {a, b};
	const size_t lens[2] = {alen, blen};
	struct equiv q;
	struct sg_sym_stats st;
	struct seccomp_data d;
	int rc;

	memset(&q, 0, sizeof(q));
	rc = sg_sym_explore(progs, lens, 2, NULL, 0, max_paths, equiv_leaf, &q, &st);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return q.undecided || !st.exact ? -EAGAIN : 1;
	/* an exact path takes the witness through both programs; replay it in the interpreter
	 * anyway, so that a difference is only ever claimed with concrete evidence */
	sg_sym_words_to_data(q.witness, false, &d);
	if (sg_bpf_run(a, alen, &d, false, NULL) == sg_bpf_run(b, blen, &d, false, NULL))
		return -EAGAIN;
	if (witness)
		memcpy(witness, q.witness, sizeof(q.witness));
	return 0;
}
