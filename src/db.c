/*
 * db.c - the filter context and libseccomp's rule-add semantics.
 *
 * A rule add is planned in full (per ABI translation, conflict checks, memory reservation)
 * before anything is changed, so every failure leaves the context exactly as it was; the
 * apply step cannot fail.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "alloc.h"
#include "db.h"
#include "db_check.h"
#include "db_index.h"
#include "ir.h"

bool sg_filter_valid(const struct sg_filter *f)
{
	return f != NULL && f->magic == SG_CTX_MAGIC;
}

int sg_action_valid(uint32_t action)
{
	uint32_t data = action & SECCOMP_RET_DATA;

	switch (action & SECCOMP_RET_ACTION_FULL) {
	case SCMP_ACT_KILL_PROCESS:
	case SCMP_ACT_KILL_THREAD:
	case SCMP_ACT_LOG:
	case SCMP_ACT_ALLOW:
	case SCMP_ACT_NOTIFY:
		/* these carry no data; a value with data bits is not an action libseccomp knows */
		return data == 0 ? 0 : -EINVAL;
	case SCMP_ACT_TRAP: /* SCMP_ACT_TRAPX(data) */
	case SCMP_ACT_TRACE(0):
		return 0;
	case SCMP_ACT_ERRNO(0):
		/* the kernel caps errno at MAX_ERRNO (4095); libseccomp refuses 4095 and above */
		return data < 4095 ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

/*
 * archdb helpers
 */

/* free an entry's conditional rules, leaving it none; an entry that owns nothing (most of
 * them: unconditional) costs no call */
static void entry_drop_rules(struct sg_sysrules *s)
{
	if (s->rules || s->first_key || s->idx) {
		sg_free(s->rules);
		sg_free(s->first_key);
		sg_rule_index_free(s);
	}
	s->rules = NULL;
	s->first_key = NULL;
	s->nrules = s->cap = 0;
	s->idx_cap = s->idx_used = 0;
}

static void archdb_clear(struct sg_archdb *db)
{
	for (uint32_t i = 0; i < db->nsys; i++)
		entry_drop_rules(&db->sys[i]);
	sg_free(db->sys);
	sg_free(db->index);
	db->sys = NULL;
	db->index = NULL;
	db->nsys = db->cap = db->index_cap = 0;
}

static uint32_t nr_hash(int32_t nr, uint32_t cap)
{
	return ((uint32_t)nr * 0x9e3779b1u) & (cap - 1);
}

/* position of nr in db->sys, or -1 */
static long archdb_search(const struct sg_archdb *db, int32_t nr)
{
	if (!db->index_cap)
		return -1;
	for (uint32_t h = nr_hash(nr, db->index_cap);; h = (h + 1) & (db->index_cap - 1)) {
		uint32_t slot = db->index[h];
		if (slot == 0)
			return -1;
		if (db->sys[slot - 1].nr == nr)
			return (long)slot - 1;
	}
}

const struct sg_sysrules *sg_archdb_find(const struct sg_archdb *db, int32_t nr)
{
	long i = archdb_search(db, nr);
	return i >= 0 ? &db->sys[i] : NULL;
}

static void index_put(uint32_t *index, uint32_t cap, int32_t nr, uint32_t pos)
{
	uint32_t h = nr_hash(nr, cap);
	while (index[h])
		h = (h + 1) & (cap - 1);
	index[h] = pos + 1;
}

/* make room for `extra` more syscall entries; changes nothing visible */
static int archdb_reserve(struct sg_archdb *db, uint32_t extra)
{
	uint32_t need = db->nsys + extra;

	if (need > db->cap) {
		uint32_t cap = db->cap ? db->cap : 16;
		while (cap < need)
			cap *= 2;
		struct sg_sysrules *sys = sg_reallocarray(db->sys, cap, sizeof(*sys));
		if (!sys)
			return -ENOMEM;
		db->sys = sys;
		db->cap = cap;
	}
	if (need * 2 > db->index_cap) {
		uint32_t cap = db->index_cap ? db->index_cap : 32;
		while (cap < need * 2)
			cap *= 2;
		uint32_t *index = sg_calloc(cap, sizeof(*index));
		if (!index)
			return -ENOMEM;
		for (uint32_t i = 0; i < db->nsys; i++)
			index_put(index, cap, db->sys[i].nr, i);
		sg_free(db->index);
		db->index = index;
		db->index_cap = cap;
	}
	return 0;
}

