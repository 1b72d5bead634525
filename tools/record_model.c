/*
 * record_model.c - what scmp_record saw, and the policy written from it (see record.h).
 *
 * The model keeps, per ABI and syscall number, how often the call was made and, for the
 * calls policies commonly constrain by a constant argument (socket family and type, clone
 * flags, personality, prctl option, ioctl request, fcntl command), the distinct argument
 * values seen. A policy is written from a name-merged view of it: scmp_compile and the C
 * API resolve names per ABI, so a name seen on any ABI is allowed on every ABI of the
 * policy. Argument conditions are written only with --args, and only when the evidence is
 * clear: at most max_values distinct values, every call seen with its values.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arch/kvers.h"
#include "ir.h"
#include "profile.h"
#include "record.h"

#define X32_BIT    0x40000000u
#define MAX_STORED 64 /* distinct argument tuples kept per syscall before "many" */

/* a syscall whose constant arguments are worth learning, and which ones */
struct learnable {
	const char *name;
	uint8_t nargs;
	uint8_t arg[2];
	bool low32[2]; /* an int/unsigned int argument: the kernel reads only the low word */
};

static const struct learnable learnables[] = {
    {"clone", 1, {0, 0}, {false, false}},      {"fcntl", 1, {1, 0}, {true, false}},
    {"fcntl64", 1, {1, 0}, {true, false}},     {"ioctl", 1, {1, 0}, {true, false}},
    {"personality", 1, {0, 0}, {true, false}}, {"prctl", 1, {0, 0}, {true, false}},
    {"socket", 2, {0, 1}, {true, true}},       {"socketpair", 2, {0, 1}, {true, true}},
};

struct tuple {
	uint64_t v[2];
	uint64_t count;
};

struct entry {
	uint32_t token; /* SCMP_ARCH_* of the ABI */
	int32_t nr;     /* the number on that ABI */
	char *name;     /* owned; NULL for a number no syscall has */
	const struct learnable *learn;
	uint64_t count;
	bool many; /* more distinct tuples than MAX_STORED */
	uint32_t ntuples, cap;
	struct tuple *tuples; /* owned */
};

struct rec_model {
	size_t n, cap;
	struct entry *e; /* owned */
};

struct rec_model *rec_model_new(void)
{
	return calloc(1, sizeof(struct rec_model));
}

void rec_model_free(struct rec_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->e[i].name);
		free(m->e[i].tuples);
	}
	free(m->e);
	free(m);
}

size_t rec_model_count(const struct rec_model *m)
{
	return m->n;
}

static const struct learnable *learnable_of(const char *name)
{
	for (size_t i = 0; name && i < sizeof(learnables) / sizeof(learnables[0]); i++)
		if (strcmp(learnables[i].name, name) == 0)
			return &learnables[i];
	return NULL;
}

/* the entry for (token, nr), made if absent; NULL when out of memory */
static struct entry *entry_get(struct rec_model *m, uint32_t token, int32_t nr)
{
	struct entry *e;

	/* a recording has a few hundred entries at most; calls repeat, so look from the end
	 * where the newest (and usually hottest) are */
	for (size_t i = m->n; i-- > 0;)
		if (m->e[i].nr == nr && m->e[i].token == token)
			return &m->e[i];
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		struct entry *ne = realloc(m->e, cap * sizeof(*ne));

		if (!ne)
			return NULL;
		m->e = ne;
		m->cap = cap;
	}
	e = &m->e[m->n];
	memset(e, 0, sizeof(*e));
	e->token = token;
	e->nr = nr;
	e->name = seccomp_syscall_resolve_num_arch(token, nr);
	e->learn = learnable_of(e->name);
	m->n++;
	return e;
}

