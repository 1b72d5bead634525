/*
 * test_kernel_notify.c - user notification against the running kernel: a supervisor (the test)
 * and a target (a child) through seccomp_notify_*(), a listener fd handed out only once, and
 * WAITKILL (a target waiting for its reply dies of a fatal signal only). Waits are bounded
 * (WAIT_MS) but never timed; tests needing a newer kernel print SKIP.
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

struct target_report {
	long fd1, load2, fd2;
	long r_value, r_error, e_error, r_continue, continue_is_null, r_inject, inject_ok;
	long r_send, send_ok, r_nolistener, e_nolistener;
};

static bool fd_reads(long fd, const char *want)
{
	char buf[32] = {0};
	size_t len = strlen(want);
	return fd >= 0 && read((int)fd, buf, len) == (ssize_t)len && memcmp(buf, want, len) == 0;
}

static void notify_target(int sock, void *unused)
{
	(void)unused;
	struct target_report r = {0};
	scmp_filter_ctx ctx, ctx2;
	struct stat st;

	/* the listener will be fd 0: libseccomp bug #496 took that for "no listener" */
	close(0);
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	REQUIRE(ctx);
	REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(getppid), 0), 0);
	REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(openat), 0), 0);
	REQUIRE_EQ(seccomp_load(ctx), 0);
	r.fd1 = seccomp_notify_fd(ctx);
	/* a second NOTIFY filter: no second listener is asked for (the kernel would say EBUSY) */
	ctx2 = seccomp_init(SCMP_ACT_ALLOW);
	REQUIRE(ctx2);
	REQUIRE_EQ(seccomp_rule_add(ctx2, SCMP_ACT_NOTIFY, SCMP_SYS(getpgid), 0), 0);
	r.load2 = seccomp_load(ctx2);
	r.fd2 = seccomp_notify_fd(ctx2);
	REQUIRE_EQ(send_fd(sock, 0), 0);

	r.r_value = syscall(SYS_getppid);
	errno = 0;
	r.r_error = syscall(SYS_getppid);
	r.e_error = errno;
	/* CONTINUE: the real openat runs */
	r.r_continue = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY);
	r.continue_is_null = r.r_continue >= 0 && fstat((int)r.r_continue, &st) == 0 &&
	                     S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3);
	/* an fd injected by the supervisor, then the reply */
	r.r_inject = syscall(SYS_openat, AT_FDCWD, "/sysgate/inject", O_RDONLY);
	r.inject_ok = fd_reads(r.r_inject, "sysgate");
	/* injected and answered in one step (SECCOMP_ADDFD_FLAG_SEND) */
	r.r_send = syscall(SYS_openat, AT_FDCWD, "/sysgate/send", O_RDONLY);
	r.send_ok = fd_reads(r.r_send, "addfd+send");
	/* the second filter has no listener: the kernel fails its notifications with ENOSYS */
	errno = 0;
	r.r_nolistener = syscall(SYS_getpgid, 0);
	r.e_nolistener = errno;
	REQUIRE(write_full(sock, &r, sizeof(r)));
	/* stays pending until the supervisor kills us */
	syscall(SYS_getppid);
	_exit(3);
}

/* wait for the next notification and check where it comes from */
static void next_notif(int lfd, struct seccomp_notif *req, pid_t pid, int nr)
{
	ck_assert_msg(wait_readable(lfd, WAIT_MS), "no notification for syscall %d", nr);
	ck_assert_int_eq(seccomp_notify_receive(lfd, req), 0);
	ck_assert_int_eq(req->pid, pid);
	ck_assert_int_eq(req->data.nr, nr);
	ck_assert_uint_eq(req->data.arch, sg_arch_native()->audit);
	ck_assert_int_eq(seccomp_notify_id_valid(lfd, req->id), 0);
}

static void reply(int lfd, struct seccomp_notif_resp *resp, uint64_t id, long val, int error,
                  uint32_t flags)
{
	memset(resp, 0, sizeof(*resp));
	resp->id = id;
	resp->val = val;
	resp->error = error;
	resp->flags = flags;
	ck_assert_int_eq(seccomp_notify_respond(lfd, resp), 0);
}

