/*
 * bpftools.h - what the scmp_bpf_* tools share: choosing the ABI and reading a raw
 * filter (an array of struct sock_filter in the ABI's byte order, as seccomp_export_bpf()
 * writes it).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_BPFTOOLS_H
#define SYSGATE_BPFTOOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/filter.h>

#include "arch/arch.h"

/* the ABI called `name` (libseccomp's names; NULL or "native" for this machine's); prints an
 * error naming the known ABIs and returns NULL when there is none */
const struct sg_arch *bt_arch(const char *tool, const char *name);

/* Read a whole raw filter from `path` ("-" or NULL: standard input) and convert it to host
 * byte order. Returns 0, or -1 after printing why (unreadable, size not a multiple of 8). */
int bt_read_filter(const char *tool, const char *path, bool big_endian, struct sock_filter **prog,
                   size_t *len);

/* the ABI's real syscall numbers, sorted, without duplicates (aliases); NULL when out of
 * memory (after printing why). Free with free(). */
uint32_t *bt_abi_numbers(const char *tool, const struct sg_arch *arch, size_t *n);

/* the name of the first ABI with this audit value for syscall number nr, or NULL: x86_64 and x32
 * share one audit value, their numbers tell them apart */
const struct sg_arch *bt_abi_of(uint32_t audit, uint32_t nr);

/* the first ABI with this audit value, or NULL */
const struct sg_arch *bt_abi_by_audit(uint32_t audit);

#endif
