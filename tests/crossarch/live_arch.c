/*
 * live_arch.c - sysgate's live tests for one ABI, in a real kernel.
 *
 * tests/crossarch/run.sh builds this program statically for every target ABI, together with
 * the library's sources compiled by the same cross compiler, and boots it as /init of a
 * qemu-system VM with a Debian kernel. Every check runs in a forked child that installs a real
 * filter; verdicts are observed through syscall numbers no ABI assigns (an allowed call
 * returns ENOSYS, ERRNO(n) returns n), through harmless syscalls that ignore their arguments
 * (getpid, getuid, ...), and through signals and wait statuses for TRAP and KILL.
 *
 * As PID 1 it also sets up the console, then runs every program in /crossarch/ (the compat
 * ABIs of the same kernel: armhf under arm64, s390 31-bit under s390x, i386 and x32 under
 * x86_64) and powers the VM off. Run as an ordinary program it exits 0 when every check
 * passed, 1 otherwise, and 77 when the kernel has no seccomp filter support.
 *
 * Output: "PASS <abi> <check>", "FAIL <abi> <check>: <detail>" or "SKIP <abi> <check>: <why>"
 * per check, then "CROSSARCH <abi>: N passed, M failed". SYSGATE_SEED=N (environment, or the
 * kernel command line, which the kernel hands to init as environment) replays the random parts.
 *
 * The harness, the random policies and the multiplexed calls are live_harness.c, live_random.c
 * and live_mux.c (live.h).
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

/*
 * actions
 */

static void errno_child(void *p)
{
	(void)p;
	scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ALLOW);
	bool ok = true;

	must(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(5), nr_test, 0), "rule");
	must(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(0), nr_test + 1, 0), "rule");
	must(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(4094), nr_test + 2, 0), "rule");
	must(seccomp_load(ctx), "seccomp_load");
	ok &= expect("ERRNO(5)", nr_test, (uint64_t[6]){0}, -5);
	ok &= expect("ERRNO(0) returns 0", nr_test + 1, (uint64_t[6]){0}, 0);
	ok &= expect("ERRNO(4094)", nr_test + 2, (uint64_t[6]){0}, -4094);
	ok &= expect("ALLOW", nr_test + 3, (uint64_t[6]){0}, -ENOSYS);
	_exit(ok ? 0 : 1);
}

static void log_trace_child(void *p)
{
	(void)p;
	scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ALLOW);
	bool ok = true;
	long pid = sys0(SYS_getpid);

	must(seccomp_rule_add(ctx, SCMP_ACT_LOG, nr_test, 0), "rule");
	must(seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getpid), 0), "rule");
	must(seccomp_rule_add(ctx, SCMP_ACT_TRACE(7), SCMP_SYS(getppid), 0), "rule");
	must(seccomp_load(ctx), "seccomp_load");
	/* LOG allows; TRACE without a tracer skips the call with ENOSYS */
	ok &= expect("LOG unassigned", nr_test, (uint64_t[6]){0}, -ENOSYS);
	ok &= expect("LOG getpid", SYS_getpid, (uint64_t[6]){0}, pid);
	ok &= expect("TRACE getppid", SYS_getppid, (uint64_t[6]){0}, -ENOSYS);
	_exit(ok ? 0 : 1);
}

static volatile sig_atomic_t trap_count;
static volatile long trap_syscall, trap_errno, trap_code;
static volatile uint32_t trap_arch;

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	trap_count++;
	trap_syscall = si->si_syscall;
	trap_errno = si->si_errno;
	trap_code = si->si_code;
	trap_arch = si->si_arch;
}

static void trap_child(void *p)
{
	(void)p;
	struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
	scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ALLOW);
	bool ok = true;

	sigaction(SIGSYS, &sa, NULL);
	must(seccomp_rule_add(ctx, SCMP_ACT_TRAP, nr_test, 0), "rule");
	must(seccomp_rule_add(ctx, SCMP_ACT_TRAPX(0x1234), nr_test + 1, 1, SCMP_A0(SCMP_CMP_EQ, 7)),
	     "rule");
	must(seccomp_load(ctx), "seccomp_load");
	sys0(nr_test);
	if (trap_count != 1 || trap_syscall != nr_test || trap_errno != 0 ||
	    trap_code != 1 /* SYS_SECCOMP */) {
		child_fail("TRAP: count %d si_syscall %ld si_errno %ld si_code %ld",
		           (int)trap_count, (long)trap_syscall, (long)trap_errno, (long)trap_code);
		ok = false;
	}
	if (trap_arch != native->audit || seccomp_arch_native() != native->token) {
		child_fail("si_arch 0x%08x, sysgate's native AUDIT_ARCH 0x%08x, token 0x%08x",
		           trap_arch, native->audit, seccomp_arch_native());
		ok = false;
	}
	sys6(nr_test + 1, (uint64_t[6]){7});
	if (trap_count != 2 || trap_syscall != nr_test + 1 || trap_errno != 0x1234) {
		child_fail("TRAPX(0x1234): count %d si_syscall %ld si_errno %#lx", (int)trap_count,
		           (long)trap_syscall, (long)trap_errno);
		ok = false;
	}
	ok &= expect("TRAPX arg mismatch", nr_test + 1, (uint64_t[6]){8}, -ENOSYS);
	if (trap_count != 2) {
		child_fail("trapped on a non-matching argument");
		ok = false;
	}
	if (ok)
		child_fail("si_arch 0x%08x", trap_arch);
	_exit(ok ? 0 : 1);
}