static int entry_add_tuple(struct entry *e, const uint64_t v[2], uint64_t count)
{
	if (e->many)
		return 0;
	for (uint32_t i = 0; i < e->ntuples; i++)
		if (e->tuples[i].v[0] == v[0] && e->tuples[i].v[1] == v[1]) {
			e->tuples[i].count += count;
			return 0;
		}
	if (e->ntuples == MAX_STORED) {
		e->many = true;
		free(e->tuples);
		e->tuples = NULL;
		e->ntuples = e->cap = 0;
		return 0;
	}
	if (e->ntuples == e->cap) {
		uint32_t cap = e->cap ? 2 * e->cap : 4;
		struct tuple *nt = realloc(e->tuples, cap * sizeof(*nt));

		if (!nt)
			return -ENOMEM;
		e->tuples = nt;
		e->cap = cap;
	}
	e->tuples[e->ntuples].v[0] = v[0];
	e->tuples[e->ntuples].v[1] = v[1];
	e->tuples[e->ntuples].count = count;
	e->ntuples++;
	return 0;
}

int rec_model_sink(void *ctx, const struct rec_call *call)
{
	struct rec_model *m = ctx;
	uint32_t token = call->arch;
	struct entry *e;

	if (token == SCMP_ARCH_X86_64 && ((uint32_t)call->nr & X32_BIT) && call->nr != -1)
		token = SCMP_ARCH_X32;
	e = entry_get(m, token, call->nr);
	if (!e)
		return -ENOMEM;
	e->count++;
	if (e->learn) {
		uint64_t v[2] = {0, 0};

		for (unsigned int i = 0; i < e->learn->nargs; i++) {
			v[i] = call->args[e->learn->arg[i]];
			if (e->learn->low32[i])
				v[i] &= 0xffffffffu;
		}
		return entry_add_tuple(e, v, 1);
	}
	return 0;
}

/* ---- raw recordings ---- */

int rec_model_write_raw(const struct rec_model *m, FILE *out, const char *command)
{
	fprintf(out, "# scmp_record recording 1\n");
	if (command)
		fprintf(out, "# command: %s\n", command);
	fprintf(out, "# ABI SYSCALL COUNT [ARG=VALUE ... | many]\n");
	for (size_t i = 0; i < m->n; i++) {
		const struct entry *e = &m->e[i];
		const char *abi = sg_profile_arch_name(e->token);

		if (e->name)
			fprintf(out, "%s %s %" PRIu64 "\n", abi, e->name, e->count);
		else
			fprintf(out, "%s %" PRId32 " %" PRIu64 "\n", abi, e->nr, e->count);
		if (e->learn && e->many)
			fprintf(out, "%s %s 0 many\n", abi, e->name);
		for (uint32_t t = 0; e->learn && t < e->ntuples; t++) {
			fprintf(out, "%s %s %" PRIu64, abi, e->name, e->tuples[t].count);
			for (unsigned int a = 0; a < e->learn->nargs; a++)
				fprintf(out, " a%u=0x%" PRIx64, e->learn->arg[a],
				        e->tuples[t].v[a]);
			fputc('\n', out);
		}
	}
	return ferror(out) ? -EIO : 0;
}

