/*
 * test_kernel_iface.c - the kernel interface, tested against the running kernel: API levels,
 * filter flags (watched at the syscall boundary), TSYNC, and a seccomp_load() that neither
 * allocates nor frees once the filter is in force. User notification and WAITKILL are
 * test_kernel_notify.c; the library's side (transactions, precompute, contexts on several
 * threads) is test_kernel_ctx.c.
 *
 * Everything that installs a filter or changes the process-wide API level runs in a forked
 * child. Waits are bounded (WAIT_MS) but never timed: a correct implementation gets there at
 * once, the bound only turns a hang into a failure. Tests needing a newer kernel print SKIP.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <seccomp.h>

#include "kiproc.h"
#include "kiutil.h"
#include "testcheck.h"

/* the API level the kernel supports (probed once in main, before any test) */
static unsigned int kernel_level;

/* ---------------------------------------------------------------------------------------- */
/* API levels                                                                                 */

static bool ctx_ok(uint32_t def)
{
	scmp_filter_ctx ctx = seccomp_init(def);
	seccomp_release(ctx);
	return ctx != NULL;
}

static void api_level_child(void *p)
{
	unsigned int L = *(unsigned int *)p;
	struct seccomp_notif *req = NULL;
	struct seccomp_notif_resp *resp = NULL;
	struct seccomp_notif_addfd addfd = {0};
	scmp_filter_ctx ctx;
	uint32_t v;

	REQUIRE_EQ(seccomp_api_set(L), 0);
	REQUIRE_EQ(seccomp_api_get(), L);
	/* out of range leaves the level alone */
	REQUIRE_EQ(seccomp_api_set(0), -EINVAL);
	REQUIRE_EQ(seccomp_api_set(8), -EINVAL);
	REQUIRE_EQ(seccomp_api_get(), L);

	/* actions: KILL_PROCESS and LOG from level 3, NOTIFY from 5; the rest always */
	REQUIRE_EQ(ctx_ok(SCMP_ACT_KILL_PROCESS), L >= 3);
	REQUIRE_EQ(ctx_ok(SCMP_ACT_LOG), L >= 3);
	REQUIRE_EQ(ctx_ok(SCMP_ACT_NOTIFY), L >= 5);
	REQUIRE(ctx_ok(SCMP_ACT_KILL_THREAD) && ctx_ok(SCMP_ACT_TRAP) &&
	        ctx_ok(SCMP_ACT_ERRNO(1)) && ctx_ok(SCMP_ACT_TRACE(1)) && ctx_ok(SCMP_ACT_ALLOW));
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	REQUIRE(ctx);
	REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, NR_BASE, 0), L >= 3 ? 0 : -EINVAL);
	REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_LOG, NR_BASE + 1, 0), L >= 3 ? 0 : -EINVAL);
	REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, NR_BASE + 2, 0), L >= 5 ? 0 : -EINVAL);
	REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_TRAP, NR_BASE + 3, 0), 0);
	REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_LOG),
	           L >= 3 ? 0 : -EINVAL);
	REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS),
	           L >= 3 ? 0 : -EINVAL);
	seccomp_release(ctx);

	/* flag attributes: refused below their level whatever the value; WAITKILL never */
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	REQUIRE(ctx);
	for (int on = 1; on >= 0; on--) {
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, on),
		           L >= 2 ? 0 : -EOPNOTSUPP);
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, on),
		           L >= 3 ? 0 : -EOPNOTSUPP);
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, on),
		           L >= 4 ? 0 : -EOPNOTSUPP);
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_WAITKILL, on), 0);
		REQUIRE_EQ(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_WAITKILL, &v), 0);
		REQUIRE_EQ(v, on);
		REQUIRE_EQ(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_TSYNC, &v), 0);
		REQUIRE_EQ(v, L >= 2 ? on : 0);
	}
	seccomp_release(ctx);

	/* TSYNC together with NOTIFY needs TSYNC_ESRCH (level 6), in either order */
	if (L >= 5) {
		int want = L >= 6 ? 0 : -EINVAL;
		ctx = seccomp_init(SCMP_ACT_ALLOW);
		REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, NR_BASE, 0), 0);
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1), want);
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 0), 0);
		seccomp_release(ctx);
		ctx = seccomp_init(SCMP_ACT_ALLOW);
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1), 0);
		REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, NR_BASE, 0), want);
		seccomp_release(ctx);
		ctx = seccomp_init(SCMP_ACT_NOTIFY);
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1), want);
		seccomp_release(ctx);
	}

	/* the notify API: alloc needs seccomp(2); the fd functions need NOTIFY */
	REQUIRE_EQ(seccomp_notify_alloc(&req, &resp), L >= 2 ? 0 : -EOPNOTSUPP);
	if (L >= 2) {
		REQUIRE(req && resp);
		REQUIRE_EQ(seccomp_notify_receive(-1, req), L >= 5 ? -ECANCELED : -EOPNOTSUPP);
		REQUIRE_EQ(seccomp_notify_respond(-1, resp), L >= 5 ? -ECANCELED : -EOPNOTSUPP);
		seccomp_notify_free(req, resp);
	}
	REQUIRE_EQ(seccomp_notify_id_valid(-1, 1), L >= 5 ? -ENOENT : -EOPNOTSUPP);
	REQUIRE_EQ(seccomp_notify_addfd(-1, &addfd), L >= 5 ? -ECANCELED : -EOPNOTSUPP);
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	REQUIRE_EQ(seccomp_notify_fd(ctx), -EFAULT); /* no listener yet (libseccomp 2.6) */
	REQUIRE_EQ(seccomp_notify_fd(NULL), -EINVAL);

	/* a level the kernel has loads: level 1 through prctl(), others through seccomp() */
	if (L <= kernel_level) {
		REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(5), NR_BASE, 0), 0);
		REQUIRE_EQ(seccomp_load(ctx), 0);
		REQUIRE_EQ(probe_nr(NR_BASE), -5);
	}
	seccomp_release(ctx);

	/* seccomp_reset(NULL): the forced level stays, the features are asked again */
	REQUIRE_EQ(seccomp_reset(NULL, 0), 0);
	REQUIRE_EQ(seccomp_api_get(), L);
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1),
	           kernel_level >= 2 ? 0 : -EOPNOTSUPP);
	seccomp_release(ctx);
}

