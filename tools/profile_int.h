/*
 * profile_int.h - what the three parts of the profile compiler share
 *
 * profile_json.c reads and validates the JSON profile into a struct profile;
 * profile_cond.c rewrites the conditions on one argument into comparisons libseccomp can
 * take (and says how many rules an entry needs); profile_build.c selects the entries and
 * architectures and builds one filter context per group of architectures.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef SYSGATE_TOOLS_PROFILE_INT_H
#define SYSGATE_TOOLS_PROFILE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "profile.h"

/* the conjunction on one argument may expand to this many comparisons ... */
#define MAX_ATOMS 256
/* ... and one entry to this many rules per syscall (the product over its arguments) */
#define MAX_RULES 256
/* architectures a profile may name (archMap entries and subarchitectures together) */
#define MAX_ARCHES 64

/* token bits (kernel AUDIT_ARCH_* convention, which the SCMP_ARCH_* tokens follow) */
#define TOK_64BIT 0x80000000u
#define TOK_LE    0x40000000u
#define TOK_N32   0x20000000u

/* op 0 in a split result: no comparison needed on that argument */
#define OP_TRUE ((enum scmp_compare)0)

/* libseccomp compares only the low argument word on these (x32 and MIPS n32 included) */
static inline bool pf_arch_is_64(uint32_t tok)
{
	return (tok & TOK_64BIT) && !(tok & TOK_N32);
}

/* where an error message goes: the caller's buffer */
struct msg {
	char *buf;
	size_t len;
};

/* format the message into m (if it has room) and return rc */
int pf_fail(struct msg *m, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* print a warning to o->warn (if set) */
void pf_warn(const struct sg_profile_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* the parsed profile */

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

/*
 * profile_json.c
 */

/* read the file at `path` (or a pipe) into a new NUL-terminated string *text */
int pf_read_file(struct msg *m, const char *path, char **text);
/* parse and validate `text` into p (zeroed by the caller; free it with pf_free either way);
 * `native` selects the archMap entry */
int pf_parse(struct msg *m, const struct sg_profile_opts *o, const char *text, uint32_t native,
             struct profile *p);
void pf_free(struct profile *p);

/*
 * profile_cond.c
 */

/* fill e->atoms / e->natoms for both argument widths */
int pf_split_entry(struct msg *m, struct entry *e);
/* number of rules the entry needs per syscall in domain d (0 = never matches) */
size_t pf_entry_rules(const struct entry *e, int d);

#endif
