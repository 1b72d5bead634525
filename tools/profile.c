/*
 * profile.c - compile OCI / Docker seccomp profiles (JSON) through the public libseccomp API
 *
 * The profile is parsed and validated completely first (so a mistake in an entry that the
 * current capabilities or architecture would exclude is still reported), then turned into
 * one filter context per group of architectures that need the same rules, merged at the end.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <json-c/json.h>

#include "profile.h"

/* the conjunction on one argument may expand to this many comparisons ... */
#define MAX_ATOMS 256
/* ... and one entry to this many rules per syscall (the product over its arguments) */
#define MAX_RULES 256
/* profiles are small; this only guards against feeding the tool something silly */
#define MAX_PROFILE_SIZE (16u << 20)

/* token bits (kernel AUDIT_ARCH_* convention, which the SCMP_ARCH_* tokens follow) */
#define TOK_64BIT 0x80000000u
#define TOK_LE    0x40000000u
#define TOK_N32   0x20000000u

/* libseccomp 2.5 headers (the module also builds against them) lack this 2.6 attribute */
#if SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR < 6
#define SCMP_FLTATR_CTL_WAITKILL ((enum scmp_filter_attr)10)
#endif

/* op 0 in a split result: no comparison needed on that argument */
#define OP_TRUE ((enum scmp_compare)0)

/*
 * Small helpers
 */

struct msg {
	char *buf;
	size_t len;
};