/* the entry for nr, appended empty if there is none (capacity must be reserved) */
static struct sg_sysrules *archdb_insert(struct sg_archdb *db, int32_t nr)
{
	long i = archdb_search(db, nr);
	if (i >= 0)
		return &db->sys[i];
	struct sg_sysrules *s = &db->sys[db->nsys];
	memset(s, 0, sizeof(*s));
	s->nr = nr;
	index_put(db->index, db->index_cap, nr, db->nsys++);
	return s;
}

/* deep copy of src into dst (dst uninitialised); -ENOMEM leaves dst empty */
static int archdb_copy(struct sg_archdb *dst, const struct sg_archdb *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->arch = src->arch;
	if (src->nsys == 0)
		return 0;
	dst->sys = sg_reallocarray(NULL, src->nsys, sizeof(*dst->sys));
	dst->index = sg_reallocarray(NULL, src->index_cap, sizeof(*dst->index));
	if (!dst->sys || !dst->index) {
		archdb_clear(dst);
		return -ENOMEM;
	}
	memcpy(dst->index, src->index, src->index_cap * sizeof(*dst->index));
	dst->index_cap = src->index_cap;
	dst->cap = src->nsys;
	for (uint32_t i = 0; i < src->nsys; i++) {
		dst->sys[i] = src->sys[i];
		dst->sys[i].rules = NULL;
		dst->sys[i].first_key = NULL;
		dst->sys[i].cap = 0;
		dst->nsys = i + 1; /* from here archdb_clear() frees what entry i owns */
		if (sg_rule_index_copy(&dst->sys[i], &src->sys[i]) < 0) {
			archdb_clear(dst);
			return -ENOMEM;
		}
		uint32_t n = src->sys[i].nrules;
		if (n) {
			dst->sys[i].rules = sg_reallocarray(NULL, n, sizeof(struct sg_rule));
			dst->sys[i].first_key = sg_reallocarray(NULL, n, sizeof(uint64_t));
			if (!dst->sys[i].rules || !dst->sys[i].first_key) {
				archdb_clear(dst);
				return -ENOMEM;
			}
			memcpy(dst->sys[i].rules, src->sys[i].rules, n * sizeof(struct sg_rule));
			memcpy(dst->sys[i].first_key, src->sys[i].first_key, n * sizeof(uint64_t));
			dst->sys[i].cap = n;
		}
	}
	return 0;
}

/*
 * context lifecycle
 */

static void filter_defaults(struct sg_filter *f, uint32_t def_action)
{
	f->act_default = def_action;
	f->act_badarch = SCMP_ACT_KILL_THREAD;
	f->nnp = true;
	f->tsync = f->tskip = f->log = f->ssb = f->rawrc = f->waitkill = false;
	f->optimize = 1;
	f->kvermax = SCMP_KV_UNDEF;
	f->act_enosys = SCMP_ACT_ERRNO(ENOSYS);
	f->notify_used = def_action == SCMP_ACT_NOTIFY;
	f->narch = 1;
	memset(&f->arch[0], 0, sizeof(f->arch[0]));
	f->arch[0].arch = sg_arch_native();
}

static void snapshot_free(struct sg_snapshot *s)
{
	for (uint32_t i = 0; i < s->narch; i++)
		archdb_clear(&s->arch[i]);
	sg_free(s);
}

static void filter_drop_contents(struct sg_filter *f)
{
	for (uint32_t i = 0; i < f->narch; i++)
		archdb_clear(&f->arch[i]);
	f->narch = 0;
	while (f->txn) {
		struct sg_snapshot *s = f->txn;
		f->txn = s->prev;
		snapshot_free(s);
	}
	sg_filter_invalidate(f);
}

void sg_filter_init(struct sg_filter *f, uint32_t def_action)
{
	filter_defaults(f, def_action);
	f->magic = SG_CTX_MAGIC;
}

int sg_filter_reset(struct sg_filter *f, uint32_t def_action)
{
	filter_drop_contents(f);
	filter_defaults(f, def_action);
	return 0;
}

void sg_filter_fini(struct sg_filter *f)
{
	filter_drop_contents(f);
	f->magic = SG_CTX_RELEASED;
}

void sg_filter_invalidate(struct sg_filter *f)
{
	f->generation++;
}

/*
 * architectures
 */

struct sg_archdb *sg_filter_archdb(struct sg_filter *f, const struct sg_arch *arch)
{
	for (uint32_t i = 0; i < f->narch; i++)
		if (f->arch[i].arch == arch)
			return &f->arch[i];
	return NULL;
}

int sg_filter_arch_add(struct sg_filter *f, const struct sg_arch *arch)
{
	if (sg_filter_archdb(f, arch))
		return -EEXIST;
	/* one program is in one byte order: every ABI of a filter must share it */
	if (f->narch > 0 && f->arch[0].arch->big_endian != arch->big_endian)
		return -EDOM;
	if (f->narch >= SG_MAX_ARCHES)
		return -EFAULT;
	memset(&f->arch[f->narch], 0, sizeof(f->arch[0]));
	f->arch[f->narch++].arch = arch;
	sg_filter_invalidate(f);
	return 0;
}

