/*
 * profile_handbuilt - build, through the libseccomp C API and by hand, the filter that
 * tests/profiles/small.json describes, and write it as raw BPF to the file given (or stdout).
 * test_profile.sh compares its verdicts with scmp_compile's. Keep the two in step.
 *
 * The same-argument conjunctions of the profile are written the way a person would:
 * fcntl's 1 <= a1 <= 4 as four EQ rules, socket's a0 != 16 && a0 != 17 as LT 16 / GT 17.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <seccomp.h>

#define CHECK(call)                                                                                \
	do {                                                                                       \
		int rc_ = (call);                                                                  \
		if (rc_ < 0) {                                                                     \
			fprintf(stderr, "profile_handbuilt: %s: %s\n", #call, strerror(-rc_));     \
			goto err;                                                                  \
		}                                                                                  \
	} while (0)

int main(int argc, char **argv)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(38));
	int fd = STDOUT_FILENO, i;

	if (!ctx) {
		fprintf(stderr, "profile_handbuilt: seccomp_init failed\n");
		return 1;
	}
	CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 0));
	CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 0));
	CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(close), 0));
	CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0));
	/* read-only opens: (flags & O_ACCMODE) == O_RDONLY */
	CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
	                       SCMP_A2(SCMP_CMP_MASKED_EQ, 3, 0)));
	CHECK(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(13), SCMP_SYS(kill), 0));
	/* errnoRet absent: EPERM */
	CHECK(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(getppid), 0));
	CHECK(seccomp_rule_add(ctx, SCMP_ACT_TRAP, SCMP_SYS(dup3), 0));
	/* getpid's ERRNO(38) equals the default: no rule */
	CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(personality), 1,
	                       SCMP_A0(SCMP_CMP_EQ, 0)));
	CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(personality), 1,
	                       SCMP_A0(SCMP_CMP_EQ, 8)));
	for (i = 1; i <= 4; i++)
		CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1,
		                       SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)i)));
	CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 2, SCMP_A0(SCMP_CMP_LT, 16),
	                       SCMP_A1(SCMP_CMP_EQ, 1)));
	CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 2, SCMP_A0(SCMP_CMP_GT, 17),
	                       SCMP_A1(SCMP_CMP_EQ, 1)));
	/* no PROT_EXEC, and MAP_ANONYMOUS */
	CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 2,
	                       SCMP_A2(SCMP_CMP_MASKED_EQ, 4, 0),
	                       SCMP_A3(SCMP_CMP_MASKED_EQ, 32, 32)));

	if (argc > 1) {
		fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0) {
			fprintf(stderr, "profile_handbuilt: %s: %s\n", argv[1], strerror(errno));
			goto err;
		}
	}
	CHECK(seccomp_export_bpf(ctx, fd));
	if (fd != STDOUT_FILENO && close(fd) < 0) {
		fprintf(stderr, "profile_handbuilt: %s: %s\n", argv[1], strerror(errno));
		goto err;
	}
	seccomp_release(ctx);
	return 0;
err:
	seccomp_release(ctx);
	return 1;
}
