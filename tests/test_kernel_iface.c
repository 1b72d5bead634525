/*
 * test_kernel_iface.c - the kernel interface, tested against the running kernel: API levels,
 * filter flags (watched at the syscall boundary), TSYNC, user notification (a supervisor and a
 * target process), WAITKILL, transactions, precompute, a seccomp_load() that neither allocates
 * nor frees once the filter is in force, and independent contexts on several threads.
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

#include "kiutil.h"
#include "testcheck.h"

#define NR_BASE 1000  /* unassigned syscall numbers: allowed calls fail with ENOSYS */
#define WAIT_MS 10000 /* bound on every wait (only reached when something is broken) */

#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_USER_NOTIF_FLAG_CONTINUE
#define SECCOMP_USER_NOTIF_FLAG_CONTINUE (1UL << 0)
#endif

/* the API level the kernel supports (probed once in main, before any test) */
static unsigned int kernel_level;

#define SKIP_BELOW(level, what)                                                                    \
	do {                                                                                       \
		if (kernel_level < (level)) {                                                      \
			tu_skip_part("%s: kernel API level %u < %u", (what), kernel_level,         \
			             (unsigned int)(level));                                       \
			return;                                                                    \
		}                                                                                  \
	} while (0)

/* checks inside forked children: report the line and exit non-zero */
#define REQUIRE(c)                                                                                 \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "%s:%d: child: %s failed (errno %d)\n", __FILE__,          \
			        __LINE__, #c, errno);                                              \
			_exit(1);                                                                  \
		}                                                                                  \
	} while (0)
