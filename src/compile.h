/*
 * compile.h - from a filter context to a classic-BPF program.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_COMPILE_H
#define SYSGATE_COMPILE_H

#include <stddef.h>
#include <linux/filter.h>

struct sg_filter;

/* a compiled program, in host byte order */
struct sg_program {
	size_t len;
	struct sock_filter insns[];
};

/*
 * Compile the filter. Returns 0 and a new program (free with sg_program_free), or -ENOMEM,
 * -EINVAL (no architecture), -E2BIG (more than the kernel's 4096 instructions).
 */
int sg_compile(const struct sg_filter *f, struct sg_program **out);
void sg_program_free(struct sg_program *p);

/* the filter's program, compiled now or reused from seccomp_precompute()'s cache */
int sg_filter_program(struct sg_filter *f, const struct sg_program **out);

#endif
