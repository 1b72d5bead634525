/*
 * ref_export.c - write the raw BPF program a libseccomp builds for a fixed policy, for the
 * differential tests of scmp_bpf_diff. Built against the system's <seccomp.h> and library like
 * ref_resolver_dump; run with LD_LIBRARY_PATH pointing at another libseccomp.so.2 (the shared
 * reference 2.6.1, or sysgate's own build) to get that library's program for the same policy.
 *
 * usage: ref_export POLICY > FILE    (POLICY: mkdir-bug)
 *
 * mkdir-bug: default ERRNO(1); mkdir allowed if (A2 & 0x6006400) == 0x4006000 && A1 >= 0x3aa3,
 * or if A1 >= 0xbbe7 && A5 >= 0x11c5 (doc/verification.md: libseccomp 2.5.4 and 2.6.1 also
 * allow mkdir with A1=0x548f, A2=0xf306, A5=0xb331645445bcd27).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	scmp_filter_ctx ctx;
	int nr, rc = 0;

	if (argc != 2 || strcmp(argv[1], "mkdir-bug") != 0) {
		fprintf(stderr, "usage: %s mkdir-bug > FILE\n", argv[0]);
		return 2;
	}
	ctx = seccomp_init(SCMP_ACT_ERRNO(1));
	nr = seccomp_syscall_resolve_name("mkdir");
	if (ctx == NULL || nr < 0)
		return 1;
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 2,
	                       SCMP_A2(SCMP_CMP_MASKED_EQ, 0x6006400, 0x4006000),
	                       SCMP_A1(SCMP_CMP_GE, 0x3aa3));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 2, SCMP_A1(SCMP_CMP_GE, 0xbbe7),
	                       SCMP_A5(SCMP_CMP_GE, 0x11c5));
	if (rc == 0)
		rc = seccomp_export_bpf(ctx, STDOUT_FILENO);
	seccomp_release(ctx);
	return rc ? 1 : 0;
}
