/*
 * refdiff_oracle.c - what a rule list means, read straight from the calls (see the header).
 *
 * The meaning written here is the one doc/differences.md and seccomp_rule_add(3) state:
 * libseccomp's rule-add semantics (which rules are kept), the kernel's view of an input (which
 * ABI, which number, which bits of an argument), and sysgate's precedence among overlapping
 * rules. Nothing here calls sysgate's rule database, IR or compiler.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "arch/arch.h"
#include "refdiff_oracle.h"

/* one comparison as an ABI sees it: (value & mask) op datum, on the low word when low32 */
struct o_cond {
	unsigned int arg;
	int op;
	bool low32;
	uint64_t mask, datum;
};

/* one rule on one (ABI, syscall number), its comparisons sorted by argument */
struct o_rule {
	uint32_t action;
	unsigned int ncond;
	struct o_cond cond[7];
	bool unchecked; /* a conditional rule through socketcall/ipc: only the call number */
};

/* the rules kept on one (ABI, syscall number) */
struct o_kept {
	bool uncond;
	uint32_t uncond_action;
	int n;
	struct o_rule r[ORACLE_MAX_RULES * 2];
};

/* where a rule lands: a number, and for the socketcall/ipc multiplexer the call number */
struct o_target {
	int32_t nr;
	uint32_t mux_call;
};

void oracle_init(struct oracle *o, uint32_t def)
{
	memset(o, 0, sizeof(*o));
	o->def = def;
	o->badarch = SCMP_ACT_KILL_THREAD;
	o->tokens[o->nabi++] = sg_arch_native()->token;
}

void oracle_arch_add(struct oracle *o, uint32_t token)
{
	if (o->nabi < ORACLE_MAX_ABIS)
		o->tokens[o->nabi++] = sg_arch_by_token(token)->token;
	else
		o->overflow = true;
}

void oracle_arch_remove(struct oracle *o, uint32_t token)
{
	uint32_t t = sg_arch_by_token(token)->token;

	for (int i = 0; i < o->nabi; i++)
		if (o->tokens[i] == t) {
			memmove(&o->tokens[i], &o->tokens[i + 1],
			        (size_t)(o->nabi - i - 1) * sizeof(o->tokens[0]));
			o->nabi--;
			return;
		}
}

void oracle_badarch(struct oracle *o, uint32_t action)
{
	o->badarch = action;
}

void oracle_rule(struct oracle *o, uint32_t action, int nr, bool exact, unsigned int cnt,
                 const struct scmp_arg_cmp *cmp)
{
	struct oracle_call *c;

	if (o->nrules == ORACLE_MAX_RULES || cnt > 6) {
		o->overflow = true;
		return;
	}
	c = &o->rules[o->nrules++];
	c->action = action;
	c->nr = nr;
	c->exact = exact;
	c->cnt = cnt;
	memcpy(c->cmp, cmp, cnt * sizeof(cmp[0]));
}

/* a MIPS ABI's filter and a number of one of the other two MIPS ABIs (4000/5000/6000 + n) */
static bool mips_foreign(const struct sg_arch *abi, uint32_t nr)
{
	bool is_mips = abi->nr_base == 4000 || abi->nr_base == 5000 || abi->nr_base == 6000;

	return is_mips && nr >= 4000 && nr < 7000 &&
	       (nr < abi->nr_base || nr >= abi->nr_base + 1000);
}

/*
 * Which of the filter's ABIs handles (arch, nr); NULL: the bad-arch action. x86_64 and x32
 * share an arch value: numbers from 0x40000000 up (the x32 bit, and the "negative" ones) are
 * x32's, the rest x86_64's, except -1 (a call a tracer skipped), which is x86_64's.
 */
static const struct sg_arch *oracle_abi_for_input(const struct oracle *o,
                                                  const struct oracle_meaning *m, uint32_t arch,
                                                  uint32_t nr)
{
	const struct sg_arch *x86_64 = NULL, *x32 = NULL;

	for (int i = 0; i < o->nabi; i++) {
		const struct sg_arch *abi = sg_arch_by_token(o->tokens[i]);

		if (abi->audit != arch)
			continue;
		if (abi->token == SCMP_ARCH_X32)
			x32 = abi;
		else if (abi->token == SCMP_ARCH_X86_64)
			x86_64 = abi;
		else
			return !m->libseccomp_mips_foreign && mips_foreign(abi, nr) ? NULL : abi;
	}
	if (nr == 0xffffffffu) {
		if (m->libseccomp_minus1_x32)
			return x32 ? x32 : x86_64;
		return x86_64 ? x86_64 : x32;
	}
	return nr >= 0x40000000u ? x32 : x86_64;
}

