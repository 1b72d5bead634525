/*
 * scmp_bpf_decompile - lift a raw seccomp filter back into per-ABI, per-syscall rules (PFC-like
 * text, an OCI/Docker JSON profile, or C), or dump the filters of a running process.
 *
 * Exit status: 0 the output says exactly what the program does, 1 error, 3 the output is not
 * exact (paths the engine could not decide, or rules the chosen format cannot express; each is
 * named on standard error).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "bpftools.h"
#include "decompile.h"
#include "dump.h"

static const char *tool = "scmp_bpf_decompile";

#define EXIT_ERROR   1
#define EXIT_INEXACT 3

enum format { F_PFC, F_JSON, F_C };

struct out {
	FILE *f;
	const struct dc_program *d;
	bool inexact;
	bool trap_data_lost; /* JSON: a TRAP with data written as plain TRAP */
};

static void warn_inexact(struct out *o, const char *what, const char *abi, const char *sys,
                         const char *why)
{
	fprintf(stderr, "%s: %s%s%s%s: %s\n", tool, what, abi ? abi : "", sys ? " " : "",
	        sys ? sys : "", why);
	o->inexact = true;
}

/* ---- text ---- */

static void form_text(const struct sg_sym_form *f, bool be, char *buf, size_t size)
{
	const char *name = sg_bpf_data_name((uint32_t)f->word * 4, be);
	char sh[32] = "";

	if (sg_sym_form_is_plain(f)) {
		snprintf(buf, size, "%s", name);
		return;
	}
	if (f->shift > 0)
		snprintf(sh, sizeof(sh), " >> %d", f->shift);
	else if (f->shift < 0)
		snprintf(sh, sizeof(sh), " << %d", -f->shift);
	if (f->xor)
		snprintf(buf, size, "((%s%s) & 0x%x ^ 0x%x)", name, sh, f->mask, f->xor);
	else
		snprintf(buf, size, "((%s%s) & 0x%x)", name, sh, f->mask);
}

static void atom_text(const struct sg_sym_atom *at, bool be, char *buf, size_t size)
{
	char v[96];

	form_text(&at->f, be, v, sizeof(v));
	switch (at->kind) {
	case SG_SYM_RANGE:
		if (at->lo == at->hi)
			snprintf(buf, size, "%s == 0x%x", v, at->lo);
		else if (at->lo == 0)
			snprintf(buf, size, "%s <= 0x%x", v, at->hi);
		else if (at->hi == UINT32_MAX)
			snprintf(buf, size, "%s >= 0x%x", v, at->lo);
		else
			snprintf(buf, size, "0x%x <= %s <= 0x%x", at->lo, v, at->hi);
		break;
	case SG_SYM_NE:
		snprintf(buf, size, "%s != 0x%x", v, at->lo);
		break;
	case SG_SYM_ANY:
		snprintf(buf, size, "(%s & 0x%x) != 0", v, at->lo);
		break;
	default:
		snprintf(buf, size, "(%s & 0x%x) == 0", v, at->lo);
		break;
	}
}

static void cmp_text(const struct scmp_arg_cmp *c, char *buf, size_t size)
{
	static const char *const ops[] = {"", "!=", "<", "<=", "==", ">=", ">"};

	if (c->op == SCMP_CMP_MASKED_EQ)
		snprintf(buf, size, "(args[%u] & 0x%" PRIx64 ") == 0x%" PRIx64, c->arg,
		         (uint64_t)c->datum_a, (uint64_t)c->datum_b);
	else
		snprintf(buf, size, "args[%u] %s 0x%" PRIx64, c->arg, ops[c->op],
		         (uint64_t)c->datum_a);
}

/* one cell's conditions as the program tests them (nr and arch are the syscall's) */
static void cell_text(struct out *o, const struct dc_cell *c)
{
	char t[200], act[32];
	bool first = true, *keep = malloc((c->natoms + 1) * sizeof(*keep));

	/* out of memory: every atom, as the program tests it */
	if (keep && dc_cell_essential(c, keep) < 0) {
		free(keep);
		keep = NULL;
	}
	sg_action_format(c->action, act, sizeof(act));
	if (!c->action_known)
		snprintf(act, sizeof(act), "A (data-dependent)");
	fprintf(o->f, "    if (");
	for (size_t i = 0; i < c->natoms; i++) {
		if (c->atoms[i].f.word <= SG_OFF_ARCH / 4 || (keep && !keep[i]))
			continue;
		atom_text(&c->atoms[i], o->d->big_endian, t, sizeof(t));
		fprintf(o->f, "%s%s", first ? "" : " && ", t);
		first = false;
	}
	fprintf(o->f, "%s) %s%s\n", first ? "true" : "", act, c->exact ? "" : "  # not exact");
	free(keep);
}

