/*
 * decompile.h - lifting a seccomp program back into per-ABI, per-syscall rules (the model
 * behind scmp_bpf_decompile; printing is in scmp_bpf_decompile.c).
 *
 * Every path of the program is explored symbolically once (bpf_sym.c). A path is a "cell": a
 * conjunction of conditions on the input words and the value returned. The cells of one
 * (arch value, syscall number) partition the argument space, so listing the cells whose action
 * is not the default is an exact, order-free description of the syscall. Cells are then lifted
 * to libseccomp rules (one comparison per argument, 64-bit or with masks) where that is exact.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_DECOMPILE_H
#define SYSGATE_DECOMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <seccomp.h>

#include "arch/arch.h"
#include "bpf_sym.h"

struct dc_cell {
	struct sg_sym_atom *atoms; /* every atom of the path */
	size_t natoms;
	uint32_t action;
	bool action_known; /* false: RET A with data in A */
	bool exact;
};

/* one syscall of one ABI: the cells its number reaches */
struct dc_syscall {
	uint32_t nr;
	const char *name; /* NULL: a number the ABI has no name for */
	size_t *cells;    /* indices into dc_program.cells */
	size_t ncells;
	bool is_default; /* exactly the ABI's default: one unconditional cell */
};

struct dc_abi {
	const struct sg_arch *arch;
	uint32_t default_action;
	struct dc_syscall *sys; /* the syscalls whose behaviour is not the default, by number */
	size_t nsys;
	bool nr_masked; /* nr is tested with masks or shifts: numbers without names not listed */
	/* ranges of numbers without names that do not get the default: [lo, hi] and the cell */
	struct dc_range {
		uint32_t lo, hi;
		size_t cell;
	} * other;
	size_t nother;
};

struct dc_program {
	struct dc_cell *cells;
	size_t ncells;
	bool exact;          /* every path was decided exactly */
	bool truncated;      /* too many paths: the model is incomplete */
	struct dc_abi *abis; /* the arch values the program accepts, as ABIs */
	size_t nabis;
	bool has_badarch;
	uint32_t badarch_action;  /* what other arch values get (when one unconditional action) */
	bool badarch_conditional; /* other arch values get different actions */
	bool big_endian;
};

/* explore prog (host byte order, checked) and build the model; 0 or a negative errno */
int dc_build(const struct sock_filter *prog, size_t len, bool big_endian, struct dc_program *out);
void dc_free(struct dc_program *p);

/* the atoms of a cell on one word */
bool dc_word_free(const struct dc_cell *c, unsigned int word);

/* keep[i] false for the atoms of the cell that the others imply (repeats, "hi != 0" next to
 * "hi == 0xffffffff"): dropping them all leaves the same set. 0 or -ENOMEM. */
int dc_cell_essential(const struct dc_cell *c, bool *keep);

/* word index of args[i]'s high and low half on this byte order */
unsigned int dc_hi_word(unsigned int arg, bool big_endian);
unsigned int dc_lo_word(unsigned int arg, bool big_endian);

/* the cells of one syscall whose action is not `dflt`, as libseccomp rules (at most one
 * comparison per argument; rules of one action may overlap, rules of different actions never
 * do). Returns 0 (*out, *n; free(*out)), 1 when they cannot be written exactly as rules (*why
 * says why), or -ENOMEM. */
struct dc_lifted {
	uint32_t action;
	unsigned int ncmp;
	struct scmp_arg_cmp cmp[6];
};
int dc_lift_syscall(const struct dc_program *d, const struct dc_syscall *s, uint32_t dflt,
                    const struct sg_arch *arch, struct dc_lifted **out, size_t *n,
                    const char **why);

#endif
