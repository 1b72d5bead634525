/*
 * dump.h - read the seccomp filters of a running process (PTRACE_SECCOMP_GET_FILTER).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_DUMP_H
#define SYSGATE_DUMP_H

#include <stddef.h>
#include <sys/types.h>
#include <linux/filter.h>

struct dump_filter {
	struct sock_filter *insns; /* host byte order */
	size_t len;
};

/*
 * Attach to pid (PTRACE_SEIZE + PTRACE_INTERRUPT), copy every filter of its stack, detach.
 * The result is outermost (first installed) first. Needs CAP_SYS_ADMIN and ptrace permission.
 * Returns 0 (*out, *n; free with dump_free), or a negative errno (-EPERM, -ESRCH, -EINVAL when
 * the kernel lacks PTRACE_SECCOMP_GET_FILTER or seccomp, ...).
 */
int dump_filters(pid_t pid, struct dump_filter **out, size_t *n);
void dump_free(struct dump_filter *f, size_t n);

#endif
