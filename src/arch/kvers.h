/*
 * kvers.h - the first kernel release of every syscall number of every ABI
 * (SCMP_FLTATR_CTL_KVERMAX). The data is generated (src/arch/kvers.c, made by
 * src/arch/gen-kvers.py from tests/data/syscall-kver); values are enum scmp_kver's.
 *
 * SCMP_KV_UNDEF in the data means "present in every release an SCMP_KV_* value names": calls
 * older than 3.0, and calls the sources only date as "present since X or earlier".
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_ARCH_KVERS_H
#define SYSGATE_ARCH_KVERS_H

#include <stdbool.h>
#include <stdint.h>

#include <seccomp.h>

#include "arch/arch.h"
#include "arch/syscalls.h"

#define SG_KV_COUNT ((unsigned int)__SCMP_KV_MAX)

/* one number of a table (encoded as in sg_sys_nr) and its first release */
struct sg_kver_ent {
	uint16_t nr;
	uint8_t kv;
};

/* per table, every number the table has, ascending: entries [start[t], start[t + 1]) */
extern const struct sg_kver_ent sg_kver_ents[];
extern const uint16_t sg_kver_start[SG_TBL_COUNT + 1];
/* "3.0" ... by value; "any" for SCMP_KV_UNDEF, "" for __SCMP_KV_NULL */
extern const char *const sg_kver_names[SG_KV_COUNT];

/* is kv a release a filter can be limited to (SCMP_KV_3_0 .. the newest)? */
static inline bool sg_kver_is_release(uint32_t kv)
{
	return kv > SCMP_KV_UNDEF && kv < SG_KV_COUNT;
}

/* the first release of number nr on the ABI (SCMP_KV_UNDEF: any), or 0 if no syscall has it */
unsigned int sg_arch_nr_kver(const struct sg_arch *arch, uint32_t nr);

/* does the ABI have a syscall numbered nr in release kvmax? */
bool sg_arch_nr_in_kver(const struct sg_arch *arch, uint32_t nr, unsigned int kvmax);

/*
 * The numbers from nr up that share nr's answer to sg_arch_nr_in_kver(arch, ., kvmax): sets
 * *present to that answer and returns the last number of the run (O(log n + run's entries)).
 */
uint32_t sg_arch_kver_run(const struct sg_arch *arch, uint32_t nr, unsigned int kvmax,
                          bool *present);

/* "5.4" -> SCMP_KV_5_4; -EINVAL for text that names no release of the enum (tools only:
 * arch_tools.c, in libsysgate_tools.la) */
int sg_kver_parse(const char *text);

/* the release name of a value ("5.4", "any"), or NULL out of range */
const char *sg_kver_name(unsigned int kv);

#endif
