/*
 * profile_rec.c - tools/profile_build.c with its filter-building calls recorded instead of made
 * (see record.h): the benchmark parses each profile once and replays the calls many times.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "record.h"

#define seccomp_init           rec_seccomp_init
#define seccomp_arch_add       rec_seccomp_arch_add
#define seccomp_arch_remove    rec_seccomp_arch_remove
#define seccomp_attr_set       rec_seccomp_attr_set
#define seccomp_rule_add_array rec_seccomp_rule_add_array
#define seccomp_merge          rec_seccomp_merge
#define seccomp_release        rec_seccomp_release

#include "../../tools/profile_build.c"
