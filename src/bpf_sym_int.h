/*
 * bpf_sym_int.h - what the two halves of the symbolic engine share (bpf_sym.c explores
 * programs, bpf_sym_solve.c decides atoms on one word); not for the engine's callers.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_BPF_SYM_INT_H
#define SYSGATE_BPF_SYM_INT_H

#include <stdint.h>

#include "bpf_sym.h"

/* output bits that come from a real bit of the word (the rest of a shift is zeros) */
static inline uint32_t sg_sym_form_valid_bits(int shift)
{
	if (shift >= 32 || shift <= -32)
		return 0;
	return shift >= 0 ? UINT32_MAX >> shift : UINT32_MAX << -shift;
}

static inline uint32_t sg_sym_form_eval(const struct sg_sym_form *f, uint32_t w)
{
	uint32_t v = f->shift >= 0 ? w >> f->shift : w << -f->shift;

	return (v & f->mask) ^ f->xor ;
}

/*
 * Is there a value of the word that satisfies every atom of the list (all on one word)? 1 and
 * *value a witness, 0 if none, -EAGAIN when the search ran out of its budget (undecided),
 * -ENOMEM.
 */
int sg_sym_solve_list(const struct sg_sym_atom *const *atoms, size_t n, uint32_t *value);

#endif
