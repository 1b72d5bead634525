/*
 * ctx.c - a context: the rule database and the program compiled from it (see ctx.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "alloc.h"
#include "bpf.h"
#include "ctx.h"

static struct sg_ctx *ctx_of(const struct sg_filter *f)
{
	return (struct sg_ctx *)((char *)f - offsetof(struct sg_ctx, filter));
}

struct sg_filter *sg_ctx_new(uint32_t def_action)
{
	struct sg_ctx *c = sg_calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	sg_filter_init(&c->filter, def_action);
	return &c->filter;
}

void sg_ctx_free(struct sg_filter *f)
{
	struct sg_ctx *c;

	if (!f)
		return;
	c = ctx_of(f);
	sg_filter_fini(f);
	sg_program_free(c->program);
	sg_free(c);
}

const struct sg_program *sg_ctx_cached(const struct sg_filter *f)
{
	const struct sg_ctx *c = ctx_of(f);

	return c->program && c->program_gen == f->generation ? c->program : NULL;
}

int sg_filter_program(struct sg_filter *f, const struct sg_program **out)
{
	struct sg_ctx *c = ctx_of(f);
	struct sg_program *p;
	int rc;

	if (!sg_ctx_cached(f)) {
		/* a failed compile keeps the old (stale) program: it is never handed out */
		rc = sg_compile(f, &p);
		if (rc < 0)
			return rc;
		sg_program_free(c->program);
		c->program = p;
		c->program_gen = f->generation;
	}
	/* every program leaves through here (export, precompute, load): a program the kernel's
	 * checker would refuse is a sysgate bug, reported as one rather than handed on */
	if (sg_bpf_check(c->program->insns, c->program->len) < 0) {
		sg_program_free(c->program);
		c->program = NULL;
		return -ENOTRECOVERABLE;
	}
	*out = c->program;
	return 0;
}