static int pipe_with(const char *text)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], text, strlen(text)), (ssize_t)strlen(text));
	close(p[1]);
	return p[0];
}

START_TEST(notify_supervisor)
{
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	struct target_report r;
	struct ki_target tg;
	int lfd, status, src;
	pid_t pid;

	/* level 6 is Linux 5.7: SECCOMP_USER_NOTIF_FLAG_CONTINUE (5.5) is there */
	SKIP_BELOW(6, "notify_supervisor");
	ki_target_start(&tg, notify_target, NULL);
	pid = tg.pid;
	lfd = tg.lfd;
	if (lfd < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		ck_abort_msg("no listener from the target (status 0x%x)", status);
	}
	ck_assert_int_eq(seccomp_notify_alloc(&req, &resp), 0);

	/* a value */
	next_notif(lfd, req, pid, __NR_getppid);
	reply(lfd, resp, req->id, 4242, 0, 0);
	/* an error; the request buffer is reused without clearing (receive clears it) */
	memset(req, 0xa5, sizeof(*req));
	next_notif(lfd, req, pid, __NR_getppid);
	reply(lfd, resp, req->id, 0, -EPERM, 0);
	/* CONTINUE: error and val must be 0 with it, else the kernel refuses the reply */
	next_notif(lfd, req, pid, __NR_openat);
	memset(resp, 0, sizeof(*resp));
	resp->id = req->id;
	resp->val = 1;
	resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	ck_assert_int_eq(seccomp_notify_respond(lfd, resp), -ECANCELED);
	ck_assert_int_eq(errno, EINVAL);
	reply(lfd, resp, req->id, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
	/* a second reply to an answered id */
	ck_assert_int_eq(seccomp_notify_respond(lfd, resp), -ECANCELED);
	/* inject a pipe's read end, then answer with its number in the target */
	next_notif(lfd, req, pid, __NR_openat);
	src = pipe_with("sysgate");
	struct seccomp_notif_addfd add = {.id = req->id, .srcfd = (uint32_t)src};
	int tfd = seccomp_notify_addfd(lfd, &add);
	bool have_addfd = tfd != -EOPNOTSUPP;
	if (have_addfd) {
		ck_assert_int_ge(tfd, 0);
		reply(lfd, resp, req->id, tfd, 0, 0);
	} else {
		tu_skip_part("notify_supervisor fd injection: no SECCOMP_IOCTL_NOTIF_ADDFD (5.9)");
		reply(lfd, resp, req->id, 0, -EOPNOTSUPP, 0);
	}
	close(src);
	/* inject and answer at once (Linux 5.14); fall back to two steps on older kernels */
	next_notif(lfd, req, pid, __NR_openat);
	src = pipe_with("addfd+send");
	add = (struct seccomp_notif_addfd){
	    .id = req->id, .flags = SECCOMP_ADDFD_FLAG_SEND, .srcfd = (uint32_t)src};
	tfd = have_addfd ? seccomp_notify_addfd(lfd, &add) : -EOPNOTSUPP;
	if (!have_addfd) {
		reply(lfd, resp, req->id, 0, -EOPNOTSUPP, 0);
	} else if (tfd == -EOPNOTSUPP) {
		printf(
		    "notify_supervisor: no SECCOMP_ADDFD_FLAG_SEND (5.14), answering separately\n");
		add.flags = 0;
		tfd = seccomp_notify_addfd(lfd, &add);
		ck_assert_int_ge(tfd, 0);
		reply(lfd, resp, req->id, tfd, 0, 0);
	} else {
		ck_assert_int_ge(tfd, 0);
		/* already answered */
		ck_assert_int_eq(seccomp_notify_id_valid(lfd, req->id), -ENOENT);
	}
	close(src);

	ck_assert_msg(read_full(tg.sock, &r, sizeof(r)), "no report from the target");
	ck_assert_int_eq(r.fd1, 0);
	ck_assert_int_eq(r.load2, 0);
	ck_assert_int_eq(r.fd2, 0);
	ck_assert_int_eq(r.r_value, 4242);
	ck_assert_int_eq(r.r_error, -1);
	ck_assert_int_eq(r.e_error, EPERM);
	ck_assert_msg(r.continue_is_null, "CONTINUE did not run the real openat (%ld)",
	              r.r_continue);
	ck_assert_msg(r.inject_ok || !have_addfd, "injected fd %ld unreadable", r.r_inject);
	ck_assert_msg(r.send_ok || !have_addfd, "injected+sent fd %ld unreadable", r.r_send);
	ck_assert_int_eq(r.r_nolistener, -1);
	ck_assert_int_eq(r.e_nolistener, ENOSYS);

	/* the last call stays pending: valid until the target dies */
	next_notif(lfd, req, pid, __NR_getppid);
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	ck_assert_int_eq(seccomp_notify_id_valid(lfd, req->id), -ENOENT);
	memset(resp, 0, sizeof(*resp));
	resp->id = req->id;
	ck_assert_int_eq(seccomp_notify_respond(lfd, resp), -ECANCELED);
	/* no task uses the filter any more */
	struct pollfd p = {.fd = lfd, .events = POLLIN};
	ck_assert_int_eq(poll(&p, 1, WAIT_MS), 1);
	ck_assert(p.revents & POLLHUP);
	seccomp_notify_free(req, resp);
	close(lfd);
	close(tg.sock);
}
END_TEST

/* one listener per process: reset(NULL) closes it, and a later NOTIFY load asks again */
static void listener_once_child(void *p)
{
	(void)p;
	int fd;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW), a = seccomp_init(SCMP_ACT_ALLOW);
	uint32_t other = ki_other_arch();

	REQUIRE(ctx && a);
	REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, NR_BASE, 0), 0);
	REQUIRE_EQ(seccomp_notify_fd(ctx), -EFAULT);
	if (other) {
		/* NOTIFY merged in from another context asks for the listener too */
		scmp_filter_ctx b = seccomp_init(SCMP_ACT_ALLOW);
		REQUIRE(b);
		REQUIRE_EQ(seccomp_arch_remove(b, SCMP_ARCH_NATIVE), 0);
		REQUIRE_EQ(seccomp_arch_add(b, other), 0);
		REQUIRE_EQ(seccomp_rule_add(b, SCMP_ACT_NOTIFY, SCMP_SYS(getppid), 0), 0);
		REQUIRE_EQ(seccomp_merge(a, b), 0);
	} else {
		REQUIRE_EQ(seccomp_rule_add(a, SCMP_ACT_NOTIFY, NR_BASE + 1, 0), 0);
	}
	REQUIRE_EQ(seccomp_load(a), 0);
	fd = seccomp_notify_fd(ctx);
	REQUIRE(fd > 0);
	REQUIRE_EQ(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	seccomp_release(a);
	/* the next NOTIFY loads: no new listener, no EBUSY */
	for (int i = 0; i < 2; i++) {
		REQUIRE_EQ(seccomp_load(ctx), 0);
		REQUIRE_EQ(seccomp_notify_fd(ctx), fd);
	}
	/* process-wide reset: the listener is closed and forgotten */
	REQUIRE_EQ(seccomp_reset(NULL, SCMP_ACT_ALLOW), 0);
	REQUIRE_EQ(seccomp_notify_fd(ctx), -EFAULT);
	REQUIRE_EQ(fcntl(fd, F_GETFD), -1);
	/*
	 * So the next NOTIFY load asks for a listener again. Closing the old one detached it from
	 * its filter, so the kernel grants a new one.
	 */
	REQUIRE_EQ(seccomp_load(ctx), 0);
	REQUIRE(seccomp_notify_fd(ctx) >= 0);
	seccomp_release(ctx);
}

