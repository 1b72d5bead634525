/*
 * profile.h - compile OCI / Docker seccomp profiles (JSON) into a libseccomp filter context
 *
 * Only the public libseccomp API is used, so the module works with sysgate and with any
 * libseccomp >= 2.5.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef SYSGATE_TOOLS_PROFILE_H
#define SYSGATE_TOOLS_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <seccomp.h>

/* counters filled in by the compiler when sg_profile_opts.stats is set */
struct sg_profile_stats {
	unsigned int entries;       /* syscalls[] entries in the profile */
	unsigned int entries_used;  /* entries kept after includes/excludes */
	unsigned int rules;         /* successful seccomp_rule_add_array() calls */
	unsigned int rules_default; /* names skipped because action == defaultAction */
	unsigned int names_unknown; /* names no architecture knows (skipped) */
	unsigned int split_entries; /* entries whose same-argument conditions were rewritten */
	unsigned int arches;        /* architectures in the filter */
	uint32_t arch_list[32];     /* their SCMP_ARCH_* tokens, in the order added */
	bool uses_notify;           /* some rule (or the default) is SCMP_ACT_NOTIFY */
	bool has_listener_path;     /* the profile asks for a listenerPath (ignored) */
	unsigned int costs;         /* entries written to sg_profile_opts.costs */
};

/*
 * What one syscall's rules add to the filter of one group of architectures (the ABIs that
 * share rules), measured alone: the group's filter with only that syscall's rules, against
 * the group's filter without rules. The parts of a filter are not strictly additive (the
 * dispatch is shared), but the largest of these are what makes a filter too long.
 */
struct sg_profile_cost {
	char name[48];       /* the syscall */
	uint32_t arch;       /* the group's first architecture ... */
	unsigned int ngroup; /* ... and how many it has */
	unsigned int rules;  /* rules on the syscall in that group */
	size_t insns;        /* instructions they add; SIZE_MAX: too many to compile alone */
};

struct sg_profile_opts {
	/* capability set for includes/excludes "caps", e.g. "CAP_SYS_ADMIN" (the CAP_ prefix and
	 * letter case are optional) */
	const char *const *caps;
	size_t ncaps;
	bool all_caps; /* behave as if every capability were held */
	/* kernel version for includes/excludes "minKernel"; 0.0 = the running kernel (uname) */
	unsigned int kernel_major, kernel_minor;
	/* SCMP_ARCH_* whose archMap entry selects the architectures and against which
	 * includes/excludes "arches" are matched; 0 = seccomp_arch_native() */
	uint32_t native_arch;
	/* add every architecture the profile lists (with the byte order of native_arch) and
	 * evaluate "arches" conditions per architecture, instead of following archMap */
	bool all_arches;
	/* SCMP_FLTATR_CTL_OPTIMIZE level to request (1 or 2); 0 = the library default */
	unsigned int optimize;
	FILE *warn;                     /* warnings (unknown syscall names, ...), or NULL */
	const char *warn_prefix;        /* printed before each warning, e.g. the program name */
	struct sg_profile_stats *stats; /* optional */
	/* when the filter is longer than the kernel's 4096 instructions (and stats is set): the
	 * max_costs syscalls whose rules add most, largest first, count in stats->costs */
	struct sg_profile_cost *costs;
	size_t max_costs;
};

/*
 * Compile the profile in the file at `path` (or in the NUL-terminated string `json`).
 * Returns 0 and stores a new filter context in *ctx (release it with seccomp_release()), or a
 * negative errno with a one-line message in err (naming the entry and field for profile
 * errors): -EINVAL invalid JSON or profile, -E2BIG a condition set too large to express
 * exactly, -ENOMEM, file errors from open/read, or a libseccomp error code.
 * opts may be NULL (no capabilities, running kernel, native architecture).
 */
int sg_profile_compile_file(const char *path, const struct sg_profile_opts *opts,
                            scmp_filter_ctx *ctx, char *err, size_t errlen);
int sg_profile_compile_string(const char *json, const struct sg_profile_opts *opts,
                              scmp_filter_ctx *ctx, char *err, size_t errlen);

/*
 * Resolve an architecture name as profiles spell them: libseccomp names ("x86_64"),
 * SCMP_ARCH_* constants ("SCMP_ARCH_AARCH64") and Go / Docker names ("amd64", "arm64",
 * "mips64le", ...). Returns the SCMP_ARCH_* token, or 0 if unknown to the library.
 */
uint32_t sg_profile_arch_resolve(const char *name);

/* the libseccomp name of an architecture token ("x86_64"), or "unknown" */
const char *sg_profile_arch_name(uint32_t token);

/*
 * Internal, exported for the unit tests: rewrite the conjunction of `n` comparisons on one
 * argument (all with the same .arg) into a list of single comparisons whose union is exactly
 * the set of values satisfying all of them, over argument values in [0, dmax]: UINT64_MAX for
 * 64-bit architectures, UINT32_MAX for those whose arguments libseccomp compares as 32-bit
 * values (any 2^k - 1 works, which the tests use for exhaustive checks).
 * An output element with op == 0 (_SCMP_CMP_MIN) means "always true" (no comparison).
 * Returns the number of comparisons written to out (0 = the conjunction is unsatisfiable),
 * -E2BIG if more than `max` would be needed, -EINVAL for an invalid operator.
 */
int sg_profile_and_split(const struct scmp_arg_cmp *conds, size_t n, uint64_t dmax,
                         struct scmp_arg_cmp *out, size_t max);

#endif
