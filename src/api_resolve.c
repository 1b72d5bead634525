/*
 * api_resolve.c - the public architecture and syscall resolver functions.
 *
 * Edge cases follow what libseccomp 2.5.4 (Debian 12) does, measured with a test program:
 * unknown or NULL names and unknown arch tokens give __NR_SCMP_ERROR, numeric strings are not
 * parsed, and a pseudo number resolves back to a name only on ABIs where that name resolves to
 * it (see doc/syscall-tables.md).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "api.h"
#include "arch/arch.h"

SG_API uint32_t seccomp_arch_resolve_name(const char *arch_name)
{
	const struct sg_arch *arch = sg_arch_by_name(arch_name);

	return arch != NULL ? arch->token : 0;
}

SG_API uint32_t seccomp_arch_native(void)
{
	return sg_arch_native()->token;
}

SG_API int seccomp_syscall_resolve_name_arch(uint32_t arch_token, const char *name)
{
	const struct sg_arch *arch = sg_arch_by_token(arch_token);

	if (arch == NULL || name == NULL)
		return __NR_SCMP_ERROR;
	return sg_arch_resolve_name(arch, name);
}

SG_API int seccomp_syscall_resolve_name(const char *name)
{
	return seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, name);
}

SG_API int seccomp_syscall_resolve_name_rewrite(uint32_t arch_token, const char *name)
{
	const struct sg_arch *arch = sg_arch_by_token(arch_token);
	uint8_t family = 0;
	int nr;

	if (arch == NULL || name == NULL)
		return __NR_SCMP_ERROR;
	nr = sg_arch_resolve_name(arch, name);
	/* a multiplexed call becomes the mux syscall the kernel actually sees */
	if (sg_mux_call(nr, &family) != 0 && (arch->mux & family) != 0)
		return family == SG_MUX_SOCKET ? arch->socketcall_nr : arch->ipc_nr;
	return nr;
}

SG_API char *seccomp_syscall_resolve_num_arch(uint32_t arch_token, int num)
{
	const struct sg_arch *arch = sg_arch_by_token(arch_token);
	const char *name;

	if (arch == NULL)
		return NULL;
	if (num < 0) {
		name = sg_arch_pnr_name(arch, num);
	} else {
		/* like libseccomp, accept x32 numbers without the x32 bit and MIPS numbers without
		 * the ABI offset (5003 and 3 are both close() on n64) */
		if (arch->nr_base != 0 && (uint32_t)num < arch->nr_base)
			num += (int)arch->nr_base;
		name = sg_arch_syscall_name(arch, num);
	}
	return name != NULL ? strdup(name) : NULL;
}
