/*
 * bound.h - the optimal alphabetic search tree over ranges (each internal node one
 * comparison), by dynamic programming with Knuth's speedup: the cost bound achieved dispatch
 * is compared with, in `make bench` (bench.c) and in tests/test_dispatch_bound.c. Returns
 * sum(weight * depth) of the best tree over w[0..n-1], or -1 when out of memory.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_BENCH_BOUND_H
#define SYSGATE_BENCH_BOUND_H

#include <stdint.h>
#include <stdlib.h>

static inline double optimal_tree_cost(const double *w, size_t n)
{
	double *c = calloc(n * n + 1, sizeof(*c)), *pre = calloc(n + 1, sizeof(*pre)), res;
	size_t *root = calloc(n * n + 1, sizeof(*root));

	if (!c || !pre || !root) {
		free(c);
		free(pre);
		free(root);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		pre[i + 1] = pre[i] + w[i];
		root[i * n + i] = i;
	}
	for (size_t len = 2; len <= n; len++)
		for (size_t i = 0; i + len <= n; i++) {
			size_t j = i + len - 1, lo = root[i * n + j - 1],
			       hi = root[(i + 1) * n + j];
			double best = 1e300;
			size_t bk = i + 1;
			if (lo < i + 1)
				lo = i + 1;
			for (size_t k = lo; k <= hi && k <= j; k++) {
				double v = c[i * n + k - 1] + c[k * n + j];
				if (v < best) {
					best = v;
					bk = k;
				}
			}
			c[i * n + j] = best + pre[j + 1] - pre[i];
			root[i * n + j] = bk;
		}
	res = n ? c[n - 1] : 0;
	free(c);
	free(pre);
	free(root);
	return res;
}

/*
 * The bound over numbers 0..n-1 of a table: ranges are runs of equal behaviour signature sig[]
 * (verdicts on argument vectors that exercise every rule), plus one range for every number
 * above; weight[i] is how often number i is called. Returns the optimal tree's
 * sum(weight * depth), or -1 when out of memory.
 */
static inline double range_bound(const uint32_t *sig, const double *weight, size_t n)
{
	double *w = calloc(n + 1, sizeof(*w)), res;
	size_t nranges = 0;

	if (!w)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || sig[i] != sig[i - 1])
			nranges++;
		w[nranges - 1] += weight[i];
	}
	res = optimal_tree_cost(w, nranges + 1);
	free(w);
	return res;
}

#endif
