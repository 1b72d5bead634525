/*
 * profile_build.c - compile OCI / Docker seccomp profiles through the public libseccomp API
 *
 * The parsed profile (profile_json.c) is turned into one filter context per group of
 * architectures that need the same rules, merged at the end. Which entries apply follows
 * includes / excludes for the capabilities, kernel and architecture the caller gives.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>

#include "profile_int.h"

/* libseccomp 2.5 headers (the module also builds against them) lack this 2.6 attribute */
#if SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR < 6
#define SCMP_FLTATR_CTL_WAITKILL ((enum scmp_filter_attr)10)
#endif

/*
 * includes / excludes, as dockerd evaluates them: an entry is dropped if the architecture
 * is excluded, if ANY excluded capability is held or the kernel reaches the excluded
 * minKernel; it is kept only if the architecture is included, ALL included capabilities are
 * held and the kernel reaches the included minKernel.
 */

static bool cap_eq(const char *a, const char *b)
{
	if (strncasecmp(a, "CAP_", 4) == 0)
		a += 4;
	if (strncasecmp(b, "CAP_", 4) == 0)
		b += 4;
	return strcasecmp(a, b) == 0;
}

static bool cap_held(const struct sg_profile_opts *o, const char *cap)
{
	size_t i;

	if (o->all_caps)
		return true;
	for (i = 0; o->caps && i < o->ncaps; i++)
		if (o->caps[i] && cap_eq(o->caps[i], cap))
			return true;
	return false;
}

static bool arch_listed(const struct sel *s, uint32_t arch)
{
	size_t i;

	for (i = 0; i < s->narches; i++)
		if (s->arches[i] == arch)
			return true;
	return false;
}

static bool kernel_ge(unsigned int kmaj, unsigned int kmin, const struct sel *s)
{
	return kmaj > s->kmaj || (kmaj == s->kmaj && kmin >= s->kmin);
}

static bool entry_applies(const struct entry *e, uint32_t arch, const struct sg_profile_opts *o,
                          unsigned int kmaj, unsigned int kmin)
{
	size_t i;

	if (e->exc.narches && arch_listed(&e->exc, arch))
		return false;
	for (i = 0; i < e->exc.ncaps; i++)
		if (cap_held(o, e->exc.caps[i]))
			return false;
	if (e->exc.has_kernel && kernel_ge(kmaj, kmin, &e->exc))
		return false;
	if (e->inc.narches && !arch_listed(&e->inc, arch))
		return false;
	for (i = 0; i < e->inc.ncaps; i++)
		if (!cap_held(o, e->inc.caps[i]))
			return false;
	if (e->inc.has_kernel && !kernel_ge(kmaj, kmin, &e->inc))
		return false;
	return true;
}

/*
 * Building the filter
 */

struct group {
	uint32_t arches[MAX_ARCHES + 1];
	size_t narches;
	unsigned char *use; /* per entry: applies to this group */
	int dom;            /* 0: 64-bit arguments, 1: 32-bit */
};

static const char *act_str(uint32_t act, char *buf, size_t len)
{
	switch (act & 0xffff0000u) {
	case SCMP_ACT_ERRNO(0):
		snprintf(buf, len, "SCMP_ACT_ERRNO(%u)", act & 0xffffu);
		return buf;
	case SCMP_ACT_TRACE(0):
		snprintf(buf, len, "SCMP_ACT_TRACE(%u)", act & 0xffffu);
		return buf;
	}
	switch (act) {
	case SCMP_ACT_KILL_PROCESS:
		return "SCMP_ACT_KILL_PROCESS";
	case SCMP_ACT_KILL_THREAD:
		return "SCMP_ACT_KILL_THREAD";
	case SCMP_ACT_TRAP:
		return "SCMP_ACT_TRAP";
	case SCMP_ACT_LOG:
		return "SCMP_ACT_LOG";
	case SCMP_ACT_ALLOW:
		return "SCMP_ACT_ALLOW";
	case SCMP_ACT_NOTIFY:
		return "SCMP_ACT_NOTIFY";
	}
	snprintf(buf, len, "0x%08x", act);
	return buf;
}