#define REQUIRE_EQ(a, b)                                                                           \
	do {                                                                                       \
		long a_ = (long)(a), b_ = (long)(b);                                               \
		if (a_ != b_) {                                                                    \
			fprintf(stderr, "%s:%d: child: %s is %ld, expected %ld\n", __FILE__,       \
			        __LINE__, #a, a_, b_);                                             \
			_exit(1);                                                                  \
		}                                                                                  \
	} while (0)

/* -errno of an unassigned syscall under the filters in force (ENOSYS: allowed) */
static long probe_nr(int nr)
{
	errno = 0;
	return syscall(nr) < 0 ? -errno : 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static bool wait_readable(int fd, int ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	int rc;
	do
		rc = poll(&p, 1, ms);
	while (rc < 0 && errno == EINTR);
	return rc > 0 && (p.revents & POLLIN);
}

/* read exactly len bytes within WAIT_MS; false on EOF, error or timeout */
static bool read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		if (!wait_readable(fd, WAIT_MS))
			return false;
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

static bool write_full(int fd, const void *buf, size_t len)
{
	return write(fd, buf, len) == (ssize_t)len;
}

static int send_fd(int sock, int fd)
{
	char byte = 'F';
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = u.buf,
	                     .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	memset(u.buf, 0, sizeof(u.buf));
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

/* receive a descriptor within WAIT_MS, or -1 */
static int recv_fd(int sock)
{
	char byte;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = u.buf,
	                     .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *c;
	int fd;

	if (!wait_readable(sock, WAIT_MS) || recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* the one-letter state of a process (R, S, D, ...) from /proc/PID/stat */
static char proc_state(pid_t pid)
{
	char path[64], buf[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

/* a hex mask line ("ShdPnd:", "Seccomp_filters:" ...) of /proc/PID/status */
static bool proc_status_field(pid_t pid, const char *key, unsigned long long *value, int base)
{
	char path[64], line[256];
	bool found = false;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fp = fopen(path, "r");
	if (!fp)
		return false;
	while (!found && fgets(line, sizeof(line), fp))
		if (strncmp(line, key, strlen(key)) == 0) {
			*value = strtoull(line + strlen(key), NULL, base);
			found = true;
		}
	fclose(fp);
	return found;
}

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
	if (getenv("SYSGATE_UNDER_VALGRIND")) {
		/* valgrind answers seccomp(2) and unknown numbers itself: ENOSYS */
		tu_skip_part("api_levels: valgrind does not emulate seccomp(2)");
		return;
	}
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

static void spy_target(int sock)
{
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
	int sv[2], lfd, step = 0, status;
	pid_t pid;

	SKIP_BELOW(5, "flags_reach_kernel (needs a listener for the spy)");
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(sv[0]);
		spy_target(sv[1]);
	}
	close(sv[1]);
	lfd = recv_fd(sv[0]);
	ck_assert_msg(lfd >= 0, "no spy listener from the target");
	ck_assert_int_eq(seccomp_notify_alloc(&req, &resp), 0);
	while (step < SPY_STEPS) {
		struct pollfd p[2] = {{.fd = lfd, .events = POLLIN},
		                      {.fd = sv[0], .events = POLLIN}};
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
			ck_assert_msg(read_full(sv[0], &rec[step], sizeof(rec[step])),
			              "spy: target stopped before step %d", step);
			ck_assert_int_eq(rec[step].step, step);
			step++;
			ck_assert(write_full(sv[0], "k", 1));
		}
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "target status 0x%x", status);
	seccomp_notify_free(req, resp);
	close(lfd);
	close(sv[0]);

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
/* user notification: a supervisor (the test) and a target (a child)                          */

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

static void notify_target(int sock)
{
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
	int sv[2], lfd, status, src;
	pid_t pid;

	/* level 6 is Linux 5.7: SECCOMP_USER_NOTIF_FLAG_CONTINUE (5.5) is there */
	SKIP_BELOW(6, "notify_supervisor");
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(sv[0]);
		notify_target(sv[1]);
	}
	close(sv[1]);
	lfd = recv_fd(sv[0]);
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

	ck_assert_msg(read_full(sv[0], &r, sizeof(r)), "no report from the target");
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
	close(sv[0]);
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

static void waitkill_target(int sock, bool waitkill)
{
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
	int sv[2], lfd, status;
	uint64_t id;
	pid_t pid;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(sv[0]);
		waitkill_target(sv[1], waitkill);
	}
	close(sv[1]);
	lfd = recv_fd(sv[0]);
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
	ck_assert(read_full(sv[0], &rep, sizeof(rep)));
	ck_assert_int_eq(rep.r, waitkill ? 99 : 98);
	ck_assert_int_eq(rep.usr1_after, 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "target status 0x%x", status);
	seccomp_notify_free(req, resp);
	close(lfd);
	close(sv[0]);
}

START_TEST(waitkill_behaviour)
{
	SKIP_BELOW(7, "waitkill_behaviour");
	waitkill_run(false);
	waitkill_run(true);
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
/* transactions                                                                               */

static scmp_filter_ctx txn_ctx(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	uint32_t other = ki_other_arch();

	ck_assert_ptr_nonnull(ctx);
	if (other)
		ck_assert_int_eq(seccomp_arch_add(ctx, other), 0);
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(read), 1, SCMP_A0(SCMP_CMP_EQ, 3)),
	    0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_KILL, SCMP_SYS(ptrace), 0), 0);
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, 2)),
	    0);
	ck_assert_int_eq(seccomp_syscall_priority(ctx, SCMP_SYS(read), 200), 0);
	return ctx;
}

static void assert_same(scmp_filter_ctx ctx, const struct ki_blob *want, const char *what)
{
	struct ki_blob now = ki_export(ctx);
	ck_assert_msg(ki_blob_eq(&now, want), "%s: the filter differs (rc %d)", what, now.rc);
	ki_blob_free(&now);
}

/* a batch of changes of every kind */
static void txn_changes(scmp_filter_ctx ctx, int k)
{
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(10 + k), SCMP_SYS(write), 1,
	                                  SCMP_A2(SCMP_CMP_GT, 100 + k)),
	                 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_TRAP, SCMP_SYS(close), 0), 0);
	ck_assert_int_eq(seccomp_syscall_priority(ctx, SCMP_SYS(write), (uint8_t)(10 + k)), 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(20 + k), SCMP_SYS(read), 1,
	                                  SCMP_A0(SCMP_CMP_EQ, 4 + k)),
	                 0);
}

