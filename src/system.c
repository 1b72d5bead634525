/*
 * system.c - feature probing, API levels and loading (see system.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
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

/*
 * Process-wide state. Readers (every API call that checks a feature, the notify functions)
 * only load atomics, so they never block and cannot deadlock against a thread that is inside
 * seccomp_load() -- even when the filter being loaded notifies on seccomp(2) itself and the
 * supervisor is another thread of this process. Writers serialise on sys_lock.
 */
static pthread_mutex_t sys_lock = PTHREAD_MUTEX_INITIALIZER;

/* the features in force, packed: FEAT_VALID once probed (or forced by seccomp_api_set) */
enum {
	FEAT_VALID = 1u << 0,
	FEAT_SYSCALL = 1u << 1,
	FEAT_TSYNC = 1u << 2,
	FEAT_LOG = 1u << 3,
	FEAT_SPEC_ALLOW = 1u << 4,
	FEAT_NEW_LISTENER = 1u << 5,
	FEAT_TSYNC_ESRCH = 1u << 6,
	FEAT_WAIT_KILLABLE = 1u << 7,
	FEAT_ACT_KILL_PROCESS = 1u << 8,
	FEAT_ACT_LOG = 1u << 9,
	FEAT_ACT_NOTIFY = 1u << 10,
};
static atomic_uint sys_feat;
static atomic_uint sys_level; /* 0 until probed or forced */
/* -1: none saved (fd 0 is a valid listener: libseccomp bug #496 treats it as "none") */
static atomic_int sys_notify_fd = -1;
/* SECCOMP_GET_NOTIF_SIZES, packed as notif | resp << 16; 0 until asked */
static atomic_uint sys_notif_sizes;

static unsigned int feat_pack(const struct sg_features *f)
{
	return FEAT_VALID | (f->seccomp_syscall ? FEAT_SYSCALL : 0) |
	       (f->flag_tsync ? FEAT_TSYNC : 0) | (f->flag_log ? FEAT_LOG : 0) |
	       (f->flag_spec_allow ? FEAT_SPEC_ALLOW : 0) |
	       (f->flag_new_listener ? FEAT_NEW_LISTENER : 0) |
	       (f->flag_tsync_esrch ? FEAT_TSYNC_ESRCH : 0) |
	       (f->flag_wait_killable ? FEAT_WAIT_KILLABLE : 0) |
	       (f->act_kill_process ? FEAT_ACT_KILL_PROCESS : 0) | (f->act_log ? FEAT_ACT_LOG : 0) |
	       (f->act_notify ? FEAT_ACT_NOTIFY : 0);
}

static struct sg_features feat_unpack(unsigned int v)
{
	return (struct sg_features){
	    .seccomp_syscall = v & FEAT_SYSCALL,
	    .flag_tsync = v & FEAT_TSYNC,
	    .flag_log = v & FEAT_LOG,
	    .flag_spec_allow = v & FEAT_SPEC_ALLOW,
	    .flag_new_listener = v & FEAT_NEW_LISTENER,
	    .flag_tsync_esrch = v & FEAT_TSYNC_ESRCH,
	    .flag_wait_killable = v & FEAT_WAIT_KILLABLE,
	    .act_kill_process = v & FEAT_ACT_KILL_PROCESS,
	    .act_log = v & FEAT_ACT_LOG,
	    .act_notify = v & FEAT_ACT_NOTIFY,
	};
}

