/*
 * record_engine.c - run a command and report every system call it makes (see record.h).
 *
 * Both methods put a filter whose default action reports the call on the command's first
 * process, just before its execve; every thread, fork and exec inherits it, so nothing the
 * command does escapes. The recorder itself never runs under it.
 *
 * Notification (preferred): the filter returns SCMP_ACT_NOTIFY. The child cannot hand its
 * listener fd to us after loading the filter (that hand-over would itself be a syscall
 * waiting for us), so we take it with pidfd_getfd(2) (Linux 5.6), find it by its
 * /proc/PID/fd link, and answer every notification with SECCOMP_USER_NOTIF_FLAG_CONTINUE
 * (Linux 5.5): the kernel then runs the call exactly as it would have without us. We never
 * read the caller's memory, so the CONTINUE response's documented time-of-check race does
 * not concern us: we decide nothing, we only count.
 *
 * ptrace (fallback): the filter returns SCMP_ACT_TRACE; we seize the child before it loads
 * the filter, follow forks, clones and execs, and read each call with
 * PTRACE_GET_SYSCALL_INFO (Linux 5.3), which gives the ABI, number and arguments without
 * per-architecture register layouts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/seccomp.h>

#include "record.h"

/* what a child that could not start the command tells us through the error pipe */
struct child_error {
	int stage; /* 1: loading the filter, 2: execve */
	int err;   /* positive errno */
};

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return rc;
}

const char *rec_method_name(enum rec_method m)
{
	switch (m) {
	case REC_NOTIFY:
		return "notify";
	case REC_PTRACE:
		return "ptrace";
	case REC_AUTO:
		break;
	}
	return "auto";
}

/* the ABIs this machine's processes can use beside the native one */
static void add_compat_arches(scmp_filter_ctx ctx)
{
	static const uint32_t compat[][3] = {
	    {SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32},
	    {SCMP_ARCH_AARCH64, SCMP_ARCH_ARM, 0},
	    {SCMP_ARCH_S390X, SCMP_ARCH_S390, 0},
	    {SCMP_ARCH_PPC64, SCMP_ARCH_PPC, 0},
	    {SCMP_ARCH_MIPS64, SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64N32},
	    {SCMP_ARCH_MIPSEL64, SCMP_ARCH_MIPSEL, SCMP_ARCH_MIPSEL64N32},
	};
	uint32_t native = seccomp_arch_native();

	for (size_t i = 0; i < sizeof(compat) / sizeof(compat[0]); i++)
		if (compat[i][0] == native)
			for (size_t j = 1; j < 3 && compat[i][j]; j++)
				seccomp_arch_add(ctx, compat[i][j]); /* best effort */
}

/* argv[0] as execvp would find it, resolved before the filter exists (a PATH search after
 * it would be recorded, and would fail more slowly) */