START_TEST(api_levels)
{
	for (unsigned int L = 1; L <= 7; L++) {
		char what[32];
		snprintf(what, sizeof(what), "api level %u", L);
		TU_CHILD_OK(api_level_child, &L, what);
	}
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* filter flags, watched at the syscall boundary                                              */

/*
 * The target installs a raw "spy" filter that sends every seccomp(SECCOMP_SET_MODE_FILTER, ...)
 * it makes to a listener; the test (the supervisor) records the flags and lets the call run
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE). Then the target loads sysgate filters with each
 * combination of attributes: the flags the kernel receives are exactly visible.
 */
enum {
	SPY_DEFAULT,
	SPY_LOG,
	SPY_SSB,
	SPY_TSYNC,
	SPY_ALL,
	SPY_WAITKILL_ALONE,
	SPY_NOTIFY_WAITKILL,
	SPY_NOTIFY_RAWRC,
	SPY_TSYNC_NOTIFY,
	SPY_LEVEL5_TSYNC,
	SPY_LEVEL1,
	SPY_STEPS
};

struct spy_record {
	int step, rc;
	long long filters_before, filters_after;
};

static int spy_install(void)
{
	const int one = 1;
	const unsigned int arg0_lo =
	    offsetof(struct seccomp_data, args[0]) + (*(const char *)&one == 1 ? 0 : 4);
	struct sock_filter insns[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, sg_arch_native()->audit, 0, 4),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_seccomp, 0, 2),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg0_lo),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_SET_MODE_FILTER, 1, 0),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	};
	struct sock_fprog prog = {.len = sizeof(insns) / sizeof(insns[0]), .filter = insns};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return (int)syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
	                    &prog);
}