/* a syscall's non-default behaviour: as rules where that is exact, else cell by cell */
static void syscall_text(struct out *o, const struct dc_abi *abi, const struct dc_syscall *s)
{
	struct dc_lifted *r = NULL;
	size_t n = 0;
	const char *why;
	char t[200], act[32];
	int rc = dc_lift_syscall(o->d, s, abi->default_action, abi->arch, &r, &n, &why);
	size_t ncells = 0;

	for (size_t j = 0; j < s->ncells; j++)
		ncells += o->d->cells[s->cells[j]].action != abi->default_action;
	if (rc == 0 && n > 16 && n > ncells) {
		/* bit tests lifted to masked equalities can take many rules: the cells read
		 * better */
		free(r);
		r = NULL;
		rc = 1;
		why = "shorter than the rules";
	}
	if (rc == 0 && n == 1 && r[0].ncmp == 0) {
		sg_action_format(r[0].action, act, sizeof(act));
		fprintf(o->f, "syscall \"%s\" (%u): %s\n", s->name ? s->name : "?", s->nr, act);
		free(r);
		return;
	}
	fprintf(o->f, "syscall \"%s\" (%u):\n", s->name ? s->name : "?", s->nr);
	if (rc != 0) {
		fprintf(o->f, "    # as the program tests it (%s)\n", why ? why : "out of memory");
		for (size_t j = 0; j < s->ncells; j++) {
			const struct dc_cell *c = &o->d->cells[s->cells[j]];

			if (!c->action_known || c->action != abi->default_action)
				cell_text(o, c);
		}
		return;
	}
	for (size_t i = 0; i < n; i++) {
		sg_action_format(r[i].action, act, sizeof(act));
		fprintf(o->f, "    if (");
		for (unsigned int k = 0; k < r[i].ncmp; k++) {
			cmp_text(&r[i].cmp[k], t, sizeof(t));
			fprintf(o->f, "%s%s", k ? " && " : "", t);
		}
		fprintf(o->f, "%s) %s\n", r[i].ncmp ? "" : "true", act);
	}
	free(r);
}

static void print_pfc(struct out *o, const char *src, size_t len)
{
	const struct dc_program *d = o->d;
	char act[32];

	fprintf(o->f, "#\n# decompiled by %s from %s (%zu instructions, %zu paths%s)\n#\n", tool,
	        src, len, d->ncells, d->exact ? "" : ", NOT EXACT");
	if (d->has_badarch) {
		sg_action_format(d->badarch_action, act, sizeof(act));
		fprintf(o->f, "# other arch values: %s%s\n", act,
		        d->badarch_conditional ? " (and others, depending on the input)" : "");
	}
	for (size_t a = 0; a < d->nabis; a++) {
		const struct dc_abi *abi = &d->abis[a];

		sg_action_format(abi->default_action, act, sizeof(act));
		fprintf(o->f, "#\n# arch %s (0x%08x)\n#   default: %s\n", abi->arch->name,
		        abi->arch->audit, act);
		for (size_t i = 0; i < abi->nsys; i++)
			syscall_text(o, abi, &abi->sys[i]);
		for (size_t i = 0; i < abi->nother; i++) {
			const struct dc_range *r = &abi->other[i];

			if (r->cell == SIZE_MAX) {
				fprintf(o->f, "# numbers %u..%u: depends on the arguments\n", r->lo,
				        r->hi);
				continue;
			}
			sg_action_format(d->cells[r->cell].action, act, sizeof(act));
			fprintf(o->f, "# numbers %u..%u (no name): %s\n", r->lo, r->hi, act);
		}
		if (abi->nr_masked)
			fprintf(o->f, "# (the syscall number is tested with masks: numbers without "
			              "names are not listed)\n");
	}
}

/* ---- rules (JSON and C) ---- */

struct entry {
	const char *name;
	char *key; /* the syscall's rules, rendered: equal keys are merged into one entry */
};

/* "action": "...", with "errnoRet" where the action has data; after "default" the keys
 * become defaultAction / defaultErrnoRet */