static int find_program(const char *name, char *path, size_t size)
{
	const char *p = getenv("PATH");

	if (strchr(name, '/')) {
		if (snprintf(path, size, "%s", name) >= (int)size)
			return -ENAMETOOLONG;
		return access(path, X_OK) == 0 ? 0 : -errno;
	}
	if (!p || !*p)
		p = "/usr/local/bin:/usr/bin:/bin";
	while (*p) {
		size_t n = strcspn(p, ":");
		struct stat st;

		if (snprintf(path, size, "%.*s%s%s", (int)n, n ? p : ".", "/", name) < (int)size &&
		    access(path, X_OK) == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			return 0;
		p += n + (p[n] == ':');
	}
	return -ENOENT;
}

/* in the child: load a filter whose default is `action`, then exec; never returns */
static void child_exec(const char *path, char *const argv[], uint32_t action, int ready_fd,
                       int err_fd)
{
	struct child_error ce = {1, ENOMEM};
	scmp_filter_ctx ctx = seccomp_init(action);
	int rc = -ENOMEM;

	if (ctx) {
		add_compat_arches(ctx);
		if (ready_fd >= 0 && write(ready_fd, "l", 1) != 1)
			_exit(126);
		rc = seccomp_load(ctx);
	}
	if (rc == 0) {
		execv(path, argv);
		ce.stage = 2;
		ce.err = errno;
	} else {
		ce.err = -rc;
	}
	if (write(err_fd, &ce, sizeof(ce)) != (ssize_t)sizeof(ce))
		_exit(126);
	_exit(127);
}

/* after the command ran: did the child report that it could not start it? */
static int child_failed(int err_fd, const char *path, struct rec_result *res, char *err,
                        size_t errlen)
{
	struct child_error ce;
	ssize_t n = read(err_fd, &ce, sizeof(ce));

	if (n != (ssize_t)sizeof(ce))
		return 0;
	if (ce.stage == 1)
		return fail(err, errlen, -ce.err, "cannot load the recording filter: %s",
		            strerror(ce.err));
	res->exec_failed = true;
	return fail(err, errlen, -ce.err, "cannot execute %s: %s", path, strerror(ce.err));
}

/* the number of the child's seccomp listener fd, or -1 */
static int find_listener(pid_t pid)
{
	char dir[64], link[PATH_MAX], target[64];
	struct dirent *de;
	int found = -1;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	d = opendir(dir);
	if (!d)
		return -1;
	while (found < 0 && (de = readdir(d)) != NULL) {
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "%s/%s", dir, de->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (strcmp(target, "anon_inode:seccomp notify") == 0)
			found = atoi(de->d_name);
	}
	closedir(d);
	return found;
}

static int sys_pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static int sys_pidfd_getfd(int pidfd, int fd)
{
	return (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
}

/* can this kernel record by notification? (API level 5: SCMP_ACT_NOTIFY; pidfd_getfd on
 * ourselves proves Linux 5.6, which also has the CONTINUE response of 5.5) */
static bool notify_available(void)
{
	int pidfd, fd;

	if (seccomp_api_get() < 5)
		return false;
	pidfd = sys_pidfd_open(getpid());
	if (pidfd < 0)
		return false;
	fd = sys_pidfd_getfd(pidfd, pidfd);
	close(pidfd);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* wait (with short sleeps: the child is loading its filter) for the listener to appear and
 * take a copy of it; returns the fd or a negative errno */
static int take_listener(pid_t pid, int pidfd)
{
	const struct timespec tick = {0, 1000000};

	for (;;) {
		int target = find_listener(pid), st;

		if (target >= 0) {
			int fd = sys_pidfd_getfd(pidfd, target);
			return fd < 0 ? -errno : fd;
		}
		if (waitpid(pid, &st, WNOHANG) == pid)
			return -ECHILD; /* the child died before loading */
		nanosleep(&tick, NULL);
	}
}

static int record_notify(const char *path, char *const argv[], rec_sink_fn sink, void *sctx,
                         struct rec_result *res, char *err, size_t errlen)
{
	struct seccomp_notif *req = NULL;
	struct seccomp_notif_resp *resp = NULL;
	int ready[2], errp[2], pidfd = -1, lfd = -1, rc = 0, execve_nr;
	bool started = false, reaped = false;
	char c;
	pid_t pid;

	execve_nr = seccomp_syscall_resolve_name("execve");
	if ((rc = seccomp_notify_alloc(&req, &resp)) < 0)
		return fail(err, errlen, rc, "cannot allocate notification buffers");
	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		rc = -errno;
		seccomp_notify_free(req, resp);
		return fail(err, errlen, rc, "pipe: %s", strerror(-rc));
	}
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		close(errp[0]);
		child_exec(path, argv, SCMP_ACT_NOTIFY, ready[1], errp[1]);
	}
	close(ready[1]);
	close(errp[1]);
	if (pid < 0) {
		rc = fail(err, errlen, -errno, "fork: %s", strerror(errno));
		goto out;
	}
	if (read(ready[0], &c, 1) != 1)
		lfd = -ECHILD; /* the child died before it could load the filter */
	else if ((pidfd = sys_pidfd_open(pid)) < 0)
		lfd = -errno;
	else
		lfd = take_listener(pid, pidfd);
	if (lfd < 0) {
		int e = -lfd;

		if (!reaped && waitpid(pid, &res->status, WNOHANG) != pid) {
			kill(pid, SIGKILL);
			waitpid(pid, &res->status, 0);
		}
		reaped = true;
		rc = child_failed(errp[0], path, res, err, errlen);
		if (rc == 0)
			rc = fail(err, errlen, -e, "cannot take the child's notification fd: %s",
			          strerror(e));
		goto out;
	}
	for (;;) {
		struct pollfd pfd[2] = {{lfd, POLLIN, 0}, {pidfd, POLLIN, 0}};

		if (poll(pfd, reaped ? 1 : 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = fail(err, errlen, -errno, "poll: %s", strerror(errno));
			break;
		}
		if (!reaped && (pfd[1].revents & POLLIN)) {
			waitpid(pid, &res->status, 0);
			reaped = true;
		}
		if (pfd[0].revents & POLLIN) {
			struct rec_call call;
			int r;

			memset(req, 0, sizeof(*req));
			r = seccomp_notify_receive(lfd, req);
			if (r < 0)
				continue; /* the caller went away (-ENOENT) or a signal came */
			if (!started && (pid_t)req->pid == pid && req->data.nr == execve_nr &&
			    req->data.arch == seccomp_arch_native())
				started = true;
			if (started && rc == 0) {
				call.arch = req->data.arch;
				call.nr = req->data.nr;
				memcpy(call.args, req->data.args, sizeof(call.args));
				call.pid = (int32_t)req->pid;
				res->calls++;
				if ((rc = sink(sctx, &call)) < 0) {
					fail(err, errlen, rc, "recording failed: %s",
					     strerror(-rc));
					kill(pid, SIGKILL);
				}
			}
			memset(resp, 0, sizeof(*resp));
			resp->id = req->id;
			resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
			seccomp_notify_respond(lfd, resp); /* -ENOENT: the caller went away */
		} else if (pfd[0].revents & (POLLHUP | POLLERR)) {
			break; /* no process uses the filter any more */
		}
	}
	if (!reaped)
		waitpid(pid, &res->status, 0);
	if (rc == 0)
		rc = child_failed(errp[0], path, res, err, errlen);
out:
	if (lfd >= 0)
		close(lfd);
	if (pidfd >= 0)
		close(pidfd);
	close(ready[0]);
	close(errp[0]);
	seccomp_notify_free(req, resp);
	return rc;
}

/* one stop of a traced thread; returns a negative errno only when recording must stop */
static int ptrace_stop(pid_t w, int st, bool *started, pid_t pid, int execve_nr, rec_sink_fn sink,
                       void *sctx, struct rec_result *res)
{
	int sig = WSTOPSIG(st), event = (unsigned int)st >> 16, rc = 0;

	if (event == PTRACE_EVENT_SECCOMP) {
		struct __ptrace_syscall_info info;
		struct rec_call call;

		memset(&info, 0, sizeof(info));
		if (ptrace(PTRACE_GET_SYSCALL_INFO, w, sizeof(info), &info) > 0 &&
		    info.op == PTRACE_SYSCALL_INFO_SECCOMP) {
			if (!*started && w == pid && (int)info.seccomp.nr == execve_nr &&
			    info.arch == seccomp_arch_native())
				*started = true;
			if (*started) {
				call.arch = info.arch;
				call.nr = (int32_t)info.seccomp.nr;
				memcpy(call.args, info.seccomp.args, sizeof(call.args));
				call.pid = w;
				res->calls++;
				rc = sink(sctx, &call);
			}
		}
		ptrace(PTRACE_CONT, w, 0, 0);
	} else if (event == PTRACE_EVENT_STOP) {
		/* a group-stop (SIGSTOP & co.) stays a stop; a new thread's first stop goes on */
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
			ptrace(PTRACE_LISTEN, w, 0, 0);
		else
			ptrace(PTRACE_CONT, w, 0, 0);
	} else if (event) {
		ptrace(PTRACE_CONT, w, 0, 0); /* fork, vfork, clone, exec */
	} else {
		ptrace(PTRACE_CONT, w, 0, sig); /* a signal: deliver it */
	}
	return rc;
}

static int record_ptrace(const char *path, char *const argv[], rec_sink_fn sink, void *sctx,
                         struct rec_result *res, char *err, size_t errlen)
{
	const long opts = PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
	                  PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
	int go[2], errp[2], rc = 0, execve_nr = seccomp_syscall_resolve_name("execve");
	bool started = false;
	pid_t pid;
	char c;

	if (pipe2(go, O_CLOEXEC) < 0)
		return fail(err, errlen, -errno, "pipe: %s", strerror(errno));
	if (pipe2(errp, O_CLOEXEC) < 0) {
		rc = -errno;
		close(go[0]);
		close(go[1]);
		return fail(err, errlen, rc, "pipe: %s", strerror(-rc));
	}
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		close(errp[0]);
		if (read(go[0], &c, 1) != 1) /* wait until we are traced */
			_exit(126);
		child_exec(path, argv, SCMP_ACT_TRACE(0), -1, errp[1]);
	}
	close(go[0]);
	close(errp[1]);
	if (pid < 0) {
		rc = fail(err, errlen, -errno, "fork: %s", strerror(errno));
		goto out;
	}
	if (ptrace(PTRACE_SEIZE, pid, 0, opts) < 0) {
		rc = fail(err, errlen, -errno, "ptrace: %s", strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, &res->status, 0);
		goto out;
	}
	if (write(go[1], "g", 1) != 1) {
		rc = fail(err, errlen, -errno, "write: %s", strerror(errno));
		kill(pid, SIGKILL);
	}
	for (;;) {
		int st;
		pid_t w = waitpid(-1, &st, __WALL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: every traced process is gone */
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (w == pid)
				res->status = st;
			continue;
		}
		if (WIFSTOPPED(st)) {
			int r = ptrace_stop(w, st, &started, pid, execve_nr, sink, sctx, res);

			if (r < 0 && rc == 0) {
				rc = fail(err, errlen, r, "recording failed: %s", strerror(-r));
				kill(pid, SIGKILL);
			}
		}
	}
	if (rc == 0)
		rc = child_failed(errp[0], path, res, err, errlen);
out:
	close(go[1]);
	close(errp[0]);
	return rc;
}

int rec_run(char *const argv[], enum rec_method method, rec_sink_fn sink, void *sink_ctx,
            struct rec_result *res, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int rc;

	memset(res, 0, sizeof(*res));
	if (!argv || !argv[0])
		return fail(err, errlen, -EINVAL, "no command to record");
	if ((rc = find_program(argv[0], path, sizeof(path))) < 0) {
		res->exec_failed = true;
		return fail(err, errlen, rc, "%s: %s", argv[0], strerror(-rc));
	}
	if (method == REC_AUTO)
		method = notify_available() ? REC_NOTIFY : REC_PTRACE;
	else if (method == REC_NOTIFY && !notify_available())
		return fail(err, errlen, -EOPNOTSUPP,
		            "this kernel cannot record by notification (needs Linux 5.6: "
		            "SCMP_ACT_NOTIFY, the CONTINUE response and pidfd_getfd); use --method "
		            "ptrace");
	res->method = method;
	if (method == REC_NOTIFY)
		return record_notify(path, argv, sink, sink_ctx, res, err, errlen);
	return record_ptrace(path, argv, sink, sink_ctx, res, err, errlen);
}