/* add the entry's rules, for every name or (only != NULL) for the names that resolve to *only */
static int add_entry_rules(struct msg *m, const int *only, scmp_filter_ctx ctx,
                           const struct entry *e, int d, unsigned int *nrules)
{
	size_t i;
	int a;

	for (i = 0; i < e->nnames; i++) {
		int nr = seccomp_syscall_resolve_name(e->names[i]);
		int idx[6] = {0};

		if (nr == __NR_SCMP_ERROR)
			continue; /* warned about once, before building */
		if (only && nr != *only)
			continue;
		for (;;) {
			struct scmp_arg_cmp cmp[6];
			unsigned int n = 0;
			int rc;

			for (a = 0; a < 6; a++)
				if (e->natoms[d][a] > 0 && e->atoms[d][a][idx[a]].op != OP_TRUE)
					cmp[n++] = e->atoms[d][a][idx[a]];
			rc = seccomp_rule_add_array(ctx, e->action, nr, n, n ? cmp : NULL);
			if (rc < 0) {
				char buf[32];

				return pf_fail(m, rc,
				               "syscalls[%zu] (%s): cannot add the rule for \"%s\" "
				               "(%s): %s",
				               e->idx, e->label, e->names[i],
				               act_str(e->action, buf, sizeof(buf)),
				               rc == -EEXIST
				                   ? "an earlier entry has the same conditions "
				                     "with another action"
				                   : strerror(-rc));
			}
			(*nrules)++;
			/* next combination of one comparison per argument */
			for (a = 0; a < 6; a++) {
				if (e->natoms[d][a] <= 0)
					continue;
				if (++idx[a] < e->natoms[d][a])
					break;
				idx[a] = 0;
			}
			if (a == 6)
				break;
		}
	}
	return 0;
}

/*
 * Through socketcall(2)/ipc(2) the arguments of a socket or SysV IPC call cannot be tested
 * (they are in memory, or in other registers): the library applies such a conditional rule to
 * every multiplexed call when it is more restrictive than the default, to none otherwise
 * (seccomp_rule_add(3)). Say so, once per entry, name and ABI.
 */
static void warn_multiplexed(const struct sg_profile_opts *o, const struct profile *p,
                             const struct group *g, const struct entry *e)
{
	if (e->nconds == 0)
		return;
	for (size_t n = 0; n < e->nnames; n++) {
		for (size_t i = 0; i < g->narches; i++) {
			uint32_t tok = g->arches[i];
			const char *name = e->names[n];
			int mux = seccomp_syscall_resolve_name_rewrite(tok, name);
			if (mux < 0 || mux == seccomp_syscall_resolve_name_arch(tok, name))
				continue;
			pf_warn(
			    o,
			    "syscalls[%zu] (%s): on %s, the arguments of \"%s\" cannot be tested "
			    "through %s: the rule applies there to %s",
			    e->idx, e->label, sg_profile_arch_name(tok), name,
			    mux == seccomp_syscall_resolve_name_arch(tok, "socketcall")
			        ? "socketcall"
			        : "ipc",
			    (int32_t)e->action < (int32_t)p->def_action
			        ? "every such call (fails closed)"
			        : "no such call (other rules or the default action decide)");
		}
	}
}