static void action_json(uint32_t act, bool dflt, FILE *f)
{
	uint32_t data = act & SECCOMP_RET_DATA;
	const char *ret_key = dflt ? "defaultErrnoRet" : "errnoRet";
	const char *act_key = dflt ? "defaultAction" : "action";

	switch (act & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		fprintf(f, "\"%s\": \"SCMP_ACT_KILL_PROCESS\"", act_key);
		break;
	case SECCOMP_RET_KILL_THREAD:
		fprintf(f, "\"%s\": \"SCMP_ACT_KILL_THREAD\"", act_key);
		break;
	case SECCOMP_RET_TRAP:
		fprintf(f, "\"%s\": \"SCMP_ACT_TRAP\"", act_key);
		break;
	case SECCOMP_RET_ERRNO:
		fprintf(f, "\"%s\": \"SCMP_ACT_ERRNO\", \"%s\": %u", act_key, ret_key, data);
		break;
	case SECCOMP_RET_TRACE:
		fprintf(f, "\"%s\": \"SCMP_ACT_TRACE\", \"%s\": %u", act_key, ret_key, data);
		break;
	case SECCOMP_RET_LOG:
		fprintf(f, "\"%s\": \"SCMP_ACT_LOG\"", act_key);
		break;
	case SECCOMP_RET_USER_NOTIF:
		fprintf(f, "\"%s\": \"SCMP_ACT_NOTIFY\"", act_key);
		break;
	default:
		fprintf(f, "\"%s\": \"SCMP_ACT_ALLOW\"", act_key);
		break;
	}
}

static const char no_trap_data[] =
    "TRAP actions with data (the SIGSYS handler's si_errno) are written as plain TRAP: "
    "JSON profiles give TRAP no data";

/* OCI profiles give TRAP no data */
static bool json_action_ok(uint32_t act)
{
	return (act & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_TRAP || !(act & SECCOMP_RET_DATA);
}

static void action_c(uint32_t act, FILE *f)
{
	uint32_t data = act & SECCOMP_RET_DATA;

	switch (act & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		fprintf(f, "SCMP_ACT_KILL_PROCESS");
		break;
	case SECCOMP_RET_KILL_THREAD:
		fprintf(f, "SCMP_ACT_KILL_THREAD");
		break;
	case SECCOMP_RET_TRAP:
		if (data)
			fprintf(f, "SCMP_ACT_TRAPX(%u)", data);
		else
			fprintf(f, "SCMP_ACT_TRAP");
		break;
	case SECCOMP_RET_ERRNO:
		fprintf(f, "SCMP_ACT_ERRNO(%u)", data);
		break;
	case SECCOMP_RET_TRACE:
		fprintf(f, "SCMP_ACT_TRACE(%u)", data);
		break;
	case SECCOMP_RET_LOG:
		fprintf(f, "SCMP_ACT_LOG");
		break;
	case SECCOMP_RET_USER_NOTIF:
		fprintf(f, "SCMP_ACT_NOTIFY");
		break;
	default:
		fprintf(f, "SCMP_ACT_ALLOW");
		break;
	}
}

static const char *const op_names[] = {"",
                                       "SCMP_CMP_NE",
                                       "SCMP_CMP_LT",
                                       "SCMP_CMP_LE",
                                       "SCMP_CMP_EQ",
                                       "SCMP_CMP_GE",
                                       "SCMP_CMP_GT",
                                       "SCMP_CMP_MASKED_EQ"};

/* one rule, rendered in the format, appended to a memstream */
static void rule_render(enum format fmt, const struct dc_lifted *r, FILE *f)
{
	uint32_t act = r->action;

	if (fmt == F_JSON) {
		action_json(act, false, f);
		if (r->ncmp) {
			fprintf(f, ", \"args\": [");
			for (unsigned int i = 0; i < r->ncmp; i++)
				fprintf(f,
				        "%s{\"index\": %u, \"value\": %" PRIu64
				        ", \"valueTwo\": %" PRIu64 ", \"op\": \"%s\"}",
				        i ? ", " : "", r->cmp[i].arg, (uint64_t)r->cmp[i].datum_a,
				        (uint64_t)r->cmp[i].datum_b, op_names[r->cmp[i].op]);
			fprintf(f, "]");
		}
		fprintf(f, "\n");
		return;
	}
	/* "ACTION|COUNT, CMP..." : the syscall goes where the '|' is */
	action_c(act, f);
	fprintf(f, "|%u", r->ncmp);
	for (unsigned int i = 0; i < r->ncmp; i++)
		fprintf(f, ", SCMP_A%u(%s, 0x%" PRIx64 "ULL, 0x%" PRIx64 "ULL)", r->cmp[i].arg,
		        op_names[r->cmp[i].op], (uint64_t)r->cmp[i].datum_a,
		        (uint64_t)r->cmp[i].datum_b);
	fprintf(f, "\n");
}

/* every rule of one syscall as lines "<rendered rule>\n"; NULL for none */
static char *syscall_key(struct out *o, enum format fmt, const struct dc_abi *abi,
                         const struct dc_syscall *s)
{
	struct dc_lifted *r = NULL;
	const char *why;
	char *buf = NULL;
	size_t size = 0, n = 0;
	FILE *f = open_memstream(&buf, &size);
	int rc;

	if (f == NULL)
		return NULL;
	rc = dc_lift_syscall(o->d, s, abi->default_action, abi->arch, &r, &n, &why);
	if (rc != 0)
		warn_inexact(o, "cannot write ", abi->arch->name, s->name,
		             why ? why : "out of memory");
	for (size_t k = 0; rc == 0 && fmt == F_JSON && k < n; k++)
		o->trap_data_lost |= !json_action_ok(r[k].action);
	for (size_t k = 0; rc == 0 && k < n; k++)
		rule_render(fmt, &r[k], f);
	free(r);
	fclose(f);
	return buf;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : strcmp(x->name, y->name);
}

/* the entries of one ABI (named syscalls only) */
static struct entry *abi_entries(struct out *o, enum format fmt, const struct dc_abi *abi,
                                 size_t *n, bool warn)
{
	struct entry *e = calloc(abi->nsys + 1, sizeof(*e));
	bool was = o->inexact;

	*n = 0;
	if (e == NULL)
		return NULL;
	for (size_t i = 0; i < abi->nsys; i++) {
		const struct dc_syscall *s = &abi->sys[i];

		if (s->name == NULL) {
			if (warn)
				warn_inexact(o, "cannot write ", abi->arch->name, NULL,
				             "a syscall number without a name");
			continue;
		}
		e[*n].name = s->name;
		e[*n].key = syscall_key(o, fmt, abi, s);
		if (e[*n].key)
			(*n)++;
	}
	if (warn && abi->nother)
		warn_inexact(o, "cannot write ", abi->arch->name, NULL,
		             "syscall numbers without names that do not get the default");
	if (!warn)
		o->inexact = was;
	qsort(e, *n, sizeof(*e), cmp_entry);
	return e;
}

static void entries_free(struct entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(e[i].key);
	free(e);
}

static const char *key_of(const struct entry *e, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].name, name) == 0)
			return e[i].key;
	return "";
}

