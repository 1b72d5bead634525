/*
 * fuzz_profile.c - libFuzzer target: the OCI / Docker seccomp profile compiler
 * (tools/profile_*.c, sg_profile_compile_string) on arbitrary JSON text.
 *
 * The first input byte chooses the options (capabilities, all architectures, OPTIMIZE level,
 * kernel version for minKernel), the rest is the profile. Invariants (abort() on violation):
 *  - no crash or sanitizer report, and an error message is always a terminated string;
 *  - on success the context exports a program that passes the kernel's checker, or reports
 *    -EFAULT (too big);
 *  - on failure no context is returned.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

#include "bpf.h"
#include "db.h"
#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const caps[] = {"CAP_SYS_ADMIN", "CAP_SYS_PTRACE", "sys_chroot"};
	struct sg_profile_opts opts;
	struct sg_profile_stats stats;
	scmp_filter_ctx ctx = NULL;
	char err[256];
	char *json;
	int rc;

	if (size < 1)
		return 0;
	memset(&opts, 0, sizeof(opts));
	opts.caps = caps;
	opts.ncaps = data[0] & 1 ? 3 : 0;
	opts.all_caps = data[0] & 2;
	opts.all_arches = data[0] & 4;
	opts.optimize = data[0] & 8 ? 2 : 0;
	opts.kernel_major = data[0] & 16 ? 4 : 6;
	opts.kernel_minor = data[0] & 32 ? 14 : 1;
	opts.stats = data[0] & 64 ? &stats : NULL;
	json = malloc(size);
	if (!json)
		return 0;
	memcpy(json, data + 1, size - 1);
	json[size - 1] = 0;
	memset(err, 0x55, sizeof(err));
	rc = sg_profile_compile_string(json, &opts, &ctx, err, sizeof(err));
	if (rc < 0) {
		if (ctx || !memchr(err, 0, sizeof(err)))
			abort();
	} else {
		size_t bytes = 0;
		if (!ctx)
			abort();
		rc = seccomp_export_bpf_mem(ctx, NULL, &bytes);
		if (rc == 0 && bytes) {
			struct sock_filter *prog = malloc(bytes);
			const struct sg_filter *f = ctx;
			if (prog && seccomp_export_bpf_mem(ctx, prog, &bytes) == 0) {
				size_t len = bytes / sizeof(*prog);
				/* exported in the filter's byte order: back to the host's */
				sg_bpf_to_target(prog, len, f->arch[0].arch->big_endian);
				if (sg_bpf_check(prog, len) != 0)
					abort();
			}
			free(prog);
		} else if (rc != -EFAULT && rc != -EINVAL) {
			abort();
		}
		seccomp_release(ctx);
	}
	free(json);
	return 0;
}
