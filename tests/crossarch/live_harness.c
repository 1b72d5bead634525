/*
 * live_harness.c - live_arch's harness (live.h): every check runs in a forked child that
 * installs a real filter; its result, raw syscalls, and what the kernel makes of an argument.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <seccomp.h>

#include "../testutil.h"
#include "arch/kvers.h"
#include "live.h"

const struct sg_arch *native;
long nr_test; /* nr_base + NR_UNASSIGNED */
int passed, failed;
uint64_t seed;

/* a page shared with the children, for the reason of a failure (MSG_SIZE bytes) */
char *child_msg;

void child_fail(const char *fmt, ...)
{
	va_list ap;
	size_t len = strlen(child_msg);

	if (len >= MSG_SIZE - 2)
		return;
	if (len)
		child_msg[len++] = ';', child_msg[len++] = ' ', child_msg[len] = 0;
	va_start(ap, fmt);
	vsnprintf(child_msg + len, MSG_SIZE - len, fmt, ap);
	va_end(ap);
}

void result(const char *check, bool ok, const char *fmt, ...)
{
	va_list ap;
	char detail[MSG_SIZE + 256] = "";

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
	}
	printf("%s %s %s", ok ? "PASS" : "FAIL", native->name, check);
	if (detail[0])
		printf(ok ? " (%s)" : ": %s", detail);
	printf("\n");
	fflush(stdout);
	if (ok)
		passed++;
	else
		failed++;
}

void skip(const char *check, const char *why)
{
	printf("SKIP %s %s: %s\n", native->name, check, why);
	fflush(stdout);
}

/*
 * Issuing syscalls. On x86_64 and x32 the syscall instruction is used directly, so that all
 * 64 bits of every register reach the kernel (an x32 task's arguments are full 64-bit
 * registers: the high word is the caller's to choose). Elsewhere libc's syscall() passes
 * longs: 32-bit ABIs pass the low word only.
 */
long sys6(long nr, const uint64_t a[6])
{
#if defined(__x86_64__)
	register uint64_t r10 __asm__("r10") = a[3];
	register uint64_t r8 __asm__("r8") = a[4];
	register uint64_t r9 __asm__("r9") = a[5];
	uint64_t ret = (uint64_t)(int64_t)nr;

	__asm__ volatile("syscall"
	                 : "+a"(ret)
	                 : "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
	                 : "rcx", "r11", "memory");
	return (long)(int64_t)ret;
#else
	long rc =
	    syscall(nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5]);
	return rc == -1 ? -errno : rc;
#endif
}

long sys0(long nr)
{
	static const uint64_t zero[6];
	return sys6(nr, zero);
}

/* the value seccomp_data.args[i] holds when sys6() passed v */
uint64_t kernel_view(uint64_t v)
{
#if defined(__x86_64__)
	return v;
#else
	if (sizeof(long) == 8)
		return v;
	if (native->sign_extends)
		return (uint64_t)(int64_t)(int32_t)v;
	return (uint32_t)v;
#endif
}

struct seccomp_data data_for(long nr, const uint64_t a[6])
{
	struct seccomp_data d = {.nr = (int)nr, .arch = native->audit};
	for (int i = 0; i < 6; i++)
		d.args[i] = kernel_view(a[i]);
	return d;
}

/* what a syscall returns under `action`, given what it returns when allowed */
long outcome(uint32_t action, long allowed)
{
	switch (action & SECCOMP_RET_ACTION_FULL) {
	case SCMP_ACT_ERRNO(0):
		return -(long)(action & SECCOMP_RET_DATA);
	case SCMP_ACT_ALLOW:
	case SCMP_ACT_LOG:
		return allowed;
	case SCMP_ACT_TRACE(0):
		return -ENOSYS; /* no tracer: the syscall is skipped with ENOSYS */
	default:
		return 0x7eadbeef; /* never used where a process must survive */
	}
}

/* run fn in a child with a watchdog; returns the wait status */
int in_child(void (*fn)(void *), void *arg)
{
	child_msg[0] = 0;
	return tu_fork_run(fn, arg, 120);
}

const char *status_str(int st)
{
	static char buf[64];
	if (st == -1)
		snprintf(buf, sizeof(buf), "fork/wait failed");
	else if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		snprintf(buf, sizeof(buf), "status 0x%x", st);
	return buf;
}

/* a check whose child exits 0 on success */
void run_check(const char *check, void (*fn)(void *), void *arg)
{
	int st = in_child(fn, arg);
	bool ok = st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
	if (ok && child_msg[0])
		result(check, true, "%s", child_msg);
	else
		result(check, ok, "%s%s%s", ok ? "" : status_str(st), child_msg[0] ? ": " : "",
		       child_msg);
}

scmp_filter_ctx new_ctx(uint32_t def)
{
	scmp_filter_ctx ctx = seccomp_init(def);
	if (!ctx) {
		child_fail("seccomp_init(0x%x) failed", def);
		_exit(2);
	}
	return ctx;
}

void must(int rc, const char *what)
{
	if (rc != 0) {
		child_fail("%s: %d (%s)", what, rc, strerror(rc < 0 ? -rc : rc));
		_exit(2);
	}
}

/* compare one syscall's result with what is wanted; true when equal */
bool expect(const char *what, long nr, const uint64_t a[6], long want)
{
	long got = sys6(nr, a);
	if (got == want)
		return true;
	child_fail("%s: nr %ld args {%#" PRIx64 ",%#" PRIx64 ",%#" PRIx64 ",%#" PRIx64 ",%#" PRIx64
	           ",%#" PRIx64 "}: got %ld, want %ld",
	           what, nr, a[0], a[1], a[2], a[3], a[4], a[5], got, want);
	return false;
}
