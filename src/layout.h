/*
 * layout.h - where the compares of a search tree go in a program whose conditional jumps
 * reach only 255 instructions forward.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_LAYOUT_H
#define SYSGATE_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* the farthest a conditional jump at position p reaches is p + SG_LAYOUT_REACH */
#define SG_LAYOUT_REACH 256

/* one node of the tree: a compare with two subtrees, or a leaf's code */
struct sg_layout_node {
	int32_t t, f;    /* subtrees (indices into the node array); both -1 for a leaf */
	uint32_t size;   /* instructions of the node's own code: a compare 1, a leaf its code */
	uint64_t weight; /* how often calls pass the node (the tree's cost model) */
	bool free;       /* a leaf that needs no place: a RET, copied next to its parent */
};

/*
 * The order, first instruction first, in which to lay out the nodes reachable from root
 * (free leaves left out): every node after its parent, and where the sizes allow within
 * SG_LAYOUT_REACH of it, so that the tree's calls run few JAs (layout.c). Subtrees of at
 * most 1/block_div of the reach are laid out depth first as blocks. With near_permille
 * (0 < near_permille < 1000) set, subtrees of about (1000 - near_permille) / 1000 of the code
 * are laid out last, each depth first, reached through a JA: the rest is then laid out in
 * reach. order has room for n entries. Returns how many it wrote, or -ENOMEM.
 */
long sg_layout_plan(const struct sg_layout_node *nodes, size_t n, int32_t root,
                    unsigned int block_div, unsigned int near_permille, int32_t *order);

#endif
