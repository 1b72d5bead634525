/*
 * ir.h - the meaning of a filter, in one place.
 *
 * The rule database (db.h) is the IR: per ABI, syscall number -> rules -> action. This file
 * defines what it means: which ABI's rules apply to a seccomp_data, and which action wins when
 * several rules match. The compiler must produce programs that agree with sg_ir_eval() on
 * every input; the tests check exactly that.
 *
 * Precedence: an unconditional rule decides alone. Otherwise, among the conditional rules
 * that match, the most restrictive action wins, in the kernel's own order for stacked filters
 * (lowest (int32_t)action first: KILL_PROCESS < KILL_THREAD < TRAP < ERRNO < NOTIFY < TRACE <
 * LOG < ALLOW; equal classes by data). No match: the default action.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_IR_H
#define SYSGATE_IR_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/seccomp.h>

#include "db.h"

/* the verdict of the filter for one syscall */
uint32_t sg_ir_eval(const struct sg_filter *f, const struct seccomp_data *d);

/* does a condition hold for an argument value? */
bool sg_cond_match(const struct sg_cond *c, uint64_t value);

/* does rule a take precedence over rule b when both match? */
static inline bool sg_action_stronger(uint32_t a, uint32_t b)
{
	return (int32_t)a < (int32_t)b;
}

/*
 * Which ABI database handles (arch, nr): the one of the filter's ABIs reporting `arch` that
 * owns nr in the ABI partition (arch/arch.h). Returns NULL when the bad-arch action applies.
 */
const struct sg_archdb *sg_ir_select(const struct sg_filter *f, uint32_t arch, uint32_t nr);

/*
 * The rules of a syscall in evaluation order (strongest action first, ties in insertion
 * order), for the compiler and the PFC printer: fills order[] with indexes into s->rules.
 */
void sg_ir_rule_order(const struct sg_sysrules *s, uint32_t *order);

#endif