static int spy_step(int step)
{
	scmp_filter_ctx ctx;
	int rc;

	if (step == SPY_TSYNC_NOTIFY && kernel_level < 6)
		return 0; /* refused by attr_set below level 6 (checked in api_levels) */
	if (step == SPY_LEVEL5_TSYNC)
		REQUIRE_EQ(seccomp_api_set(5), 0);
	if (step == SPY_LEVEL1)
		REQUIRE_EQ(seccomp_api_set(1), 0);
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	REQUIRE(ctx);
	REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), NR_BASE, 0), 0);
	switch (step) {
	case SPY_LOG:
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1), 0);
		break;
	case SPY_SSB:
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1), 0);
		break;
	case SPY_TSYNC:
	case SPY_LEVEL5_TSYNC:
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1), 0);
		break;
	case SPY_ALL:
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1), 0);
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1), 0);
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1), 0);
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0), 0);
		break;
	case SPY_WAITKILL_ALONE:
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_WAITKILL, 1), 0);
		break;
	case SPY_NOTIFY_WAITKILL:
		REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, NR_BASE + 1, 0), 0);
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_WAITKILL, 1), 0);
		break;
	case SPY_NOTIFY_RAWRC:
		REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, NR_BASE + 1, 0), 0);
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1), 0);
		break;
	case SPY_TSYNC_NOTIFY:
		REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, NR_BASE + 1, 0), 0);
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1), 0);
		break;
	}
	rc = seccomp_load(ctx);
	seccomp_release(ctx);
	return rc;
}

static void spy_target(int sock, void *unused)
{
	(void)unused;
	int lfd;

	(void)seccomp_api_get(); /* probe before the spy is in place */
	lfd = spy_install();
	REQUIRE(lfd >= 0);
	REQUIRE_EQ(send_fd(sock, lfd), 0);
	close(lfd);
	for (int step = 0; step < SPY_STEPS; step++) {
		struct spy_record r = {.step = step};
		unsigned long long n = 0;
		/* the count of filters in force (Linux 5.9), or -1 */
		r.filters_before =
		    proc_status_field(getpid(), "Seccomp_filters:", &n, 10) ? (long long)n : -1;
		r.rc = spy_step(step);
		r.filters_after =
		    proc_status_field(getpid(), "Seccomp_filters:", &n, 10) ? (long long)n : -1;
		REQUIRE(write_full(sock, &r, sizeof(r)));
		/* wait for the supervisor to count the step: no notification of the next one can
		 * then be taken for this one's */
		char ack;
		REQUIRE(read_full(sock, &ack, 1));
	}
	_exit(0);
}