/* does ABI b have the same rules by name as a (for the names both ABIs have)? */
static bool same_rules(const struct dc_abi *a, const struct entry *ea, size_t na,
                       const struct dc_abi *b, const struct entry *eb, size_t nb)
{
	if (a->default_action != b->default_action)
		return false;
	for (size_t i = 0; i < na; i++)
		if (sg_arch_syscall_nr(b->arch, ea[i].name) >= 0 &&
		    strcmp(ea[i].key, key_of(eb, nb, ea[i].name)) != 0)
			return false;
	for (size_t i = 0; i < nb; i++)
		if (sg_arch_syscall_nr(a->arch, eb[i].name) >= 0 &&
		    strcmp(eb[i].key, key_of(ea, na, eb[i].name)) != 0)
			return false;
	return true;
}

/*
 * Which ABIs share the primary's output (keep[]), and the rules to write (*e, sorted by key). An
 * ABI joins when its rules by name are the primary's. The names a joined ABI has and the
 * primary's arch does not (riscv64's riscv_hwprobe beside x86_64) are written too: a rule by
 * name applies only where the name exists, so every other joined ABI with that name must give
 * it the same rules, or the ABI that brought it stays out. ABIs marked in taken[] (already in
 * another context of the C output) are not considered.
 */
static int join_abis(struct out *o, enum format fmt, const struct dc_abi *primary, struct entry **e,
                     size_t *n, bool *keep, const bool *taken)
{
	const struct dc_program *d = o->d;
	struct entry **eb = calloc(d->nabis, sizeof(*eb));
	size_t *nb = calloc(d->nabis, sizeof(*nb));
	int rc = eb && nb ? 0 : -ENOMEM;

	for (size_t a = 0; rc == 0 && a < d->nabis; a++) {
		const struct dc_abi *b = &d->abis[a];

		keep[a] = b == primary;
		if (b == primary || (taken && taken[a]))
			continue;
		eb[a] = abi_entries(o, fmt, b, &nb[a], false);
		if (eb[a] == NULL)
			rc = -ENOMEM;
		else
			keep[a] = same_rules(primary, *e, *n, b, eb[a], nb[a]);
	}
	for (size_t a = 0; rc == 0 && a < d->nabis; a++) {
		if (!keep[a] || &d->abis[a] == primary)
			continue;
		for (size_t i = 0; keep[a] && i < nb[a]; i++) {
			const char *name = eb[a][i].name;
			if (sg_arch_syscall_nr(primary->arch, name) >= 0)
				continue;
			for (size_t c = 0; c < d->nabis; c++)
				if (c != a && keep[c] && &d->abis[c] != primary &&
				    sg_arch_syscall_nr(d->abis[c].arch, name) >= 0 &&
				    strcmp(key_of(eb[c], nb[c], name), eb[a][i].key) != 0)
					keep[a] = false;
		}
	}
	for (size_t a = 0; rc == 0 && a < d->nabis; a++) {
		if (&d->abis[a] == primary)
			continue;
		if (!keep[a]) {
			/* with taken (C output), what is left goes into another context */
			if (taken == NULL)
				warn_inexact(o, "left out ", d->abis[a].arch->name, NULL,
				             "its rules differ from the first ABI's (decompile it "
				             "with -a)");
			continue;
		}
		for (size_t i = 0; rc == 0 && i < nb[a]; i++) {
			struct entry *grown;
			if (sg_arch_syscall_nr(primary->arch, eb[a][i].name) >= 0 ||
			    *key_of(*e, *n, eb[a][i].name))
				continue;
			grown = realloc(*e, (*n + 1) * sizeof(**e));
			if (grown == NULL) {
				rc = -ENOMEM;
				break;
			}
			*e = grown;
			grown[*n] = (struct entry){eb[a][i].name, strdup(eb[a][i].key)};
			if (grown[*n].key == NULL)
				rc = -ENOMEM;
			else
				(*n)++;
		}
	}
	for (size_t a = 0; eb && a < d->nabis; a++)
		if (eb[a])
			entries_free(eb[a], nb[a]);
	free(eb);
	free(nb);
	/* entries with equal rules must be neighbours: they share one "names" list */
	qsort(*e, *n, sizeof(**e), cmp_entry);
	return rc;
}

