/*
 * test_live.c - real filters in the running kernel, in forked children.
 *
 * Verdicts are observed without side effects through syscall numbers no ABI assigns (1000+):
 * an allowed call returns ENOSYS, ERRNO(n) returns n, so any argument pattern can be probed
 * (and through read/write on fd -1 for libseccomp's errno ladders).
 * Skips (exit 77 for the whole program) when the kernel has no seccomp filter support.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <seccomp.h>

#include "ladders.h"
#include "testcheck.h"

#define NR_BASE 1000

static long probe(int nr, const uint64_t a[6])
{
	errno = 0;
	long rc = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	return rc < 0 ? -errno : rc;
}

/* what a verdict looks like from userspace for an unassigned syscall number */
static long expected_result(uint32_t action)
{
	switch (action & SECCOMP_RET_ACTION_FULL) {
	case SCMP_ACT_ERRNO(0):
		return -(long)(action & SECCOMP_RET_DATA);
	case SCMP_ACT_ALLOW:
	case SCMP_ACT_LOG:
		return -ENOSYS;
	case SCMP_ACT_TRACE(0):
		return -ENOSYS; /* no tracer attached */
	default:
		return 1; /* the tests below never use other actions here */
	}
}

struct oracle_arg {
	uint64_t seed;
	int rounds;
};

/*
 * The kernel as oracle: random ERRNO/ALLOW/LOG policies on unassigned numbers, loaded for
 * real; the kernel's verdict for many argument vectors must equal the IR's. Each round runs
 * in its own child (filters only stack).
 */
static void oracle_child(void *p)
{
	const struct oracle_arg *oa = p;
	struct tu_rng r = {oa->seed};
	static const uint32_t acts[] = {
	    SCMP_ACT_ALLOW,           SCMP_ACT_ERRNO(1), SCMP_ACT_ERRNO(2), SCMP_ACT_ERRNO(3),
	    SCMP_ACT_ERRNO(4095 - 1), SCMP_ACT_LOG,      SCMP_ACT_TRACE(1)};
	uint32_t def = acts[tu_below(&r, 4)];
	scmp_filter_ctx ctx = seccomp_init(def);
	struct sg_filter *f = (struct sg_filter *)ctx;
	long mismatches = 0, cases = 0;

	/* the child must still be able to report and exit under a denying default */
	if (def != SCMP_ACT_ALLOW &&
	    (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0) ||
	     seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit), 0) ||
	     tu_allow_sanitizer_runtime(ctx)))
		_exit(2);
	for (int i = 0; i < 12; i++) {
		struct scmp_arg_cmp cmp[6];
		unsigned int k = 0, used = 0;
		for (int j = 0; j < (int)tu_below(&r, 4); j++) {
			unsigned int arg = (unsigned int)tu_below(&r, 6);
			if (used & (1u << arg))
				continue;
			used |= 1u << arg;
			cmp[k++] =
			    (struct scmp_arg_cmp){arg, (enum scmp_compare)(1 + tu_below(&r, 7)),
			                          tu_value(&r), tu_value(&r)};
		}
		(void)seccomp_rule_add_array(ctx, acts[tu_below(&r, 7)],
		                             NR_BASE + (int)tu_below(&r, 4), k, cmp);
	}
	/* decide every expected verdict before the filter is in force */
	enum { N = 400 };
	static uint64_t args[N][6];
	static long want[N];
	static int nrs[N];
	for (int i = 0; i < N; i++) {
		nrs[i] = NR_BASE + (int)tu_below(&r, 5);
		const struct sg_sysrules *s = sg_archdb_find(&f->arch[0], nrs[i]);
		for (int a = 0; a < 6; a++) {
			args[i][a] = tu_value(&r);
			if (s && s->nrules && tu_below(&r, 3)) {
				const struct sg_rule *ru = &s->rules[tu_below(&r, s->nrules)];
				for (unsigned int c = 0; c < ru->ncond; c++)
					if (ru->cond[c].arg == a)
						args[i][a] = tu_value_near(&r, ru->cond[c].datum);
			}
		}
		struct seccomp_data d = {.nr = nrs[i], .arch = f->arch[0].arch->audit};
		memcpy(d.args, args[i], sizeof(d.args));
		want[i] = expected_result(sg_ir_eval(f, &d));
	}
	if (seccomp_load(ctx) != 0)
		_exit(3);
	for (int i = 0; i < N; i++) {
		cases++;
		if (probe(nrs[i], args[i]) != want[i])
			mismatches++;
	}
	_exit(mismatches ? 1 : 0);
	(void)cases;
}

