/*
 * range.c - how many syscall numbers of an ABI's table fall in a range of numbers.
 *
 * The compiler weighs dispatch ranges by it: only numbers a table holds are worth a place
 * near the root of the search tree.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "arch.h"
#include "sorted.h"
#include "syscalls.h"

struct nr_key {
	unsigned int t;
	uint64_t nr;
};

static bool nr_below(const void *key, size_t i)
{
	const struct nr_key *k = key;
	return sg_table_nr(k->t, sg_nr_sorted[i].nr) < k->nr;
}

/* index of the first entry of table t whose number is >= nr (entries ascend by number) */
static size_t lower_bound(unsigned int t, uint64_t nr)
{
	struct nr_key k = {t, nr};
	return sg_lower_bound(sg_nr_sorted_start[t], sg_nr_sorted_start[t + 1], nr_below, &k);
}

size_t sg_arch_nrs_below(const struct sg_arch *arch, uint64_t nr)
{
	unsigned int t = arch->table_index;
	return lower_bound(t, nr) - sg_nr_sorted_start[t];
}

size_t sg_arch_count_nrs(const struct sg_arch *arch, uint32_t lo, uint32_t hi)
{
	if (lo > hi)
		return 0;
	return sg_arch_nrs_below(arch, (uint64_t)hi + 1) - sg_arch_nrs_below(arch, lo);
}