/* the group's filter: every entry that applies, or (only != NULL) their rules on *only */
static int build_group(struct msg *m, const int *only, const struct profile *p,
                       const struct group *g, scmp_filter_ctx *out, unsigned int *nrules)
{
	uint32_t host = seccomp_arch_native();
	scmp_filter_ctx ctx;
	bool has_host = false;
	size_t i;
	int rc;

	ctx = seccomp_init(p->def_action);
	if (!ctx) {
		char buf[32];

		return pf_fail(m, -EINVAL,
		               "defaultAction: the library refused the action %s (not supported by "
		               "this kernel?)",
		               act_str(p->def_action, buf, sizeof(buf)));
	}
	for (i = 0; i < g->narches; i++)
		if (g->arches[i] == host)
			has_host = true;
	/* removing the only arch first lets a filter of the other byte order be built */
	if (!has_host && (rc = seccomp_arch_remove(ctx, host)) < 0) {
		pf_fail(m, rc, "cannot remove the native architecture: %s", strerror(-rc));
		goto err;
	}
	for (i = 0; i < g->narches; i++) {
		if (g->arches[i] == host)
			continue;
		rc = seccomp_arch_add(ctx, g->arches[i]);
		if (rc < 0 && rc != -EEXIST) {
			pf_fail(m, rc, "cannot add architecture %s: %s",
			        sg_profile_arch_name(g->arches[i]), strerror(-rc));
			goto err;
		}
	}
	for (i = 0; i < p->nent; i++) {
		if (!g->use[i])
			continue;
		if ((rc = add_entry_rules(m, only, ctx, &p->ent[i], g->dom, nrules)) < 0)
			goto err;
	}
	*out = ctx;
	return 0;
err:
	seccomp_release(ctx);
	return rc;
}

static int set_attrs(struct msg *m, const struct sg_profile_opts *o, const struct profile *p,
                     scmp_filter_ctx ctx);

/* the kernel's BPF_MAXINSNS */
#define KERNEL_MAX_INSNS 4096

/*
 * The filter's length in instructions; SIZE_MAX when the library will not compile it and
 * does not say how long it would be, 0 when the library cannot export to memory (< 2.6)
 */
static size_t filter_insns(scmp_filter_ctx ctx)
{
#if SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6)
	size_t n = 0;

	/* sysgate refuses a program over the kernel's limit but still stores its size */
	if (seccomp_export_bpf_mem(ctx, NULL, &n) < 0 && n == 0)
		return SIZE_MAX;
	return n / 8; /* struct sock_filter */
#else
	(void)ctx;
	return 0;
#endif
}

/* insert c into the list of the largest n (of max), largest first */
static void cost_insert(struct sg_profile_cost *list, unsigned int *n, size_t max,
                        const struct sg_profile_cost *c)
{
	size_t i = *n < max ? (*n)++ : max;

	if (i == max && (max == 0 || list[max - 1].insns >= c->insns))
		return;
	if (i == max)
		i = max - 1;
	for (; i > 0 && list[i - 1].insns < c->insns; i--)
		list[i] = list[i - 1];
	list[i] = *c;
}