static void kill_child(void *p)
{
	uint32_t action = *(uint32_t *)p;
	scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ALLOW);

	must(seccomp_rule_add(ctx, action, nr_test, 1, SCMP_A1(SCMP_CMP_GE, 10)), "rule");
	must(seccomp_load(ctx), "seccomp_load");
	if (!expect("below the threshold", nr_test, (uint64_t[6]){0, 9}, -ENOSYS))
		_exit(3);
	sys6(nr_test, (uint64_t[6]){0, 10});
	child_fail("survived a KILL");
	_exit(4);
}

static void check_kill(const char *check, uint32_t action)
{
	int st = in_child(kill_child, &action);
	bool ok = st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS;
	result(check, ok, "%s%s%s", status_str(st), child_msg[0] ? ": " : "", child_msg);
}

static atomic_int thread_done;

static void *killer_thread(void *p)
{
	(void)p;
	sys0(nr_test);
	atomic_store(&thread_done, 1); /* not reached: the thread is killed */
	return NULL;
}

static void kill_thread_only_child(void *p)
{
	uint32_t action = *(uint32_t *)p;
	scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ALLOW);
	pthread_t t;

	must(seccomp_rule_add(ctx, action, nr_test, 0), "rule");
	must(seccomp_load(ctx), "seccomp_load");
	if (pthread_create(&t, NULL, killer_thread, NULL) != 0) {
		child_fail("pthread_create failed");
		_exit(5);
	}
	pthread_join(t, NULL); /* KILL_THREAD ends only that thread: the join returns */
	_exit(atomic_load(&thread_done) ? 3 : 0);
}

static void check_kill_thread_vs_process(void)
{
	uint32_t thread = SCMP_ACT_KILL_THREAD, process = SCMP_ACT_KILL_PROCESS;
	int st = in_child(kill_thread_only_child, &thread);
	result("kill_thread_only_thread", st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	       "%s%s%s", status_str(st), child_msg[0] ? ": " : "", child_msg);
	st = in_child(kill_thread_only_child, &process);
	result("kill_process_whole_process", st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS,
	       "%s%s%s", status_str(st), child_msg[0] ? ": " : "", child_msg);
}

/*
 * argument comparisons: both words on 64-bit ABIs; on 32-bit ones the low word, compared with
 * a datum that names a 32-bit value (zero- or sign-extended), while a datum beyond 32 bits
 * decides alone (LT 0x1_00000000 always holds) -- except on x32, whose registers reach the
 * kernel whole: there such a datum is compared with all 64 bits (the want64 column)
 */

#define NONE 0 /* the call is allowed: ENOSYS */

struct arg_rule {
	int off; /* nr_test + off */
	unsigned int arg;
	unsigned int op;
	uint64_t a, b;
	int err;
};

static const struct arg_rule arg_rules[] = {
    {0, 0, SCMP_CMP_EQ, 0x100000005ull, 0, 11},
    {1, 1, SCMP_CMP_GT, 0x100000000ull, 0, 12},
    {2, 2, SCMP_CMP_MASKED_EQ, 0xff000000ff000000ull, 0x1200000034000000ull, 13},
    {3, 3, SCMP_CMP_EQ, 0xffffffffffffffffull, 0, 14},
    {4, 5, SCMP_CMP_GE, 0x8000000080000000ull, 0, 15},
    {5, 4, SCMP_CMP_NE, 0xffffffffull, 0, 16},
    {6, 0, SCMP_CMP_LT, 0x100000000ull, 0, 17},
    {7, 1, SCMP_CMP_LE, 0x1fffffffeull, 0, 18},
    /* sysgate's opt-in: compare the low word only, on every ABI */
    {8, 0, SCMP_CMP_EQ | SCMP_CMP_32BIT, 0xffffff9cull, 0, 19},
};

struct arg_probe {
	int off;
	unsigned int arg;
	uint64_t v;
	int want64, want32; /* errno on 64-bit / 32-bit ABIs, NONE when allowed */
};

