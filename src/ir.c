/*
 * ir.c - the parts of a filter's meaning (ir.h) the compiler needs beside the ABI selection
 * (sg_ir_select, inline in ir.h): where the kernel-version limit decides. The reference
 * evaluator, which only tools and tests run, is src/ir_eval.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <seccomp.h>

#include "arch/kvers.h"
#include "ir.h"

bool sg_ir_kver_enosys(const struct sg_filter *f, const struct sg_archdb *db,
                       const struct sg_sysrules *s, uint32_t nr)
{
	return f->kvermax != SCMP_KV_UNDEF && !sg_ir_named(s) &&
	       !sg_arch_nr_in_kver(db->arch, nr, f->kvermax);
}
