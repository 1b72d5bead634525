/*
 * bpf_sym.h - symbolic execution of seccomp programs: every path of one program (or of several
 * run one after the other on the same input) with the exact set of inputs that takes it.
 *
 * The input is seccomp_data seen as 16 32-bit words (word = byte offset / 4: nr, arch, the two
 * halves of instruction_pointer, the two halves of each argument, in the ABI's byte order). A
 * path's input set is a conjunction of atoms, each constraining one word through a "bit form":
 *
 *     value(w) = (shift(w, s) & mask) ^ xor     shift(w, s) = s >= 0 ? w >> s : w << -s
 *
 * which is what a loaded word becomes under AND/OR/XOR/LSH/RSH with constants (and MUL/DIV by
 * powers of two). Atoms compare value(w) with constants (an inclusive range, "not equal", "some
 * of these bits set", "none of these bits set"): exactly what JEQ/JGE/JGT/JSET with K (or with X
 * holding a constant) decide. Conjunctions of such atoms on one word are decided exactly by a
 * bit-serial automaton search (MSB first, with memoised failures), so a path the engine calls
 * infeasible is infeasible, and a witness it gives takes the path.
 *
 * Also exact: a bit form plus a constant offset (ADD/SUB/NEG, then LSH or MUL by powers of
 * two, which distribute mod 2^32) compared with JEQ/JGE/JGT: the true and false sides are
 * intervals of the sum, i.e. at most two intervals of the form each (subtracting the offset
 * wraps at most once), explored as separate paths. A comparison of two loaded words (X holding
 * one) is exact when both are the same value, or when one word takes at most 16 values on the
 * path: each value is its own path; so is RET A with A's word taking at most 16 values.
 *
 * What it cannot represent exactly (bitwise ops or right shifts of an offset sum, JSET on one,
 * other arithmetic between loaded words, two words compared that both take many values, RET A
 * with A's word taking many values) still gets explored on both sides, but the path is marked
 * inexact: its witness may not take it, and a verdict built on it is not a proof. Callers that
 * need a proof check sg_sym_path.exact / sg_sym_stats.exact.
 *
 * The run-time semantics follow the interpreter in bpf.c (sg_bpf_alu(), sg_bpf_jump_taken()
 * and the seccomp_data layout), so there is one kernel model; witnesses can be replayed there.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_BPF_SYM_H
#define SYSGATE_BPF_SYM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#define SG_SYM_WORDS   16 /* 32-bit words of seccomp_data */
#define SG_SYM_MAXPROG 2  /* programs run in sequence on one input */

struct sg_sym_form {
	uint8_t word;  /* 0..15 */
	int8_t shift;  /* > 0: right shift, < 0: left shift */
	uint32_t mask; /* output bits taken from the shifted word (others are xor's bits) */
	uint32_t xor ;
};

enum sg_sym_kind {
	SG_SYM_RANGE, /* lo <= value <= hi */
	SG_SYM_NE,    /* value != lo */
	SG_SYM_ANY,   /* value & lo != 0 */
	SG_SYM_NONE,  /* value & lo == 0 */
};

struct sg_sym_atom {
	struct sg_sym_form f;
	uint8_t kind; /* enum sg_sym_kind */
	uint32_t lo, hi;
};

/* a whole path, handed to the leaf callback */
struct sg_sym_path {
	const struct sg_sym_atom *atoms; /* the path's conjunction (including the preconditions) */
	size_t natoms;
	bool exact;                        /* every decision on the path was exact */
	size_t nprog;                      /* the programs run, in order */
	uint32_t action[SG_SYM_MAXPROG];   /* each program's return value on this path */
	bool action_known[SG_SYM_MAXPROG]; /* false: RET A with data-dependent A */
	size_t ret_pc[SG_SYM_MAXPROG];     /* the RET each program ended at */
	uint32_t witness[SG_SYM_WORDS];    /* an input taking the path (exact paths: proven) */
};

/* return nonzero to stop the exploration (sg_sym_explore() then returns that value) */
typedef int (*sg_sym_leaf_fn)(void *ctx, const struct sg_sym_path *path);

struct sg_sym_stats {
	size_t paths;   /* leaves reached */
	size_t solves;  /* word-level satisfiability searches run */
	bool exact;     /* every path explored exactly and nothing cut off by the budget */
	bool truncated; /* the path budget ran out */
};

/*
 * Explore every feasible path of progs[0], then progs[1], ... (host byte order, each passing
 * sg_bpf_check()) on inputs satisfying the `npre` preconditions `pre`. max_paths bounds the
 * leaves visited (0: no bound); when it is hit the exploration stops, stats->truncated and
 * !stats->exact. Returns 0, the callback's nonzero value, -EINVAL (bad program or too many
 * programs) or -ENOMEM.
 */
int sg_sym_explore(const struct sock_filter *const progs[], const size_t lens[], size_t nprog,
                   const struct sg_sym_atom *pre, size_t npre, size_t max_paths, sg_sym_leaf_fn fn,
                   void *ctx, struct sg_sym_stats *stats);

/* does the word value satisfy the atom (for atoms on that word)? */
bool sg_sym_atom_holds(const struct sg_sym_atom *atom, uint32_t word_value);

/* do all the atoms on `word` hold for `value`? is no atom on `word`? */
bool sg_sym_word_holds(const struct sg_sym_atom *atoms, size_t natoms, unsigned int word,
                       uint32_t value);
bool sg_sym_word_free(const struct sg_sym_atom *atoms, size_t natoms, unsigned int word);

/*
 * Is the conjunction of the atoms on `word` satisfiable? 1 (with *value a solution; the least
 * one), 0 (proven unsatisfiable), -EAGAIN (search budget exhausted), -ENOMEM.
 */
int sg_sym_solve_word(const struct sg_sym_atom *atoms, size_t natoms, unsigned int word,
                      uint32_t *value);

/* the complement of an atom as a disjunction of at most two atoms on the same form, into
 * neg[]; returns how many (0: the atom always holds) */
size_t sg_sym_atom_negate(const struct sg_sym_atom *atom, struct sg_sym_atom neg[2]);

/* seccomp_data from the 16 words, laid out as an ABI of the given byte order lays it out */
void sg_sym_words_to_data(const uint32_t words[SG_SYM_WORDS], bool big_endian,
                          struct seccomp_data *out);

/* an atom on the plain word (the identity form) */
struct sg_sym_atom sg_sym_word_atom(unsigned int word, enum sg_sym_kind kind, uint32_t lo,
                                    uint32_t hi);

/* the identity form: the word as loaded */
static inline bool sg_sym_form_is_plain(const struct sg_sym_form *f)
{
	return f->shift == 0 && f->mask == UINT32_MAX && f->xor == 0;
}

/*
 * Equivalence of two programs over every input (both ABIs' byte orders give the same words,
 * so one exploration covers every arch value): 1 proven equal, 0 a difference (*witness, if
 * not NULL, gets an input on which they return different values, replayable with
 * sg_bpf_run()), -EAGAIN not decided exactly (inexact paths or the budget), -EINVAL, -ENOMEM.
 */
int sg_sym_equiv(const struct sock_filter *a, size_t alen, const struct sock_filter *b, size_t blen,
                 size_t max_paths, uint32_t witness[SG_SYM_WORDS]);

#endif
