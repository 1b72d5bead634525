/*
 * probe-helper.c - runs *inside* a real client's sandbox and reports what the kernel enforces.
 *
 * Built statically (it also runs as the process of a busybox OCI container), with no libseccomp:
 * it only observes. Used by tests/compat/clients.sh:
 *   - as a fake `tbl` early in PATH, so man-db runs it in its seccomp sandbox (mode "filter":
 *     copies stdin to stdout like tbl would, and reports on stderr);
 *   - as the process of a crun container (mode "report").
 *
 * Report lines (all prefixed "sysgate-probe: "):
 *   seccomp=N filters=N          from /proc/self/status
 *   <name>=ok | <name>=E<NAME>   result of one harmless syscall attempt
 * Attempts (all harmless whatever the result):
 *   socket_inet    socket(AF_INET, SOCK_STREAM, 0)   (closed again)
 *   socket_unix    socket(AF_UNIX, SOCK_STREAM, 0)   (closed again)
 *   reboot_badmagic reboot(0, 0, 0, NULL)            (EINVAL unless filtered: bad magic)
 *   umount2_none   umount2("/nonexistent-sysgate", 0) (ENOENT unless filtered)
 *   setns_badfd    setns(-1, 0)                      (EBADF unless filtered)
 *   swapoff_none   swapoff("/nonexistent-sysgate")   (ENOENT unless filtered)
 *   personality_q  personality(0xffffffff)           (query only)
 *   getpid         getpid()
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *errname(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EBADF: return "EBADF";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case ENOSYS: return "ENOSYS";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case ENOTSUP: return "ENOTSUP";
	case EBUSY: return "EBUSY";
	default: {
		static char buf[16];
		snprintf(buf, sizeof(buf), "E%d", e);
		return buf;
	}
	}
}

static void say(const char *name, long rc)
{
	/* one write() per line, to stderr: unbuffered and allowed by every sandbox tested */
	char line[128];
	int n;
	if (rc < 0)
		n = snprintf(line, sizeof(line), "sysgate-probe: %s=%s\n", name, errname(errno));
	else
		n = snprintf(line, sizeof(line), "sysgate-probe: %s=ok\n", name);
	if (write(2, line, n) < 0)
		_exit(3);
}

static void report_status(void)
{
	char buf[8192], line[128];
	const char *s, *f;
	ssize_t len = -1;
	int fd = -1, n;

	/* raw syscalls: no stdio, so that a sandbox refusing open() is reported, not fatal */
	fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/status", 0);
	if (fd >= 0) {
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (len <= 0) {
		n = snprintf(line, sizeof(line), "sysgate-probe: seccomp=unknown(%s)\n",
			     fd < 0 ? errname(errno) : "read");
		if (write(2, line, n) < 0)
			_exit(3);
		return;
	}
	buf[len] = 0;
	s = strstr(buf, "\nSeccomp:");
	f = strstr(buf, "\nSeccomp_filters:");
	n = snprintf(line, sizeof(line), "sysgate-probe: seccomp=%ld filters=%ld\n",
		     s ? strtol(s + 9, NULL, 10) : -1L, f ? strtol(f + 17, NULL, 10) : -1L);
	if (write(2, line, n) < 0)
		_exit(3);
}

static void attempts(void)
{
	long rc;

	rc = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	say("socket_inet", rc);
	if (rc >= 0)
		close((int)rc);
	rc = syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
	say("socket_unix", rc);
	if (rc >= 0)
		close((int)rc);
	say("reboot_badmagic", syscall(SYS_reboot, 0L, 0L, 0L, NULL));
	say("umount2_none", syscall(SYS_umount2, "/nonexistent-sysgate", 0L));
	say("setns_badfd", syscall(SYS_setns, -1L, 0L));
	say("swapoff_none", syscall(SYS_swapoff, "/nonexistent-sysgate"));
	say("personality_q", syscall(SYS_personality, 0xffffffffUL));
	say("getpid", syscall(SYS_getpid));
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	const char *self = strrchr(argv[0], '/');

	self = self ? self + 1 : argv[0];
	/* invoked under another name (e.g. as `tbl` by man): act as a pass-through filter */
	if (strcmp(self, "probe-helper") != 0 && strcmp(mode, "report") != 0)
		mode = "filter";

	if (strcmp(mode, "filter") == 0) {
		char buf[4096];
		ssize_t n;
		report_status();
		attempts();
		while ((n = read(0, buf, sizeof(buf))) > 0)
			if (write(1, buf, (size_t)n) != n)
				return 1;
		return 0;
	}
	if (strcmp(mode, "report") == 0) {
		report_status();
		attempts();
		if (argc > 2) /* stay alive for the harness to look at /proc/PID/status */
			sleep((unsigned)atoi(argv[2]));
		return 0;
	}
	fprintf(stderr, "usage: probe-helper report [SECONDS] | (as another name) filter\n");
	return 2;
}
