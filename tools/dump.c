/*
 * dump.c - read the seccomp filters of a running process (see dump.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "dump.h"

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif

/* the filter at kernel index idx (get_nth_filter(): 0 is the oldest, the outermost) */
static int get_one(pid_t pid, unsigned long idx, struct dump_filter *f)
{
	long n = ptrace((enum __ptrace_request)PTRACE_SECCOMP_GET_FILTER, pid, (void *)idx, NULL);

	if (n < 0)
		return -errno;
	f->len = (size_t)n;
	f->insns = calloc(f->len ? f->len : 1, sizeof(*f->insns));
	if (f->insns == NULL)
		return -ENOMEM;
	if (ptrace((enum __ptrace_request)PTRACE_SECCOMP_GET_FILTER, pid, (void *)idx, f->insns) !=
	    n) {
		free(f->insns);
		return errno ? -errno : -EIO;
	}
	return 0;
}

int dump_filters(pid_t pid, struct dump_filter **out, size_t *n)
{
	struct dump_filter *f = NULL;
	size_t count = 0;
	int status, rc = 0;

	if (ptrace(PTRACE_SEIZE, pid, NULL, NULL) != 0)
		return -errno;
	if (ptrace(PTRACE_INTERRUPT, pid, NULL, NULL) != 0 || waitpid(pid, &status, __WALL) < 0) {
		rc = -errno;
		goto detach;
	}
	for (unsigned long idx = 0;; idx++) {
		struct dump_filter *bigger = realloc(f, (count + 1) * sizeof(*f));

		if (bigger == NULL) {
			rc = -ENOMEM;
			break;
		}
		f = bigger;
		rc = get_one(pid, idx, &f[count]);
		if (rc == -ENOENT) {
			/* past the oldest filter (or no filter at all) */
			rc = 0;
			break;
		}
		if (rc < 0)
			break;
		count++;
	}
detach:
	(void)ptrace(PTRACE_DETACH, pid, NULL, NULL);
	if (rc < 0) {
		dump_free(f, count);
		return rc;
	}
	*out = f;
	*n = count;
	return 0;
}

void dump_free(struct dump_filter *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(f[i].insns);
	free(f);
}