START_TEST(kernel_oracle)
{
	uint64_t seed = tu_seed("kernel_oracle");
	int rounds = 60, failed = 0;
	for (int i = 0; i < rounds; i++) {
		struct oracle_arg oa = {seed + (uint64_t)i, 1};
		int st = tu_in_child(oracle_child, &oa);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			failed++;
			fprintf(stderr, "kernel_oracle: round seed %" PRIu64 " status 0x%x\n",
			        seed + (uint64_t)i, st);
		}
	}
	printf("kernel_oracle: %d policies x 400 calls, %d rounds diverged\n", rounds, failed);
	ck_assert_int_eq(failed, 0);
}
END_TEST

/*
 * libseccomp's errno ladders (ladders.h) in the kernel, on the real read(2) and write(2): fd
 * -1 makes an allowed call fail with EBADF and do nothing; the default action is ERRNO(99).
 */
struct ladder_arg {
	enum ladder_kind kind;
	bool reverse;
};

static void ladder_child(void *p)
{
	const struct ladder_arg *la = p;
	const uint32_t def = SCMP_ACT_ERRNO(99);
	const char *call = la->kind < LADDER_LT ? "read" : "write";
	int nr = seccomp_syscall_resolve_name(call);
	struct ladder_rule r[LADDER_RUNGS];
	static uint64_t vals[64];
	static long want[64];
	unsigned int nv = ladder_values(vals, 64), bad = 0;
	scmp_filter_ctx ctx = seccomp_init(def);

	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0) ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit), 0) ||
	    tu_allow_sanitizer_runtime(ctx))
		_exit(2);
	ladder_rules(la->kind, 2, r);
	for (int i = 0; i < LADDER_RUNGS; i++) {
		int k = la->reverse ? LADDER_RUNGS - 1 - i : i;
		if (seccomp_rule_add_array(ctx, r[k].action, nr, 1, &r[k].cmp))
			_exit(3);
	}
	for (unsigned int i = 0; i < nv; i++) {
		uint32_t a = ladder_expect(la->kind, vals[i], def);
		want[i] = a == SCMP_ACT_ALLOW ? -EBADF : -(long)(a & SECCOMP_RET_DATA);
	}
	if (seccomp_load(ctx) != 0)
		_exit(4);
	for (unsigned int i = 0; i < nv; i++)
		bad += probe(nr, (uint64_t[6]){(uint64_t)-1, 0, vals[i]}) != want[i];
	_exit(bad ? 1 : 0);
}

START_TEST(errno_ladders)
{
	for (int kind = 0; kind < LADDER_KINDS; kind++)
		for (int reverse = 0; reverse < 2; reverse++) {
			struct ladder_arg la = {(enum ladder_kind)kind, reverse};
			int st = tu_in_child(ladder_child, &la);
			ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			              "%s ladder%s: child status 0x%x", ladder_names[kind],
			              reverse ? " (added in reverse)" : "", st);
		}
}
END_TEST

