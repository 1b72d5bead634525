/*
 * ir.h - the meaning of a filter, in one place.
 *
 * The rule database (db.h) is the IR: per ABI, syscall number -> rules -> action. This file
 * defines what it means: which ABI's rules apply to a seccomp_data, and which action wins when
 * several rules match. The compiler must produce programs that agree with sg_ir_eval() on
 * every input; the tests check exactly that.
 *
 * Precedence: an unconditional rule decides alone. Otherwise, let M be the conditional rules
 * that match. A rule of M whose set of matching inputs strictly contains the set of another
 * rule of M yields to that more specific rule (so libseccomp's "errno ladders", A2 > 128 ->
 * ERRNO(5), A2 > 256 -> ERRNO(6), ..., give the innermost rung). Among the rules of M that do
 * not yield, the most restrictive action wins, in the kernel's own order for stacked filters
 * (lowest (int32_t)action first: KILL_PROCESS < KILL_THREAD < TRAP < ERRNO < NOTIFY < TRACE <
 * LOG < ALLOW; equal classes by data). No match: the default action. Containment is decided
 * exactly on the rules' conditions (ir_order.h); a rule that can never match never counts.
 *
 * Kernel-version limit (SCMP_FLTATR_CTL_KVERMAX set to a release): on each ABI, a number that
 * no syscall of that release has (a newer syscall, or no syscall at all) gets the ENOSYS action
 * instead of the default, unless a rule names that number: an explicit rule always wins, the
 * policy's author knew the call. A multiplexed call is judged by the real numbers its rules
 * land on (socketcall(2) and, where it exists, the direct number). Rule decisions, and the
 * default action where no rule matches, are unchanged for numbers that are named.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_IR_H
#define SYSGATE_IR_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/seccomp.h>

#include "db.h"

/*
 * Does the kernel-version limit decide number nr of the ABI of db, whose rules are s (NULL:
 * none)? Then its action is f->act_enosys.
 */
bool sg_ir_kver_enosys(const struct sg_filter *f, const struct sg_archdb *db,
                       const struct sg_sysrules *s, uint32_t nr);

/* does s name its syscall with a rule (a priority hint alone does not)? */
static inline bool sg_ir_named(const struct sg_sysrules *s)
{
	return s && (s->has_uncond || s->nrules > 0);
}

/*
 * The reference evaluator and what only tools use: src/ir_eval.c, in libsysgate_tools.la (the
 * library compiles filters, it never evaluates one; libseccomp.so does not contain these).
 */

/* the verdict of the filter for one syscall */
uint32_t sg_ir_eval(const struct sg_filter *f, const struct seccomp_data *d);

/* does a condition hold for an argument value? */
bool sg_cond_match(const struct sg_cond *c, uint64_t value);

/*
 * The newest first release (enum scmp_kver) of the syscalls the filter's rules name, over all
 * its ABIs: runc's heuristic for a profile's kernel-version limit ("the policy knows every
 * call up to its newest one"). SCMP_KV_UNDEF when every named call is older than 3.0.
 */
unsigned int sg_ir_newest_named_kver(const struct sg_filter *f);

/* does rule a take precedence over rule b when both match? */
static inline bool sg_action_stronger(uint32_t a, uint32_t b)
{
	return (int32_t)a < (int32_t)b;
}

/*
 * Which ABI database handles (arch, nr): the one of the filter's ABIs reporting `arch` that
 * owns nr in the ABI partition (arch/arch.h). Returns NULL when the bad-arch action applies.
 * Inline: the compiler and the rule database ask for every range and every rule.
 */
static inline const struct sg_archdb *sg_ir_select(const struct sg_filter *f, uint32_t arch,
                                                   uint32_t nr)
{
	const struct sg_archdb *owner = NULL;

	/* the ABI partition decides; the order the ABIs were added in does not matter */
	for (uint32_t i = 0; i < f->narch; i++) {
		const struct sg_archdb *db = &f->arch[i];
		if (db->arch->audit == arch && sg_arch_owns(db->arch, nr) &&
		    (!owner || sg_arch_precedes(db->arch, owner->arch)))
			owner = db;
	}
	return owner;
}

/* the order in which the compiler tests a syscall's rules: sg_ir_rule_plan() in ir_order.h */

#endif
