/*
 * installed.c - a libseccomp client built by tests/install.sh against the installed tree
 * (pkg-config, -std=c99 -pedantic -Werror). It must run with sysgate's libseccomp.so.2 and
 * say so: libseccomp API 2.6.1 and the csky architecture, which only sysgate knows.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <seccomp.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int fail(const char *what, int rc)
{
	printf("FAIL: %s: %d (%s)\n", what, rc, strerror(rc < 0 ? -rc : rc));
	return 1;
}

int main(void)
{
	static const uint32_t actions[] = {
	    SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD,   SCMP_ACT_KILL,     SCMP_ACT_TRAP,
	    SCMP_ACT_TRAPX(7),     SCMP_ACT_ERRNO(EACCES), SCMP_ACT_TRACE(3), SCMP_ACT_LOG,
	    SCMP_ACT_NOTIFY,       SCMP_ACT_ALLOW,
	};
	/* the kernel's encodings: compiled into programs, so they can never change */
	static const uint32_t values[] = {
	    0x80000000u, 0x00000000u, 0x00000000u, 0x00030000u, 0x00030007u,
	    0x0005000du, 0x7ff00003u, 0x7ffc0000u, 0x7fc00000u, 0x7fff0000u,
	};
	const int syscalls[] = {
	    SCMP_SYS(read),   SCMP_SYS(write),  SCMP_SYS(openat),  SCMP_SYS(close), SCMP_SYS(dup),
	    SCMP_SYS(socket), SCMP_SYS(getpid), SCMP_SYS(getppid), SCMP_SYS(uname), SCMP_SYS(kill),
	};
	const struct scmp_version *v = seccomp_version();
	scmp_filter_ctx ctx;
	size_t len = 0;
	unsigned int i;
	int rc;

	if (v->major != SCMP_VER_MAJOR || v->minor != SCMP_VER_MINOR || v->micro != SCMP_VER_MICRO)
		return fail("seccomp_version() differs from the header's SCMP_VER_*", 0);
	/* every action, whatever this kernel supports: nothing is loaded */
	rc = seccomp_api_set(7);
	if (rc != 0)
		return fail("seccomp_api_set(7)", rc);
	ctx = seccomp_init(SCMP_ACT_ERRNO(ENOSYS));
	if (ctx == NULL)
		return fail("seccomp_init", 0);
	for (i = 0; i < N(actions); i++) {
		struct scmp_arg_cmp lo = SCMP_A2_LO32(SCMP_CMP_LT, 4096);

		if (actions[i] != values[i])
			return fail("an SCMP_ACT_* value", (int)i);
		rc = seccomp_rule_add(ctx, actions[i], syscalls[i], 3, SCMP_A0(SCMP_CMP_EQ, i),
		                      SCMP_A1_32(SCMP_CMP_NE, -1), lo);
		if (rc != 0)
			return fail("seccomp_rule_add", rc);
	}
	rc = seccomp_arch_add(ctx, SCMP_ARCH_X86);
	if (rc != 0 && rc != -EEXIST && rc != -EDOM)
		return fail("seccomp_arch_add(x86)", rc);
	rc = seccomp_export_bpf_mem(ctx, NULL, &len);
	if (rc != 0 || len == 0 || len % 8 != 0)
		return fail("seccomp_export_bpf_mem", rc);
	seccomp_release(ctx);

	printf("libseccomp API %u.%u.%u, %u-byte program\n", v->major, v->minor, v->micro,
	       (unsigned int)len);
	if (seccomp_arch_resolve_name("csky") == 0)
		return fail("csky is unknown: this is not sysgate's library", 0);
	printf("sysgate %s: csky is architecture 0x%08x\n", SYSGATE_VERSION,
	       (unsigned int)seccomp_arch_resolve_name("csky"));
	return 0;
}
