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
#include "bpf_sym.h"

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

/* the syscall numbers that are this ABI's under its arch value: [nr_base, the next base of an
 * ABI sharing the arch value) (x86_64: below 0x40000000, x32: from there on) */
void bt_abi_segment(const struct sg_arch *arch, uint32_t *lo, uint32_t *hi);

/*
 * A value of `word` in [lo, hi] that satisfies the atoms on that word and is none of excl[]:
 * sg_sym_solve_word()'s answers (1 with *value, 0 none, -EAGAIN undecided, -ENOMEM). With
 * excl = every ABI's arch value it finds an arch value of no ABI; with an ABI's syscall
 * numbers, a number without a name.
 */
int bt_solve_except(const struct sg_sym_atom *atoms, size_t natoms, unsigned int word, uint32_t lo,
                    uint32_t hi, const uint32_t *excl, size_t nexcl, uint32_t *value);

/* every ABI's arch value (with repeats), for bt_solve_except(); NULL when out of memory */
uint32_t *bt_all_audits(size_t *n);

/* qsort() comparison of uint32_t */
int bt_cmp_u32(const void *a, const void *b);

/* the first ABI with this audit value, or NULL */
const struct sg_arch *bt_abi_by_audit(uint32_t audit);

#endif
