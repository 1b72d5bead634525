/*
 * notify.c - user-space notification (SCMP_ACT_NOTIFY): the supervisor's side.
 *
 * Thin wrappers over the listener ioctls with libseccomp's error conventions. One difference:
 * receive/respond probe the kernel themselves instead of failing with -EOPNOTSUPP in a
 * supervisor process that never called seccomp_init() or seccomp_api_get() (doc/differences).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "alloc.h"
#include "api.h"
#include "db.h"
#include "system.h"

/*
 * The ioctl numbers, computed here rather than taken from <linux/seccomp.h>: headers before
 * Linux 5.9 declare ID_VALID with the wrong direction, and old headers lack ADDFD. The kernel
 * accepts both ID_VALID numbers; the old one is the fallback, as in libseccomp.
 */
#define SG_IOCTL_NOTIF_RECV         _IOWR('!', 0, struct seccomp_notif)
#define SG_IOCTL_NOTIF_SEND         _IOWR('!', 1, struct seccomp_notif_resp)
#define SG_IOCTL_NOTIF_ID_VALID     _IOW('!', 2, __u64)
#define SG_IOCTL_NOTIF_ID_VALID_OLD _IOR('!', 2, __u64)
#define SG_IOCTL_NOTIF_ADDFD        _IOW('!', 3, struct seccomp_notif_addfd)

/* lock-free: a supervisor thread must not wait for a thread that is inside seccomp_load() */
static bool notify_supported(void)
{
	return sg_sys_features().act_notify;
}

SG_API int seccomp_notify_alloc(struct seccomp_notif **req, struct seccomp_notif_resp **resp)
{
	struct seccomp_notif_sizes sizes;
	struct seccomp_notif *r = NULL;
	struct seccomp_notif_resp *p = NULL;
	int rc = sg_sys_notif_sizes(&sizes);

	if (rc < 0)
		return rc;
	if (sizes.seccomp_notif == 0 || sizes.seccomp_notif_resp == 0)
		return -EFAULT;
	/* the kernel's structures may be larger than this header's: allocate what it says */
	if (req) {
		size_t size = sizes.seccomp_notif > sizeof(*r) ? sizes.seccomp_notif : sizeof(*r);
		r = sg_calloc(1, size);
		if (!r)
			return -ENOMEM;
	}
	if (resp) {
		size_t size =
		    sizes.seccomp_notif_resp > sizeof(*p) ? sizes.seccomp_notif_resp : sizeof(*p);
		p = sg_calloc(1, size);
		if (!p) {
			sg_free(r);
			return -ENOMEM;
		}
	}
	if (req)
		*req = r;
	if (resp)
		*resp = p;
	return 0;
}

SG_API void seccomp_notify_free(struct seccomp_notif *req, struct seccomp_notif_resp *resp)
{
	sg_free(req);
	sg_free(resp);
}

SG_API int seccomp_notify_receive(int fd, struct seccomp_notif *req)
{
	if (!notify_supported())
		return -EOPNOTSUPP;
	if (!req) {
		/* what the kernel would say; libseccomp passes the NULL through and gets EFAULT */
		errno = EFAULT;
		return -ECANCELED;
	}
	/*
	 * The kernel refuses a buffer that is not all zero (EINVAL, since 5.5). libseccomp leaves
	 * that to the caller; sysgate clears it, so a reused request buffer just works.
	 */
	memset(req, 0, sizeof(*req));
	if (ioctl(fd, SG_IOCTL_NOTIF_RECV, req) < 0)
		return -ECANCELED; /* errno tells why: ENOENT (target gone), EINTR, ... */
	return 0;
}

SG_API int seccomp_notify_respond(int fd, struct seccomp_notif_resp *resp)
{
	if (!notify_supported())
		return -EOPNOTSUPP;
	if (ioctl(fd, SG_IOCTL_NOTIF_SEND, resp) < 0)
		return -ECANCELED;
	return 0;
}

SG_API int seccomp_notify_id_valid(int fd, uint64_t id)
{
	int rc;

	if (!notify_supported())
		return -EOPNOTSUPP;
	rc = ioctl(fd, SG_IOCTL_NOTIF_ID_VALID, &id);
	if (rc < 0 && errno == EINVAL)
		rc = ioctl(fd, SG_IOCTL_NOTIF_ID_VALID_OLD, &id);
	return rc == 0 ? 0 : -ENOENT;
}

SG_API int seccomp_notify_addfd(int fd, struct seccomp_notif_addfd *addfd)
{
	int rc;

	if (!notify_supported())
		return -EOPNOTSUPP;
	rc = ioctl(fd, SG_IOCTL_NOTIF_ADDFD, addfd);
	if (rc >= 0)
		return rc;
	/* EINVAL: the kernel does not know the ioctl or its flags */
	return errno == EINVAL ? -EOPNOTSUPP : -ECANCELED;
}

SG_API int seccomp_notify_fd(const scmp_filter_ctx ctx)
{
	int fd;

	if (!sg_filter_valid(ctx))
		return -EINVAL;
	fd = sg_sys_notify_fd();
	/* libseccomp 2.6 reports "no listener" as -EFAULT; fd 0 is a valid listener (#496) */
	return fd >= 0 ? fd : -EFAULT;
}