static const struct arg_probe arg_probes[] = {
    /* A0 == 0x1_00000005: never a 32-bit value (libseccomp: == 5) */
    {0, 0, 5, NONE, NONE},
    {0, 0, 0x100000005ull, 11, NONE},
    {0, 0, 0x200000005ull, NONE, NONE},
    {0, 0, 0x100000006ull, NONE, NONE},
    /* A1 > 0x1_00000000: never a 32-bit value (libseccomp: > 0) */
    {1, 1, 0, NONE, NONE},
    {1, 1, 0xffffffffull, NONE, NONE},
    {1, 1, 0x100000000ull, NONE, NONE},
    {1, 1, 0x100000001ull, 12, NONE},
    {1, 1, 0xffffffff00000000ull, 12, NONE},
    /* A2 & 0xff000000_ff000000 == 0x12000000_34000000: never a 32-bit value */
    {2, 2, 0x12abcdef34abcdefull, 13, NONE},
    {2, 2, 0x1200000035000000ull, NONE, NONE},
    {2, 2, 0x1300000034000000ull, NONE, NONE},
    {2, 2, 0x34000000ull, NONE, NONE},
    /* A3 == -1 (sign-extended; truncated to 0xffffffff on 32-bit ABIs) */
    {3, 3, 0xffffffffffffffffull, 14, 14},
    {3, 3, 0xffffffffull, NONE, 14},
    {3, 3, 0xffffffff00000000ull, NONE, NONE},
    {3, 3, 0xfffffffeull, NONE, NONE},
    /* A5 >= 0x80000000_80000000: the last word of seccomp_data; never a 32-bit value */
    {4, 5, 0x8000000080000000ull, 15, NONE},
    {4, 5, 0x800000007fffffffull, NONE, NONE},
    {4, 5, 0x7fffffffffffffffull, NONE, NONE},
    {4, 5, 0xffffffff00000000ull, 15, NONE},
    {4, 5, 0x80000000ull, NONE, NONE},
    /* A4 != 0xffffffff */
    {5, 4, 0xffffffffull, NONE, NONE},
    {5, 4, 0xffffffffffffffffull, 16, NONE},
    {5, 4, 0, 16, 16},
    /* A0 < 0x1_00000000: every 32-bit value (libseccomp: < 0, never) */
    {6, 0, 0xffffffffull, 17, 17},
    {6, 0, 0x100000000ull, NONE, 17},
    {6, 0, 0xffffffffffffff9cull, NONE, 17},
    /* A1 <= 0x1_fffffffe: every 32-bit value (libseccomp: <= 0xfffffffe) */
    {7, 1, 0x1fffffffeull, 18, 18},
    {7, 1, 0x1ffffffffull, NONE, 18},
    {7, 1, 0xffffffffull, 18, 18},
    {7, 1, 0x2fffffffdull, NONE, 18},
    /* A0 ==(32-bit) AT_FDCWD: both the sign- and the zero-extended form, any high word */
    {8, 0, 0xffffff9cull, 19, 19},
    {8, 0, 0xffffffffffffff9cull, 19, 19},
    {8, 0, 0x1ffffff9cull, 19, 19},
    {8, 0, 0xffffff9dull, NONE, NONE},
};


static bool names_32bit_value(uint64_t v)
{
	return (v >> 32) == 0 || (v >> 31) == 0x1ffffffffull;
}

/* what a probe gets on this ABI: the want64 column where all 64 bits are compared */
static long probe_want(const struct arg_probe *pr)
{
	const struct arg_rule *r = NULL;
	bool words64 = native->arg_bits == 64;

	for (size_t i = 0; i < NELEM(arg_rules); i++)
		if (arg_rules[i].off == pr->off)
			r = &arg_rules[i];
	if (native->token == SCMP_ARCH_X32 && r && !(r->op & SCMP_CMP_32BIT)) {
		bool masked = r->op == SCMP_CMP_MASKED_EQ;
		words64 = !names_32bit_value(masked ? r->a & r->b : r->a) ||
		          (masked && !names_32bit_value(r->a));
	}
	int e = words64 ? pr->want64 : pr->want32;
	return e ? -e : -ENOSYS;
}