int sg_filter_arch_remove(struct sg_filter *f, const struct sg_arch *arch)
{
	struct sg_archdb *db = sg_filter_archdb(f, arch);
	if (!db)
		return -EEXIST;
	archdb_clear(db);
	size_t i = db - f->arch;
	memmove(&f->arch[i], &f->arch[i + 1], (f->narch - i - 1) * sizeof(f->arch[0]));
	f->narch--;
	sg_filter_invalidate(f);
	return 0;
}

/*
 * rules
 */

/* the form one rule takes on one ABI */
struct rule_target {
	int32_t nr;
	uint32_t mux_call; /* > 0: the socketcall/ipc call number A0 must equal */
	bool mux_ipc;      /* the multiplexer is ipc (a version in A0's bits 16..31) */
};

/*
 * Where a rule on `sc` (a native number or a pseudo number; `sys` is what it means on the
 * native ABI, sg_sys_by_nr()) lands on `arch`: 0..2 targets. Numbers are translated by
 * identity, so a native x86_64 number means the same syscall on x86.
 */
static int rule_targets(const struct sg_arch *arch, int sc, int sys, bool exact, bool has_args,
                        struct rule_target out[2], int *n)
{
	const struct sg_arch *native = sg_arch_native();
	uint8_t family = 0;
	int call, nr;

	*n = 0;
	if (sc == -1) {
		/* API_TSKIP: a rule on the "skipped" syscall -1 that tracers produce */
		out[(*n)++] = (struct rule_target){-1, 0, false};
		return 0;
	}
	if (sys < 0) {
		/* a negative number that is no pseudo number names no syscall: refused, where
		 * libseccomp 2.6.1 accepts it and leaves it out of the program (doc/differences.md)
		 */
		if (sc < 0)
			return -EINVAL;
		/* a number the tables do not know is taken literally on the native ABI;
		 * libseccomp cannot translate a nameless number to another ABI either */
		if (arch != native)
			return -EFAULT;
		out[(*n)++] = (struct rule_target){sc, 0, false};
		return 0;
	}

	call = sg_mux_call(sg_sys_pnr(sys), &family);
	nr = sg_sys_arch_nr(arch, sys);
	if (call > 0 && (arch->mux & family)) {
		int mux = family == SG_MUX_SOCKET ? arch->socketcall_nr : arch->ipc_nr;
		/* through the multiplexer only A0 (the call number) can be filtered */
		if (exact && has_args)
			return -EINVAL;
		out[(*n)++] = (struct rule_target){mux, (uint32_t)call, family == SG_MUX_IPC};
		if (nr >= 0)
			out[(*n)++] = (struct rule_target){nr, 0, false};
		return 0;
	}
	if (nr < 0)
		return exact ? -EDOM : 0; /* absent on this ABI: the rule is inert there */
	/* _exact takes a native number as it is: there a pseudo number names no syscall, even
	 * one the ABI has under a real number (libseccomp: -EDOM; other ABIs translate) */
	if (exact && sc < 0 && arch == native)
		return -EDOM;
	out[(*n)++] = (struct rule_target){nr, 0, false};
	return 0;
}

static bool cond_equal(const struct sg_cond *a, const struct sg_cond *b)
{
	return a->arg == b->arg && a->op == b->op && a->low32 == b->low32 && a->mask == b->mask &&
	       a->datum == b->datum;
}

/* true when the first `n` conditions of a and b are equal */
static bool conds_equal(const struct sg_rule *a, const struct sg_rule *b, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (!cond_equal(&a->cond[i], &b->cond[i]))
			return false;
	return true;
}

/* a's conditions are a proper prefix of b's (in argument order) */
static bool rule_prefix_of(const struct sg_rule *a, const struct sg_rule *b)
{
	return a->ncond < b->ncond && conds_equal(a, b, a->ncond);
}

bool sg_rule_same_conds(const struct sg_rule *a, const struct sg_rule *b)
{
	return a->ncond == b->ncond && conds_equal(a, b, a->ncond);
}

