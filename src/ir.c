/*
 * ir.c - the parts of a filter's meaning (ir.h) the compiler needs: which ABI's rules apply,
 * and where the kernel-version limit decides. The reference evaluator, which only tools and
 * tests run, is src/ir_eval.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <seccomp.h>

#include "arch/kvers.h"
#include "ir.h"

const struct sg_archdb *sg_ir_select(const struct sg_filter *f, uint32_t arch, uint32_t nr)
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

bool sg_ir_kver_enosys(const struct sg_filter *f, const struct sg_archdb *db,
                       const struct sg_sysrules *s, uint32_t nr)
{
	return f->kvermax != SCMP_KV_UNDEF && !sg_ir_named(s) &&
	       !sg_arch_nr_in_kver(db->arch, nr, f->kvermax);
}
