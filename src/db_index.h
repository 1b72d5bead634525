/*
 * db_index.h - a syscall's rule index (sg_sysrules.idx, struct sg_rule_slot in db.h): the
 * chain hashes of every rule's condition prefixes, so that a rule add looks up the few rules
 * that can bear on it (an equal rule, a prefix of it, rules it is a prefix of) instead of
 * scanning all of them. A hash only points to candidates; db.c compares the rules themselves.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_DB_INDEX_H
#define SYSGATE_DB_INDEX_H

#include "db.h"

/* room for `extra` more keys (one rule: its ncond); -ENOMEM changes nothing */
int sg_rule_index_reserve(struct sg_sysrules *s, uint32_t extra);
/* enter rule `pos` of s (capacity must be reserved) */
void sg_rule_index_add(struct sg_sysrules *s, uint32_t pos);
/* enter every rule again after rules were removed: no allocation, cannot fail */
void sg_rule_index_rebuild(struct sg_sysrules *s);
/* a deep copy of src's index into dst (whose idx is not owned yet); -ENOMEM leaves it NULL */
int sg_rule_index_copy(struct sg_sysrules *dst, const struct sg_sysrules *src);
void sg_rule_index_free(struct sg_sysrules *s);

#endif
