/*
 * db_check.c - the rule database's invariants (see db_check.h); built with SG_DEBUG only.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#ifdef SG_DEBUG

#include <stdio.h>
#include <stdlib.h>

#include "db_check.h"
#include "ir.h"

static const char *check_cond(const struct sg_cond *c)
{
	uint64_t full = c->low32 ? 0xffffffffu : UINT64_MAX;

	if (c->arg >= SG_MAX_ARGS)
		return "a condition on an argument above 5";
	if (c->op < SCMP_CMP_NE || c->op > SCMP_CMP_MASKED_EQ)
		return "a condition with an unknown operator";
	if (c->low32 && (c->mask > 0xffffffffu || c->datum > 0xffffffffu))
		return "a 32-bit condition whose mask or datum does not fit 32 bits";
	if (c->op == SCMP_CMP_MASKED_EQ) {
		if (c->mask == 0)
			return "a MASKED_EQ condition with an empty mask (always true: it is "
			       "dropped)";
		if (c->datum & ~c->mask)
			return "a MASKED_EQ datum with bits outside its mask";
	} else if (c->mask != full) {
		return "a comparison (not MASKED_EQ) with a partial mask";
	}
	return NULL;
}

/* rule i is in the index under each of its prefixes, and no other rule is one of them */
static const char *check_indexed(const struct sg_sysrules *s, uint32_t i)
{
	const struct sg_rule *r = &s->rules[i];
	uint64_t keys[SG_MAX_ARGS];

	sg_rule_chain_keys(r, keys);
	for (unsigned int k = 1; k <= r->ncond; k++) {
		const struct sg_rule_slot *e = sg_rule_index_find(s, keys[k - 1]);
		if (!e)
			return "a rule the index does not hold under one of its prefixes";
		if (k < r->ncond) {
			if (e->nprefix == 0)
				return "a rule the index does not count under a proper prefix";
			struct sg_rule head = *r;
			head.ncond = (uint8_t)k;
			if (e->nfull == 1 && e->full < s->nrules &&
			    sg_rule_same_conds(&s->rules[e->full], &head))
				return "a rule whose conditions are a prefix of another rule's";
		} else if (e->nfull == 0 || (e->nfull == 1 && e->full != i)) {
			return "a rule the index does not find at its position";
		}
	}
	return NULL;
}

static const char *check_rule(const struct sg_filter *f, const struct sg_sysrules *s, uint32_t i)
{
	const struct sg_rule *r = &s->rules[i];
	const char *w;

	if (r->ncond == 0 || r->ncond > SG_MAX_ARGS)
		return "a conditional rule with no or more than 6 conditions";
	if (sg_action_valid(r->action) < 0 || r->action == f->act_default)
		return "a rule with an invalid action or the default action";
	if (r->action == SCMP_ACT_NOTIFY && !f->notify_used)
		return "a NOTIFY rule in a context that does not know it uses NOTIFY";
	if (r->unchecked && (r->ncond != 1 || r->cond[0].arg != 0 ||
	                     !sg_action_stronger(r->action, f->act_default)))
		return "an unchecked multiplexer rule that tests more than the call number, or is "
		       "not more restrictive than the default";
	for (unsigned int k = 0; k < r->ncond; k++) {
		if ((w = check_cond(&r->cond[k])) != NULL)
			return w;
		if (k > 0 && r->cond[k - 1].arg >= r->cond[k].arg)
			return "conditions not sorted by argument, or two on one argument";
	}
	if (s->first_key[i] != sg_rule_first_key(r))
		return "a rule whose first_key is not the hash of its first condition";
	return check_indexed(s, i);
}

/* the index as a whole: sizes, and counts that add up to the rules' */
static const char *check_index(const struct sg_sysrules *s)
{
	uint64_t nfull = 0, nprefix = 0, used = 0;

	if (s->idx_cap & (s->idx_cap - 1))
		return "a rule index size that is not a power of two";
	if (s->nrules && (!s->idx || s->idx_cap < 2 * s->idx_used))
		return "a rule index less than twice the size of its keys";
	for (uint32_t h = 0; h < s->idx_cap; h++) {
		const struct sg_rule_slot *e = &s->idx[h];
		used += e->nfull || e->nprefix;
		nfull += e->nfull;
		nprefix += e->nprefix;
		if (e->nfull == 1 && e->full >= s->nrules)
			return "a rule index slot past the rules";
	}
	for (uint32_t i = 0; i < s->nrules; i++)
		nprefix -= s->rules[i].ncond - 1u;
	if (used != s->idx_used || nfull != s->nrules || nprefix != 0)
		return "a rule index whose counts do not add up to the rules";
	return NULL;
}