/*
 * Where a rule given for `c->nr` lands on `abi` (0..2 targets). A native number or a pseudo
 * number names a syscall; on each ABI the rule is on that syscall's number there, and where the
 * ABI reaches the syscall through socketcall(2)/ipc(2) also on the multiplexer with its call
 * number. A number the tables do not know counts literally on the native ABI only; -1 (with
 * API_TSKIP) is -1 everywhere. A syscall the ABI lacks: the rule is nothing there.
 */
static int oracle_rule_lands_on(const struct oracle_meaning *m, const struct sg_arch *abi,
                                const struct oracle_call *c, struct o_target out[2])
{
	const struct sg_arch *native = sg_arch_native();
	int sys, call, nr_here, n = 0;
	uint8_t family = 0;

	if (c->nr == -1) {
		out[n++] = (struct o_target){-1, 0};
		return n;
	}
	sys = sg_sys_by_nr(native, c->nr);
	if (sys < 0) {
		if (c->nr >= 0 && abi == native)
			out[n++] = (struct o_target){c->nr, 0};
		return n;
	}
	if (m->libseccomp_pnr_native && c->nr < 0 && abi == native) {
		out[n++] = (struct o_target){c->nr, 0};
		return n;
	}
	call = sg_mux_call(sg_sys_pnr(sys), &family);
	nr_here = sg_sys_arch_nr(abi, sys);
	if (call > 0 && (abi->mux & family))
		out[n++] = (struct o_target){
		    family == SG_MUX_SOCKET ? abi->socketcall_nr : abi->ipc_nr, (uint32_t)call};
	if (nr_here >= 0)
		out[n++] = (struct o_target){nr_here, 0};
	else if (n == 0 && m->libseccomp_keep_absent)
		out[n++] = (struct o_target){sg_sys_pnr(sys), 0};
	return n;
}

enum o_fold { O_TEST, O_ALWAYS, O_NEVER };

/* a 64-bit datum that names a 32-bit value: high word zero, or its low word sign-extended */
static bool names_32bit_value(uint64_t v)
{
	return (v >> 32) == 0 || (v >> 31) == 0x1ffffffffull;
}

/*
 * What one comparison tests on an ABI (seccomp_rule_add(3), "64-bit and 32-bit arguments").
 * MASKED_EQ compares the masked argument with the masked datum. A 32-bit ABI (or
 * SCMP_CMP_32BIT) compares a 32-bit value, the low word: a datum (and mask) that names a
 * 32-bit value is compared as that value; any other datum is above every 32-bit value, so the
 * comparison always or never holds (MASKED_EQ: never when the masked datum has high bits, else
 * the low words) -- except on x32 (flag not given), whose registers are compared whole.
 * O_ALWAYS: the comparison is dropped; O_NEVER: the rule is not kept on that ABI.
 */
static enum o_fold oracle_condition(const struct oracle_meaning *m, const struct sg_arch *abi,
                                    const struct scmp_arg_cmp *a, struct o_cond *c)
{
	int op = (int)(a->op & ~SCMP_CMP_32BIT);
	bool asked = (a->op & SCMP_CMP_32BIT) != 0;

	c->arg = a->arg;
	c->op = op;
	c->low32 = false;
	c->mask = op == SCMP_CMP_MASKED_EQ ? a->datum_a : UINT64_MAX;
	c->datum = op == SCMP_CMP_MASKED_EQ ? a->datum_b & a->datum_a : a->datum_a;
	if (abi->arg_bits == 64 && !asked)
		return op == SCMP_CMP_MASKED_EQ && c->mask == 0 ? O_ALWAYS : O_TEST;
	if (!m->libseccomp_truncate_32 &&
	    !(names_32bit_value(c->datum) && names_32bit_value(c->mask))) {
		if (abi->token == SCMP_ARCH_X32 && !asked)
			return O_TEST;
		switch (op) {
		case SCMP_CMP_NE:
		case SCMP_CMP_LT:
		case SCMP_CMP_LE:
			return O_ALWAYS;
		case SCMP_CMP_EQ:
		case SCMP_CMP_GT:
		case SCMP_CMP_GE:
			return O_NEVER;
		default:
			if (c->datum >> 32)
				return O_NEVER;
		}
	}
	c->low32 = true;
	c->mask &= 0xffffffffu;
	c->datum &= 0xffffffffu;
	return op == SCMP_CMP_MASKED_EQ && c->mask == 0 ? O_ALWAYS : O_TEST;
}

