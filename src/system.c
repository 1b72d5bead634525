/*
 * system.c - feature probing, API levels and loading (see system.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "system.h"

#ifndef SECCOMP_GET_ACTION_AVAIL
#define SECCOMP_GET_ACTION_AVAIL 2
#endif
#ifndef SECCOMP_GET_NOTIF_SIZES
#define SECCOMP_GET_NOTIF_SIZES 3
#endif
#ifndef SECCOMP_FILTER_FLAG_TSYNC
#define SECCOMP_FILTER_FLAG_TSYNC (1UL << 0)
#endif
#ifndef SECCOMP_FILTER_FLAG_LOG
#define SECCOMP_FILTER_FLAG_LOG (1UL << 1)
#endif
#ifndef SECCOMP_FILTER_FLAG_SPEC_ALLOW
#define SECCOMP_FILTER_FLAG_SPEC_ALLOW (1UL << 2)
#endif
#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif
#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef PR_SET_NO_NEW_PRIVS
#define PR_SET_NO_NEW_PRIVS 38
#endif

static pthread_mutex_t sys_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	bool probed;      /* features below are valid */
	unsigned int level;
	struct sg_features feat;
	int notify_fd;    /* -1: none saved (fd 0 is a valid listener, libseccomp bug #496) */
} sys_state = {.notify_fd = -1};

static long sys_seccomp(unsigned int op, unsigned int flags, void *args)
{
#ifdef __NR_seccomp
	return syscall(__NR_seccomp, op, flags, args);
#else
	errno = ENOSYS;
	return -1;
#endif
}

/* a flag is known when the kernel gets past flag validation and faults on the NULL program */
static bool probe_flag(unsigned long flag)
{
	return sys_seccomp(SECCOMP_SET_MODE_FILTER, flag, NULL) < 0 && errno == EFAULT;
}