#if defined(__x86_64__) && !defined(__ILP32__)
/* an i386 system call from this 64-bit process (the kernel reports AUDIT_ARCH_I386) */
static long int80(long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("int $0x80"
	                 : "=a"(ret)
	                 : "a"(nr), "b"(a), "c"(b), "d"(c)
	                 : "memory", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15");
	return ret;
}

static void int80_probe_child(void *p)
{
	(void)p;
	_exit(int80(20, 0, 0, 0) == syscall(SYS_getpid) ? 0 : 1); /* i386 getpid */
}

/* the same ladders on the x86 ABI: read is 3, write 4; registers carry the low 32 bits */
static void ladder32_child(void *p)
{
	const struct ladder_arg *la = p;
	const uint32_t def = SCMP_ACT_ERRNO(99);
	const char *call = la->kind < LADDER_LT ? "read" : "write";
	struct ladder_rule r[LADDER_RUNGS];
	static uint64_t vals[64];
	static long want[64];
	unsigned int nv = ladder_values(vals, 64), bad = 0;
	scmp_filter_ctx ctx = seccomp_init(def);

	/* x86_64 calls (this child's own, exit included) get the bad-arch action: allow */
	if (seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE) || seccomp_arch_add(ctx, SCMP_ARCH_X86) ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW))
		_exit(2);
	ladder_rules(la->kind, 2, r);
	for (int i = 0; i < LADDER_RUNGS; i++) {
		int k = la->reverse ? LADDER_RUNGS - 1 - i : i;
		if (seccomp_rule_add_array(ctx, r[k].action, seccomp_syscall_resolve_name(call), 1,
		                           &r[k].cmp))
			_exit(3);
	}
	for (unsigned int i = 0; i < nv; i++) {
		uint32_t a = ladder_expect(la->kind, vals[i] & 0xffffffffu, def);
		want[i] = a == SCMP_ACT_ALLOW ? -EBADF : -(long)(a & SECCOMP_RET_DATA);
	}
	if (seccomp_load(ctx) != 0)
		_exit(4);
	for (unsigned int i = 0; i < nv; i++)
		bad +=
		    int80(la->kind < LADDER_LT ? 3 : 4, -1, 0, (long)(uint32_t)vals[i]) != want[i];
	_exit(bad ? 1 : 0);
}
#endif

START_TEST(errno_ladders_x86)
{
#if defined(__x86_64__) && !defined(__ILP32__)
	int st = tu_in_child(int80_probe_child, NULL);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		tu_skip_part("errno_ladders_x86: this kernel does not run i386 system calls");
		return;
	}
	for (int kind = 0; kind < LADDER_KINDS; kind++)
		for (int reverse = 0; reverse < 2; reverse++) {
			struct ladder_arg la = {(enum ladder_kind)kind, reverse};
			st = tu_in_child(ladder32_child, &la);
			ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			              "x86 %s ladder%s: child status 0x%x", ladder_names[kind],
			              reverse ? " (added in reverse)" : "", st);
		}
#else
	tu_skip_part("errno_ladders_x86: not an x86_64 build");
#endif
}
END_TEST

static volatile sig_atomic_t trap_syscall, trap_errno, trap_code;
static volatile uint32_t trap_arch;

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	trap_syscall = si->si_syscall;
	trap_errno = si->si_errno;
	trap_code = si->si_code;
	trap_arch = si->si_arch;
}

static void trap_child(void *p)
{
	(void)p;
	struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	sigaction(SIGSYS, &sa, NULL);
	if (seccomp_rule_add(ctx, SCMP_ACT_TRAP, NR_BASE, 0) ||
	    seccomp_rule_add(ctx, SCMP_ACT_TRAPX(0x1234), NR_BASE + 1, 1,
	                     SCMP_A0(SCMP_CMP_EQ, 7)) ||
	    seccomp_load(ctx))
		_exit(2);
	syscall(NR_BASE, 0);
	if (trap_syscall != NR_BASE || trap_errno != 0 || trap_code != 1 /* SYS_SECCOMP */ ||
	    trap_arch != seccomp_arch_native())
		_exit(3);
	trap_syscall = 0;
	syscall(NR_BASE + 1, 7);
	if (trap_syscall != NR_BASE + 1 || trap_errno != 0x1234)
		_exit(4);
	trap_syscall = 0;
	if (syscall(NR_BASE + 1, 8) != -1 || errno != ENOSYS || trap_syscall != 0)
		_exit(5);
	_exit(0);
}

START_TEST(action_trap)
{
	TU_CHILD_OK(trap_child, NULL, "action_trap");
}
END_TEST

