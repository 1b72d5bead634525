/*
 * sorted.h - the one binary search of the syscall tables.
 *
 * Every sorted lookup (a name, a pseudo number, a real number, a range of numbers) is a lower
 * bound: the first position whose entry is not below the key. Callers say what "below" means
 * for their table and compare the entry found for equality themselves.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_ARCH_SORTED_H
#define SYSGATE_ARCH_SORTED_H

#include <stdbool.h>
#include <stddef.h>

/* is the entry at position i below the key? (false from some position on, up to hi) */
typedef bool (*sg_below_fn)(const void *key, size_t i);

/* the first position in [lo, hi) whose entry is not below the key; hi when there is none */
static inline size_t sg_lower_bound(size_t lo, size_t hi, sg_below_fn below, const void *key)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (below(key, mid))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

#endif
