#!/usr/bin/env python3
"""A lower bound on the dispatch of a program whose search tree does not fit in a jump's reach.

doc/benchmark.md uses it for args362x8 (`make bench`): 362 syscalls with 8 `A1 == value`
rules each, about 3700 instructions, x86_64. The bench's bound (tests/bench/bound.h) is the
optimal search tree over the ranges; it ignores that a conditional jump reaches only 255
instructions forward. This is the same kind of bound with the reach counted, under a relaxed
model (so it is a lower bound on any program of the model, not a program):

- a call's dispatch is the arch check and the load of the number (3), the instructions on
  its path to its leaf, and 1 for the leaf (as bound.h counts it);
- a leaf reached with c instructions and no JA starts at most at 3 + 256 * c; one reached
  through a JA costs one more than the conditional jumps on its path;
- the conditional jumps on the paths satisfy Kraft's inequality (sum 2^-d <= 1; this also
  allows trees that are not alphabetic, so it only relaxes);
- each syscall's own code is at least `size` instructions (its 8 compares and the load of
  A1: 9), and N leaves need at least N - 1 compares placed before the last of them, so at
  most 256 * c // (size + 1) + 1 leaves start within reach of paths of c instructions;
- the numbers without a syscall rule (the deny range above 361: `heavy` table numbers) are
  one leaf that costs no code (a RET).

usage: reach_bound.py [LEAVES HEAVY SIZE]   (default: 337 48 9, args362x8 on x86_64: 337 of
its syscalls are x86_64 table numbers, 48 table numbers lie above 361; 385 in all)
"""
import sys


def reach_bound(leaves, heavy, size, reach=256, depths=range(7, 13)):
    total = leaves + heavy
    cap = lambda c: reach * c // (size + 1) + 1
    best = None
    depths = list(depths)
    # enumerate how many leaves sit at each of the first three depths; the rest go as
    # shallow as Kraft allows (deeper only costs more), the heavy leaf at depth h
    for h in range(1, 12):
        room = 1.0 - 2.0 ** -h
        for n0 in range(0, 2 ** depths[0] + 1):
            k0 = n0 / 2 ** depths[0]
            if k0 > room or n0 > leaves:
                break
            for n1 in range(0, 2 ** depths[1] + 1):
                k1 = k0 + n1 / 2 ** depths[1]
                if k1 > room or n0 + n1 > leaves:
                    break
                for n2 in range(0, 2 ** depths[2] + 1):
                    k2 = k1 + n2 / 2 ** depths[2]
                    if k2 > room + 1e-12 or n0 + n1 + n2 > leaves:
                        break
                    counts, left, k = [n0, n1, n2], leaves - n0 - n1 - n2, k2
                    for d in depths[3:]:
                        n = min(left, int((room - k) * 2 ** d + 1e-9))
                        counts.append(n)
                        left -= n
                        k += n / 2 ** d
                    if left:
                        continue
                    cost, near = heavy * h, 0
                    for d, n in zip(depths, counts):
                        fit = min(n, max(0, cap(d) - near))
                        near += fit
                        cost += n * d + (n - fit)  # a JA for those out of reach
                    if best is None or cost < best[0]:
                        best = (cost, h, counts)
    cost, h, counts = best
    return 3 + cost / total + 1, h, counts


if __name__ == "__main__":
    leaves, heavy, size = (int(a) for a in sys.argv[1:4]) if len(sys.argv) > 3 else (337, 48, 9)
    value, h, counts = reach_bound(leaves, heavy, size)
    print(f"dispatch >= {value:.4f} (heavy leaf at depth {h}; leaves per depth 7..12: {counts})")
