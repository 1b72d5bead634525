/*
 * ir_eval.c - the reference evaluator (sg_ir_eval, ir.h) and the set questions it asks.
 *
 * Only tools and tests evaluate a filter: the library compiles it (lower.c, with the rule order
 * of ir_order.c) and never runs sg_ir_eval, so this file is in libsysgate_tools.la, not in
 * libseccomp.so (tests/compat/abi.sh checks that). It reads the rule database directly,
 * independent of the compiler, which is what makes it a reference.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <seccomp.h>

#include "arch/kvers.h"
#include "ir.h"
#include "ir_order.h"

/*
 * sets and rules, one question at a time (ir_order.h)
 */

bool sg_vset_subset(const struct sg_width *W, const struct sg_vset *a, const struct sg_vset *b)
{
	struct sg_vset nb;

	sg_vset_complement(W, b, &nb);
	return !sg_vset_overlap(W, a, &nb);
}

bool sg_rule_subset_w(const struct sg_width *W, const struct sg_rule *a, const struct sg_rule *b)
{
	struct sg_rset ra, rb;

	sg_rset_build(W, a, &ra);
	sg_rset_build(W, b, &rb);
	return sg_rset_subset(W, &ra, &rb);
}

bool sg_rule_overlap_w(const struct sg_width *W, const struct sg_rule *a, const struct sg_rule *b)
{
	struct sg_rset ra, rb;

	sg_rset_build(W, a, &ra);
	sg_rset_build(W, b, &rb);
	return sg_rset_overlap(W, &ra, &rb);
}

/*
 * the evaluator
 */

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

/* a rule of M (the matching rules) strictly contains another rule of M: it yields */
static bool yields(const struct sg_sysrules *s, uint32_t i, const struct seccomp_data *d)
{
	const struct sg_rule *r = &s->rules[i];

	for (uint32_t j = 0; j < s->nrules; j++) {
		const struct sg_rule *q = &s->rules[j];
		if (j != i && rule_match(q, d) && sg_rule_subset_w(&sg_width64, q, r) &&
		    !sg_rule_subset_w(&sg_width64, r, q))
			return true;
	}
	return false;
}

uint32_t sg_ir_eval(const struct sg_filter *f, const struct seccomp_data *d)
{
	const struct sg_archdb *db = sg_ir_select(f, d->arch, (uint32_t)d->nr);
	const struct sg_sysrules *s;
	uint32_t best = 0, first = 0;
	bool matched = false, mixed = false, found = false;

	if (!db)
		return f->act_badarch;
	s = sg_archdb_find(db, d->nr);
	if (sg_ir_kver_enosys(f, db, s, (uint32_t)d->nr))
		return f->act_enosys;
	if (!s)
		return f->act_default;
	if (s->has_uncond)
		return s->uncond_action;
	for (uint32_t i = 0; i < s->nrules; i++) {
		if (!rule_match(&s->rules[i], d))
			continue;
		mixed |= matched && s->rules[i].action != first;
		if (!matched)
			first = s->rules[i].action;
		matched = true;
	}
	if (!matched)
		return f->act_default;
	if (!mixed)
		return first; /* who yields to whom cannot change the action */
	/* the most restrictive rule that does not yield (M has a minimal rule: one exists) */
	for (uint32_t i = 0; i < s->nrules; i++) {
		const struct sg_rule *r = &s->rules[i];
		if (!rule_match(r, d) || (found && !sg_action_stronger(r->action, best)) ||
		    yields(s, i, d))
			continue;
		best = r->action;
		found = true;
	}
	return best;
}

/*
 * a fact about the rules that tools use (scmp_compile --enosys-after, scmp_record)
 */

unsigned int sg_ir_newest_named_kver(const struct sg_filter *f)
{
	unsigned int newest = SCMP_KV_UNDEF;

	for (uint32_t i = 0; i < f->narch; i++) {
		const struct sg_archdb *db = &f->arch[i];
		for (uint32_t j = 0; j < db->nsys; j++) {
			unsigned int kv = sg_arch_nr_kver(db->arch, (uint32_t)db->sys[j].nr);
			if (sg_ir_named(&db->sys[j]) && kv > newest)
				newest = kv;
		}
	}
	return newest;
}