static void args_child(void *p)
{
	(void)p;
	scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ALLOW);
	struct sg_filter *f = (struct sg_filter *)ctx;
	bool wide = native->arg_bits == 64, ok = true;
	int n = 0;

	for (size_t i = 0; i < NELEM(arg_rules); i++) {
		const struct arg_rule *r = &arg_rules[i];
		struct scmp_arg_cmp c = {r->arg, (enum scmp_compare)r->op, r->a, r->b};
		must(seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO((uint32_t)r->err), nr_test + r->off,
		                            1, &c),
		     "rule");
	}
	/* the hand-written expectations must be the IR's too */
	for (size_t i = 0; i < NELEM(arg_probes); i++) {
		const struct arg_probe *pr = &arg_probes[i];
		uint64_t a[6] = {0};
		a[pr->arg] = pr->v;
		struct seccomp_data d = data_for(nr_test + pr->off, a);
		long want = probe_want(pr);
		if (outcome(sg_ir_eval(f, &d), -ENOSYS) != want) {
			child_fail("IR disagrees on probe %zu: IR gives 0x%08x, want %ld", i,
			           sg_ir_eval(f, &d), want);
			ok = false;
		}
	}
	must(seccomp_load(ctx), "seccomp_load");
	for (size_t i = 0; i < NELEM(arg_probes); i++) {
		const struct arg_probe *pr = &arg_probes[i];
		uint64_t a[6] = {0};
		char what[48];
		a[pr->arg] = pr->v;
		long want = probe_want(pr);
		snprintf(what, sizeof(what), "probe %zu (A%u)", i, pr->arg);
		ok &= expect(what, nr_test + pr->off, a, want);
		n++;
	}
	if (ok)
		child_fail("%d probes, %s", n, wide ? "64-bit words" : "low word only");
	_exit(ok ? 0 : 1);
}

/*
 * The x32 ABI: arguments are 64-bit registers, the filter (like libseccomp's) compares the low
 * word only. Garbage in the high word must not change a verdict.
 */
static void x32_hiword_child(void *p)
{
	(void)p;
	scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ALLOW);
	bool ok = true;

	must(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(21), nr_test, 1, SCMP_A0(SCMP_CMP_EQ, 5)),
	     "rule");
	must(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(22), nr_test + 1, 1, SCMP_A2(SCMP_CMP_GT, 7)),
	     "rule");
	must(seccomp_load(ctx), "seccomp_load");
	ok &= expect("low word 5", nr_test, (uint64_t[6]){5}, -21);
	ok &= expect("hi word set, low 5", nr_test, (uint64_t[6]){0xdead000000000005ull}, -21);
	ok &= expect("hi word set, low 6", nr_test, (uint64_t[6]){0x0000000100000006ull}, -ENOSYS);
	ok &= expect("GT, low 7", nr_test + 1, (uint64_t[6]){0, 0, 0xffffffff00000007ull}, -ENOSYS);
	ok &= expect("GT, low 8", nr_test + 1, (uint64_t[6]){0, 0, 0x0000000000000008ull}, -22);
	_exit(ok ? 0 : 1);
}

/*
 * architectures of a filter
 */

static void check_arch_add(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int bad = 0;
	char msg[256] = "";

	for (size_t i = 0; i < sg_arch_count; i++) {
		const struct sg_arch *a = sg_arches[i];
		int want = a == native ? -EEXIST : a->big_endian != native->big_endian ? -EDOM : 0;
		int rc = seccomp_arch_add(ctx, a->token);
		if (rc != want && bad++ == 0)
			snprintf(msg, sizeof(msg), "seccomp_arch_add(%s) = %d, want %d", a->name,
			         rc, want);
		if (rc == 0)
			seccomp_arch_remove(ctx, a->token);
	}
	seccomp_release(ctx);
	result("arch_add_endianness", bad == 0, "%s", msg);
}

/* a filter without the native ABI: every syscall takes the bad-arch action */
static void badarch_child(void *p)
{
	(void)p;
	scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ALLOW);
	const struct sg_arch *other = NULL;

	for (size_t i = 0; i < sg_arch_count && !other; i++)
		if (sg_arches[i]->big_endian == native->big_endian &&
		    sg_arches[i]->audit != native->audit)
			other = sg_arches[i];
	must(seccomp_arch_add(ctx, other->token), "arch_add");
	must(seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE), "arch_remove");
	must(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS), "badarch");
	must(seccomp_load(ctx), "seccomp_load");
	sys0(SYS_getpid);
	child_fail("survived a bad-arch KILL_PROCESS");
	_exit(4);
}

/* x86_64 and x32 share AUDIT_ARCH_X86_64: a filter for one gives the other bad-arch */
static void x32_badarch_child(void *p)
{
	(void)p;
	scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ALLOW);
	bool ok = true;
	long pid = sys0(SYS_getpid);
	long other_getpid = sg_arch_syscall_nr(native, "getpid") ^ SG_X32_BIT;

	must(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), nr_test, 0), "rule");
	must(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(77)), "badarch");
	must(seccomp_load(ctx), "seccomp_load");
	ok &= expect("other ABI's getpid", other_getpid, (uint64_t[6]){0}, -77);
	ok &= expect("native getpid", SYS_getpid, (uint64_t[6]){0}, pid);
	ok &= expect("rule", nr_test, (uint64_t[6]){0}, -1);
	/* -1 (a syscall skipped by a tracer) belongs to x86_64 */
	if (native->token == SCMP_ARCH_X86_64)
		ok &= expect("nr -1", -1, (uint64_t[6]){0}, -ENOSYS);
	_exit(ok ? 0 : 1);
}