START_TEST(flags_reach_kernel)
{
	unsigned long long seen[SPY_STEPS] = {0};
	int calls[SPY_STEPS] = {0};
	struct spy_record rec[SPY_STEPS];
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	struct ki_target tg;
	int lfd, step = 0, status;
	pid_t pid;

	SKIP_BELOW(5, "flags_reach_kernel (needs a listener for the spy)");
	ki_target_start(&tg, spy_target, NULL);
	pid = tg.pid;
	lfd = tg.lfd;
	ck_assert_msg(lfd >= 0, "no spy listener from the target");
	ck_assert_int_eq(seccomp_notify_alloc(&req, &resp), 0);
	while (step < SPY_STEPS) {
		struct pollfd p[2] = {{.fd = lfd, .events = POLLIN},
		                      {.fd = tg.sock, .events = POLLIN}};
		int n = poll(p, 2, WAIT_MS);
		if (n < 0 && errno == EINTR)
			continue;
		ck_assert_msg(n > 0, "spy: timed out at step %d", step);
		if (p[0].revents & POLLIN) {
			/* the target waits for our ack after each step: this one's notification */
			ck_assert_int_eq(seccomp_notify_receive(lfd, req), 0);
			ck_assert_int_eq(req->pid, pid);
			ck_assert_int_eq(req->data.nr, __NR_seccomp);
			seen[step] |= req->data.args[1];
			calls[step]++;
			memset(resp, 0, sizeof(*resp));
			resp->id = req->id;
			resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
			ck_assert_int_eq(seccomp_notify_respond(lfd, resp), 0);
			continue;
		}
		if (p[1].revents & (POLLIN | POLLHUP)) {
			ck_assert_msg(read_full(tg.sock, &rec[step], sizeof(rec[step])),
			              "spy: target stopped before step %d", step);
			ck_assert_int_eq(rec[step].step, step);
			step++;
			ck_assert(write_full(tg.sock, "k", 1));
		}
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "target status 0x%x", status);
	seccomp_notify_free(req, resp);
	close(lfd);
	close(tg.sock);

	const unsigned long long T = SECCOMP_FILTER_FLAG_TSYNC, L = SECCOMP_FILTER_FLAG_LOG,
	                         S = SECCOMP_FILTER_FLAG_SPEC_ALLOW,
	                         N = SECCOMP_FILTER_FLAG_NEW_LISTENER,
	                         E = kernel_level >= 6 ? SECCOMP_FILTER_FLAG_TSYNC_ESRCH : 0,
	                         W = SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	const struct {
		unsigned long long flags;
		int rc;
	} want[SPY_STEPS] = {
	    [SPY_DEFAULT] = {0, 0},
	    [SPY_LOG] = {L, 0},
	    [SPY_SSB] = {S, 0},
	    [SPY_TSYNC] = {T | E, 0},
	    [SPY_ALL] = {T | E | L | S, 0},
	    [SPY_WAITKILL_ALONE] = {0, 0}, /* WAIT_KILLABLE_RECV only with a new listener */
	    /* the spy holds the chain's listener: the kernel says EBUSY */
	    [SPY_NOTIFY_WAITKILL] = {N | W, -ECANCELED},
	    [SPY_NOTIFY_RAWRC] = {N, -EBUSY},
	    [SPY_TSYNC_NOTIFY] = {T | E | N, kernel_level >= 6 ? -ECANCELED : 0},
	    [SPY_LEVEL5_TSYNC] = {T, 0}, /* no TSYNC_ESRCH below level 6 */
	    [SPY_LEVEL1] = {0, 0},       /* prctl(PR_SET_SECCOMP): no seccomp() call at all */
	};
	for (int i = 0; i < SPY_STEPS; i++) {
		if (i == SPY_TSYNC_NOTIFY && kernel_level < 6)
			continue; /* refused by attr_set: checked in api_levels */
		int want_calls = i == SPY_LEVEL1 ? 0 : 1;
		ck_assert_msg(calls[i] == want_calls, "step %d: %d seccomp() calls", i, calls[i]);
		ck_assert_msg(seen[i] == want[i].flags, "step %d: flags 0x%llx, expected 0x%llx", i,
		              seen[i], want[i].flags);
		ck_assert_msg(rec[i].rc == want[i].rc, "step %d: load returned %d, expected %d", i,
		              rec[i].rc, want[i].rc);
		ck_assert_msg(rec[i].filters_before < 0 ||
		                  rec[i].filters_after == rec[i].filters_before + (want[i].rc == 0),
		              "step %d: %lld -> %lld filters", i, rec[i].filters_before,
		              rec[i].filters_after);
	}
}
END_TEST

/* SSB: where the kernel forces the mitigation on seccomp tasks, SPEC_ALLOW must prevent it */
static void ssb_child(void *p)
{
	int ssb = *(int *)p;
	char line[256], before[256] = "", after[256] = "";
	FILE *fp;
	scmp_filter_ctx ctx;

	for (int pass = 0; pass < 2; pass++) {
		char *dst = pass ? after : before;
		if (pass) {
			ctx = seccomp_init(SCMP_ACT_ALLOW);
			REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), NR_BASE, 0), 0);
			REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, ssb), 0);
			REQUIRE_EQ(seccomp_load(ctx), 0);
		}
		fp = fopen("/proc/self/status", "r");
		REQUIRE(fp);
		while (fgets(line, sizeof(line), fp))
			if (strncmp(line, "Speculation_Store_Bypass:", 25) == 0)
				snprintf(dst, 256, "%s", line + 25);
		fclose(fp);
	}
	/* exit 0: unchanged, 10: changed */
	_exit(strcmp(before, after) == 0 ? 0 : 10);
}

