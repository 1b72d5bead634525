/*
 * syscall_probe - make one raw system call and report its result, for tests that run it under a
 * seccomp filter:  syscall_probe NAME|NUMBER [ARG]...
 * Prints "ret=<value>" or "errno=<number> <NAME>" and exits 0 (2 on a usage error).
 * Arguments are numbers (decimal, 0x hex, negative); pass small numbers such as 1 as
 * pointers to get EFAULT instead of side effects.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* the calls known by name; any other is given by number */
static const struct {
	const char *name;
	long nr;
} calls[] = {
#ifdef SYS_getpid
    {"getpid", SYS_getpid},
#endif
#ifdef SYS_keyctl
    {"keyctl", SYS_keyctl},
#endif
#ifdef SYS_add_key
    {"add_key", SYS_add_key},
#endif
#ifdef SYS_bpf
    {"bpf", SYS_bpf},
#endif
#ifdef SYS_ptrace
    {"ptrace", SYS_ptrace},
#endif
#ifdef SYS_mount
    {"mount", SYS_mount},
#endif
#ifdef SYS_umount2
    {"umount2", SYS_umount2},
#endif
#ifdef SYS_personality
    {"personality", SYS_personality},
#endif
#ifdef SYS_unshare
    {"unshare", SYS_unshare},
#endif
#ifdef SYS_setns
    {"setns", SYS_setns},
#endif
#ifdef SYS_clone
    {"clone", SYS_clone},
#endif
#ifdef SYS_clone3
    {"clone3", SYS_clone3},
#endif
#ifdef SYS_socket
    {"socket", SYS_socket},
#endif
#ifdef SYS_userfaultfd
    {"userfaultfd", SYS_userfaultfd},
#endif
#ifdef SYS_kexec_load
    {"kexec_load", SYS_kexec_load},
#endif
#ifdef SYS_chroot
    {"chroot", SYS_chroot},
#endif
#ifdef SYS_acct
    {"acct", SYS_acct},
#endif
#ifdef SYS_perf_event_open
    {"perf_event_open", SYS_perf_event_open},
#endif
#ifdef SYS_open_by_handle_at
    {"open_by_handle_at", SYS_open_by_handle_at},
#endif
#ifdef SYS_pivot_root
    {"pivot_root", SYS_pivot_root},
#endif
#ifdef SYS_swapon
    {"swapon", SYS_swapon},
#endif
#ifdef SYS_syslog
    {"syslog", SYS_syslog},
#endif
#ifdef SYS_mseal
    {"mseal", SYS_mseal},
#endif
#ifdef SYS_lsm_list_modules
    {"lsm_list_modules", SYS_lsm_list_modules},
#endif
#ifdef SYS_kill
    {"kill", SYS_kill},
#endif
};

static const struct {
	int val;
	const char *name;
} errs[] = {
    {EPERM, "EPERM"},
    {ENOENT, "ENOENT"},
    {ESRCH, "ESRCH"},
    {EIO, "EIO"},
    {EBADF, "EBADF"},
    {ENOMEM, "ENOMEM"},
    {EACCES, "EACCES"},
    {EFAULT, "EFAULT"},
    {EBUSY, "EBUSY"},
    {EEXIST, "EEXIST"},
    {EINVAL, "EINVAL"},
    {ENOSYS, "ENOSYS"},
    {E2BIG, "E2BIG"},
    {ENOTDIR, "ENOTDIR"},
    {EOPNOTSUPP, "EOPNOTSUPP"},
    {EAFNOSUPPORT, "EAFNOSUPPORT"},
    {EPROTONOSUPPORT, "EPROTONOSUPPORT"},
    {ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT"},
};

static int parse(const char *s, long *out)
{
	char *end;

	errno = 0;
	if (*s == '-')
		*out = strtol(s, &end, 0);
	else
		*out = (long)strtoul(s, &end, 0);
	return *s && !*end && !errno ? 0 : -1;
}

int main(int argc, char **argv)
{
	long nr = -1, a[6] = {0}, ret;
	size_t i;
	int e;

	if (argc < 2 || argc > 8) {
		fprintf(stderr, "usage: %s NAME|NUMBER [ARG]... (at most 6 arguments)\n", argv[0]);
		return 2;
	}
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (strcmp(argv[1], calls[i].name) == 0)
			nr = calls[i].nr;
	if (nr < 0 && parse(argv[1], &nr) < 0) {
		fprintf(stderr, "%s: unknown syscall '%s' on this architecture\n", argv[0],
		        argv[1]);
		return 2;
	}
	for (i = 2; i < (size_t)argc; i++)
		if (parse(argv[i], &a[i - 2]) < 0) {
			fprintf(stderr, "%s: bad argument '%s'\n", argv[0], argv[i]);
			return 2;
		}
	errno = 0;
	ret = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	e = errno;
	if (ret != -1 || e == 0) {
		printf("ret=%ld\n", ret);
		return 0;
	}
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		if (errs[i].val == e)
			break;
	printf("errno=%d %s\n", e, i < sizeof(errs) / sizeof(errs[0]) ? errs[i].name : "?");
	return 0;
}