/*
 * Docker's default: x86_64 + x86 + x32 with a deny-by-default policy, seen from a 64-bit (or
 * x32) process calling both numberings.
 */
static void docker_child(void *p)
{
	(void)p;
	scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ERRNO(1));
	struct sg_filter *f = (struct sg_filter *)ctx;
	static const char *const allowed[] = {"exit", "exit_group", "getpid", "geteuid"};
	static const char *const probes[] = {"getpid", "getppid", "geteuid", "getuid",
	                                     "sched_yield"};
	bool ok = true;

	if (native->token != SCMP_ARCH_X86_64)
		must(seccomp_arch_add(ctx, SCMP_ARCH_X86_64), "arch_add x86_64");
	if (native->token != SCMP_ARCH_X86)
		must(seccomp_arch_add(ctx, SCMP_ARCH_X86), "arch_add x86");
	if (native->token != SCMP_ARCH_X32)
		must(seccomp_arch_add(ctx, SCMP_ARCH_X32), "arch_add x32");
	for (size_t i = 0; i < NELEM(allowed); i++)
		must(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, seccomp_syscall_resolve_name(allowed[i]),
		                      0),
		     allowed[i]);
	must(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(13), SCMP_SYS(getppid), 0), "getppid");
	long nrs[16], base[16];
	int n = 0;
	for (size_t i = 0; i < NELEM(probes); i++) {
		long nr = sg_arch_syscall_nr(native, probes[i]);
		nrs[n] = nr, base[n] = sys0(nr), n++;
		nrs[n] = nr ^ SG_X32_BIT, base[n] = sys0(nr ^ SG_X32_BIT), n++;
	}
	nrs[n] = nr_test, base[n] = -ENOSYS, n++;
	nrs[n] = nr_test ^ SG_X32_BIT, base[n] = -ENOSYS, n++;
	long want[16];
	for (int i = 0; i < n; i++) {
		struct seccomp_data d = data_for(nrs[i], (uint64_t[6]){0});
		want[i] = outcome(sg_ir_eval(f, &d), base[i]);
	}
	must(seccomp_load(ctx), "seccomp_load");
	for (int i = 0; i < n; i++) {
		char what[32];
		snprintf(what, sizeof(what), "probe %d", i);
		ok &= expect(what, nrs[i], (uint64_t[6]){0}, want[i]);
	}
	/* the hand-made expectations behind the IR's; from i386 the "other numbering" is just
	 * numbers the x86 table lacks, so the default action */
	bool x86_64_family = native->audit == AUDIT_ARCH_X86_64;
	if (ok && !(want[0] == base[0] && want[2] == -13 && want[3] == (x86_64_family ? -13 : -1) &&
	            want[6] == -1 && want[7] == -1 && want[n - 1] == -1 && want[n - 2] == -1)) {
		child_fail("IR verdicts unexpected: getpid %ld getppid %ld/%ld getuid %ld/%ld",
		           want[0], want[2], want[3], want[6], want[7]);
		ok = false;
	}
	if (ok)
		child_fail("the other numbering's getpid returns %ld when allowed", base[1]);
	_exit(ok ? 0 : 1);
}

/*
 * fd -1 given as a 64-bit -1 (SCMP_A0(SCMP_CMP_EQ, -1)) matches on every ABI: on 32-bit ones
 * the datum names the 32-bit value -1
 */
static void fd_minus1_child(void *p)
{
	(void)p;
	scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ALLOW);
	bool ok = true;

	must(
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(27), SCMP_SYS(close), 1, SCMP_A0(SCMP_CMP_EQ, -1)),
	    "rule on close(-1)");
	must(seccomp_load(ctx), "seccomp_load");
	ok &= expect("close(-1)", __NR_close, (uint64_t[6]){UINT64_MAX}, -27);
	ok &= expect("close(1000)", __NR_close, (uint64_t[6]){1000}, -EBADF);
	/* the C library's close(-1): an int, so on a 32-bit ABI every libc passes 0xffffffff
	 * (on 64-bit ones it may be zero- or sign-extended: libseccomp issue #383) */
	if (native->arg_bits == 32 && (close(-1) != -1 || errno != 27)) {
		child_fail("libc close(-1): errno %d, want 27", errno);
		ok = false;
	}
	_exit(ok ? 0 : 1);
}

