/*
 * pfc.c - seccomp_export_pfc(): the filter as readable pseudo code, in libseccomp's format
 * (arch blocks, `if ($syscall == N)`, `$aN.hi32` / `$aN.lo32` word tests, `action X;`).
 *
 * It prints the IR, in the order the compiled program evaluates it: per syscall, the rules in
 * the order of sg_ir_rule_plan() (more specific first, otherwise strongest action first), each
 * falling through to the next when it does not match.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "arch/kvers.h"
#include "bpf.h"
#include "export.h"
#include "ir.h"
#include "ir_order.h"

/* action names, shared with the disassembler (bpf_format.c) */
int sg_action_format(uint32_t action, char *buf, size_t size)
{
	uint32_t data = action & SECCOMP_RET_DATA;

	switch (action & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		if (data == 0)
			return snprintf(buf, size, "KILL_PROCESS");
		break;
	case SECCOMP_RET_KILL_THREAD:
		/* libseccomp's PFC calls the thread kill plain KILL */
		if (data == 0)
			return snprintf(buf, size, "KILL");
		break;
	case SECCOMP_RET_TRAP:
		if (data == 0)
			return snprintf(buf, size, "TRAP");
		return snprintf(buf, size, "TRAP(%u)", data);
	case SECCOMP_RET_ERRNO:
		return snprintf(buf, size, "ERRNO(%u)", data);
	case SECCOMP_RET_TRACE:
		return snprintf(buf, size, "TRACE(%u)", data);
	case SECCOMP_RET_LOG:
		if (data == 0)
			return snprintf(buf, size, "LOG");
		break;
	case SECCOMP_RET_ALLOW:
		if (data == 0)
			return snprintf(buf, size, "ALLOW");
		break;
	case SECCOMP_RET_USER_NOTIF:
		if (data == 0)
			return snprintf(buf, size, "NOTIFY");
		break;
	default:
		break;
	}
	return snprintf(buf, size, "0x%08x", action);
}

static void indent(FILE *out, int depth)
{
	for (int i = 0; i < depth; i++)
		fputs("  ", out);
}

static void print_action(FILE *out, int depth, uint32_t action)
{
	char buf[32];
	/* libseccomp prints NOTIFY as a raw value; keep that so PFC diffs stay meaningful */
	if (action == SCMP_ACT_NOTIFY)
		snprintf(buf, sizeof(buf), "0x%08x", action);
	else
		sg_action_format(action, buf, sizeof(buf));
	indent(out, depth);
	fprintf(out, "action %s;\n", buf);
}

/* a chain of tests leading to an action: a rule's conditions, or (see print_chains) more */
struct pfc_rule {
	const struct sg_cond *cond;
	unsigned int ncond;
	const bool *negated; /* NULL, or per condition: tested for "does not hold" */
	uint32_t action;
	FILE *out;
};

static void print_conds(const struct pfc_rule *p, unsigned int i, int depth);

/* "$a0", "$a0.hi32" or "$a0.lo32" */
static void word_name(char *buf, size_t size, const struct sg_cond *c, bool hi)
{
	if (c->low32)
		snprintf(buf, size, "$a%u", c->arg);
	else
		snprintf(buf, size, "$a%u.%s", c->arg, hi ? "hi32" : "lo32");
}

static void print_if(FILE *out, int depth, const char *word, const char *op, uint32_t v)
{
	indent(out, depth);
	fprintf(out, "if (%s %s %u)\n", word, op, v);
}

static void print_else(FILE *out, int depth)
{
	indent(out, depth);
	fputs("else\n", out);
}