static int read_fail(char *err, size_t errlen, const char *name, unsigned long line,
                     const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "%s:%lu: ", name, line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* one "ABI SYSCALL COUNT [...]" line */
static int read_line(struct rec_model *m, char *s, const char *name, unsigned long ln, char *err,
                     size_t errlen)
{
	char *abi = strtok(s, " \t\n"), *sys = strtok(NULL, " \t\n"), *cnt = strtok(NULL, " \t\n");
	char *tok, *end;
	uint64_t count, v[2] = {0, 0};
	unsigned int nv = 0;
	uint32_t token;
	struct entry *e;
	int nr;

	if (!abi)
		return 0; /* blank line */
	if (!sys || !cnt)
		return read_fail(err, errlen, name, ln, "expected ABI SYSCALL COUNT");
	token = sg_profile_arch_resolve(abi);
	if (!token)
		return read_fail(err, errlen, name, ln, "unknown ABI \"%s\"", abi);
	nr = seccomp_syscall_resolve_name_arch(token, sys);
	if (nr == __NR_SCMP_ERROR) {
		nr = (int)strtol(sys, &end, 10);
		if (*end || end == sys)
			return read_fail(err, errlen, name, ln, "unknown syscall \"%s\" on %s", sys,
			                 abi);
	}
	errno = 0;
	count = strtoull(cnt, &end, 10);
	if (*end || end == cnt || errno)
		return read_fail(err, errlen, name, ln, "bad count \"%s\"", cnt);
	if (!(e = entry_get(m, token, nr)))
		return -ENOMEM;
	tok = strtok(NULL, " \t\n");
	if (!tok) {
		e->count += count;
		return 0;
	}
	if (!e->learn)
		return read_fail(err, errlen, name, ln, "%s has no learned arguments", sys);
	if (strcmp(tok, "many") == 0) {
		e->many = true;
		free(e->tuples);
		e->tuples = NULL;
		e->ntuples = e->cap = 0;
		return 0;
	}
	for (; tok; tok = strtok(NULL, " \t\n")) {
		unsigned int a;
		int used = 0;

		if (nv == e->learn->nargs || sscanf(tok, "a%u=%n", &a, &used) != 1 || !used ||
		    a != e->learn->arg[nv])
			return read_fail(err, errlen, name, ln, "unexpected \"%s\"", tok);
		errno = 0;
		v[nv] = strtoull(tok + used, &end, 0);
		if (*end || end == tok + used || errno)
			return read_fail(err, errlen, name, ln, "bad value in \"%s\"", tok);
		nv++;
	}
	if (nv != e->learn->nargs)
		return read_fail(err, errlen, name, ln, "%s needs %u argument values", sys,
		                 e->learn->nargs);
	return entry_add_tuple(e, v, count);
}

int rec_model_read_raw(struct rec_model *m, FILE *in, const char *name, char *err, size_t errlen)
{
	char buf[1024];
	unsigned long ln = 0;
	int rc;

	while (fgets(buf, sizeof(buf), in)) {
		ln++;
		if (ln == 1 && strncmp(buf, "# scmp_record recording 1", 25) != 0)
			return read_fail(err, errlen, name, ln, "not an scmp_record recording");
		if (buf[0] == '#')
			continue;
		if ((rc = read_line(m, buf, name, ln, err, errlen)) < 0)
			return rc;
	}
	if (ferror(in))
		return read_fail(err, errlen, name, ln, "read error");
	if (ln == 0)
		return read_fail(err, errlen, name, 0, "empty file");
	return 0;
}

/* ---- the policy: a view merged by name ---- */

struct pentry {
	const char *name; /* borrowed from the model */
	const struct learnable *learn;
	bool uncond; /* allowed whatever its arguments */
	uint64_t count;
	uint32_t ntuples;
	const struct tuple **tuples; /* owned array of borrowed tuples, distinct */
};

struct policy {
	size_t n;
	struct pentry *p;    /* owned, sorted by name */
	uint32_t arches[32]; /* SCMP_ARCH_* seen, native first */
	unsigned int narches;
};

static void policy_free(struct policy *pol)
{
	for (size_t i = 0; i < pol->n; i++)
		free(pol->p[i].tuples);
	free(pol->p);
}

static int cmp_pentry(const void *a, const void *b)
{
	return strcmp(((const struct pentry *)a)->name, ((const struct pentry *)b)->name);
}

static void policy_add_arch(struct policy *pol, uint32_t token)
{
	for (unsigned int i = 0; i < pol->narches; i++)
		if (pol->arches[i] == token)
			return;
	if (pol->narches < sizeof(pol->arches) / sizeof(pol->arches[0]))
		pol->arches[pol->narches++] = token;
}

static int pentry_add_tuples(struct pentry *p, const struct entry *e)
{
	for (uint32_t t = 0; t < e->ntuples; t++) {
		const struct tuple *tu = &e->tuples[t], **nt;
		bool dup = false;

		for (uint32_t k = 0; k < p->ntuples && !dup; k++)
			dup = p->tuples[k]->v[0] == tu->v[0] && p->tuples[k]->v[1] == tu->v[1];
		if (dup)
			continue;
		nt = realloc(p->tuples, (p->ntuples + 1) * sizeof(*nt));
		if (!nt)
			return -ENOMEM;
		p->tuples = nt;
		p->tuples[p->ntuples++] = tu;
	}
	return 0;
}

static int policy_make(const struct rec_model *m, const struct rec_policy_opts *o,
                       struct policy *pol)
{
	int rc = 0;

	memset(pol, 0, sizeof(*pol));
	policy_add_arch(pol, seccomp_arch_native());
	if (m->n && !(pol->p = calloc(m->n, sizeof(*pol->p))))
		return -ENOMEM;
	for (size_t i = 0; i < m->n && rc == 0; i++) {
		const struct entry *e = &m->e[i];
		struct pentry *p = NULL;

		if (!e->name)
			continue; /* a number no syscall has cannot be named in a policy */
		policy_add_arch(pol, e->token);
		for (size_t k = 0; k < pol->n && !p; k++)
			if (strcmp(pol->p[k].name, e->name) == 0)
				p = &pol->p[k];
		if (!p) {
			p = &pol->p[pol->n++];
			p->name = e->name;
			p->learn = e->learn;
		}
		p->count += e->count;
		/* conditions only where every call was seen with its values */
		if (!o->args || !e->learn || e->many || e->ntuples == 0)
			p->uncond = true;
		else
			rc = pentry_add_tuples(p, e);
	}
	for (size_t i = 0; i < pol->n; i++)
		if (pol->p[i].ntuples > o->max_values)
			pol->p[i].uncond = true;
	if (pol->n)
		qsort(pol->p, pol->n, sizeof(*pol->p), cmp_pentry);
	if (rc < 0)
		policy_free(pol);
	return rc;
}

/* the conditions of one tuple, as libseccomp comparisons */
static unsigned int tuple_conds(const struct pentry *p, const struct tuple *t,
                                struct scmp_arg_cmp *c)
{
	for (unsigned int a = 0; a < p->learn->nargs; a++) {
		c[a].arg = p->learn->arg[a];
		if (p->learn->low32[a]) {
			c[a].op = SCMP_CMP_MASKED_EQ;
			c[a].datum_a = 0xffffffffu;
			c[a].datum_b = t->v[a];
		} else {
			c[a].op = SCMP_CMP_EQ;
			c[a].datum_a = t->v[a];
			c[a].datum_b = 0;
		}
	}
	return p->learn->nargs;
}

int rec_model_build(const struct rec_model *m, struct rec_policy_opts *o, scmp_filter_ctx *out)
{
	struct policy pol;
	scmp_filter_ctx ctx;
	int rc = policy_make(m, o, &pol);

	if (rc < 0)
		return rc;
	if (!(ctx = seccomp_init(o->def_action))) {
		policy_free(&pol);
		return -EINVAL;
	}
	for (unsigned int i = 1; i < pol.narches && rc == 0; i++)
		rc = seccomp_arch_add(ctx, pol.arches[i]);
	for (size_t i = 0; i < pol.n && rc == 0; i++) {
		const struct pentry *p = &pol.p[i];
		int nr = seccomp_syscall_resolve_name(p->name);

		if (p->uncond) {
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
			continue;
		}
		for (uint32_t t = 0; t < p->ntuples && rc == 0; t++) {
			struct scmp_arg_cmp c[2];
			unsigned int n = tuple_conds(p, p->tuples[t], c);

			rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, n, c);
		}
	}
	policy_free(&pol);
	/* auto: the newest release among the calls the policy names, as scmp_compile's
	 * --enosys-after auto (sysgate is linked in: a context is its rule database) */
	if (rc == 0 && o->kvmax == REC_KV_AUTO) {
		o->kvmax = (int)sg_ir_newest_named_kver((const struct sg_filter *)ctx);
		if (o->kvmax <= SCMP_KV_UNDEF)
			o->kvmax = SCMP_KV_3_0;
	}
	if (rc == 0 && o->kvmax > 0)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX, (uint32_t)o->kvmax);
	if (rc < 0) {
		seccomp_release(ctx);
		return rc;
	}
	*out = ctx;
	return 0;
}

