/*
 * api.h - what every file implementing a public function needs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_API_H
#define SYSGATE_API_H

#include <seccomp.h>

/* marks a function as part of the exported ABI (everything else is -fvisibility=hidden) */
#define SG_API __attribute__((visibility("default")))

/*
 * libseccomp promises that its functions return only these negative errnos; anything else an
 * internal layer produces is reported as -EFAULT ("internal error").
 */
int sg_rc_filter(int rc);

#endif