static bool probe_action(uint32_t action)
{
	return sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

static unsigned int level_of(const struct sg_features *f)
{
	unsigned int level = 1;
	if (!f->seccomp_syscall || !f->flag_tsync)
		return level;
	level = 2;
	if (!f->flag_log || !f->act_log || !f->act_kill_process)
		return level;
	level = 3;
	if (!f->flag_spec_allow)
		return level;
	level = 4;
	if (!f->flag_new_listener || !f->act_notify)
		return level;
	level = 5;
	if (!f->flag_tsync_esrch)
		return level;
	level = 6;
	if (!f->flag_wait_killable)
		return level;
	return 7;
}

/* the features a level promises: exactly what libseccomp enables for it */
static struct sg_features features_of(unsigned int level)
{
	struct sg_features f = {0};
	f.seccomp_syscall = f.flag_tsync = level >= 2;
	f.flag_log = f.act_log = f.act_kill_process = level >= 3;
	f.flag_spec_allow = level >= 4;
	f.flag_new_listener = f.act_notify = level >= 5;
	f.flag_tsync_esrch = level >= 6;
	f.flag_wait_killable = level >= 7;
	return f;
}

static void probe_locked(void)
{
	struct sg_features *f = &sys_state.feat;
	int saved = errno;

	if (sys_state.probed)
		return;
	/* seccomp(2) exists when it rejects a strict-mode request with flags as invalid */
	f->seccomp_syscall = sys_seccomp(SECCOMP_SET_MODE_STRICT, 1, NULL) < 0 && errno == EINVAL;
	if (f->seccomp_syscall) {
		f->flag_tsync = probe_flag(SECCOMP_FILTER_FLAG_TSYNC);
		f->flag_log = probe_flag(SECCOMP_FILTER_FLAG_LOG);
		f->flag_spec_allow = probe_flag(SECCOMP_FILTER_FLAG_SPEC_ALLOW);
		f->flag_new_listener = probe_flag(SECCOMP_FILTER_FLAG_NEW_LISTENER);
		f->flag_tsync_esrch = probe_flag(SECCOMP_FILTER_FLAG_TSYNC_ESRCH);
		/* WAIT_KILLABLE_RECV is only valid together with NEW_LISTENER */
		f->flag_wait_killable = probe_flag(SECCOMP_FILTER_FLAG_NEW_LISTENER |
						   SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
		f->act_kill_process = probe_action(SECCOMP_RET_KILL_PROCESS);
		f->act_log = probe_action(SECCOMP_RET_LOG);
		f->act_notify = probe_action(SECCOMP_RET_USER_NOTIF) &&
				sys_seccomp(SECCOMP_GET_NOTIF_SIZES, 0,
					    &(struct seccomp_notif_sizes){0}) == 0;
	}
	if (sys_state.level == 0)
		sys_state.level = level_of(f);
	sys_state.probed = true;
	errno = saved;
}

unsigned int sg_sys_api_level(void)
{
	pthread_mutex_lock(&sys_lock);
	probe_locked();
	unsigned int level = sys_state.level;
	pthread_mutex_unlock(&sys_lock);
	return level;
}

int sg_sys_api_level_set(unsigned int level)
{
	if (level < 1 || level > 7)
		return -EINVAL;
	pthread_mutex_lock(&sys_lock);
	sys_state.feat = features_of(level);
	sys_state.level = level;
	sys_state.probed = true;
	pthread_mutex_unlock(&sys_lock);
	return 0;
}

struct sg_features sg_sys_features(void)
{
	pthread_mutex_lock(&sys_lock);
	probe_locked();
	struct sg_features f = sys_state.feat;
	pthread_mutex_unlock(&sys_lock);
	return f;
}

bool sg_sys_probed(void)
{
	pthread_mutex_lock(&sys_lock);
	bool probed = sys_state.probed;
	pthread_mutex_unlock(&sys_lock);
	return probed;
}

bool sg_sys_action_supported(uint32_t action)
{
	struct sg_features f = sg_sys_features();
	switch (action & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		return f.act_kill_process;
	case SECCOMP_RET_LOG:
		return f.act_log;
	case SECCOMP_RET_USER_NOTIF:
		return f.act_notify;
	default:
		return true;
	}
}

void sg_sys_reset(void)
{
	pthread_mutex_lock(&sys_lock);
	if (sys_state.notify_fd >= 0)
		close(sys_state.notify_fd);
	sys_state.notify_fd = -1;
	/* forget what was probed, keep the level (as libseccomp does) */
	unsigned int level = sys_state.level;
	sys_state.probed = false;
	sys_state.feat = (struct sg_features){0};
	probe_locked();
	sys_state.level = level;
	pthread_mutex_unlock(&sys_lock);
}

int sg_sys_notify_fd(void)
{
	pthread_mutex_lock(&sys_lock);
	int fd = sys_state.notify_fd;
	pthread_mutex_unlock(&sys_lock);
	return fd;
}

static int sys_error(const struct sg_filter *f, int err)
{
	return f->rawrc ? -err : -ECANCELED;
}

int sg_sys_load(const struct sg_filter *f, const struct sg_program *prog)
{
	struct sock_fprog fprog = {.len = (unsigned short)prog->len,
				   .filter = (struct sock_filter *)prog->insns};
	struct sg_features feat = sg_sys_features();
	unsigned int flags = 0;
	bool listener;
	long rc;

	if (f->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return sys_error(f, errno);

	if (!feat.seccomp_syscall) {
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) < 0)
			return sys_error(f, errno);
		return 0;
	}

	pthread_mutex_lock(&sys_lock);
	/* a chain of filters can have one listener: ask for it only once per process (#273) */
	listener = f->notify_used && sys_state.notify_fd < 0;
	if (f->tsync) {
		flags |= SECCOMP_FILTER_FLAG_TSYNC;
		if (feat.flag_tsync_esrch)
			flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
	}
	if (f->log)
		flags |= SECCOMP_FILTER_FLAG_LOG;
	if (f->ssb)
		flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	if (listener) {
		flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
		if (f->waitkill)
			flags |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	}
	rc = sys_seccomp(SECCOMP_SET_MODE_FILTER, flags, &fprog);
	if (rc < 0) {
		int err = errno;
		pthread_mutex_unlock(&sys_lock);
		return sys_error(f, err);
	}
	if (listener) {
		sys_state.notify_fd = (int)rc;
	} else if (rc > 0 && (flags & SECCOMP_FILTER_FLAG_TSYNC)) {
		/* kernels without TSYNC_ESRCH name the thread that could not sync */
		pthread_mutex_unlock(&sys_lock);
		return -ESRCH;
	}
	pthread_mutex_unlock(&sys_lock);
	return 0;
}
