/*
 * profile_json.c - read and validate an OCI / Docker seccomp profile (JSON)
 *
 * The whole profile is parsed and checked before anything is built, so a mistake in an entry
 * that the current capabilities or architecture would exclude is still reported. Every error
 * names the entry and field where it happened.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile_int.h"

/* profiles are small; this only guards against feeding the tool something silly */
#define MAX_PROFILE_SIZE (16u << 20)

/*
 * Small helpers
 */

int pf_fail(struct msg *m, int rc, const char *fmt, ...)
{
	va_list ap;

	if (m->buf && m->len) {
		va_start(ap, fmt);
		vsnprintf(m->buf, m->len, fmt, ap);
		va_end(ap);
	}
	return rc;
}

void pf_warn(const struct sg_profile_opts *o, const char *fmt, ...)
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

/*
 * The parsed profile
 */

static void sel_free(struct sel *s)
{
	free(s->caps);
	free(s->arches);
}

void pf_free(struct profile *p)
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
		return pf_fail(m, -EINVAL, "%s%s: expected %s, got %s", where, key, tname[type],
		               jtype(v));
	*out = v;
	return 1;
}

static int juint(struct msg *m, const char *where, const char *key, json_object *v, uint64_t *out)
{
	if (!json_object_is_type(v, json_type_int))
		return pf_fail(m, -EINVAL, "%s%s: expected a non-negative integer, got %s", where,
		               key, jtype(v));
	if (json_object_get_int64(v) < 0)
		return pf_fail(m, -EINVAL, "%s%s: expected a non-negative integer, got %lld", where,
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
			pf_warn(o, "%sunknown member \"%s\" ignored", where, key);
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
		return pf_fail(m, -ENOMEM, "out of memory");
	for (i = 0; i < len; i++) {
		json_object *s = json_object_array_get_idx(arr, i);

		if (!s || !json_object_is_type(s, json_type_string)) {
			free(*out);
			*out = NULL;
			return pf_fail(m, -EINVAL, "%s%s[%zu]: expected a string, got %s", where,
			               key, i, s ? jtype(s) : "null");
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
		return pf_fail(m, -EINVAL, "%s%s: unknown action \"%s\"", where, actkey, name);
	if (!acts[i].data) {
		/* the OCI spec requires refusing an errno the action cannot return */
		if (has_ret)
			return pf_fail(m, -EINVAL, "%s%s: %s cannot return an errno", where, retkey,
			               name);
		*out = acts[i].act;
		return 0;
	}
	if (!has_ret)
		ret = DEFAULT_ERRNO;
	/* the kernel caps errno at MAX_ERRNO (4095) and libseccomp refuses 4095 itself */
	if (acts[i].act == SCMP_ACT_ERRNO(0) && ret > 4094)
		return pf_fail(m, -EINVAL, "%s%s: %llu is out of range (0..4094)", where, retkey,
		               (unsigned long long)ret);
	if (ret > 0xffff)
		return pf_fail(m, -EINVAL, "%s%s: %llu is out of range (0..65535)", where, retkey,
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
	return pf_fail(m, -EINVAL, "%s%s: unknown errno name \"%s\" (use %s)", where, symkey, s,
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
			return pf_fail(m, -ENOMEM, "out of memory");
		}
		for (i = 0; i < n; i++) {
			s->arches[i] = sg_profile_arch_resolve(names[i]);
			if (!s->arches[i])
				pf_warn(o,
				        "%sarches[%zu]: unknown architecture \"%s\" never matches",
				        w, i, names[i]);
		}
		s->narches = n;
	}
	free(names);
	if ((rc = jget(m, w, so, "minKernel", json_type_string, &v)) < 0)
		return rc;
	if (rc) {
		if (!parse_kver(json_object_get_string(v), &s->kmaj, &s->kmin))
			return pf_fail(m, -EINVAL,
			               "%sminKernel: \"%s\" is not a version like \"4.8\"", w,
			               json_object_get_string(v));
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
		return pf_fail(m, -EINVAL, "%sexpected an object, got %s", where, jtype(jo));

	if ((rc = jget(m, where, jo, "names", json_type_array, &jnames)) < 0)
		return rc;
	if ((rc = jget(m, where, jo, "name", json_type_string, &jname)) < 0)
		return rc;
	if (jnames && jname)
		return pf_fail(m, -EINVAL, "%sname: use either \"name\" or \"names\", not both",
		               where);
	if (jnames) {
		if ((rc = jstrings(m, where, "names", jnames, &e->names, &e->nnames)) < 0)
			return rc;
	} else if (jname) {
		e->names = calloc(1, sizeof(*e->names));
		if (!e->names)
			return pf_fail(m, -ENOMEM, "out of memory");
		e->names[0] = json_object_get_string(jname);
		e->nnames = 1;
	}
	if (e->nnames == 0)
		return pf_fail(m, -EINVAL, "%snames: missing or empty", where);
	for (i = 0; i < e->nnames; i++)
		if (!e->names[i][0])
			return pf_fail(m, -EINVAL, "%snames[%zu]: empty syscall name", where, i);
	e->label = e->names[0];
	snprintf(where, sizeof(where), "syscalls[%zu] (%s): ", idx, e->label);
	junknown(o, where, jo, known);

	if ((rc = parse_errno(m, where, jo, "errnoRet", "errno", &has_ret, &ret)) < 0)
		return rc;
	if ((rc = jget(m, where, jo, "action", json_type_string, &v)) < 0)
		return rc;
	if (!rc)
		return pf_fail(m, -EINVAL, "%saction: missing", where);
	if ((rc = parse_action(m, where, "action", json_object_get_string(v), has_ret, ret,
	                       "errnoRet", &e->action)) < 0)
		return rc;

	if ((rc = jget(m, where, jo, "args", json_type_array, &jargs)) < 0)
		return rc;
	e->nconds = jargs ? json_object_array_length(jargs) : 0;
	if (e->nconds) {
		e->conds = calloc(e->nconds, sizeof(*e->conds));
		if (!e->conds)
			return pf_fail(m, -ENOMEM, "out of memory");
	}
	for (i = 0; i < e->nconds; i++) {
		json_object *ja = json_object_array_get_idx(jargs, i);
		struct scmp_arg_cmp *c = &e->conds[i];
		char aw[200];
		uint64_t idx64;

		snprintf(aw, sizeof(aw), "%sargs[%zu]", where, i);
		if (!ja || !json_object_is_type(ja, json_type_object))
			return pf_fail(m, -EINVAL, "%s: expected an object, got %s", aw,
			               ja ? jtype(ja) : "null");
		strcat(aw, ".");
		junknown(o, aw, ja, argknown);
		if ((rc = jget(m, aw, ja, "index", json_type_int, &v)) < 0)
			return rc;
		if (!rc)
			return pf_fail(m, -EINVAL, "%sindex: missing", aw);
		if ((rc = juint(m, aw, "index", v, &idx64)) < 0)
			return rc;
		if (idx64 > 5)
			return pf_fail(m, -EINVAL, "%sindex: %llu is out of range (0..5)", aw,
			               (unsigned long long)idx64);
		c->arg = (unsigned int)idx64;
		if ((rc = jget(m, aw, ja, "op", json_type_string, &v)) < 0)
			return rc;
		if (!rc)
			return pf_fail(m, -EINVAL, "%sop: missing", aw);
		if (parse_op(json_object_get_string(v), &c->op) < 0)
			return pf_fail(m, -EINVAL, "%sop: unknown comparison \"%s\"", aw,
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
			pf_warn(
			    o,
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
		return pf_fail(m, -EINVAL, "%s: expected a string, got %s", where,
		               v ? jtype(v) : "null");
	tok = sg_profile_arch_resolve(json_object_get_string(v));
	if (!tok) {
		pf_warn(o, "%s: architecture \"%s\" is not supported, skipped", where,
		        json_object_get_string(v));
		return 0;
	}
	for (i = 0; i < *n; i++)
		if ((*list)[i] == tok)
			return 0;
	if (*n >= cap)
		return pf_fail(m, -EINVAL, "%s: too many architectures", where);
	(*list)[(*n)++] = tok;
	return 0;
}

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
		return pf_fail(
		    m, -EINVAL,
		    "architectures: use either \"architectures\" or \"archMap\", not both");
	p->arches = calloc(MAX_ARCHES, sizeof(*p->arches));
	p->mapped = calloc(MAX_ARCHES, sizeof(*p->mapped));
	if (!p->arches || !p->mapped)
		return pf_fail(m, -ENOMEM, "out of memory");
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
			return pf_fail(m, -EINVAL, "%sexpected an object, got %s", w,
			               e ? jtype(e) : "null");
		junknown(o, w, e, known);
		if ((rc = jget(m, w, e, "architecture", json_type_string, &a)) < 0)
			return rc;
		if (!rc)
			return pf_fail(m, -EINVAL, "%sarchitecture: missing", w);
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
			return pf_fail(m, -EINVAL, "flags[%zu]: expected a string, got %s", i,
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
			return pf_fail(m, -EINVAL, "flags[%zu]: unknown flag \"%s\"", i, s);
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
				return pf_fail(
				    m, -EINVAL,
				    "invalid profile at line %u, column %u: integer %.*s%s "
				    "does not fit in 64 bits",
				    line, col, n > 24 ? 24 : (int)n, s + start,
				    n > 24 ? "..." : "");
			}
		}
	}
	return 0;
}

int pf_parse(struct msg *m, const struct sg_profile_opts *o, const char *text, uint32_t native,
             struct profile *p)
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
		return pf_fail(m, -ENOMEM, "out of memory");
	p->root = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr == json_tokener_continue) {
		unsigned int line, col;

		text_pos(text, len, &line, &col);
		return pf_fail(m, -EINVAL,
		               "invalid JSON at line %u, column %u: unexpected end of input", line,
		               col);
	}
	if (jerr != json_tokener_success || !p->root) {
		unsigned int line, col;

		text_pos(text, end, &line, &col);
		return pf_fail(m, -EINVAL, "invalid JSON at line %u, column %u: %s", line, col,
		               jerr != json_tokener_success ? json_tokener_error_desc(jerr)
		                                            : "no value");
	}
	while (end < len && isspace((unsigned char)text[end]))
		end++;
	if (end < len) {
		unsigned int line, col;

		text_pos(text, end, &line, &col);
		return pf_fail(m, -EINVAL,
		               "invalid JSON at line %u, column %u: trailing characters", line,
		               col);
	}
	if (!json_object_is_type(p->root, json_type_object))
		return pf_fail(m, -EINVAL, "profile: expected an object at the top level, got %s",
		               jtype(p->root));
	junknown(o, "", p->root, known);

	if ((rc = jget(m, "", p->root, "defaultAction", json_type_string, &v)) < 0)
		return rc;
	if (!rc)
		return pf_fail(m, -EINVAL, "defaultAction: missing");
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
		pf_warn(o, "listenerPath \"%s\" ignored: no notification agent is contacted",
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
			return pf_fail(m, -ENOMEM, "out of memory");
		}
	}
	for (i = 0; i < p->nent; i++)
		if ((rc = parse_entry(m, o, json_object_array_get_idx(jsys, i), i, &p->ent[i])) < 0)
			return rc;
	return 0;
}

/*
 * Reading
 */

int pf_read_file(struct msg *m, const char *path, char **text)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pf_fail(m, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return pf_fail(m, -EISDIR, "%s: %s", path, strerror(EISDIR));
	}
	/* read to EOF: the profile may come from a pipe */
	for (;;) {
		ssize_t r;

		if (len + 1 >= cap) {
			char *nb;

			cap = cap ? cap * 2 : 65536;
			if (cap > MAX_PROFILE_SIZE + 1) {
				rc = pf_fail(m, -EFBIG, "%s: larger than %u bytes", path,
				             MAX_PROFILE_SIZE);
				goto out;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				rc = pf_fail(m, -ENOMEM, "out of memory");
				goto out;
			}
			buf = nb;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = pf_fail(m, -errno, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	if (strlen(buf) != len) {
		rc = pf_fail(m, -EINVAL, "%s: contains a NUL byte, not a JSON profile", path);
		goto out;
	}
out:
	close(fd);
	if (rc < 0)
		free(buf);
	else
		*text = buf;
	return rc;
}
