/*
 * arch_tools.c - questions about the syscall tables that only tools and tests ask (arch.h,
 * kvers.h): iterating over every name, a name's pseudo number, translating a number between
 * ABIs, parsing a release name. They are in libsysgate_tools.la, not in libseccomp.so.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <seccomp.h>

#include "arch/arch.h"
#include "arch/kvers.h"
#include "arch/syscalls.h"

int sg_syscall_pnr(const char *name)
{
	int sys = sg_sys_by_name(name);

	return sys < 0 ? 0 : sg_sys_pnr(sys);
}

const char *sg_syscall_name_at(size_t idx)
{
	return idx < SG_SYS_COUNT ? sg_sys_name(idx) : NULL;
}

int sg_arch_translate(const struct sg_arch *from, const struct sg_arch *to, int nr)
{
	const char *name = sg_arch_syscall_name(from, nr);

	if (name == NULL || to == NULL)
		return __NR_SCMP_ERROR;
	return sg_arch_syscall_nr(to, name);
}

int sg_kver_parse(const char *text)
{
	if (!text)
		return -EINVAL;
	for (unsigned int kv = SCMP_KV_UNDEF + 1; kv < SG_KV_COUNT; kv++)
		if (strcmp(text, sg_kver_names[kv]) == 0)
			return (int)kv;
	return -EINVAL;
}