/* one group: what each syscall's rules add to its empty filter */
static int group_costs(struct msg *m, const struct sg_profile_opts *o, const struct profile *p,
                       const struct group *g)
{
	struct sg_profile_cost c = {.arch = g->arches[0], .ngroup = (unsigned int)g->narches};
	scmp_filter_ctx ctx;
	const char **names;
	size_t base, i, j, k, n = 0, total = 0;
	int none = __NR_SCMP_ERROR, *nrs, rc;
	unsigned int nrules = 0;

	if ((rc = build_group(m, &none, p, g, &ctx, &nrules)) < 0)
		return rc;
	rc = set_attrs(m, o, p, ctx);
	base = filter_insns(ctx);
	seccomp_release(ctx);
	if (rc < 0 || base == SIZE_MAX)
		return rc;
	/* the distinct syscalls of the entries that apply, each under its first name */
	for (i = 0; i < p->nent; i++)
		total += g->use[i] ? p->ent[i].nnames : 0;
	nrs = calloc(total ? total : 1, sizeof(*nrs));
	names = calloc(total ? total : 1, sizeof(*names));
	if (!nrs || !names) {
		rc = pf_fail(m, -ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < p->nent; i++)
		for (j = 0; g->use[i] && j < p->ent[i].nnames; j++) {
			int nr = seccomp_syscall_resolve_name(p->ent[i].names[j]);

			for (k = 0; k < n && nrs[k] != nr; k++)
				;
			if (nr != __NR_SCMP_ERROR && k == n) {
				nrs[n] = nr;
				names[n++] = p->ent[i].names[j];
			}
		}
	for (k = 0; k < n; k++) {
		size_t len;

		c.rules = 0;
		if ((rc = build_group(m, &nrs[k], p, g, &ctx, &c.rules)) < 0)
			goto out;
		rc = set_attrs(m, o, p, ctx);
		len = filter_insns(ctx);
		seccomp_release(ctx);
		if (rc < 0)
			goto out;
		c.insns = len == SIZE_MAX ? SIZE_MAX : len > base ? len - base : 0;
		snprintf(c.name, sizeof(c.name), "%s", names[k]);
		cost_insert(o->costs, &o->stats->costs, o->max_costs, &c);
	}
out:
	free(nrs);
	free(names);
	return rc;
}

static int set_attrs(struct msg *m, const struct sg_profile_opts *o, const struct profile *p,
                     scmp_filter_ctx ctx)
{
	static const struct {
		size_t off;
		enum scmp_filter_attr attr;
		const char *flag;
	} map[] = {
	    {offsetof(struct profile, flag_tsync), SCMP_FLTATR_CTL_TSYNC,
	     "SECCOMP_FILTER_FLAG_TSYNC"},
	    {offsetof(struct profile, flag_log), SCMP_FLTATR_CTL_LOG, "SECCOMP_FILTER_FLAG_LOG"},
	    {offsetof(struct profile, flag_ssb), SCMP_FLTATR_CTL_SSB,
	     "SECCOMP_FILTER_FLAG_SPEC_ALLOW"},
	    {offsetof(struct profile, flag_waitkill), SCMP_FLTATR_CTL_WAITKILL,
	     "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"},
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (!*(const bool *)((const char *)p + map[i].off))
			continue;
		if ((rc = seccomp_attr_set(ctx, map[i].attr, 1)) < 0)
			return pf_fail(m, rc, "flags: %s: %s", map[i].flag,
			               rc == -EOPNOTSUPP ? "not supported by this kernel or library"
			                                 : strerror(-rc));
	}
	if (o->optimize && (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, o->optimize)) < 0)
		return pf_fail(m, rc, "optimization level %u: %s", o->optimize, strerror(-rc));
	return 0;
}

static void running_kernel(unsigned int *maj, unsigned int *min)
{
	struct utsname u;

	*maj = *min = 0;
	if (uname(&u) == 0 && sscanf(u.release, "%u.%u", maj, min) != 2)
		*maj = *min = 0;
}

/* one warning per entry listing the names no architecture knows */
static void warn_unknown(const struct sg_profile_opts *o, const struct entry *e)
{
	char *list = NULL;
	size_t len = 0, i, n = 0;
	FILE *f = o->warn ? open_memstream(&list, &len) : NULL;

	for (i = 0; i < e->nnames; i++) {
		if (seccomp_syscall_resolve_name(e->names[i]) != __NR_SCMP_ERROR)
			continue;
		if (f)
			fprintf(f, "%s\"%s\"", n ? ", " : "", e->names[i]);
		n++;
		if (o->stats)
			o->stats->names_unknown++;
	}
	if (f && fclose(f) == 0 && n)
		pf_warn(o, "syscalls[%zu] (%s): unknown syscall%s skipped: %s", e->idx, e->label,
		        n > 1 ? "s" : "", list);
	free(list);
}

/* the architectures of the filter: native first, then what the profile selects */
static size_t select_arches(const struct sg_profile_opts *o, const struct profile *p,
                            uint32_t native, uint32_t *arches)
{
	bool all = o->all_arches || p->has_arches;
	const uint32_t *src = all ? p->arches : p->mapped;
	size_t nsrc = all ? p->narches : p->nmapped, n = 0, i, j;

	arches[n++] = native;
	for (i = 0; i < nsrc; i++) {
		for (j = 0; j < n; j++)
			if (arches[j] == src[i])
				break;
		if (j < n)
			continue;
		/* libseccomp cannot mix byte orders in one filter */
		if ((src[i] & TOK_LE) != (native & TOK_LE)) {
			pf_warn(o, "architecture %s skipped: its byte order differs from %s",
			        sg_profile_arch_name(src[i]), sg_profile_arch_name(native));
			continue;
		}
		arches[n++] = src[i];
	}
	if (p->has_archmap && !p->mapped_found && !o->all_arches)
		pf_warn(o, "archMap has no entry for %s: the filter covers %s only",
		        sg_profile_arch_name(native), sg_profile_arch_name(native));
	return n;
}