/* (word & m) == d, the rest of the rule printed where it holds (or, negated, where not) */
static void print_masked(const struct pfc_rule *p, const struct sg_cond *c, bool negate,
                         unsigned int next, int depth)
{
	FILE *out = p->out;
	char hi[16], lo[16];
	uint32_t words = c->low32 ? 1 : 2;

	word_name(hi, sizeof(hi), c, true);
	word_name(lo, sizeof(lo), c, false);
	for (uint32_t w = 0; w < words; w++) {
		bool is_hi = words == 2 && w == 0;
		uint32_t m = (uint32_t)(is_hi ? c->mask >> 32 : c->mask);
		uint32_t d = (uint32_t)(is_hi ? c->datum >> 32 : c->datum);
		indent(out, depth + (int)w);
		if (c->op == SCMP_CMP_MASKED_EQ)
			fprintf(out, "if (%s & 0x%08x == %u)\n", is_hi ? hi : lo, m, d);
		else
			fprintf(out, "if (%s == %u)\n", is_hi ? hi : lo, d);
	}
	if (!negate) {
		print_conds(p, next, depth + (int)words);
		return;
	}
	/* NE: the rest applies wherever one of the word tests fails */
	for (uint32_t w = words; w-- > 0;) {
		print_else(out, depth + (int)w);
		print_conds(p, next, depth + (int)w + 1);
	}
}

/* v > d or v >= d; with negate, the rest goes where it does not hold */
static void print_greater(const struct pfc_rule *p, const struct sg_cond *c, bool ge, bool negate,
                          unsigned int next, int depth)
{
	FILE *out = p->out;
	char hi[16], lo[16];
	const char *op = ge ? ">=" : ">";

	word_name(hi, sizeof(hi), c, true);
	word_name(lo, sizeof(lo), c, false);
	if (c->low32) {
		print_if(out, depth, lo, op, (uint32_t)c->datum);
		if (!negate) {
			print_conds(p, next, depth + 1);
		} else {
			print_else(out, depth);
			print_conds(p, next, depth + 1);
		}
		return;
	}
	print_if(out, depth, hi, ">", (uint32_t)(c->datum >> 32));
	if (!negate)
		print_conds(p, next, depth + 1);
	print_else(out, depth);
	print_if(out, depth + 1, hi, "==", (uint32_t)(c->datum >> 32));
	print_if(out, depth + 2, lo, op, (uint32_t)c->datum);
	if (!negate) {
		print_conds(p, next, depth + 3);
		return;
	}
	print_else(out, depth + 2);
	print_conds(p, next, depth + 3);
	print_else(out, depth + 1);
	print_conds(p, next, depth + 2);
}

/* conditions i.. of the rule, then its action */
static void print_conds(const struct pfc_rule *p, unsigned int i, int depth)
{
	const struct sg_cond *c;
	bool neg;

	if (i == p->ncond) {
		print_action(p->out, depth, p->action);
		return;
	}
	c = &p->cond[i];
	neg = p->negated && p->negated[i];
	switch (c->op) {
	case SCMP_CMP_EQ:
	case SCMP_CMP_MASKED_EQ:
		print_masked(p, c, neg, i + 1, depth);
		break;
	case SCMP_CMP_NE:
		print_masked(p, c, !neg, i + 1, depth);
		break;
	case SCMP_CMP_GT:
		print_greater(p, c, false, neg, i + 1, depth);
		break;
	case SCMP_CMP_GE:
		print_greater(p, c, true, neg, i + 1, depth);
		break;
	case SCMP_CMP_LE:
		print_greater(p, c, false, !neg, i + 1, depth);
		break;
	case SCMP_CMP_LT:
		print_greater(p, c, true, !neg, i + 1, depth);
		break;
	}
}

static unsigned int syscall_priority(const struct sg_sysrules *s)
{
	unsigned int nodes = 0;
	for (uint32_t i = 0; i < s->nrules; i++)
		nodes += s->rules[i].ncond;
	return ((unsigned int)s->priority << 16) | (0xffffu - (nodes > 0xffff ? 0xffff : nodes));
}

/*
 * A syscall's rules in the plan's order (ir_order.h). A rule with dominators (a precedence
 * cycle) decides only where none of them matches: r && !d1 && !d2 ... It is printed as
 * chains that split that set: !(c1 && c2 && ...) is (!c1) or (c1 && !c2) or ..., one chain
 * per choice in every dominator, each ending in the rule's action; where a dominator matches,
 * no chain does and the text falls through to the next rule, as the program does. Past a
 * budget (about 2^18 lines per syscall) a comment says what is left out.
 */
struct pfc_chains {
	const struct sg_sysrules *s;
	const struct sg_rule_plan *plan;
	uint32_t pos; /* the dominated rule's position in the plan */
	struct sg_cond *cond;
	bool *neg;
	long *budget;
	FILE *out;
	int depth;
};

