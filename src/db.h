/*
 * db.h - the filter context: attributes, the architectures it targets, and per architecture
 * the rules as the user gave them (after libseccomp's rule-add semantics and per-ABI
 * translation). This is also sysgate's IR: ir_eval.c evaluates it directly on a seccomp_data, and
 * the compiler lowers it to BPF.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_DB_H
#define SYSGATE_DB_H

#include <stdbool.h>
#include <stdint.h>

#include <seccomp.h>

#include "arch/arch.h"

#define SG_MAX_ARGS     6
#define SG_MAX_ARCHES   32
#define SG_CTX_MAGIC    0x5347a7e5u /* "SG gate": a live context */
#define SG_CTX_RELEASED 0x5347dead  /* set before free, to catch some use-after-release */

/* one argument comparison, normalised for one ABI */
struct sg_cond {
	uint8_t arg;    /* 0..5 */
	uint8_t op;     /* SCMP_CMP_NE .. SCMP_CMP_MASKED_EQ */
	bool low32;     /* compare only the low 32 bits (32-bit ABI, or SCMP_CMP_32BIT) */
	uint64_t mask;  /* MASKED_EQ's mask; all ones for other ops */
	uint64_t datum; /* the value compared with (MASKED_EQ: compared with arg & mask) */
};

/* a conditional rule: all conditions must hold (sorted by arg, at most one per arg) */
struct sg_rule {
	uint32_t action;
	uint8_t ncond;
	/* a rule on socketcall/ipc made from a conditional rule on a socket/ipc call, whose
	 * conditions the filter cannot test there (db.c rule_build): its only condition is the
	 * call number. Not part of the meaning; only rule-add conflicts look at it. */
	bool unchecked;
	struct sg_cond cond[SG_MAX_ARGS];
};

/*
 * One slot of a syscall's rule index (sg_sysrules.idx): how many rules have a condition list,
 * or a proper prefix of it, whose chain hash (sg_rule_chain_keys) is `key`. By libseccomp's
 * rule-add semantics no rule of a syscall equals another or is a prefix of another, so a rule
 * add finds the rules that bear on it by looking up the hashes of its own prefixes instead of
 * scanning every rule. A slot with both counts 0 is empty.
 */
struct sg_rule_slot {
	uint64_t key;
	uint32_t nfull;   /* rules whose whole condition list hashes to key */
	uint32_t full;    /* with nfull == 1: that rule's position in rules */
	uint32_t nprefix; /* rules with a proper prefix (shorter, not empty) hashing to key */
};

/* everything about one syscall number on one ABI */
struct sg_sysrules {
	int32_t nr;       /* real number on the ABI (may be -1 with API_TSKIP) */
	uint8_t priority; /* seccomp_syscall_priority() hint */
	bool has_uncond;  /* an unconditional rule exists: it decides alone */
	uint32_t uncond_action;
	uint32_t nrules, cap;  /* conditional rules, in the order they were added */
	struct sg_rule *rules; /* owned */
	/* owned, parallel to rules: a hash of each rule's first condition. Two rules can only
	 * be equal or prefixes of each other when these are equal, so the rule-add checks
	 * scan this dense array instead of the rules themselves. */
	uint64_t *first_key;
	/* owned: open-addressing index of the rules' prefixes (NULL while there are no rules) */
	struct sg_rule_slot *idx;
	uint32_t idx_cap; /* a power of two, at least twice idx_used (room is made before an add) */
	uint32_t idx_used; /* slots in use */
};

/* the rules of one ABI */
struct sg_archdb {
	const struct sg_arch *arch;
	uint32_t nsys, cap;
	struct sg_sysrules *sys; /* owned; in the order syscalls first got a rule */
	uint32_t *index;         /* owned; open-addressing hash nr -> position in sys + 1 */
	uint32_t index_cap;      /* a power of two, at least twice nsys */
};