/* the default action as OCI JSON members, and as a C expression */
static void action_json(uint32_t act, FILE *out)
{
	switch (act & 0xffff0000u) {
	case SCMP_ACT_ERRNO(0):
		fprintf(out, "\"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"defaultErrnoRet\": %u,\n",
		        act & 0xffffu);
		return;
	case SCMP_ACT_KILL_PROCESS:
		fprintf(out, "\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\",\n");
		return;
	case SCMP_ACT_KILL_THREAD:
		fprintf(out, "\"defaultAction\": \"SCMP_ACT_KILL_THREAD\",\n");
		return;
	case SCMP_ACT_TRAP:
		fprintf(out, "\"defaultAction\": \"SCMP_ACT_TRAP\",\n");
		return;
	case SCMP_ACT_LOG:
		fprintf(out, "\"defaultAction\": \"SCMP_ACT_LOG\",\n");
		return;
	}
	fprintf(out, "\"defaultAction\": \"SCMP_ACT_ALLOW\",\n");
}

static void action_c(uint32_t act, FILE *out)
{
	switch (act & 0xffff0000u) {
	case SCMP_ACT_ERRNO(0):
		switch (act & 0xffffu) {
		case EPERM:
			fprintf(out, "SCMP_ACT_ERRNO(EPERM)");
			return;
		case ENOSYS:
			fprintf(out, "SCMP_ACT_ERRNO(ENOSYS)");
			return;
		}
		fprintf(out, "SCMP_ACT_ERRNO(%u)", act & 0xffffu);
		return;
	case SCMP_ACT_KILL_PROCESS:
		fprintf(out, "SCMP_ACT_KILL_PROCESS");
		return;
	case SCMP_ACT_KILL_THREAD:
		fprintf(out, "SCMP_ACT_KILL_THREAD");
		return;
	case SCMP_ACT_TRAP:
		fprintf(out, "SCMP_ACT_TRAP");
		return;
	case SCMP_ACT_LOG:
		fprintf(out, "SCMP_ACT_LOG");
		return;
	}
	fprintf(out, "SCMP_ACT_ALLOW");
}