/*
 * Group the architectures that need exactly the same rules: the same entries apply (includes
 * and excludes are matched against `native`, or against each architecture with all_arches)
 * and, when some rewriting depends on it, the same argument width.
 */
static int group_arches(struct msg *m, const struct sg_profile_opts *o, const struct profile *p,
                        const uint32_t *arches, size_t narches, uint32_t native, bool width_matters,
                        unsigned int kmaj, unsigned int kmin, struct group *groups, size_t *ngroups)
{
	size_t i, j, k;

	for (i = 0; i < narches; i++) {
		uint32_t eval = o->all_arches ? arches[i] : native;
		int dom = width_matters && !pf_arch_is_64(arches[i]) ? 1 : 0;
		unsigned char *use = calloc(p->nent ? p->nent : 1, 1);

		if (!use)
			return pf_fail(m, -ENOMEM, "out of memory");
		for (k = 0; k < p->nent; k++)
			use[k] = entry_applies(&p->ent[k], eval, o, kmaj, kmin);
		for (j = 0; j < *ngroups; j++)
			if (groups[j].dom == dom && memcmp(groups[j].use, use, p->nent) == 0)
				break;
		if (j < *ngroups) {
			free(use);
		} else {
			groups[j].use = use;
			groups[j].dom = dom;
			(*ngroups)++;
		}
		groups[j].arches[groups[j].narches++] = arches[i];
	}
	return 0;
}