static void kill_child(void *p)
{
	uint32_t action = *(uint32_t *)p;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (seccomp_rule_add(ctx, action, NR_BASE, 1, SCMP_A1(SCMP_CMP_GE, 10)) ||
	    seccomp_load(ctx))
		_exit(2);
	if (syscall(NR_BASE, 0, 9) != -1 || errno != ENOSYS)
		_exit(3); /* not killed below the threshold */
	syscall(NR_BASE, 0, 10);
	_exit(4); /* must not get here */
}

START_TEST(action_kill)
{
	uint32_t acts[] = {SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL_PROCESS};
	for (int i = 0; i < 2; i++) {
		int st = tu_in_child(kill_child, &acts[i]);
		ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "action %08x status 0x%x",
		              acts[i], st);
	}
}
END_TEST

static atomic_int thread_done;

static void *killer_thread(void *p)
{
	(void)p;
	syscall(NR_BASE);
	atomic_store(&thread_done, 1); /* never reached: the thread is killed */
	return NULL;
}

static void kill_thread_only_child(void *p)
{
	uint32_t action = *(uint32_t *)p;
	pthread_t t;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (seccomp_rule_add(ctx, action, NR_BASE, 0) || seccomp_load(ctx))
		_exit(2);
	pthread_create(&t, NULL, killer_thread, NULL);
	/* KILL_THREAD ends only that thread; the joiner comes back */
	pthread_join(t, NULL);
	_exit(atomic_load(&thread_done) ? 3 : 0);
}

START_TEST(action_kill_thread_vs_process)
{
	uint32_t thread = SCMP_ACT_KILL_THREAD, process = SCMP_ACT_KILL_PROCESS;
	int st = tu_in_child(kill_thread_only_child, &thread);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "kill thread: status 0x%x", st);
	st = tu_in_child(kill_thread_only_child, &process);
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "kill process: status 0x%x", st);
}
END_TEST

static void log_child(void *p)
{
	(void)p;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (seccomp_rule_add(ctx, SCMP_ACT_LOG, NR_BASE, 0) ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(0), NR_BASE + 1, 0) || seccomp_load(ctx))
		_exit(2);
	/* LOG allows (the unassigned number then fails with ENOSYS); ERRNO(0) returns 0 */
	if (syscall(NR_BASE) != -1 || errno != ENOSYS)
		_exit(3);
	if (syscall(NR_BASE + 1) != 0)
		_exit(4);
	_exit(0);
}

START_TEST(action_log_errno0)
{
	if (seccomp_api_get() < 3) {
		tu_skip_part("action_log_errno0: kernel lacks SECCOMP_RET_LOG");
		return;
	}
	TU_CHILD_OK(log_child, NULL, "action_log_errno0");
}
END_TEST

static void nnp_child(void *p)
{
	int mode = *(int *)p;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(5), NR_BASE, 0))
		_exit(2);
	if (mode >= 1) {
		/* without NNP an unprivileged process may not install a filter */
		seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
		if (setresuid(65534, 65534, 65534) != 0)
			_exit(6);
		if (mode == 2)
			seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1);
		int rc = seccomp_load(ctx);
		_exit(rc == (mode == 1 ? -ECANCELED : -EACCES) ? 0 : 7);
	}
	/* default: NNP set on load, and it sticks */
	if (seccomp_load(ctx) != 0)
		_exit(3);
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		_exit(4);
	if (syscall(NR_BASE) != -1 || errno != 5)
		_exit(5);
	_exit(0);
}

START_TEST(nnp)
{
	int modes[] = {0, 1, 2};
	for (int i = 0; i < 3; i++) {
		if (i > 0 && geteuid() != 0) {
			tu_skip_part("nnp mode %d: needs root to drop privileges", i);
			continue;
		}
		int st = tu_in_child(nnp_child, &modes[i]);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "mode %d status 0x%x", i, st);
	}
}
END_TEST

static void prctl_child(void *p)
{
	(void)p;
	/* API level 1: no seccomp(2), load through prctl(PR_SET_SECCOMP) */
	if (seccomp_api_set(1) != 0)
		_exit(2);
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(9), NR_BASE, 0) || seccomp_load(ctx))
		_exit(3);
	if (syscall(NR_BASE) != -1 || errno != 9)
		_exit(4);
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 2)
		_exit(5);
	_exit(0);
}

