/*
 * db_check.h - the invariants of the rule database (db.h), asserted in a debug build.
 *
 * `./configure --enable-debug` defines SG_DEBUG: the rule database is checked after every
 * change and before every compile, and a broken invariant aborts with its description
 * (tests/run-all.sh runs the Check programs in such a build). Without SG_DEBUG the checks
 * compile to nothing and the checker is not built.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_DB_CHECK_H
#define SYSGATE_DB_CHECK_H

#include "db.h"

#ifdef SG_DEBUG
/*
 * The first broken invariant, as a message, or NULL. Checked:
 *  - a condition: argument 0..5, a known operator; MASKED_EQ: a non-zero mask and a datum
 *    within it; other operators: the full mask (all ones, or the low word for low32); low32:
 *    mask and datum fit 32 bits;
 *  - a rule: 1..6 conditions sorted by argument, at most one per argument; a valid action
 *    that is not the default action; its first_key entry is its hash;
 *  - a syscall entry: number >= -1 (pseudo numbers never reach the database); an
 *    unconditional action means no conditional rules; counts within capacities;
 *  - an ABI's database: the open-addressing index holds exactly its entries and finds each
 *    at its position; capacities (a power of two, at least twice the entries);
 *  - a syscall's rule index: each rule under each of its prefixes, counts that add up to the
 *    rules, no rule a proper prefix of another (found through the index);
 *  - the context: live, at most SG_MAX_ARCHES distinct ABIs of one byte order, valid default
 *    and bad-arch actions, OPTIMIZE 1 or 2, notify_used when an action is NOTIFY.
 * sg_check_sys() checks one entry, and with `all_rules` false only its newest rule (what a
 * rule add changes), so that checking every add stays linear.
 */
const char *sg_check_filter(const struct sg_filter *f);
/* the hash of a rule's first condition (db.c; sg_sysrules.first_key) */
uint64_t sg_rule_first_key(const struct sg_rule *r);
const char *sg_check_sys(const struct sg_filter *f, const struct sg_archdb *db, int32_t nr,
                         bool all_rules);
/* print "sysgate: broken invariant in <where>: <what>" and abort */
void sg_check_fail(const char *where, const char *what) __attribute__((noreturn));

#define SG_CHECK_FILTER(f)                                                                         \
	do {                                                                                       \
		const char *sg_w_ = sg_check_filter(f);                                            \
		if (sg_w_)                                                                         \
			sg_check_fail(__func__, sg_w_);                                            \
	} while (0)
#define SG_CHECK_SYS(f, db, nr, all)                                                               \
	do {                                                                                       \
		const char *sg_w_ = sg_check_sys(f, db, nr, all);                                  \
		if (sg_w_)                                                                         \
			sg_check_fail(__func__, sg_w_);                                            \
	} while (0)
#else
#define SG_CHECK_FILTER(f)           ((void)0)
#define SG_CHECK_SYS(f, db, nr, all) ((void)0)
#endif

#endif