/*
 * The rule as it stands on one target, comparisons sorted by argument; false when it is not
 * kept there. Through socketcall/ipc the call's own arguments cannot be tested: a rule with
 * comparisons applies to every such call when its action is more restrictive than the default
 * (the lower (int32_t) value), to none otherwise; the call number test reads what the kernel
 * reads (socketcall: the low word; ipc: the low 16 bits, bits 16..31 being a version).
 */
static bool rule_on_target(const struct oracle *o, const struct oracle_meaning *m,
                           const struct sg_arch *abi, const struct oracle_call *c,
                           const struct o_target *t, struct o_rule *r)
{
	bool ipc = t->mux_call && t->nr == abi->ipc_nr;

	memset(r, 0, sizeof(*r));
	r->action = c->action;
	for (unsigned int i = 0; i < c->cnt; i++) {
		/* libseccomp: through the multiplexer, the rule's own A0 test goes */
		if (t->mux_call && m->libseccomp_mux_args && c->cmp[i].arg == 0)
			continue;
		switch (oracle_condition(m, abi, &c->cmp[i], &r->cond[r->ncond])) {
		case O_NEVER:
			return false;
		case O_ALWAYS:
			break;
		case O_TEST:
			r->ncond++;
		}
	}
	if (t->mux_call) {
		/* libseccomp compares the call number in all 64 bits (32-bit ABIs: the low word) */
		bool low32 = abi->arg_bits == 32 || !m->libseccomp_mux_a0_64;
		bool masked = ipc && !m->libseccomp_mux_a0_64;

		if (r->ncond > 0 && !m->libseccomp_mux_args) {
			if ((int32_t)c->action >= (int32_t)o->def)
				return false;
			r->ncond = 0;
			r->unchecked = true;
		}
		r->cond[r->ncond++] =
		    (struct o_cond){0, masked ? SCMP_CMP_MASKED_EQ : SCMP_CMP_EQ, low32,
		                    masked  ? 0xffffu
		                    : low32 ? 0xffffffffu
		                            : UINT64_MAX,
		                    t->mux_call};
	}
	for (unsigned int i = 1; i < r->ncond; i++)
		for (unsigned int j = i; j > 0 && r->cond[j - 1].arg > r->cond[j].arg; j--) {
			struct o_cond tmp = r->cond[j];
			r->cond[j] = r->cond[j - 1];
			r->cond[j - 1] = tmp;
		}
	return true;
}

static bool chain_starts(const struct o_rule *a, const struct o_rule *b);
static void rules_on(const struct oracle *o, const struct oracle_meaning *m,
                     const struct sg_arch *abi, int32_t nr, struct o_kept *k);

bool oracle_conflicts(const struct oracle *o, const struct oracle_meaning *m, uint32_t action,
                      int nr, unsigned int cnt, const struct scmp_arg_cmp *cmp)
{
	static struct o_kept k;
	struct oracle_call c = {.action = action, .nr = nr, .cnt = cnt};

	if (cnt > 6)
		return false;
	memcpy(c.cmp, cmp, cnt * sizeof(cmp[0]));
	for (int a = 0; a < o->nabi; a++) {
		const struct sg_arch *abi = sg_arch_by_token(o->tokens[a]);
		struct o_target t[2];
		int nt = oracle_rule_lands_on(m, abi, &c, t);

		for (int j = 0; j < nt; j++) {
			struct o_rule r;

			if (!rule_on_target(o, m, abi, &c, &t[j], &r))
				continue; /* never matches there: nothing kept, no conflict */
			rules_on(o, m, abi, t[j].nr, &k);
			if (k.uncond || r.ncond == 0)
				continue; /* the first unconditional rule wins; no conflict either
				             way */
			for (int i = 0; i < k.n; i++)
				if (k.r[i].action != r.action && chain_starts(&r, &k.r[i]) &&
				    !(r.unchecked && k.r[i].unchecked))
					return true; /* the same chain, or a prefix of a longer one
					              */
		}
	}
	return false;
}

static bool cond_same(const struct o_cond *a, const struct o_cond *b)
{
	return a->arg == b->arg && a->op == b->op && a->low32 == b->low32 && a->mask == b->mask &&
	       a->datum == b->datum;
}