START_TEST(load_via_prctl)
{
	TU_CHILD_OK(prctl_child, NULL, "load_via_prctl");
}
END_TEST

static void x32_child(void *p)
{
	(void)p;
	/* an x86_64-only filter: x32 numbers get the bad-arch action, -1 does not */
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), NR_BASE, 0) ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(77)) || seccomp_load(ctx))
		_exit(2);
	if (syscall(0x40000000 | 39) != -1 || errno != 77) /* x32 getpid */
		_exit(3);
	if (syscall(-1) != -1 || errno != ENOSYS)
		_exit(4);
	if (syscall(NR_BASE) != -1 || errno != 1)
		_exit(5);
	_exit(0);
}

START_TEST(x32_on_x86_64)
{
#if defined(__x86_64__) && !defined(__ILP32__)
	TU_CHILD_OK(x32_child, NULL, "x32_on_x86_64");
#else
	tu_skip_part("x32_on_x86_64: not an x86_64 build");
#endif
}
END_TEST

/*
 * A policy for x86_64 + x86 + x32 (Docker's ABI list) with 64-bit data, loaded for real: the
 * x86_64 calls keep their exact 64-bit comparisons (the 32-bit ABIs' translation decides
 * those comparisons without the argument there), and fd -1 given as a 64-bit -1 matches.
 */
static void wide_child(void *p)
{
	(void)p;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (seccomp_arch_add(ctx, SCMP_ARCH_X86) || seccomp_arch_add(ctx, SCMP_ARCH_X32) ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(11), SCMP_SYS(getppid), 1,
	                     SCMP_A0(SCMP_CMP_LT, 0x100000000ull)) ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(12), SCMP_SYS(geteuid), 1,
	                     SCMP_A1(SCMP_CMP_NE, 0x100000005ull)) ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(13), SCMP_SYS(close), 1,
	                     SCMP_A0(SCMP_CMP_EQ, -1)) ||
	    seccomp_load(ctx))
		_exit(2);
	/* getppid and geteuid ignore their argument registers */
	if (probe(SCMP_SYS(getppid), (uint64_t[6]){0xffffffffull}) != -11)
		_exit(3);
	if (probe(SCMP_SYS(getppid), (uint64_t[6]){0x100000000ull}) != getppid())
		_exit(4);
	if (probe(SCMP_SYS(geteuid), (uint64_t[6]){0, 5}) != -12)
		_exit(5);
	if (probe(SCMP_SYS(geteuid), (uint64_t[6]){0, 0x100000005ull}) != (long)geteuid())
		_exit(6);
	/* close(-1) as a sign-extended int: the rule's errno; -1 zero-extended is another
	 * 64-bit value (on x86 both are the same 32-bit value) */
	if (probe(SCMP_SYS(close), (uint64_t[6]){UINT64_MAX}) != -13)
		_exit(7);
	if (probe(SCMP_SYS(close), (uint64_t[6]){0xffffffffull}) != -EBADF)
		_exit(8);
	_exit(0);
}

START_TEST(wide_data_x86_64)
{
#if defined(__x86_64__) && !defined(__ILP32__)
	TU_CHILD_OK(wide_child, NULL, "wide_data_x86_64");
#else
	printf("SKIP wide_data_x86_64: not an x86_64 build\n");
#endif
}
END_TEST

static Suite *live_suite(void)
{
	Suite *s = suite_create("live");
	TCase *tc = tcase_create("kernel");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, action_trap);
	tcase_add_test(tc, action_kill);
	tcase_add_test(tc, action_kill_thread_vs_process);
	tcase_add_test(tc, action_log_errno0);
	tcase_add_test(tc, nnp);
	tcase_add_test(tc, load_via_prctl);
	tcase_add_test(tc, x32_on_x86_64);
	tcase_add_test(tc, wide_data_x86_64);
	tcase_add_test(tc, kernel_oracle);
	tcase_add_test(tc, errno_ladders);
	tcase_add_test(tc, errno_ladders_x86);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	tu_skip_without_seccomp();
	tu_skip_under_valgrind();
	return tu_run_suite(live_suite());
}