#ifdef __NR_ipc
static void ipc_child(void *p)
{
	const struct mux_arg *ma = p;
	bool ok = true;
	scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ALLOW);
	int semget_nr = ma->by_pnr ? sg_syscall_pnr("semget") : SCMP_SYS(semget);
	long rc;

	rc = sys6(__NR_ipc, (uint64_t[6]){MUX_SEMGET, 0 /* IPC_PRIVATE */, 1, 0600});
	if (rc < 0) {
		child_fail("ipc(SEMGET) before the filter: %ld", rc);
		_exit(6);
	}
	must(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(23), semget_nr, 0), "rule on semget");
	must(seccomp_load(ctx), "seccomp_load");
	ok &= expect("ipc(SEMGET)", __NR_ipc, (uint64_t[6]){MUX_SEMGET, 0, 1, 0600}, -23);
#ifdef __NR_semget
	ok &= expect("semget()", __NR_semget, (uint64_t[6]){0, 1, 0600}, -23);
#endif
	rc = sys6(__NR_ipc, (uint64_t[6]){MUX_MSGGET, 0, 0600});
	if (rc < 0) {
		child_fail("ipc(MSGGET) must be allowed: %ld", rc);
		ok = false;
	}
	if (ok)
		child_fail("by %s number; ipc%s", ma->by_pnr ? "pseudo" : "direct",
#ifdef __NR_semget
		           " and semget()"
#else
		           " only"
#endif
		);
	_exit(ok ? 0 : 1);
}
#endif

/*
 * MIPS64 kernels dispatch a syscall by its number's range, whatever the caller's ABI: an n64
 * task that calls 6038 runs n32's getpid, 4020 o32's. seccomp still reports the caller's
 * AUDIT_ARCH, so a filter sees these numbers under the caller's arch value. This records
 * what the kernel does and checks that the filter's verdict is the IR's; a rule on getpid
 * does not cover the other ABIs' getpid (a deny list must deny those number ranges).
 */
static void mips_other_abis_child(void *p)
{
	(void)p;
	static const char *const others[] = {"mipsel", "mipsel64", "mipsel64n32",
	                                     "mips",   "mips64",   "mips64n32"};
	scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ALLOW);
	struct sg_filter *f = (struct sg_filter *)ctx;
	long nrs[4], base[4], want[4];
	const char *names[4];
	int n = 0;
	bool ok = true;

	for (size_t i = 0; i < NELEM(others); i++) {
		const struct sg_arch *o = sg_arch_by_name(others[i]);
		if (!o || o == native || o->big_endian != native->big_endian)
			continue;
		nrs[n] = sg_arch_syscall_nr(o, "getpid");
		names[n] = o->name;
		base[n] = sys0(nrs[n]);
		n++;
	}
	must(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(13), SCMP_SYS(getpid), 0), "rule");
	/* the other MIPS ABIs' numbers are foreign to this filter (the ABI partition in
	 * src/arch/arch.c): they get the bad-arch action, made an errno here so that the child
	 * survives to compare each number's result with the IR's */
	must(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(77)), "bad-arch action");
	for (int i = 0; i < n; i++) {
		struct seccomp_data d = data_for(nrs[i], (uint64_t[6]){0});
		want[i] = outcome(sg_ir_eval(f, &d), base[i]);
	}
	must(seccomp_load(ctx), "seccomp_load");
	ok &= expect("own getpid", SYS_getpid, (uint64_t[6]){0}, -13);
	for (int i = 0; i < n; i++) {
		long got = sys0(nrs[i]);
		if (got != want[i]) {
			child_fail("%s getpid (%ld): kernel %ld, IR %ld", names[i], nrs[i], got,
			           want[i]);
			ok = false;
		} else {
			child_fail("%s getpid (%ld) %s, filter gives %ld", names[i], nrs[i],
			           base[i] > 0 ? "runs" : "is refused", got);
		}
	}
	_exit(ok ? 0 : 1);
}

/*
 * the syscall numbers of the library's tables against this toolchain's <asm/unistd.h>
 */