#define PFC_CHAIN_BUDGET (1L << 18) /* lines, roughly */

static void print_chains(const struct pfc_chains *pc, unsigned int len, uint32_t dom)
{
	const struct sg_rule_plan *plan = pc->plan;
	const struct sg_rule *r = &pc->s->rules[plan->rule[pc->pos]];

	if (dom == plan->dom_off[pc->pos + 1]) {
		struct pfc_rule p = {pc->cond, len, pc->neg, r->action, pc->out};
		/* a chain of n tests can print up to 2^n lines (64-bit tests repeat what follows)
		 */
		long cost = len < 30 ? 1L << len : PFC_CHAIN_BUDGET + 1;
		if (*pc->budget >= cost) {
			*pc->budget -= cost;
			print_conds(&p, 0, pc->depth);
		} else if (*pc->budget >= 0) {
			*pc->budget = -1;
			indent(pc->out, pc->depth);
			fputs("# (more tests of this rule: too many to print)\n", pc->out);
		}
		return;
	}
	const struct sg_rule *d = &pc->s->rules[plan->dom[dom]];
	for (unsigned int k = 0; k < d->ncond; k++) {
		for (unsigned int j = 0; j <= k; j++) {
			pc->cond[len + j] = d->cond[j];
			pc->neg[len + j] = j == k;
		}
		print_chains(pc, len + k + 1, dom + 1);
	}
}

static int print_syscall(FILE *out, const struct sg_archdb *db, const struct sg_sysrules *s,
                         int depth)
{
	const char *name = sg_arch_syscall_name(db->arch, s->nr);
	struct sg_rule_plan plan;
	long budget = PFC_CHAIN_BUDGET;
	int rc;

	if (!s->has_uncond && s->nrules == 0)
		return 0; /* only a priority hint: the default action applies */
	indent(out, depth);
	fprintf(out, "# filter for syscall \"%s\" (%d) [priority: %u]\n", name ? name : "UNKNOWN",
	        s->nr, syscall_priority(s));
	indent(out, depth);
	fprintf(out, "if ($syscall == %d)\n", s->nr);
	if (s->has_uncond) {
		print_action(out, depth + 1, s->uncond_action);
		return 0;
	}
	rc = sg_ir_rule_plan(s, &plan);
	if (rc == -E2BIG) {
		/* no program can be compiled (export, load fail): the rules as they were added */
		indent(out, depth + 1);
		fprintf(out, "# more than %u rules of several actions: cannot be compiled\n",
		        SG_PLAN_MAX_RULES);
		for (uint32_t i = 0; i < s->nrules; i++) {
			struct pfc_rule p = {s->rules[i].cond, s->rules[i].ncond, NULL,
			                     s->rules[i].action, out};
			print_conds(&p, 0, depth + 1);
		}
		return 0;
	}
	if (rc < 0)
		return rc;
	for (uint32_t i = 0; i < plan.n && rc == 0; i++) {
		const struct sg_rule *r = &s->rules[plan.rule[i]];
		uint32_t ndom = plan.dom_off[i + 1] - plan.dom_off[i];
		if (r->unchecked) {
			indent(out, depth + 1);
			fputs("# the call's own arguments cannot be tested here: this rule, which "
			      "has conditions on them, applies to every such call\n",
			      out);
		}
		if (ndom == 0) {
			struct pfc_rule p = {r->cond, r->ncond, NULL, r->action, out};
			print_conds(&p, 0, depth + 1);
			continue;
		}
		size_t max = r->ncond + (size_t)ndom * SG_MAX_ARGS;
		struct pfc_chains pc = {s,
		                        &plan,
		                        i,
		                        sg_reallocarray(NULL, max, sizeof(*pc.cond)),
		                        sg_reallocarray(NULL, max, sizeof(*pc.neg)),
		                        &budget,
		                        out,
		                        depth + 1};
		if (pc.cond && pc.neg) {
			memcpy(pc.cond, r->cond, r->ncond * sizeof(*pc.cond));
			memset(pc.neg, 0, r->ncond * sizeof(*pc.neg));
			print_chains(&pc, r->ncond, plan.dom_off[i]);
		} else {
			rc = -ENOMEM;
		}
		sg_free(pc.cond);
		sg_free(pc.neg);
	}
	sg_rule_plan_free(&plan);
	return rc;
}

