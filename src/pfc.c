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

struct pfc_plan;

struct pfc_rule {
	const struct sg_rule *r;
	FILE *out;
	/* what is printed where all conditions hold: NULL, the rule's action; else this */
	void (*body)(const struct pfc_rule *p, int depth);
	const struct pfc_plan *plan; /* for body: the syscall's rule plan */
	uint32_t pos;                /* for body: the rule's position in it */
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

	if (i == p->r->ncond) {
		if (p->body)
			p->body(p, depth);
		else
			print_action(p->out, depth, p->r->action);
		return;
	}
	c = &p->r->cond[i];
	switch (c->op) {
	case SCMP_CMP_EQ:
	case SCMP_CMP_MASKED_EQ:
		print_masked(p, c, false, i + 1, depth);
		break;
	case SCMP_CMP_NE:
		print_masked(p, c, true, i + 1, depth);
		break;
	case SCMP_CMP_GT:
		print_greater(p, c, false, false, i + 1, depth);
		break;
	case SCMP_CMP_GE:
		print_greater(p, c, true, false, i + 1, depth);
		break;
	case SCMP_CMP_LE:
		print_greater(p, c, false, true, i + 1, depth);
		break;
	case SCMP_CMP_LT:
		print_greater(p, c, true, true, i + 1, depth);
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
 * cycle) decides only where none of them matches: under it, each dominator's conditions lead
 * to a copy of the rules after it and the default action, so that the text stays exact. The
 * copies can multiply: past a budget of copied rules a comment says what is left out (every
 * rule is still printed once).
 */
struct pfc_plan {
	const struct sg_sysrules *s;
	const struct sg_rule_plan *plan;
	uint32_t def;
	FILE *out;
	long *budget; /* rules that may still be printed in copies */
};

#define PFC_COPY_BUDGET 1024

static void print_rules_from(const struct pfc_plan *pp, uint32_t from, bool copy, int depth);

/* where a dominator of the rule at p->pos also matches: the rules after it decide */
static void print_rest(const struct pfc_rule *p, int depth)
{
	print_rules_from(p->plan, p->pos + 1, true, depth);
	print_action(p->out, depth, p->plan->def);
}

/* the end of a rule with dominators: hand over where one matches, else the rule's action */
static void print_dominated(const struct pfc_rule *p, int depth)
{
	const struct sg_rule_plan *plan = p->plan->plan;

	for (uint32_t j = plan->dom_off[p->pos]; j < plan->dom_off[p->pos + 1]; j++) {
		struct pfc_rule d = {&p->plan->s->rules[plan->dom[j]], p->out, print_rest, p->plan,
		                     p->pos};
		print_conds(&d, 0, depth);
	}
	print_action(p->out, depth, p->r->action);
}

static void print_rules_from(const struct pfc_plan *pp, uint32_t from, bool copy, int depth)
{
	const struct sg_rule_plan *plan = pp->plan;

	for (uint32_t i = from; i < plan->n; i++) {
		bool dominated = plan->dom_off[i + 1] > plan->dom_off[i];
		struct pfc_rule p = {&pp->s->rules[plan->rule[i]], pp->out,
		                     dominated ? print_dominated : NULL, pp, i};
		if (copy && --*pp->budget < 0) {
			indent(pp->out, depth);
			fputs("# (more rules: too many copies to print)\n", pp->out);
			return;
		}
		print_conds(&p, 0, depth);
	}
}

static int print_syscall(FILE *out, const struct sg_archdb *db, const struct sg_sysrules *s,
                         uint32_t def, int depth)
{
	const char *name = sg_arch_syscall_name(db->arch, s->nr);
	struct sg_rule_plan plan;
	long budget = PFC_COPY_BUDGET;
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
		/* no program can be compiled (export and load fail): the rules as they were added
		 */
		indent(out, depth + 1);
		fprintf(out, "# more than %u rules of several actions: cannot be compiled\n",
		        SG_PLAN_MAX_RULES);
		for (uint32_t i = 0; i < s->nrules; i++) {
			struct pfc_rule p = {&s->rules[i], out, NULL, NULL, 0};
			print_conds(&p, 0, depth + 1);
		}
		return 0;
	}
	if (rc < 0)
		return rc;
	struct pfc_plan pp = {s, &plan, def, out, &budget};
	print_rules_from(&pp, 0, false, depth + 1);
	sg_rule_plan_free(&plan);
	return 0;
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
			rc = print_syscall(out, db, sorted[j], f->act_default, depth);
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