/* what a transaction snapshot keeps: the arch list and every rule */
struct sg_snapshot {
	struct sg_snapshot *prev; /* the next older snapshot (transactions nest) */
	uint32_t narch;
	struct sg_archdb arch[SG_MAX_ARCHES];
};

struct sg_filter {
	uint32_t magic; /* SG_CTX_MAGIC while valid */
	uint32_t act_default;
	uint32_t act_badarch;
	bool nnp, tsync, tskip, log, ssb, rawrc, waitkill;
	uint32_t optimize; /* 1 or 2 */
	bool notify_used;  /* the filter can return SCMP_ACT_NOTIFY: request a listener */
	/* SCMP_FLTATR_CTL_KVERMAX: the newest release the policy knows (SCMP_KV_UNDEF: off), and
	 * SCMP_FLTATR_ACT_ENOSYS, what numbers no syscall of that release has get (ir.h) */
	uint32_t kvermax;
	uint32_t act_enosys;
	uint32_t narch;
	struct sg_archdb arch[SG_MAX_ARCHES]; /* native first after init */
	struct sg_snapshot *txn;              /* user transactions, newest first */
	/* counts the changes that affect the compiled program; whoever caches a program (ctx.c)
	 * compares it, so the rules never depend on the compiler */
	uint64_t generation;
	/* work counter: existing rules the rule-add checks compared a new rule with. Only
	 * tests/test_limits.c reads it, to see how rule adds scale without a clock. */
	uint64_t rule_compares;
};

/* validation */
bool sg_filter_valid(const struct sg_filter *f);
/* 0 if `action` is a valid action value (kernel support checked by system.c), else -EINVAL */
int sg_action_valid(uint32_t action);

/*
 * lifecycle, on storage the caller owns (ctx.c embeds the filter in a context): init (on
 * zeroed storage) and reset put the native arch in and all attributes to their defaults; fini
 * frees the rules and marks the filter released.
 */
void sg_filter_init(struct sg_filter *f, uint32_t def_action);
int sg_filter_reset(struct sg_filter *f, uint32_t def_action);
void sg_filter_fini(struct sg_filter *f);

/* architectures */
struct sg_archdb *sg_filter_archdb(struct sg_filter *f, const struct sg_arch *arch);
int sg_filter_arch_add(struct sg_filter *f, const struct sg_arch *arch);
int sg_filter_arch_remove(struct sg_filter *f, const struct sg_arch *arch);

/* rules: atomic (on error the context is unchanged) */
int sg_filter_rule_add(struct sg_filter *f, uint32_t action, int syscall, unsigned int arg_cnt,
                       const struct scmp_arg_cmp *args, bool exact);
int sg_filter_priority(struct sg_filter *f, int syscall, uint8_t priority);
/* move src's ABIs and rules into dst; src is left without ABIs for the caller to release */
int sg_filter_merge(struct sg_filter *dst, struct sg_filter *src);

/* transactions */
int sg_filter_txn_start(struct sg_filter *f);
void sg_filter_txn_reject(struct sg_filter *f);
void sg_filter_txn_commit(struct sg_filter *f);

/* the rules or a code-affecting attribute changed: any program compiled before is stale */
void sg_filter_invalidate(struct sg_filter *f);

/* the two rules test the same conditions (field by field: padding never counts) */
bool sg_rule_same_conds(const struct sg_rule *a, const struct sg_rule *b);

/* the chain hashes of r's condition prefixes: keys[k - 1] for the first k conditions */
void sg_rule_chain_keys(const struct sg_rule *r, uint64_t keys[SG_MAX_ARGS]);
/* the index slot of `key` in s->idx, or NULL */
const struct sg_rule_slot *sg_rule_index_find(const struct sg_sysrules *s, uint64_t key);

/* lookup of a syscall's rules on an ABI, or NULL */
const struct sg_sysrules *sg_archdb_find(const struct sg_archdb *db, int32_t nr);

#endif