START_TEST(notify_listener_once)
{
	SKIP_BELOW(5, "notify_listener_once");
	TU_CHILD_OK(listener_once_child, NULL, "listener once");
}
END_TEST

/* WAITKILL: once received, the target waits killable (a signal does not interrupt it) */
static atomic_int usr1_count;

static void on_usr1(int sig)
{
	(void)sig;
	atomic_fetch_add(&usr1_count, 1);
}

struct waitkill_report {
	long r;
	int usr1_after;
};

static void waitkill_target(int sock, void *arg)
{
	bool waitkill = *(const bool *)arg;
	struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = SA_RESTART};
	struct waitkill_report rep;
	scmp_filter_ctx ctx;

	REQUIRE_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	REQUIRE_EQ(seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(getppid), 0), 0);
	REQUIRE_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_WAITKILL, waitkill), 0);
	REQUIRE_EQ(seccomp_load(ctx), 0);
	REQUIRE_EQ(send_fd(sock, seccomp_notify_fd(ctx)), 0);
	rep.r = syscall(SYS_getppid);
	rep.usr1_after = atomic_load(&usr1_count);
	REQUIRE(write_full(sock, &rep, sizeof(rep)));
	_exit(0);
}

static void waitkill_run(bool waitkill)
{
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	struct waitkill_report rep;
	struct ki_target tg;
	int lfd, status;
	uint64_t id;
	pid_t pid;

	ki_target_start(&tg, waitkill_target, &waitkill);
	pid = tg.pid;
	lfd = tg.lfd;
	ck_assert_int_ge(lfd, 0);
	ck_assert_int_eq(seccomp_notify_alloc(&req, &resp), 0);
	next_notif(lfd, req, pid, __NR_getppid);
	id = req->id;
	ck_assert_int_eq(kill(pid, SIGUSR1), 0);
	if (waitkill) {
		/* the target ends up in a killable (D) wait with the signal still pending */
		unsigned long long pending = 0;
		int waited = 0;
		while (proc_state(pid) != 'D' && waited < WAIT_MS) {
			sleep_ms(1);
			waited++;
		}
		ck_assert_msg(proc_state(pid) == 'D', "target state %c, not a killable wait",
		              proc_state(pid));
		ck_assert(proc_status_field(pid, "ShdPnd:", &pending, 16));
		ck_assert_msg(pending & (1ull << (SIGUSR1 - 1)), "SIGUSR1 not pending: %llx",
		              pending);
		ck_assert_int_eq(seccomp_notify_id_valid(lfd, id), 0);
		reply(lfd, resp, id, 99, 0, 0);
	} else {
		/* the signal interrupts the wait; the restarted call is a new notification */
		int waited = 0;
		while (seccomp_notify_id_valid(lfd, id) == 0 && waited < WAIT_MS) {
			sleep_ms(1);
			waited++;
		}
		ck_assert_int_eq(seccomp_notify_id_valid(lfd, id), -ENOENT);
		next_notif(lfd, req, pid, __NR_getppid);
		ck_assert(req->id != id);
		reply(lfd, resp, req->id, 98, 0, 0);
	}
	ck_assert(read_full(tg.sock, &rep, sizeof(rep)));
	ck_assert_int_eq(rep.r, waitkill ? 99 : 98);
	ck_assert_int_eq(rep.usr1_after, 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "target status 0x%x", status);
	seccomp_notify_free(req, resp);
	close(lfd);
	close(tg.sock);
}

START_TEST(waitkill_behaviour)
{
	SKIP_BELOW(7, "waitkill_behaviour");
	waitkill_run(false);
	waitkill_run(true);
}
END_TEST

static Suite *notify_suite(void)
{
	Suite *s = suite_create("kernel_notify");
	TCase *tc = tcase_create("notify");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, notify_supervisor);
	tcase_add_test(tc, notify_listener_once);
	tcase_add_test(tc, waitkill_behaviour);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	tu_skip_without_seccomp();
	tu_skip_under_valgrind();
	kernel_level = seccomp_api_get();
	printf("kernel API level %u\n", kernel_level);
	return tu_run_suite(notify_suite());
}