static int cmp_sys_nr(const void *a, const void *b)
{
	int32_t x = (*(const struct sg_sysrules *const *)a)->nr;
	int32_t y = (*(const struct sg_sysrules *const *)b)->nr;
	return x < y ? -1 : x > y;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* ranges of numbers with one action, printed once contiguous pieces are joined */
struct nr_ranges {
	FILE *out;
	int depth;
	uint32_t action;
	bool open;
	uint32_t lo, hi;
};

static void ranges_flush(struct nr_ranges *r)
{
	if (!r->open)
		return;
	indent(r->out, r->depth);
	if (r->lo == r->hi)
		fprintf(r->out, "if ($syscall == %d)\n", (int32_t)r->lo);
	else if (r->hi == 0xffffffffu)
		fprintf(r->out, "if ($syscall >= %u)\n", r->lo);
	else
		fprintf(r->out, "if ($syscall >= %u && $syscall <= %u)\n", r->lo, r->hi);
	print_action(r->out, r->depth + 1, r->action);
	r->open = false;
}

static void ranges_add(struct nr_ranges *r, uint32_t lo, uint32_t hi)
{
	if (r->open && r->hi + 1 == lo) {
		r->hi = hi;
		return;
	}
	ranges_flush(r);
	*r = (struct nr_ranges){r->out, r->depth, r->action, true, lo, hi};
}

/*
 * The kernel-version limit (ir.h): the numbers the ABI owns that no syscall of the release has
 * and no rule names, as ranges (named numbers were printed above and fall through to the
 * default action, so they are left out here).
 */
static int print_kver_limit(FILE *out, const struct sg_filter *f, const struct sg_archdb *db,
                            int depth)
{
	uint32_t *named = sg_reallocarray(NULL, db->nsys + 1, sizeof(*named));
	struct nr_ranges r = {out, depth, f->act_enosys, false, 0, 0};
	size_t nnamed = 0, k = 0;

	if (!named)
		return -ENOMEM;
	for (uint32_t j = 0; j < db->nsys; j++)
		if (sg_ir_named(&db->sys[j]))
			named[nnamed++] = (uint32_t)db->sys[j].nr;
	qsort(named, nnamed, sizeof(*named), cmp_u32);
	indent(out, depth);
	fprintf(out, "# numbers no syscall of Linux %s has (SCMP_FLTATR_CTL_KVERMAX)\n",
	        sg_kver_name(f->kvermax));
	for (uint64_t nr = 0; nr <= 0xffffffffu;) {
		bool present;
		uint32_t last = sg_arch_kver_run(db->arch, (uint32_t)nr, f->kvermax, &present);
		uint32_t own_end = sg_arch_claim_end(db->arch->audit, (uint32_t)nr);
		if (last > own_end)
			last = own_end;
		if (!present && sg_ir_select(f, db->arch->audit, (uint32_t)nr) == db) {
			/* the run without the named numbers inside it */
			uint64_t lo = nr;
			while (k < nnamed && named[k] < lo)
				k++;
			for (; k < nnamed && named[k] <= last; k++) {
				if (named[k] > lo)
					ranges_add(&r, (uint32_t)lo, named[k] - 1);
				lo = (uint64_t)named[k] + 1;
			}
			if (lo <= last)
				ranges_add(&r, (uint32_t)lo, last);
		}
		nr = (uint64_t)last + 1;
	}
	ranges_flush(&r);
	sg_free(named);
	return 0;
}

/* one ABI's syscalls whose numbers (unsigned) lie in [lo, hi], ascending, then the default */
static int print_syscalls(FILE *out, const struct sg_filter *f, const struct sg_archdb *db,
                          uint32_t lo, uint32_t hi, int depth)
{
	const struct sg_sysrules **sorted = sg_reallocarray(NULL, db->nsys, sizeof(*sorted));
	int rc = 0;

	if (!sorted && db->nsys)
		return -ENOMEM;
	for (uint32_t j = 0; j < db->nsys; j++)
		sorted[j] = &db->sys[j];
	if (db->nsys)
		qsort(sorted, db->nsys, sizeof(*sorted), cmp_sys_nr);
	for (uint32_t j = 0; j < db->nsys && rc == 0; j++)
		if ((uint32_t)sorted[j]->nr >= lo && (uint32_t)sorted[j]->nr <= hi)
			rc = print_syscall(out, db, sorted[j], depth);
	if (rc == 0 && f->kvermax != SCMP_KV_UNDEF)
		rc = print_kver_limit(out, f, db, depth);
	indent(out, depth);
	fputs("# default action\n", out);
	print_action(out, depth, f->act_default);
	sg_free(sorted);
	return rc;
}

/*
 * The numbers [lo, hi] of an arch value that another ABI of the filter owns (x32's beside
 * x86_64), or none (bad-arch: x32 numbers in an x86_64-only filter, another MIPS ABI's block):
 * tested before the main ABI's syscalls, with unsigned comparisons of $syscall.
 */
static int print_part(FILE *out, const struct sg_filter *f, const struct sg_archdb *owner,
                      uint32_t lo, uint32_t hi)
{
	int depth = 1;

	if (lo > 0) {
		indent(out, depth);
		fprintf(out, "if ($syscall >= %u)\n", lo);
		depth++;
	}
	if (hi < 0xffffffffu) {
		indent(out, depth);
		fprintf(out, "if ($syscall > %u)\n", hi);
		print_else(out, depth);
		depth++;
	}
	if (owner) {
		indent(out, depth);
		fprintf(out, "# the %s numbers %u..%u\n", owner->arch->name, lo, hi);
		return print_syscalls(out, f, owner, lo, hi, depth);
	}
	indent(out, depth);
	fprintf(out, "# numbers %u..%u: no ABI of this filter, invalid architecture\n", lo, hi);
	print_action(out, depth, f->act_badarch);
	return 0;
}

/*
 * One arch value's block. Its ABIs share the value (x86_64 and x32) and split its numbers
 * between them, and some numbers belong to no ABI of the filter (the ABI partition,
 * arch/arch.c): those parts come first, then the ABI that owns syscall 0 (or the first).
 */
static int print_audit(FILE *out, const struct sg_filter *f, uint32_t audit)
{
	const struct sg_archdb *first = sg_ir_select(f, audit, 0);
	int rc = 0;

	for (uint32_t i = 0; i < f->narch; i++)
		if (f->arch[i].arch->audit == audit) {
			fprintf(out, "# filter for arch %s (%u)\n", f->arch[i].arch->name, audit);
			if (!first)
				first = &f->arch[i];
		}
	fprintf(out, "if ($arch == %u)\n", audit);
	for (uint32_t nr = 0, end;; nr = end + 1) {
		const struct sg_archdb *owner = sg_ir_select(f, audit, nr);
		end = sg_arch_claim_end(audit, nr);
		if (owner != first)
			rc = print_part(out, f, owner, nr, end);
		if (rc < 0 || end == 0xffffffffu)
			break;
	}
	if (rc == 0)
		rc = print_syscalls(out, f, first, 0, 0xffffffffu, 1);
	return rc;
}

int sg_export_pfc(const struct sg_filter *f, int fd)
{
	int dupfd, rc = 0;
	FILE *out;

	dupfd = dup(fd);
	if (dupfd < 0)
		return f->rawrc ? -errno : -ECANCELED;
	out = fdopen(dupfd, "w");
	if (!out) {
		int err = errno;
		close(dupfd);
		return err == ENOMEM ? -ENOMEM : (f->rawrc ? -err : -ECANCELED);
	}

	fputs("#\n# pseudo filter code start\n#\n", out);
	for (uint32_t i = 0; i < f->narch && rc == 0; i++) {
		bool seen = false;
		/* one block per arch value, where its first ABI stands */
		for (uint32_t j = 0; j < i; j++)
			seen |= f->arch[j].arch->audit == f->arch[i].arch->audit;
		if (!seen)
			rc = print_audit(out, f, f->arch[i].arch->audit);
	}
	fputs("# invalid architecture action\n", out);
	print_action(out, 0, f->act_badarch);
	fputs("#\n# pseudo filter code end\n#\n", out);

	if (fflush(out) != 0 && rc == 0)
		rc = f->rawrc ? -errno : -ECANCELED;
	fclose(out);
	return rc;
}