static void arch_token_name(const struct sg_arch *a, char *buf, size_t size)
{
	size_t i = (size_t)snprintf(buf, size, "SCMP_ARCH_");

	for (const char *p = a->name; *p && i + 1 < size; p++)
		buf[i++] = (char)toupper((unsigned char)*p);
	buf[i] = '\0';
}

/* the rules: entries with equal rules share one "names" list (JSON) */
static void print_entries(struct out *o, enum format fmt, const struct entry *e, size_t n)
{
	for (size_t i = 0, k = 0; i < n;) {
		size_t j = i;

		while (j < n && strcmp(e[j].key, e[i].key) == 0)
			j++;
		for (char *line = e[i].key, *end; *line; line = end + 1) {
			end = strchr(line, '\n');
			if (fmt == F_JSON) {
				fprintf(o->f, "%s\n    {\"names\": [", k++ ? "," : "");
				for (size_t m = i; m < j; m++)
					fprintf(o->f, "%s\"%s\"", m > i ? ", " : "", e[m].name);
				fprintf(o->f, "], %.*s}", (int)(end - line), line);
			} else {
				const char *bar = memchr(line, '|', (size_t)(end - line));

				for (size_t m = i; m < j && bar; m++)
					fprintf(o->f,
					        "\trc |= seccomp_rule_add(ctx, %.*s, SCMP_SYS(%s), "
					        "%.*s);\n",
					        (int)(bar - line), line, e[m].name,
					        (int)(end - bar - 1), bar + 1);
			}
		}
		i = j;
	}
}