static int fail(struct msg *m, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct msg *m, int rc, const char *fmt, ...)
{
	va_list ap;

	if (m->buf && m->len) {
		va_start(ap, fmt);
		vsnprintf(m->buf, m->len, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static void warn(const struct sg_profile_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void warn(const struct sg_profile_opts *o, const char *fmt, ...)
{
	va_list ap;

	if (!o->warn)
		return;
	if (o->warn_prefix)
		fprintf(o->warn, "%s: ", o->warn_prefix);
	fputs("warning: ", o->warn);
	va_start(ap, fmt);
	vfprintf(o->warn, fmt, ap);
	va_end(ap);
	fputc('\n', o->warn);
}

/*
 * Architectures
 */

/* libseccomp's own names, in the order sg_profile_arch_name() searches them */
static const char *const arch_names[] = {
    "x86_64",   "x86",    "x32",    "aarch64",  "arm",       "loongarch64", "m68k",
    "mips",     "mipsel", "mips64", "mipsel64", "mips64n32", "mipsel64n32", "parisc",
    "parisc64", "ppc",    "ppc64",  "ppc64le",  "s390",      "s390x",       "riscv64",
    "riscv32",  "sheb",   "sh",     "csky",     "xtensa",
};

/* other spellings found in profiles: Go's GOARCH values and a few distribution names */
static const struct {
	const char *alias, *name;
} arch_aliases[] = {
    {"amd64", "x86_64"},
    {"386", "x86"},
    {"i386", "x86"},
    {"i686", "x86"},
    {"arm64", "aarch64"},
    {"loong64", "loongarch64"},
    {"mipsle", "mipsel"},
    {"mips64le", "mipsel64"},
    {"mips64p32", "mips64n32"},
    {"mips64p32le", "mipsel64n32"},
    {"mips64n32le", "mipsel64n32"},
    {"hppa", "parisc"},
    {"hppa64", "parisc64"},
    {"powerpc", "ppc"},
    {"powerpc64", "ppc64"},
    {"powerpc64le", "ppc64le"},
};

uint32_t sg_profile_arch_resolve(const char *name)
{
	char low[32];
	size_t i;

	if (!name)
		return 0;
	if (strncasecmp(name, "SCMP_ARCH_", 10) == 0)
		name += 10;
	for (i = 0; name[i] && i < sizeof(low) - 1; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	if (name[i] || i == 0)
		return 0;
	low[i] = '\0';
	for (i = 0; i < sizeof(arch_aliases) / sizeof(arch_aliases[0]); i++)
		if (strcmp(low, arch_aliases[i].alias) == 0)
			return seccomp_arch_resolve_name(arch_aliases[i].name);
	/* "native" is not a name a profile may use */
	for (i = 0; i < sizeof(arch_names) / sizeof(arch_names[0]); i++)
		if (strcmp(low, arch_names[i]) == 0)
			return seccomp_arch_resolve_name(low);
	return 0;
}

const char *sg_profile_arch_name(uint32_t token)
{
	size_t i;

	for (i = 0; i < sizeof(arch_names) / sizeof(arch_names[0]); i++)
		if (token && seccomp_arch_resolve_name(arch_names[i]) == token)
			return arch_names[i];
	return "unknown";
}

/* libseccomp compares only the low argument word on these (x32 and MIPS n32 included) */
static bool arch_is_64(uint32_t tok)
{
	return (tok & TOK_64BIT) && !(tok & TOK_N32);
}

/*
 * Exact rewriting of several comparisons on the same argument (see profile.h).
 *
 * Two representations are used. Every comparison but MASKED_EQ selects one or two intervals
 * of [0, dmax]; their conjunction is a sorted list of disjoint intervals. A MASKED_EQ selects
 * a "pattern" {x : x & mask == val}; the conjunction of patterns is a single pattern. An
 * interval is also a union of at most 2*64 aligned blocks, each of which is a pattern, and
 * the intersection of two patterns is a pattern, so every mix can be written exactly as a
 * union of patterns, i.e. of MASKED_EQ (or EQ) comparisons.
 */

struct ival {
	uint64_t lo, hi;
};

struct pat {
	uint64_t mask, val; /* invariant: (val & ~mask) == 0 */
};

struct vec {
	void *p;
	size_t n, cap, sz;
};

static int vec_push(struct vec *v, const void *e)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *p = realloc(v->p, cap * v->sz);

		if (!p)
			return -ENOMEM;
		v->p = p;
		v->cap = cap;
	}
	memcpy((char *)v->p + v->n * v->sz, e, v->sz);
	v->n++;
	return 0;
}

/* the set one interval-type comparison selects, as up to two intervals */
static size_t cond_ivals(const struct scmp_arg_cmp *c, uint64_t dmax, struct ival out[2])
{
	uint64_t v = c->datum_a;

	switch (c->op) {
	case SCMP_CMP_EQ:
		if (v > dmax)
			return 0;
		out[0] = (struct ival){v, v};
		return 1;
	case SCMP_CMP_NE: {
		size_t n = 0;

		if (v > dmax) {
			out[0] = (struct ival){0, dmax};
			return 1;
		}
		if (v > 0)
			out[n++] = (struct ival){0, v - 1};
		if (v < dmax)
			out[n++] = (struct ival){v + 1, dmax};
		return n;
	}
	case SCMP_CMP_LT:
		if (v == 0)
			return 0;
		out[0] = (struct ival){0, v - 1 < dmax ? v - 1 : dmax};
		return 1;
	case SCMP_CMP_LE:
		out[0] = (struct ival){0, v < dmax ? v : dmax};
		return 1;
	case SCMP_CMP_GT:
		if (v >= dmax)
			return 0;
		out[0] = (struct ival){v + 1, dmax};
		return 1;
	case SCMP_CMP_GE:
		if (v > dmax)
			return 0;
		out[0] = (struct ival){v, dmax};
		return 1;
	default:
		return 0;
	}
}

/* a &= b for sorted disjoint interval lists; a must have room for na + nb entries */
static size_t ival_and(struct ival *a, size_t na, const struct ival *b, size_t nb)
{
	struct ival tmp[na + nb + 1];
	size_t i = 0, j = 0, n = 0;

	while (i < na && j < nb) {
		uint64_t lo = a[i].lo > b[j].lo ? a[i].lo : b[j].lo;
		uint64_t hi = a[i].hi < b[j].hi ? a[i].hi : b[j].hi;

		if (lo <= hi)
			tmp[n++] = (struct ival){lo, hi};
		if (a[i].hi < b[j].hi)
			i++;
		else
			j++;
	}
	memcpy(a, tmp, n * sizeof(*a));
	return n;
}

/* append the aligned blocks whose union is [lo, hi] */
static int ival_blocks(uint64_t lo, uint64_t hi, struct vec *out)
{
	for (;;) {
		unsigned int k = lo ? (unsigned int)__builtin_ctzll(lo) : 64;
		uint64_t last;
		struct pat p;

		/* the largest aligned block starting at lo that stays within hi */
		for (;; k--) {
			last = k == 64 ? UINT64_MAX : lo | ((UINT64_C(1) << k) - 1);
			if (last <= hi)
				break;
		}
		p.mask = k == 64 ? 0 : ~((UINT64_C(1) << k) - 1);
		p.val = lo;
		if (vec_push(out, &p))
			return -ENOMEM;
		if (last >= hi)
			return 0;
		lo = last + 1;
	}
}

static bool pat_and(struct pat a, struct pat b, struct pat *r)
{
	if ((a.val ^ b.val) & a.mask & b.mask)
		return false;
	r->mask = a.mask | b.mask;
	r->val = a.val | b.val;
	return true;
}

/* a is a subset of b */
static bool pat_within(struct pat a, struct pat b)
{
	return (b.mask & ~a.mask) == 0 && ((a.val ^ b.val) & b.mask) == 0;
}

/* drop patterns contained in others and join pairs differing in one fixed bit, to fixpoint */
static size_t pat_simplify(struct pat *p, size_t n)
{
	bool changed = true;

	while (changed) {
		size_t i, j;

		changed = false;
		for (i = 0; i < n; i++) {
			for (j = 0; j < n; j++) {
				uint64_t diff;

				if (i == j)
					continue;
				diff = p[i].val ^ p[j].val;
				if (pat_within(p[j], p[i])) {
					p[j] = p[--n];
				} else if (p[i].mask == p[j].mask && diff && !(diff & (diff - 1))) {
					p[i].mask &= ~diff;
					p[i].val &= ~diff;
					p[j] = p[--n];
				} else {
					continue;
				}
				changed = true;
				if (i >= n)
					break;
				j = (size_t)-1; /* p[i] changed or p[j] was replaced: rescan */
			}
		}
	}
	return n;
}

/* whether the pattern holds any value outside the intervals */
static int pat_leaves(const struct ival *iv, size_t ni, struct pat pm, bool *leaves)
{
	struct vec blocks = {.sz = sizeof(struct pat)};
	uint64_t lo = 0;
	bool more = true;
	size_t i, j;
	int rc = 0;

	*leaves = false;
	for (i = 0; i <= ni && more && !*leaves; i++) {
		/* the gap before interval i, or after the last one */
		uint64_t hi = i < ni ? iv[i].lo - 1 : UINT64_MAX;
		struct pat t;

		if (i == ni || iv[i].lo > lo) {
			blocks.n = 0;
			if ((rc = ival_blocks(lo, hi, &blocks)))
				break;
			for (j = 0; j < blocks.n && !*leaves; j++)
				*leaves = pat_and(((struct pat *)blocks.p)[j], pm, &t);
		}
		if (i < ni) {
			more = iv[i].hi != UINT64_MAX;
			lo = iv[i].hi + 1;
		}
	}
	free(blocks.p);
	return rc;
}

static void emit(struct scmp_arg_cmp *out, size_t *n, unsigned int arg, enum scmp_compare op,
                 uint64_t a, uint64_t b)
{
	out[*n] = (struct scmp_arg_cmp){.arg = arg, .op = op, .datum_a = a, .datum_b = b};
	(*n)++;
}

static int emit_pats(const struct pat *p, size_t np, unsigned int arg, uint64_t dmax,
                     struct scmp_arg_cmp *out, size_t *n, size_t max)
{
	size_t i;

	for (i = 0; i < np; i++) {
		uint64_t m = p[i].mask & dmax;

		if (*n >= max)
			return -E2BIG;
		if (m == 0)
			emit(out, n, arg, OP_TRUE, 0, 0);
		else if (m == dmax)
			emit(out, n, arg, SCMP_CMP_EQ, p[i].val, 0);
		else
			emit(out, n, arg, SCMP_CMP_MASKED_EQ, m, p[i].val);
	}
	return 0;
}

/* write the interval list as comparisons, preferring the plain operators */
static int emit_ivals(const struct ival *iv, size_t ni, unsigned int arg, uint64_t dmax,
                      struct scmp_arg_cmp *out, size_t *n, size_t max)
{
	size_t i;

	if (ni == 2 && iv[0].lo == 0 && iv[1].hi == dmax && iv[1].lo - iv[0].hi == 2) {
		emit(out, n, arg, SCMP_CMP_NE, iv[0].hi + 1, 0);
		return 0;
	}
	for (i = 0; i < ni; i++) {
		struct vec blocks = {.sz = sizeof(struct pat)};
		int rc;

		if (*n >= max)
			return -E2BIG;
		if (iv[i].lo == 0 && iv[i].hi == dmax)
			emit(out, n, arg, OP_TRUE, 0, 0);
		else if (iv[i].lo == iv[i].hi)
			emit(out, n, arg, SCMP_CMP_EQ, iv[i].lo, 0);
		else if (iv[i].lo == 0)
			emit(out, n, arg, SCMP_CMP_LE, iv[i].hi, 0);
		else if (iv[i].hi == dmax)
			emit(out, n, arg, SCMP_CMP_GE, iv[i].lo, 0);
		else {
			/* strictly inside the domain: one comparison cannot say it */
			rc = ival_blocks(iv[i].lo, iv[i].hi, &blocks);
			if (!rc)
				rc = emit_pats(blocks.p, blocks.n, arg, dmax, out, n, max);
			free(blocks.p);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int sg_profile_and_split(const struct scmp_arg_cmp *conds, size_t n, uint64_t dmax,
                         struct scmp_arg_cmp *out, size_t max)
{
	struct ival *iv = NULL;
	struct pat pm = {0, 0}, tmp;
	struct vec blocks = {.sz = sizeof(struct pat)}, res = {.sz = sizeof(struct pat)};
	size_t i, ni, nout = 0;
	bool masked = false, all_same = true, leaves;
	unsigned int arg;
	int rc = 0;

	if (n == 0 || !conds || !out || max == 0)
		return -EINVAL;
	arg = conds[0].arg;
	for (i = 0; i < n; i++) {
		if (conds[i].op <= _SCMP_CMP_MIN || conds[i].op >= _SCMP_CMP_MAX ||
		    conds[i].arg != arg)
			return -EINVAL;
		if (conds[i].op != conds[0].op || conds[i].datum_a != conds[0].datum_a ||
		    (conds[i].op == SCMP_CMP_MASKED_EQ && conds[i].datum_b != conds[0].datum_b))
			all_same = false;
	}
	/* a single comparison is passed through untouched, exactly as the runtimes do */
	if (all_same) {
		out[0] = conds[0];
		if (out[0].op != SCMP_CMP_MASKED_EQ)
			out[0].datum_b = 0;
		return 1;
	}

	iv = malloc((n + 2) * sizeof(*iv));
	if (!iv)
		return -ENOMEM;
	iv[0] = (struct ival){0, dmax};
	ni = 1;
	pm.mask = ~dmax; /* values above dmax do not exist: their bits are fixed to 0 */
	for (i = 0; i < n; i++) {
		struct ival c[2];
		struct pat p;

		if (conds[i].op != SCMP_CMP_MASKED_EQ) {
			ni = ival_and(iv, ni, c, cond_ivals(&conds[i], dmax, c));
			continue;
		}
		masked = true;
		p.mask = conds[i].datum_a;
		p.val = conds[i].datum_b;
		if ((p.val & ~p.mask) || !pat_and(pm, p, &pm))
			ni = 0; /* x & mask can never equal a value with bits outside the mask */
	}
	if (ni == 0)
		goto out;
	if (!masked) {
		rc = emit_ivals(iv, ni, arg, dmax, out, &nout, max);
		goto out;
	}

	/* the pattern inside the intervals: the intervals add nothing */
	if ((rc = pat_leaves(iv, ni, pm, &leaves)))
		goto out;
	if (!leaves) {
		rc = emit_pats(&pm, 1, arg, dmax, out, &nout, max);
		goto out;
	}

	/* the aligned blocks of the intervals, each intersected with the pattern */
	blocks.n = 0;
	for (i = 0; i < ni; i++)
		if ((rc = ival_blocks(iv[i].lo, iv[i].hi, &blocks)))
			goto out;
	{
		bool covered = true; /* every block inside the pattern: the pattern adds nothing */

		for (i = 0; i < blocks.n; i++) {
			struct pat b = ((struct pat *)blocks.p)[i];

			if (!pat_within(b, pm))
				covered = false;
			if (pat_and(b, pm, &tmp) && (rc = vec_push(&res, &tmp)))
				goto out;
		}
		if (covered) {
			rc = emit_ivals(iv, ni, arg, dmax, out, &nout, max);
			goto out;
		}
	}
	res.n = pat_simplify(res.p, res.n);
	rc = emit_pats(res.p, res.n, arg, dmax, out, &nout, max);
out:
	free(iv);
	free(blocks.p);
	free(res.p);
	if (rc)
		return rc;
	/* one "always true" makes everything else redundant */
	for (i = 0; i < nout; i++)
		if (out[i].op == OP_TRUE) {
			out[0] = out[i];
			return 1;
		}
	return (int)nout;
}

/*
 * The parsed profile
 */

struct sel { /* includes / excludes */
	bool present;
	const char **caps;
	size_t ncaps;
	uint32_t *arches; /* 0 for names the library does not know */
	size_t narches;
	bool has_kernel;
	unsigned int kmaj, kmin;
};

struct entry {
	size_t idx;
	const char *label; /* first name, for messages */
	const char **names;
	size_t nnames;
	uint32_t action;
	struct scmp_arg_cmp *conds;
	size_t nconds;
	struct sel inc, exc;
	/* the per-argument rewriting, by domain (0: 64-bit, 1: 32-bit arguments) */
	struct scmp_arg_cmp *atoms[2][6];
	int natoms[2][6];
	bool split;         /* some argument has several conditions */
	bool width_differs; /* the rewriting differs between 64- and 32-bit arguments */
};

struct profile {
	json_object *root;
	uint32_t def_action;
	bool has_archmap, has_arches;
	uint32_t *arches; /* OCI "architectures" or the whole archMap (for all_arches) */
	size_t narches;
	uint32_t *mapped; /* archMap: the architectures of the native arch's entry */
	size_t nmapped;
	bool mapped_found;
	bool flag_tsync, flag_log, flag_ssb, flag_waitkill;
	struct entry *ent;
	size_t nent;
};

static void sel_free(struct sel *s)
{
	free(s->caps);
	free(s->arches);
}

static void profile_free(struct profile *p)
{
	size_t i;
	int d, a;

	for (i = 0; i < p->nent; i++) {
		struct entry *e = &p->ent[i];

		free(e->names);
		free(e->conds);
		sel_free(&e->inc);
		sel_free(&e->exc);
		for (d = 0; d < 2; d++)
			for (a = 0; a < 6; a++)
				free(e->atoms[d][a]);
	}
	free(p->ent);
	free(p->arches);
	free(p->mapped);
	if (p->root)
		json_object_put(p->root);
}

/*
 * JSON helpers; every error names where it happened via `where`
 */

static const char *jtype(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
		return "a fractional number";
	case json_type_int:
		return "an integer";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "something else";
}

/* member `key` of `obj`: 0 absent or null, 1 present with the right type, <0 wrong type */
static int jget(struct msg *m, const char *where, json_object *obj, const char *key, json_type type,
                json_object **out)
{
	static const char *const tname[] = {
	    [json_type_boolean] = "a boolean", [json_type_int] = "an integer",
	    [json_type_object] = "an object",  [json_type_array] = "an array",
	    [json_type_string] = "a string",
	};
	json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, type))
		return fail(m, -EINVAL, "%s%s: expected %s, got %s", where, key, tname[type],
		            jtype(v));
	*out = v;
	return 1;
}

static int juint(struct msg *m, const char *where, const char *key, json_object *v, uint64_t *out)
{
	if (!json_object_is_type(v, json_type_int))
		return fail(m, -EINVAL, "%s%s: expected a non-negative integer, got %s", where, key,
		            jtype(v));
	if (json_object_get_int64(v) < 0)
		return fail(m, -EINVAL, "%s%s: expected a non-negative integer, got %lld", where,
		            key, (long long)json_object_get_int64(v));
	*out = json_object_get_uint64(v);
	return 0;
}

/* warn about members nobody reads, which usually are typos */
static void junknown(const struct sg_profile_opts *o, const char *where, json_object *obj,
                     const char *const *known)
{
	json_object_object_foreach(obj, key, val)
	{
		size_t i;

		(void)val;
		for (i = 0; known[i]; i++)
			if (strcmp(key, known[i]) == 0)
				break;
		if (!known[i])
			warn(o, "%sunknown member \"%s\" ignored", where, key);
	}
}

/* an array of strings; the returned pointers live as long as the JSON tree */
static int jstrings(struct msg *m, const char *where, const char *key, json_object *arr,
                    const char ***out, size_t *n)
{
	size_t i, len = json_object_array_length(arr);

	*out = NULL;
	*n = 0;
	if (len == 0)
		return 0;
	*out = calloc(len, sizeof(**out));
	if (!*out)
		return fail(m, -ENOMEM, "out of memory");
	for (i = 0; i < len; i++) {
		json_object *s = json_object_array_get_idx(arr, i);

		if (!s || !json_object_is_type(s, json_type_string)) {
			free(*out);
			*out = NULL;
			return fail(m, -EINVAL, "%s%s[%zu]: expected a string, got %s", where, key,
			            i, s ? jtype(s) : "null");
		}
		(*out)[i] = json_object_get_string(s);
	}
	*n = len;
	return 0;
}

/*
 * Vocabulary
 */

static const struct {
	const char *name;
	int val;
} errnos[] = {
    {"EPERM", EPERM},
    {"ENOENT", ENOENT},
    {"ESRCH", ESRCH},
    {"EINTR", EINTR},
    {"EIO", EIO},
    {"ENXIO", ENXIO},
    {"E2BIG", E2BIG},
    {"ENOEXEC", ENOEXEC},
    {"EBADF", EBADF},
    {"ECHILD", ECHILD},
    {"EAGAIN", EAGAIN},
    {"ENOMEM", ENOMEM},
    {"EACCES", EACCES},
    {"EFAULT", EFAULT},
    {"EBUSY", EBUSY},
    {"EEXIST", EEXIST},
    {"EXDEV", EXDEV},
    {"ENODEV", ENODEV},
    {"ENOTDIR", ENOTDIR},
    {"EISDIR", EISDIR},
    {"EINVAL", EINVAL},
    {"ENFILE", ENFILE},
    {"EMFILE", EMFILE},
    {"ENOTTY", ENOTTY},
    {"ETXTBSY", ETXTBSY},
    {"EFBIG", EFBIG},
    {"ENOSPC", ENOSPC},
    {"ESPIPE", ESPIPE},
    {"EROFS", EROFS},
    {"EMLINK", EMLINK},
    {"EPIPE", EPIPE},
    {"EDOM", EDOM},
    {"ERANGE", ERANGE},
    {"ENOSYS", ENOSYS},
    {"ENOTSUP", ENOTSUP},
    {"EOPNOTSUPP", EOPNOTSUPP},
    {"ENOTSOCK", ENOTSOCK},
    {"EAFNOSUPPORT", EAFNOSUPPORT},
    {"EPROTONOSUPPORT", EPROTONOSUPPORT},
    {"ENOTCONN", ENOTCONN},
    {"ECONNREFUSED", ECONNREFUSED},
    {"ENAMETOOLONG", ENAMETOOLONG},
};

/* errnoRet default when a profile gives none, as the OCI runtime spec and runc have it */
#define DEFAULT_ERRNO EPERM

/* the action named `name` with `ret` (or the default errno) as its data */
static int parse_action(struct msg *m, const char *where, const char *actkey, const char *name,
                        bool has_ret, uint64_t ret, const char *retkey, uint32_t *out)
{
	static const struct {
		const char *name;
		uint32_t act;
		bool data;
	} acts[] = {
	    {"SCMP_ACT_KILL", SCMP_ACT_KILL, false},
	    {"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, false},
	    {"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, false},
	    {"SCMP_ACT_TRAP", SCMP_ACT_TRAP, false},
	    {"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0), true},
	    {"SCMP_ACT_TRACE", SCMP_ACT_TRACE(0), true},
	    {"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, false},
	    {"SCMP_ACT_LOG", SCMP_ACT_LOG, false},
	    {"SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY, false},
	};
	size_t i;

	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
		if (strcmp(name, acts[i].name) == 0)
			break;
	if (i == sizeof(acts) / sizeof(acts[0]))
		return fail(m, -EINVAL, "%s%s: unknown action \"%s\"", where, actkey, name);
	if (!acts[i].data) {
		/* the OCI spec requires refusing an errno the action cannot return */
		if (has_ret)
			return fail(m, -EINVAL, "%s%s: %s cannot return an errno", where, retkey,
			            name);
		*out = acts[i].act;
		return 0;
	}
	if (!has_ret)
		ret = DEFAULT_ERRNO;
	/* the kernel caps errno at MAX_ERRNO (4095) and libseccomp refuses 4095 itself */
	if (acts[i].act == SCMP_ACT_ERRNO(0) && ret > 4094)
		return fail(m, -EINVAL, "%s%s: %llu is out of range (0..4094)", where, retkey,
		            (unsigned long long)ret);
	if (ret > 0xffff)
		return fail(m, -EINVAL, "%s%s: %llu is out of range (0..65535)", where, retkey,
		            (unsigned long long)ret);
	*out = acts[i].act | (uint32_t)ret;
	return 0;
}

/* errnoRet, falling back on podman's symbolic "errno" member */
static int parse_errno(struct msg *m, const char *where, json_object *obj, const char *numkey,
                       const char *symkey, bool *has, uint64_t *val)
{
	json_object *v;
	const char *s;
	size_t i;
	int rc;

	*has = false;
	if ((rc = jget(m, where, obj, numkey, json_type_int, &v)) < 0)
		return rc;
	if (rc) {
		*has = true;
		return juint(m, where, numkey, v, val);
	}
	if ((rc = jget(m, where, obj, symkey, json_type_string, &v)) <= 0)
		return rc;
	s = json_object_get_string(v);
	if (!*s)
		return 0;
	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (strcmp(s, errnos[i].name) == 0) {
			*has = true;
			*val = (uint64_t)errnos[i].val;
			return 0;
		}
	return fail(m, -EINVAL, "%s%s: unknown errno name \"%s\" (use %s)", where, symkey, s,
	            numkey);
}

static int parse_op(const char *s, enum scmp_compare *op)
{
	static const struct {
		const char *name;
		enum scmp_compare op;
	} ops[] = {
	    {"SCMP_CMP_NE", SCMP_CMP_NE},
	    {"SCMP_CMP_LT", SCMP_CMP_LT},
	    {"SCMP_CMP_LE", SCMP_CMP_LE},
	    {"SCMP_CMP_EQ", SCMP_CMP_EQ},
	    {"SCMP_CMP_GE", SCMP_CMP_GE},
	    {"SCMP_CMP_GT", SCMP_CMP_GT},
	    {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
	};
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(s, ops[i].name) == 0) {
			*op = ops[i].op;
			return 0;
		}
	return -EINVAL;
}

/* "X.Y" as Docker writes minKernel */
static bool parse_kver(const char *s, unsigned int *maj, unsigned int *min)
{
	char *end;
	unsigned long a, b;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	a = strtoul(s, &end, 10);
	if (errno || *end != '.' || !isdigit((unsigned char)end[1]) || a > UINT_MAX)
		return false;
	b = strtoul(end + 1, &end, 10);
	if (errno || *end || b > UINT_MAX)
		return false;
	*maj = (unsigned int)a;
	*min = (unsigned int)b;
	return true;
}

static int parse_sel(struct msg *m, const struct sg_profile_opts *o, const char *where,
                     json_object *obj, const char *key, struct sel *s)
{
	static const char *const known[] = {"caps", "arches", "minKernel", NULL};
	char w[160];
	json_object *so, *v;
	const char **names = NULL;
	size_t i, n;
	int rc;

	if ((rc = jget(m, where, obj, key, json_type_object, &so)) <= 0)
		return rc;
	snprintf(w, sizeof(w), "%s%s.", where, key);
	junknown(o, w, so, known);
	s->present = true;
	if ((rc = jget(m, w, so, "caps", json_type_array, &v)) < 0)
		return rc;
	if (rc && (rc = jstrings(m, w, "caps", v, &s->caps, &s->ncaps)) < 0)
		return rc;
	if ((rc = jget(m, w, so, "arches", json_type_array, &v)) < 0)
		return rc;
	n = 0;
	if (rc && (rc = jstrings(m, w, "arches", v, &names, &n)) < 0)
		return rc;
	if (n) {
		s->arches = calloc(n, sizeof(*s->arches));
		if (!s->arches) {
			free(names);
			return fail(m, -ENOMEM, "out of memory");
		}
		for (i = 0; i < n; i++) {
			s->arches[i] = sg_profile_arch_resolve(names[i]);
			if (!s->arches[i])
				warn(o, "%sarches[%zu]: unknown architecture \"%s\" never matches",
				     w, i, names[i]);
		}
		s->narches = n;
	}
	free(names);
	if ((rc = jget(m, w, so, "minKernel", json_type_string, &v)) < 0)
		return rc;
	if (rc) {
		if (!parse_kver(json_object_get_string(v), &s->kmaj, &s->kmin))
			return fail(m, -EINVAL, "%sminKernel: \"%s\" is not a version like \"4.8\"",
			            w, json_object_get_string(v));
		s->has_kernel = true;
	}
	return 0;
}

static int parse_entry(struct msg *m, const struct sg_profile_opts *o, json_object *jo, size_t idx,
                       struct entry *e)
{
	static const char *const known[] = {"names", "name",    "action",   "errnoRet", "errno",
	                                    "args",  "comment", "includes", "excludes", NULL};
	static const char *const argknown[] = {"index", "value", "valueTwo", "op", NULL};
	char where[160];
	json_object *v, *jnames, *jname, *jargs;
	bool has_ret;
	uint64_t ret = 0;
	size_t i;
	int rc;

	e->idx = idx;
	snprintf(where, sizeof(where), "syscalls[%zu]: ", idx);
	if (!json_object_is_type(jo, json_type_object))
		return fail(m, -EINVAL, "%sexpected an object, got %s", where, jtype(jo));

	if ((rc = jget(m, where, jo, "names", json_type_array, &jnames)) < 0)
		return rc;
	if ((rc = jget(m, where, jo, "name", json_type_string, &jname)) < 0)
		return rc;
	if (jnames && jname)
		return fail(m, -EINVAL, "%sname: use either \"name\" or \"names\", not both",
		            where);
	if (jnames) {
		if ((rc = jstrings(m, where, "names", jnames, &e->names, &e->nnames)) < 0)
			return rc;
	} else if (jname) {
		e->names = calloc(1, sizeof(*e->names));
		if (!e->names)
			return fail(m, -ENOMEM, "out of memory");
		e->names[0] = json_object_get_string(jname);
		e->nnames = 1;
	}
	if (e->nnames == 0)
		return fail(m, -EINVAL, "%snames: missing or empty", where);
	for (i = 0; i < e->nnames; i++)
		if (!e->names[i][0])
			return fail(m, -EINVAL, "%snames[%zu]: empty syscall name", where, i);
	e->label = e->names[0];
	snprintf(where, sizeof(where), "syscalls[%zu] (%s): ", idx, e->label);
	junknown(o, where, jo, known);

	if ((rc = parse_errno(m, where, jo, "errnoRet", "errno", &has_ret, &ret)) < 0)
		return rc;
	if ((rc = jget(m, where, jo, "action", json_type_string, &v)) < 0)
		return rc;
	if (!rc)
		return fail(m, -EINVAL, "%saction: missing", where);
	if ((rc = parse_action(m, where, "action", json_object_get_string(v), has_ret, ret,
	                       "errnoRet", &e->action)) < 0)
		return rc;

	if ((rc = jget(m, where, jo, "args", json_type_array, &jargs)) < 0)
		return rc;
	e->nconds = jargs ? json_object_array_length(jargs) : 0;
	if (e->nconds) {
		e->conds = calloc(e->nconds, sizeof(*e->conds));
		if (!e->conds)
			return fail(m, -ENOMEM, "out of memory");
	}
	for (i = 0; i < e->nconds; i++) {
		json_object *ja = json_object_array_get_idx(jargs, i);
		struct scmp_arg_cmp *c = &e->conds[i];
		char aw[200];
		uint64_t idx64;

		snprintf(aw, sizeof(aw), "%sargs[%zu]", where, i);
		if (!ja || !json_object_is_type(ja, json_type_object))
			return fail(m, -EINVAL, "%s: expected an object, got %s", aw,
			            ja ? jtype(ja) : "null");
		strcat(aw, ".");
		junknown(o, aw, ja, argknown);
		if ((rc = jget(m, aw, ja, "index", json_type_int, &v)) < 0)
			return rc;
		if (!rc)
			return fail(m, -EINVAL, "%sindex: missing", aw);
		if ((rc = juint(m, aw, "index", v, &idx64)) < 0)
			return rc;
		if (idx64 > 5)
			return fail(m, -EINVAL, "%sindex: %llu is out of range (0..5)", aw,
			            (unsigned long long)idx64);
		c->arg = (unsigned int)idx64;
		if ((rc = jget(m, aw, ja, "op", json_type_string, &v)) < 0)
			return rc;
		if (!rc)
			return fail(m, -EINVAL, "%sop: missing", aw);
		if (parse_op(json_object_get_string(v), &c->op) < 0)
			return fail(m, -EINVAL, "%sop: unknown comparison \"%s\"", aw,
			            json_object_get_string(v));
		/* "value" may be omitted (Go's encoder drops zero values) */
		if ((rc = jget(m, aw, ja, "value", json_type_int, &v)) < 0)
			return rc;
		if (rc && (rc = juint(m, aw, "value", v, &c->datum_a)) < 0)
			return rc;
		if ((rc = jget(m, aw, ja, "valueTwo", json_type_int, &v)) < 0)
			return rc;
		if (rc && (rc = juint(m, aw, "valueTwo", v, &c->datum_b)) < 0)
			return rc;
		if (c->op != SCMP_CMP_MASKED_EQ)
			c->datum_b = 0; /* meaningless there; keep rule comparison exact */
		else if (c->datum_b & ~c->datum_a)
			warn(o,
			     "%svalueTwo: 0x%llx has bits outside the mask 0x%llx (value), so the "
			     "comparison never matches",
			     aw, (unsigned long long)c->datum_b, (unsigned long long)c->datum_a);
	}

	if ((rc = parse_sel(m, o, where, jo, "includes", &e->inc)) < 0)
		return rc;
	return parse_sel(m, o, where, jo, "excludes", &e->exc);
}

/* resolve one archMap / architectures name; unknown ones are dropped with a warning */
static int add_arch(struct msg *m, const struct sg_profile_opts *o, const char *where,
                    json_object *v, uint32_t **list, size_t *n, size_t cap)
{
	uint32_t tok;
	size_t i;

	if (!v || !json_object_is_type(v, json_type_string))
		return fail(m, -EINVAL, "%s: expected a string, got %s", where,
		            v ? jtype(v) : "null");
	tok = sg_profile_arch_resolve(json_object_get_string(v));
	if (!tok) {
		warn(o, "%s: architecture \"%s\" is not supported, skipped", where,
		     json_object_get_string(v));
		return 0;
	}
	for (i = 0; i < *n; i++)
		if ((*list)[i] == tok)
			return 0;
	if (*n >= cap)
		return fail(m, -EINVAL, "%s: too many architectures", where);
	(*list)[(*n)++] = tok;
	return 0;
}

#define MAX_ARCHES 64

static int parse_arches(struct msg *m, const struct sg_profile_opts *o, json_object *root,
                        uint32_t native, struct profile *p)
{
	json_object *ja, *jm;
	char w[96];
	size_t i, j, len;
	int rc;

	if ((rc = jget(m, "", root, "architectures", json_type_array, &ja)) < 0)
		return rc;
	if ((rc = jget(m, "", root, "archMap", json_type_array, &jm)) < 0)
		return rc;
	if (ja && jm && json_object_array_length(ja) && json_object_array_length(jm))
		return fail(m, -EINVAL,
		            "architectures: use either \"architectures\" or \"archMap\", not both");
	p->arches = calloc(MAX_ARCHES, sizeof(*p->arches));
	p->mapped = calloc(MAX_ARCHES, sizeof(*p->mapped));
	if (!p->arches || !p->mapped)
		return fail(m, -ENOMEM, "out of memory");
	if (ja) {
		p->has_arches = true;
		len = json_object_array_length(ja);
		for (i = 0; i < len; i++) {
			snprintf(w, sizeof(w), "architectures[%zu]", i);
			if ((rc = add_arch(m, o, w, json_object_array_get_idx(ja, i), &p->arches,
			                   &p->narches, MAX_ARCHES)) < 0)
				return rc;
		}
	}
	if (!jm)
		return 0;
	p->has_archmap = true;
	len = json_object_array_length(jm);
	for (i = 0; i < len; i++) {
		static const char *const known[] = {"architecture", "subArchitectures", NULL};
		json_object *e = json_object_array_get_idx(jm, i), *a, *subs;
		uint32_t tok;
		size_t before = p->narches;

		snprintf(w, sizeof(w), "archMap[%zu]: ", i);
		if (!e || !json_object_is_type(e, json_type_object))
			return fail(m, -EINVAL, "%sexpected an object, got %s", w,
			            e ? jtype(e) : "null");
		junknown(o, w, e, known);
		if ((rc = jget(m, w, e, "architecture", json_type_string, &a)) < 0)
			return rc;
		if (!rc)
			return fail(m, -EINVAL, "%sarchitecture: missing", w);
		if ((rc = jget(m, w, e, "subArchitectures", json_type_array, &subs)) < 0)
			return rc;
		snprintf(w, sizeof(w), "archMap[%zu].architecture", i);
		if ((rc = add_arch(m, o, w, a, &p->arches, &p->narches, MAX_ARCHES)) < 0)
			return rc;
		tok = p->narches > before ? p->arches[p->narches - 1]
		                          : sg_profile_arch_resolve(json_object_get_string(a));
		if (tok == native) {
			p->mapped_found = true;
			if ((rc = add_arch(m, o, w, a, &p->mapped, &p->nmapped, MAX_ARCHES)) < 0)
				return rc;
		}
		for (j = 0; subs && j < json_object_array_length(subs); j++) {
			json_object *s = json_object_array_get_idx(subs, j);

			snprintf(w, sizeof(w), "archMap[%zu].subArchitectures[%zu]", i, j);
			if ((rc = add_arch(m, o, w, s, &p->arches, &p->narches, MAX_ARCHES)) < 0)
				return rc;
			if (tok == native &&
			    (rc = add_arch(m, o, w, s, &p->mapped, &p->nmapped, MAX_ARCHES)) < 0)
				return rc;
		}
	}
	return 0;
}

static int parse_flags(struct msg *m, json_object *root, struct profile *p)
{
	json_object *jf;
	size_t i, len;
	int rc;

	if ((rc = jget(m, "", root, "flags", json_type_array, &jf)) <= 0)
		return rc;
	len = json_object_array_length(jf);
	for (i = 0; i < len; i++) {
		json_object *v = json_object_array_get_idx(jf, i);
		const char *s;

		if (!v || !json_object_is_type(v, json_type_string))
			return fail(m, -EINVAL, "flags[%zu]: expected a string, got %s", i,
			            v ? jtype(v) : "null");
		s = json_object_get_string(v);
		if (strcmp(s, "SECCOMP_FILTER_FLAG_TSYNC") == 0)
			p->flag_tsync = true;
		else if (strcmp(s, "SECCOMP_FILTER_FLAG_LOG") == 0)
			p->flag_log = true;
		else if (strcmp(s, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
			p->flag_ssb = true;
		else if (strcmp(s, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == 0)
			p->flag_waitkill = true;
		else
			return fail(m, -EINVAL, "flags[%zu]: unknown flag \"%s\"", i, s);
	}
	return 0;
}

/* position of byte `off` as 1-based line and column */
static void text_pos(const char *s, size_t off, unsigned int *line, unsigned int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && s[i]; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* json-c silently saturates integers beyond 64 bits: find them in the text first */
static int check_numbers(struct msg *m, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t start = i;
		bool neg = false, integral = true;

		if (s[i] == '"') {
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			i++;
			continue;
		}
		if (s[i] == '-' && i + 1 < len && isdigit((unsigned char)s[i + 1])) {
			neg = true;
			i++;
		} else if (!isdigit((unsigned char)s[i])) {
			i++;
			continue;
		}
		while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '.' || s[i] == '+' ||
		                   s[i] == '-')) {
			if (!isdigit((unsigned char)s[i]))
				integral = false;
			i++;
		}
		if (integral && !neg) {
			char buf[32];
			size_t n = i - start;
			unsigned long long v;

			if (n < sizeof(buf)) {
				memcpy(buf, s + start, n);
				buf[n] = '\0';
				errno = 0;
				v = strtoull(buf, NULL, 10);
				(void)v;
			}
			if (n >= sizeof(buf) || errno == ERANGE) {
				unsigned int line, col;

				text_pos(s, start, &line, &col);
				return fail(m, -EINVAL,
				            "invalid profile at line %u, column %u: integer %.*s%s "
				            "does not fit in 64 bits",
				            line, col, n > 24 ? 24 : (int)n, s + start,
				            n > 24 ? "..." : "");
			}
		}
	}
	return 0;
}

static int parse_profile(struct msg *m, const struct sg_profile_opts *o, const char *text,
                         uint32_t native, struct profile *p)
{
	static const char *const known[] = {
	    "defaultAction", "defaultErrnoRet", "defaultErrno", "architectures",    "archMap",
	    "syscalls",      "flags",           "listenerPath", "listenerMetadata", NULL};
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	size_t len = strlen(text), end;
	json_object *v, *jsys;
	bool has_ret;
	uint64_t ret = 0;
	size_t i;
	int rc;

	if ((rc = check_numbers(m, text, len)) < 0)
		return rc;
	tok = json_tokener_new();
	if (!tok)
		return fail(m, -ENOMEM, "out of memory");
	p->root = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr == json_tokener_continue) {
		unsigned int line, col;

		text_pos(text, len, &line, &col);
		return fail(m, -EINVAL,
		            "invalid JSON at line %u, column %u: unexpected end of input", line,
		            col);
	}
	if (jerr != json_tokener_success || !p->root) {
		unsigned int line, col;

		text_pos(text, end, &line, &col);
		return fail(m, -EINVAL, "invalid JSON at line %u, column %u: %s", line, col,
		            jerr != json_tokener_success ? json_tokener_error_desc(jerr)
		                                         : "no value");
	}
	while (end < len && isspace((unsigned char)text[end]))
		end++;
	if (end < len) {
		unsigned int line, col;

		text_pos(text, end, &line, &col);
		return fail(m, -EINVAL, "invalid JSON at line %u, column %u: trailing characters",
		            line, col);
	}
	if (!json_object_is_type(p->root, json_type_object))
		return fail(m, -EINVAL, "profile: expected an object at the top level, got %s",
		            jtype(p->root));
	junknown(o, "", p->root, known);

	if ((rc = jget(m, "", p->root, "defaultAction", json_type_string, &v)) < 0)
		return rc;
	if (!rc)
		return fail(m, -EINVAL, "defaultAction: missing");
	{
		const char *name = json_object_get_string(v);

		if ((rc = parse_errno(m, "", p->root, "defaultErrnoRet", "defaultErrno", &has_ret,
		                      &ret)) < 0)
			return rc;
		if ((rc = parse_action(m, "", "defaultAction", name, has_ret, ret,
		                       "defaultErrnoRet", &p->def_action)) < 0)
			return rc;
	}
	if ((rc = parse_arches(m, o, p->root, native, p)) < 0)
		return rc;
	if ((rc = parse_flags(m, p->root, p)) < 0)
		return rc;
	if ((rc = jget(m, "", p->root, "listenerPath", json_type_string, &v)) < 0)
		return rc;
	if (rc && json_object_get_string_len(v)) {
		warn(o, "listenerPath \"%s\" ignored: no notification agent is contacted",
		     json_object_get_string(v));
		if (o->stats)
			o->stats->has_listener_path = true;
	}

	if ((rc = jget(m, "", p->root, "syscalls", json_type_array, &jsys)) < 0)
		return rc;
	p->nent = jsys ? json_object_array_length(jsys) : 0;
	if (p->nent) {
		p->ent = calloc(p->nent, sizeof(*p->ent));
		if (!p->ent) {
			p->nent = 0;
			return fail(m, -ENOMEM, "out of memory");
		}
	}
	for (i = 0; i < p->nent; i++)
		if ((rc = parse_entry(m, o, json_object_array_get_idx(jsys, i), i, &p->ent[i])) < 0)
			return rc;
	return 0;
}

/*
 * Per-argument rewriting of every entry, for both argument widths
 */

static int split_entry(struct msg *m, struct entry *e)
{
	static const uint64_t dmax[2] = {UINT64_MAX, UINT32_MAX};
	struct scmp_arg_cmp conds[e->nconds ? e->nconds : 1];
	int d, a;

	for (a = 0; a < 6; a++) {
		size_t n = 0, i;

		for (i = 0; i < e->nconds; i++)
			if (e->conds[i].arg == (unsigned int)a)
				conds[n++] = e->conds[i];
		if (n > 1)
			e->split = true;
		for (d = 0; d < 2; d++) {
			int rc;

			if (n == 0) {
				e->natoms[d][a] = -1; /* no condition */
				continue;
			}
			e->atoms[d][a] = calloc(MAX_ATOMS, sizeof(struct scmp_arg_cmp));
			if (!e->atoms[d][a])
				return fail(m, -ENOMEM, "out of memory");
			rc = sg_profile_and_split(conds, n, dmax[d], e->atoms[d][a], MAX_ATOMS);
			if (rc == -E2BIG)
				return fail(m, -E2BIG,
				            "syscalls[%zu] (%s): args: the %zu conditions on "
				            "argument %d need more than %d comparisons to be "
				            "expressed exactly",
				            e->idx, e->label, n, a, MAX_ATOMS);
			if (rc < 0)
				return fail(m, rc, "syscalls[%zu] (%s): args: %s", e->idx, e->label,
				            strerror(-rc));
			e->natoms[d][a] = rc;
		}
		if (n && (e->natoms[0][a] != e->natoms[1][a] ||
		          memcmp(e->atoms[0][a], e->atoms[1][a],
		                 (size_t)e->natoms[0][a] * sizeof(struct scmp_arg_cmp)) != 0))
			e->width_differs = true;
	}
	return 0;
}

/* number of rules the entry needs per syscall in domain d (0 = never matches) */
static size_t entry_rules(const struct entry *e, int d)
{
	size_t prod = 1;
	int a;

	for (a = 0; a < 6; a++) {
		if (e->natoms[d][a] < 0)
			continue;
		prod *= (size_t)e->natoms[d][a];
		if (prod > MAX_RULES + 1)
			prod = MAX_RULES + 1; /* saturate: only the comparison matters */
	}
	return prod;
}

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

static int add_entry_rules(struct msg *m, const struct sg_profile_opts *o, scmp_filter_ctx ctx,
                           const struct entry *e, int d, unsigned int *nrules)
{
	size_t i;
	int a;

	for (i = 0; i < e->nnames; i++) {
		int nr = seccomp_syscall_resolve_name(e->names[i]);
		int idx[6] = {0};

		if (nr == __NR_SCMP_ERROR)
			continue; /* warned about once, before building */
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

				return fail(m, rc,
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
	(void)o;
	return 0;
}

static int build_group(struct msg *m, const struct sg_profile_opts *o, const struct profile *p,
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

		return fail(m, -EINVAL,
		            "defaultAction: the library refused the action %s (not supported by "
		            "this kernel?)",
		            act_str(p->def_action, buf, sizeof(buf)));
	}
	for (i = 0; i < g->narches; i++)
		if (g->arches[i] == host)
			has_host = true;
	/* removing the only arch first lets a filter of the other byte order be built */
	if (!has_host && (rc = seccomp_arch_remove(ctx, host)) < 0) {
		fail(m, rc, "cannot remove the native architecture: %s", strerror(-rc));
		goto err;
	}
	for (i = 0; i < g->narches; i++) {
		if (g->arches[i] == host)
			continue;
		rc = seccomp_arch_add(ctx, g->arches[i]);
		if (rc < 0 && rc != -EEXIST) {
			fail(m, rc, "cannot add architecture %s: %s",
			     sg_profile_arch_name(g->arches[i]), strerror(-rc));
			goto err;
		}
	}
	for (i = 0; i < p->nent; i++) {
		if (!g->use[i])
			continue;
		if ((rc = add_entry_rules(m, o, ctx, &p->ent[i], g->dom, nrules)) < 0)
			goto err;
	}
	*out = ctx;
	return 0;
err:
	seccomp_release(ctx);
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
			return fail(m, rc, "flags: %s: %s", map[i].flag,
			            rc == -EOPNOTSUPP ? "not supported by this kernel or library"
			                              : strerror(-rc));
	}
	if (o->optimize && (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, o->optimize)) < 0)
		return fail(m, rc, "optimization level %u: %s", o->optimize, strerror(-rc));
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
		warn(o, "syscalls[%zu] (%s): unknown syscall%s skipped: %s", e->idx, e->label,
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
			warn(o, "architecture %s skipped: its byte order differs from %s",
			     sg_profile_arch_name(src[i]), sg_profile_arch_name(native));
			continue;
		}
		arches[n++] = src[i];
	}
	if (p->has_archmap && !p->mapped_found && !o->all_arches)
		warn(o, "archMap has no entry for %s: the filter covers %s only",
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
		int dom = width_matters && !arch_is_64(arches[i]) ? 1 : 0;
		unsigned char *use = calloc(p->nent ? p->nent : 1, 1);

		if (!use)
			return fail(m, -ENOMEM, "out of memory");
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
	if ((rc = parse_profile(m, o, text, native, &p)) < 0)
		goto out;

	narches = select_arches(o, &p, native, arches);

	/* rewrite same-argument conditions; warn about names nothing knows */
	for (i = 0; i < p.nent; i++) {
		struct entry *e = &p.ent[i];

		if ((rc = split_entry(m, e)) < 0)
			goto out;
		if (entry_rules(e, 0) > MAX_RULES || entry_rules(e, 1) > MAX_RULES) {
			rc = fail(m, -E2BIG,
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
		rc = fail(m, -ENOMEM, "out of memory");
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
			} else if (entry_rules(e, groups[j].dom) == 0) {
				empty = true;
				groups[j].use[i] = 0;
			} else {
				nonempty = true;
			}
		}
		if (empty)
			warn(o,
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

		if ((rc = build_group(m, o, &p, &groups[i], &g, &nrules)) < 0)
			goto out;
		if (!ctx) {
			ctx = g;
			continue;
		}
		if ((rc = seccomp_merge(ctx, g)) < 0) {
			seccomp_release(g);
			fail(m, rc, "cannot merge the filters of %s and %s: %s",
			     sg_profile_arch_name(groups[0].arches[0]),
			     sg_profile_arch_name(groups[i].arches[0]), strerror(-rc));
			goto out;
		}
	}
	if ((rc = set_attrs(m, o, &p, ctx)) < 0)
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
	profile_free(&p);
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
		return fail(&m, -EINVAL, "no profile or no context pointer");
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
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int fd, rc;

	if (err && errlen)
		err[0] = '\0';
	if (!path || !ctx)
		return fail(&m, -EINVAL, "no profile or no context pointer");
	*ctx = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(&m, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return fail(&m, -EISDIR, "%s: %s", path, strerror(EISDIR));
	}
	/* read to EOF: the profile may come from a pipe */
	for (;;) {
		ssize_t r;

		if (len + 1 >= cap) {
			char *nb;

			cap = cap ? cap * 2 : 65536;
			if (cap > MAX_PROFILE_SIZE + 1) {
				rc = fail(&m, -EFBIG, "%s: larger than %u bytes", path,
				          MAX_PROFILE_SIZE);
				goto out;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				rc = fail(&m, -ENOMEM, "out of memory");
				goto out;
			}
			buf = nb;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = fail(&m, -errno, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	if (strlen(buf) != len) {
		rc = fail(&m, -EINVAL, "%s: contains a NUL byte, not a JSON profile", path);
		goto out;
	}
	rc = sg_profile_compile_string(buf, opts, ctx, err, errlen);
	if (rc < 0 && err && errlen && strncmp(err, path, strlen(path)) != 0) {
		/* prefix the file name, like a compiler would */
		char *tmp = strdup(err);

		if (tmp) {
			snprintf(err, errlen, "%s: %s", path, tmp);
			free(tmp);
		}
	}
out:
	close(fd);
	free(buf);
	return rc;
}
