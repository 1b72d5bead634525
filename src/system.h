/*
 * system.h - the kernel interface: feature probing (libseccomp's API levels), loading a
 * program, and the process-wide user-notification listener.
 *
 * This is the only process-global state in sysgate, and libseccomp's API implies all of it
 * (seccomp_api_get/set, seccomp_notify_fd). Readers use atomics and never block; probing,
 * seccomp_api_set(), seccomp_reset(NULL, ...) and loading serialise on one mutex (see
 * doc/threads.md).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_SYSTEM_H
#define SYSGATE_SYSTEM_H

#include <stdbool.h>
#include <stdint.h>

#include "compile.h"
#include "db.h"

/* what the running kernel (or seccomp_api_set()) says is available */
struct sg_features {
	bool seccomp_syscall; /* seccomp(2), else prctl(PR_SET_SECCOMP) */
	bool flag_tsync, flag_log, flag_spec_allow, flag_new_listener, flag_tsync_esrch,
	    flag_wait_killable;
	bool act_kill_process, act_log, act_notify;
};

/* probe once (thread-safe), then return the cached level 1..7 */
unsigned int sg_sys_api_level(void);
/* force a level 1..7 (tests use it to simulate older kernels); -EINVAL otherwise */
int sg_sys_api_level_set(unsigned int level);
/* a copy of the features in force (probing first if needed) */
struct sg_features sg_sys_features(void);
/* is the action supported by this kernel (KILL_PROCESS, LOG and NOTIFY need probing)? */
bool sg_sys_action_supported(uint32_t action);

/* seccomp_reset(NULL, ...): close the saved listener and forget probe results (not the level) */
void sg_sys_reset(void);

/* the listener fd saved by the load that requested one, or -1 */
int sg_sys_notify_fd(void);

struct seccomp_notif_sizes;
/*
 * The kernel's notification structure sizes (SECCOMP_GET_NOTIF_SIZES, asked once and cached).
 * 0, -EOPNOTSUPP without seccomp(2), or -ECANCELED when the kernel refuses the query.
 */
int sg_sys_notif_sizes(struct seccomp_notif_sizes *sizes);

/*
 * Install the program into the calling thread (or all threads with TSYNC) as the filter's
 * attributes say. Makes no allocation and frees nothing. Returns 0 or a negative errno:
 * kernel failures are -ECANCELED, or the raw -errno with SCMP_FLTATR_API_SYSRAWRC; -ESRCH when
 * a kernel without TSYNC_ESRCH names a thread that could not be synchronised.
 */
int sg_sys_load(const struct sg_filter *f, const struct sg_program *prog);

#endif
