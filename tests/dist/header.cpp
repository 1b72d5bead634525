/*
 * header.cpp - <seccomp.h> from C++ (extern "C", the macros, enums), built and run by
 * tests/install.sh against the installed tree.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <seccomp.h>

#include <cerrno>
#include <cstdio>

static const struct scmp_arg_cmp global_cmp = SCMP_A0(SCMP_CMP_EQ, 1);

int main()
{
	struct scmp_arg_cmp args[] = {
	    SCMP_A0(SCMP_CMP_EQ, 1),
	    SCMP_A1_32(SCMP_CMP_LT, -1),
	    SCMP_CMP(2, SCMP_CMP_MASKED_EQ, 0xff, 3),
	    SCMP_A3_LO32(SCMP_CMP_NE, -100),
	};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (ctx == nullptr)
		return 1;
	int rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 4, args);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_TRAPX(3), SCMP_SYS(write), 1, global_cmp);
	seccomp_release(ctx);
	std::printf("C++: seccomp_rule_add: %d\n", rc);
	return rc == 0 ? 0 : 1;
}