/* the leader's rules and the ABIs that join it (keep[]), from the ABIs not yet taken */
static int group_of(struct out *o, enum format fmt, const struct dc_abi *leader, bool warn,
                    const bool *taken, struct entry **e, size_t *n, bool *keep)
{
	*e = abi_entries(o, fmt, leader, n, warn);
	if (*e == NULL)
		return -ENOMEM;
	if (join_abis(o, fmt, leader, e, n, keep, taken) != 0) {
		entries_free(*e, *n);
		*e = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void print_json(struct out *o, const struct dc_abi *primary, const struct entry *e,
                       size_t n, const bool *keep)
{
	const struct dc_program *d = o->d;
	char tok[48];

	o->trap_data_lost |= !json_action_ok(primary->default_action);
	fprintf(o->f, "{\n  ");
	action_json(primary->default_action, true, o->f);
	fprintf(o->f, ",\n  \"architectures\": [");
	for (size_t a = 0, k = 0; a < d->nabis; a++) {
		if (!keep[a])
			continue;
		arch_token_name(d->abis[a].arch, tok, sizeof(tok));
		fprintf(o->f, "%s\"%s\"", k++ ? ", " : "", tok);
	}
	fprintf(o->f, "],\n  \"syscalls\": [");
	print_entries(o, F_JSON, e, n);
	fprintf(o->f, "\n  ]\n}\n");
}

/* one libseccomp context for the ABIs in keep[] */
static void print_c_context(struct out *o, size_t k, uint32_t default_action,
                            const struct entry *e, size_t n, const bool *keep)
{
	const struct dc_program *d = o->d;
	char tok[48];

	fprintf(o->f, "\nstatic scmp_filter_ctx decompiled_context_%zu(void)\n{\n"
	              "\tscmp_filter_ctx ctx = seccomp_init(", k);
	action_c(default_action, o->f);
	fprintf(o->f, ");\n\tint rc = 0;\n\n\tif (ctx == NULL)\n\t\treturn NULL;\n");
	if (d->has_badarch && !d->badarch_conditional) {
		fprintf(o->f, "\trc |= seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, ");
		action_c(d->badarch_action, o->f);
		fprintf(o->f, ");\n");
	}
	fprintf(o->f, "\tseccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);\n");
	for (size_t a = 0; a < d->nabis; a++) {
		if (!keep[a])
			continue;
		arch_token_name(d->abis[a].arch, tok, sizeof(tok));
		fprintf(o->f, "\trc |= seccomp_arch_add(ctx, %s);\n", tok);
	}
	print_entries(o, F_C, e, n);
	fprintf(o->f, "\n\tif (rc != 0) {\n\t\tseccomp_release(ctx);\n\t\treturn NULL;\n"
	              "\t}\n\treturn ctx;\n}\n");
}

/*
 * C: the ABIs in groups with the same rules by name, one context per group, merged into one
 * (seccomp_merge() wants the same default action: an ABI with another one is left out).
 */
static int print_c(struct out *o, const struct dc_abi *primary)
{
	const struct dc_program *d = o->d;
	bool *taken = calloc(d->nabis, sizeof(*taken)), *keep = calloc(d->nabis, sizeof(*keep));
	const struct dc_abi *leader = primary;
	size_t groups = 0;
	int rc = taken && keep ? 0 : -ENOMEM;

	if (rc == 0)
		fprintf(o->f, "/* decompiled by %s */\n#include <seccomp.h>\n", tool);
	while (rc == 0 && leader) {
		struct entry *e;
		size_t n;

		rc = group_of(o, F_C, leader, true, taken, &e, &n, keep);
		if (rc != 0)
			break;
		print_c_context(o, groups++, leader->default_action, e, n, keep);
		entries_free(e, n);
		leader = NULL;
		for (size_t a = 0; a < d->nabis; a++) {
			taken[a] |= keep[a];
			if (taken[a])
				continue;
			if (d->abis[a].default_action != primary->default_action) {
				taken[a] = true;
				warn_inexact(o, "left out ", d->abis[a].arch->name, NULL,
				             "its default action differs from the first ABI's (a "
				             "libseccomp filter has one; decompile it with -a)");
			} else if (leader == NULL) {
				leader = &d->abis[a];
			}
		}
	}
	if (rc == 0) {
		fprintf(o->f, "\n/* the filter as a libseccomp context (NULL on failure) */\n"
		              "scmp_filter_ctx decompiled_filter(void)\n{\n"
		              "\tscmp_filter_ctx ctx = decompiled_context_0();\n");
		if (groups > 1)
			fprintf(o->f, "\tscmp_filter_ctx other;\n");
		fprintf(o->f, "\n");
		for (size_t k = 1; k < groups; k++)
			fprintf(o->f,
			        "\tother = ctx ? decompiled_context_%zu() : NULL;\n"
			        "\tif (other == NULL || seccomp_merge(ctx, other) != 0) {\n"
			        "\t\tseccomp_release(other);\n\t\tseccomp_release(ctx);\n"
			        "\t\treturn NULL;\n\t}\n",
			        k);
		fprintf(o->f, "\treturn ctx;\n}\n");
	}
	free(taken);
	free(keep);
	return rc;
}

static int print_rules(struct out *o, enum format fmt, const struct sg_arch *want)
{
	const struct dc_program *d = o->d;
	const struct dc_abi *primary = NULL;
	struct entry *e;
	bool *keep;
	size_t n;
	int rc;

	for (size_t a = 0; a < d->nabis; a++)
		if (d->abis[a].arch == want)
			primary = &d->abis[a];
	if (primary == NULL && d->nabis)
		primary = &d->abis[0];
	if (primary == NULL) {
		fprintf(stderr, "%s: the filter accepts no known architecture\n", tool);
		return -EINVAL;
	}
	if (fmt == F_C) {
		rc = print_c(o, primary);
	} else {
		keep = calloc(d->nabis, sizeof(*keep));
		rc = keep ? group_of(o, fmt, primary, true, NULL, &e, &n, keep) : -ENOMEM;
		if (rc == 0) {
			print_json(o, primary, e, n, keep);
			entries_free(e, n);
		}
		free(keep);
	}
	if (rc == 0 && o->trap_data_lost) {
		fprintf(stderr, "%s: %s\n", tool, no_trap_data);
		o->inexact = true;
	}
	return rc;
}

/* ---- main ---- */

static const char *const fmt_ext[] = {"pfc", "json", "c"};

/* decompile one program to f; returns 0 exact, EXIT_INEXACT, or -errno */
static int decompile(const struct sock_filter *prog, size_t len, const struct sg_arch *arch,
                     enum format fmt, const char *src, FILE *f)
{
	struct dc_program d;
	struct out o;
	int rc = dc_build(prog, len, arch->big_endian, &d);

	if (rc < 0)
		return rc;
	o = (struct out){f, &d, !d.exact, false};
	if (d.truncated)
		fprintf(stderr, "%s: %s: too many paths; the output covers only some of them\n",
		        tool, src);
	else if (!d.exact)
		fprintf(stderr,
		        "%s: %s: some paths depend on data the engine does not model "
		        "exactly (marked \"not exact\")\n",
		        tool, src);
	if (fmt == F_PFC)
		print_pfc(&o, src, len);
	else
		rc = print_rules(&o, fmt, arch);
	dc_free(&d);
	if (rc < 0)
		return rc;
	return o.inexact ? EXIT_INEXACT : 0;
}

static int write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(data, 1, size, f) != size) {
		fprintf(stderr, "%s: cannot write %s: %s\n", tool, path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "%s: cannot write %s: %s\n", tool, path, strerror(errno));
		return -1;
	}
	return 0;
}