/* a's comparisons are the first of b's (a prefix, or the same chain) */
static bool chain_starts(const struct o_rule *a, const struct o_rule *b)
{
	if (a->ncond > b->ncond)
		return false;
	for (unsigned int i = 0; i < a->ncond; i++)
		if (!cond_same(&a->cond[i], &b->cond[i]))
			return false;
	return true;
}

/*
 * Which rules are kept when a rule meets the rules already on its syscall (seccomp_rule_add(3),
 * libseccomp's semantics): the first unconditional rule wins and replaces the conditional ones;
 * a rule whose chain starts with a kept rule's whole chain adds nothing; a rule that is a prefix
 * of kept longer chains replaces them. (A conflict would have been refused with -EEXIST, and
 * refused calls are not in the list.)
 */
static void oracle_rule_add(struct o_kept *k, const struct o_rule *r)
{
	int w = 0;

	if (k->uncond)
		return;
	/* two rules that stand for untestable conditions through socketcall/ipc both apply to
	 * every call: the more restrictive action decides */
	for (int i = 0; r->unchecked && i < k->n; i++)
		if (k->r[i].unchecked && chain_starts(r, &k->r[i]) && chain_starts(&k->r[i], r)) {
			if ((int32_t)r->action < (int32_t)k->r[i].action)
				k->r[i].action = r->action;
			return;
		}
	if (r->ncond == 0) {
		k->uncond = true;
		k->uncond_action = r->action;
		k->n = 0;
		return;
	}
	for (int i = 0; i < k->n; i++)
		if (chain_starts(&k->r[i], r))
			return;
	for (int i = 0; i < k->n; i++)
		if (!chain_starts(r, &k->r[i]))
			k->r[w++] = k->r[i];
	k->n = w;
	if (k->n < (int)(sizeof(k->r) / sizeof(k->r[0])))
		k->r[k->n++] = *r;
}

/* the rules kept on (abi, nr), replaying every call in order */
static void rules_on(const struct oracle *o, const struct oracle_meaning *m,
                     const struct sg_arch *abi, int32_t nr, struct o_kept *k)
{
	k->uncond = false;
	k->n = 0;
	for (int i = 0; i < o->nrules; i++) {
		struct o_target t[2];
		int nt = oracle_rule_lands_on(m, abi, &o->rules[i], t);

		for (int j = 0; j < nt; j++) {
			struct o_rule r;

			if (t[j].nr != nr || !rule_on_target(o, m, abi, &o->rules[i], &t[j], &r))
				continue;
			oracle_rule_add(k, &r);
		}
	}
}

/* written again on purpose (src/ir_eval.c has its own): the evaluator shares no code with the IR */
static bool cond_holds(const struct o_cond *c, uint64_t v)
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
	default:
		return false;
	}
}

static bool rule_holds(const struct o_rule *r, const struct seccomp_data *d)
{
	for (unsigned int i = 0; i < r->ncond; i++)
		if (!cond_holds(&r->cond[i], d->args[r->cond[i].arg]))
			return false;
	return true;
}

/*
 * Containment of rules, decided by another method than sysgate's interval algebra
 * (src/ir_order.c): a comparison is a small automaton reading the argument's 64 bits from the
 * top (a low32 comparison reads zeros for the high word), and whether some value satisfies two
 * comparisons (or their negations) is reachability in their product, 64 steps of at most 9
 * states. Obviously right, and shares nothing with what it checks.
 */
enum { ST_EQ, ST_LT, ST_GT }; /* the value so far equals / is below / above the datum */

/* a MASKED_EQ automaton: ST_EQ while the masked bits agree, ST_LT once one differs */
static int cond_step(const struct o_cond *c, int st, int bit, int b)
{
	uint64_t m = 1ull << bit;
	int u = c->low32 && bit >= 32 ? 0 : b, e = (c->datum & m) != 0;

	if (st != ST_EQ)
		return st;
	if (c->op == SCMP_CMP_MASKED_EQ)
		return (c->mask & m) && u != e ? ST_LT : ST_EQ;
	return u < e ? ST_LT : u > e ? ST_GT : ST_EQ;
}

static bool cond_accepts(const struct o_cond *c, int st)
{
	switch (c->op) {
	case SCMP_CMP_NE:
		return st != ST_EQ;
	case SCMP_CMP_LT:
		return st == ST_LT;
	case SCMP_CMP_LE:
		return st != ST_GT;
	case SCMP_CMP_GE:
		return st != ST_LT;
	case SCMP_CMP_GT:
		return st == ST_GT;
	default: /* EQ, MASKED_EQ */
		return st == ST_EQ;
	}
}