static void arch_const(uint32_t token, FILE *out)
{
	fputs("SCMP_ARCH_", out);
	for (const char *s = sg_profile_arch_name(token); *s; s++)
		fputc(toupper((unsigned char)*s), out);
}

int rec_model_write_json(const struct rec_model *m, const struct rec_policy_opts *o, FILE *out)
{
	struct policy pol;
	bool first = true;
	size_t nuncond = 0;
	int rc = policy_make(m, o, &pol);

	if (rc < 0)
		return rc;
	fprintf(out, "{\n  ");
	action_json(o->def_action, out);
	fprintf(out, "  \"architectures\": [");
	for (unsigned int i = 0; i < pol.narches; i++) {
		fputs(i ? ", \"" : "\"", out);
		arch_const(pol.arches[i], out);
		fputc('"', out);
	}
	fprintf(out, "],\n  \"syscalls\": [\n");
	for (size_t i = 0; i < pol.n; i++)
		nuncond += pol.p[i].uncond;
	if (nuncond) {
		size_t k = 0;

		fprintf(out, "    {\n      \"names\": [");
		for (size_t i = 0; i < pol.n; i++) {
			if (!pol.p[i].uncond)
				continue;
			fprintf(out, "%s\n        \"%s\"", k++ ? "," : "", pol.p[i].name);
		}
		fprintf(out, "\n      ],\n      \"action\": \"SCMP_ACT_ALLOW\"\n    }");
		first = false;
	}
	for (size_t i = 0; i < pol.n; i++) {
		const struct pentry *p = &pol.p[i];

		for (uint32_t t = 0; !p->uncond && t < p->ntuples; t++) {
			struct scmp_arg_cmp c[2];
			unsigned int n = tuple_conds(p, p->tuples[t], c);

			fprintf(out, "%s    {\n      \"names\": [\"%s\"],\n", first ? "" : ",\n",
			        p->name);
			fprintf(out, "      \"action\": \"SCMP_ACT_ALLOW\",\n      \"args\": [\n");
			for (unsigned int a = 0; a < n; a++)
				fprintf(out,
				        "        {\"index\": %u, \"value\": %" PRIu64
				        ", \"valueTwo\": %" PRIu64 ", \"op\": \"%s\"}%s\n",
				        c[a].arg, (uint64_t)c[a].datum_a, (uint64_t)c[a].datum_b,
				        c[a].op == SCMP_CMP_EQ ? "SCMP_CMP_EQ"
				                               : "SCMP_CMP_MASKED_EQ",
				        a + 1 < n ? "," : "");
			fprintf(out, "      ]\n    }");
			first = false;
		}
	}
	fprintf(out, "%s  ]\n}\n", first ? "" : "\n");
	policy_free(&pol);
	return ferror(out) ? -EIO : 0;
}

