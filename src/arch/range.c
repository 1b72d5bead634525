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
#include "syscalls.h"

/* the number a sorted-table entry stands for */
static uint32_t entry_nr(unsigned int t, uint16_t enc)
{
	return enc >= SG_NR_HI ? sg_table_hibase[t] + (enc - SG_NR_HI) : sg_table_base[t] + enc;
}

/* index of the first entry of table t whose number is >= nr (entries ascend by number) */
static size_t lower_bound(unsigned int t, uint64_t nr)
{
	size_t lo = sg_nr_sorted_start[t], hi = sg_nr_sorted_start[t + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (entry_nr(t, sg_nr_sorted[mid].nr) < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t sg_arch_count_nrs(const struct sg_arch *arch, uint32_t lo, uint32_t hi)
{
	unsigned int t = arch->table_index;
	if (lo > hi)
		return 0;
	return lower_bound(t, (uint64_t)hi + 1) - lower_bound(t, lo);
}
