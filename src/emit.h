/*
 * emit.h - a back-to-front classic-BPF builder.
 *
 * Code is emitted from the last instruction to the first, so every jump target already exists
 * when a jump to it is emitted and its distance is known: no label fix-ups, and jumps that do
 * not fit in 8 bits get a trampoline (or a fresh copy of a RET) on the spot.
 *
 * Nodes are identified by their position counted from the END of the program (0 = last
 * instruction). Every instruction is hash-consed on (opcode, k, targets): emitting an
 * instruction identical to one already emitted, with the same successors, returns the
 * existing one, so identical tails are shared for free.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_EMIT_H
#define SYSGATE_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>

struct sg_emit {
	struct sock_filter *rev; /* rev[pos]: instruction at position pos from the end */
	size_t len, cap;
	/* hash-consing table: open addressing over (code, k, jt target, jf target) */
	struct sg_emit_slot *slots;
	size_t nslots, used;
	size_t limit; /* refuse to grow past this many instructions (-E2BIG) */
	long last_ja; /* the latest JA trampoline made, -1 if none: jumps that follow reuse it */
	int err;      /* first error; once set every call returns -1 */
};

/* a node position, or -1 after an error (sticky: check e->err at the end) */
typedef long sg_node;

/* an empty builder for programs of at most `limit` instructions, sized for `expect` (it grows
 * past that); 0 or -ENOMEM */
int sg_emit_init(struct sg_emit *e, size_t limit, size_t expect);
void sg_emit_fini(struct sg_emit *e);

sg_node sg_emit_ret(struct sg_emit *e, uint32_t k);
/* A = 32-bit word at offset off of seccomp_data, then continue at next */
sg_node sg_emit_ld(struct sg_emit *e, uint32_t off, sg_node next);
/* A &= k, then continue at next */
sg_node sg_emit_and(struct sg_emit *e, uint32_t k, sg_node next);
/* conditional jump: op is BPF_JEQ, BPF_JGT, BPF_JGE or BPF_JSET (with K) */
sg_node sg_emit_jmp(struct sg_emit *e, uint16_t op, uint32_t k, sg_node t, sg_node f);

/*
 * Drop every instruction emitted since the program was `mark` long (e->len then): their
 * nodes are gone; the older ones stay. A node that a dropped equal one had replaced in the
 * sharing table (remember) is not shared again: a later copy costs size, not meaning.
 * Returns 0 or -ENOMEM (then e->err is set).
 */
int sg_emit_rewind(struct sg_emit *e, size_t mark);

/* can a conditional jump emitted next reach target without a JA? (a RET is copied near) */
bool sg_emit_near(const struct sg_emit *e, sg_node target);

/*
 * Emit a whole program (prog[0] its entry, in execution order, with the instructions the
 * builder makes: as sg_emit_finish() returns it) back to front: its instructions that the
 * entry reaches, shared with what e already holds where equal, JA chains turned into direct
 * jumps (or new trampolines, where out of reach). Returns the entry's node, or -1 with e->err
 * set (-ENOMEM, -E2BIG past the limit, or -EINVAL for an instruction the builder does not
 * make: RET A, an ALU other than AND with K, a jump on X, ...).
 */
sg_node sg_emit_program(struct sg_emit *e, const struct sock_filter *prog, size_t len);

/*
 * Finish: make `entry` the first instruction (adding a jump if it is not) and return the
 * program in execution order, malloc'd (caller frees with sg_free), or NULL with e->err set.
 */
struct sock_filter *sg_emit_finish(struct sg_emit *e, sg_node entry, size_t *len);

#endif