#define NRCHECK(name)                                                                              \
	do {                                                                                       \
		int got_ = sg_arch_syscall_nr(native, #name);                                      \
		n++;                                                                               \
		if (got_ != (int)(__NR_##name) && bad++ < 4)                                       \
			len += snprintf(msg + len, sizeof(msg) - len, " %s=%d(want %d)", #name,    \
			                got_, (int)(__NR_##name));                                 \
	} while (0)

static void check_numbers(void)
{
	char msg[512] = "";
	int n = 0, bad = 0, len = 0;
#ifdef __NR_read
	NRCHECK(read);
#endif
#ifdef __NR_openat
	NRCHECK(openat);
#endif
#ifdef __NR_getpid
	NRCHECK(getpid);
#endif
#ifdef __NR_exit_group
	NRCHECK(exit_group);
#endif
#ifdef __NR_seccomp
	NRCHECK(seccomp);
#endif
#ifdef __NR_mmap
	NRCHECK(mmap);
#endif
#ifdef __NR_mmap2
	NRCHECK(mmap2);
#endif
#ifdef __NR_clone3
	NRCHECK(clone3);
#endif
#ifdef __NR_socket
	NRCHECK(socket);
#endif
#ifdef __NR_socketcall
	NRCHECK(socketcall);
#endif
#ifdef __NR_ipc
	NRCHECK(ipc);
#endif
#ifdef __NR_semget
	NRCHECK(semget);
#endif
#ifdef __NR_getuid32
	NRCHECK(getuid32);
#endif
#ifdef __NR_rt_sigaction
	NRCHECK(rt_sigaction);
#endif
#ifdef __NR_process_mrelease
	NRCHECK(process_mrelease);
#endif
#ifdef __NR_futex_waitv
	NRCHECK(futex_waitv);
#endif
	result("syscall_numbers", bad == 0, "%s%d names vs <asm/unistd.h>", msg, n);
}

/*
 * the program
 */

/*
 * The kernel-version limit (SCMP_FLTATR_CTL_KVERMAX) on this ABI, in a filter that also holds
 * the other ABIs of its arch family: with the limit just below clone3's first release on this
 * ABI, clone3 and an unassigned number get ENOSYS, getppid (older) the default EPERM; a rule
 * naming clone3 wins; at clone3's own release clone3 gets the default (the control).
 */
struct kvers_case {
	int clone3, getppid;
	unsigned int kv;
};

static void kvers_child(void *p)
{
	const struct kvers_case *k = p;
	static const uint32_t family[][3] = {
	    {SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32},
	    {SCMP_ARCH_AARCH64, SCMP_ARCH_ARM, 0},
	    {SCMP_ARCH_S390X, SCMP_ARCH_S390, 0},
	    {SCMP_ARCH_MIPSEL64, SCMP_ARCH_MIPSEL, SCMP_ARCH_MIPSEL64N32},
	};
	bool ok = true;

	for (int round = 0; round < 3; round++) {
		pid_t pid = fork();
		if (pid < 0)
			_exit(2);
		if (pid > 0) {
			int st;
			if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
				_exit(1);
			continue;
		}
		scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ERRNO(EPERM));
		for (size_t f = 0; f < sizeof(family) / sizeof(family[0]); f++)
			for (int i = 0; i < 3; i++)
				if (family[f][i] == native->token)
					for (int j = 0; j < 3; j++)
						if (family[f][j] && family[f][j] != native->token)
							(void)seccomp_arch_add(ctx, family[f][j]);
		must(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0), "rule");
		must(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit), 0), "rule");
		if (round == 1)
			must(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(7), k->clone3, 0), "rule");
		/* set after the rules: attributes and rules come in any order */
		must(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX, round == 2 ? k->kv : k->kv - 1),
		     "KVERMAX");
		must(seccomp_load(ctx), "seccomp_load");
		long want_clone3 = round == 0 ? -ENOSYS : round == 1 ? -7 : -EPERM;
		ok &= expect("clone3", k->clone3, (uint64_t[6]){0}, want_clone3);
		ok &= expect("unassigned", nr_test, (uint64_t[6]){0}, -ENOSYS);
		ok &= expect("getppid", k->getppid, (uint64_t[6]){0}, -EPERM);
		_exit(ok ? 0 : 1);
	}
	_exit(0);
}

static void check_kvers(void)
{
	struct kvers_case k = {sg_arch_syscall_nr(native, "clone3"),
	                       sg_arch_syscall_nr(native, "getppid"), 0};

	if (k.clone3 < 0 || k.getppid < 0) {
		skip("kvers_enosys", "no clone3 or getppid on this ABI");
		return;
	}
	k.kv = sg_arch_nr_kver(native, (uint32_t)k.clone3);
	if (k.kv <= SCMP_KV_3_0 || sg_arch_nr_kver(native, (uint32_t)k.getppid) >= k.kv) {
		skip("kvers_enosys", "clone3 is not newer than getppid on this ABI");
		return;
	}
	run_check("kvers_enosys", kvers_child, &k);
}