START_TEST(ssb_status)
{
	int off = 0, on = 1, st_off, st_on;

	SKIP_BELOW(4, "ssb_status");
	st_off = tu_in_child(ssb_child, &off);
	st_on = tu_in_child(ssb_child, &on);
	ck_assert_msg(WIFEXITED(st_off) && WIFEXITED(st_on), "0x%x 0x%x", st_off, st_on);
	/* with SPEC_ALLOW the seccomp load never changes the task's mitigation state */
	ck_assert_int_eq(WEXITSTATUS(st_on), 0);
	if (WEXITSTATUS(st_off) == 0)
		printf("ssb_status: this kernel/CPU does not force SSB mitigation for seccomp "
		       "(flag itself checked by flags_reach_kernel)\n");
	else
		ck_assert_int_eq(WEXITSTATUS(st_off), 10);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* TSYNC                                                                                      */

#define NTHREADS 3

static pthread_barrier_t bar_ready, bar_loaded;
static long thread_result[NTHREADS];
static int thread_nnp[NTHREADS];

static void *tsync_worker(void *p)
{
	int i = (int)(intptr_t)p;
	pthread_barrier_wait(&bar_ready);
	pthread_barrier_wait(&bar_loaded);
	thread_result[i] = probe_nr(NR_BASE);
	thread_nnp[i] = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	return NULL;
}

static void tsync_child(void *p)
{
	int tsync = *(int *)p;
	int nnp0 = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0); /* may already be set around us */
	pthread_t t[NTHREADS];
	scmp_filter_ctx ctx;

	pthread_barrier_init(&bar_ready, NULL, NTHREADS + 1);
	pthread_barrier_init(&bar_loaded, NULL, NTHREADS + 1);
	for (int i = 0; i < NTHREADS; i++)
		REQUIRE_EQ(pthread_create(&t[i], NULL, tsync_worker, (void *)(intptr_t)i), 0);
	pthread_barrier_wait(&bar_ready);
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(7), NR_BASE, 0), 0);
	REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, tsync), 0);
	REQUIRE_EQ(seccomp_load(ctx), 0);
	pthread_barrier_wait(&bar_loaded);
	for (int i = 0; i < NTHREADS; i++) {
		REQUIRE_EQ(pthread_join(t[i], NULL), 0);
		/* TSYNC filters (and sets NNP on) every thread; without it only the caller */
		REQUIRE_EQ(thread_result[i], tsync ? -7 : -ENOSYS);
		REQUIRE_EQ(thread_nnp[i], tsync ? 1 : nnp0);
	}
	REQUIRE_EQ(probe_nr(NR_BASE), -7);
}

START_TEST(tsync_all_threads)
{
	int on = 1, off = 0;
	SKIP_BELOW(2, "tsync_all_threads");
	TU_CHILD_OK(tsync_child, &on, "TSYNC");
	TU_CHILD_OK(tsync_child, &off, "no TSYNC");
}
END_TEST

/* a thread that installed its own filter cannot be synchronised: the load is refused */
enum { UNSYNC_DEFAULT, UNSYNC_RAWRC, UNSYNC_LEVEL5, UNSYNC_SAVED_LISTENER, UNSYNC_VARIANTS };
static pthread_barrier_t bar_own, bar_done;