/* a hash of a conditional rule's first condition (sg_sysrules.first_key) */
static uint64_t rule_first_key(const struct sg_rule *r)
{
	const struct sg_cond *c = &r->cond[0];
	uint64_t h = ((uint64_t)c->arg << 16 | (uint64_t)c->op << 8 | c->low32) ^ c->mask;

	h = (h ^ (h >> 31)) * 0x9e3779b97f4a7c15ull;
	h ^= c->datum;
	return (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ull;
}

#ifdef SG_DEBUG
uint64_t sg_rule_first_key(const struct sg_rule *r)
{
	return rule_first_key(r);
}
#endif

/* a datum names a 32-bit value: its high word is zero, or the sign extension of its low word
 * (an int such as -1 given as a 64-bit datum) */
static bool fits_32(uint64_t v)
{
	return (v >> 32) == 0 || (v >> 31) == 0x1ffffffffull;
}

enum cond_fold { COND_TEST, COND_ALWAYS, COND_NEVER };

/*
 * The meaning of a comparison of a 32-bit value (the low word of the argument). A datum that
 * names a 32-bit value (fits_32) is compared with the low word, as libseccomp does; with a
 * sign-extended datum this gives the answer the 64-bit ABIs give for the sign-extended
 * argument, so `SCMP_A0(SCMP_CMP_EQ, -1)` matches fd -1. Any other datum lies above every
 * 32-bit value (libseccomp truncates it, so `LT 0x100000000` became `LT 0`): the comparison is
 * decided without looking at the argument. MASKED_EQ compares (v & mask) with the masked datum,
 * whose high word must then be zero.
 */
static enum cond_fold cond_fold_32(struct sg_cond *c)
{
	bool fits = fits_32(c->datum) && (c->op != SCMP_CMP_MASKED_EQ || fits_32(c->mask));

	if (!fits) {
		switch (c->op) {
		case SCMP_CMP_NE:
		case SCMP_CMP_LT:
		case SCMP_CMP_LE:
			return COND_ALWAYS;
		case SCMP_CMP_EQ:
		case SCMP_CMP_GT:
		case SCMP_CMP_GE:
			return COND_NEVER;
		default: /* MASKED_EQ: the masked datum's high word against zero */
			if (c->datum >> 32)
				return COND_NEVER;
		}
	}
	c->low32 = true;
	c->mask &= 0xffffffffu;
	c->datum &= 0xffffffffu;
	/* a test of no bits always holds: libseccomp drops it, and so the rule may become
	 * unconditional, which matters for the rule-add conflict rules */
	if (c->op == SCMP_CMP_MASKED_EQ && c->mask == 0)
		return COND_ALWAYS;
	return COND_TEST;
}

/*
 * One user comparison, normalised for one ABI: *c is the comparison to test (COND_TEST), or
 * the comparison's outcome is the same for every argument value.
 */
static enum cond_fold cond_build(struct sg_cond *c, const struct sg_arch *arch,
                                 const struct scmp_arg_cmp *a)
{
	unsigned int op = a->op & ~SCMP_CMP_32BIT;

	c->arg = (uint8_t)a->arg;
	c->op = (uint8_t)op;
	c->low32 = false;
	if (op == SCMP_CMP_MASKED_EQ) {
		/* libseccomp's documented meaning: the masked argument equals the masked datum,
		 * so datum bits outside the mask do not count */
		c->mask = a->datum_a;
		c->datum = a->datum_b & a->datum_a;
	} else {
		c->mask = UINT64_MAX;
		c->datum = a->datum_a;
	}
	if (a->op & SCMP_CMP_32BIT)
		return cond_fold_32(c); /* asked for: the low word, on every ABI */
	if (arch->arg_bits == 64)
		return op == SCMP_CMP_MASKED_EQ && c->mask == 0 ? COND_ALWAYS : COND_TEST;
	if (sg_arch_passes_high_word(arch) && !(fits_32(c->datum) && fits_32(c->mask)))
		return COND_TEST; /* x32: a datum beyond 32 bits is compared with the register */
	return cond_fold_32(c);
}

/*
 * Normalise the user's comparisons for one ABI, sorted by argument. With tg->mux_call > 0 the
 * rule is on a socket/ipc call, built for the socketcall/ipc multiplexer. Returns false when
 * the rule can never match there (and so is not kept).
 */
static bool rule_build(struct sg_rule *r, const struct sg_arch *arch, uint32_t action,
                       uint32_t act_default, unsigned int cnt, const struct scmp_arg_cmp *args,
                       const struct rule_target *tg)
{
	/* conditions past ncond are never read: not cleared (a rule is built for every add) */
	r->action = action;
	r->ncond = 0;
	r->unchecked = false;
	for (unsigned int i = 0; i < cnt; i++) {
		struct sg_cond c;

		switch (cond_build(&c, arch, &args[i])) {
		case COND_NEVER:
			return false;
		case COND_ALWAYS:
			continue;
		case COND_TEST:
			r->cond[r->ncond++] = c;
		}
	}
	if (tg->mux_call) {
		/*
		 * Through socketcall the call's own arguments are in memory (A1 points to them),
		 * out of a filter's reach, and through ipc they are in other registers: a
		 * condition on them cannot be tested there, and A1..A5 are whatever the caller
		 * put in socketcall's registers. The rule must not be more permissive than it
		 * reads: a conditional rule whose action is more restrictive than the default
		 * applies to every such call (fail closed), a less restrictive one to none.
		 */
		if (r->ncond > 0) {
			if (!sg_action_stronger(action, act_default))
				return false;
			r->unchecked = true;
		}
		/* socketcall takes `int call` (the kernel ignores the high word, so must we);
		 * ipc takes the call in the low 16 bits and a version in the next 16 */
		r->ncond = 1;
		r->cond[0] = (struct sg_cond){.arg = 0,
		                              .op = tg->mux_ipc ? SCMP_CMP_MASKED_EQ : SCMP_CMP_EQ,
		                              .low32 = true,
		                              .mask = tg->mux_ipc ? 0xffffu : 0xffffffffu,
		                              .datum = tg->mux_call};
		return true;
	}
	/* insertion sort by argument: at most 6 entries */
	for (unsigned int i = 1; i < r->ncond; i++) {
		struct sg_cond c = r->cond[i];
		unsigned int j = i;
		while (j > 0 && r->cond[j - 1].arg > c.arg) {
			r->cond[j] = r->cond[j - 1];
			j--;
		}
		r->cond[j] = c;
	}
	return true;
}

enum plan_kind {
	PLAN_NOP,    /* the rule changes nothing (duplicate, shadowed, or first action wins) */
	PLAN_UNCOND, /* set the unconditional action, dropping conditional rules */
	PLAN_ADD,    /* append a conditional rule, dropping longer rules it is a prefix of */
	PLAN_PRIO,   /* set the priority hint */
	PLAN_ACTION, /* an unchecked multiplexer rule: a stronger action for an existing one */
};

struct plan {
	struct sg_archdb *db;
	int32_t nr;
	enum plan_kind kind;
	bool new_entry;        /* the syscall has no entry on this ABI yet */
	struct sg_rule *fresh; /* PLAN_ADD on a new entry: its rules array (owned until applied) */
	uint64_t *fresh_keys;  /* ... and its first_key array (owned until applied) */
	struct sg_rule_slot *fresh_idx; /* ... and its index (owned until applied) */
	uint32_t fresh_slots;           /* ... of this many slots */
	struct sg_rule rule;
	uint64_t key;      /* rule_first_key(&rule) for PLAN_ADD */
	bool drops_longer; /* PLAN_ADD: existing rules have this one as a prefix */
	uint32_t index;    /* PLAN_ACTION: the rule whose action becomes rule.action */
	uint8_t priority;
	uint64_t compares; /* existing rules looked at (sg_filter.rule_compares) */
};

/* p->rule has the same conditions as rule i (e) of the entry, or e's are a proper prefix */
static int plan_against(struct plan *p, const struct sg_rule *e, uint32_t i)
{
	if (sg_rule_same_conds(e, &p->rule)) {
		if (e->action != p->rule.action && e->unchecked && p->rule.unchecked) {
			/* both stand for conditions the filter cannot test, and both apply to
			 * every call: only the stronger action can decide */
			bool stronger = sg_action_stronger(p->rule.action, e->action);
			p->kind = stronger ? PLAN_ACTION : PLAN_NOP;
			p->index = i;
			return 0;
		}
		if (e->action != p->rule.action)
			return -EEXIST;
	}
	/* equal with the same action, or a shorter rule already decides everything this one
	 * would match */
	p->kind = PLAN_NOP;
	return 0;
}

/* the rule-add checks against every rule of the entry (the index cannot tell) */
static int plan_scan(struct plan *p, const struct sg_sysrules *s)
{
	for (uint32_t i = 0; i < s->nrules; i++) {
		p->compares++;
		if (s->first_key[i] != p->key)
			continue; /* different first conditions: neither rule bears on the other */
		const struct sg_rule *e = &s->rules[i];
		if (sg_rule_same_conds(e, &p->rule) || rule_prefix_of(e, &p->rule))
			return plan_against(p, e, i);
		if (rule_prefix_of(&p->rule, e)) {
			if (e->action != p->rule.action)
				return -EEXIST;
			p->drops_longer = true;
		}
	}
	return 0;
}

/*
 * Decide what adding p->rule means for the existing entry; -EEXIST on a conflict.
 *
 * No rule of an entry equals another or is a proper prefix of another (a shorter rule makes
 * a longer one redundant, or conflicts with it). So at most one existing rule equals the new
 * one or is a prefix of it, and then none has the new one as a proper prefix: the index finds
 * it under the hash of one of the new rule's prefixes. Only when the index says that some
 * rule has the new one as a proper prefix (the add then drops rules or conflicts), or two
 * rules share a hash, are all rules scanned.
 */
static int plan_rule(struct plan *p)
{
	const struct sg_sysrules *s = sg_archdb_find(p->db, p->nr);
	uint64_t keys[SG_MAX_ARGS];

	p->new_entry = s == NULL;
	if (s && s->has_uncond) {
		/* the first unconditional action wins; conditional rules after it are dropped */
		p->kind = PLAN_NOP;
		return 0;
	}
	if (p->rule.ncond == 0) {
		p->kind = PLAN_UNCOND;
		return 0;
	}
	p->kind = PLAN_ADD;
	p->key = rule_first_key(&p->rule);
	if (!s || s->nrules == 0)
		return 0;
	sg_rule_chain_keys(&p->rule, keys);
	for (unsigned int k = 1; k <= p->rule.ncond; k++) {
		const struct sg_rule_slot *e = sg_rule_index_find(s, keys[k - 1]);
		if (!e)
			continue;
		if (e->nfull > 1 || (k == p->rule.ncond && e->nprefix > 0))
			return plan_scan(p, s);
		if (e->nfull == 1) {
			const struct sg_rule *r = &s->rules[e->full];
			p->compares++;
			if (r->ncond == k && conds_equal(r, &p->rule, k))
				return plan_against(p, r, e->full);
		}
	}
	return 0;
}

/* reserve all memory the plans need; on failure nothing visible has changed */
static int plans_reserve(struct plan *plans, int n)
{
	for (int i = 0; i < n; i++) {
		struct plan *p = &plans[i];
		if (p->kind == PLAN_NOP)
			continue;
		if (p->new_entry) {
			uint32_t extra = 0;
			for (int j = 0; j < n; j++)
				extra += plans[j].db == p->db && plans[j].new_entry &&
				         plans[j].kind != PLAN_NOP;
			if (archdb_reserve(p->db, extra) < 0)
				return -ENOMEM;
			if (p->kind == PLAN_ADD) {
				/* room for this rule alone (most syscalls keep one: 362 syscalls
				 * with one rule each took 300 KB more with room for 4 rules and 16
				 * index slots); the index keeps twice as many slots as keys, and
				 * at least 4 (with 2, Docker's rule adds took 4% longer: a second
				 * rule rebuilt the index) */
				p->fresh_slots = 4;
				while (p->fresh_slots < 2u * p->rule.ncond)
					p->fresh_slots *= 2;
				p->fresh = sg_reallocarray(NULL, 1, sizeof(struct sg_rule));
				p->fresh_keys = sg_reallocarray(NULL, 1, sizeof(uint64_t));
				p->fresh_idx =
				    sg_calloc(p->fresh_slots, sizeof(struct sg_rule_slot));
				if (!p->fresh || !p->fresh_keys || !p->fresh_idx)
					return -ENOMEM;
			}
		} else if (p->kind == PLAN_ADD) {
			struct sg_sysrules *s = (struct sg_sysrules *)sg_archdb_find(p->db, p->nr);
			if (s->nrules == s->cap) {
				/* both arrays grow before cap does: a failure in between leaves
				 * one merely larger than needed */
				uint32_t cap = s->cap ? s->cap * 2 : 1;
				struct sg_rule *r = sg_reallocarray(s->rules, cap, sizeof(*r));
				if (!r)
					return -ENOMEM;
				s->rules = r;
				uint64_t *k = sg_reallocarray(s->first_key, cap, sizeof(*k));
				if (!k)
					return -ENOMEM;
				s->first_key = k;
				s->cap = cap;
			}
			if (sg_rule_index_reserve(s, p->rule.ncond) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

static void plans_release(struct plan *plans, int n)
{
	for (int i = 0; i < n; i++) {
		if (!plans[i].fresh && !plans[i].fresh_keys && !plans[i].fresh_idx)
			continue; /* the common case: nothing was allocated */
		sg_free(plans[i].fresh);
		sg_free(plans[i].fresh_keys);
		sg_free(plans[i].fresh_idx);
		plans[i].fresh = NULL;
		plans[i].fresh_keys = NULL;
		plans[i].fresh_idx = NULL;
	}
}

/* carry out reserved plans: cannot fail */
static void plans_apply(struct plan *plans, int n)
{
	for (int i = 0; i < n; i++) {
		struct plan *p = &plans[i];
		struct sg_sysrules *s;

		if (p->kind == PLAN_NOP)
			continue;
		s = archdb_insert(p->db, p->nr);
		switch (p->kind) {
		case PLAN_PRIO:
			s->priority = p->priority;
			break;
		case PLAN_ACTION:
			s->rules[p->index].action = p->rule.action;
			break;
		case PLAN_UNCOND:
			s->has_uncond = true;
			s->uncond_action = p->rule.action;
			entry_drop_rules(s);
			break;
		case PLAN_ADD: {
			uint32_t kept = 0;
			if (p->fresh) {
				s->rules = p->fresh;
				s->first_key = p->fresh_keys;
				s->cap = 1;
				s->idx = p->fresh_idx;
				s->idx_cap = p->fresh_slots;
				s->idx_used = 0;
				p->fresh = NULL;
				p->fresh_keys = NULL;
				p->fresh_idx = NULL;
			}
			/* longer rules this one is a prefix of are now decided by it (same action)
			 */
			if (p->drops_longer) {
				for (uint32_t j = 0; j < s->nrules; j++)
					if (s->first_key[j] != p->key ||
					    !rule_prefix_of(&p->rule, &s->rules[j])) {
						s->first_key[kept] = s->first_key[j];
						s->rules[kept++] = s->rules[j];
					}
				s->nrules = kept;
				/* positions moved: the index is entered again in its own slots */
				sg_rule_index_rebuild(s);
			}
			s->first_key[s->nrules] = p->key;
			s->rules[s->nrules] = p->rule;
			sg_rule_index_add(s, s->nrules++);
			break;
		}
		case PLAN_NOP:
			break;
		}
	}
}

static int check_syscall(const struct sg_filter *f, int syscall)
{
	/* -1 is what tracers leave behind for a skipped syscall; only with API_TSKIP */
	if (syscall == -1)
		return f->tskip ? 0 : -EINVAL;
	/* -2..-99 are reserved pseudo numbers */
	if (syscall < 0 && syscall > -100)
		return -EINVAL;
	return 0;
}

int sg_filter_rule_add(struct sg_filter *f, uint32_t action, int syscall, unsigned int arg_cnt,
                       const struct scmp_arg_cmp *args, bool exact)
{
	struct plan plans[2 * SG_MAX_ARCHES];
	int nplan = 0, rc, sys;
	unsigned int seen = 0;

	/* the order of the checks decides which error a bad call gets: libseccomp's */
	if (sg_action_valid(action) < 0 || f->narch == 0)
		return -EINVAL;
	rc = check_syscall(f, syscall);
	if (rc < 0)
		return rc;
	if (arg_cnt > SG_MAX_ARGS || (arg_cnt > 0 && !args))
		return -EINVAL;
	if (action == f->act_default)
		return -EACCES;
	if (exact && f->narch > 1)
		return -EOPNOTSUPP;
	for (unsigned int i = 0; i < arg_cnt; i++) {
		unsigned int op = args[i].op & ~SCMP_CMP_32BIT;
		if (args[i].arg >= SG_MAX_ARGS || op <= _SCMP_CMP_MIN || op >= _SCMP_CMP_MAX ||
		    (args[i].op & ~(SCMP_CMP_32BIT | 0xffu)) != 0)
			return -EINVAL;
		/* one comparison per argument per rule (libseccomp issue #118) */
		if (seen & (1u << args[i].arg))
			return -EINVAL;
		seen |= 1u << args[i].arg;
	}
	sys = sg_sys_by_nr(sg_arch_native(), syscall);

	for (uint32_t a = 0; a < f->narch; a++) {
		struct rule_target tg[2];
		int ntg;

		rc = rule_targets(f->arch[a].arch, syscall, sys, exact, arg_cnt > 0, tg, &ntg);
		if (rc < 0)
			return rc;
		for (int t = 0; t < ntg; t++) {
			struct plan *p = &plans[nplan];
			p->db = &f->arch[a];
			p->nr = tg[t].nr;
			p->fresh = NULL;
			p->fresh_keys = NULL;
			p->fresh_idx = NULL;
			p->compares = 0;
			p->drops_longer = false; /* also read by the debug checks of other kinds */
			if (!rule_build(&p->rule, p->db->arch, action, f->act_default, arg_cnt,
			                args, &tg[t]))
				continue; /* never matches on this ABI: nothing to keep */
			nplan++;
			rc = plan_rule(p);
			f->rule_compares += p->compares;
			if (rc < 0)
				return rc;
		}
	}

	rc = plans_reserve(plans, nplan);
	if (rc < 0) {
		plans_release(plans, nplan);
		return rc;
	}
	plans_apply(plans, nplan);
	plans_release(plans, nplan);
	if (action == SCMP_ACT_NOTIFY)
		f->notify_used = true;
	sg_filter_invalidate(f);
	/* debug builds: what the add changed (a compaction rewrote the whole entry) */
	for (int i = 0; i < nplan; i++)
		if (plans[i].kind != PLAN_NOP)
			SG_CHECK_SYS(f, plans[i].db, plans[i].nr, plans[i].drops_longer);
	return 0;
}

int sg_filter_priority(struct sg_filter *f, int syscall, uint8_t priority)
{
	struct plan plans[2 * SG_MAX_ARCHES];
	int nplan = 0, rc, sys;

	rc = check_syscall(f, syscall);
	if (rc < 0)
		return rc;
	if (f->narch == 0)
		return -EINVAL;
	sys = sg_sys_by_nr(sg_arch_native(), syscall);
	for (uint32_t a = 0; a < f->narch; a++) {
		struct rule_target tg[2];
		int ntg;

		rc = rule_targets(f->arch[a].arch, syscall, sys, false, false, tg, &ntg);
		if (rc < 0)
			return rc;
		for (int t = 0; t < ntg; t++) {
			struct plan *p = &plans[nplan++];
			memset(p, 0, sizeof(*p));
			p->db = &f->arch[a];
			p->nr = tg[t].nr;
			p->kind = PLAN_PRIO;
			p->priority = priority;
			p->new_entry = sg_archdb_find(p->db, p->nr) == NULL;
		}
	}
	rc = plans_reserve(plans, nplan);
	if (rc == 0)
		plans_apply(plans, nplan);
	plans_release(plans, nplan);
	if (rc == 0)
		sg_filter_invalidate(f);
	for (int i = 0; i < nplan && rc == 0; i++)
		SG_CHECK_SYS(f, plans[i].db, plans[i].nr, false);
	return rc;
}

int sg_filter_merge(struct sg_filter *dst, struct sg_filter *src)
{
	if (dst->act_default != src->act_default || dst->nnp != src->nnp ||
	    dst->tsync != src->tsync)
		return -EINVAL;
	/* the kernel-version limit changes what every ABI means: both must agree on it */
	if (dst->kvermax != src->kvermax ||
	    (dst->kvermax != SCMP_KV_UNDEF && dst->act_enosys != src->act_enosys))
		return -EINVAL;
	if (dst->narch == 0 || src->narch == 0)
		return -EINVAL;
	/* a context merged into itself has all its architectures already (libseccomp: -EEXIST);
	 * nothing below may run, it would free the context */
	if (dst == src)
		return -EEXIST;
	if (dst->arch[0].arch->big_endian != src->arch[0].arch->big_endian)
		return -EDOM;
	for (uint32_t i = 0; i < src->narch; i++)
		if (sg_filter_archdb(dst, src->arch[i].arch))
			return -EEXIST;
	if (dst->narch + src->narch > SG_MAX_ARCHES)
		return -EFAULT;
	/* move, not copy: src's rules now belong to dst, and src is left empty */
	for (uint32_t i = 0; i < src->narch; i++)
		dst->arch[dst->narch++] = src->arch[i];
	src->narch = 0;
	dst->notify_used |= src->notify_used;
	sg_filter_invalidate(dst);
	sg_filter_invalidate(src);
	SG_CHECK_FILTER(dst);
	return 0;
}

/*
 * transactions: a snapshot is a deep copy of the arch list and every rule
 */

int sg_filter_txn_start(struct sg_filter *f)
{
	struct sg_snapshot *s = sg_calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (uint32_t i = 0; i < f->narch; i++) {
		if (archdb_copy(&s->arch[i], &f->arch[i]) < 0) {
			snapshot_free(s);
			return -ENOMEM;
		}
		s->narch = i + 1;
	}
	s->narch = f->narch;
	s->prev = f->txn;
	f->txn = s;
	return 0;
}

void sg_filter_txn_reject(struct sg_filter *f)
{
	struct sg_snapshot *s = f->txn;
	if (!s)
		return;
	for (uint32_t i = 0; i < f->narch; i++)
		archdb_clear(&f->arch[i]);
	/* the snapshot's databases become the context's: no allocation, cannot fail */
	memcpy(f->arch, s->arch, s->narch * sizeof(f->arch[0]));
	f->narch = s->narch;
	f->txn = s->prev;
	sg_free(s);
	sg_filter_invalidate(f);
	SG_CHECK_FILTER(f);
}

void sg_filter_txn_commit(struct sg_filter *f)
{
	struct sg_snapshot *s = f->txn;
	if (!s)
		return;
	f->txn = s->prev;
	snapshot_free(s);
}