static const char *check_entry(const struct sg_filter *f, const struct sg_archdb *db,
                               const struct sg_sysrules *s, bool all_rules)
{
	const char *w;

	if (s->nr < -1)
		return "an entry on a negative syscall number other than -1";
	if (sg_archdb_find(db, s->nr) != s)
		return "an entry the index does not find";
	if (s->has_uncond) {
		if (s->nrules)
			return "conditional rules beside an unconditional action";
		if (sg_action_valid(s->uncond_action) < 0 || s->uncond_action == f->act_default)
			return "an unconditional rule with an invalid action or the default action";
		if (s->uncond_action == SCMP_ACT_NOTIFY && !f->notify_used)
			return "a NOTIFY rule in a context that does not know it uses NOTIFY";
	}
	if (s->nrules > s->cap || (s->nrules && (!s->rules || !s->first_key)))
		return "more conditional rules than their arrays hold";
	if (all_rules && (w = check_index(s)) != NULL)
		return w;
	for (uint32_t i = all_rules ? 0 : (s->nrules ? s->nrules - 1 : 0); i < s->nrules; i++)
		if ((w = check_rule(f, s, i)) != NULL)
			return w;
	return NULL;
}

static const char *check_archdb(const struct sg_filter *f, const struct sg_archdb *db)
{
	uint32_t used = 0;
	const char *w;

	if (db->nsys > db->cap || (db->nsys && !db->sys))
		return "more syscall entries than the array holds";
	if (db->index_cap & (db->index_cap - 1))
		return "an index size that is not a power of two";
	if (db->nsys && (!db->index || db->index_cap < 2 * db->nsys))
		return "an index less than twice the size of the entries";
	for (uint32_t h = 0; h < db->index_cap; h++) {
		if (db->index[h] > db->nsys)
			return "an index slot past the entries";
		used += db->index[h] != 0;
	}
	if (used != db->nsys)
		return "an index that does not hold exactly one slot per entry";
	for (uint32_t i = 0; i < db->nsys; i++)
		if ((w = check_entry(f, db, &db->sys[i], true)) != NULL)
			return w;
	return NULL;
}

const char *sg_check_filter(const struct sg_filter *f)
{
	const char *w;

	if (!sg_filter_valid(f))
		return "not a live context";
	if (f->narch > SG_MAX_ARCHES)
		return "more ABIs than a context holds";
	if (sg_action_valid(f->act_default) < 0 || sg_action_valid(f->act_badarch) < 0)
		return "an invalid default or bad-arch action";
	if (f->optimize != 1 && f->optimize != 2)
		return "an optimization level other than 1 or 2";
	if (f->act_default == SCMP_ACT_NOTIFY && !f->notify_used)
		return "a NOTIFY default action in a context that does not know it uses NOTIFY";
	for (uint32_t i = 0; i < f->narch; i++) {
		if (!f->arch[i].arch || f->arch[i].arch->big_endian != f->arch[0].arch->big_endian)
			return "an ABI missing or of another byte order";
		for (uint32_t j = 0; j < i; j++)
			if (f->arch[j].arch == f->arch[i].arch)
				return "an ABI twice in one context";
		if ((w = check_archdb(f, &f->arch[i])) != NULL)
			return w;
	}
	return NULL;
}

const char *sg_check_sys(const struct sg_filter *f, const struct sg_archdb *db, int32_t nr,
                         bool all_rules)
{
	const struct sg_sysrules *s = sg_archdb_find(db, nr);

	return s ? check_entry(f, db, s, all_rules) : NULL;
}

void sg_check_fail(const char *where, const char *what)
{
	fprintf(stderr, "sysgate: broken invariant in %s: %s\n", where, what);
	abort();
}

#endif