/* is there a value for which a holds (a NULL: any value) and b holds (negated: fails)? */
static bool some_value(const struct o_cond *a, const struct o_cond *b, bool negated)
{
	bool reach[9] = {true}; /* state pair sa + 3 * sb; both start equal */

	for (int bit = 63; bit >= 0; bit--) {
		bool next[9] = {false};
		for (int st = 0; st < 9; st++)
			for (int v = 0; reach[st] && v < 2; v++)
				next[(a ? cond_step(a, st % 3, bit, v) : 0) +
				     3 * cond_step(b, st / 3, bit, v)] = true;
		memcpy(reach, next, sizeof(reach));
	}
	for (int st = 0; st < 9; st++)
		if (reach[st] && (!a || cond_accepts(a, st % 3)) &&
		    cond_accepts(b, st / 3) != negated)
			return true;
	return false;
}

static const struct o_cond *cond_on(const struct o_rule *r, unsigned int arg)
{
	for (unsigned int i = 0; i < r->ncond; i++)
		if (r->cond[i].arg == arg)
			return &r->cond[i];
	return NULL;
}

/* every input a matches, b matches (rules compare each argument at most once) */
static bool rule_inside(const struct o_rule *a, const struct o_rule *b)
{
	for (unsigned int i = 0; i < a->ncond; i++)
		if (!some_value(NULL, &a->cond[i], false))
			return true; /* a matches nothing */
	for (unsigned int i = 0; i < b->ncond; i++)
		if (some_value(cond_on(a, b->cond[i].arg), &b->cond[i], true))
			return false;
	return true;
}

/*
 * Which action wins among the conditional rules that match (at least one): a rule whose set of
 * inputs strictly contains another matching rule's yields to that more specific one; among the
 * rules that do not yield, the most restrictive action, in the kernel's order for stacked
 * filters, the lowest (int32_t) value (KILL_PROCESS < KILL_THREAD < TRAP < ERRNO < NOTIFY <
 * TRACE < LOG < ALLOW; same kind: the lower data).
 */
static uint32_t oracle_precedence(const struct o_kept *k, const bool *matching)
{
	uint32_t best = 0;
	bool found = false;

	for (int i = 0; i < k->n; i++) {
		bool yields = false;
		if (!matching[i])
			continue;
		for (int j = 0; j < k->n && !yields; j++)
			yields = j != i && matching[j] && rule_inside(&k->r[j], &k->r[i]) &&
			         !rule_inside(&k->r[i], &k->r[j]);
		if (!yields && (!found || (int32_t)k->r[i].action < (int32_t)best)) {
			best = k->r[i].action;
			found = true;
		}
	}
	return best;
}

/* the kept rules for d's syscall; NULL when bad-arch applies */
static const struct sg_arch *kept_for(const struct oracle *o, const struct oracle_meaning *m,
                                      const struct seccomp_data *d, struct o_kept *k)
{
	const struct sg_arch *abi = oracle_abi_for_input(o, m, d->arch, (uint32_t)d->nr);

	if (abi)
		rules_on(o, m, abi, d->nr, k);
	return abi;
}

uint32_t oracle_eval(const struct oracle *o, const struct oracle_meaning *m,
                     const struct seccomp_data *d)
{
	static struct o_kept k; /* large; the test is single-threaded */
	bool matching[ORACLE_MAX_RULES * 2];
	int n = 0;

	if (!kept_for(o, m, d, &k))
		return o->badarch;
	if (k.uncond)
		return k.uncond_action;
	for (int i = 0; i < k.n; i++)
		n += matching[i] = rule_holds(&k.r[i], d);
	return n ? oracle_precedence(&k, matching) : o->def;
}

int oracle_overlap_actions(const struct oracle *o, const struct oracle_meaning *m,
                           const struct seccomp_data *d, uint32_t *acts, int max)
{
	static struct o_kept k;
	int n = 0;

	if (!kept_for(o, m, d, &k) || k.uncond)
		return 0;
	for (int i = 0; i < k.n; i++) {
		int j = 0;

		if (!rule_holds(&k.r[i], d))
			continue;
		while (j < n && acts[j] != k.r[i].action)
			j++;
		if (j == n && n < max)
			acts[n++] = k.r[i].action;
	}
	return n > 1 ? n : 0;
}