int rec_model_write_c(const struct rec_model *m, const struct rec_policy_opts *o, FILE *out)
{
	struct policy pol;
	int rc = policy_make(m, o, &pol);

	if (rc < 0)
		return rc;
	fprintf(out, "/* seccomp policy recorded by scmp_record%s%s: review it before use */\n",
	        o->command ? " from: " : "", o->command ? o->command : "");
	fprintf(out, "#include <errno.h>\n#include <stddef.h>\n#include <seccomp.h>\n\n");
	fprintf(out, "/* returns 0 once the filter is loaded, or a negative errno */\n");
	fprintf(out, "static int install_filter(void)\n{\n");
	fprintf(out, "\tstatic const int allowed[] = {\n");
	for (size_t i = 0; i < pol.n; i++)
		if (pol.p[i].uncond)
			fprintf(out, "\t\tSCMP_SYS(%s),\n", pol.p[i].name);
	fprintf(out, "\t};\n\tscmp_filter_ctx ctx = seccomp_init(");
	action_c(o->def_action, out);
	fprintf(out, ");\n\tint rc = ctx ? 0 : -ENOMEM;\n\n");
	if (o->kvmax > 0) {
		/* ENOSYS for what is newer than the release: glibc and Go fall back */
		fprintf(out,
		        "\tif (rc == 0)\n\t\trc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX, "
		        "SCMP_KV_");
		for (const char *k = sg_kver_name((unsigned int)o->kvmax); k && *k; k++)
			fputc(*k == '.' ? '_' : *k, out);
		fprintf(out, ");\n");
	}
	for (unsigned int i = 1; i < pol.narches; i++) {
		fprintf(out, "\tif (rc == 0)\n\t\trc = seccomp_arch_add(ctx, ");
		arch_const(pol.arches[i], out);
		fprintf(out, ");\n");
	}
	fprintf(out, "\tfor (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]) && rc == 0; "
	             "i++)\n\t\trc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0);\n");
	for (size_t i = 0; i < pol.n; i++) {
		const struct pentry *p = &pol.p[i];

		for (uint32_t t = 0; !p->uncond && t < p->ntuples; t++) {
			struct scmp_arg_cmp c[2];
			unsigned int n = tuple_conds(p, p->tuples[t], c);

			fprintf(out,
			        "\tif (rc == 0)\n\t\trc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, "
			        "SCMP_SYS(%s), %u",
			        p->name, n);
			for (unsigned int a = 0; a < n; a++) {
				if (c[a].op == SCMP_CMP_EQ)
					fprintf(
					    out,
					    ",\n\t\t                      SCMP_A%u(SCMP_CMP_EQ, "
					    "0x%" PRIx64 ")",
					    c[a].arg, (uint64_t)c[a].datum_a);
				else
					fprintf(out,
					        ",\n\t\t                      "
					        "SCMP_A%u(SCMP_CMP_MASKED_EQ, "
					        "0xffffffff, 0x%" PRIx64 ")",
					        c[a].arg, (uint64_t)c[a].datum_b);
			}
			fprintf(out, ");\n");
		}
	}
	fprintf(out, "\tif (rc == 0)\n\t\trc = seccomp_load(ctx);\n\tseccomp_release(ctx);\n"
	             "\treturn rc;\n}\n");
	policy_free(&pol);
	return ferror(out) ? -EIO : 0;
}
