/*
 * db_index.c - a syscall's rule index (db_index.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "alloc.h"
#include "db_index.h"

static uint64_t mix(uint64_t h)
{
	h = (h ^ (h >> 31)) * 0x9e3779b97f4a7c15ull;
	h = (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ull;
	return h ^ (h >> 32);
}

void sg_rule_chain_keys(const struct sg_rule *r, uint64_t keys[SG_MAX_ARGS])
{
	uint64_t h = 0x5347a7e5u;

	for (unsigned int k = 0; k < r->ncond; k++) {
		const struct sg_cond *c = &r->cond[k];
		/* every field of the condition, field by field (padding never counts) */
		h = mix(h ^ ((uint64_t)c->arg << 16 | (uint64_t)c->op << 8 | c->low32));
		h = mix(h ^ c->mask);
		h = mix(h ^ c->datum);
		keys[k] = h;
	}
}

static bool slot_empty(const struct sg_rule_slot *e)
{
	return e->nfull == 0 && e->nprefix == 0;
}

/* the slot holding key, or the empty slot where it would go (the table is never full) */
static struct sg_rule_slot *slot_at(struct sg_rule_slot *t, uint32_t cap, uint64_t key)
{
	for (uint32_t h = (uint32_t)key & (cap - 1);; h = (h + 1) & (cap - 1))
		if (slot_empty(&t[h]) || t[h].key == key)
			return &t[h];
}

const struct sg_rule_slot *sg_rule_index_find(const struct sg_sysrules *s, uint64_t key)
{
	if (!s->idx_cap)
		return NULL;
	const struct sg_rule_slot *e = slot_at(s->idx, s->idx_cap, key);
	return slot_empty(e) ? NULL : e;
}

int sg_rule_index_reserve(struct sg_sysrules *s, uint32_t extra)
{
	uint32_t need = 2 * (s->idx_used + extra);

	if (need <= s->idx_cap)
		return 0;
	uint32_t cap = s->idx_cap ? s->idx_cap : 4;
	while (cap < need)
		cap *= 2;
	struct sg_rule_slot *t = sg_calloc(cap, sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (uint32_t i = 0; i < s->idx_cap; i++)
		if (!slot_empty(&s->idx[i]))
			*slot_at(t, cap, s->idx[i].key) = s->idx[i];
	sg_free(s->idx);
	s->idx = t;
	s->idx_cap = cap;
	return 0;
}

void sg_rule_index_add(struct sg_sysrules *s, uint32_t pos)
{
	const struct sg_rule *r = &s->rules[pos];
	uint64_t keys[SG_MAX_ARGS];

	sg_rule_chain_keys(r, keys);
	for (unsigned int k = 0; k < r->ncond; k++) {
		struct sg_rule_slot *e = slot_at(s->idx, s->idx_cap, keys[k]);
		if (slot_empty(e)) {
			e->key = keys[k];
			s->idx_used++;
		}
		if (k + 1 < r->ncond) {
			e->nprefix++;
		} else {
			e->full = pos;
			e->nfull++;
		}
	}
}

void sg_rule_index_rebuild(struct sg_sysrules *s)
{
	if (s->idx)
		memset(s->idx, 0, s->idx_cap * sizeof(*s->idx));
	s->idx_used = 0;
	for (uint32_t i = 0; i < s->nrules; i++)
		sg_rule_index_add(s, i);
}

int sg_rule_index_copy(struct sg_sysrules *dst, const struct sg_sysrules *src)
{
	dst->idx = NULL;
	dst->idx_cap = dst->idx_used = 0;
	if (!src->idx_cap)
		return 0;
	dst->idx = sg_reallocarray(NULL, src->idx_cap, sizeof(*dst->idx));
	if (!dst->idx)
		return -ENOMEM;
	memcpy(dst->idx, src->idx, src->idx_cap * sizeof(*dst->idx));
	dst->idx_cap = src->idx_cap;
	dst->idx_used = src->idx_used;
	return 0;
}

void sg_rule_index_free(struct sg_sysrules *s)
{
	sg_free(s->idx);
	s->idx = NULL;
	s->idx_cap = s->idx_used = 0;
}