START_TEST(transactions_exact)
{
	scmp_filter_ctx ctx = txn_ctx();
	struct ki_blob orig = ki_export(ctx), step1;
	uint32_t other = ki_other_arch();
	ck_assert_int_eq(orig.rc, 0);

	/* reject restores the exact previous filter */
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	txn_changes(ctx, 0);
	if (other) {
		ck_assert_int_eq(seccomp_arch_remove(ctx, other), 0);
		ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(5), SCMP_SYS(dup), 0), 0);
	}
	seccomp_transaction_reject(ctx);
	assert_same(ctx, &orig, "reject");
	if (other)
		ck_assert_int_eq(seccomp_arch_exist(ctx, other), 0);

	/* nested: inner reject back to the outer state, outer commit keeps it */
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	txn_changes(ctx, 1);
	step1 = ki_export(ctx);
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	txn_changes(ctx, 2);
	ck_assert_int_eq(seccomp_precompute(ctx), 0);
	seccomp_transaction_reject(ctx);
	assert_same(ctx, &step1, "inner reject");
	ck_assert_int_eq(seccomp_transaction_commit(ctx), 0);
	assert_same(ctx, &step1, "outer commit");

	/* nested: inner commit, outer reject drops both */
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	txn_changes(ctx, 3);
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	txn_changes(ctx, 4);
	ck_assert_int_eq(seccomp_transaction_commit(ctx), 0);
	seccomp_transaction_reject(ctx);
	assert_same(ctx, &step1, "outer reject after inner commit");

	/* a failing rule add inside a transaction changes nothing; reject still works */
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	txn_changes(ctx, 5);
	struct ki_blob mid = ki_export(ctx);
	/* same conditions, another action: -EEXIST, on every arch */
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(99), SCMP_SYS(read), 1, SCMP_A0(SCMP_CMP_EQ, 3)),
	    -EEXIST);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 0), -EACCES);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(read), 2,
	                                  SCMP_A0(SCMP_CMP_EQ, 1), SCMP_A0(SCMP_CMP_EQ, 2)),
	                 -EINVAL);
	assert_same(ctx, &mid, "failed adds");
	seccomp_transaction_reject(ctx);
	assert_same(ctx, &step1, "reject after failed adds");

	/* no open transaction: reject does nothing, commit succeeds */
	seccomp_transaction_reject(ctx);
	ck_assert_int_eq(seccomp_transaction_commit(ctx), 0);
	assert_same(ctx, &step1, "reject without transaction");
	ck_assert_int_eq(seccomp_transaction_start(NULL), -EINVAL);
	ck_assert_int_eq(seccomp_transaction_commit(NULL), -EINVAL);
	seccomp_transaction_reject(NULL);

	/* reset drops open transactions */
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	ck_assert_int_eq(seccomp_reset(ctx, SCMP_ACT_ALLOW), 0);
	seccomp_transaction_reject(ctx);
	scmp_filter_ctx fresh = seccomp_init(SCMP_ACT_ALLOW);
	struct ki_blob empty = ki_export(fresh);
	assert_same(ctx, &empty, "reset inside transaction");
	seccomp_release(fresh);

	/* release with open transactions (valgrind checks nothing leaks) */
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	seccomp_release(ctx);
	ki_blob_free(&orig);
	ki_blob_free(&step1);
	ki_blob_free(&mid);
	ki_blob_free(&empty);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* precompute                                                                                 */

static const struct sg_program *cached(scmp_filter_ctx ctx)
{
	return sg_ctx_cached((struct sg_filter *)ctx);
}