static long sys_seccomp(unsigned int op, unsigned int flags, void *args)
{
#ifdef __NR_seccomp
	return syscall(__NR_seccomp, op, flags, args);
#else
	(void)op;
	(void)flags;
	(void)args;
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

/* ask the kernel (caller holds sys_lock); returns the packed features */
static unsigned int probe_kernel(void)
{
	struct sg_features f = {0};
	int saved = errno;

	/* seccomp(2) exists when it rejects a strict-mode request with flags as invalid */
	f.seccomp_syscall = sys_seccomp(SECCOMP_SET_MODE_STRICT, 1, NULL) < 0 && errno == EINVAL;
	if (f.seccomp_syscall) {
		f.flag_tsync = probe_flag(SECCOMP_FILTER_FLAG_TSYNC);
		f.flag_log = probe_flag(SECCOMP_FILTER_FLAG_LOG);
		f.flag_spec_allow = probe_flag(SECCOMP_FILTER_FLAG_SPEC_ALLOW);
		f.flag_new_listener = probe_flag(SECCOMP_FILTER_FLAG_NEW_LISTENER);
		f.flag_tsync_esrch = probe_flag(SECCOMP_FILTER_FLAG_TSYNC_ESRCH);
		/* WAIT_KILLABLE_RECV is only valid together with NEW_LISTENER */
		f.flag_wait_killable = probe_flag(SECCOMP_FILTER_FLAG_NEW_LISTENER |
		                                  SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
		f.act_kill_process = probe_action(SECCOMP_RET_KILL_PROCESS);
		f.act_log = probe_action(SECCOMP_RET_LOG);
		f.act_notify =
		    probe_action(SECCOMP_RET_USER_NOTIF) &&
		    sys_seccomp(SECCOMP_GET_NOTIF_SIZES, 0, &(struct seccomp_notif_sizes){0}) == 0;
	}
	errno = saved;
	return feat_pack(&f);
}

/* the packed features, probing first if nothing has yet */
static unsigned int feat_get(void)
{
	unsigned int v = atomic_load_explicit(&sys_feat, memory_order_acquire);

	if (v & FEAT_VALID)
		return v;
	pthread_mutex_lock(&sys_lock);
	v = atomic_load_explicit(&sys_feat, memory_order_relaxed);
	if (!(v & FEAT_VALID)) {
		v = probe_kernel();
		/* the level is computed once; seccomp_reset(NULL, ...) keeps it, as libseccomp does
		 */
		if (atomic_load_explicit(&sys_level, memory_order_relaxed) == 0) {
			struct sg_features f = feat_unpack(v);
			atomic_store_explicit(&sys_level, level_of(&f), memory_order_relaxed);
		}
		atomic_store_explicit(&sys_feat, v, memory_order_release);
	}
	pthread_mutex_unlock(&sys_lock);
	return v;
}

unsigned int sg_sys_api_level(void)
{
	unsigned int level = atomic_load_explicit(&sys_level, memory_order_acquire);

	if (level != 0)
		return level;
	feat_get();
	return atomic_load_explicit(&sys_level, memory_order_acquire);
}

int sg_sys_api_level_set(unsigned int level)
{
	if (level < 1 || level > 7)
		return -EINVAL;
	struct sg_features f = features_of(level);
	pthread_mutex_lock(&sys_lock);
	atomic_store_explicit(&sys_level, level, memory_order_release);
	atomic_store_explicit(&sys_feat, feat_pack(&f), memory_order_release);
	pthread_mutex_unlock(&sys_lock);
	return 0;
}

struct sg_features sg_sys_features(void)
{
	return feat_unpack(feat_get());
}

bool sg_sys_action_supported(uint32_t action)
{
	switch (action & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		return feat_get() & FEAT_ACT_KILL_PROCESS;
	case SECCOMP_RET_LOG:
		return feat_get() & FEAT_ACT_LOG;
	case SECCOMP_RET_USER_NOTIF:
		return feat_get() & FEAT_ACT_NOTIFY;
	default:
		return true;
	}
}

void sg_sys_reset(void)
{
	pthread_mutex_lock(&sys_lock);
	int fd = atomic_exchange(&sys_notify_fd, -1);
	if (fd >= 0)
		close(fd);
	/* forget what was probed (asked again on next use); the level stays, as in libseccomp */
	atomic_store_explicit(&sys_feat, 0, memory_order_release);
	pthread_mutex_unlock(&sys_lock);
}

int sg_sys_notify_fd(void)
{
	return atomic_load_explicit(&sys_notify_fd, memory_order_acquire);
}

int sg_sys_notif_sizes(struct seccomp_notif_sizes *sizes)
{
	unsigned int v = atomic_load_explicit(&sys_notif_sizes, memory_order_relaxed);

	if (!(feat_get() & FEAT_SYSCALL))
		return -EOPNOTSUPP;
	if (v == 0) {
		struct seccomp_notif_sizes k = {0};
		if (sys_seccomp(SECCOMP_GET_NOTIF_SIZES, 0, &k) < 0)
			return -ECANCELED;
		v = (unsigned int)k.seccomp_notif | (unsigned int)k.seccomp_notif_resp << 16;
		/* the kernel's answer never changes: racing threads store the same value */
		atomic_store_explicit(&sys_notif_sizes, v, memory_order_relaxed);
	}
	sizes->seccomp_notif = (uint16_t)(v & 0xffff);
	sizes->seccomp_notif_resp = (uint16_t)(v >> 16);
	sizes->seccomp_data = sizeof(struct seccomp_data);
	return 0;
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
	bool listener, saved_fd;
	long rc;

	/*
	 * Nothing below allocates or frees: once the filter is in force, a filter that forbids
	 * brk/mmap/munmap must not kill us on the way out (the Solo5 problem).
	 */
	if (f->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return sys_error(f, errno);

	if (!feat.seccomp_syscall) {
		/* API level 1: the prctl interface has no flags */
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) < 0)
			return sys_error(f, errno);
		return 0;
	}

	pthread_mutex_lock(&sys_lock);
	saved_fd = atomic_load_explicit(&sys_notify_fd, memory_order_relaxed) >= 0;
	/* a chain of filters can have one listener: ask for it only once per process (#273) */
	listener = f->notify_used && feat.act_notify && feat.flag_new_listener && !saved_fd;
	if (f->tsync) {
		flags |= SECCOMP_FILTER_FLAG_TSYNC;
		/* as libseccomp: only while no listener is saved (the kernel needs it for both) */
		if (feat.flag_tsync_esrch && !saved_fd)
			flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
		else if (listener) {
			/* TSYNC with a new listener needs TSYNC_ESRCH; attr_set/rule_add refuse it
			 */
			pthread_mutex_unlock(&sys_lock);
			return -EFAULT;
		}
	}
	if (f->log)
		flags |= SECCOMP_FILTER_FLAG_LOG;
	if (f->ssb)
		flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	if (listener) {
		flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
		/* WAIT_KILLABLE_RECV is meaningless (and refused) without a listener */
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
		/* the listener fd (0 is possible when stdin was closed: still a listener, #496) */
		atomic_store_explicit(&sys_notify_fd, (int)rc, memory_order_release);
	} else if (rc > 0 && (flags & SECCOMP_FILTER_FLAG_TSYNC)) {
		/* kernels without TSYNC_ESRCH name the thread that could not sync */
		pthread_mutex_unlock(&sys_lock);
		return -ESRCH;
	}
	pthread_mutex_unlock(&sys_lock);
	return 0;
}
