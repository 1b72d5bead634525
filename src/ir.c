/*
 * ir.c - reference semantics of a filter (see ir.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <seccomp.h>

#include "ir.h"

bool sg_cond_match(const struct sg_cond *c, uint64_t v)
{
	if (c->low32)
		v &= 0xffffffffu;
	switch (c->op) {
	case SCMP_CMP_NE:
		return v != c->datum;
	case SCMP_CMP_LT:
		return v < c->datum;
	case SCMP_CMP_LE:
		return v <= c->datum;
	case SCMP_CMP_EQ:
		return v == c->datum;
	case SCMP_CMP_GE:
		return v >= c->datum;
	case SCMP_CMP_GT:
		return v > c->datum;
	case SCMP_CMP_MASKED_EQ:
		return (v & c->mask) == c->datum;
	}
	return false;
}

static bool rule_match(const struct sg_rule *r, const struct seccomp_data *d)
{
	for (unsigned int i = 0; i < r->ncond; i++)
		if (!sg_cond_match(&r->cond[i], d->args[r->cond[i].arg]))
			return false;
	return true;
}

/*
 * A MIPS64 kernel runs a syscall by its number whatever the caller's ABI: an n64 task that
 * calls 4020 gets o32's getpid, reported under n64's arch value. Numbers of the other MIPS
 * ABIs are therefore foreign to a MIPS filter, like x32 numbers to an x86_64 one: bad-arch.
 */
static bool mips_foreign(const struct sg_arch *arch, uint32_t nr)
{
	bool mips = arch->nr_base == 4000 || arch->nr_base == 5000 || arch->nr_base == 6000;
	return mips && nr >= 4000 && nr < 7000 && (nr < arch->nr_base || nr >= arch->nr_base + 1000);
}

const struct sg_archdb *sg_ir_select(const struct sg_filter *f, uint32_t arch, uint32_t nr)
{
	const struct sg_archdb *x86_64 = NULL, *x32 = NULL;

	for (uint32_t i = 0; i < f->narch; i++) {
		const struct sg_archdb *db = &f->arch[i];
		if (db->arch->audit != arch)
			continue;
		if (db->arch->token == SCMP_ARCH_X32)
			x32 = db;
		else if (db->arch->token == SCMP_ARCH_X86_64)
			x86_64 = db;
		else
			return mips_foreign(db->arch, nr) ? NULL : db;
	}
	if (!x86_64 && !x32)
		return NULL;
	/* nr -1 (a syscall skipped by a tracer) is not an x32 call */
	if (nr == 0xffffffffu)
		return x86_64 ? x86_64 : x32;
	/* x32 calls carry SG_X32_BIT; so does every "negative" number, which x86_64 refuses */
	return nr >= SG_X32_BIT ? x32 : x86_64;
}

uint32_t sg_ir_eval(const struct sg_filter *f, const struct seccomp_data *d)
{
	const struct sg_archdb *db = sg_ir_select(f, d->arch, (uint32_t)d->nr);
	const struct sg_sysrules *s;
	uint32_t best;
	bool matched = false;

	if (!db)
		return f->act_badarch;
	s = sg_archdb_find(db, d->nr);
	if (!s)
		return f->act_default;
	if (s->has_uncond)
		return s->uncond_action;
	best = f->act_default;
	for (uint32_t i = 0; i < s->nrules; i++) {
		const struct sg_rule *r = &s->rules[i];
		if (rule_match(r, d) && (!matched || sg_action_stronger(r->action, best))) {
			best = r->action;
			matched = true;
		}
	}
	return best;
}

void sg_ir_rule_order(const struct sg_sysrules *s, uint32_t *order)
{
	/* stable insertion sort: rule counts per syscall are small */
	for (uint32_t i = 0; i < s->nrules; i++) {
		uint32_t j = i;
		while (j > 0 &&
		       sg_action_stronger(s->rules[i].action, s->rules[order[j - 1]].action)) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
}