static int compile(struct msg *m, const struct sg_profile_opts *o, const char *text,
                   scmp_filter_ctx *out)
{
	struct profile p = {0};
	struct group *groups = NULL;
	size_t ngroups = 0, i, j;
	uint32_t native, arches[MAX_ARCHES + 1];
	size_t narches = 0;
	unsigned int kmaj = o->kernel_major, kmin = o->kernel_minor, nrules = 0;
	bool width_matters = false;
	scmp_filter_ctx ctx = NULL;
	int rc;

	native = o->native_arch ? o->native_arch : seccomp_arch_native();
	if (!kmaj && !kmin)
		running_kernel(&kmaj, &kmin);
	if ((rc = pf_parse(m, o, text, native, &p)) < 0)
		goto out;

	narches = select_arches(o, &p, native, arches);

	/* rewrite same-argument conditions; warn about names nothing knows */
	for (i = 0; i < p.nent; i++) {
		struct entry *e = &p.ent[i];

		if ((rc = pf_split_entry(m, e)) < 0)
			goto out;
		if (pf_entry_rules(e, 0) > MAX_RULES || pf_entry_rules(e, 1) > MAX_RULES) {
			rc =
			    pf_fail(m, -E2BIG,
			            "syscalls[%zu] (%s): args: expressing these conditions exactly "
			            "needs more than %d rules per syscall",
			            i, e->label, MAX_RULES);
			goto out;
		}
		if (e->width_differs)
			width_matters = true;
		if (o->stats && e->split)
			o->stats->split_entries++;
		warn_unknown(o, e);
	}

	groups = calloc(narches, sizeof(*groups));
	if (!groups) {
		rc = pf_fail(m, -ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = group_arches(m, o, &p, arches, narches, native, width_matters, kmaj, kmin, groups,
	                       &ngroups)) < 0)
		goto out;

	/* drop entries equal to the default action and those that can never match */
	for (i = 0; i < p.nent; i++) {
		struct entry *e = &p.ent[i];
		bool used = false, empty = false, nonempty = false;

		for (j = 0; j < ngroups; j++) {
			if (!groups[j].use[i])
				continue;
			used = true;
			if (e->action == p.def_action) {
				groups[j].use[i] = 0;
			} else if (pf_entry_rules(e, groups[j].dom) == 0) {
				empty = true;
				groups[j].use[i] = 0;
			} else {
				nonempty = true;
			}
		}
		if (empty)
			pf_warn(
			    o,
			    "syscalls[%zu] (%s): args: the conditions on one argument can never "
			    "all hold%s; entry ignored%s",
			    i, e->label, nonempty ? " for 32-bit arguments" : "",
			    nonempty ? " on 32-bit architectures" : "");
		if (o->stats && used) {
			o->stats->entries_used++;
			if (e->action == p.def_action)
				o->stats->rules_default += (unsigned int)e->nnames;
		}
	}

	for (i = 0; i < ngroups; i++) {
		scmp_filter_ctx g = NULL;

		for (size_t k = 0; k < p.nent; k++)
			if (groups[i].use[k])
				warn_multiplexed(o, &p, &groups[i], &p.ent[k]);
		if ((rc = build_group(m, NULL, &p, &groups[i], &g, &nrules)) < 0)
			goto out;
		if (!ctx) {
			ctx = g;
			continue;
		}
		if ((rc = seccomp_merge(ctx, g)) < 0) {
			seccomp_release(g);
			pf_fail(m, rc, "cannot merge the filters of %s and %s: %s",
			        sg_profile_arch_name(groups[0].arches[0]),
			        sg_profile_arch_name(groups[i].arches[0]), strerror(-rc));
			goto out;
		}
	}
	if ((rc = set_attrs(m, o, &p, ctx)) < 0)
		goto out;
	if (o->costs && o->max_costs && o->stats && filter_insns(ctx) > KERNEL_MAX_INSNS)
		for (i = 0; i < ngroups; i++)
			if ((rc = group_costs(m, o, &p, &groups[i])) < 0)
				goto out;

	if (o->stats) {
		struct sg_profile_stats *s = o->stats;

		s->entries = (unsigned int)p.nent;
		s->rules = nrules;
		s->arches = 0;
		for (i = 0; i < ngroups; i++)
			for (j = 0; j < groups[i].narches; j++)
				if (s->arches < sizeof(s->arch_list) / sizeof(s->arch_list[0]))
					s->arch_list[s->arches++] = groups[i].arches[j];
		s->uses_notify = p.def_action == SCMP_ACT_NOTIFY;
		for (i = 0; i < p.nent; i++)
			for (j = 0; j < ngroups; j++)
				if (groups[j].use[i] && p.ent[i].action == SCMP_ACT_NOTIFY)
					s->uses_notify = true;
	}
	*out = ctx;
	ctx = NULL;
	rc = 0;
out:
	if (ctx)
		seccomp_release(ctx);
	for (i = 0; i < ngroups; i++)
		free(groups[i].use);
	free(groups);
	pf_free(&p);
	return rc;
}

int sg_profile_compile_string(const char *json, const struct sg_profile_opts *opts,
                              scmp_filter_ctx *ctx, char *err, size_t errlen)
{
	static const struct sg_profile_opts none;
	struct msg m = {err, errlen};

	if (err && errlen)
		err[0] = '\0';
	if (!json || !ctx)
		return pf_fail(&m, -EINVAL, "no profile or no context pointer");
	*ctx = NULL;
	if (!opts)
		opts = &none;
	if (opts->stats)
		memset(opts->stats, 0, sizeof(*opts->stats));
	return compile(&m, opts, json, ctx);
}

int sg_profile_compile_file(const char *path, const struct sg_profile_opts *opts,
                            scmp_filter_ctx *ctx, char *err, size_t errlen)
{
	struct msg m = {err, errlen};
	char *buf = NULL;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (!path || !ctx)
		return pf_fail(&m, -EINVAL, "no profile or no context pointer");
	*ctx = NULL;
	if ((rc = pf_read_file(&m, path, &buf)) < 0)
		return rc;
	rc = sg_profile_compile_string(buf, opts, ctx, err, errlen);
	if (rc < 0 && err && errlen && strncmp(err, path, strlen(path)) != 0) {
		/* prefix the file name, like a compiler would */
		char *tmp = strdup(err);

		if (tmp) {
			snprintf(err, errlen, "%s: %s", path, tmp);
			free(tmp);
		}
	}
	free(buf);
	return rc;
}