static void *own_filter_thread(void *p)
{
	(void)p;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	long rc = -1;
	if (ctx && seccomp_rule_add(ctx, SCMP_ACT_ERRNO(3), NR_BASE + 1, 0) == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	pthread_barrier_wait(&bar_own);
	pthread_barrier_wait(&bar_done);
	return (void *)rc;
}

static void unsync_child(void *p)
{
	int variant = *(int *)p;
	pthread_t t;
	void *thread_rc;
	scmp_filter_ctx ctx;
	int want;

	if (variant == UNSYNC_SAVED_LISTENER) {
		/* a listener is saved: libseccomp then asks for TSYNC without TSYNC_ESRCH */
		ctx = seccomp_init(SCMP_ACT_ALLOW);
		REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, NR_BASE + 2, 0), 0);
		REQUIRE_EQ(seccomp_load(ctx), 0);
		REQUIRE(seccomp_notify_fd(ctx) >= 0);
		seccomp_release(ctx);
	}
	if (variant == UNSYNC_LEVEL5)
		REQUIRE_EQ(seccomp_api_set(5), 0);
	pthread_barrier_init(&bar_own, NULL, 2);
	pthread_barrier_init(&bar_done, NULL, 2);
	REQUIRE_EQ(pthread_create(&t, NULL, own_filter_thread, NULL), 0);
	pthread_barrier_wait(&bar_own);

	ctx = seccomp_init(SCMP_ACT_ALLOW);
	REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(7), NR_BASE, 0), 0);
	REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1), 0);
	if (variant == UNSYNC_RAWRC)
		REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1), 0);
	/*
	 * With TSYNC_ESRCH (level 6) the kernel fails with ESRCH: -ECANCELED, raw -ESRCH with
	 * SYSRAWRC. Without it the kernel returns the thread's id, which becomes -ESRCH.
	 */
	want = variant == UNSYNC_DEFAULT && kernel_level >= 6 ? -ECANCELED : -ESRCH;
	REQUIRE_EQ(seccomp_load(ctx), want);
	/* nothing was installed, on any thread */
	REQUIRE_EQ(probe_nr(NR_BASE), -ENOSYS);
	seccomp_release(ctx);
	pthread_barrier_wait(&bar_done);
	REQUIRE_EQ(pthread_join(t, &thread_rc), 0);
	REQUIRE_EQ((long)thread_rc, 0);
}

START_TEST(tsync_unsyncable_thread)
{
	SKIP_BELOW(2, "tsync_unsyncable_thread");
	for (int v = 0; v < UNSYNC_VARIANTS; v++) {
		char what[48];
		if ((v == UNSYNC_LEVEL5 || v == UNSYNC_SAVED_LISTENER) && kernel_level < 5) {
			tu_skip_part("tsync_unsyncable_thread variant %d: kernel API level %u < 5",
			             v, kernel_level);
			continue;
		}
		snprintf(what, sizeof(what), "unsyncable thread, variant %d", v);
		TU_CHILD_OK(unsync_child, &v, what);
	}
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* seccomp_load() neither allocates nor frees once the filter is in force (Solo5, #479)      */

/* the sanitizers replace malloc themselves: no spy there */
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define NO_MALLOC_SPY 1
#endif
#endif
#else
#define NO_MALLOC_SPY 1
#endif

#ifndef NO_MALLOC_SPY
/*
 * This program's malloc family: glibc's, counted while `spy_on`. A call made while the
 * calling thread is already in seccomp filter mode is what the Solo5 problem is about.
 */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t nmemb, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);
static atomic_int spy_on;
static atomic_long spy_total, spy_in_filter;

static void spy_note(void)
{
	if (!atomic_load_explicit(&spy_on, memory_order_relaxed))
		return;
	int saved = errno;
	atomic_fetch_add(&spy_total, 1);
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 2)
		atomic_fetch_add(&spy_in_filter, 1);
	errno = saved;
}

void *malloc(size_t size)
{
	spy_note();
	return __libc_malloc(size);
}

void *calloc(size_t nmemb, size_t size)
{
	spy_note();
	return __libc_calloc(nmemb, size);
}

void *realloc(void *ptr, size_t size)
{
	spy_note();
	return __libc_realloc(ptr, size);
}