static void run_all(void)
{
	struct utsname u;
	struct mux_arg by_nr = {false}, by_pnr = {true};

	uname(&u);
	printf("\nCROSSARCH-BEGIN %s: kernel %s %s, AUDIT_ARCH 0x%08x, %d-bit %s-endian arguments, "
	       "seed %" PRIu64 "\n",
	       native->name, u.release, u.machine, native->audit, native->arg_bits,
	       native->big_endian ? "big" : "little", seed);
	fflush(stdout);

	check_numbers();
	check_arch_add();
	run_check("errno", errno_child, NULL);
	run_check("log_trace", log_trace_child, NULL);
	run_check("trap_siginfo", trap_child, NULL);
	check_kill("kill_thread_on_arg", SCMP_ACT_KILL_THREAD);
	check_kill("kill_process_on_arg", SCMP_ACT_KILL_PROCESS);
	check_kill_thread_vs_process();
	run_check(native->arg_bits == 64 ? "args_64bit_words" : "args_low_word", args_child, NULL);
	if (native->token == SCMP_ARCH_X32)
		run_check("x32_high_word_ignored", x32_hiword_child, NULL);
	run_check("fd_minus1", fd_minus1_child, NULL);
	{
		int st = in_child(badarch_child, NULL);
		result("badarch_kill_process",
		       st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "%s%s%s",
		       status_str(st), child_msg[0] ? ": " : "", child_msg);
	}
	if (native->audit == AUDIT_ARCH_X86_64)
		run_check("x86_64_x32_badarch", x32_badarch_child, NULL);
	if (native->audit == AUDIT_ARCH_X86_64 || native->audit == AUDIT_ARCH_I386)
		run_check("docker_x86_64_x86_x32", docker_child, NULL);
	if (native->mux & SG_MUX_SOCKET) {
#ifdef __NR_socketcall
		run_check("socketcall_socket", socketcall_child, &by_nr);
		run_check("socketcall_socket_pnr", socketcall_child, &by_pnr);
		run_check("socketcall_socket_arg0", socketcall_arg_child, NULL);
		run_check("socketcall_conditional_allow", socketcall_allow_child, &(bool){false});
		run_check("socketcall_unconditional_allow", socketcall_allow_child, &(bool){true});
#else
		skip("socketcall_socket", "no __NR_socketcall in this libc");
#endif
	}
	if (native->mux & SG_MUX_IPC) {
#ifdef __NR_ipc
		run_check("ipc_semget", ipc_child, &by_nr);
		run_check("ipc_semget_pnr", ipc_child, &by_pnr);
		run_check("ipc_version_bits", ipc_version_child, NULL);
#else
		skip("ipc_semget", "no __NR_ipc in this libc");
#endif
	}
	(void)by_nr;
	(void)by_pnr;
	if (native->audit == AUDIT_ARCH_MIPS || native->audit == AUDIT_ARCH_MIPSEL ||
	    native->audit == AUDIT_ARCH_MIPS64 || native->audit == AUDIT_ARCH_MIPSEL64 ||
	    native->audit == AUDIT_ARCH_MIPS64N32 || native->audit == AUDIT_ARCH_MIPSEL64N32)
		run_check("mips_other_abis_numbers", mips_other_abis_child, NULL);
	check_kvers();
	check_oracle("kernel_oracle", false, 60);
	check_oracle("kernel_oracle_multiarch", true, 60);

	printf("CROSSARCH %s: %d passed, %d failed\n", native->name, passed, failed);
	fflush(stdout);
}

/* PID 1: a console, the companions in COMPANION_DIR, then power off */
static void init_console(void)
{
	if (fcntl(1, F_GETFD) >= 0)
		return;
	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	int fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
}

static int name_filter(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

static void run_companions(void)
{
	struct dirent **list;
	int n = scandir(COMPANION_DIR, &list, name_filter, alphasort);

	for (int i = 0; i < n; i++) {
		char path[512];
		int st;
		snprintf(path, sizeof(path), "%s/%s", COMPANION_DIR, list[i]->d_name);
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			char *argv[] = {path, NULL};
			execv(path, argv);
			printf("CROSSARCH-EXEC %s: %s\n", path, strerror(errno));
			fflush(stdout);
			_exit(127);
		}
		while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		if (pid > 0 && !(WIFEXITED(st) && WEXITSTATUS(st) <= 1))
			printf("CROSSARCH-EXEC %s: %s\n", path, status_str(st));
		free(list[i]);
	}
	if (n >= 0)
		free(list);
}

int main(void)
{
	bool init = getpid() == 1;

	if (init)
		init_console();
	setvbuf(stdout, NULL, _IOLBF, 0);
	native = sg_arch_native();
	nr_test = (long)native->nr_base + NR_UNASSIGNED;
	child_msg = mmap(NULL, MSG_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (child_msg == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	{
		const char *env = getenv("SYSGATE_SEED");
		seed = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL) ^ (uint64_t)getpid();
	}

	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL) {
		skip("all", "this kernel has no seccomp filter support");
		printf("CROSSARCH %s: 0 passed, 0 failed\n", native->name);
		if (!init)
			return 77;
	} else {
		run_all();
	}
	if (!init)
		return failed ? 1 : 0;

	run_companions();
	printf("CROSSARCH-DONE\n");
	fflush(stdout);
	tcdrain(1);
	sync();
	usleep(200000);
	reboot(RB_POWER_OFF);
	return 0; /* init exiting panics the kernel; panic=-1 then ends qemu too */
}