static int dump_pid(long pid, const char *dir, const struct sg_arch *arch, bool want_fmt,
                    enum format fmt)
{
	struct dump_filter *fl = NULL;
	size_t n = 0;
	int rc = dump_filters((pid_t)pid, &fl, &n), status = 0;
	char path[4096];

	if (rc < 0) {
		fprintf(stderr, "%s: cannot read the filters of process %ld: %s%s\n", tool, pid,
		        strerror(-rc),
		        rc == -EPERM    ? " (needs CAP_SYS_ADMIN and ptrace permission)"
		        : rc == -EINVAL ? " (no seccomp filter, or no PTRACE_SECCOMP_GET_FILTER)"
		                        : "");
		return EXIT_ERROR;
	}
	for (size_t i = 0; i < n && status != EXIT_ERROR; i++) {
		snprintf(path, sizeof(path), "%s/filter-%zu.bpf", dir, i + 1);
		/* raw files are in the ABI's byte order, which is the host's here */
		if (write_file(path, fl[i].insns, fl[i].len * sizeof(*fl[i].insns)) != 0) {
			status = EXIT_ERROR;
			break;
		}
		printf("%s: %zu instructions\n", path, fl[i].len);
		if (want_fmt) {
			FILE *f;

			snprintf(path, sizeof(path), "%s/filter-%zu.%s", dir, i + 1, fmt_ext[fmt]);
			f = fopen(path, "w");
			if (f == NULL) {
				fprintf(stderr, "%s: cannot write %s: %s\n", tool, path,
				        strerror(errno));
				status = EXIT_ERROR;
				break;
			}
			rc = decompile(fl[i].insns, fl[i].len, arch, fmt, path, f);
			if (fclose(f) != 0 || rc < 0) {
				fprintf(stderr, "%s: %s: %s\n", tool, path,
				        strerror(rc < 0 ? -rc : errno));
				status = EXIT_ERROR;
			} else if (rc == EXIT_INEXACT) {
				status = EXIT_INEXACT;
			}
		}
	}
	if (n == 0)
		printf("process %ld has no seccomp filter\n", pid);
	dump_free(fl, n);
	return status;
}

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: %s [-a ARCH] [-f pfc|json|c] [-o OUT] [FILE]\n"
	        "       %s --pid PID -o DIR [-f pfc|json|c]\n"
	        "Lift a raw seccomp BPF filter (FILE, or standard input) back into per-ABI,\n"
	        "per-syscall rules, by exploring every path of the program symbolically; or\n"
	        "save the filters of a running process as raw BPF files.\n"
	        "\n"
	        "  -a, --arch ARCH    the filter's byte order; for json and c also the ABI\n"
	        "                     whose rules are written (default: native)\n"
	        "  -f, --format FMT   pfc (text, every ABI; default), json (an OCI/Docker\n"
	        "                     profile for scmp_compile) or c (libseccomp calls)\n"
	        "  -o, --output OUT   write to OUT (with --pid: the directory for the files)\n"
	        "  -p, --pid PID      dump PID's filters into DIR/filter-N.bpf, outermost\n"
	        "                     (first installed) first; with -f also decompile each\n"
	        "                     (needs CAP_SYS_ADMIN)\n"
	        "  -h, --help         print this help\n"
	        "\n"
	        "Exit status: 0 exact, 1 error, 3 the output is not exact (reasons on\n"
	        "standard error).\n",
	        tool, tool);
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"arch", required_argument, NULL, 'a'},   {"format", required_argument, NULL, 'f'},
	    {"output", required_argument, NULL, 'o'}, {"pid", required_argument, NULL, 'p'},
	    {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	const char *arch_arg = NULL, *path = NULL, *output = NULL;
	const struct sg_arch *arch;
	struct sock_filter *prog = NULL;
	enum format fmt = F_PFC;
	bool want_fmt = false;
	long pid = 0;
	size_t len = 0;
	char *end;
	FILE *f;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "a:f:o:p:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			arch_arg = optarg;
			break;
		case 'f':
			want_fmt = true;
			if (strcmp(optarg, "pfc") == 0)
				fmt = F_PFC;
			else if (strcmp(optarg, "json") == 0)
				fmt = F_JSON;
			else if (strcmp(optarg, "c") == 0)
				fmt = F_C;
			else {
				fprintf(stderr, "%s: unknown format '%s' (pfc, json or c)\n", tool,
				        optarg);
				return EXIT_ERROR;
			}
			break;
		case 'o':
			output = optarg;
			break;
		case 'p':
			errno = 0;
			pid = strtol(optarg, &end, 10);
			if (errno || *end || pid <= 0) {
				fprintf(stderr, "%s: bad process id '%s'\n", tool, optarg);
				return EXIT_ERROR;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_ERROR;
		}
	}
	if (optind < argc)
		path = argv[optind++];
	if (optind < argc || (pid && (path || !output))) {
		usage(stderr);
		return EXIT_ERROR;
	}
	arch = bt_arch(tool, arch_arg);
	if (arch == NULL)
		return EXIT_ERROR;
	if (pid)
		return dump_pid(pid, output, arch, want_fmt, fmt);

	if (bt_read_filter(tool, path, arch->big_endian, &prog, &len) != 0)
		return EXIT_ERROR;
	if (sg_bpf_check(prog, len) != 0) {
		fprintf(stderr, "%s: %s: the kernel would refuse this program\n", tool,
		        path ? path : "standard input");
		free(prog);
		return EXIT_ERROR;
	}
	f = output ? fopen(output, "w") : stdout;
	if (f == NULL) {
		fprintf(stderr, "%s: cannot write %s: %s\n", tool, output, strerror(errno));
		free(prog);
		return EXIT_ERROR;
	}
	rc = decompile(prog, len, arch, fmt, path ? path : "standard input", f);
	free(prog);
	if ((output && fclose(f) != 0) || (!output && fflush(f) != 0)) {
		fprintf(stderr, "%s: cannot write %s: %s\n", tool, output ? output : "output",
		        strerror(errno));
		return EXIT_ERROR;
	}
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", tool, strerror(-rc));
		return EXIT_ERROR;
	}
	return rc;
}