void free(void *ptr)
{
	if (ptr)
		spy_note();
	__libc_free(ptr);
}
#endif

static scmp_filter_ctx solo5_ctx(bool strict)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	REQUIRE(ctx);
	/* enough rules that the program is not trivial */
	for (int i = 0; i < 40; i++)
		REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1 + i), NR_BASE + i, 1,
		                            SCMP_A1(SCMP_CMP_GE, (uint64_t)i << 33)),
		           0);
	if (strict) {
		/* what a unikernel monitor forbids: no more memory management at all */
		const int deny[] = {SCMP_SYS(brk),    SCMP_SYS(mmap),    SCMP_SYS(munmap),
		                    SCMP_SYS(mremap), SCMP_SYS(madvise), SCMP_SYS(mprotect)};
		for (size_t i = 0; i < sizeof(deny) / sizeof(deny[0]); i++)
			REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, deny[i], 0), 0);
	}
	return ctx;
}

#ifndef NO_MALLOC_SPY
static void count_child(void *p)
{
	bool precomputed = *(int *)p;
	scmp_filter_ctx ctx = solo5_ctx(false);
	if (precomputed)
		REQUIRE_EQ(seccomp_precompute(ctx), 0);
	atomic_store(&spy_on, 1);
	int rc = seccomp_load(ctx);
	atomic_store(&spy_on, 0);
	REQUIRE_EQ(rc, 0);
	REQUIRE_EQ(probe_nr(NR_BASE), -1);
	REQUIRE_EQ(atomic_load(&spy_in_filter), 0);
	if (precomputed)
		REQUIRE_EQ(atomic_load(&spy_total), 0); /* a precomputed load uses the cache */
	else
		REQUIRE(atomic_load(&spy_total) > 0); /* compiling allocates: the spy sees it */
}
#endif

static int *solo5_flag; /* shared with the parent */

static void solo5_child(void *p)
{
	bool precomputed = *(int *)p;
	scmp_filter_ctx ctx = solo5_ctx(true);
	if (precomputed)
		REQUIRE_EQ(seccomp_precompute(ctx), 0);
	REQUIRE_EQ(seccomp_load(ctx), 0);
	*solo5_flag = 1; /* seccomp_load() came back alive */
	/* and the filter is really in force: this kills us */
	syscall(SYS_brk, 0);
	_exit(5);
}

START_TEST(load_no_alloc_after_filter)
{
	SKIP_BELOW(3, "load_no_alloc_after_filter (KILL_PROCESS)");
#ifndef NO_MALLOC_SPY
	for (int pre = 0; pre < 2; pre++)
		TU_CHILD_OK(count_child, &pre,
		            pre ? "precomputed load allocates" : "load allocates");
#else
	tu_skip_part("load_no_alloc_after_filter counting: no malloc interposition here");
#endif
	solo5_flag =
	    mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(solo5_flag, MAP_FAILED);
	for (int pre = 0; pre < 2; pre++) {
		*solo5_flag = 0;
		int st = tu_in_child(solo5_child, &pre);
		ck_assert_msg(*solo5_flag == 1,
		              "seccomp_load did not return (precomputed %d, 0x%x)", pre, st);
		ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "status 0x%x", st);
	}
	munmap(solo5_flag, sizeof(int));
}
END_TEST

static Suite *kernel_suite(void)
{
	Suite *s = suite_create("kernel_iface");
	TCase *tc = tcase_create("kernel");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, api_levels);
	tcase_add_test(tc, flags_reach_kernel);
	tcase_add_test(tc, ssb_status);
	tcase_add_test(tc, tsync_all_threads);
	tcase_add_test(tc, tsync_unsyncable_thread);
	tcase_add_test(tc, load_no_alloc_after_filter);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	tu_skip_without_seccomp();
	tu_skip_under_valgrind();
	kernel_level = seccomp_api_get();
	printf("kernel API level %u\n", kernel_level);
	return tu_run_suite(kernel_suite());
}
