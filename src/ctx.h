/*
 * ctx.h - what a scmp_filter_ctx points to: a rule database (db.h) and the program compiled
 * from it (seccomp_precompute()'s cache).
 *
 * The database only counts its own changes (sg_filter.generation); this module owns the
 * program and compiles again when the count has moved since. So the rules know nothing of the
 * compiler, and the dependencies run one way: ctx -> compiler -> IR -> database.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_CTX_H
#define SYSGATE_CTX_H

#include <stdint.h>

#include "compile.h"
#include "db.h"

struct sg_ctx {
	struct sg_filter filter;    /* first: a context pointer is also its filter's pointer */
	struct sg_program *program; /* the last program compiled, or NULL */
	uint64_t program_gen;       /* filter.generation when `program` was compiled */
};

/* a new context (seccomp_init()), as its filter; NULL when out of memory */
struct sg_filter *sg_ctx_new(uint32_t def_action);
/* release a context made by sg_ctx_new() (NULL is a no-op) */
void sg_ctx_free(struct sg_filter *f);
/* the cached program if it is still that of the current rules, else NULL (for tests) */
const struct sg_program *sg_ctx_cached(const struct sg_filter *f);

#endif
