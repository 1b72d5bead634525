/*
 * compile.h - from a filter context to a classic-BPF program.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_COMPILE_H
#define SYSGATE_COMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/filter.h>

struct sg_filter;

/* a compiled program, in host byte order */
struct sg_program {
	size_t len;
	struct sock_filter insns[];
};

/* how to compile; sg_compile() uses the filter's SCMP_FLTATR_CTL_OPTIMIZE level */
struct sg_compile_opts {
	/* dispatch tree: 1 = the least expected cost under the measured frequency profile and
	 * priority hints, 2 = the same with the worst path bounded (syscall numbers and argument
	 * conditions weigh more),
	 * 0 = plain halving (reference lowering); see lower.c's cost model */
	int tree;
	bool passes;     /* run the bytecode optimizer (bpf_opt.c) */
	bool exceptions; /* fold isolated numbers into their neighbours' range as JEQ tests */
	size_t max_len;  /* refuse longer programs (-E2BIG); 0 = the kernel's BPF_MAXINSNS */
};

/* one entry of the measured frequency profile (profile_weights.c, tools/weights/); NULL ends */
struct sg_hot_syscall {
	const char *name;
	int pnr; /* its pseudo number (src/arch/pnr.txt), to find it without a string compare; 0:
	          * a name the tables do not know */
	unsigned int weight;
};
struct sg_arch;
/* the profile measured for the ABI's family (tools/weights/families); never NULL */
const struct sg_hot_syscall *sg_hot_profile(const struct sg_arch *a);

int sg_compile_with(const struct sg_filter *f, const struct sg_compile_opts *opts,
                    struct sg_program **out);

/*
 * Compile the filter. Returns 0 and a new program (free with sg_program_free), or -ENOMEM,
 * -EINVAL (no architecture), -E2BIG (more than the kernel's 4096 instructions).
 */
int sg_compile(const struct sg_filter *f, struct sg_program **out);
void sg_program_free(struct sg_program *p);

/*
 * The length sg_compile()'s program would have without the kernel's limit, to tell the user
 * how far over it a filter is. Returns 0, or -E2BIG when even the compiler's working limit
 * (SG_EMIT_LIMIT instructions before optimization) is exceeded, -ENOMEM, -EINVAL.
 */
int sg_compile_len(const struct sg_filter *f, size_t *len);

/*
 * The filter's program, compiled now or reused from seccomp_precompute()'s cache (ctx.c;
 * `f` must be a context's filter, see ctx.h), after the kernel's checker (sg_bpf_check) has
 * accepted it: -ENOTRECOVERABLE if it does not (a compiler bug; the API reports it as
 * -EFAULT, libseccomp's code for internal errors), or sg_compile()'s errors.
 */
int sg_filter_program(struct sg_filter *f, const struct sg_program **out);

#endif