/* merge a filter for a third architecture (same byte order) into ctx; false if none */
static bool merge_third(scmp_filter_ctx ctx)
{
	static const uint32_t cand[] = {SCMP_ARCH_X86_64, SCMP_ARCH_X86,     SCMP_ARCH_AARCH64,
	                                SCMP_ARCH_ARM,    SCMP_ARCH_RISCV64, SCMP_ARCH_S390X,
	                                SCMP_ARCH_S390,   SCMP_ARCH_PPC64,   SCMP_ARCH_PPC};
	scmp_filter_ctx src = seccomp_init(SCMP_ACT_ALLOW);
	uint32_t v;

	ck_assert_ptr_nonnull(src);
	/* merging needs the same default action, NNP and TSYNC */
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_NNP, &v), 0);
	ck_assert_int_eq(seccomp_attr_set(src, SCMP_FLTATR_CTL_NNP, v), 0);
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_TSYNC, &v), 0);
	if (v)
		ck_assert_int_eq(seccomp_attr_set(src, SCMP_FLTATR_CTL_TSYNC, v), 0);
	ck_assert_int_eq(seccomp_arch_remove(src, SCMP_ARCH_NATIVE), 0);
	for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
		if (seccomp_arch_exist(ctx, cand[i]) == 0 || seccomp_arch_add(src, cand[i]) != 0)
			continue;
		ck_assert_int_eq(seccomp_rule_add(src, SCMP_ACT_ERRNO(6), SCMP_SYS(getppid), 0), 0);
		ck_assert_int_eq(seccomp_merge(ctx, src), 0);
		return true;
	}
	seccomp_release(src);
	return false;
}

START_TEST(precompute_cache)
{
	scmp_filter_ctx ctx = txn_ctx(), twin = txn_ctx();
	const struct sg_program *p;
	struct ki_blob want, b;
	unsigned char buf[1 << 16];
	size_t len = sizeof(buf);

	ck_assert_ptr_null(cached(ctx));
	ck_assert_int_eq(seccomp_precompute(ctx), 0);
	p = cached(ctx);
	ck_assert_ptr_nonnull(p);
	/* the cache is the program a fresh compile gives */
	want = ki_export(twin);
	b = ki_export(ctx);
	ck_assert(ki_blob_eq(&b, &want));
	ki_blob_free(&b);
	ki_blob_free(&want);
	/* export and precompute again reuse it */
	ck_assert_int_eq(seccomp_export_bpf_mem(ctx, buf, &len), 0);
	FILE *fp = tmpfile();
	ck_assert_int_eq(seccomp_export_bpf(ctx, fileno(fp)), 0);
	fclose(fp);
	ck_assert_int_eq(seccomp_precompute(ctx), 0);
	ck_assert_ptr_eq(cached(ctx), p);

	/* changes that do not affect code keep the cache */
	const enum scmp_filter_attr keep[] = {SCMP_FLTATR_CTL_NNP,      SCMP_FLTATR_API_SYSRAWRC,
	                                      SCMP_FLTATR_CTL_WAITKILL, SCMP_FLTATR_CTL_TSYNC,
	                                      SCMP_FLTATR_CTL_LOG,      SCMP_FLTATR_CTL_SSB};
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		if ((keep[i] == SCMP_FLTATR_CTL_LOG && kernel_level < 3) ||
		    (keep[i] == SCMP_FLTATR_CTL_SSB && kernel_level < 4) ||
		    (keep[i] == SCMP_FLTATR_CTL_TSYNC && kernel_level < 2))
			continue;
		ck_assert_int_eq(seccomp_attr_set(ctx, keep[i], 1), 0);
		ck_assert_msg(cached(ctx) == p, "attr %d dropped the cache", keep[i]);
	}
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	ck_assert_int_eq(seccomp_transaction_commit(ctx), 0);
	uint32_t v;
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_OPTIMIZE, &v), 0);
	ck_assert_int_eq(seccomp_arch_exist(ctx, SCMP_ARCH_NATIVE), 0);
	/* failed changes keep it too */
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(99), SCMP_SYS(read), 1, SCMP_A0(SCMP_CMP_EQ, 3)),
	    -EEXIST);
	ck_assert_int_eq(seccomp_arch_add(ctx, SCMP_ARCH_NATIVE), -EEXIST);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 0), -EOPNOTSUPP);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, 0x12345678), -EINVAL);
	ck_assert_ptr_eq(cached(ctx), p);

	/* every change that affects code drops it, and the next export matches a fresh compile */
	for (int change = 0; change < 10; change++) {
		ck_assert_int_eq(seccomp_precompute(ctx), 0);
		ck_assert_ptr_nonnull(cached(ctx));
		switch (change) {
		case 0:
			ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(3), SCMP_SYS(dup), 0),
			                 0);
			ck_assert_int_eq(
			    seccomp_rule_add(twin, SCMP_ACT_ERRNO(3), SCMP_SYS(dup), 0), 0);
			break;
		case 1:
			ck_assert_int_eq(seccomp_syscall_priority(ctx, SCMP_SYS(dup), 100), 0);
			ck_assert_int_eq(seccomp_syscall_priority(twin, SCMP_SYS(dup), 100), 0);
			break;
		case 2:
			ck_assert_int_eq(
			    seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRAP), 0);
			ck_assert_int_eq(
			    seccomp_attr_set(twin, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRAP), 0);
			break;
		case 3:
			ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2), 0);
			ck_assert_int_eq(seccomp_attr_set(twin, SCMP_FLTATR_CTL_OPTIMIZE, 2), 0);
			break;
		case 4:
			ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_API_TSKIP, 1), 0);
			ck_assert_int_eq(seccomp_attr_set(twin, SCMP_FLTATR_API_TSKIP, 1), 0);
			break;
		case 5:
			if (!ki_other_arch())
				continue;
			ck_assert_int_eq(seccomp_arch_remove(ctx, ki_other_arch()), 0);
			ck_assert_int_eq(seccomp_arch_remove(twin, ki_other_arch()), 0);
			break;
		case 6:
			if (!ki_other_arch())
				continue;
			ck_assert_int_eq(seccomp_arch_add(ctx, ki_other_arch()), 0);
			ck_assert_int_eq(seccomp_arch_add(twin, ki_other_arch()), 0);
			break;
		case 7: {
			/* a transaction rolled back: the cache of the inner state must go */
			ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
			ck_assert_int_eq(
			    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(4), SCMP_SYS(dup2), 0), 0);
			ck_assert_int_eq(seccomp_precompute(ctx), 0);
			seccomp_transaction_reject(ctx);
			break;
		}
		case 8:
			/* merge in an architecture built on its own */
			if (!merge_third(ctx) || !merge_third(twin))
				continue;
			break;
		case 9:
			ck_assert_int_eq(seccomp_reset(ctx, SCMP_ACT_ERRNO(1)), 0);
			ck_assert_int_eq(seccomp_reset(twin, SCMP_ACT_ERRNO(1)), 0);
			break;
		}
		ck_assert_msg(cached(ctx) == NULL, "change %d kept a stale program", change);
		want = ki_export(twin);
		b = ki_export(ctx);
		ck_assert_msg(ki_blob_eq(&b, &want), "change %d: program differs from fresh",
		              change);
		ki_blob_free(&b);
		ki_blob_free(&want);
	}
	seccomp_release(ctx);
	seccomp_release(twin);
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

