/*
 * kiproc.h - process plumbing for the kernel-interface tests (kiproc.c): bounded waits and
 * reads, passing a descriptor over a socket, a task's state in /proc, and probing an unassigned
 * syscall number under the filters in force; seccomp flags newer than some kernel headers.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_KIPROC_H
#define SYSGATE_KIPROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/seccomp.h>

/* newer than some kernel headers the tests are built against */
#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_USER_NOTIF_FLAG_CONTINUE
#define SECCOMP_USER_NOTIF_FLAG_CONTINUE (1UL << 0)
#endif

#define WAIT_MS 10000 /* bound on every wait (only reached when something is broken) */

/* -errno of an unassigned syscall under the filters in force (ENOSYS: allowed) */
long probe_nr(int nr);

/* sleep ms milliseconds (a pause, never a measurement) */
void sleep_ms(long ms);

/* is fd readable within ms milliseconds? */
bool wait_readable(int fd, int ms);

/* read exactly len bytes within WAIT_MS; false on EOF, error or timeout */
bool read_full(int fd, void *buf, size_t len);

/* one write of all len bytes (pipes and sockets of the tests take it whole); false otherwise */
bool write_full(int fd, const void *buf, size_t len);

/* pass a descriptor over a Unix socket (SCM_RIGHTS); 0 or -1 */
int send_fd(int sock, int fd);

/* receive a descriptor within WAIT_MS, or -1 */
int recv_fd(int sock);

/* the one-letter state of a process (R, S, D, ...) from /proc/PID/stat */
char proc_state(pid_t pid);

/* a hex mask line ("ShdPnd:", "Seccomp_filters:" ...) of /proc/PID/status */
bool proc_status_field(pid_t pid, const char *key, unsigned long long *value, int base);

/*
 * A supervised target: a child that runs fn(sock, arg), which never returns, with one end of a
 * socket pair; the supervisor keeps the other end (sock) and gets the target's listener fd over
 * it (lfd, -1 when none came within WAIT_MS).
 */
struct ki_target {
	pid_t pid;
	int sock, lfd;
};
void ki_target_start(struct ki_target *t, void (*fn)(int sock, void *arg), void *arg);

#endif