/* ---------------------------------------------------------------------------------------- */
/* thread safety: independent contexts on several threads                                     */

#define NVARIANTS 6
#define NWORKERS  4
#define NITERS    25

static struct ki_blob reference[NVARIANTS];

static scmp_filter_ctx variant_ctx(int v)
{
	scmp_filter_ctx ctx = seccomp_init(v % 2 ? SCMP_ACT_ERRNO(38) : SCMP_ACT_ALLOW);
	uint32_t other = ki_other_arch();
	if (!ctx)
		return NULL;
	if (other && v % 3 != 0 && seccomp_arch_add(ctx, other) != 0)
		goto fail;
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 1 + v % 2) != 0)
		goto fail;
	for (int i = 0; i < 30 + 10 * v; i++) {
		uint32_t act = i % 3 == 0 ? SCMP_ACT_KILL : SCMP_ACT_ERRNO(1 + (i + v) % 100);
		if (act == (v % 2 ? SCMP_ACT_ERRNO(38) : SCMP_ACT_ALLOW))
			act = SCMP_ACT_TRAP;
		if (seccomp_rule_add(ctx, act, i, i % 2, SCMP_A1(SCMP_CMP_LE, (uint64_t)(i * v))) !=
		    0)
			goto fail;
	}
	/* a socket-family call: multiplexed through socketcall on x86 */
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(5), SCMP_SYS(recvmmsg), 1,
	                     SCMP_A0(SCMP_CMP_EQ, v)) != 0)
		goto fail;
	return ctx;
fail:
	seccomp_release(ctx);
	return NULL;
}

static void *ctx_worker(void *p)
{
	int id = (int)(intptr_t)p;
	long bad = 0;
	for (int i = 0; i < NITERS; i++) {
		int v = (id + i) % NVARIANTS;
		scmp_filter_ctx ctx = variant_ctx(v);
		if (!ctx) {
			bad++;
			continue;
		}
		/* shared read-only paths alongside */
		if (seccomp_api_get() != kernel_level || seccomp_notify_fd(ctx) != -EFAULT ||
		    seccomp_syscall_resolve_name("openat") != __NR_openat)
			bad++;
		if (i % 2 && seccomp_precompute(ctx) != 0)
			bad++;
		struct ki_blob b = ki_export(ctx);
		if (!ki_blob_eq(&b, &reference[v]))
			bad++;
		ki_blob_free(&b);
		seccomp_release(ctx);
	}
	return (void *)bad;
}

START_TEST(threads_independent_contexts)
{
	pthread_t t[NWORKERS];
	long total = 0;

	for (int v = 0; v < NVARIANTS; v++) {
		scmp_filter_ctx ctx = variant_ctx(v);
		ck_assert_ptr_nonnull(ctx);
		reference[v] = ki_export(ctx);
		ck_assert_int_eq(reference[v].rc, 0);
		seccomp_release(ctx);
	}
	for (int i = 0; i < NWORKERS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, ctx_worker, (void *)(intptr_t)i), 0);
	for (int i = 0; i < NWORKERS; i++) {
		void *bad;
		ck_assert_int_eq(pthread_join(t[i], &bad), 0);
		total += (long)bad;
	}
	for (int v = 0; v < NVARIANTS; v++)
		ki_blob_free(&reference[v]);
	ck_assert_int_eq(total, 0);
}
END_TEST

/* the first probe, raced by several threads (after seccomp_reset(NULL) forgot the results) */
static void *probe_worker(void *p)
{
	(void)p;
	long bad = 0;
	pthread_barrier_wait(&bar_ready);
	scmp_filter_ctx ctx =
	    seccomp_init(kernel_level >= 3 ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_KILL);
	if (!ctx || seccomp_api_get() != kernel_level)
		bad++;
	if (kernel_level >= 5 && seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, NR_BASE, 0) != 0)
		bad++;
	seccomp_release(ctx);
	return (void *)bad;
}

static void probe_race_child(void *p)
{
	(void)p;
	pthread_t t[NWORKERS];
	REQUIRE_EQ(seccomp_reset(NULL, 0), 0);
	pthread_barrier_init(&bar_ready, NULL, NWORKERS);
	for (int i = 0; i < NWORKERS; i++)
		REQUIRE_EQ(pthread_create(&t[i], NULL, probe_worker, NULL), 0);
	for (int i = 0; i < NWORKERS; i++) {
		void *bad;
		REQUIRE_EQ(pthread_join(t[i], &bad), 0);
		REQUIRE_EQ((long)bad, 0);
	}
}

START_TEST(threads_probe_race)
{
	TU_CHILD_OK(probe_race_child, NULL, "probe race");
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
	tcase_add_test(tc, notify_supervisor);
	tcase_add_test(tc, notify_listener_once);
	tcase_add_test(tc, waitkill_behaviour);
	tcase_add_test(tc, tsync_all_threads);
	tcase_add_test(tc, tsync_unsyncable_thread);
	tcase_add_test(tc, load_no_alloc_after_filter);
	suite_add_tcase(s, tc);
	TCase *lib = tcase_create("library");
	tcase_set_timeout(lib, 60);
	tcase_add_test(lib, transactions_exact);
	tcase_add_test(lib, precompute_cache);
	tcase_add_test(lib, threads_independent_contexts);
	tcase_add_test(lib, threads_probe_race);
	suite_add_tcase(s, lib);
	return s;
}

int main(void)
{
	tu_skip_without_seccomp();
	kernel_level = seccomp_api_get();
	printf("kernel API level %u\n", kernel_level);
	return tu_run_suite(kernel_suite());
}
